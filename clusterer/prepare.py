"""The stages every command runs first: normalize (on worker processes), boilerplate, dedup.

:func:`run_dedup` is the whole ``cluster dedup`` command; :mod:`clusterer.pipeline` goes on from
:func:`prepare_normalized`'s result to vectors, clusters and summaries. Nothing here imports the
clustering or summary stages (nor scikit-learn), so deduplicating alone starts fast.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice

from .boilerplate import learn_boilerplate, outlet_key
from .config import Config
from .dedup import find_duplicates
from .errors import EmptyCorpusError
from .furniture import repeated_title_affixes
from .normalize import is_usable, normalize_article
from .records import (
    Article,
    BoilerplateReport,
    DedupResult,
    DedupRun,
    Doc,
    ProgressFn,
    Skipped,
)

__all__ = [
    "NORMALIZE_BATCH",
    "Corpus",
    "Prepared",
    "default_jobs",
    "normalize_all",
    "noop",
    "prepare",
    "prepare_normalized",
    "run_dedup",
]

log = logging.getLogger(__name__)


def noop(stage: str, done: int, total: int | None) -> None:
    """The progress callback that reports nothing."""
    return None


NORMALIZE_BATCH = 256  # articles per task sent to a worker process


def default_jobs() -> int:
    """Return the number of cores this process may use (the default of ``jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def _normalize_one(item: Article | Skipped, cfg: Config, stem: bool) -> Doc | Skipped:
    """Normalize one article; an article that cannot be processed becomes a Skipped, never fatal."""
    if isinstance(item, Skipped):
        return item
    try:
        doc = normalize_article(item, cfg, stem=stem)
    except Exception as exc:  # one bad document never loses the others
        log.warning("%s: could not process (%s); skipped", item.origin, exc)
        return Skipped(item.origin, f"could not process: {type(exc).__name__}: {exc}")
    if not is_usable(doc, stem):
        return Skipped(item.origin, "no words left after cleaning (empty or only page furniture)")
    return doc


def _normalize_batch(
    batch: list[Article | Skipped], cfg: Config, stem: bool
) -> list[Doc | Skipped]:
    return [_normalize_one(item, cfg, stem) for item in batch]


def _batches(items: Iterable[Article | Skipped], size: int) -> Iterator[list[Article | Skipped]]:
    batch: list[Article | Skipped] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _normalized(
    items: Iterable[Article | Skipped], cfg: Config, stem: bool, jobs: int
) -> Iterator[Doc | Skipped]:
    """Yield every item normalized, in input order; batches go to ``jobs`` worker processes.

    At most ``2 * jobs`` batches are read ahead of the results, so reading streams.
    """
    batches = _batches(items, NORMALIZE_BATCH)
    head = list(islice(batches, 2))
    if jobs <= 1 or len(head) < 2:
        for batch in chain(head, batches):
            yield from _normalize_batch(batch, cfg, stem)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[Doc | Skipped]]] = deque()
        for batch in chain(head, batches):
            pending.append(pool.submit(_normalize_batch, batch, cfg, stem))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def normalize_all(
    items: Iterable[Article | Skipped],
    cfg: Config,
    progress: ProgressFn = noop,
    *,
    stem: bool = True,
    jobs: int = 1,
) -> tuple[list[Doc], list[Skipped]]:
    """Normalize every article (on ``jobs`` processes); an article that cannot be processed is
    skipped, never fatal. The result does not depend on ``jobs``."""
    docs: list[Doc] = []
    skipped: list[Skipped] = []
    for item in _normalized(items, cfg, stem, jobs):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        docs.append(item)
        if len(docs) % 1000 == 0:
            progress("normalize", len(docs), None)
    progress("normalize", len(docs), len(docs))
    return docs, skipped


