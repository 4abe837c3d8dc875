"""Scale benchmark: whole commands on 100k / 300k / 1M article corpora (``make bench-scale``).

Each corpus comes from ``bench/make_corpus.py`` (built on first use into ``bench/corpora``). For
each size, in the same run and each in its own process under ``/usr/bin/time``:

- ``cluster dedup CORPUS -o FILE`` and ``cluster CORPUS --format json -o FILE`` (end to end:
  dedup, events, summaries; ``--no-summaries`` with ``--skip-summaries``);
- the datasketch and rensa dedup-only pipelines of ``bench/bench_dedup.py`` (read JSONL, word
  2-gram shingles, 128 permutations, threshold 0.5, rensa with 32 bands; write the kept records).

Printed per command: wall seconds, CPU seconds, time per document, peak resident memory, and how
the kept records match the planted copies (``copies dropped``: planted copies not kept, of all;
``others dropped``: articles that are no planted copy but were dropped although their group kept
nothing else, i.e. false merges). The load average is printed beside each run: on a busy machine
wall time is not CPU time. Results go to ``bench/results/scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_dedup import ROOT, timed
from make_corpus import ensure_corpus, parse_size, truth_path


def commands(corpus: Path, tmp: Path, skip_summaries: bool) -> dict[str, tuple[list[str], Path]]:
    """The commands to time, each with the file its kept records (or report) go to."""
    cluster = str(Path(sys.executable).with_name("cluster"))
    peer = [sys.executable, str(ROOT / "bench" / "bench_dedup.py"), "--peer"]
    end_to_end = [cluster, str(corpus), "--format", "json", "-q", "--profile"]
    if skip_summaries:
        end_to_end.append("--no-summaries")
    return {
        "cluster dedup": (
            [cluster, "dedup", str(corpus), "-o", str(tmp / "c.jsonl"), "-q", "--profile"],
            tmp / "c.jsonl",
        ),
        "datasketch": (
            [*peer, "datasketch", "-o", str(tmp / "d.jsonl"), str(corpus)],
            tmp / "d.jsonl",
        ),
        "rensa": ([*peer, "rensa", "-o", str(tmp / "r.jsonl"), str(corpus)], tmp / "r.jsonl"),
        "cluster (end to end)": ([*end_to_end, "-o", str(tmp / "e.json")], tmp / "e.json"),
    }


def _kept_ids(path: Path) -> set[str]:
    if path.suffix == ".json":  # the end-to-end report: documents that are no duplicate
        data = json.loads(path.read_text(encoding="utf-8"))
        return {d["id"] for d in data["documents"] if not d.get("duplicate_of")}
    with path.open(encoding="utf-8") as fh:
        return {json.loads(line)["id"] for line in fh if line.strip()}


def copy_scores(truth: Path, kept: set[str]) -> dict[str, Any]:
    """How the kept records match the planted copies (a copy group: an original and its copies)."""
    group: dict[str, str] = {}
    with truth.open(encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            group[t["id"]] = group.get(t["copy_of"], t["copy_of"]) if t["copy_of"] else t["id"]
    members: dict[str, list[str]] = {}
    for doc, root in group.items():
        members.setdefault(root, []).append(doc)
    copies = sum(len(m) - 1 for m in members.values())
    missed = sum(max(0, sum(d in kept for d in m) - 1) for m in members.values())
    lost = sum(1 for m in members.values() if not any(d in kept for d in m))
    return {
        "planted_copies": copies,
        "copies_dropped": round(1 - missed / copies, 4) if copies else None,
        "groups_lost": lost,
        "documents": len(group),
    }


def run_size(
    shared: Path, out: Path, n: int, skip: set[str], skip_summaries: bool
) -> list[dict[str, Any]]:
    corpus = ensure_corpus(shared, out, n)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (cmd, result) in commands(corpus, Path(tmp), skip_summaries).items():
            if name in skip:
                continue
            row = {"command": name, "docs": n, **timed(cmd)}
            row.update(copy_scores(truth_path(corpus), _kept_ids(result)))
            rows.append(row)
            _print_row(row)
    return rows


HEADER = (
    f"  {'command':<22}{'docs':>9}{'wall s':>9}{'cpu s':>9}{'ms/doc':>8}{'peak MB':>9}"
    f"{'copies dropped':>16}{'groups lost':>12}  load"
)


def _print_row(r: dict[str, Any]) -> None:
    print(
        f"  {r['command']:<22}{r['docs']:>9}{r['seconds']:>9.1f}{r['cpu_seconds']:>9.1f}"
        f"{1000 * r['seconds'] / r['docs']:>8.2f}{r['peak_mb']:>9.0f}"
        f"{r['copies_dropped']:>16.3f}{r['groups_lost']:>12}  {r['load_before']:.1f}->{r['load_after']:.1f}",
        flush=True,
    )
    for line in r["profile"]:
        print(f"    {line}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--corpora", type=Path, default=ROOT / "bench" / "corpora")
    ap.add_argument("--sizes", default="100k", help="comma-separated: 100k,300k,1m")
    ap.add_argument("--skip", default="", help="comma-separated command names to leave out")
    ap.add_argument("--no-summaries", action="store_true", help="end to end without summaries")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    results: dict[str, Any] = {}
    for size in args.sizes.split(","):
        n = parse_size(size)
        print(f"== {size}: {n} articles (nproc {os.cpu_count()})")
        print(HEADER)
        results[size] = run_size(args.shared, args.corpora, n, skip, args.no_summaries)
    path = ROOT / "bench" / "results" / "scale.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"results written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
