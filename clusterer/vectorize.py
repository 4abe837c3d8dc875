"""Vectorize: sparse TF-IDF rows for the kept documents (body and title)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .config import Config
from .records import Doc, Vectors


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def _max_df(n_docs: int) -> float | int:
    # A term in half of a large corpus says little about one event, but in a corpus of five
    # articles on two events the shared terms are exactly the evidence: only cap large corpora.
    return 0.5 if n_docs >= 50 else 1.0


def _tfidf(rows: Sequence[Sequence[str]], n_docs: int) -> tuple[object, tuple[str, ...]]:
    vectorizer = TfidfVectorizer(
        analyzer=_identity,  # tokens are already normalized, stop-worded and stemmed
        sublinear_tf=True,
        smooth_idf=True,
        max_df=_max_df(n_docs),
        min_df=1,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(rows)
    except ValueError:  # empty vocabulary (e.g. every document is only stop words)
        vectorizer = TfidfVectorizer(analyzer=_identity, dtype=np.float32)
        matrix = vectorizer.fit_transform([["\x00empty"] for _ in rows])
    return matrix.tocsr(), tuple(vectorizer.get_feature_names_out())


def build_vectors(docs: Sequence[Doc], cfg: Config) -> Vectors:
    """Return L2-normalized TF-IDF rows for ``docs`` (body tokens, and title tokens separately)."""
    n = len(docs)
    body, terms = _tfidf([d.tokens for d in docs], n)
    titles, _ = _tfidf([d.title_tokens for d in docs], n)
    return Vectors(ids=tuple(d.id for d in docs), matrix=body, terms=terms, title_matrix=titles)
