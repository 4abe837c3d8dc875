"""Pipeline: ingest -> normalize -> boilerplate -> dedup -> vectorize -> cluster -> summarize.

The first stages (normalize, boilerplate, dedup) and ``run_dedup`` live in
:mod:`clusterer.prepare`; they are re-exported here.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar, cast

from .cluster import PairScore, PairScorer, cluster_docs
from .config import Config
from .constraints import Constraints
from .coverage import clusters_coverage, story_timelines
from .dedup import PairExplanation, explain_pair
from .errors import InputError
from .prepare import (
    Corpus,
    Prepared,
    default_jobs,
    noop,
    normalize_all,
    prepare,
    prepare_normalized,
    run_dedup,
    titled,
)
from .records import (
    Article,
    Cluster,
    ClusterSummary,
    Coverage,
    DedupResult,
    Doc,
    ProgressFn,
    Report,
    Skipped,
    Story,
    TimelineEntry,
)
from .segment import split_sentences
from .summarize import compile_kernels, summarize_cluster
from .text import content_forms, normalize_text
from .vectorize import build_vectors
from .workers import shared_value, sharing_pool

__all__ = [
    "Corpus",
    "Explainer",
    "cover_all",
    "default_jobs",
    "describe",
    "explain",
    "kept_docs",
    "normalize_all",
    "prepare_normalized",
    "readable",
    "readable_titled",
    "run",
    "run_dedup",
    "summarize_all",
]

log = logging.getLogger(__name__)
T = TypeVar("T")


def _cluster(
    prep: Prepared, cfg: Config, constraints: Constraints | None = None, jobs: int = 1
) -> tuple[list[Cluster], list[Story]]:
    """Cluster the kept documents (their duplicates join their clusters): what run and explain
    use (pairs scored on ``jobs`` worker processes)."""
    kept = prep.corpus.matched(prep.dedup.kept)
    vectors = build_vectors(kept, cfg)
    return cluster_docs(vectors, kept, cfg, prep.dedup.duplicate_of(), constraints, jobs=jobs)


def kept_docs(items: Iterable[Article | Skipped], cfg: Config) -> tuple[list[Doc], dict[str, str]]:
    """Return the documents clustering sees (matching versions of the kept ones) and the
    duplicate -> kept id map (for benchmarks that re-cluster one corpus many times)."""
    prep = prepare(items, cfg)
    return prep.corpus.matched(prep.dedup.kept), prep.dedup.duplicate_of()


def readable(original: Doc, matching: Doc) -> Doc:
    """Return the original document without what boilerplate learning removed from it.

    Summaries quote the original wording, but not the outlet's furniture: a paragraph dropped
    as boilerplate is dropped here too, and of a paragraph that lost only part of its text (a
    menu glued to a sentence) the sentences kept are those whose words the matching version
    still holds in a row, so no sentence is glued together from pieces. Its ``norm`` and
    ``tokens`` are those of what is left.
    """
    if matching.body == original.body:  # (nothing stripped: the same paragraphs)
        return original
    kept_paragraphs = set(matching.paragraphs)
    kept_text = matching.norm
    paragraphs: list[str] = []
    for para in original.paragraphs:
        if para in kept_paragraphs:
            paragraphs.append(para)
            continue
        sentences = [
            s
            for s in split_sentences(para, original.lang)
            if (norm := normalize_text(s, original.lang)) and norm in kept_text
        ]
        if sentences:
            paragraphs.append(" ".join(sentences))
    return _retokenized(original, paragraphs)


def _retokenized(doc: Doc, paragraphs: Sequence[str]) -> Doc:
    """Return ``doc`` with the body ``paragraphs``, its ``norm`` and ``tokens`` those of the new
    body (so keywords, headline centrality and the document cap of summaries never count words
    that were cut from it); its title tokens are kept."""
    norm_lines = [normalize_text(p, doc.lang) for p in paragraphs]
    norm = "\n".join(filter(None, norm_lines))
    tokens = doc.tokens
    if tokens:  # (stemmed: tokens are the title's, then the body's, as normalize makes them)
        body_tokens = filter(None, content_forms(norm.split(), doc.lang))
        tokens = (*doc.title_tokens, *body_tokens)
    return dataclasses.replace(doc, body="\n\n".join(paragraphs), norm=norm, tokens=tokens)


def readable_in(corpus: Corpus, doc_id: str) -> Doc:
    """Return the :func:`readable` version of a document of ``corpus``, its title without the
    label its outlet repeats (:attr:`Corpus.titles`)."""
    return readable_titled(
        corpus.original[doc_id], corpus.matching[doc_id], corpus.titles.get(doc_id)
    )


def readable_titled(original: Doc, matching: Doc, title: str | None) -> Doc:
    """Return the :func:`readable` version of a document, titled ``title`` when given (its
    title without the label its outlet repeats)."""
    doc = readable(original, matching)
    if not title:
        return doc
    return titled(
        dataclasses.replace(doc, title=dataclasses.replace(doc.title, value=title)), title
    )


DESCRIBE_BATCH = 64  # clusters (or stories) per task sent to a worker process


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every worker of :func:`describe` reads: set once per process, not sent per task."""

    docs: dict[str, Doc]
    cfg: Config
    duplicate_of: dict[str, str]
    related: list[tuple[str, str]]


