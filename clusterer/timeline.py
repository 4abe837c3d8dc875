"""What happened when: the dates a document's text mentions, and a story's timeline.

:func:`event_dates` finds explicit dates (``23 فبراير/شباط 2021``, ``Feb. 23, 2021``, with the day
and month alone counting in the publication year) and relative ones ("أمس الأربعاء", "الخميس
الماضي", "on Tuesday", "yesterday") resolved against the document's publication date. A date the
page was saved on (``page-date``) or one found with little confidence is never an anchor: without
an anchor relative words stay unresolved, never "today".

:func:`story_timeline` merges what several documents say happened on one date.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

from .metadata import parse_dates
from .quotes import sentence_spans
from .records import Dated, Doc, TimelineEntry
from .text import content_tokens, fold_line

ANCHOR_MIN_CONFIDENCE = (
    0.5  # published/date/updated lines, headers and record fields; not page or lead dates
)
_UNTRUSTED_SOURCES = frozenset({"page-date", "none"})
_YEARLESS_FUTURE_DAYS = 92  # "29 يونيو" more than a quarter after publication is last year's
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # tashkeel, superscript alef, tatweel
_SAME_FACT_JACCARD = 0.3
_SAME_FACT_CONTAINMENT = (
    0.35  # of the shorter sentence's content words, with at least this many shared:
)
_SAME_FACT_SHARED = 6
_TIMELINE_LIMIT = 8

# weekday number (Monday = 0) of each name, Arabic in fold_line form
_WEEKDAYS: dict[str, int] = {
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_AR_DAYS = "|".join(k for k in _WEEKDAYS if not k.isascii())
_EN_DAYS = "|".join(k.capitalize() for k in _WEEKDAYS if k.isascii())

# (pattern, fixed day offset or None for a weekday, direction for weekdays)
_AR_RELATIVE = re.compile(
    rf"(?<!\w)(?:(?P<before2>اول\s+امس)|(?P<yesterday>امس)(?:\s+(?:{_AR_DAYS}))?"
    rf"|(?P<today>اليوم)\s+(?:{_AR_DAYS})|(?P<tomorrow>غدا|يوم\s+غد)(?:\s+(?:{_AR_DAYS}))?"
    rf"|(?:يوم\s+)?(?P<day>{_AR_DAYS})(?:\s+(?P<when>الماضي|المقبل|القادم))?)(?!\w)"
)
_AR_NOT_WEEKDAY = re.compile(r"(?:صلاه|خطبه|بين|كلا|هذين|صلاتي)\s+$")
_EN_RELATIVE = re.compile(
    rf"\b(?:(?P<yesterday>[Yy]esterday|last night)|(?P<today>[Tt]oday|tonight|this morning)"
    rf"|(?P<tomorrow>[Tt]omorrow)|(?:(?P<when>last|next|this)\s+)?(?P<day>{_EN_DAYS}))\b"
)
# A match of either pattern holds one of these (a cheap test before searching a paragraph):
# "امس", "اليوم", "غدا", "يوم غد", an Arabic weekday; "day" (yesterday, today, every English
# weekday), "night", "this morning", "omorrow".
_RELATIVE_WORDS = (
    "امس",
    "اليوم",
    "غد",
    *(k for k in _WEEKDAYS if not k.isascii()),
    "day",
    "night",
    "this morning",
    "omorrow",
)
_DATE_FOLLOWS = re.compile(r"\s*[-–,،]?\s*(?:[A-Za-z]+\.?\s+)?\d")
_FUTURE = re.compile(
    r"\b(?:will|shall|scheduled|expected to|plans? to|is set to|are set to)\b"
    r"|(?<!\w)(?:سوف|المقرر|المنتظر|المرتقب)(?!\w)"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGIT = re.compile(r"\d")  # an explicit date holds one (see parse_dates)
_FUTURE_REACH = 40  # a future marker this many characters before a weekday ("will meet on Friday")
_FIXED = {"before2": -2, "yesterday": -1, "today": 0, "tomorrow": 1}


def publication_date(doc: Doc) -> _dt.date | None:
    """Return the day ``doc`` was published when it is known well enough to anchor relative dates.

    A page-save date, a date found with low confidence or one without a day is no anchor.
    """
    found = doc.date
    if (
        not found.value
        or found.source in _UNTRUSTED_SOURCES
        or found.confidence < ANCHOR_MIN_CONFIDENCE
    ):
        return None
    try:
        return _dt.date.fromisoformat(found.value[:10])
    except ValueError:
        return None


def _weekday_date(anchor: _dt.date, weekday: int, direction: str) -> _dt.date:
    """Return the ``weekday`` nearest ``anchor`` in ``direction``: "past" (on or before), "last"
    (strictly before), "future" (on or after) or "next" (strictly after)."""
    if direction in ("past", "last"):
        back = (anchor.weekday() - weekday) % 7
        return anchor - _dt.timedelta(days=back or (7 if direction == "last" else 0))
    ahead = (weekday - anchor.weekday()) % 7
    return anchor + _dt.timedelta(days=ahead or (7 if direction == "next" else 0))


def _direction(when: str | None, future: bool) -> str:
    if when in ("الماضي", "last"):
        return "last"
    if when in ("المقبل", "القادم", "next"):
        return "next"
    return "future" if future else "past"


def _resolve(m: re.Match[str], anchor: _dt.date, future: bool) -> _dt.date:
    for name, offset in _FIXED.items():
        if m.groupdict().get(name):
            return anchor + _dt.timedelta(days=offset)
    weekday = _WEEKDAYS[m.group("day").lower()]
    return _weekday_date(anchor, weekday, _direction(m.group("when"), future))


def _usable(m: re.Match[str], folded: str) -> bool:
    """Tell whether a relative match names a day (not "صلاة الجمعة", not "Tuesday, Feb. 23, 2021")."""
    if m.group("day") is None:
        return True
    if _DATE_FOLLOWS.match(folded, m.end()):
        return False  # the explicit date that follows says it
    return not _AR_NOT_WEEKDAY.search(folded, 0, m.start())


def relative_dates(sentence: str, anchor: _dt.date | None) -> list[str]:
    """Resolve the relative day words of ``sentence`` against ``anchor`` (none without an anchor).

    >>> wed = _dt.date(2021, 2, 24)
    >>> relative_dates("وقال أمس الثلاثاء إن الخميس الماضي كان هادئاً", wed)
    ['2021-02-23', '2021-02-18']
    >>> relative_dates("The vote on Tuesday came a day before talks that will resume next Monday", wed)
    ['2021-02-23', '2021-03-01']
    >>> relative_dates("قال أمس", None)
    []
    """
    if anchor is None:
        return []
    folded = _MARKS.sub("", fold_line(sentence))
    found: list[str] = []
    for pattern in (_AR_RELATIVE, _EN_RELATIVE):
        for m in pattern.finditer(folded):
            if _usable(m, folded):
                future = bool(_FUTURE.search(folded, max(0, m.start() - _FUTURE_REACH), m.start()))
                found.append(_resolve(m, anchor, future).isoformat())
    return list(dict.fromkeys(found))


def _absolute_dates(sentence: str, anchor: _dt.date | None) -> list[str]:
    """Return the explicit dates of ``sentence``; a day and month alone take the anchor's year."""
    dates: list[str] = []
    for iso, raw, _ in parse_dates(sentence, year=anchor.year if anchor else None):
        if anchor is not None and len(iso) == 10 and not _YEAR.search(fold_line(raw)):
            if raw.isascii() and raw.islower():
                continue  # "the 12 march in D.C.": an English month name is capitalized
            day = _dt.date.fromisoformat(iso)
            if (day - anchor).days > _YEARLESS_FUTURE_DAYS:
                iso = _shift_year(day, -1)
        dates.append(iso)
    return list(dict.fromkeys(dates))


