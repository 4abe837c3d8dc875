"""The IDF prior: a small corpus does not discount the words its articles share."""

from __future__ import annotations

import numpy as np
import pytest

from clusterer.config import IDF_PRIOR_RATE, Config
from clusterer.errors import ConfigError
from clusterer.text import idf, idf_weights
from clusterer.vectorize import term_idf, tfidf, vocabulary

TWO_ARTICLES = [
    ["flood", "valencia", "rain", "dead", "rescu", "mayor"],
    ["flood", "valencia", "rain", "dead", "bridg", "closur"],
]


def _cosine(prior: float) -> float:
    rows, _ = tfidf(TWO_ARTICLES, prior)
    return float((rows[0] @ rows[1].T).toarray()[0, 0])


def test_without_a_prior_the_formula_is_the_plain_idf() -> None:
    df = np.array([1, 3, 40])
    assert idf_weights(df, 50, 0.0, IDF_PRIOR_RATE).tolist() == [
        np.float32(idf(int(d), 50)) for d in df
    ]


def test_two_articles_sharing_most_words_look_alike_with_the_prior() -> None:
    # without the prior the shared words weigh 0.18 against 0.69 for the others: cosine ~0.1
    assert _cosine(0.0) < 0.15
    assert _cosine(Config().idf_prior) > 0.4


def test_the_prior_keeps_the_ranking_of_terms() -> None:
    weights = term_idf({"rare": 1, "some": 5, "common": 20}, 40, Config().idf_prior)
    assert weights["rare"] > weights["some"] > weights["common"] > 0


def test_the_prior_barely_moves_a_large_corpus() -> None:
    df = np.array([1, 10, 100, 1000])
    plain, prior = idf_weights(df, 3000), idf_weights(df, 3000, Config().idf_prior, IDF_PRIOR_RATE)
    assert np.allclose(plain, prior, rtol=0.01)


def test_vocabulary_matches_tfidf_with_the_prior() -> None:
    rows, terms = tfidf(TWO_ARTICLES, 3.0)
    df = {t: sum(t in r for r in TWO_ARTICLES) for t in terms}
    vocab, weights = vocabulary(df, 2, 3.0)
    assert vocab == terms
    assert np.allclose(
        weights, idf_weights(np.array([df[t] for t in terms]), 2, 3.0, IDF_PRIOR_RATE)
    )


def test_a_negative_prior_is_refused() -> None:
    with pytest.raises(ConfigError, match="idf_prior"):
        Config(idf_prior=-1.0)