@dataclass(frozen=True)
class Corpus:
    """Every usable document in its two versions, by id (input order); built once per run.

    ``original`` is as normalized (original wording: summaries and output); ``matching`` has the
    per-outlet boilerplate removed (dedup, vectors, clustering). Ids are unique (ingest skips a
    repeated id).
    """

    original: dict[str, Doc]
    matching: dict[str, Doc]

    @classmethod
    def of(cls, docs: Sequence[Doc], matching: Sequence[Doc]) -> Corpus:
        """Pair each document with its matching version (same order, same ids)."""
        return cls({d.id: d for d in docs}, {d.id: d for d in matching})

    def matched(self, ids: Iterable[str]) -> list[Doc]:
        """Return the matching versions of ``ids``, in that order."""
        return [self.matching[i] for i in ids]

    @cached_property
    def titles(self) -> dict[str, str]:
        """Titles without the label (site name, section) their outlet repeats, by id (only
        those that change); computed on first use, for the commands that show headlines."""
        return repeated_title_affixes(
            (d.id, outlet_key(d), d.title.value or "", d.paragraphs[0] if d.paragraphs else "")
            for d in self.original.values()
        )


@dataclass(frozen=True)
class Prepared:
    """What every command needs before clustering: documents, boilerplate removed, duplicates found."""

    corpus: Corpus
    skipped: list[Skipped]
    boilerplate: list[BoilerplateReport]
    dedup: DedupResult
    timings: dict[str, float]


def prepare(
    items: Iterable[Article | Skipped],
    cfg: Config,
    progress: ProgressFn = noop,
    *,
    stem: bool = True,
    jobs: int = 1,
) -> Prepared:
    """Run normalize, boilerplate and dedup; raise EmptyCorpusError when nothing is usable.

    ``stem=False`` when nothing after dedup runs (dedup matches on unstemmed text).
    """
    t0 = time.perf_counter()
    docs, skipped = normalize_all(items, cfg, progress, stem=stem, jobs=jobs)
    timings = {"ingest+normalize": time.perf_counter() - t0}
    return prepare_normalized(docs, skipped, cfg, progress, stem=stem, timings=timings)


def prepare_normalized(
    docs: list[Doc],
    skipped: list[Skipped],
    cfg: Config,
    progress: ProgressFn = noop,
    *,
    stem: bool = True,
    timings: dict[str, float] | None = None,
) -> Prepared:
    """Run boilerplate and dedup over normalized documents (input order); raise EmptyCorpusError
    when there are none. ``timings`` gets the time of each stage."""
    timings = {} if timings is None else timings
    if not docs:
        reasons = "; ".join(f"{s.origin}: {s.reason}" for s in skipped[:3])
        raise EmptyCorpusError(
            "no usable document in the input" + (f" ({reasons})" if reasons else "")
        )

    t0 = time.perf_counter()
    matching, boilerplate = learn_boilerplate(docs, cfg, stem=stem)
    corpus = Corpus.of(docs, matching)
    timings["boilerplate"] = time.perf_counter() - t0
    progress("boilerplate", len(docs), len(docs))

    t0 = time.perf_counter()
    dedup = find_duplicates(matching, cfg)
    timings["dedup"] = time.perf_counter() - t0
    progress("dedup", len(docs), len(docs))
    return Prepared(corpus, skipped, boilerplate, dedup, timings)


def run_dedup(
    items: Iterable[Article | Skipped], cfg: Config | None = None, *, jobs: int | None = None
) -> DedupRun:
    """Normalize and deduplicate only (no clustering or summaries, no stems), for dataset builders.

    ``jobs`` worker processes normalize (default: all cores); the result does not depend on it.
    """
    cfg = cfg or Config()
    articles: dict[str, Article] = {}

    def keep(items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped]:
        for item in items:
            if isinstance(item, Article):
                articles[item.id] = item
            yield item

    prep = prepare(keep(items), cfg, stem=False, jobs=jobs or default_jobs())
    return DedupRun(
        tuple(prep.corpus.original.values()),
        articles,
        prep.dedup,
        tuple(prep.skipped),
        tuple(prep.boilerplate),
        cfg.to_dict(),
        prep.timings,
    )