def _shift_year(day: _dt.date, years: int) -> str:
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).isoformat()


def _may_date(paragraph: str, anchor: _dt.date | None) -> tuple[bool, bool]:
    """Tell whether a sentence of ``paragraph`` can give an explicit date (a digit) and whether
    one can give a relative date (a relative day word, with an anchor; a match in one sentence
    is a match in its paragraph, which splits only at non-word chars)."""
    digit = bool(_DIGIT.search(paragraph))
    if anchor is None:
        return digit, False
    folded = _MARKS.sub("", fold_line(paragraph))
    return digit, any(word in folded for word in _RELATIVE_WORDS) and bool(
        _AR_RELATIVE.search(folded) or _EN_RELATIVE.search(folded)
    )


def event_dates(doc: Doc) -> tuple[Dated, ...]:
    """Return every date ``doc``'s text mentions, with its sentence, in text order.

    >>> from clusterer.config import Config
    >>> from clusterer.normalize import normalize_article
    >>> from clusterer.records import Article
    >>> a = Article("a", "Talks resume\\n\\nThe ministers met on Tuesday in Geneva and will meet again.",
    ...             "a", title="Talks resume", date="2021-02-24", lang="en")
    >>> [(d.date, d.relative) for d in event_dates(normalize_article(a, Config()))]
    [('2021-02-23', True)]
    """
    anchor = publication_date(doc)
    found: list[Dated] = []
    for paragraph in doc.body.split("\n\n"):
        absolute, relative = _may_date(paragraph, anchor)
        if not (absolute or relative):
            continue
        for start, end in sentence_spans(paragraph):
            sentence = paragraph[start:end]
            for iso in _absolute_dates(sentence, anchor) if absolute else ():
                found.append(Dated(iso, sentence, doc.id, False))
            for iso in relative_dates(sentence, anchor) if relative else ():
                found.append(Dated(iso, sentence, doc.id, True))
    return tuple(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# a story's timeline


def _same_fact(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    shared = len(a & b)
    return shared / len(a | b) >= _SAME_FACT_JACCARD or (
        shared >= _SAME_FACT_SHARED and shared / min(len(a), len(b)) >= _SAME_FACT_CONTAINMENT
    )


def _groups(
    dated: Sequence[tuple[Dated, frozenset[str]]],
) -> list[list[tuple[Dated, frozenset[str]]]]:
    """Group mentions of one date whose sentences say the same thing (first match wins)."""
    groups: list[list[tuple[Dated, frozenset[str]]]] = []
    for item in dated:
        home = next(
            (
                g
                for g in groups
                if g[0][0].date == item[0].date and any(_same_fact(item[1], t) for _, t in g)
            ),
            None,
        )
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return groups


def story_timeline(
    docs: Sequence[Doc], *, limit: int = _TIMELINE_LIMIT
) -> tuple[TimelineEntry, ...]:
    """Return what happened when across ``docs``: one entry per date and fact, sorted by date.

    Sentences that give the same date and say the same thing (content-word overlap) are one entry
    whose sources are every document saying it; the ``limit`` best-supported entries are kept.
    """
    order = {doc.id: i for i, doc in enumerate(docs)}
    dated = [
        (d, frozenset(content_tokens(d.text, doc.lang))) for doc in docs for d in event_dates(doc)
    ]
    entries: list[TimelineEntry] = []
    for group in _groups(dated):
        sources = tuple(sorted({d.doc for d, _ in group}, key=lambda s: order[s]))
        text = min((d.text for d, _ in group), key=lambda t: (len(t.split()) < 5, len(t), t))
        entries.append(TimelineEntry(group[0][0].date, text, sources))
    entries.sort(key=lambda e: (-len(e.sources), e.date, e.text))
    return tuple(sorted(entries[:limit], key=lambda e: (e.date, e.text)))
