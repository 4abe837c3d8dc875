from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterer.errors import InputError
from clusterer.evaluate import load_gold, load_prediction, score_clustering


def test_perfect_clustering_scores_one() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    s = score_clustering(gold, {"a": "1", "b": "1", "c": "2"})
    assert (s.bcubed_f1, s.pair_f1, s.ari, s.nmi) == pytest.approx((1.0, 1.0, 1.0, 1.0))
    assert s.worst_merges == () and s.worst_splits == ()


def test_merge_and_split_are_listed() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "z", "e": "z"}
    pred = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "3"}
    s = score_clustering(gold, pred)
    assert s.bcubed_p < 1 and s.bcubed_r < 1
    assert s.pair_p == pytest.approx(1 / 3)
    assert s.worst_merges[0][0] == "1" and dict(s.worst_merges[0][1]) == {"x": 2, "y": 1}
    assert s.worst_splits[0][0] == "z"


def test_missing_predictions_count_as_singletons() -> None:
    s = score_clustering({"a": "x", "b": "x"}, {"a": "1"})
    assert s.missing == 1 and s.pair_r == 0.0


def test_matches_reference_scorer_formulas_on_known_case() -> None:
    # B-cubed by hand: cluster {a,b,c} with gold x,x,y; {d} gold y
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    pred = {"a": "1", "b": "1", "c": "1", "d": "2"}
    s = score_clustering(gold, pred)
    assert s.bcubed_p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert s.bcubed_r == pytest.approx((1 + 1 + 1 / 2 + 1 / 2) / 4)


def test_loaders_and_errors(tmp_path: Path) -> None:
    g = tmp_path / "gold.jsonl"
    g.write_text('{"id": "a", "label": "x"}\n\n{"id": "b", "label": "x"}\n', encoding="utf-8")
    p = tmp_path / "pred.json"
    p.write_text(json.dumps({"clusters": [{"id": "c1", "members": ["a", "b"]}]}), encoding="utf-8")
    assert load_gold(g) == {"a": "x", "b": "x"}
    assert load_prediction(p) == {"a": "c1", "b": "c1"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "label": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2: not a gold record"):
        load_gold(bad)
