"""The stages every command runs first: normalize (on worker processes), boilerplate, dedup.

:func:`run_dedup` is the whole ``cluster dedup`` command; :mod:`clusterer.pipeline` goes on from
:func:`prepare_normalized`'s result to vectors, clusters and summaries. Nothing here imports the
clustering or summary stages (nor scikit-learn), so deduplicating alone starts fast.
"""

from __future__ import annotations

import dataclasses
import operator
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .boilerplate import copy_order, learn_boilerplate
from .config import Config
from .dedup import DocTokens, find_duplicates, match_text, original_text
from .errors import EmptyCorpusError
from .furniture import repeated_title_affixes
from .normalize import is_usable, normalize_articles
from .records import (
    Article,
    BoilerplateReport,
    DedupResult,
    DedupRun,
    Doc,
    Found,
    ProgressFn,
    Skipped,
    outlet_key,
)
from .shingles import (
    CorpusKeys,
    Fingerprints,
    TextShingles,
    TextSpans,
    fingerprints_of_shingles,
    load_table,
    text_shingles,
    text_spans,
)
from .text import content_forms, load_fold_table, normalize_text
from .workers import process_pool

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
    "title_affixes",
    "titled",
]


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


def _checked(item: Article, doc: Doc | Exception, stem: bool) -> Doc | Skipped:
    """Return an article's document, or a Skipped when it could not be processed (never fatal)
    or has no words (not logged: the Skipped carries its reason to the report)."""
    if isinstance(doc, Exception):
        return Skipped(item.origin, f"could not process: {type(doc).__name__}: {doc}")
    if not is_usable(doc, stem):
        return Skipped(item.origin, "no words left after cleaning (empty or only page furniture)")
    return doc


def _packed(texts: list[str]) -> tuple[bytes, list[int]] | None:
    """Return ``texts`` as one UTF-16 blob and their lengths (decoding it is several times faster
    than the UTF-8 that pickle writes of each string), or None when one holds a lone surrogate
    (which UTF-16 cannot carry apart from its neighbour)."""
    try:
        return "".join(texts).encode("utf-16-le"), list(map(len, texts))
    except (UnicodeEncodeError, TypeError):  # (TypeError: a text that is not a string)
        return None


def _unpacked(blob: bytes, lengths: list[int]) -> Iterator[str]:
    """Yield the texts of :func:`_packed`, in order."""
    text = blob.decode("utf-16-le")
    at = 0
    for size in lengths:
        yield text[at : at + size]
        at += size


@dataclass(frozen=True)
class _Batch:
    """A batch normalized: its items in order and, when asked for, the shingles of the ``norm``
    of its documents and the tokens of their :func:`~clusterer.dedup.original_text` (in order),
    computed by the worker process that normalized them."""

    items: list[Doc | Skipped]
    shingles: TextShingles | None
    tokens: TextSpans | None = None

    def __getstate__(self) -> tuple[object, ...]:
        """Send documents as lists of their field values (a dataclass with slots pickles through
        Python code, field by field: several times slower for the whole batch), their bodies and
        normalized texts in one UTF-16 blob."""
        docs = [d for d in self.items if isinstance(d, Doc)]
        packed = _packed([t for d in docs for t in (d.body, d.norm)])
        items = [
            _doc_values(d, packed is not None) if isinstance(d, Doc) else d for d in self.items
        ]
        return items, packed, self.shingles, self.tokens

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        items, packed, shingles, tokens = state
        texts = _unpacked(*packed) if packed is not None else None
        object.__setattr__(
            self, "items", [d if isinstance(d, Skipped) else _doc_of(d, texts) for d in items]
        )
        object.__setattr__(self, "shingles", shingles)
        object.__setattr__(self, "tokens", tokens)


def _compact(tokens: TextSpans) -> TextSpans:
    """Return ``tokens`` with 32-bit offsets when they fit (a third less to send and keep)."""
    if tokens.ends.max(initial=0) >= 1 << 31:
        return tokens
    starts, ends = tokens.starts.astype(np.int32), tokens.ends.astype(np.int32)
    return TextSpans(tokens.hashes, starts, ends, tokens.counts)


_DOC_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Doc)))
_FOUND_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Found)))
_FOUND_AT = tuple(k for k, f in enumerate(dataclasses.fields(Doc)) if f.type in ("Found", Found))
_BODY_AT, _NORM_AT, _TOKENS_AT, _TITLE_TOKENS_AT = (
    [f.name for f in dataclasses.fields(Doc)].index(name)
    for name in ("body", "norm", "tokens", "title_tokens")
)


