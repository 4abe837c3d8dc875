"""bench-dask: end-to-end throughput of the Dask engine, 1 worker vs 2 workers (LocalCluster).

The corpus is the generated one from ``bench/make_corpus.py`` when given (``--corpus``), otherwise
one built here from the articles of ../shared/eval (English and Arabic, distinct ids), written as
several JSONL files so that reading is partitioned too. Each run starts its own LocalCluster of
single-threaded worker processes (start-up not counted), runs the whole pipeline and checks that
both runs give the same JSON. Printed per run: the time, tasks, bytes the workers sent and
(for the serial sections) what does not shrink with more workers, then a projection.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dask.distributed import Client, LocalCluster

from clusterer import Config
from clusterer.engine_dask import RunStats, local_cluster, run_dask
from clusterer.render import report_to_dict

SOURCES = (  # English first, then Arabic; GVA and BASIL are the ones the tests use
    "gva_incidents_sample3k.jsonl",
    "basil_events.jsonl",
    "ecbplus_dev.jsonl",
    "multinews_dev_clusters.jsonl",
    "hespress_ar_topics.jsonl",
    "saudinewsnet_ar_unlabeled.part1.jsonl",
    "saudinewsnet_ar_unlabeled.part2.jsonl",
)
FILES = 8
# one task each: the part that more workers do not shorten
SERIAL = ("copies", "dedup", "blocks", "stories")


def build_corpus(shared: Path, docs: int, out: Path) -> list[str]:
    """Write up to ``docs`` articles of ../shared/eval with text as ``FILES`` JSONL files."""
    lines: list[str] = []
    for name in SOURCES:
        path = shared / "eval" / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(lines) < docs and json.loads(line).get("text"):
                lines.append(line)
    paths = []
    for k in range(FILES):
        path = out / f"part{k:02d}.jsonl"
        path.write_text("\n".join(lines[k::FILES]) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def one_run(paths: list[str], workers: int, cfg: Config) -> tuple[float, str, RunStats, int]:
    with (
        LocalCluster(**local_cluster(workers)) as cluster,
        Client(cluster) as client,
    ):
        t0 = time.perf_counter()
        report, stats = run_dask(paths, cfg, client)
        elapsed = time.perf_counter() - t0
    data = report_to_dict(report)
    data.pop("tool")
    return elapsed, json.dumps(data, sort_keys=True), stats, len(report.docs)


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def print_run(workers: int, elapsed: float, stats: RunStats, docs: int) -> None:
    print(f"\n{workers} worker(s): {elapsed:.1f} s, {docs / elapsed:.1f} documents/s")
    print(f"  {'stage':<26}{'time':>9}{'tasks':>8}{'sent by workers':>18}")
    for stage, seconds in stats.timings.items():
        print(
            f"  {stage:<26}{seconds:>8.2f}s{stats.tasks.get(stage, 0):>8}"
            f"{_mib(stats.moved.get(stage, 0)):>18}"
        )
    print(f"  client received {_mib(stats.gathered)}")
    print(f"  largest block: {stats.largest_block} of {stats.kept} kept documents")


def projection(stats: RunStats, elapsed_1: float) -> None:
    """Amdahl from the 1-worker run: serial stages stay, the others divide by the workers."""
    serial = sum(stats.timings.get(s, 0.0) for s in SERIAL)
    parallel = elapsed_1 - serial
    print(f"\nprojection (1-worker run: serial {serial:.1f} s, parallel {parallel:.1f} s):")
    for w in (2, 10, 100):
        t = serial + parallel / w
        print(f"  {w:>3} workers: ~{t:.1f} s, speed-up ~{elapsed_1 / t:.1f}x (at most)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument(
        "--corpus", nargs="*", help="JSONL files of a generated corpus (default: build)"
    )
    ap.add_argument("--docs", type=int, default=6000, help="size of the corpus built here")
    ap.add_argument("--target", type=float, default=1.4)
    args = ap.parse_args(argv)
    cfg = Config()
    with tempfile.TemporaryDirectory() as tmp:
        paths = args.corpus or build_corpus(args.shared, args.docs, Path(tmp))
        results: dict[int, tuple[float, str, RunStats, int]] = {}
        for workers in (2, 1):  # the larger cluster first: it fails first, if either does
            results[workers] = one_run(paths, workers, cfg)
            print_run(workers, results[workers][0], results[workers][2], results[workers][3])
    same = results[1][1] == results[2][1]
    speedup = results[1][0] / results[2][0]
    projection(results[1][2], results[1][0])
    print(f"\nsame JSON from 1 and 2 workers: {same}")
    print(f"2 workers vs 1: {speedup:.2f}x end to end (target >= {args.target}x)")
    ok: Any = same and speedup >= args.target
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