def _summaries_of(
    clusters: Sequence[Cluster], given: _Shared | None = None
) -> list[ClusterSummary]:
    """Summarize the clusters from ``given`` (on a worker: what :func:`_pool` gave it)."""
    given = given or _given()
    return [summarize_cluster(c, given.docs, given.cfg) for c in clusters]


def _coverage_of(clusters: Sequence[Cluster], given: _Shared | None = None) -> dict[str, Coverage]:
    given = given or _given()
    return clusters_coverage(clusters, given.docs, given.duplicate_of, given.related)


def _timelines_of(
    part: tuple[Sequence[Story], Sequence[Cluster]], given: _Shared | None = None
) -> dict[str, tuple[TimelineEntry, ...]]:
    return story_timelines(part[0], part[1], (given or _given()).docs)


def _batched(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[k : k + DESCRIBE_BATCH] for k in range(0, len(items), DESCRIBE_BATCH)]


def _story_parts(
    stories: Sequence[Story], clusters: Sequence[Cluster]
) -> list[tuple[Sequence[Story], Sequence[Cluster]]]:
    """Cut the stories into batches, each with the clusters its stories hold."""
    by_id = {c.id: c for c in clusters}
    return [(part, [by_id[cid] for s in part for cid in s.clusters]) for part in _batched(stories)]


def _pool(shared: _Shared, jobs: int) -> AbstractContextManager[ProcessPoolExecutor]:
    """Return ``jobs`` worker processes that each read ``shared`` (:func:`_given`)."""
    return sharing_pool(jobs, shared)


def _given() -> _Shared:
    return cast(_Shared, shared_value())


def summarize_all(
    clusters: Sequence[Cluster],
    docs: dict[str, Doc],
    cfg: Config,
    jobs: int = 1,
    progress: ProgressFn = noop,
) -> dict[str, ClusterSummary]:
    """Return the summary of each cluster, read from ``docs`` (every member), summarizing
    batches of clusters on ``jobs`` worker processes (the same result for any ``jobs``)."""
    given = _Shared(docs, cfg, {}, [])
    if jobs > 1 and len(clusters) > DESCRIBE_BATCH:
        compile_kernels()
        with _pool(given, jobs) as pool:
            done = [s for part in pool.map(_summaries_of, _batched(clusters)) for s in part]
    else:
        done = []
        for n, c in enumerate(clusters, 1):
            done.extend(_summaries_of([c], given))
            if n % 100 == 0:
                progress("summarize", n, len(clusters))
    return {c.id: s for c, s in zip(clusters, done, strict=True)}


def cover_all(
    clusters: Sequence[Cluster],
    stories: Sequence[Story],
    docs: dict[str, Doc],
    dedup: DedupResult,
    cfg: Config,
    jobs: int = 1,
) -> tuple[dict[str, Coverage], dict[str, tuple[TimelineEntry, ...]]]:
    """Return the coverage of ``clusters`` and the timelines of ``stories`` (whose clusters
    ``clusters`` hold), on ``jobs`` worker processes (the same result for any ``jobs``)."""
    given = _Shared(docs, cfg, dedup.duplicate_of(), [(r.id, r.other) for r in dedup.related])
    if not (jobs > 1 and len(clusters) > DESCRIBE_BATCH):
        return _coverage_of(clusters, given), _timelines_of((stories, clusters), given)
    with _pool(given, jobs) as pool:
        coverage = {
            k: v for part in pool.map(_coverage_of, _batched(clusters)) for k, v in part.items()
        }
        parts = _story_parts(stories, clusters)
        timelines = {k: v for part in pool.map(_timelines_of, parts) for k, v in part.items()}
    return coverage, timelines


