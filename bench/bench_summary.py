"""Benchmark merged, source-attributed summaries: content, attribution, clean text and cost.

    .venv/bin/python bench/bench_summary.py --shared ../shared [--json out.json] [--saudi]

Sections (targets from the issue "Summaries a newsroom can trust"; FAIL rows never change the exit code,
only a crash does):

1. Gold clusters (BASIL events, seeds): the summary stage alone on hand-built clusters, as before.
2. ROUGE on Multi-News dev (250 clusters, 690 articles, human summaries): each gold cluster's articles
   (id and text only, no label) go through ``clusterer.run`` with ``summary_sentences=15``; the
   predicted cluster holding most of them (ties: more summary words) gives the text: its ``lead``
   (when the output has one) then its statements in order, cut at 300 words. Baselines on the same
   articles, also cut at 300 words: lead (first sentences of the first article), sumy LexRank and
   TextRank (40 sentences, in document order). ROUGE-1/2 F1 (``rouge-score``, stemmed), mean x100.
   Target: LexRank + 1.0 on both.
   sumy's own ``Tokenizer`` needs nltk's punkt data, which cannot be downloaded here (only package
   registries are reachable), so sumy's ``PlaintextParser`` is given :class:`SimpleTokenizer`
   (regex sentence split with an abbreviation list, regex words); the lead baseline uses it too.
3. Attribution (``summary_checks``, independent of the summarizer): seeds, examples/newsroom,
   BASIL, ar_claims_dev through the normal pipeline (defaults, the clusters it finds); every
   citation checked against the ORIGINAL input text. Targets: >= 0.98 hold; quote citations 1.000.
4. Clean text on ar_claims_dev: furniture lines in headline, lead, statements, quotes, unique facts.
   Target 0.
5. Cost: the summarize stage's share of the pipeline's stage timings on BASIL and ar_claims_dev;
   ``--saudi`` runs the ``cluster`` command on SaudiNewsNet (30,676 articles, minutes) in a
   subprocess and reports summarize / total. Target <= 0.5.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer
from summary_checks import (
    CONTAINMENT,
    Citation,
    attribution_figures,
    check_report,
    find_furniture,
    supports,
)
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from clusterer import Article, Config, Report, report_to_dict, run
from clusterer.ingest import read_paths
from clusterer.normalize import normalize_article
from clusterer.records import Cluster, Doc
from clusterer.render import cluster_to_dict
from clusterer.summarize import summarize_cluster

ROOT = Path(__file__).resolve().parents[1]
WORDS = 300  # ROUGE summaries are cut at this many words
ROUGE_SENTENCES = 15  # the cluster summary budget for the ROUGE run
SUMY_SENTENCES = 40  # generous: the 300-word cut decides
TARGET_MARGIN = 1.0  # ROUGE points over LexRank
TARGET_HOLDING = 0.98
TARGET_COST = 0.5
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.$"
)
_SENT_END = re.compile(r"(?<=[.!?؟])[\"'”’)]*(?=\s)")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def section(title: str) -> None:
    """Print a section title."""
    print(f"\n== {title}")


def verdict(ok: bool) -> str:
    """Return PASS or FAIL."""
    return "PASS" if ok else "FAIL"


# ---------------------------------------------------------------- 1. gold clusters (summary stage)


def original_jsonl(path: Path) -> dict[str, str]:
    """Return each record's original text (title line, then text) by id, read from the input file."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                out[str(r["id"])] = f"{r.get('title') or ''}\n{r.get('text') or ''}"
    return out


