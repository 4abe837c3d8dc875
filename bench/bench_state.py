"""Incremental runs with a state database (issue 15): quality vs one run, and the speed of a batch.

1. The GVA sample fed day by day (by its ``date``) vs one run: B-cubed and pairwise F1 between the
   two clusterings, and the share of the first day's event ids still live at the end.
2. Speed: a state of ``--size`` documents, then a batch of ``--batch`` new ones (the time of the
   batch, with its ``--changed`` report), vs one full run on all ``size + batch`` documents. The
   corpus is the real articles of ../shared/eval (SaudiNewsNet, Hespress, GVA, BASIL), and beyond
   them articles made of paragraphs of three real ones of one collection (seeded), with fresh ids.

The state and the full run's time are built once and kept under ``--cache`` (a batch runs on a
copy), so the batch can be measured and profiled (``--profile out.prof``) again after a change.

    python bench/bench_state.py --shared ../shared [--size 100000 --batch 1000] [--skip-gva]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from state_feed import articles, daily, feed_and_compare  # noqa: E402

from clusterer import Config, run  # noqa: E402
from clusterer.incremental import load_report, update  # noqa: E402
from clusterer.state import State  # noqa: E402

SOURCES = (
    "saudinewsnet_ar_unlabeled.part1.jsonl",
    "saudinewsnet_ar_unlabeled.part2.jsonl",
    "saudinewsnet_ar_unlabeled.part3.jsonl",
    "hespress_ar_topics.jsonl",
    "gva_incidents_sample3k.jsonl",
    "basil_events.jsonl",
)


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def corpus(shared: Path, size: int, seed: int = 15) -> list[dict[str, Any]]:
    """Return ``size`` records: the real ones, then mixes of three real ones of one collection."""
    pools = [_read(shared / "eval" / name) for name in SOURCES if (shared / "eval" / name).exists()]
    real = [r for pool in pools for r in pool][:size]
    rng = random.Random(seed)
    out = [dict(r, date=r.get("date") or "2015-01-01") for r in real]
    while len(out) < size:
        pool = rng.choice(pools)
        parts = [rng.choice(pool) for _ in range(3)]
        paragraphs = [p for r in parts for p in r["text"].split("\n") if p.strip()]
        text = "\n".join(rng.sample(paragraphs, min(len(paragraphs), 8)))
        out.append(
            {
                "id": f"mix:{len(out)}",
                "title": parts[0].get("title"),
                "text": text,
                "date": parts[1].get("date") or "2015-01-01",
                "source": parts[2].get("source"),
            }
        )
    rng.shuffle(out)
    return out


def bench_gva(shared: Path, tmp: Path) -> dict[str, Any]:
    rows = _read(shared / "eval" / "gva_incidents_sample3k.jsonl")
    t0 = time.perf_counter()
    fed = feed_and_compare(daily(rows), tmp / "gva.db")
    return {
        "documents": len(rows),
        "batches (days)": fed.batches,
        "bcubed_f1 vs one run": round(fed.bcubed_f1, 4),
        "pair_f1 vs one run": round(fed.pair_f1, 4),
        "first-day event ids live at the end": round(fed.first_ids_surviving, 4),
        "seconds (one run + daily feed)": round(time.perf_counter() - t0, 1),
    }


def _cached_state(shared: Path, cache: Path, rows: list[dict[str, Any]], size: int) -> Path:
    """Return a state of the first ``size`` records, built once and kept under ``cache``."""
    db = cache / f"state-{size}.db"
    if not db.exists():
        t0 = time.perf_counter()
        with State(db.with_suffix(".tmp")) as state:
            update(state, articles(rows[:size]), Config())
            state.vacuum()
        db.with_suffix(".tmp").rename(db)
        (cache / f"state-{size}.json").write_text(
            json.dumps({"building the state (s)": round(time.perf_counter() - t0, 1)})
        )
    return db


def _cpu() -> float:
    """Return the CPU seconds of this process and its finished workers (the machine may be
    shared: wall time alone would measure the neighbours too)."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _full_run(rows: list[dict[str, Any]], cache: Path, key: str) -> dict[str, float]:
    """Return the wall and CPU seconds of one full run on ``rows`` (measured once per ``key``)."""
    path = cache / f"full-{key}.json"
    if path.exists():
        return {k: float(v) for k, v in json.loads(path.read_text()).items()}
    t0, c0 = time.perf_counter(), _cpu()
    run(articles(rows), Config())
    seconds = {"wall": time.perf_counter() - t0, "cpu": _cpu() - c0}
    path.write_text(json.dumps(seconds))
    return seconds


def bench_speed(
    shared: Path, tmp: Path, size: int, batch: int, cache: Path, profile: Path | None = None
) -> dict[str, Any]:
    rows = corpus(shared, size + batch)
    cache.mkdir(parents=True, exist_ok=True)
    full = _full_run(rows, cache, f"{size}+{batch}")
    db = _cached_state(shared, cache, rows, size)
    shutil.copy(db, tmp / "speed.db")
    prof = cProfile.Profile() if profile else None
    with State(tmp / "speed.db") as state:
        t0, c0 = time.perf_counter(), _cpu()
        if prof:
            prof.enable()
        result = update(state, articles(rows[size:]), Config())
        load_report(state, result.touched, result)
        if prof:
            prof.disable()
        step, cpu = time.perf_counter() - t0, _cpu() - c0
    if prof and profile:
        prof.dump_stats(profile)
    built = json.loads((cache / f"state-{size}.json").read_text())
    return {
        "state documents": size,
        "batch documents": batch,
        "full run on all (s wall, CPU)": [round(full["wall"], 1), round(full["cpu"], 1)],
        **built,
        "batch onto the state, with its --changed report (s wall, CPU)": [
            round(step, 1),
            round(cpu, 1),
        ],
        "batch / full run (wall)": round(step / full["wall"], 3),
        "batch / full run (CPU)": round(cpu / full["cpu"], 3),
        "batch stage timings (s)": {k: round(v, 2) for k, v in result.timings.items()},
        "events touched by the batch": len(result.touched),
        "state file (MB)": round(db.stat().st_size / 1e6, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=1_000)
    ap.add_argument("--skip-gva", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "cluster-bench-state",
        help="where the state and the full run's time are kept between runs (delete to rebuild)",
    )
    ap.add_argument("--profile", type=Path, help="write a cProfile of the batch to this file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_gva:
            print(json.dumps({"gva day by day": bench_gva(args.shared, Path(tmp))}, indent=1))
        if not args.skip_speed:
            speed = bench_speed(
                args.shared, Path(tmp), args.size, args.batch, args.cache, args.profile
            )
            print(json.dumps({"speed": speed}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
