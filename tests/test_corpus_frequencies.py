"""A state's batch weighs terms by the whole corpus's document frequencies, not its own."""

from __future__ import annotations

from collections import Counter

import numpy as np

from clusterer.cluster import PairScorer
from clusterer.config import Config
from clusterer.normalize import normalize_article
from clusterer.records import Article, CorpusFrequencies, Doc
from clusterer.vectorize import build_vectors

TEXTS = [
    "Port workers strike in Rotterdam after pay talks collapse on Sunday night.",
    "Rotterdam port strike: dockers walk out as pay talks collapse.",
    "Heavy rain floods Valencia streets; the mayor closes schools on Monday.",
    "Valencia floods: schools closed by the mayor as rain keeps falling.",
]


def _docs() -> list[Doc]:
    cfg = Config()
    return [
        normalize_article(Article(id=f"d{k}", text=t, origin="test", lang="en"), cfg)
        for k, t in enumerate(TEXTS)
    ]


def _own(docs: list[Doc]) -> CorpusFrequencies:
    return CorpusFrequencies(Counter(t for d in docs for t in set(d.tokens)), len(docs))


def test_the_rows_own_frequencies_give_the_same_vectors() -> None:
    docs = _docs()
    alone = build_vectors(docs, Config())
    given = build_vectors(docs, Config(), _own(docs))
    assert given.terms == alone.terms
    assert np.allclose(given.matrix.toarray(), alone.matrix.toarray())


def test_a_term_common_in_the_corpus_weighs_less_than_in_the_rows_alone() -> None:
    docs = _docs()
    common = next(t for t in docs[0].tokens if "rotterdam" in t)
    once = dict.fromkeys(_own(docs).df, 1)

    def weight(df: dict[str, int]) -> float:
        vectors = build_vectors(docs, Config(), CorpusFrequencies(df, 100))
        return float(vectors.matrix.toarray()[0, vectors.terms.index(common)])

    assert weight({**once, common: 40}) < weight(once)


def test_the_scorer_counts_rare_terms_by_the_corpus() -> None:
    docs = _docs()
    own = _own(docs)
    shared = set(docs[0].tokens) & set(docs[1].tokens)
    assert shared
    small = PairScorer(docs, build_vectors(docs, Config()), Config())
    assert shared <= small.rare_terms(0)  # in a corpus of four, two documents make a term rare
    big = CorpusFrequencies({**own.df, **{t: 500 for t in shared}}, 1000)
    scorer = PairScorer(docs, build_vectors(docs, Config(), big), Config())
    assert not shared & scorer.rare_terms(0)  # in half of a thousand documents it is not
    assert (
        scorer.signals(np.array([0]), np.array([1])).rare[0]
        < small.signals(np.array([0]), np.array([1])).rare[0]
    )