def _doc_values(doc: Doc, packed: bool) -> list[object]:
    """Return the field values of ``doc`` in order, those of its :class:`Found` fields as tuples;
    ``packed``: its body and norm are sent apart (None here)."""
    values = list(_DOC_FIELDS(doc))
    for k in _FOUND_AT:
        values[k] = _FOUND_FIELDS(values[k])
    if packed:
        values[_BODY_AT] = values[_NORM_AT] = None
    return values


def _doc_of(values: list[object], texts: Iterator[str] | None) -> Doc:
    """Return the document of :func:`_doc_values` (``texts``: the bodies and norms sent apart)."""
    for k in _FOUND_AT:
        values[k] = Found(*cast(tuple[Any, ...], values[k]))
    for k in (_TOKENS_AT, _TITLE_TOKENS_AT):  # one string per word, not one per word per batch
        values[k] = tuple(map(sys.intern, cast(tuple[str, ...], values[k])))
    if texts is not None:
        values[_BODY_AT], values[_NORM_AT] = next(texts), next(texts)
    return Doc(*values)  # type: ignore[arg-type]


def _normalize_batch(
    batch: list[Article | Skipped], cfg: Config, stem: bool, shingles: bool = False
) -> _Batch:
    done = iter(normalize_articles([a for a in batch if isinstance(a, Article)], cfg, stem=stem))
    items = [
        item if isinstance(item, Skipped) else _checked(item, next(done), stem) for item in batch
    ]
    if not shingles:
        return _Batch(items, None)
    docs = [d for d in items if isinstance(d, Doc)]
    return _Batch(
        items,
        text_shingles([d.norm for d in docs], cfg.shingle_size),
        _compact(text_spans([original_text(d) for d in docs])),
    )


@dataclass(frozen=True)
class _Inputs:
    """A batch of items to normalize, as sent to a worker process (articles as tuples of their
    field values, their texts in one UTF-16 blob, as :class:`_Batch` sends documents)."""

    items: list[Article | Skipped]

    def __getstate__(self) -> tuple[list[list[object] | Skipped], object]:
        articles = [a for a in self.items if isinstance(a, Article)]
        packed = _packed([a.text for a in articles])
        items = [
            _article_values(a, packed is not None) if isinstance(a, Article) else a
            for a in self.items
        ]
        return items, packed

    def __setstate__(self, state: tuple[list[list[Any] | Skipped], Any]) -> None:
        items, packed = state
        texts = _unpacked(*packed) if packed is not None else None
        for values in items:
            if texts is not None and not isinstance(values, Skipped):
                values[_TEXT_AT] = next(texts)
        object.__setattr__(
            self, "items", [a if isinstance(a, Skipped) else Article(*a) for a in items]
        )


def _article_values(article: Article, packed: bool) -> list[object]:
    values = list(_ARTICLE_FIELDS(article))
    if packed:
        values[_TEXT_AT] = None
    return values


_ARTICLE_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Article)))
_TEXT_AT = [f.name for f in dataclasses.fields(Article)].index("text")


def _normalize_inputs(inputs: _Inputs, cfg: Config, stem: bool, shingles: bool) -> _Batch:
    return _normalize_batch(inputs.items, cfg, stem, shingles)


def _batches(items: Iterable[Article | Skipped], size: int) -> Iterator[list[Article | Skipped]]:
    batch: list[Article | Skipped] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _normalized_batches(
    items: Iterable[Article | Skipped], cfg: Config, stem: bool, jobs: int, shingles: bool
) -> Iterator[_Batch]:
    """Yield every batch of items normalized, in input order, on ``jobs`` worker processes.

    At most ``2 * jobs`` batches are read ahead of the results, so reading streams.
    """
    batches = _batches(items, NORMALIZE_BATCH)
    head = list(islice(batches, 2))
    if jobs <= 1 or len(head) < 2:
        for batch in chain(head, batches):
            yield _normalize_batch(batch, cfg, stem, shingles)
        return
    load_fold_table()  # once, before the workers fork
    if shingles:
        load_table()  # (this process tokenizes later too)
    with process_pool(jobs) as pool:
        pending: deque[Future[_Batch]] = deque()
        for batch in chain(head, batches):
            pending.append(pool.submit(_normalize_inputs, _Inputs(batch), cfg, stem, shingles))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _normalized(
    items: Iterable[Article | Skipped], cfg: Config, stem: bool, jobs: int
) -> Iterator[Doc | Skipped]:
    """Yield every item normalized, in input order (see :func:`_normalized_batches`)."""
    for batch in _normalized_batches(items, cfg, stem, jobs, shingles=False):
        yield from batch.items


