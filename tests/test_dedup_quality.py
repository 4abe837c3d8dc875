"""A small edit benchmark on real Arabic articles: known copies, known negatives.

See bench/bench_dedup.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAUDI = SHARED / "eval" / "saudinewsnet_ar_unlabeled.part1.jsonl"

pytestmark = [
    pytest.mark.quality,
    pytest.mark.skipif(not SAUDI.is_file(), reason="../shared/eval is absent"),
]


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_dedup", ROOT / "bench" / "bench_dedup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_dedup", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quality():
    bench = _bench_module()
    records = bench.load_saudi(SHARED, limit=6000)
    edit = bench.build_edit_benchmark(records, 150, seed=11)
    return bench.evaluate(edit)


def test_duplicates_precision_and_recall(quality):
    assert quality.dup_precision >= 0.98
    assert quality.dup_recall >= 0.94


def test_each_duplicate_kind_is_found(quality):
    for kind in ("exact", "near_duplicate", "contained"):
        assert quality.per_kind[kind]["copies"] >= 20
        assert quality.per_kind[kind]["recall"] >= 0.93, kind
    assert quality.per_kind["exact"]["kind_match"] >= 0.9


def test_syndicated_copies_are_related_not_duplicates(quality):
    assert quality.per_kind["syndicated"]["recall"] >= 0.85


def test_no_hard_negative_is_a_duplicate(quality):
    assert quality.hard_negatives >= 5
    assert quality.hard_negative_dups == 0


def test_copies_inside_small_outlets_stay_duplicates_and_menus_go():
    bench = _bench_module()
    small = bench.build_small_outlets(bench.load_saudi(SHARED, 6000), 150)
    m = bench.evaluate_small_outlets(small, bench.Config())
    assert m["copies"] == 100
    assert m["copy_recall"] == 1.0
    assert m["false_merges"] == 0
    assert m["menu_stripped"] == 1.0
