"""Typed, immutable records that flow between the pipeline stages.

ingest  -> Article | Skipped
normalize -> Doc            (metadata found, text cleaned and normalized for matching)
boilerplate -> Doc          (matching text with per-outlet boilerplate removed)
dedup   -> DedupResult      (duplicates and other typed relations)
vectorize -> Vectors        (sparse TF-IDF, L2-normalized rows)
cluster -> Cluster          (events, grouped into stories)
summarize -> ClusterSummary (merged, source-attributed statements)
pipeline -> Report          (everything the renderers need; DedupRun for a dedup-only run)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

ProgressFn = Callable[[str, int, "int | None"], None]


class RelationKind(StrEnum):
    """How two documents relate (dedup); the first three are the duplicate kinds."""

    EXACT = "exact"
    NEAR_DUPLICATE = "near_duplicate"
    CONTAINED = "contained"
    SYNDICATED = "syndicated"


DUPLICATE_KINDS = (RelationKind.EXACT, RelationKind.NEAR_DUPLICATE, RelationKind.CONTAINED)


class KeepPolicy(StrEnum):
    """Which copy of a duplicate group is kept."""

    EARLIEST = "earliest"
    LONGEST = "longest"
    FIRST = "first"


class ConflictKind(StrEnum):
    """What outlets disagree on in a conflict."""

    NUMBER = "number"
    DATE = "date"
    NAME = "name"


class FoundSource(StrEnum):
    """Where a metadata value (title, outlet, date) was found."""

    FIELD = "field"
    HEADLINE_LINE = "headline-line"
    LEAD = "lead"
    PUBLISHED_LINE = "published-line"
    DATE_LINE = "date-line"
    UPDATED_LINE = "updated-line"
    PAGE_DATE = "page-date"
    HEADER = "header"
    LINE_UNDER_TITLE = "line-under-title"
    DATELINE = "dateline"
    BYLINE = "byline"
    SOURCE_LINE = "source-line"
    QUOTE = "quote"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Article:
    """One input document as read from disk or stdin, before any interpretation.

    ``title``, ``source``, ``date``, ``url`` and ``lang`` are only what the record said
    explicitly (JSON/CSV fields, HTML metadata); plain text leaves them ``None`` and the
    normalize stage infers them from the text.
    """

    id: str
    text: str
    origin: str  # "path" or "path:line", for messages
    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str | None = None
    format: str = "text"  # text | jsonl | json | csv | html | stdin
    encoding: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    decode_errors: int = 0  # invalid byte sequences met while decoding it (replaced or re-read)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not become an article, and why."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class Found:
    """A metadata value with where it came from and how sure we are (0..1)."""

    value: str | None
    source: str  # a FoundSource value
    confidence: float = 0.0
    raw: str | None = None


NOT_FOUND = Found(None, FoundSource.NONE, 0.0, None)


@dataclass(frozen=True, slots=True)
class Doc:
    """An article ready for matching: metadata resolved, text cleaned and normalized.

    ``body`` keeps the original wording (furniture, repeated title and metadata lines
    removed) and is what summaries quote. ``norm`` and ``tokens`` are for matching only.
    """

    id: str
    origin: str
    lang: str
    title: Found
    outlet: Found
    date: Found
    url: str | None
    body: str  # original text, paragraphs separated by "\n\n"
    norm_title: str
    norm: str  # normalized body (no stemming), one paragraph per line
    tokens: tuple[str, ...]  # stemmed content tokens of title + body, stop words removed
    title_tokens: tuple[str, ...]
    furniture: tuple[str, ...] = ()  # lines dropped as page furniture (original text)
    decode_errors: int = 0  # invalid byte sequences met while decoding its input

    @property
    def headline(self) -> str:
        return self.title.value or ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The paragraphs of the body, in order (held once, as the body: a paragraph is one line
        of the page, never empty)."""
        return tuple(self.body.split("\n\n")) if self.body else ()

    @property
    def lead(self) -> str:
        """The first paragraph of the body ("" when it has none)."""
        return self.body.partition("\n\n")[0]


@dataclass(frozen=True, slots=True)
class BoilerplateReport:
    """Lines learned as boilerplate for one outlet and how many documents they were removed from."""

    outlet: str
    lines: int  # distinct boilerplate lines learned
    removed: int  # line occurrences removed across the outlet's documents
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two documents found by dedup.

    ``kind`` is one of ``exact``, ``near_duplicate``, ``contained`` (the duplicate kinds:
    ``id`` is dropped in favour of ``other``) or ``syndicated`` (both kept; they share
    long passages).
    """

    id: str
    other: str
    kind: RelationKind
    score: float
    jaccard: float = 0.0
    containment: float = 0.0
    shared: tuple[str, ...] = ()  # a few of the longest shared passages (original text)


@dataclass(frozen=True, slots=True)
class DedupResult:
    """Which documents are kept, and every relation found."""

    kept: tuple[str, ...]  # ids kept, in input order
    duplicates: tuple[Relation, ...]  # kind in DUPLICATE_KINDS; .other is a kept id
    related: tuple[Relation, ...] = ()  # syndicated / shared passages between kept docs

    def duplicate_of(self) -> dict[str, str]:
        return {r.id: r.other for r in self.duplicates}


@dataclass(frozen=True)
class Vectors:
    """Sparse TF-IDF rows (L2-normalized) for the kept documents, in ``ids`` order."""

    ids: tuple[str, ...]
    matrix: Any  # scipy.sparse.csr_matrix, shape (len(ids), len(terms))
    terms: tuple[str, ...]
    title_matrix: Any = None  # optional TF-IDF of titles, same row order
    lead_matrix: Any = None  # optional TF-IDF of title + first words of the body, same row order
    # the body terms' document frequencies when they come from a larger corpus than these rows
    # (a state: every document seen so far), else None (the rows' own)
    corpus: CorpusFrequencies | None = None


@dataclass(frozen=True, slots=True)
class CorpusFrequencies:
    """Document frequencies of body terms over a corpus of ``n_docs`` kept documents."""

    df: Mapping[str, int]
    n_docs: int


@dataclass(frozen=True, slots=True)
class WeakLink:
    """The weakest pair score that holds a cluster together (its shakiest merge)."""

    a: str
    b: str
    score: float


@dataclass(frozen=True, slots=True)
class Cluster:
    """One event: its kept documents plus their duplicates."""

    id: str
    members: tuple[str, ...]  # every member id (kept docs and their duplicates), sorted
    kept: tuple[str, ...]  # the kept (non-duplicate) members
    cohesion: float  # mean pairwise similarity of kept members (1.0 for singletons)
    story: str = ""
    weakest_link: WeakLink | None = None  # None for a single kept document


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence a document uses for a statement."""

    doc: str
    outlet: str | None
    sentence: str
    match: str = "paraphrase"  # "verbatim": the statement text occurs in this document as printed


