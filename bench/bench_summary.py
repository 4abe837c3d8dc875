"""Benchmark merged, source-attributed summaries on BASIL (100 events x 3 outlets) and the seeds.

Clusters are built by hand from the gold labels, so the numbers measure the summary stage alone.
Attribution is checked independently of the aligner: a citation of document D by a statement is
correct when D's evidence sentence occurs verbatim in D's body and covers at least
``--containment`` of the statement's character 5-grams (after a light folding that shares no code
with ``clusterer.normalize``).

    .venv/bin/python bench/bench_summary.py --shared ../shared
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from clusterer.config import Config
from clusterer.normalize import normalize_article
from clusterer.records import Article, Cluster, ClusterSummary, Doc
from clusterer.summarize import summarize_cluster

CONTAINMENT = 0.3
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Casefold, drop Arabic diacritics and punctuation, collapse spaces (checker only)."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text).casefold())
    return _NON_WORD.sub(" ", text).strip()


def grams(text: str, n: int = 5) -> set[str]:
    """Return the character n-grams of the folded text."""
    t = fold(text)
    return {t[i : i + n] for i in range(max(0, len(t) - n + 1))}


def containment(statement: str, evidence: str) -> float:
    """Return the share of the statement's character 5-grams found in the evidence sentence."""
    g = grams(statement)
    return len(g & grams(evidence)) / len(g) if g else 0.0


def check_citations(
    summary: ClusterSummary, docs: dict[str, Doc], threshold: float = CONTAINMENT
) -> tuple[list[bool], list[bool]]:
    """Return (all citations, citations of a document other than the statement's own) as ok flags."""
    every: list[bool] = []
    aligned: list[bool] = []
    statements = list(summary.statements) + [s for _, group in summary.unique for s in group]
    for st in statements:
        for ev in st.evidence:
            body = re.sub(r"\s+", "", docs[ev.doc].body)
            verbatim = re.sub(r"\s+", "", ev.sentence) in body
            ok = verbatim and containment(st.text, ev.sentence) >= threshold
            every.append(ok)
            if ev.sentence != st.text:
                aligned.append(ok)
    return every, aligned


def load_basil(shared: Path, cfg: Config) -> tuple[list[Cluster], dict[str, Doc]]:
    """Build one gold cluster per BASIL event (ids in file order)."""
    groups: dict[str, list[str]] = defaultdict(list)
    docs: dict[str, Doc] = {}
    with (shared / "eval" / "basil_events.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            article = Article(
                id=r["id"],
                text=r["text"],
                origin=f"basil:{r['id']}",
                title=r.get("title"),
                source=r.get("source"),
                date=r.get("date"),
                url=r.get("url"),
                lang=r.get("lang"),
                format="jsonl",
            )
            docs[r["id"]] = normalize_article(article, cfg)
            groups[r["label"]].append(r["id"])
    clusters = [
        Cluster(label, tuple(sorted(ids)), tuple(ids), 1.0) for label, ids in groups.items()
    ]
    return clusters, docs


