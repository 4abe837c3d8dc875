"""Quality on real labeled data (../shared/eval), with default settings.

Thresholds sit a small margin under what the defaults measure today (see `make bench-quality`), so a
change that costs quality fails here. They are not fitted per set: every set runs with `Config()`.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import EVAL, need, read_jsonl

from clusterer import Config
from clusterer.constraints import Constraints
from clusterer.evaluate import score_clustering
from clusterer.ingest import read_paths
from clusterer.pipeline import run
from clusterer.records import Article

pytestmark = pytest.mark.quality


def _score(path: Path, cfg: Config | None = None):  # type: ignore[no-untyped-def]
    gold = {str(r["id"]): str(r["label"]) for r in read_jsonl(path)}
    report = run(read_paths([path]), cfg or Config(summaries=False))
    return score_clustering(gold, {m: c.id for c in report.clusters for m in c.members})


def test_basil_through_the_command_and_the_reference_scorer(tmp_path: Path) -> None:
    data = need(EVAL / "basil_events.jsonl")
    out = tmp_path / "out.json"
    exe = Path(sys.executable).parent / "cluster"
    with out.open("w", encoding="utf-8") as fh:
        subprocess.run(
            [str(exe), str(data), "--format", "json", "-q"], stdout=fh, check=True, timeout=600
        )
    res = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(data), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(res.stdout)
    assert scores["missing"] == 0
    assert (
        scores["bcubed_f1"] >= 0.975
    )  # measured 0.993; issue target 0.97 (naive TF-IDF baseline: 0.935)


def test_gva_same_kind_events_in_the_same_cities() -> None:
    s = _score(need(EVAL / "gva_incidents_sample3k.jsonl"))
    assert s.pair_f1 >= 0.81  # measured 0.822; issue target 0.82; naive baseline 0.68
    assert s.bcubed_f1 >= 0.92  # measured 0.931


def test_arabic_raw_pages_with_site_menus() -> None:
    s = _score(need(EVAL / "ar_claims_dev.jsonl"))
    # measured 0.879 (0.877 without the IDF prior); issue target 0.88; naive baseline 0.77
    assert s.bcubed_f1 >= 0.865


def test_english_same_kind_events_half_undated() -> None:
    s = _score(need(EVAL / "ecbplus_dev.jsonl"))
    # measured 0.902; issue target 0.90; naive TF-IDF baseline 0.873 at its best threshold
    assert s.bcubed_f1 >= 0.89


def test_small_inputs_one_story_at_a_time() -> None:
    # Multi-News dev fed one gold cluster (2-10 articles on one story) at a time: a small corpus
    # must not discount the words its articles share (the IDF prior, Config.idf_prior)
    path = need(EVAL / "multinews_dev_clusters.jsonl")
    gold = {str(r["id"]): str(r["label"]) for r in read_jsonl(path)}
    groups: dict[str, list[Article]] = defaultdict(list)
    for item in read_paths([path]):
        assert isinstance(item, Article)
        groups[gold[item.id]].append(item)
    b3, whole = [], 0
    for articles in groups.values():
        pred = {m: c.id for c in run(articles, Config(summaries=False)).clusters for m in c.members}
        b3.append(score_clustering({d: gold[d] for d in pred}, pred).bcubed_f1)
        whole += len(set(pred.values())) == 1
    assert len(b3) == 250
    assert sum(b3) / len(b3) >= 0.77  # measured 0.791 (0.612 without the prior)
    assert whole >= 100  # measured 111 of 250 (13 without the prior)


def test_gva_corrections_are_honoured_and_raise_pair_f1() -> None:
    path = need(EVAL / "gva_incidents_sample3k.jsonl")
    gold = {str(r["id"]): str(r["label"]) for r in read_jsonl(path)}
    rnd = random.Random(13)
    by_label: dict[str, list[str]] = {}
    for doc_id, label in sorted(gold.items()):
        by_label.setdefault(label, []).append(doc_id)
    multi = sorted(lab for lab, ids in by_label.items() if len(ids) > 1)
    must = [tuple(rnd.sample(by_label[lab], 2)) for lab in rnd.sample(multi, 50)]
    ids = sorted(gold)
    cannot: list[tuple[str, str]] = []
    while len(cannot) < 50:
        a, b = rnd.sample(ids, 2)
        if gold[a] != gold[b]:
            cannot.append((a, b))
    constraints = Constraints(tuple(must), tuple(cannot))  # type: ignore[arg-type]
    cfg = Config(summaries=False)
    before = _score(path, cfg)
    report = run(read_paths([path]), cfg, constraints=constraints)
    cluster_of = {m: c for c in report.clusters for m in c.members}
    assert all(cluster_of[a].id == cluster_of[b].id for a, b in must)
    assert all(cluster_of[a].id != cluster_of[b].id for a, b in cannot)
    assert all(cluster_of[a].story != cluster_of[b].story for a, b in cannot)
    after = score_clustering(gold, {m: c.id for m, c in cluster_of.items()})
    assert after.pair_f1 > before.pair_f1
