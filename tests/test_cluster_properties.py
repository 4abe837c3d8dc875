"""Properties of the clustering stage on generated corpora (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer import Config
from clusterer.cluster import cluster_docs
from clusterer.normalize import normalize_article
from clusterer.records import Article
from clusterer.vectorize import build_vectors

WORDS = [
    "port",
    "strike",
    "union",
    "ships",
    "bridge",
    "river",
    "governor",
    "heat",
    "power",
    "outage",
    "council",
    "solar",
    "farm",
    "marathon",
    "runners",
    "record",
    "Karsby",
    "Mosul",
    "Basra",
    "Westmere",
    "الجسر",
    "الموصل",
    "الكهرباء",
    "البصرة",
    "الحرارة",
    "المحافظ",
]

corpora = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=4, max_size=30).map(" ".join),
    min_size=1,
    max_size=12,
)


def _docs(texts: list[str]):  # type: ignore[no-untyped-def]
    cfg = Config()
    return [
        normalize_article(
            Article(id=f"d{i:02d}", text=f"Headline {i}\n\n{t}.", origin=f"d{i}"), cfg
        )
        for i, t in enumerate(texts)
    ]


def _clusters(docs, threshold: float = 0.12):  # type: ignore[no-untyped-def]
    cfg = Config(threshold=threshold)
    clusters, stories = cluster_docs(build_vectors(docs, cfg), docs, cfg)
    return clusters, stories


@settings(max_examples=40, deadline=None)
@given(corpora)
def test_clusters_partition_the_documents(texts: list[str]) -> None:
    docs = _docs(texts)
    clusters, stories = _clusters(docs)
    members = [m for c in clusters for m in c.members]
    assert sorted(members) == sorted(d.id for d in docs)
    assert sorted(c for s in stories for c in s.clusters) == sorted(c.id for c in clusters)
    assert len({c.id for c in clusters}) == len(clusters)


@settings(max_examples=30, deadline=None)
@given(corpora, st.randoms(use_true_random=False))
def test_input_order_changes_neither_membership_nor_ids(
    texts: list[str], rnd: random.Random
) -> None:
    docs = _docs(texts)
    shuffled = docs[:]
    rnd.shuffle(shuffled)
    a = {c.id: c.members for c in _clusters(docs)[0]}
    b = {c.id: c.members for c in _clusters(shuffled)[0]}
    assert a == b


@settings(max_examples=30, deadline=None)
@given(corpora)
def test_raising_the_threshold_never_reduces_the_number_of_clusters(texts: list[str]) -> None:
    docs = _docs(texts)
    counts = [len(_clusters(docs, th)[0]) for th in (0.05, 0.12, 0.3, 0.6)]
    assert counts == sorted(counts)
