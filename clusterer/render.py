"""Render: the one place where internal records become the public JSON contract (no I/O here).

Every JSON object the tool writes is built here: the report of a run (and its JSONL lines), the
duplicates report and the kept records of a dedup-only run. The contract is documented in
``docs/schema.md``; ``SCHEMA_VERSION`` changes only when a key is renamed, removed or changes
meaning. Every list has a defined order and floats are rounded, so the same input gives
byte-identical output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

import numpy as np
import orjson

from ._version import __version__
from .records import (
    Article,
    BoilerplateReport,
    Cluster,
    ClusterQuote,
    ClusterSummary,
    Conflict,
    Coverage,
    DedupResult,
    DedupRun,
    Doc,
    Evidence,
    FirstReport,
    Found,
    Relation,
    Report,
    Skipped,
    Statement,
    Story,
    TimelineEntry,
)

SCHEMA_VERSION = 1
TOOL_NAME = "cluster"


def _r(x: float) -> float:
    return round(float(x), 4)


def _found(prefix: str, f: Found) -> dict[str, Any]:
    return {
        prefix: f.value,
        f"{prefix}_source": f.source,
        f"{prefix}_confidence": _r(f.confidence),
    }


def doc_to_dict(doc: Doc, cluster_id: str | None, duplicate_of: str | None) -> dict[str, Any]:
    """Return the public JSON object of one document."""
    out: dict[str, Any] = {"id": doc.id, "origin": doc.origin}
    out.update(_found("title", doc.title))
    out.update(_found("outlet", doc.outlet))
    out.update(_found("date", doc.date))
    out["date_raw"] = doc.date.raw
    out.update(
        {
            "lang": doc.lang,
            "url": doc.url,
            "words": len(doc.body.split()),
            "cluster": cluster_id,
            "duplicate_of": duplicate_of,
            "furniture_removed": len(doc.furniture),
            "decode_errors": doc.decode_errors,
        }
    )
    return out


def evidence_to_dict(e: Evidence) -> dict[str, Any]:
    """Return the public JSON object of the sentence one document uses for a statement."""
    return {"doc": e.doc, "outlet": e.outlet, "sentence": e.sentence, "match": e.match}


def statement_to_dict(s: Statement) -> dict[str, Any]:
    """Return the public JSON object of one summary statement."""
    return {
        "text": s.text,
        "sources": list(s.sources),
        "outlets": list(s.outlets),
        "support": s.support,
        "unique": s.unique,
        "evidence": [evidence_to_dict(e) for e in s.evidence],
    }


def conflict_to_dict(c: Conflict) -> dict[str, Any]:
    """Return the public JSON object of one conflict between outlets."""
    return {
        "kind": c.kind,
        "type": c.type,
        "statement": c.statement,
        "versions": [
            {"value": value, "sources": list(srcs), "outlets": list(outs)}
            for value, srcs, outs in c.versions
        ],
    }


def relation_to_dict(r: Relation) -> dict[str, Any]:
    """Return the public JSON object of one dedup relation."""
    return {
        "id": r.id,
        "duplicate_of": r.other,
        "kind": r.kind,
        "score": _r(r.score),
        "jaccard": _r(r.jaccard),
        "containment": _r(r.containment),
        "shared": list(r.shared),
    }


def boilerplate_to_dict(b: BoilerplateReport) -> dict[str, Any]:
    """Return the public JSON object of one outlet's learned boilerplate."""
    return {
        "outlet": b.outlet,
        "lines": b.lines,
        "removed": b.removed,
        "examples": list(b.examples),
    }


def skipped_to_dict(s: Skipped) -> dict[str, Any]:
    """Return the public JSON object of one input that could not be used."""
    return {"origin": s.origin, "reason": s.reason}


def story_to_dict(
    s: Story, headline: str, timeline: tuple[TimelineEntry, ...] = ()
) -> dict[str, Any]:
    """Return the public JSON object of one story (``headline``: its first cluster's)."""
    return {
        "id": s.id,
        "headline": headline,
        "clusters": list(s.clusters),
        "timeline": [timeline_to_dict(e) for e in timeline],
    }


def _tool(version: str) -> dict[str, Any]:
    return {"name": TOOL_NAME, "version": version}