class _Appended:
    """Arrays built part by part in buffers that double when full: each part is freed once copied
    (joining the parts at the end would hold them all and the whole at once)."""

    def __init__(self) -> None:
        self._buffers: list[npt.NDArray[Any]] = []
        self._sizes: list[int] = []

    def append(self, *parts: npt.NDArray[Any]) -> None:
        if not self._buffers:
            self._buffers = [np.empty(0, dtype=p.dtype) for p in parts]
            self._sizes = [0] * len(parts)
        for k, part in enumerate(parts):
            buffer, size = self._buffers[k], self._sizes[k]
            if size + part.size > buffer.size or part.dtype != buffer.dtype:
                dtype = np.result_type(buffer, part)
                grown = np.empty(max(2 * buffer.size, size + part.size, 1 << 16), dtype=dtype)
                grown[:size] = buffer[:size]
                self._buffers[k] = buffer = grown
            buffer[size : size + part.size] = part
            self._sizes[k] = size + part.size

    def arrays(self) -> list[npt.NDArray[Any]] | None:
        """Return the arrays (None when nothing was appended)."""
        if not self._buffers:
            return None
        return [b[:size] for b, size in zip(self._buffers, self._sizes, strict=True)]


def _normalize_all(
    items: Iterable[Article | Skipped],
    cfg: Config,
    progress: ProgressFn,
    *,
    stem: bool,
    jobs: int,
    shingles: bool,
) -> tuple[list[Doc], list[Skipped], TextShingles | None, TextSpans | None]:
    docs: list[Doc] = []
    skipped: list[Skipped] = []
    found, tokens = _Appended(), _Appended()
    for batch in _normalized_batches(items, cfg, stem, jobs, shingles):
        if batch.shingles is not None:
            sh = batch.shingles
            found.append(sh.hashes, sh.counts, sh.doc_hash, sh.n_tokens)
        if batch.tokens is not None:
            tok = batch.tokens
            tokens.append(tok.hashes, tok.starts, tok.ends, tok.counts)
        for item in batch.items:
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            docs.append(item)
            if len(docs) % 1000 == 0:
                progress("normalize", len(docs), None)
    progress("normalize", len(docs), len(docs))
    if not shingles:
        return docs, skipped, None, None
    found_arrays, token_arrays = found.arrays(), tokens.arrays()
    return (
        docs,
        skipped,
        TextShingles(*found_arrays) if found_arrays else TextShingles.concat([]),
        TextSpans(*token_arrays) if token_arrays else TextSpans.concat([]),
    )


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
    docs, skipped, _, _ = _normalize_all(items, cfg, progress, stem=stem, jobs=jobs, shingles=False)
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
        """Pair each document with its matching version (same order, same ids); a matching
        version's title loses the label its outlet repeats (:attr:`titles`)."""
        corpus = cls({d.id: d for d in docs}, {d.id: d for d in matching})
        if any(d.title_tokens for d in matching):  # stemmed: titles are matched on
            for doc_id, title in corpus.titles.items():
                corpus.matching[doc_id] = titled(corpus.matching[doc_id], title)
        return corpus

    def matched(self, ids: Iterable[str]) -> list[Doc]:
        """Return the matching versions of ``ids``, in that order."""
        return [self.matching[i] for i in ids]

    @cached_property
    def titles(self) -> dict[str, str]:
        """Titles without the label (site name, section) their outlet repeats, by id (only
        those that change): the headlines shown, and (stemmed) what :meth:`of` matches on."""
        return title_affixes(self.original.values())


def title_affixes(docs: Iterable[Doc]) -> dict[str, str]:
    """Return :attr:`Corpus.titles` of ``docs`` (input order); an outlet's labels are learned
    from its own documents only, so groups of whole outlets give the corpus's titles."""
    return repeated_title_affixes((d.id, outlet_key(d), d.title.value or "", d.lead) for d in docs)


def titled(doc: Doc, title: str) -> Doc:
    """Return ``doc`` matched on ``title`` (its title without its outlet's label); unchanged
    when it has no title tokens (not stemmed)."""
    if not doc.title_tokens:
        return doc
    norm_title = normalize_text(title, doc.lang)
    title_tokens = tuple(filter(None, content_forms(norm_title.split(), doc.lang)))
    tokens = title_tokens + doc.tokens[len(doc.title_tokens) :]
    return dataclasses.replace(doc, norm_title=norm_title, title_tokens=title_tokens, tokens=tokens)


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
    found = _Normalized(*_normalize_all(items, cfg, progress, stem=stem, jobs=jobs, shingles=True))
    timings = {"ingest+normalize": time.perf_counter() - t0}
    return _prepare(found, cfg, progress, stem, timings)


@dataclass
class _Normalized:
    """Documents normalized, and the shingles and tokens found of them (:func:`_prepare` takes
    the shingles out once it has their keys: they are freed before boilerplate and dedup)."""

    docs: list[Doc]
    skipped: list[Skipped]
    shingles: TextShingles | None
    tokens: TextSpans | None