def original_folder(folder: Path) -> dict[str, str]:
    """Return each file's original text by its path relative to the folder (the tool's document id)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8", errors="replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


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


def cross_document(citations: list[Citation], threshold: float) -> list[bool]:
    """Return, for citations whose evidence is not the statement itself, whether they hold."""
    return [
        c.occurs and supports(c.statement, c.evidence, threshold) and c.quotes_ok is not False
        for c in citations
        if c.evidence != c.statement
    ]


def measure(
    name: str,
    clusters: list[Cluster],
    docs: dict[str, Doc],
    texts: dict[str, str],
    cfg: Config,
) -> dict[str, Any]:
    """Summarize every gold cluster, check it against the original texts, print and return the figures."""
    summaries: list[dict[str, Any]] = []
    times: list[float] = []
    for cluster in clusters:
        start = time.perf_counter()
        summary = summarize_cluster(cluster, docs, cfg)
        times.append(time.perf_counter() - start)
        summaries.append(cluster_to_dict(cluster, summary))
    citations = check_report({"clusters": summaries}, texts)
    statements = [st for s in summaries for st in s["summary"]]
    consensus = [st for st in statements if st["support"] >= 2]
    everyone = sum(st["support"] == len(s["outlets"]) > 1 for s in summaries for st in s["summary"])
    figures = {
        "clusters": len(clusters),
        "documents": len(docs),
        "statements_per_cluster": statistics.mean(len(s["summary"]) for s in summaries),
        "share_support_2": len(consensus) / max(1, len(statements)),
        "mean_support": statistics.mean(st["support"] for st in statements),
        "consensus_per_cluster": len(consensus) / len(clusters),
        "unique": sum(len(g["statements"]) for s in summaries for g in s["unique"]),
        "conflicts": sum(len(s["conflicts"]) for s in summaries),
        "ms_per_cluster": statistics.mean(times) * 1000,
        "attribution": attribution_figures(citations),
    }
    print(f"== {name} (gold clusters): {len(clusters)} clusters, {len(docs)} documents")
    print(
        f"  statements per cluster      {figures['statements_per_cluster']:.2f}"
        f" (budget {cfg.summary_sentences})"
    )
    print(f"  share with support >= 2     {figures['share_support_2']:.3f}")
    print(
        f"  mean support                {figures['mean_support']:.2f} outlets"
        f" (statements citing every outlet of their cluster: {everyone})"
    )
    print(
        f"  consensus per cluster       {figures['consensus_per_cluster']:.2f}"
        f"  (clusters with >= 1: {sum(any(st['support'] >= 2 for st in s['summary']) for s in summaries)})"
    )
    print(f"  unique statements (all)     {figures['unique']}   conflicts {figures['conflicts']}")
    att = figures["attribution"]
    print(
        f"  attribution                 {att['holding']:.3f} of {att['citations']} citations hold"
    )
    for threshold in (CONTAINMENT, 0.4, 0.5):
        flags = cross_document(citations, threshold)
        print(
            f"    cross-document, containment >= {threshold}: {sum(flags) / max(1, len(flags)):.3f}"
            f" of {len(flags)}"
        )
    print(
        f"  time per cluster            {figures['ms_per_cluster']:.1f} ms (max {max(times) * 1000:.1f} ms)"
    )
    figures["first_summary"] = summaries[0]
    return figures


# ---------------------------------------------------------------- 2. ROUGE on Multi-News


class SimpleTokenizer:
    """Sentences and words for sumy without nltk data: regex sentence ends, an abbreviation list.

    Examples
    --------
    >>> SimpleTokenizer().to_sentences("Mr. Smith left. He said “no.” Then rain.")
    ('Mr. Smith left.', 'He said “no.”', 'Then rain.')
    >>> SimpleTokenizer().to_words("It's 7% up, U.S. says")
    ("It's", '7', 'up', 'U', 'S', 'says')
    """

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentences (a period after a known abbreviation does not end one)."""
        out: list[str] = []
        start = 0
        for m in _SENT_END.finditer(paragraph):
            if _ABBREV.search(paragraph[start : m.start()]):
                continue
            out.append(paragraph[start : m.end()].strip())
            start = m.end()
        out.append(paragraph[start:].strip())
        return tuple(s for s in out if s)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Return the words of a sentence."""
        return tuple(_WORD.findall(sentence))


def cut(text: str, words: int = WORDS) -> str:
    """Return the first ``words`` whitespace-separated words of the text."""
    return " ".join(text.split()[:words])


def summary_words(cluster: dict[str, Any]) -> int:
    """Return how many words a cluster's summary (lead and statements) has."""
    return len(cluster_text(cluster).split())


def cluster_text(cluster: dict[str, Any]) -> str:
    """Return a cluster's summary text: its lead (when present), then its statements in order."""
    parts = [cluster["lead"]] if cluster.get("lead") else []
    return " ".join(parts + [st["text"] for st in cluster["summary"]])


