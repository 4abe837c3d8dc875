"""Who reported it: the first report of a cluster, wire agency credits, and outlets that are known.

:func:`first_reported_by` picks the earliest report whose date can be trusted (never a page-save
date); an original is never displaced by its copy. :func:`wire_credits` lists the agencies a text
credits ("(رويترز)", "(أ ف ب)", "WASHINGTON (Reuters) -", "— Associated Press").
:func:`outlet_or_none` returns a document's outlet, or None when the value is only a file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import PurePath

from .records import Doc, FirstReport
from .text import fold_line, normalize_text
from .timeline import publication_date

# canonical name -> spellings in fold_line form (matched ignoring case)
_AGENCIES: dict[str, tuple[str, ...]] = {
    "Reuters": ("reuters", "رويترز"),
    "AFP": (
        "afp",
        "agence france-presse",
        "agence france presse",
        "ا ف ب",
        "ا. ف. ب",
        "ا.ف.ب",
        "فرانس برس",
    ),
    "AP": ("ap", "associated press", "اسوشيتد برس", "الاسوشيتد برس", "اسوشييتد برس"),
    "Anadolu": ("anadolu", "anadolu agency", "الاناضول", "الأناضول"),
    "SPA": ("spa", "واس"),
    "WAM": ("wam", "وام"),
    "QNA": ("qna", "قنا"),
    "KUNA": ("kuna", "كونا"),
    "MENA": ("mena", "ا ش ا", "ا.ش.ا"),
    "Xinhua": ("xinhua", "شينخوا"),
    "DPA": ("dpa", "د ب ا"),
    "EFE": ("efe",),
    "Sputnik": ("sputnik", "سبوتنيك"),
    "UPI": ("upi",),
    "IRNA": ("irna", "ارنا"),
}
_SPELLING = {s: name for name, spellings in _AGENCIES.items() for s in spellings}
_ALT = "|".join(
    re.escape(s).replace(r"\ ", r"\s*") for s in sorted(_SPELLING, key=len, reverse=True)
)
# Short names only count where a credit stands: in brackets, or after a dash that ends a line.
_BRACKETED = re.compile(rf"\(\s*(?P<n>{_ALT})\s*(?:/[^()\n]{{0,40}})?\)", re.IGNORECASE)
_DASHED = re.compile(
    rf"(?:^|[—–-]\s*)(?P<n>{_ALT})\s*\.?\s*$|^\s*(?P<m>{_ALT})\s*[—–-]\s", re.IGNORECASE | re.M
)
# Full names are credits wherever they stand ("Associated Press", "وكالة رويترز").
_FULL = re.compile(
    r"(?<!\w)(?P<n>reuters|associated press|agence france[- ]presse|رويترز|فرانس برس|الاناضول|اسوشيتد برس|"
    r"الاسوشيتد برس|شينخوا|anadolu agency|xinhua)(?!\w)",
    re.IGNORECASE,
)
_FILE_EXT = re.compile(
    r"\.(?:txt|html?|xhtml|json|jsonl|csv|tsv|xml|md|php|aspx?|jsp)$", re.IGNORECASE
)
_PATH_SOURCES = frozenset({"path", "file", "filename", "file-name", "origin", "id"})


def _canonical(spelling: str) -> str | None:
    key = " ".join(spelling.lower().replace(".", ". ").split()).replace(". ", ".").strip()
    for candidate in (key, key.replace(".", " ").strip(), " ".join(key.replace(".", " ").split())):
        if candidate in _SPELLING:
            return _SPELLING[candidate]
    return None


def wire_credits(doc: Doc) -> tuple[str, ...]:
    """Return the wire agencies ``doc`` credits, canonical names in order of first credit.

    >>> from clusterer.config import Config
    >>> from clusterer.normalize import normalize_article
    >>> from clusterer.records import Article
    >>> text = "Talks\\n\\nWASHINGTON (Reuters) - Talks ended (AFP), an official told the Associated Press."
    >>> wire_credits(normalize_article(Article("a", text, "a", title="Talks", lang="en"), Config()))
    ('Reuters', 'AFP', 'AP')
    """
    text = fold_line("\n".join(filter(None, (doc.title.value, doc.body))))
    found: list[tuple[int, str]] = []
    for pattern in (_BRACKETED, _DASHED, _FULL):
        for m in pattern.finditer(text):
            group = "n" if m.group("n") else "m"
            name = _canonical(m.group(group))
            if name:
                found.append((m.start(group), name))
    return tuple(dict.fromkeys(name for _, name in sorted(found)))


def outlet_or_none(doc: Doc) -> str | None:
    """Return ``doc``'s outlet, or None when it is unknown or only a file name or id.

    >>> from clusterer.records import Found, NOT_FOUND
    >>> from dataclasses import replace
    >>> from clusterer.config import Config
    >>> from clusterer.normalize import normalize_article
    >>> from clusterer.records import Article
    >>> art = Article("003_x.txt", "Title here\\n\\nBody text.", "seeds/003_x.txt")
    >>> doc = normalize_article(art, Config())
    >>> outlet_or_none(replace(doc, outlet=Found("003_x.txt", "line-under-title", 0.5)))
    >>> outlet_or_none(replace(doc, outlet=Found("Reuters", "dateline", 0.85)))
    'Reuters'
    """
    return outlet_name(doc.outlet.value, doc.outlet.source, doc.id, doc.origin)


@lru_cache(maxsize=1 << 14)
def outlet_name(value: str | None, source: str, doc_id: str, origin: str | None) -> str | None:
    """Return the outlet ``value`` found for a document, or None when it is only a file name or id
    (the rule of :func:`outlet_or_none`, on the fields of a report's document object).

    >>> outlet_name("003_x.txt", "line-under-title", "003_x.txt", "seeds/003_x.txt")
    >>> outlet_name("Reuters", "dateline", "003_x.txt", "seeds/003_x.txt")
    'Reuters'
    """
    value = (value or "").strip()
    if not value or source in _PATH_SOURCES or _FILE_EXT.search(value):
        return None
    names = {doc_id, PurePath(doc_id).name, PurePath(doc_id).stem}
    if origin:
        path = PurePath(origin.rsplit(":", 1)[0] if ":" in origin else origin)
        names.update({path.name, path.stem})
    return None if value in names else value


# ---------------------------------------------------------------------------------------------
# first report


def _mentions(doc: Doc, outlet: str | None) -> bool:
    """Tell whether ``doc``'s text names ``outlet`` (a copy credits what it copies)."""
    if not outlet:
        return False
    name = _padded(outlet)
    return name != "  " and name in _padded(doc.body)


@lru_cache(maxsize=1 << 10)  # copies() reads each document of a cluster once per pair it is in
def _padded(text: str) -> str:
    """Return :func:`normalize_text` of ``text`` with a space on either side (cached: outlet
    names and bodies; normalized text neither starts nor ends with a space)."""
    return f" {normalize_text(text)} "


def copies(
    docs: Sequence[Doc],
    duplicate_of: Mapping[str, str] | None = None,
    related: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Return ``copy id -> original id`` among ``docs``.

    Dedup's duplicates count, unless the texts say the reverse (the "original" names the outlet
    of its "copy" and not the other way round); in a related pair the one whose text names the
    other's outlet is the copy.
    """
    by_id = {d.id: d for d in docs}
    edges: dict[str, str] = {}
    pairs = [(a, b, True) for a, b in (duplicate_of or {}).items()] + [
        (a, b, False) for a, b in related
    ]
    for a, b, directed in pairs:
        if a not in by_id or b not in by_id or a == b:
            continue
        a_names_b = _mentions(by_id[a], outlet_or_none(by_id[b]))
        b_names_a = _mentions(by_id[b], outlet_or_none(by_id[a]))
        if b_names_a and not a_names_b:
            edges[b] = a
        elif a_names_b or directed:
            edges[a] = b
    return edges


def _original(doc_id: str, edges: Mapping[str, str]) -> str:
    seen = {doc_id}
    while doc_id in edges and edges[doc_id] not in seen:
        doc_id = edges[doc_id]
        seen.add(doc_id)
    return doc_id


def first_reported_by(
    docs: Sequence[Doc],
    duplicate_of: Mapping[str, str] | None = None,
    related: Iterable[tuple[str, str]] = (),
) -> FirstReport | None:
    """Return the earliest dated report among ``docs`` (None when no date can be trusted).

    Ties go to an original over its copies, then to input order; a copy that carries the
    earliest date hands the first report to its original (shown with the original's own date
    when it has one).
    """
    by_id = {d.id: d for d in docs}
    dated = [(day, i, d) for i, d in enumerate(docs) if (day := publication_date(d)) is not None]
    if not dated:
        return None
    edges = copies(docs, duplicate_of, related)
    day, _, first = min(dated, key=lambda t: (t[0], t[2].id in edges, t[1]))
    original = by_id[_original(first.id, edges)]
    shown = publication_date(original) or day
    return FirstReport(original.id, outlet_or_none(original), shown.isoformat())