def _relations(dedup: DedupResult) -> dict[str, list[dict[str, Any]]]:
    """Return the ``duplicates`` (by id) and ``related`` (by id, other) lists of a dedup result."""
    return {
        "duplicates": [relation_to_dict(r) for r in sorted(dedup.duplicates, key=lambda r: r.id)],
        "related": [
            relation_to_dict(r) for r in sorted(dedup.related, key=lambda r: (r.id, r.other))
        ],
    }


def _boilerplate(reports: tuple[BoilerplateReport, ...]) -> list[dict[str, Any]]:
    return [boilerplate_to_dict(b) for b in sorted(reports, key=lambda b: b.outlet)]


def cluster_to_dict(
    c: Cluster, summary: ClusterSummary | None, coverage: Coverage | None = None
) -> dict[str, Any]:
    """Return the public JSON object of one cluster with its merged summary and coverage."""
    out: dict[str, Any] = {
        "id": c.id,
        "story": c.story or None,
        "size": len(c.members),
        "members": list(c.members),
        "kept": list(c.kept),
        "cohesion": _r(c.cohesion),
        "weakest_link": None
        if c.weakest_link is None
        else {"a": c.weakest_link.a, "b": c.weakest_link.b, "score": _r(c.weakest_link.score)},
    }
    if summary is None:
        out.update(
            {
                "headline": None,
                "headline_source": None,
                "lead": "",
                "outlets": [],
                "dates": [],
                "keywords": [],
                "summary": [],
                "conflicts": [],
                "unique": [],
                **_coverage_dict(coverage),
            }
        )
        return out
    out.update(
        {
            "headline": summary.headline,
            "headline_source": summary.headline_source,
            "lead": summary.lead,
            "outlets": list(summary.outlets),
            "dates": list(summary.dates),
            "keywords": list(summary.keywords),
            "summary": [statement_to_dict(s) for s in summary.statements],
            "conflicts": [conflict_to_dict(x) for x in summary.conflicts],
            "unique": [
                {"outlet": outlet, "statements": [statement_to_dict(s) for s in stmts]}
                for outlet, stmts in summary.unique
            ],
            **_coverage_dict(coverage),
        }
    )
    return out


def _coverage_dict(coverage: Coverage | None) -> dict[str, Any]:
    """Return a cluster's ``quotes`` and ``first_reported_by`` (empty and null without coverage)."""
    if coverage is None:
        return {"quotes": [], "first_reported_by": None}
    return {
        "quotes": [quote_to_dict(q) for q in coverage.quotes],
        "first_reported_by": first_report_to_dict(coverage.first_reported_by),
    }


def report_to_dict(report: Report, version: str = __version__) -> dict[str, Any]:
    """Return the whole report as the versioned JSON contract (``schema_version`` 1).

    Examples
    --------
    >>> from clusterer import Article, Config, run
    >>> rep = run([Article(id="a", text="Rain falls on Paris.", origin="a")], Config())
    >>> d = report_to_dict(rep)
    >>> d["schema_version"], [c["members"] for c in d["clusters"]]
    (1, [['a']])
    """
    return materialized(report_fields(report, version))


def materialized(fields: dict[str, Any]) -> dict[str, Any]:
    """Return :func:`report_fields` with its iterators read into lists: :func:`report_to_dict`."""
    return {key: list(v) if isinstance(v, Iterator) else v for key, v in fields.items()}


def report_fields(report: Report, version: str = __version__) -> dict[str, Any]:
    """Return the fields of :func:`report_to_dict` in the same order, its long lists
    (``documents``, ``clusters``, ``stories``) as iterators that build one element at a time when
    read (so :func:`json_chunks` writes a large report without holding all of it at once)."""
    cluster_of = {m: c.id for c in report.clusters for m in c.members}
    dup_of = report.dedup.duplicate_of()
    docs = sorted(report.docs, key=lambda d: d.id)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": _tool(version),
        "params": report.params,
        "stats": {
            "documents_in": len(report.docs) + len(report.skipped),
            "documents": len(report.docs),
            "skipped": len(report.skipped),
            "duplicates": len(report.dedup.duplicates),
            "duplicates_by_kind": _count_kinds(report.dedup.duplicates),
            "related": len(report.dedup.related),
            "clusters": len(report.clusters),
            "multi_document_clusters": sum(1 for c in report.clusters if len(c.members) > 1),
            "stories": len(report.stories),
        },
        "documents": (doc_to_dict(d, cluster_of.get(d.id), dup_of.get(d.id)) for d in docs),
        "clusters": (
            cluster_to_dict(c, report.summaries.get(c.id), report.coverage.get(c.id))
            for c in report.clusters
        ),
        "stories": (
            story_to_dict(s, h, report.timelines.get(s.id, ())) for s, h in _story_headlines(report)
        ),
        **_relations(report.dedup),
        "boilerplate": _boilerplate(report.boilerplate),
        "skipped": [skipped_to_dict(s) for s in report.skipped],
        "merged": [{"id": old, "merged_into": new} for old, new in sorted(report.merged.items())],
    }


