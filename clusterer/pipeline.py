"""Pipeline: ingest -> normalize -> boilerplate -> dedup -> vectorize -> cluster -> summarize."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .boilerplate import learn_boilerplate
from .cluster import W_BODY, W_LEAD, W_RARE, W_TITLE, cluster_docs
from .config import Config
from .dedup import find_duplicates
from .errors import EmptyCorpusError, InputError
from .normalize import normalize_article
from .records import (
    Article,
    BoilerplateReport,
    ClusterSummary,
    DedupResult,
    Doc,
    ProgressFn,
    Report,
    Skipped,
    Story,
)
from .summarize import summarize_cluster
from .vectorize import build_vectors

log = logging.getLogger(__name__)


def _noop(stage: str, done: int, total: int | None) -> None:
    return None


def normalize_all(
    items: Iterable[Article | Skipped], cfg: Config, progress: ProgressFn = _noop
) -> tuple[list[Doc], list[Skipped]]:
    """Normalize every article; an article that cannot be processed is skipped, never fatal."""
    docs: list[Doc] = []
    skipped: list[Skipped] = []
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        try:
            doc = normalize_article(item, cfg)
        except Exception as exc:  # one bad document never loses the others
            log.warning("%s: could not process (%s); skipped", item.origin, exc)
            skipped.append(Skipped(item.origin, f"could not process: {type(exc).__name__}: {exc}"))
            continue
        if not doc.tokens:
            skipped.append(
                Skipped(item.origin, "no words left after cleaning (empty or only page furniture)")
            )
            continue
        docs.append(doc)
        if len(docs) % 1000 == 0:
            progress("normalize", len(docs), None)
    progress("normalize", len(docs), len(docs))
    return docs, skipped


@dataclass(frozen=True)
class _Prepared:
    """What every command needs before clustering: documents, boilerplate removed, duplicates found."""

    docs: list[Doc]  # as normalized (original wording, used for summaries and output)
    skipped: list[Skipped]
    matching: list[Doc]  # the same documents with per-outlet boilerplate removed, for matching
    boilerplate: list[BoilerplateReport]
    dedup: DedupResult
    timings: dict[str, float]


def _prepare(
    items: Iterable[Article | Skipped], cfg: Config, progress: ProgressFn = _noop
) -> _Prepared:
    """Run normalize, boilerplate and dedup; raise EmptyCorpusError when nothing is usable."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    docs, skipped = normalize_all(items, cfg, progress)
    timings["ingest+normalize"] = time.perf_counter() - t0
    if not docs:
        reasons = "; ".join(f"{s.origin}: {s.reason}" for s in skipped[:3])
        raise EmptyCorpusError(
            "no usable document in the input" + (f" ({reasons})" if reasons else "")
        )

    t0 = time.perf_counter()
    matching, boilerplate = learn_boilerplate(docs, cfg)
    timings["boilerplate"] = time.perf_counter() - t0
    progress("boilerplate", len(docs), len(docs))

    t0 = time.perf_counter()
    dedup = find_duplicates(matching, cfg)
    timings["dedup"] = time.perf_counter() - t0
    progress("dedup", len(docs), len(docs))
    return _Prepared(docs, skipped, matching, boilerplate, dedup, timings)


def run(
    items: Iterable[Article | Skipped],
    cfg: Config | None = None,
    *,
    on_progress: ProgressFn | None = None,
) -> Report:
    """Run the whole pipeline over ingested items and return the report.

    Parameters
    ----------
    items : iterable of Article or Skipped
        What ``ingest.read_paths`` yields (or Articles built by the caller).
    cfg : Config, optional
        Settings; defaults to ``Config()``.
    on_progress : callable, optional
        Called as ``on_progress(stage, done, total)``; the library's only progress hook.

    Returns
    -------
    Report
        Documents, clusters with summaries, stories, duplicates and skipped inputs.

    Examples
    --------
    >>> from clusterer import Article, run
    >>> rep = run([Article(id="a", text="Rain falls on Paris.", origin="a"),
    ...            Article(id="b", text="Rain falls on Paris.", origin="b")])
    >>> [c.members for c in rep.clusters], [(r.id, r.kind) for r in rep.dedup.duplicates]
    ([('a', 'b')], [('b', 'exact')])
    """
    cfg = cfg or Config()
    progress = on_progress or _noop
    prep = _prepare(items, cfg, progress)
    dedup, timings = prep.dedup, prep.timings

    by_id = {d.id: d for d in prep.matching}
    kept = [by_id[i] for i in dedup.kept]
    t0 = time.perf_counter()
    vectors = build_vectors(kept, cfg)
    clusters, stories = cluster_docs(vectors, kept, cfg, dedup.duplicate_of())
    timings["cluster"] = time.perf_counter() - t0
    progress("cluster", len(kept), len(kept))

    t0 = time.perf_counter()
    originals = {d.id: d for d in prep.docs}
    summaries: dict[str, ClusterSummary] = {}
    for n, c in enumerate(clusters if cfg.summaries else (), 1):
        summaries[c.id] = summarize_cluster(c, originals, cfg)
        if n % 100 == 0:
            progress("summarize", n, len(clusters))
    timings["summarize"] = time.perf_counter() - t0
    progress("summarize", len(clusters), len(clusters))

    first_title = {c.id: by_id[c.kept[0]].headline for c in clusters}
    stories = [
        Story(
            id=s.id,
            clusters=s.clusters,
            headline=summaries[s.clusters[0]].headline
            if s.clusters[0] in summaries
            else first_title[s.clusters[0]],
        )
        for s in stories
    ]
    return Report(
        docs=tuple(prep.docs),
        clusters=tuple(clusters),
        summaries=summaries,
        stories=tuple(stories),
        dedup=dedup,
        skipped=tuple(prep.skipped),
        boilerplate=tuple(prep.boilerplate),
        params=cfg.to_dict(),
        timings=timings,
    )


