"""A batch is clustered with the latest members of each stored event only (EVENT_DOCS): the
members it does not see stay in their event, or follow it when it merges."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES

from clusterer import Article, Config, incremental
from clusterer.incremental import _with_rest, load_report, update
from clusterer.records import Cluster
from clusterer.state import State, StoredDoc

FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_file())


def _article(name: str) -> Article:
    return Article(name, (EXAMPLES / name).read_text(encoding="utf-8"), name)


def test_members_not_clustered_stay_with_their_event_or_follow_its_merge() -> None:
    clusters = [
        Cluster("old", ("a", "n"), ("a", "n"), 0.5, "s"),
        Cluster("c-x", ("z",), ("z",), 1.0, "s"),
    ]
    rest = [
        StoredDoc(1, "b", "old", None),
        StoredDoc(2, "b2", "old", "b"),
        StoredDoc(3, "y", "young", None),
    ]
    out = _with_rest(clusters, {"young": "old"}, rest)
    assert out[0].members == ("a", "b", "b2", "n", "y") and out[0].kept == ("a", "b", "n", "y")
    assert out[1] is clusters[1]


def _feed(db: Path, batches: list[list[str]]) -> dict[str, tuple[str, ...]]:
    with State(db) as state:
        for names in batches:
            update(state, [_article(n) for n in names], Config(), jobs=1)
        live = set(state.events())
        assert set(state.event_of(FILES).values()) <= live  # no document left in a merged event
        return {c.id: c.members for c in load_report(state, jobs=1).clusters}


def test_a_batch_that_sees_one_member_per_event_keeps_every_member_and_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = [FILES[:6], FILES[6:10], FILES[10:]]
    whole = _feed(tmp_path / "whole.db", batches)
    monkeypatch.setattr(incremental, "EVENT_DOCS", 1)
    first = _feed(tmp_path / "bounded.db", batches[:1])
    bounded = _feed(tmp_path / "bounded.db", batches[1:])
    assert sorted(m for ms in bounded.values() for m in ms) == sorted(FILES)
    assert all(set(members) <= set(bounded[e]) for e, members in first.items())
    assert sorted(bounded.values()) == sorted(whole.values())