_CHUNK_ITEMS = 256  # list elements written per chunk by json_chunks


def json_chunks(
    fields: dict[str, Any], *, ascii_: bool = False, indent: int | None = None
) -> Iterator[str]:
    """Yield the text of ``dumps(fields, ascii_=ascii_, indent=indent)`` in pieces, byte for byte,
    reading each iterator value (:func:`report_fields`) as a list one element at a time: a large
    report is written without its whole dict or text in memory.

    >>> def fields():
    ...     return {"a": 1, "b": iter([{"c": [2]}, {}]), "d": iter([])}
    >>> whole = {"a": 1, "b": [{"c": [2]}, {}], "d": []}
    >>> all("".join(json_chunks(fields(), indent=i)) == dumps(whole, indent=i) for i in (None, 0, 3))
    True
    """
    nl = "" if indent is None else "\n"
    pad = "" if indent is None else " " * indent
    colon = ": " if indent else ":"  # (as dumps: indent 0 keeps the compact separators)

    def text(value: Any, depth: int) -> str:
        out = dumps(value, ascii_=ascii_, indent=indent)
        return out.replace("\n", "\n" + pad * depth) if nl else out

    yield "{"
    for n, (key, value) in enumerate(fields.items()):
        head = ("," if n else "") + nl + pad + dumps(key, ascii_=ascii_) + colon
        if not isinstance(value, Iterator):
            yield head + text(value, 1)
            continue
        parts, empty = [head + "["], True
        for item in value:
            parts.append(("" if empty else ",") + nl + pad * 2 + text(item, 2))
            empty = False
            if len(parts) >= _CHUNK_ITEMS:
                yield "".join(parts)
                parts = []
        parts.append("]" if empty else nl + pad + "]")
        yield "".join(parts)
    yield (nl + "}") if fields else "}"


def _story_headlines(report: Report) -> Iterator[tuple[Story, str]]:
    """Yield each story with its headline: its first cluster's summary headline, else the title of
    that cluster's first kept document."""
    clusters = {c.id: c for c in report.clusters}
    title = {d.id: d.headline for d in report.docs}
    for s in report.stories:
        first = s.clusters[0]
        summary = report.summaries.get(first)
        yield s, summary.headline if summary is not None else title[clusters[first].kept[0]]


