"""Vectorize: sparse TF-IDF rows for the kept documents (body, title and lead)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from .config import IDF_PRIOR_RATE, Config
from .records import CorpusFrequencies, Doc, Vectors
from .text import idf_weights

LEAD_TOKENS = 60  # content words of the body that make its "lead"


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def _max_df(n_docs: int) -> float:
    # A term in half of a large corpus says little about one event, but in a corpus of five
    # articles on two events the shared terms are exactly the evidence: only cap large corpora.
    return 0.5 if n_docs >= 50 else 1.0


def term_idf(df: Mapping[str, int], n_docs: int, prior_docs: float) -> dict[str, float]:
    """Return the idf of every term of ``df`` (its document frequency over ``n_docs``) with the
    prior of ``prior_docs`` pseudo-documents (:func:`clusterer.text.idf_weights`)."""
    terms = list(df)
    weights = idf_weights(np.array([df[t] for t in terms]), n_docs, prior_docs, IDF_PRIOR_RATE)
    return dict(zip(terms, weights.tolist(), strict=True))


def tfidf(
    rows: Sequence[Sequence[str]], prior_docs: float
) -> tuple[sparse.csr_matrix, tuple[str, ...]]:
    """Return L2-normalized sublinear TF-IDF rows for token lists, and the vocabulary; the IDF
    has a prior of ``prior_docs`` pseudo-documents (:func:`clusterer.text.idf_weights`)."""
    n = len(rows)
    counter = CountVectorizer(analyzer=_identity, max_df=_max_df(n), min_df=1, dtype=np.float32)
    try:
        counts = counter.fit_transform(rows).tocsr()
    except ValueError:  # empty vocabulary (every row empty, or every term too common)
        return sparse.csr_matrix((n, 1), dtype=np.float32), ("",)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return _weigh(counts, idf_weights(df, n, prior_docs, IDF_PRIOR_RATE)), tuple(
        counter.get_feature_names_out()
    )


def _weigh(counts: sparse.csr_matrix, weights: np.ndarray) -> sparse.csr_matrix:
    """Return sublinear term counts times ``weights`` (one per column), rows L2-normalized.

    Each row's terms are put in column order first, so that every sum over a row (its norm, a
    dot product) adds in one order however the counts were made (whole corpus or parts).
    """
    counts.has_sorted_indices = False
    counts.sort_indices()
    counts.data = 1.0 + np.log(counts.data)
    weighted = counts @ sparse.diags(weights)
    return normalize(weighted.tocsr(), copy=False)


def doc_frequencies(rows: Iterable[Iterable[str]]) -> Counter[str]:
    """Return in how many of ``rows`` each term occurs (added up over parts of a corpus, the
    document frequencies :func:`tfidf` computes over the whole)."""
    return Counter(
        chain.from_iterable(row if isinstance(row, (set, frozenset)) else set(row) for row in rows)
    )


def vocabulary(
    df: Mapping[str, int], n_docs: int, prior_docs: float
) -> tuple[tuple[str, ...], np.ndarray]:
    """Return the terms :func:`tfidf` keeps for document frequencies ``df`` over ``n_docs``
    rows (sorted, as its columns) and their idf; no terms when it would keep none."""
    cap = _max_df(n_docs) * n_docs
    terms = tuple(sorted(t for t, c in df.items() if c <= cap))
    df_terms = np.array([df[t] for t in terms], dtype=np.int64)
    return terms, idf_weights(df_terms, n_docs, prior_docs, IDF_PRIOR_RATE)


def tfidf_rows(
    rows: Sequence[Sequence[str]], terms: tuple[str, ...], weights: np.ndarray
) -> sparse.csr_matrix:
    """Return the :func:`tfidf` rows of a part of a corpus, given the whole corpus's
    :func:`vocabulary`: stacked in order, the parts give the rows :func:`tfidf` returns."""
    if not terms:
        return sparse.csr_matrix((len(rows), 1), dtype=np.float32)
    counter = CountVectorizer(analyzer=_identity, vocabulary=terms, dtype=np.float32)
    return _weigh(counter.transform(rows).tocsr(), weights)


def build_vectors(
    docs: Sequence[Doc], cfg: Config, corpus: CorpusFrequencies | None = None
) -> Vectors:
    """Return L2-normalized TF-IDF rows for ``docs``: body, title and lead (title + first body
    words), with the IDF prior ``cfg.idf_prior``.

    With ``corpus`` (the document frequencies of a larger corpus ``docs`` belong to; a term it
    does not count counts once), the body's IDF is that corpus's, as one run over the whole
    corpus would weigh it, not that of ``docs`` alone.
    """
    prior_docs = cfg.idf_prior
    if corpus is None:
        body, terms = tfidf([d.tokens for d in docs], prior_docs)
    else:
        here = {t for d in docs for t in d.tokens}
        df = {t: max(1, corpus.df.get(t, 0)) for t in here}
        terms, weights = vocabulary(df, corpus.n_docs, prior_docs)
        body = tfidf_rows([d.tokens for d in docs], terms, weights)
        terms = terms or ("",)
    titles, _ = tfidf([d.title_tokens for d in docs], prior_docs)
    leads, _ = tfidf([d.tokens[: len(d.title_tokens) + LEAD_TOKENS] for d in docs], prior_docs)
    return Vectors(
        ids=tuple(d.id for d in docs),
        matrix=body,
        terms=terms,
        title_matrix=titles,
        lead_matrix=leads,
        corpus=corpus,
    )
