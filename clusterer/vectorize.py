"""Vectorize: sparse TF-IDF rows for the kept documents (body, title and lead)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from .config import Config
from .records import Doc, Vectors
from .text import idf_weights

LEAD_TOKENS = 60  # content words of the body that make its "lead"


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def _max_df(n_docs: int) -> float:
    # A term in half of a large corpus says little about one event, but in a corpus of five
    # articles on two events the shared terms are exactly the evidence: only cap large corpora.
    return 0.5 if n_docs >= 50 else 1.0


def tfidf(rows: Sequence[Sequence[str]]) -> tuple[sparse.csr_matrix, tuple[str, ...]]:
    """Return L2-normalized sublinear TF-IDF rows for token lists, and the vocabulary."""
    n = len(rows)
    counter = CountVectorizer(analyzer=_identity, max_df=_max_df(n), min_df=1, dtype=np.float32)
    try:
        counts = counter.fit_transform(rows).tocsr()
    except ValueError:  # empty vocabulary (every row empty, or every term too common)
        return sparse.csr_matrix((n, 1), dtype=np.float32), ("",)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    counts.data = 1.0 + np.log(counts.data)
    weighted = counts @ sparse.diags(idf_weights(df, n))
    return normalize(weighted.tocsr(), copy=False), tuple(counter.get_feature_names_out())


def build_vectors(docs: Sequence[Doc], cfg: Config) -> Vectors:
    """Return L2-normalized TF-IDF rows for ``docs``: body, title and lead (title + first body words)."""
    body, terms = tfidf([d.tokens for d in docs])
    titles, _ = tfidf([d.title_tokens for d in docs])
    leads, _ = tfidf([d.tokens[: len(d.title_tokens) + LEAD_TOKENS] for d in docs])
    return Vectors(
        ids=tuple(d.id for d in docs),
        matrix=body,
        terms=terms,
        title_matrix=titles,
        lead_matrix=leads,
    )