def dedup_report_to_dict(result: DedupRun, version: str = __version__) -> dict[str, Any]:
    """Return the duplicates report of a dedup-only run (its keys are the main report's)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": _tool(version),
        "params": result.params,
        "stats": {
            "documents": len(result.docs),
            "kept": len(result.dedup.kept),
            "duplicates": len(result.dedup.duplicates),
            "skipped": len(result.skipped),
        },
        **_relations(result.dedup),
        "boilerplate": _boilerplate(result.boilerplate),
        "skipped": [skipped_to_dict(s) for s in result.skipped],
    }


def kept_record(doc: Doc, article: Article) -> dict[str, str | None]:
    """Return one kept document as an input record: original text, metadata found filled in."""
    return {
        "id": doc.id,
        "title": doc.title.value,
        "text": article.text,
        "date": doc.date.value,
        "outlet": doc.outlet.value,
        "url": doc.url,
        "lang": doc.lang,
    }


def kept_records(result: DedupRun) -> Iterator[dict[str, str | None]]:
    """Yield the kept documents of a dedup-only run as records, in input order (JSONL lines)."""
    docs = {d.id: d for d in result.docs}
    for doc_id in result.dedup.kept:
        yield kept_record(docs[doc_id], result.articles[doc_id])


def _count_kinds(rels: tuple[Relation, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rels:
        out[r.kind] = out.get(r.kind, 0) + 1
    return dict(sorted(out.items()))


def dumps(obj: Any, *, ascii_: bool = False, indent: int | None = None) -> str:
    """Serialize deterministically (sorted keys are not used: key order is part of the contract)."""
    if indent in (1, 2) and not ascii_:
        fast = _indented(obj, indent == 1)
        if fast is not None:
            return fast
    return json.dumps(
        obj, ensure_ascii=ascii_, indent=indent, separators=None if indent else (",", ":")
    )


def _indented(obj: Any, halve: bool) -> str | None:
    """Return ``json.dumps(obj, ensure_ascii=False, indent=1 if halve else 2)`` written by orjson
    (the standard library's indented writer is pure Python, several times slower), or None when
    orjson would not write the same text: a float that either writes otherwise (NaN, infinity,
    exponents), a type other than the plain JSON ones, a key that is not a string, a lone
    surrogate."""
    if not _plain(obj):
        return None
    try:
        data = orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except TypeError:
        return None
    return (_halve_indent(data) if halve else data).decode("utf-8")


def _plain(obj: Any) -> bool:
    """Tell whether ``obj`` holds only dicts, lists, tuples, strings (string enums included: both
    write their value), ints, bools, None and floats that ``repr`` writes without an exponent (as
    orjson does)."""
    stack = [obj]
    while stack:
        x = stack.pop()
        kind = type(x)
        if kind is str or kind is int or kind is bool or x is None:
            continue
        if kind is float:
            if x != 0 and not _PLAIN_FLOAT_MIN <= abs(x) < _PLAIN_FLOAT_MAX:
                return False
        elif kind is dict:
            stack.extend(x.values())
        elif kind is list or kind is tuple:
            stack.extend(x)
        elif not isinstance(x, StrEnum):
            return False
    return True


_PLAIN_FLOAT_MIN = 1e-4  # repr writes smaller and larger floats with an exponent
_PLAIN_FLOAT_MAX = 1e16
_NEWLINE, _SPACE = 10, 32


def _halve_indent(data: bytes) -> bytes:
    """Return JSON text indented by two spaces a level indented by one (a raw newline only ever
    starts a line: strings escape theirs)."""
    text = np.frombuffer(data, dtype=np.uint8)
    starts = np.flatnonzero(text == _NEWLINE) + 1
    spaces = np.zeros(starts.size, dtype=np.int64)
    inside = np.ones(starts.size, dtype=np.bool_)
    offset = 0
    while inside.any():
        at = starts + offset
        inside &= at < text.size
        inside[inside] &= text[at[inside]] == _SPACE
        spaces += inside
        offset += 1
    drop = spaces // 2
    first = np.repeat(starts - (np.cumsum(drop) - drop), drop)
    keep = np.ones(text.size, dtype=np.bool_)
    keep[first + np.arange(first.size, dtype=np.int64)] = False
    return text[keep].tobytes()


def record_line(rec: dict[str, str | None]) -> str:
    """Return one JSONL line (newline included) of a record of strings: :func:`dumps`, byte for
    byte, written by orjson (several times faster) unless a string holds a lone surrogate."""
    try:
        return orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    except TypeError:  # orjson refuses lone surrogates; the standard library escapes them
        return dumps(rec) + "\n"


def report_to_jsonl(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the JSONL records of a report dict: one per cluster, then one per skipped input; each
    carries ``schema_version``."""
    docs = {d["id"]: d for d in data["documents"]}
    for c in data["clusters"]:
        yield {
            "schema_version": data["schema_version"],
            "type": "cluster",
            **c,
            "documents": [docs[m] for m in c["members"]],
        }
    for s in data["skipped"]:
        yield {"schema_version": data["schema_version"], "type": "skipped", **s}


def quote_to_dict(q: ClusterQuote) -> dict[str, Any]:
    """Return the public JSON object of one cluster quote.

    >>> quote_to_dict(ClusterQuote("Corker", "an island of stability", ("a",), (None,)))
    {'speaker': 'Corker', 'text': 'an island of stability', 'sources': ['a'], 'outlets': [None]}
    """
    return {
        "speaker": q.speaker,
        "text": q.text,
        "sources": list(q.sources),
        "outlets": list(q.outlets),
    }


def timeline_to_dict(entry: TimelineEntry) -> dict[str, Any]:
    """Return the public JSON object of one timeline entry."""
    return {"date": entry.date, "text": entry.text, "sources": list(entry.sources)}


def first_report_to_dict(first: FirstReport | None) -> dict[str, Any] | None:
    """Return the public JSON object of a cluster's first report (None stays None)."""
    if first is None:
        return None
    return {"doc": first.doc, "outlet": first.outlet, "date": first.date}