def load_seeds(shared: Path, cfg: Config) -> tuple[list[Cluster], dict[str, Doc]]:
    """Build the seeds' gold clusters from seeds.gold.jsonl."""
    groups: dict[str, list[str]] = defaultdict(list)
    docs: dict[str, Doc] = {}
    for line in (shared / "seeds.gold.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        path = shared / "seeds" / r["id"]
        docs[r["id"]] = normalize_article(
            Article(r["id"], path.read_text(encoding="utf-8"), str(path)), cfg
        )
        groups[r["label"]].append(r["id"])
    clusters = [
        Cluster(label, tuple(sorted(ids)), tuple(ids), 1.0) for label, ids in groups.items()
    ]
    return clusters, docs


def measure(
    name: str, clusters: list[Cluster], docs: dict[str, Doc], cfg: Config
) -> list[ClusterSummary]:
    """Summarize every cluster and print the figures."""
    summaries: list[ClusterSummary] = []
    times: list[float] = []
    every: list[bool] = []
    aligned: list[bool] = []
    for cluster in clusters:
        start = time.perf_counter()
        summary = summarize_cluster(cluster, docs, cfg)
        times.append(time.perf_counter() - start)
        summaries.append(summary)
        e, a = check_citations(summary, docs)
        every += e
        aligned += a
    counts = [len(s.statements) for s in summaries]
    statements = [st for s in summaries for st in s.statements]
    consensus = [st for st in statements if st.support >= 2]
    conflicts = sum(len(s.conflicts) for s in summaries)
    unique = sum(len(g) for s in summaries for _, g in s.unique)
    print(f"== {name}: {len(clusters)} clusters, {len(docs)} documents")
    print(
        f"  statements per cluster      {statistics.mean(counts):.2f} (budget {cfg.summary_sentences})"
    )
    print(f"  share with support >= 2     {len(consensus) / max(1, len(statements)):.3f}")
    print(
        f"  mean support                {statistics.mean(st.support for st in statements):.2f} outlets"
        f" (statements citing every outlet of their cluster:"
        f" {sum(st.support == len(s.outlets) > 1 for s in summaries for st in s.statements)})"
    )
    print(
        f"  consensus per cluster       {len(consensus) / len(clusters):.2f}"
        f"  (clusters with >= 1: {sum(any(st.support >= 2 for st in s.statements) for s in summaries)})"
    )
    print(f"  unique statements (all)     {unique}   conflicts {conflicts}")
    print(
        f"  attribution precision       {sum(every) / max(1, len(every)):.3f} of {len(every)} citations;"
        f" {sum(aligned) / max(1, len(aligned)):.3f} of {len(aligned)} cross-document citations"
        f" (containment >= {CONTAINMENT})"
    )
    for stricter in (0.4, 0.5):
        flags = [f for s in summaries for f in check_citations(s, docs, stricter)[1]]
        print(
            f"    at containment >= {stricter}:   {sum(flags) / max(1, len(flags)):.3f} of cross-document citations"
        )
    print(
        f"  time per cluster            {statistics.mean(times) * 1000:.1f} ms"
        f" (max {max(times) * 1000:.1f} ms)"
    )
    return summaries


def sample_corpus(folder: Path, cfg: Config) -> None:
    """Run the whole pipeline on the project's sample corpus and print, per cluster, consensus and conflicts."""
    from clusterer.ingest import read_paths
    from clusterer.pipeline import run

    report = run(read_paths([folder]), cfg)
    print(f"== sample corpus {folder}: {len(report.clusters)} clusters")
    for cluster in report.clusters:
        summary = report.summaries[cluster.id]
        n_outlets = len(summary.outlets)
        consensus = sum(st.support >= 2 for st in summary.statements)
        everyone = sum(st.support == n_outlets > 1 for st in summary.statements)
        conflicts = "; ".join(
            " vs ".join(f"{value} ({', '.join(outlets)})" for value, _, outlets in c.versions)
            for c in summary.conflicts
        )
        print(
            f"  {summary.headline[:60]:60}  outlets {n_outlets}  consensus {consensus}/{len(summary.statements)}"
            f"  all outlets {everyone}  conflicts: {conflicts or '-'}"
        )


def gva_timing(shared: Path, cfg: Config) -> None:
    """Cluster GVA's 3,000 articles, then time the summary of every predicted cluster (singletons apart)."""
    from clusterer.ingest import read_paths
    from clusterer.pipeline import run

    report = run(
        read_paths([shared / "eval" / "gva_incidents_sample3k.jsonl"]), cfg.replace(summaries=False)
    )
    docs = {d.id: d for d in report.docs}
    single: list[float] = []
    multi: list[float] = []
    for cluster in report.clusters:
        start = time.perf_counter()
        summarize_cluster(cluster, docs, cfg)
        (single if len(cluster.kept) == 1 else multi).append(time.perf_counter() - start)
    total = sum(single) + sum(multi)
    print(
        f"== GVA summaries: {len(report.clusters)} clusters ({len(multi)} with several documents)"
    )
    print(
        f"  time per cluster            {total / len(report.clusters) * 1000:.1f} ms"
        f" (singletons {statistics.mean(single) * 1000:.2f} ms, others {statistics.mean(multi) * 1000:.1f} ms);"
        f" total {total:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--shared", type=Path, default=Path("../shared"), help="the shared data folder"
    )
    parser.add_argument(
        "--sentences", type=int, default=Config().summary_sentences, help="summary budget"
    )
    parser.add_argument(
        "--example", action="store_true", help="print the seeds' first summary as JSON"
    )
    parser.add_argument(
        "--sample",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "examples" / "newsroom",
        help="the sample corpus to summarize end to end",
    )
    parser.add_argument(
        "--gva", action="store_true", help="also time summaries of GVA's predicted clusters (~40 s)"
    )
    args = parser.parse_args(argv)
    if not (args.shared / "eval" / "basil_events.jsonl").exists():
        print(f"{args.shared}/eval/basil_events.jsonl not found; pass --shared", file=sys.stderr)
        return 2
    cfg = Config(summary_sentences=args.sentences)
    start = time.perf_counter()
    clusters, docs = load_basil(args.shared, cfg)
    print(f"(BASIL normalized in {time.perf_counter() - start:.1f} s)")
    measure("BASIL", clusters, docs, cfg)
    seed_clusters, seed_docs = load_seeds(args.shared, cfg)
    summaries = measure("seeds", seed_clusters, seed_docs, cfg)
    if args.sample.exists():
        sample_corpus(args.sample, cfg)
    if args.gva:
        gva_timing(args.shared, cfg)
    if args.example:
        print(json.dumps(asdict(summaries[0]), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