@dataclass(frozen=True)
class DedupRun:
    """The result of a dedup-only run."""

    docs: tuple[Doc, ...]
    articles: dict[str, Article]
    dedup: DedupResult
    skipped: tuple[Skipped, ...]
    boilerplate: tuple[BoilerplateReport, ...]
    params: dict[str, Any]

    def kept_records(self) -> Iterator[dict[str, Any]]:
        """Yield the kept documents as records (original text and metadata, found metadata filled in)."""
        docs = {d.id: d for d in self.docs}
        for doc_id in self.dedup.kept:
            doc, art = docs[doc_id], self.articles[doc_id]
            yield {
                "id": doc.id,
                "title": doc.title.value,
                "text": art.text,
                "date": doc.date.value,
                "source": doc.outlet.value,
                "url": doc.url,
                "lang": doc.lang,
            }

    def report_dict(self, version: str) -> dict[str, Any]:
        """Return the duplicates report as JSON-ready dict (same keys as the main output's)."""
        from .render import SCHEMA_VERSION, TOOL_NAME, boilerplate_to_dict, relation_to_dict

        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": TOOL_NAME, "version": version},
            "params": self.params,
            "stats": {
                "documents": len(self.docs),
                "kept": len(self.dedup.kept),
                "duplicates": len(self.dedup.duplicates),
                "skipped": len(self.skipped),
            },
            "duplicates": [
                relation_to_dict(r) for r in sorted(self.dedup.duplicates, key=lambda r: r.id)
            ],
            "related": [
                relation_to_dict(r)
                for r in sorted(self.dedup.related, key=lambda r: (r.id, r.other))
            ],
            "boilerplate": [
                boilerplate_to_dict(b) for b in sorted(self.boilerplate, key=lambda b: b.outlet)
            ],
            "skipped": [{"origin": s.origin, "reason": s.reason} for s in self.skipped],
        }


def run_dedup(items: Iterable[Article | Skipped], cfg: Config | None = None) -> DedupRun:
    """Normalize and deduplicate only (no clustering or summaries), for dataset builders."""
    cfg = cfg or Config()
    articles: dict[str, Article] = {}

    def keep(items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped]:
        for item in items:
            if isinstance(item, Article):
                articles[item.id] = item
            yield item

    prep = _prepare(keep(items), cfg)
    return DedupRun(
        tuple(prep.docs),
        articles,
        prep.dedup,
        tuple(prep.skipped),
        tuple(prep.boilerplate),
        cfg.to_dict(),
    )


def explain(
    items: Iterable[Article | Skipped], a: str, b: str, cfg: Config | None = None
) -> list[str]:
    """Return plain-text lines explaining how documents ``a`` and ``b`` relate: dedup relation, pair signals, clusters."""
    from .cluster import PairScorer
    from .dedup import explain_pair

    cfg = cfg or Config()
    prep = _prepare(items, cfg)
    docs = {d.id: d for d in prep.docs}
    for doc_id in (a, b):
        if doc_id not in docs:
            known = ", ".join(sorted(docs)[:5])
            raise InputError(f"no document with id {doc_id!r} (ids look like: {known})")
    mdocs = {d.id: d for d in prep.matching}
    lines = [
        f"{a}: {docs[a].headline!r} ({docs[a].outlet.value or 'unknown outlet'}, {docs[a].date.value or 'no date'})",
        f"{b}: {docs[b].headline!r} ({docs[b].outlet.value or 'unknown outlet'}, {docs[b].date.value or 'no date'})",
        "",
        "duplicates:",
    ]
    lines += ["  " + line for line in explain_pair(mdocs[a], mdocs[b], cfg).lines()]
    kept = [mdocs[i] for i in prep.dedup.kept]
    clusters, _ = cluster_docs(build_vectors(kept, cfg), kept, cfg, prep.dedup.duplicate_of())
    # a duplicate is not in the clustering vectors: score the pair over the kept docs plus it
    pair_docs = kept + [mdocs[i] for i in (a, b) if i not in prep.dedup.kept]
    vectors = build_vectors(pair_docs, cfg)
    scorer = PairScorer(pair_docs, vectors, cfg)
    index = {d.id: n for n, d in enumerate(pair_docs)}
    ps = scorer.score(index[a], index[b])
    lines += [
        "",
        f"event score: {ps.score:.3f} (threshold {cfg.threshold:.2f}: "
        f"{'same event' if ps.score >= cfg.threshold else 'below'})",
        f"  body TF-IDF cosine {ps.body:.3f} x {W_BODY}",
        f"  title similarity   {ps.title:.3f} x {W_TITLE}",
        f"  lead TF-IDF cosine {ps.lead:.3f} x {W_LEAD}",
        f"  rare terms overlap {ps.rare:.3f} x {W_RARE}  shared: {', '.join(scorer.shared_rare(index[a], index[b])[:12])}",
        f"  date factor        {ps.date_factor:.3f}"
        + (
            f" ({ps.days_apart:.0f} days apart)"
            if ps.days_apart is not None
            else " (a date is missing: neutral)"
        ),
    ]
    cl = {m: c for c in clusters for m in c.members}
    same = cl[a].id == cl[b].id
    lines += [
        "",
        f"clusters: {a} → {cl[a].id} ({len(cl[a].members)} docs), {b} → {cl[b].id} ({len(cl[b].members)} docs)"
        + (": same event" if same else ": different events")
        + (f"; same story {cl[a].story}" if cl[a].story == cl[b].story and not same else ""),
    ]
    return lines