def best_cluster(data: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    """Return the predicted cluster holding most of ``ids`` (ties: the longer summary)."""
    return max(data["clusters"], key=lambda c: (len(ids & set(c["members"])), summary_words(c)))


def load_multinews(shared: Path) -> list[tuple[list[dict[str, Any]], str]]:
    """Return, per gold cluster in file order, its article records and the human summary."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with (shared / "eval" / "multinews_dev_clusters.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            groups[r["label"]].append(r)
    refs: dict[str, str] = {}
    with (shared / "eval" / "multinews_dev_summaries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            refs[r["label"]] = r["summary"]
    return [(records, refs[label]) for label, records in groups.items() if label in refs]


class Baselines:
    """The lead, LexRank and TextRank summaries of a set of articles, cut at ``WORDS`` words."""

    def __init__(self) -> None:
        self.tokenizer = SimpleTokenizer()
        self.lexrank = LexRankSummarizer(Stemmer("english"))
        self.textrank = TextRankSummarizer(Stemmer("english"))
        self.lexrank.stop_words = self.textrank.stop_words = get_stop_words("english")

    def lead(self, texts: list[str]) -> str:
        """Return the first sentences of the first article."""
        return cut(" ".join(self.tokenizer.to_sentences(" ".join(texts[0].split()))))

    def ranked(self, texts: list[str]) -> dict[str, str]:
        """Return the LexRank and TextRank summaries of the articles together."""
        document = PlaintextParser("\n\n".join(texts), self.tokenizer).document
        return {
            name: cut(" ".join(str(s) for s in summarizer(document, SUMY_SENTENCES)))
            for name, summarizer in (("LexRank", self.lexrank), ("TextRank", self.textrank))
        }


def rouge_figures(shared: Path) -> dict[str, Any]:
    """Score the cluster summaries and the baselines on Multi-News dev; print the table."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    baselines = Baselines()
    cfg = Config(summary_sentences=ROUGE_SENTENCES)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    start = time.perf_counter()
    gold = load_multinews(shared)
    for records, reference in gold:
        articles = [Article(id=r["id"], text=r["text"], origin=r["id"]) for r in records]
        data = report_to_dict(run(articles, cfg))
        texts = [r["text"] for r in records]
        candidates = {
            "cluster": cut(cluster_text(best_cluster(data, {r["id"] for r in records}))),
            "lead": baselines.lead(texts),
            **baselines.ranked(texts),
        }
        for name, text in candidates.items():
            s = scorer.score(reference, text)
            scores[name].append((s["rouge1"].fmeasure * 100, s["rouge2"].fmeasure * 100))
    table = {
        name: {
            "rouge1": statistics.mean(r1 for r1, _ in rows),
            "rouge2": statistics.mean(r2 for _, r2 in rows),
        }
        for name, rows in scores.items()
    }
    return print_rouge(table, len(gold), time.perf_counter() - start)


def print_rouge(table: dict[str, dict[str, float]], n: int, seconds: float) -> dict[str, Any]:
    """Print the ROUGE table with the target row; return the figures."""
    lex, ours = table["LexRank"], table["cluster"]
    target = {k: lex[k] + TARGET_MARGIN for k in ("rouge1", "rouge2")}
    ok = all(ours[k] >= target[k] for k in target)
    section(f"ROUGE F1 x100 on Multi-News dev: {n} clusters, {WORDS} words ({seconds:.0f} s)")
    print(f"  {'method':22} {'ROUGE-1':>8} {'ROUGE-2':>8}")
    for name in ("lead", "LexRank", "TextRank", "cluster"):
        print(f"  {name:22} {table[name]['rouge1']:8.2f} {table[name]['rouge2']:8.2f}")
    print(
        f"  {'cluster - LexRank':22} {ours['rouge1'] - lex['rouge1']:+8.2f}"
        f" {ours['rouge2'] - lex['rouge2']:+8.2f}"
    )
    print(
        f"  {'target (LexRank + 1.0)':22} {target['rouge1']:8.2f} {target['rouge2']:8.2f}   {verdict(ok)}"
    )
    return {"clusters": n, "seconds": seconds, "scores": table, "target": target, "pass": ok}


# ---------------------------------------------------------------- 3-4. attribution, clean text, cost


def pipeline_sets(shared: Path) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """Yield (name, input path, original texts by id) for the attribution sets."""
    yield "seeds", shared / "seeds", original_folder(shared / "seeds")
    yield (
        "newsroom",
        ROOT / "examples" / "newsroom",
        original_folder(ROOT / "examples" / "newsroom"),
    )
    for name, file in (("BASIL", "basil_events.jsonl"), ("ar_claims", "ar_claims_dev.jsonl")):
        yield name, shared / "eval" / file, original_jsonl(shared / "eval" / file)


def summarize_share(timings: dict[str, float]) -> float:
    """Return the summarize stage's share of the pipeline's stage timings."""
    return timings.get("summarize", 0.0) / max(1e-9, sum(timings.values()))


def attribution(shared: Path) -> tuple[dict[str, Any], dict[str, Report]]:
    """Run each set through the pipeline (defaults), check every citation, print per set."""
    section("Attribution (independent checker, original texts; pipeline defaults)")
    print(
        f"  {'set':10} {'clusters':>8} {'citations':>9} {'hold':>6} {'fact':>6}"
        f" {'quote cit.':>10} {'hold':>6} {'in summary':>10} {'hold':>6} {'quotes':>6} {'verbatim':>8}"
    )
    print(
        "  (hold: every check; fact: evidence in the document and carrying the statement; quote cit.:"
        " citations of quoted words, own sentences included; in summary: those of merged statements;"
        " quotes: `quotes` entries' sources; verbatim: evidence claiming `verbatim`)"
    )
    out: dict[str, Any] = {}
    reports: dict[str, Report] = {}
    every: list[Citation] = []
    for name, path, texts in pipeline_sets(shared):
        report = run(read_paths([path]), Config())
        reports[name] = report
        citations = check_report(report_to_dict(report), texts)
        every += citations
        out[name] = attribution_figures(citations) | {"clusters": len(report.clusters)}
        print_attribution_row(name, out[name])
    out["all"] = attribution_figures(every)
    print_attribution_row("all", out["all"])
    ok = (out["all"]["holding"] or 0) >= TARGET_HOLDING
    quotes_ok = out["all"]["quote_holding"] in (None, 1.0)
    print(f"  target: citations holding >= {TARGET_HOLDING}   {verdict(ok)}")
    print(f"  target: quote citations holding = 1.000   {verdict(quotes_ok)}")
    out["pass"] = ok and quotes_ok
    out["failing_examples"] = [
        {"doc": c.doc, "statement": c.statement, "evidence": c.evidence, "kind": c.kind}
        for c in every
        if not c.holds
    ][:10]
    print_failures(every)
    return out, reports


def print_attribution_row(name: str, f: dict[str, Any]) -> None:
    """Print one row of the attribution table."""

    def share(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    print(
        f"  {name:10} {f.get('clusters', ''):>8} {f['citations']:>9} {share(f['holding']):>6}"
        f" {share(f['fact_holding']):>6} {f['quote_citations']:>10} {share(f['quote_holding']):>6}"
        f" {f['summary_quote_citations']:>10} {share(f['summary_quote_holding']):>6}"
        f" {f['quote_entries']:>6} {f['verbatim_claims']:>8}"
    )


def print_failures(citations: list[Citation], n: int = 3) -> None:
    """Print a few citations that do not hold, with the reason."""
    failing = [c for c in citations if not c.holds]
    for c in failing[:n]:
        why = [
            label
            for label, bad in (
                ("evidence not in document", not c.occurs),
                ("evidence does not carry the statement", not c.supports),
                ("quoted words not in document", c.quotes_ok is False),
                ("verbatim claim false", c.verbatim_ok is False),
            )
            if bad
        ]
        print(f"    e.g. {c.doc}: {', '.join(why)}: {c.statement[:110]!r}")


def furniture(report: Report) -> dict[str, Any]:
    """Count furniture lines shown in the ar_claims_dev summaries; print three examples."""
    found = find_furniture(report_to_dict(report))
    section("Clean text on ar_claims_dev (headline, lead, statements, quotes, unique facts)")
    by_reason: dict[str, int] = defaultdict(int)
    for _, _, reason in found:
        by_reason[reason] += 1
    print(
        f"  furniture lines             {len(found)}"
        f"  ({', '.join(f'{k} {v}' for k, v in sorted(by_reason.items()))})"
        f"   target 0   {verdict(not found)}"
    )
    for field, unit, reason in found[:3]:
        print(f"    e.g. [{field}, {reason}] {unit[:110]!r}")
    return {
        "count": len(found),
        "by_reason": dict(by_reason),
        "examples": [{"field": f, "text": u, "reason": r} for f, u, r in found[:10]],
        "pass": not found,
    }


def cost(reports: dict[str, Report]) -> dict[str, Any]:
    """Print the summarize stage's share of the stage timings of the BASIL and ar_claims runs."""
    section("Cost: summarize share of the pipeline's stage timings")
    out: dict[str, Any] = {}
    for name in ("BASIL", "ar_claims"):
        t = reports[name].timings
        out[name] = {
            "summarize_s": t.get("summarize", 0.0),
            "total_s": sum(t.values()),
            "share": summarize_share(t),
        }
        print(
            f"  {name:10} summarize {out[name]['summarize_s']:6.2f} s of {out[name]['total_s']:6.2f} s"
            f" = {out[name]['share']:.2f}   (target on SaudiNewsNet <= {TARGET_COST}; --saudi)"
        )
    return out


def saudi_cost(shared: Path) -> dict[str, Any]:
    """Run the ``cluster`` command on SaudiNewsNet in a subprocess; report summarize / total."""
    parts = sorted((shared / "eval").glob("saudinewsnet_ar_unlabeled.part*.jsonl"))
    command = [str(Path(sys.executable).with_name("cluster")), "run", *map(str, parts)]
    command += ["--format", "json", "-o", "/dev/null", "-v"]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    line = next(x for x in proc.stderr.splitlines() if "timings:" in x)
    timings = {k: float(v) for k, v in re.findall(r"([\w+]+) ([\d.]+)s", line.split("timings:")[1])}
    share = timings.get("summarize", 0.0) / wall
    section(f"Cost on SaudiNewsNet ({len(parts)} files, `cluster` in a subprocess)")
    print(
        f"  summarize {timings.get('summarize', 0.0):.1f} s of {wall:.1f} s end to end = {share:.2f}"
        f" (of the stages {summarize_share(timings):.2f})   target <= {TARGET_COST}"
        f"   {verdict(share <= TARGET_COST)}"
    )
    return {"timings": timings, "wall_s": wall, "share": share, "pass": share <= TARGET_COST}


def sample_corpus(report: Report, folder: Path) -> None:
    """Print, per cluster of the sample corpus, consensus and conflicts."""
    data = report_to_dict(report)
    section(f"sample corpus {folder.name}: {len(data['clusters'])} clusters")
    for c in data["clusters"]:
        n_outlets = len(c["outlets"])
        consensus = sum(st["support"] >= 2 for st in c["summary"])
        everyone = sum(st["support"] == n_outlets > 1 for st in c["summary"])
        conflicts = "; ".join(
            " vs ".join(f"{v['value']} ({', '.join(v['outlets'])})" for v in x["versions"])
            for x in c["conflicts"]
        )
        print(
            f"  {(c['headline'] or '')[:60]:60}  outlets {n_outlets}"
            f"  consensus {consensus}/{len(c['summary'])}"
            f"  all outlets {everyone}  conflicts: {conflicts or '-'}"
        )


def gva_timing(shared: Path, cfg: Config) -> dict[str, Any]:
    """Cluster GVA's 3,000 articles, then time the summary of every predicted cluster (singletons apart)."""
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
    section(f"GVA summaries: {len(report.clusters)} clusters ({len(multi)} with several documents)")
    print(
        f"  time per cluster            {total / len(report.clusters) * 1000:.1f} ms"
        f" (singletons {statistics.mean(single) * 1000:.2f} ms,"
        f" others {statistics.mean(multi) * 1000:.1f} ms);"
        f" total {total:.1f} s"
    )
    return {"clusters": len(report.clusters), "total_s": total}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--shared", type=Path, default=Path("../shared"), help="the shared data folder"
    )
    parser.add_argument(
        "--sentences", type=int, default=Config().summary_sentences, help="gold-cluster budget"
    )
    parser.add_argument(
        "--example", action="store_true", help="print the seeds' first summary as JSON"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--no-rouge", action="store_true", help="skip the Multi-News ROUGE run")
    parser.add_argument(
        "--saudi", action="store_true", help="time `cluster` on SaudiNewsNet (30,676 articles)"
    )
    parser.add_argument(
        "--gva", action="store_true", help="also time summaries of GVA's predicted clusters (~40 s)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.shared / "eval" / "basil_events.jsonl").exists():
        print(f"{args.shared}/eval/basil_events.jsonl not found; pass --shared", file=sys.stderr)
        return 2
    cfg = Config(summary_sentences=args.sentences)
    figures: dict[str, Any] = {"gold_clusters": {}}
    clusters, docs = load_basil(args.shared, cfg)
    basil_texts = original_jsonl(args.shared / "eval" / "basil_events.jsonl")
    figures["gold_clusters"]["BASIL"] = measure("BASIL", clusters, docs, basil_texts, cfg)
    seed_clusters, seed_docs = load_seeds(args.shared, cfg)
    seed_texts = original_folder(args.shared / "seeds")
    figures["gold_clusters"]["seeds"] = measure("seeds", seed_clusters, seed_docs, seed_texts, cfg)
    if not args.no_rouge:
        figures["rouge"] = rouge_figures(args.shared)
    figures["attribution"], reports = attribution(args.shared)
    figures["clean"] = furniture(reports["ar_claims"])
    figures["cost"] = cost(reports)
    sample_corpus(reports["newsroom"], ROOT / "examples" / "newsroom")
    if args.saudi:
        figures["cost"]["saudi"] = saudi_cost(args.shared)
    if args.gva:
        figures["gva"] = gva_timing(args.shared, cfg)
    if args.example:
        print(
            json.dumps(
                figures["gold_clusters"]["seeds"]["first_summary"], ensure_ascii=False, indent=2
            )
        )
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
