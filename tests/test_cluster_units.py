"""Unit tests of the clustering building blocks (no normalization needed)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from scipy import sparse

from clusterer.cluster import (
    DocFeatures,
    PairScorer,
    average_linkage,
    candidate_pairs,
    combine,
    date_factor,
    titles_fuzzy,
)
from clusterer.config import Config
from clusterer.normalize import normalize_article
from clusterer.records import Article, Doc, Vectors
from clusterer.vectorize import build_vectors


def test_average_linkage_does_not_chain_through_a_bridge() -> None:
    # a-b and b-c are similar, a-c not at all: single link would put all three together
    edges = {(0, 1): 0.9, (1, 2): 0.8}
    assert average_linkage(3, edges, 0.5) == [[0, 1], [2]]


def test_average_linkage_merges_a_consistent_group() -> None:
    edges = {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7, (2, 3): 0.1}
    assert average_linkage(4, edges, 0.5) == [[0, 1, 2], [3]]


def test_average_linkage_threshold_is_monotone() -> None:
    rng = np.random.default_rng(1)
    n = 30
    edges = {
        (i, j): float(rng.random()) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.2
    }
    counts = [len(average_linkage(n, edges, th)) for th in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert counts == sorted(counts)
    assert counts[-1] <= n


def test_candidate_pairs_keeps_top_k_without_self_pairs() -> None:
    x = sparse.csr_matrix(
        np.array([[1, 0, 0], [0.9, 0.1, 0], [0.8, 0.2, 0], [0, 0, 1]], dtype=np.float32)
    )
    x = sparse.csr_matrix(x.multiply(1 / np.sqrt(x.multiply(x).sum(axis=1))))
    pairs = candidate_pairs(x, k=1)
    assert all(i < j for i, j in pairs)
    assert (0, 1) in pairs
    assert not any(3 in p for p in pairs)  # orthogonal document has no candidate


def _random_rows(seed: int, n: int, terms: int) -> sparse.csr_matrix:
    """Unit TF-IDF-like rows: six terms in most rows, weighing little (a low idf), and rarer ones;
    a pair of rows out of ten shares a passage (terms of the same weights)."""
    rng = np.random.default_rng(seed)
    x = sparse.random(n, terms, density=0.03, random_state=rng, format="lil", dtype=np.float64)
    for i in range(0, n - 1, 10):
        x[i + 1, :] = x[i, :] + x[i + 1, :]
    common = (rng.random((n, 6)) < 0.8) * rng.random((n, 6)) * 0.15
    x = sparse.hstack([sparse.csr_matrix(common), x.tocsr()]).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1))).ravel()
    return sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-12)) @ x)


def test_capped_neighbour_search_scores_neighbours_by_their_whole_cosine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clusterer import cluster

    x = _random_rows(7, 300, 400)
    exact = candidate_pairs(x, k=5)
    monkeypatch.setattr(cluster, "CANDIDATE_DF_CAP", 100)  # the six common terms left out
    capped = candidate_pairs(x, k=5)
    whole = (x @ x.T).toarray()
    # each cosine reported is the whole one, frequent terms included
    assert all(v == pytest.approx(whole[i, j], rel=1e-9) for (i, j), v in capped.items())
    # the neighbours that matter (close ones) are found without the frequent terms
    close = {p for p, v in exact.items() if v >= 0.3}
    assert close and close <= set(capped)
    assert len(set(capped) & set(exact)) >= 0.8 * len(exact)


def test_neighbour_search_is_exact_when_no_term_passes_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clusterer import cluster

    x = _random_rows(8, 120, 200)
    exact = candidate_pairs(x, k=4)
    monkeypatch.setattr(cluster, "CANDIDATE_DF_CAP", 120)
    assert candidate_pairs(x, k=4) == exact


def test_date_factor_decays_and_is_neutral_when_missing() -> None:
    cfg = Config(date_tau_days=7, date_weight=0.5)
    same, days = date_factor(date(2021, 2, 23), date(2021, 2, 23), cfg)
    week, _ = date_factor(date(2021, 2, 23), date(2021, 3, 2), cfg)
    far, _ = date_factor(date(2021, 2, 23), date(2024, 3, 29), cfg)
    assert same == 1.0 and days == 0
    assert 0.5 <= far < week < same
    assert far == pytest.approx(0.5, abs=1e-6)
    assert date_factor(None, date(2021, 2, 23), cfg) == (1.0, None)


def test_a_date_most_pages_share_is_not_trusted() -> None:
    from clusterer.cluster import _date_trust
    from clusterer.records import Doc, Found

    def doc(i: int, day: str, source: str) -> Doc:
        return Doc(
            id=f"d{i}",
            origin="",
            lang="en",
            title=Found(f"t{i}", "field", 1.0),
            outlet=Found(f"outlet{i}", "field", 1.0),
            date=Found(day, source, 0.45),
            url=None,
            body="",
            norm_title="",
            norm="",
            tokens=("x",),
            title_tokens=(),
        )

    # 10 of 40 pages from 10 outlets carry the same day read from their text: the day they were saved
    docs = [doc(i, "2018-01-21", "lead") for i in range(10)]
    docs += [doc(10 + i, f"2017-12-{1 + i % 28:02d}", "lead") for i in range(30)]
    trust = _date_trust(docs)
    assert trust[:10] == [0.0] * 10
    assert all(t == 0.45 for t in trust[10:])
    # the same share of dates given by the records' own fields is believed
    fielded = [doc(i, "2018-01-21", "field") for i in range(10)] + docs[10:]
    assert _date_trust(fielded)[0] == 0.45


def _scored_docs() -> list[Doc]:
    texts = [
        ("Flood in Valencia", "Heavy rain flooded Valencia on 3 May 2021; 12 people were rescued."),
        ("Valencia floods", "Rescuers in Valencia saved 12 people after rain on May 3, 2021."),
        ("Senate vote", "The Senate voted 51 to 49 on the budget on Tuesday."),
        ("فيضانات في بغداد", "غمرت الأمطار بغداد يوم الأحد وأنقذت فرق الدفاع المدني 5 أشخاص."),
        ("Budget passes", "Senators passed the budget 51-49 on Tuesday after a long debate."),
    ]
    return [
        normalize_article(Article(id=f"d{i}", text=body, title=title, origin="t"), Config())
        for i, (title, body) in enumerate(texts)
    ]


def test_pair_scorer_features_computed_in_slices_score_the_same() -> None:
    docs = _scored_docs()
    cfg = Config()
    vectors = build_vectors(docs, cfg)
    whole = DocFeatures.of(docs)
    sliced = DocFeatures.concat(DocFeatures.of(docs[:2]), DocFeatures.of(docs[2:]))
    assert sliced == whole
    rows_a, rows_b = np.array([0, 0, 2, 1]), np.array([1, 2, 4, 3])
    one = PairScorer(docs, vectors, cfg).signals(rows_a, rows_b)
    two = PairScorer(docs, vectors, cfg, sliced).signals(rows_a, rows_b)
    assert combine(one, cfg).tolist() == combine(two, cfg).tolist()
    assert combine(one, cfg)[0] > combine(one, cfg)[1]  # the two flood reports are the close pair


def test_neighbours_read_at_once_are_those_read_row_by_row():
    """Each row's k best neighbours, read for all rows at once, are those a row-by-row
    ``argpartition`` picks, ties at the k-th neighbour included."""
    from clusterer.cluster import _top_neighbours

    rng = np.random.default_rng(3)
    for _ in range(100):
        dense = rng.choice([0.2, 0.3, 0.5, 0.9], size=(25, 35)) * (rng.random((25, 35)) < 0.4)
        block = sparse.csr_matrix(dense.astype(np.float32))
        start, k, floor = int(rng.integers(0, 10)), int(rng.integers(1, 6)), 0.25
        found: dict[tuple[int, int], float] = {}
        a, b, v = _top_neighbours(block, start, k, floor)
        assert (a < b).all()
        for key, value in zip(zip(a.tolist(), b.tolist(), strict=True), v.tolist(), strict=True):
            found[key] = max(found.get(key, 0.0), value)
        expected: dict[tuple[int, int], float] = {}
        for r in range(block.shape[0]):
            lo, hi = block.indptr[r], block.indptr[r + 1]
            cols, vals = block.indices[lo:hi], block.data[lo:hi]
            keep = (cols != start + r) & (vals >= floor)
            cols, vals = cols[keep], vals[keep]
            if len(cols) > k:
                best = np.argpartition(-vals, k - 1)[:k]
                cols, vals = cols[best], vals[best]
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                key = (min(start + r, j), max(start + r, j))
                expected[key] = max(expected.get(key, 0.0), v)
        assert found == expected


def test_rare_term_overlap_is_the_shared_idf_over_each_documents_rare_idf() -> None:
    """Row a . row b of the rare-term matrix is sum(idf of shared rare terms) / sqrt(W_a W_b)."""
    import math

    docs = _scored_docs()
    cfg = Config()
    scorer = PairScorer(docs, build_vectors(docs, cfg), cfg)
    assert any(
        scorer.rare_terms(0) & scorer.rare_terms(1)
    )  # the two flood reports share rare terms
    dots = (scorer.rare_matrix @ scorer.rare_matrix.T).toarray()
    for a in range(len(docs)):
        for b in range(len(docs)):
            weight = [sum(scorer.idf(t) for t in scorer.rare_terms(d)) for d in (a, b)]
            shared = sum(scorer.idf(t) for t in scorer.rare_terms(a) & scorer.rare_terms(b))
            expected = shared / math.sqrt(weight[0] * weight[1]) if all(weight) else 0.0
            assert dots[a, b] == pytest.approx(expected, rel=1e-12, abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=200))
def test_key_rows_are_the_pairs_in_order(pairs: set[tuple[int, int]]) -> None:
    from clusterer.cluster import key_rows

    n = 61
    keys = np.unique(np.array([i * n + j for i, j in pairs], dtype=np.int64))
    rows_a, rows_b = key_rows(keys, n)
    assert list(zip(rows_a.tolist(), rows_b.tolist(), strict=True)) == sorted(pairs)
    assert rows_a.dtype == rows_b.dtype == np.int64


def test_candidate_keys_are_the_body_and_title_neighbours_each_once() -> None:
    """The candidates: each row's body neighbours and title neighbours (pairs i < j), every pair
    once, in order, whichever row found it and however the rows are cut into slices."""
    from clusterer.cluster import (
        MIN_CANDIDATE,
        candidate_keys,
        key_rows,
        neighbour_pairs,
        transposed,
    )

    rng = np.random.default_rng(5)
    dense = rng.random((40, 30)) * (rng.random((40, 30)) < 0.3)
    body = sparse.csr_matrix(dense / np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-9))
    title = sparse.csr_matrix(rng.random((40, 12)) * (rng.random((40, 12)) < 0.3))
    vectors = Vectors(ids=tuple(map(str, range(40))), matrix=body, terms=(), title_matrix=title)
    cfg = Config()
    expected = set(neighbour_pairs(body, 0, transposed(body), cfg.neighbors, MIN_CANDIDATE))
    expected |= set(neighbour_pairs(title, 0, transposed(title), max(3, cfg.neighbors // 4), 0.3))
    keys = candidate_keys(vectors, cfg)
    assert list(zip(*(r.tolist() for r in key_rows(keys, 40)), strict=True)) == sorted(expected)
    halves = [
        candidate_keys(vectors, cfg, range(0, 17)),
        candidate_keys(vectors, cfg, range(17, 40)),
    ]
    assert np.unique(np.concatenate(halves)).tolist() == keys.tolist()


def _one_title_fuzzy(a: str, b: str) -> float:
    """The definition, one pair at a time (what pair scoring computed before it was vectorized)."""
    if not a or not b:
        return 0.0
    shorter = min(len(a.split()), len(b.split()))
    if shorter < 3:
        return fuzz.ratio(a, b) / 100.0
    return fuzz.token_set_ratio(a, b) / 100.0 * min(1.0, shorter / 6.0) + fuzz.token_sort_ratio(
        a, b
    ) / 100.0 * max(0.0, 1.0 - shorter / 6.0)


_WORDS = st.sampled_from(
    ["rain", "paris", "مطر", "باريس", "falls", "on", "the", "x", "٢٠٢١", "Rain"]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_WORDS, max_size=9).map(" ".join), min_size=1, max_size=8),
    st.data(),
)
def test_titles_fuzzy_gives_each_pair_its_own_score(titles: list[str], data: st.DataObject) -> None:
    pairs = data.draw(
        st.lists(st.tuples(*[st.integers(0, len(titles) - 1)] * 2), max_size=20), label="pairs"
    )
    a = np.array([i for i, _ in pairs], dtype=np.int64)
    b = np.array([j for _, j in pairs], dtype=np.int64)
    got = titles_fuzzy(titles, a, b)
    assert got.dtype == np.float64 and got.shape == a.shape
    assert got.tolist() == [_one_title_fuzzy(titles[i], titles[j]) for i, j in pairs]