@dataclass(frozen=True, slots=True)
class Statement:
    """A summary statement and the documents/outlets that report it."""

    text: str
    sources: tuple[str, ...]
    outlets: tuple[str | None, ...]  # one per outlet; None for each document of unknown outlet
    support: int  # number of distinct outlets (documents when outlets are unknown)
    evidence: tuple[Evidence, ...] = ()
    unique: bool = False  # only one outlet reports it


@dataclass(frozen=True, slots=True)
class Conflict:
    """Outlets that give different numbers, dates or names for the same statement."""

    kind: str  # a ConflictKind value
    statement: str
    # (value, doc ids, outlets; None for each document of unknown outlet)
    versions: tuple[tuple[str, tuple[str, ...], tuple[str | None, ...]], ...]
    type: str = "contradiction"  # "update": the outlets' reports are dated differently


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation in one document: who said it (a name or role, never a pronoun) and the words."""

    speaker: str
    text: str  # the words inside the quotation marks, as printed
    doc: str
    sentence: str  # the sentence that holds the quotation


@dataclass(frozen=True, slots=True)
class ClusterQuote:
    """The same quoted words printed by one or more documents of a cluster."""

    speaker: str
    text: str
    sources: tuple[str, ...]  # every document that printed these words
    outlets: tuple[str | None, ...]  # the outlet of each source (None when unknown)


@dataclass(frozen=True, slots=True)
class Dated:
    """A date a document's text mentions, with the sentence that mentions it."""

    date: str  # ISO YYYY-MM-DD or YYYY-MM
    text: str  # the sentence
    doc: str
    relative: bool  # resolved from "أمس", "on Tuesday" ... against the publication date


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One thing that happened on one date, and the documents that say so."""

    date: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FirstReport:
    """The earliest dated report of a cluster."""

    doc: str
    outlet: str | None
    date: str | None


@dataclass(frozen=True, slots=True)
class Coverage:
    """Who said what in one cluster, and who reported it first."""

    quotes: tuple[ClusterQuote, ...] = ()
    first_reported_by: FirstReport | None = None


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """The merged, source-attributed account of one cluster."""

    headline: str
    headline_source: str  # doc id the headline comes from
    keywords: tuple[str, ...]
    outlets: tuple[str, ...]
    dates: tuple[str, ...]
    statements: tuple[Statement, ...]
    conflicts: tuple[Conflict, ...] = ()
    unique: tuple[
        tuple[str | None, tuple[Statement, ...]], ...
    ] = ()  # (outlet or None, statements)
    lead: str = ""  # one or two sentences saying who did what, where and when


@dataclass(frozen=True, slots=True)
class Story:
    """Related events grouped into one wider thread (its headline is its first cluster's)."""

    id: str
    clusters: tuple[str, ...]  # cluster ids, in the order of the report's clusters


@dataclass(frozen=True)
class Report:
    """The result of a run: everything the renderers need."""

    docs: tuple[Doc, ...]
    clusters: tuple[Cluster, ...]
    summaries: dict[str, ClusterSummary]
    stories: tuple[Story, ...]
    dedup: DedupResult
    skipped: tuple[Skipped, ...]
    boilerplate: tuple[BoilerplateReport, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)  # --state: absorbed event id -> survivor
    coverage: dict[str, Coverage] = field(default_factory=dict)  # by cluster id
    timelines: dict[str, tuple[TimelineEntry, ...]] = field(default_factory=dict)  # by story id


@dataclass(frozen=True)
class DedupRun:
    """The result of a dedup-only run: the documents, the articles they came from, the relations."""

    docs: tuple[Doc, ...]
    articles: dict[str, Article]  # by id, for the kept records' original text
    dedup: DedupResult
    skipped: tuple[Skipped, ...]
    boilerplate: tuple[BoilerplateReport, ...]
    params: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (not in the output)


def outlet_key(doc: Doc) -> str | None:
    """Return the outlet a document's boilerplate is learned with: its outlet, else its URL host."""
    if doc.outlet.value and doc.outlet.value.strip():
        return doc.outlet.value.strip().casefold()
    if doc.url:
        host = urlsplit(doc.url).hostname
        if host:
            return host.removeprefix("www.")
    return None
