"""Clustering quality on labeled data: this project (default settings) beside a naive baseline.

The baseline is plain TF-IDF (words, sublinear tf, max_df 0.5) with cosine average linkage, its
threshold chosen on the answers (the best of a grid), computed in the same run.

    python bench/bench_quality.py --shared ../shared
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clusterer import Config  # noqa: E402
from clusterer.evaluate import score_clustering  # noqa: E402
from clusterer.ingest import read_paths  # noqa: E402
from clusterer.pipeline import run  # noqa: E402

SETS = [
    # (name, path under shared/, metric, target, baseline quoted in the issue)
    ("seeds", "seeds", "exact", None, None),
    ("basil", "eval/basil_events.jsonl", "bcubed_f1", 0.97, 0.935),
    ("gva", "eval/gva_incidents_sample3k.jsonl", "pair_f1", 0.80, 0.696),
    ("ar_claims", "eval/ar_claims_dev.jsonl", "bcubed_f1", 0.85, 0.778),
]


def load_gold(path: Path) -> tuple[dict[str, str], list[str]]:
    gold: dict[str, str] = {}
    texts: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            gold[str(rec["id"])] = str(rec["label"])
            texts.append(f"{rec.get('title') or ''}\n{rec['text']}")
    return gold, texts


def baseline(gold: dict[str, str], texts: list[str], metric: str) -> tuple[float, float]:
    x = TfidfVectorizer(sublinear_tf=True, max_df=0.5).fit_transform(texts)
    sim = (x @ x.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method="average")
    ids = list(gold)
    best = (0.0, 0.0)
    for th in np.arange(0.05, 0.61, 0.05):
        labels = fcluster(z, t=1.0 - th, criterion="distance")
        pred = {d: str(lab) for d, lab in zip(ids, labels, strict=True)}
        value = getattr(score_clustering(gold, pred), metric)
        best = max(best, (value, float(th)))
    return best


def ours(path: Path, gold: dict[str, str], cfg: Config) -> tuple[object, float, list[list[str]]]:
    t0 = time.perf_counter()
    report = run(read_paths([path]), cfg)
    elapsed = time.perf_counter() - t0
    pred = {m: c.id for c in report.clusters for m in c.members}
    groups = sorted(sorted(c.members) for c in report.clusters)
    return score_clustering(gold, pred), elapsed, groups


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--only", nargs="*", default=None, help="names of sets to run")
    args = ap.parse_args()
    cfg = Config()
    rows = []
    for name, rel, metric, target, quoted in SETS:
        if args.only and name not in args.only:
            continue
        path = args.shared / rel
        if not path.exists():
            print(f"{name}: {path} missing, skipped", file=sys.stderr)
            continue
        if name == "seeds":
            gold = {
                json.loads(x)["id"]: json.loads(x)["label"]
                for x in (args.shared / "seeds.gold.jsonl").read_text(encoding="utf-8").splitlines()
                if x.strip()
            }
            scores, elapsed, groups = ours(path, gold, cfg)
            want = sorted(sorted(d for d in gold if gold[d] == lab) for lab in set(gold.values()))
            ok = groups == want
            rows.append(
                (
                    name,
                    len(gold),
                    "exact grouping",
                    "-",
                    "yes" if ok else f"no: {groups}",
                    "exact",
                    elapsed,
                    "PASS" if ok else "FAIL",
                )
            )
            continue
        gold, texts = load_gold(path)
        base_value, base_th = baseline(gold, texts, metric)
        scores, elapsed, _ = ours(path, gold, cfg)
        value = getattr(scores, metric)
        rows.append(
            (
                name,
                len(gold),
                metric,
                f"{base_value:.3f} @ {base_th:.2f} (issue: {quoted})",
                f"{value:.3f} (B3 {scores.bcubed_f1:.3f}, pair {scores.pair_f1:.3f}, ARI {scores.ari:.3f})",
                f">= {target}",
                elapsed,
                "PASS" if value >= target else "FAIL",
            )
        )
    print(f"settings: threshold {cfg.threshold} (defaults, no tuning per set)")
    header = (
        "data",
        "docs",
        "metric",
        "baseline (best thr on answers)",
        "cluster (defaults)",
        "target",
        "seconds",
        "",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in rows:
        print(" | ".join([r[0], str(r[1]), r[2], r[3], r[4], r[5], f"{r[6]:.1f}", r[7]]))


if __name__ == "__main__":
    main()
