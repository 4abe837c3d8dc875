"""What the shareable reports show, read from the report dict (``render.report_to_dict``).

The HTML and Markdown reports are built from the very dict the JSON format writes, so there is
one data path. This module walks that dict: stories with their events, each event's articles
with their duplicates folded under the original, outlets per story, articles per day. Fields a
newer summarizer adds (``lead``, ``quotes``, ``timeline``, ``first_reported_by``) are read with
``.get`` so older reports render too. No markup is built here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .sources import outlet_name

UNKNOWN_OUTLET = "unknown outlet"
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

Obj = Mapping[str, Any]


@dataclass(frozen=True)
class Member:
    """One article of an event, with the copies folded under it."""

    doc: Obj
    outlet: str
    copies: tuple[tuple[Obj, str, str], ...]  # (document, outlet, duplicate kind)


@dataclass(frozen=True)
class StoryView:
    """One story (or a lone event without a story) and its events, in report order."""

    id: str
    headline: str
    clusters: tuple[Obj, ...]
    timeline: tuple[Obj, ...]


def document_outlet(doc: Obj) -> str:
    """Return a document's outlet, or ``"unknown outlet"`` when none is known (never a file name).

    >>> document_outlet({"id": "a.txt", "origin": "x/a.txt", "outlet": "a.txt", "outlet_source": "x"})
    'unknown outlet'
    """
    name = outlet_name(
        doc.get("outlet"), doc.get("outlet_source") or "", doc["id"], doc.get("origin")
    )
    return name or UNKNOWN_OUTLET


def lang_of(doc: Obj | None) -> str | None:
    """Return a document's language as a safe ``lang`` value, or None when unknown."""
    value = (doc or {}).get("lang")
    return value if isinstance(value, str) and _LANG.match(value) else None


def documents(data: Obj) -> dict[str, Obj]:
    """Return the report's documents by id."""
    return {d["id"]: d for d in data["documents"]}


def cluster_lang(cluster: Obj, docs: Mapping[str, Obj]) -> str | None:
    """Return the language of the document an event's headline comes from (else its first kept)."""
    first = cluster.get("headline_source") or (cluster["kept"] or cluster["members"])[0]
    return lang_of(docs.get(first))


def stories(data: Obj) -> list[StoryView]:
    """Return the stories with their events; an event in no story stands as its own story."""
    by_id = {c["id"]: c for c in data["clusters"]}
    placed: set[str] = set()
    out: list[StoryView] = []
    for s in data.get("stories", []):
        members = tuple(by_id[c] for c in s["clusters"] if c in by_id and c not in placed)
        placed.update(c["id"] for c in members)
        if members:
            out.append(StoryView(s["id"], s["headline"], members, tuple(s.get("timeline") or ())))
    for c in data["clusters"]:
        if c["id"] not in placed:
            out.append(StoryView(c["id"], c["headline"] or c["id"], (c,), ()))
    return out


def members(cluster: Obj, docs: Mapping[str, Obj], duplicates: Iterable[Obj]) -> list[Member]:
    """Return an event's articles, each duplicate folded under the article it copies."""
    ids = set(cluster["members"])
    copy_of = {r["id"]: r for r in duplicates if r["id"] in ids and r["duplicate_of"] in ids}
    folded: dict[str, list[tuple[Obj, str, str]]] = {}
    for doc_id, rel in copy_of.items():
        original = rel["duplicate_of"]
        while original in copy_of and original != doc_id:
            original = copy_of[original]["duplicate_of"]
        kind = str(rel["kind"]).replace("_", " ")
        folded.setdefault(original, []).append((docs[doc_id], document_outlet(docs[doc_id]), kind))
    return [
        Member(docs[m], document_outlet(docs[m]), tuple(folded.get(m, ())))
        for m in cluster["members"]
        if m not in copy_of
    ]


def coverage(clusters: Iterable[Obj], docs: Mapping[str, Obj]) -> list[tuple[str, int]]:
    """Return (outlet, articles) for a story's articles, most articles first."""
    counts = Counter(document_outlet(docs[m]) for c in clusters for m in c["members"])
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def per_day(clusters: Iterable[Obj], docs: Mapping[str, Obj]) -> dict[str, Counter[str]]:
    """Return ``day -> outlet -> articles`` for a story's dated articles, days in order."""
    out: dict[str, Counter[str]] = {}
    for c in clusters:
        for m in c["members"]:
            day = (docs[m].get("date") or "")[:10]
            if day:
                out.setdefault(day, Counter())[document_outlet(docs[m])] += 1
    return dict(sorted(out.items()))


def conflict_kind(conflict: Obj) -> str:
    """Return what a conflict is about (``type`` in newer reports, ``kind`` in older ones)."""
    return str(conflict.get("type") or conflict.get("kind") or "figure")


def versions(conflict: Obj) -> list[tuple[str, list[str]]]:
    """Return a conflict's (value, outlets) versions."""
    return [(str(v["value"]), list(v.get("outlets") or [])) for v in conflict.get("versions", [])]


def first_report(cluster: Obj) -> str | None:
    """Return "outlet, date" of an event's first report, when the report says."""
    first = cluster.get("first_reported_by")
    if not first:
        return None
    return ", ".join(x for x in (first.get("outlet") or UNKNOWN_OUTLET, first.get("date")) if x)


def stats_line(data: Obj) -> str:
    """Return the one-line count of a report."""
    st = data["stats"]
    return (
        f"{st['documents']} documents → {st['clusters']} events "
        f"({st['multi_document_clusters']} with several documents), {st['duplicates']} duplicates, "
        f"{st['skipped']} skipped"
    )