def _copy_fingerprints(
    docs: Sequence[Doc], keys: CorpusKeys, whole: Fingerprints, shingles: TextShingles, k: int
) -> Fingerprints:
    """Return the fingerprints of the ``norm`` of the documents whose copies are looked for
    (:func:`~clusterer.boilerplate.copy_order`): rows of ``whole``, those of every document's
    norm (or, when they are too few to be numbered as the corpus is, from the shingles)."""
    order = np.array(copy_order([outlet_key(d) for d in docs]), dtype=np.int64)
    fp = keys.subset(order, whole)
    if fp is not None:
        return fp
    number = np.full(len(docs), -1, dtype=np.int64)
    number[order] = np.arange(order.size, dtype=np.int64)
    return fingerprints_of_shingles([(shingles, number)], order.size, k)


def _match_fingerprints(
    docs: Sequence[Doc], matching: Sequence[Doc], keys: CorpusKeys, whole: Fingerprints, k: int
) -> Fingerprints:
    """Return the fingerprints of the :func:`~clusterer.dedup.match_text` of ``matching``:
    ``whole`` (those of ``docs``' norms) when that is still every text, else from the keys of
    the norms where it is and the other texts fingerprinted here."""
    redo = np.array(
        [
            pos
            for pos, (m, d) in enumerate(zip(matching, docs, strict=True))
            if not (m.norm == d.norm and m.norm.strip())
        ],
        dtype=np.int64,
    )
    if redo.size == 0:
        return whole
    fresh = text_shingles([match_text(matching[pos]) for pos in redo.tolist()], k)
    return keys.replaced(redo, fresh).fingerprints(k)


def _match_tokens(docs: Sequence[Doc], matching: Sequence[Doc], tokens: TextSpans) -> DocTokens:
    """Return the tokens of the :func:`~clusterer.dedup.original_text` of ``matching``: those of
    ``docs``, but for the documents that lost boilerplate."""
    known = np.fromiter(
        (m is d or m.body is d.body for m, d in zip(matching, docs, strict=True)),
        dtype=np.bool_,
        count=len(docs),
    )
    return DocTokens(tokens, known)


def prepare_normalized(
    docs: list[Doc],
    skipped: list[Skipped],
    cfg: Config,
    progress: ProgressFn = noop,
    *,
    stem: bool = True,
    timings: dict[str, float] | None = None,
    shingles: TextShingles | None = None,
    tokens: TextSpans | None = None,
) -> Prepared:
    """Run boilerplate and dedup over normalized documents (input order); raise EmptyCorpusError
    when there are none. ``timings`` gets the time of each stage. ``shingles``: those of the
    documents' ``norm`` (:func:`~clusterer.shingles.text_shingles`) when already computed;
    ``tokens``: those of their :func:`~clusterer.dedup.original_text`
    (:func:`~clusterer.shingles.text_spans`), when already found."""
    found = _Normalized(docs, skipped, shingles, tokens)
    return _prepare(found, cfg, progress, stem, {} if timings is None else timings)


def _prepare(
    found: _Normalized, cfg: Config, progress: ProgressFn, stem: bool, timings: dict[str, float]
) -> Prepared:
    docs, skipped, tokens = found.docs, found.skipped, found.tokens
    if not docs:
        reasons = "; ".join(f"{s.origin}: {s.reason}" for s in skipped[:3])
        raise EmptyCorpusError(
            "no usable document in the input" + (f" ({reasons})" if reasons else "")
        )

    t0 = time.perf_counter()
    k = cfg.shingle_size
    keys = whole = copy_fp = None
    shingles, found.shingles = found.shingles, None
    if shingles is not None:
        keys = CorpusKeys.of(shingles)
        whole = keys.fingerprints(k)
        copy_fp = _copy_fingerprints(docs, keys, whole, shingles, k)
    del shingles  # the keys hold what is needed of them
    matching, boilerplate = learn_boilerplate(docs, cfg, stem=stem, copy_fp=copy_fp, tokens=tokens)
    del copy_fp  # (freed before the next fingerprints are built)
    corpus = Corpus.of(docs, matching)
    timings["boilerplate"] = time.perf_counter() - t0
    progress("boilerplate", len(docs), len(docs))

    t0 = time.perf_counter()
    fp = (
        _match_fingerprints(docs, matching, keys, whole, k)
        if keys is not None and whole is not None
        else None
    )
    del keys, whole
    match_tokens = _match_tokens(docs, matching, tokens) if tokens is not None else None
    dedup = find_duplicates(matching, cfg, fp, match_tokens)
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