def describe(
    clusters: Sequence[Cluster],
    stories: Sequence[Story],
    docs: dict[str, Doc],
    dedup: DedupResult,
    cfg: Config,
    progress: ProgressFn = noop,
    timings: dict[str, float] | None = None,
    jobs: int = 1,
) -> tuple[dict[str, ClusterSummary], dict[str, Coverage], dict[str, tuple[TimelineEntry, ...]]]:
    """Return the summaries and coverage of ``clusters`` and the timelines of ``stories`` (none
    when ``cfg.summaries`` is off), read from ``docs`` (:func:`readable` versions of every member).

    Each cluster and story is read from its own members and their dedup relations only, so
    batches of them are described on ``jobs`` worker processes with the same result.
    """
    timings = {} if timings is None else timings
    if not cfg.summaries:
        progress("summarize", len(clusters), len(clusters))
        timings["summarize"] = timings["coverage"] = 0.0
        return {}, {}, {}
    t0 = time.perf_counter()
    summaries = summarize_all(clusters, docs, cfg, jobs, progress)
    timings["summarize"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    coverage, timelines = cover_all(clusters, stories, docs, dedup, cfg, jobs)
    timings["coverage"] = time.perf_counter() - t0
    progress("summarize", len(clusters), len(clusters))
    return summaries, coverage, timelines


def run(
    items: Iterable[Article | Skipped],
    cfg: Config | None = None,
    *,
    on_progress: ProgressFn | None = None,
    jobs: int | None = None,
    constraints: Constraints | None = None,
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
    jobs : int, optional
        Worker processes for the stages that parallelize (default: all cores, see
        :func:`default_jobs`); the report does not depend on it.
    constraints : Constraints, optional
        Corrections (must-link / cannot-link pairs) the clustering honours.

    Returns
    -------
    Report
        Documents, clusters with summaries, stories, duplicates and skipped inputs.

    Examples
    --------
    >>> from clusterer import Article, run
    >>> rep = run([Article(id="a", text="Rain falls on Paris.", origin="a"),
    ...            Article(id="b", text="Rain falls on Paris.", origin="b")])
    >>> [c.members for c in rep.clusters], [(r.id, r.kind.value) for r in rep.dedup.duplicates]
    ([('a', 'b')], [('b', 'exact')])
    """
    cfg = cfg or Config()
    progress = on_progress or noop
    jobs = jobs or default_jobs()
    prep = prepare(items, cfg, progress, jobs=jobs)
    timings = prep.timings

    t0 = time.perf_counter()
    clusters, stories = _cluster(prep, cfg, constraints, jobs)
    timings["cluster"] = time.perf_counter() - t0
    progress("cluster", len(prep.dedup.kept), len(prep.dedup.kept))

    docs = {i: readable_in(prep.corpus, i) for i in prep.corpus.original}
    summaries, coverage, timelines = describe(
        clusters, stories, docs, prep.dedup, cfg, progress, timings, jobs
    )
    return Report(
        docs=tuple(prep.corpus.original.values()),
        clusters=tuple(clusters),
        summaries=summaries,
        stories=tuple(stories),
        dedup=prep.dedup,
        skipped=tuple(prep.skipped),
        boilerplate=tuple(prep.boilerplate),
        params=cfg.to_dict(),
        timings=timings,
        coverage=coverage,
        timelines=timelines,
    )


def _describe(doc: Doc) -> str:
    return (
        f"{doc.id}: {doc.headline!r} ({doc.outlet.value or 'unknown outlet'}, "
        f"{doc.date.value or 'no date'})"
    )


class Explainer:
    """Explain pairs of one corpus: the dedup relation, the event score, the clusters of ``run``.

    The corpus is prepared and clustered once; every pair is then judged exactly as ``run`` does.
    """

    def __init__(
        self,
        items: Iterable[Article | Skipped],
        cfg: Config | None = None,
        constraints: Constraints | None = None,
    ) -> None:
        self.cfg = cfg or Config()
        self.prep = prepare(items, self.cfg)
        clusters, _ = _cluster(self.prep, self.cfg, constraints)
        self.cluster_of = {m: c for c in clusters for m in c.members}

    def _check(self, *ids: str) -> None:
        docs = self.prep.corpus.original
        for doc_id in ids:
            if doc_id not in docs:
                known = ", ".join(sorted(docs)[:5])
                raise InputError(f"no document with id {doc_id!r} (ids look like: {known})")

    def relation(self, a: str, b: str) -> PairExplanation:
        """Return the dedup relation of ``a`` and ``b`` (their matching versions)."""
        self._check(a, b)
        return explain_pair(self.prep.corpus.matching[a], self.prep.corpus.matching[b], self.cfg)

    def event_score(self, a: str, b: str) -> tuple[PairScore, list[str]]:
        """Return the pair's event score and the rare terms they share, rarest first.

        A duplicate is not in the clustering vectors: the pair is scored over the kept documents
        plus it.
        """
        self._check(a, b)
        kept = self.prep.dedup.kept
        ids = list(kept) + [i for i in (a, b) if i not in kept]
        docs = self.prep.corpus.matched(ids)
        scorer = PairScorer(docs, build_vectors(docs, self.cfg), self.cfg)
        index = {doc_id: n for n, doc_id in enumerate(ids)}
        return scorer.score(index[a], index[b]), scorer.shared_rare(index[a], index[b])

    def same_event(self, a: str, b: str) -> bool:
        """Return whether ``run`` puts ``a`` and ``b`` in one cluster."""
        self._check(a, b)
        return self.cluster_of[a].id == self.cluster_of[b].id

    def lines(self, a: str, b: str) -> list[str]:
        """Return plain-text lines explaining how ``a`` and ``b`` relate."""
        docs = self.prep.corpus.original
        self._check(a, b)
        lines = [_describe(docs[a]), _describe(docs[b]), "", "duplicates:"]
        lines += ["  " + line for line in self.relation(a, b).lines()]
        return lines + self._score_lines(a, b) + self._cluster_lines(a, b)

    def _score_lines(self, a: str, b: str) -> list[str]:
        ps, shared = self.event_score(a, b)
        cfg, w = self.cfg, self.cfg.weights
        dates = (
            f" ({ps.days_apart:.0f} days apart)"
            if ps.days_apart is not None
            else " (a date is missing: neutral)"
        )
        scale = ps.date_factor * ps.facet_factor  # the multipliers, so that the points add up
        points = [
            ("body TF-IDF cosine", ps.body, w.body, ""),
            ("title similarity  ", ps.title, w.title, ""),
            ("lead TF-IDF cosine", ps.lead, w.lead, ""),
            ("rare terms overlap", ps.rare, w.rare, f"  shared: {', '.join(shared[:12])}"),
            ("names/places agree", ps.specific, w.specific, ""),
        ]
        lines = [
            "",
            f"event score: {ps.score:.3f} (threshold {cfg.threshold:.2f}: "
            f"{'same event' if ps.score >= cfg.threshold else 'below'}); points per signal:",
        ]
        lines += [
            f"  {name} {value:.3f} x {weight} -> {value * weight * scale:+.3f}{extra}"
            for name, value, weight, extra in points
        ]
        lines.append(f"  date factor        {ps.date_factor:.3f}" + dates)
        for facet, agreement in ps.facets.items():
            weight = ps.facet_weights[facet]
            lines.append(
                f"  {facet:<5} agreement    "
                + (
                    "(missing: neutral)"
                    if agreement is None
                    else f"{agreement:.3f} -> factor {1.0 - weight * (1.0 - agreement):.3f}"
                )
            )
        return lines

    def _cluster_lines(self, a: str, b: str) -> list[str]:
        ca, cb = self.cluster_of[a], self.cluster_of[b]
        same = self.same_event(a, b)
        return [
            "",
            f"clusters: {a} → {ca.id} ({len(ca.members)} docs), {b} → {cb.id} ({len(cb.members)} docs)"
            + (": same event" if same else ": different events")
            + (f"; same story {ca.story}" if ca.story == cb.story and not same else ""),
        ]


def explain(
    items: Iterable[Article | Skipped],
    a: str,
    b: str,
    cfg: Config | None = None,
    constraints: Constraints | None = None,
) -> list[str]:
    """Return plain-text lines explaining how documents ``a`` and ``b`` relate: dedup relation, pair
    signals (each one's points in the score), clusters."""
    return Explainer(items, cfg, constraints).lines(a, b)
