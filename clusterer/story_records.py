"""Typed, immutable records for who said what, what happened when and who reported it first.

quotes   -> Quote, ClusterQuote    (quotations with their speaker, merged across outlets)
timeline -> Dated, TimelineEntry   (dates mentioned in the text, merged per story)
sources  -> FirstReport            (the earliest dated report of a cluster)

The ``*_to_dict`` helpers give the public JSON objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
