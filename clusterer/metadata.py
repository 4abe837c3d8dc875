"""Find an article's title, outlet and date in its text (Arabic and English).

Pure functions over lines and text. Each finder returns a :class:`~clusterer.records.Found`
that says what was found, where (``source``) and how sure we are (``confidence``):

========== ================= ==========================================================
field      source            confidence
========== ================= ==========================================================
title      headline-line     0.85 (0.95 when the line is repeated, as scraped pages do)
title      lead              0.3: no headline line, first clause of the lead paragraph
outlet     line-under-title  0.85 when a date/byline follows it, else 0.5
outlet     dateline          0.85 "أربيل (كوردستان 24)-", "WASHINGTON (Reuters) -";
                             0.8 "إيلاف من لندن :"
outlet     byline            0.75 "By Jane Doe | Reuters"
outlet     quote             0.6-0.75 "لـ"العربي الجديد"", "تابعته "إيلاف"" (more with repeats)
outlet     source-line       0.55 "Source: Reuters", "المصدر: رويترز"
date       published-line    0.95 "تم النشر: 2021/02/24", "Published: ..."
date       date-line         0.85 a line holding only a date, under the title
date       updated-line      0.7
date       header            0.6 a date inside one of the first short lines
date       lead              0.45 a full date in the lead paragraph
date       page-date         0.4 a date line above the title (often the day the page was saved);
                             0.2 when it is years later than every year the text mentions
========== ================= ==========================================================

Dates are ISO ``YYYY-MM-DD`` (``YYYY-MM`` when the text names no day). Relative words
("الثلاثاء", "yesterday") are never dates.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .furniture import is_caption, is_furniture
from .records import NOT_FOUND, Found
from .text import FULL_STOPS, MONTHS, fold_line, normalize_text, normalized_words

# ---------------------------------------------------------------------------------------------
# dates

# Month names are in fold_line form (أ/إ -> ا, ى -> ي, ة -> ه) and matched ignoring case.
_MONTH_ALT = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(MONTHS, key=len, reverse=True)
)
_DIGIT = re.compile(r"\d")
_YEAR_MENTION = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DATE_REACH_BEFORE = 80  # the longest date text before its year: "Tuesday 23rd of كانون الثاني/..."
_DATE_REACH_AFTER = 12  # and after it: "2021/02/24"
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


def _month(group: str) -> str:
    return rf"{_NOT_LETTER_BEFORE}(?P<{group}>{_MONTH_ALT}){_NOT_LETTER_AFTER}\.?"


_PAIR = _month("m") + r"(?:\s*[/\\\-–(]\s*" + _month("m2") + r"\s*\)?)?"
_DAY = r"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
_SEP = r"\s*[,،]?\s*"
_YEAR_WORD = r"(?:(?:من\s+)?(?:عام|العام|لعام|سنه|السنه)\s+)?"
_OF = r"(?:\s*(?:of|من|شهر|من\s+شهر)\s+|\s*)"

_FULL_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?<!\d)(?P<y>(?:19|20)\d\d)\s?(?P<s>[/\-.])\s?(?P<mo>[0-3]?\d)\s?(?P=s)\s?(?P<d>[0-3]?\d)(?!\d)",
        r"(?<!\d)(?P<d>[0-3]?\d)\s?(?P<s>[/\-.])\s?(?P<mo>[0-3]?\d)\s?(?P=s)\s?(?P<y>(?:19|20)\d\d)(?!\d)",
        _DAY + _OF + _PAIR + _SEP + _YEAR_WORD + _YEAR,
        _PAIR + r"\s*" + _DAY + _SEP + _YEAR,
        _PAIR + _SEP + _YEAR_WORD + _YEAR,
    )
)
_YEARLESS_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        _DAY + _OF + _PAIR,
        _PAIR + r"\s*" + _DAY,
    )
)


def _iso(match: re.Match[str], year: int | None) -> str | None:
    """Turn one date match into ISO text, or None when it is not a valid date."""
    groups = match.groupdict()
    y = int(groups["y"]) if groups.get("y") else year
    if y is None:
        return None
    if groups.get("mo"):
        month = int(groups["mo"])
    else:
        month = MONTHS.get(" ".join(groups["m"].lower().rstrip(".").split()), 0)
    if not groups.get("d"):
        return f"{y:04d}-{month:02d}" if 1 <= month <= 12 else None
    day = int(groups["d"])
    if groups.get("mo") and month > 12 >= day:
        month, day = day, month  # M/D/Y
    try:
        return _dt.date(y, month, day).isoformat()
    except ValueError:
        return None


# A full date holds a year _YEAR_MENTION finds (one that no digit touches); a date without a
# year holds a month name, whose first word is then a whole run of letters. These tell, before
# the costly searches, which patterns can match at all.
_LETTERS = re.compile(r"[^\W\d_]+")
_MONTH_FIRST_WORDS = frozenset(name.split()[0] for name in MONTHS)


def _may_name_month(folded: str) -> bool:
    """Tell whether a month name a date can be made of is in ``folded``: one whose lower case is
    in MONTHS, as :func:`_iso` looks it up (a match of another case, "Auguſt", gives no date)."""
    return not _MONTH_FIRST_WORDS.isdisjoint(map(str.lower, _LETTERS.findall(folded)))


def _searches(folded: str, year: int | None) -> list[tuple[int, int, tuple[re.Pattern[str], ...]]]:
    """Return the (start, end, patterns) to search a folded text with: with a ``year``, the whole
    text with the patterns that can match in it; without, the text near each year mention."""
    if year is not None:
        patterns = (_FULL_PATTERNS if _YEAR_MENTION.search(folded) else ()) + (
            _YEARLESS_PATTERNS if _may_name_month(folded) else ()
        )
        return [(0, len(folded), patterns)] if patterns else []
    spans: list[tuple[int, int, tuple[re.Pattern[str], ...]]] = []
    for m in _YEAR_MENTION.finditer(folded):  # every full date holds a year: look near each one
        start, end = max(0, m.start() - _DATE_REACH_BEFORE), m.end() + _DATE_REACH_AFTER
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end, _FULL_PATTERNS)
        else:
            spans.append((start, end, _FULL_PATTERNS))
    return spans


def parse_dates(text: str, *, year: int | None = None) -> list[tuple[str, str, int]]:
    """Return ``(iso, raw, offset)`` for every explicit date in ``text``, in text order.

    Supports Arabic month names of both sets (يناير and كانون الثاني, with spelling variants and
    the paired "23 فبراير/شباط 2021" form), English names and abbreviations, numeric Y/M/D and
    D/M/Y with ``/ - .``, ISO, and Arabic-Indic digits. A month with a year and no day gives
    ``YYYY-MM``. Day and month without a year count only when ``year`` is given.

    >>> parse_dates("الثلاثاء 23 فبراير/شباط 2021")
    [('2021-02-23', '23 فبراير/شباط 2021', 9)]
    >>> [d[0] for d in parse_dates("2021/02/24 الساعة 05:40، ثم Feb. 23, 2021 و٢٧ فبراير ٢٠٢١")]
    ['2021-02-24', '2021-02-23', '2021-02-27']
    >>> parse_dates("Yesterday, on Tuesday")
    []
    """
    if not text:
        return []
    if not _DIGIT.search(text):
        return []
    folded = fold_line(text)
    found: set[tuple[int, int, str]] = set()
    for start, end, patterns in _searches(folded, year):
        for pattern in patterns:
            for m in pattern.finditer(folded, start, end):
                iso = _iso(m, year)
                if iso is not None:
                    found.add((m.start(), m.end(), iso))
    result: list[tuple[str, str, int]] = []
    last_end = -1
    for start, end, iso in sorted(found, key=lambda t: (t[0], -(t[1] - t[0]))):
        if start < last_end:
            continue
        result.append((iso, text[start:end], start))
        last_end = end
    return result


@lru_cache(maxsize=4096)
def normalize_date(value: str) -> str:
    """Return ``value`` as ISO ``YYYY-MM-DD`` (or ``YYYY-MM``) when it parses, else unchanged.

    >>> normalize_date("2021-02-23T05:40:00Z"), normalize_date("Tue, 23 Feb 2021 10:00:00 GMT")
    ('2021-02-23', '2021-02-23')
    >>> normalize_date("sometime")
    'sometime'
    """
    dates = parse_dates(value)
    return dates[0][0] if dates else value.strip()


_PUBLISHED = tuple(
    normalize_text(p)
    for p in (
        "تم النشر",
        "نشر في",
        "نشر بتاريخ",
        "تاريخ النشر",
        "نشر",
        "published",
        "posted",
        "first published",
        "date published",
        "publication date",
        "release date",
    )
)
_UPDATED = tuple(
    normalize_text(p)
    for p in (
        "تم التحديث",
        "آخر تحديث",
        "اخر تحديث",
        "تحديث",
        "updated",
        "last updated",
        "modified",
        "last modified",
    )
)
_DATE_FILLER = normalized_words("""
الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت أحد اثنين إثنين ثلاثاء أربعاء خميس جمعة سبت
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
محرم صفر ربيع الأول الثاني الآخر الاخر جمادى الأولى الآخرة رجب شعبان رمضان شوال ذو ذي القعدة الحجة
م هـ ه الموافق الساعة بتوقيت توقيت غرينتش جرينتش غرينيتش مكة المكرمة القدس بغداد gmt utc am pm a p et est edt
bst cet cest ص صباحا مساء ظهرا يوم تاريخ بتاريخ في on at the of updated published posted date عام سنة آخر
تحديث تم النشر التحديث نشر last
""")
_MAX_DATE_LINE_WORDS = 16


def _date_line_kind(line: str) -> tuple[str, tuple[str, str, int]] | None:
    """Classify a short line as a "published", "updated" or pure "date" line, with its date."""
    words = len(line.split(maxsplit=_MAX_DATE_LINE_WORDS))  # counted up to the most + 1
    if words > _MAX_DATE_LINE_WORDS or not _DIGIT.search(line):
        return None
    dates = parse_dates(line)
    if not dates:
        return None
    norm = normalize_text(line)
    if norm.startswith(_PUBLISHED):
        return "published", dates[0]
    if norm.startswith(_UPDATED):
        return "updated", dates[0]
    rest = line
    for _, raw, offset in reversed(dates):
        rest = rest[:offset] + " " + rest[offset + len(raw) :]
    leftover = [
        w for w in normalize_text(rest).split() if w not in _DATE_FILLER and not w.isdigit()
    ]
    if len(leftover) <= 1:
        return "date", dates[0]
    return None


def is_date_line(line: str) -> bool:
    """Tell whether ``line`` holds only a date (with weekday, time, "published" label ...).

    >>> is_date_line("الجمعة - 29 مارس 2024"), is_date_line("تم النشر: 2021/02/24 الساعة 05:40 بتوقيت غرينتش")
    (True, True)
    >>> is_date_line("قال البيت الأبيض، الثلاثاء 23 فبراير/شباط 2021، إن الرئيس")
    False
    """
    return _date_line_kind(line) is not None


_PAGE_DATE_GAP_YEARS = 2


def _date_line_found(lines: Sequence[str], i: int, iso: str, date_lines: Sequence[int]) -> Found:
    """Rate the date of the date-only line ``i``: a page date when it is above the title or years
    later than every year the text mentions, else the article's date line."""
    raw = lines[i].strip()
    skip = set(date_lines)
    body = "\n".join(ln for j, ln in enumerate(lines) if j not in skip)
    years = [int(y) for y in _YEAR_MENTION.findall(fold_line(body))]
    if years and int(iso[:4]) >= max(years) + _PAGE_DATE_GAP_YEARS:
        return Found(iso, "page-date", 0.2, raw)
    at_top = all(not ln.strip() or j in skip or is_furniture(ln) for j, ln in enumerate(lines[:i]))
    if at_top:
        return Found(iso, "page-date", 0.4, raw)
    return Found(iso, "date-line", 0.85, raw)


def _date_in_text(lines: Sequence[str]) -> Found:
    """Return a full date inside one of the first short header lines, else in the lead."""
    end = header_end(lines)
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    for i in nonempty[:3]:
        if i >= end or len(lines[i].split()) > 25:
            break
        full = [d for d in parse_dates(lines[i]) if len(d[0]) == 10]
        if full:
            return Found(full[0][0], "header", 0.6, full[0][1])
    if end < len(lines):
        full = [d for d in parse_dates(lines[end]) if len(d[0]) == 10]
        if full:
            return Found(full[0][0], "lead", 0.45, full[0][1])
    return NOT_FOUND


def _date_lines(lines: Sequence[str]) -> tuple[dict[str, tuple[int, str]], list[int]]:
    """Return the first line and date of each date-line kind, and the indices of all date lines."""
    kinds: dict[str, tuple[int, str]] = {}  # kind -> (first line, its date)
    date_line_idx: list[int] = []
    for i, line in enumerate(lines):
        kind = _date_line_kind(line) if line else None
        if kind is None:
            continue
        date_line_idx.append(i)
        kinds.setdefault(kind[0], (i, kind[1][0]))
    return kinds, date_line_idx


def date_line_indices(lines: Sequence[str]) -> list[int]:
    """Return the indices of every date/published/updated line (what :func:`locate_date` drops)."""
    return _date_lines(lines)[1]


def locate_date(text: str, lines: Sequence[str]) -> tuple[Found, list[int]]:
    """Find the publication date and the indices of every date/published line (to drop from the body)."""
    kinds, date_line_idx = _date_lines(lines)
    if "published" in kinds:
        i, iso = kinds["published"]
        return Found(iso, "published-line", 0.95, lines[i].strip()), date_line_idx
    if "date" in kinds:
        i, iso = kinds["date"]
        return _date_line_found(lines, i, iso, date_line_idx), date_line_idx
    if "updated" in kinds:
        i, iso = kinds["updated"]
        return Found(iso, "updated-line", 0.7, lines[i].strip()), date_line_idx
    return _date_in_text(lines), date_line_idx


def find_date(text: str, lines: Sequence[str]) -> Found:
    """Return the article's publication date (ISO) with where it was found and how sure we are."""
    return locate_date(text, lines)[0]


# ---------------------------------------------------------------------------------------------
# title

_MAX_TITLE_WORDS = 25
_MIN_TITLE_WORDS = 3
_LEAD_TITLE_WORDS = 15
_PARAGRAPH_WORDS = 25
_SCAN_LINES = 12

_DATELINE_PAREN = re.compile(
    r"^\s*(?P<place>[^\W\d_][^()\n]{0,60}?)\s*\(\s*(?P<outlet>[^()\n]{2,40}?)\s*\)\s*[-–—:]"
)
_DATELINE_MIN = re.compile(r"^\s*(?P<outlet>\S+(?:\s+\S+)?)\s+من\s+\S+(?:\s+\S+)?\s*[:：]")
_DATELINE_DASH = re.compile(r"^\s*[^\W\d_]\S*(?:\s+\S+){0,2}\s*[-–—]\s+\S")
_BYLINE = tuple(
    normalize_text(p) + " "
    for p in (
        "by",
        "بقلم",
        "كتب",
        "كتبت",
        "إعداد",
        "تحرير",
        "written by",
        "reporting by",
        "reported by",
        "story by",
    )
)
_SENTENCE_END = re.compile(f"(?<=[{re.escape(FULL_STOPS)}])\\s+")
_CLAUSE_BREAK = re.compile(r"\s*[،,؛;:]\s*")


def _is_dateline_led(line: str) -> bool:
    folded = fold_line(line)
    return bool(
        _DATELINE_PAREN.match(folded) or _DATELINE_MIN.match(folded) or _DATELINE_DASH.match(folded)
    )


def _is_paragraph(line: str) -> bool:
    """Tell whether ``line`` reads as a body paragraph rather than a headline or label."""
    n = len(line.split(maxsplit=_PARAGRAPH_WORDS))  # words, counted up to _PARAGRAPH_WORDS + 1
    if n > _PARAGRAPH_WORDS:
        return True
    if n > 8 and _is_dateline_led(line):
        return True
    stripped = line.rstrip()
    return n > 12 and stripped.endswith(".") and not stripped.endswith("..")


def header_end(lines: Sequence[str]) -> int:
    """Return the index of the first body paragraph (``len(lines)`` if none looks like one)."""
    for i, line in enumerate(lines):
        if line.strip() and _is_paragraph(line):
            return i
    return len(lines)


def is_byline(line: str) -> bool:
    """Tell whether ``line`` is a byline ("By Jane Doe | Reuters", "بقلم ...", "كتب ...").

    >>> is_byline("By Jane Doe | Example Times"), is_byline("Byzantine ruins found")
    (True, False)
    """
    norm = normalize_text(line) + " "
    return len(norm.split()) <= 10 and norm.startswith(_BYLINE)


def _lead_clause(line: str) -> tuple[str, bool]:
    """Return the first clause or sentence of a lead paragraph (~15 words) and whether it was cut."""
    folded = fold_line(line)
    for pattern in (_DATELINE_PAREN, _DATELINE_MIN, _DATELINE_DASH):
        m = pattern.match(folded)
        if m:
            cut = m.end() - (1 if pattern is _DATELINE_DASH else 0)
            line = line[cut:]
            break
    line = line.strip(" -–—:\t")
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0].strip()
    words = sentence.split()
    if len(words) <= _LEAD_TITLE_WORDS:
        return sentence.rstrip(".").strip(), False
    clause = _CLAUSE_BREAK.split(sentence, maxsplit=1)[0].strip()
    if 4 <= len(clause.split()) <= _LEAD_TITLE_WORDS + 5:
        return clause, False
    return " ".join(words[:_LEAD_TITLE_WORDS]) + "…", True


def locate_title(lines: Sequence[str], lang: str) -> tuple[Found, int | None]:
    """Find the headline and its line index (None when the title comes from the lead)."""
    end = header_end(lines)
    seen = 0
    for i, line in enumerate(lines[:end]):
        text = line.strip()
        if not text:
            continue
        seen += 1
        if seen > _SCAN_LINES:
            break
        n = len(text.split())
        if (
            n < _MIN_TITLE_WORDS
            or n > _MAX_TITLE_WORDS
            or text.endswith(":")
            or is_furniture(text)
            or is_date_line(text)
            or is_byline(text)
            or is_caption(text, in_header=True)
        ):
            continue
        norm = normalize_text(text)
        repeated = any(
            normalize_text(other) == norm for other in lines[i + 1 : i + 8] if other.strip()
        )
        return Found(text, "headline-line", 0.95 if repeated else 0.85, text), i
    lead_idx = (
        end
        if end < len(lines)
        else next((i for i, ln in enumerate(lines) if ln.strip() and not is_furniture(ln)), None)
    )
    if lead_idx is None:
        return NOT_FOUND, None
    value, _ = _lead_clause(lines[lead_idx].strip())
    if not value:
        return NOT_FOUND, None
    return Found(value, "lead", 0.3, lines[lead_idx].strip()), lead_idx


def find_title(lines: Sequence[str], lang: str) -> Found:
    """Return the article's headline: the first headline-like line, else the lead's first clause."""
    return locate_title(lines, lang)[0]


# ---------------------------------------------------------------------------------------------
# outlet

_QUOTED = re.compile(r"[\"«“]\s*(?P<outlet>[^\"»”\n]{2,40}?)\s*(?=[\"»”])")
_SELF_TRIGGER = re.compile(
    r"(?:(?:^|[\s،,(])لـ?|تابعته|تابعتها|تابعها|تابعه|اطلعت عليه|اطلعت عليها|اطلع عليه|اطلع عليها|"
    r"حصلت عليه|حصلت عليها|حصل عليه|حصل عليها|تلقته|تلقتها|تلقاه|تلقاها|خص به|خصت به|ارسله|ارسلته|"
    r"ارسلها|نقلته|بعث به)\s*$"
)
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|المصدر|مصدر الخبر)\s*[:：]\s*(?P<outlet>[^\n]{2,40})$", re.IGNORECASE
)
_BYLINE_OUTLET = re.compile(
    r"^\s*(?:by|بقلم)\s+[^|\n]{2,60}?\s*[|–—-]\s*(?P<outlet>[^|\n]{2,40})$", re.IGNORECASE
)
_MAX_OUTLET_WORDS = 4
_SENTENCE_PUNCT = re.compile(r"[.!?؟،,:;؛\"«»]")


def _clean_outlet(name: str) -> str:
    return " ".join(name.strip(" \"'«»“”()-–—:").split())


def _plausible_outlet(name: str) -> bool:
    words = name.split()
    return (
        0 < len(words) <= _MAX_OUTLET_WORDS
        and not all(w.isdigit() for w in words)
        and not parse_dates(name)
    )


_OutletCandidate = tuple[Found, int | None]  # and the index of the outlet's own line, if any
_UNDER_TITLE_LINES = 7
_HEADER_LINES = 8
_MAX_OUTLET_CHARS = 40
_TRIGGER_REACH = 16  # characters before a quote where "لـ", "تابعته" ... are looked for


def _is_header_noise(text: str, title_norm: str) -> bool:
    """Tell whether a line under the title is a repeat of it, furniture, a date or a caption."""
    return (
        normalize_text(text) == title_norm
        or is_furniture(text)
        or is_date_line(text)
        or is_caption(text, in_header=True)
    )


def _is_outlet_line(text: str, name: str) -> bool:
    """Tell whether a short line reads as an outlet name (``name`` is its cleaned form)."""
    return (
        len(text.split()) <= _MAX_OUTLET_WORDS
        and len(text) <= _MAX_OUTLET_CHARS
        and not _SENTENCE_PUNCT.search(text)
        and _plausible_outlet(name)
    )


def _outlet_under_title(lines: Sequence[str], title_index: int | None) -> list[_OutletCandidate]:
    """Return the outlet named on the first real line under the title (sure when a date follows)."""
    if title_index is None or not 0 <= title_index < len(lines):
        return []
    title_norm = normalize_text(lines[title_index])
    end = min(len(lines), title_index + 1 + _UNDER_TITLE_LINES)
    following = [j for j in range(title_index + 1, end) if lines[j].strip()]
    for pos, j in enumerate(following):
        text = lines[j].strip()
        if _is_header_noise(text, title_norm):
            continue
        name = _clean_outlet(text)
        if not _is_outlet_line(text, name):
            return []
        nxt = following[pos + 1] if pos + 1 < len(following) else None
        confirmed = nxt is not None and (is_date_line(lines[nxt]) or is_byline(lines[nxt]))
        conf = 0.85 if confirmed else 0.5
        return [(Found(name, "line-under-title", conf, text), j)]
    return []


def _dateline_outlet(text: str) -> Found | None:
    """Return the outlet of a dateline ("أربيل (كوردستان 24)-", "إيلاف من لندن :"), if any."""
    folded = fold_line(text)
    m = _DATELINE_PAREN.match(folded)
    if m:
        name = _clean_outlet(text[m.start("outlet") : m.end("outlet")])
        if _plausible_outlet(name) and len(m.group("place").split()) <= 5:
            return Found(name, "dateline", 0.85, text[: m.end()])
    m = _DATELINE_MIN.match(folded)
    if m and len(text.split()) > 8:
        name = _clean_outlet(text[m.start("outlet") : m.end("outlet")])
        if _plausible_outlet(name):
            return Found(name, "dateline", 0.8, text[: m.end()])
    return None


def _outlet_in_header(lines: Sequence[str]) -> list[_OutletCandidate]:
    """Return the bylines' outlets of the first lines, up to and with the first dateline's."""
    found: list[_OutletCandidate] = []
    texts = [ln.strip() for ln in lines if ln.strip()][:_HEADER_LINES]
    for text in texts:
        dateline = _dateline_outlet(text)
        if dateline is not None:
            found.append((dateline, None))
            break
        m = _BYLINE_OUTLET.match(text)
        if m:
            name = _clean_outlet(m.group("outlet"))
            if _plausible_outlet(name):
                found.append((Found(name, "byline", 0.75, text), None))
    return found


def _outlet_source_line(lines: Sequence[str]) -> list[_OutletCandidate]:
    """Return the outlet of the first "Source: ..." / "المصدر: ..." line."""
    for i, line in enumerate(lines):
        m = _SOURCE_LINE.match(line)
        if m:
            name = _clean_outlet(m.group("outlet"))
            if _plausible_outlet(name):
                return [(Found(name, "source-line", 0.55, line.strip()), i)]
    return []


def _outlet_quoted(lines: Sequence[str]) -> list[_OutletCandidate]:
    """Return the outlet quoted most often after "لـ", "تابعته" ... (surer with repeats)."""
    text = "\n".join(lines)
    folded = fold_line(text)
    quoted: Counter[str] = Counter()
    first: dict[str, tuple[str, str]] = {}  # normalized name -> (name, raw text around it)
    for m in _QUOTED.finditer(folded):
        if not _SELF_TRIGGER.search(folded, max(0, m.start() - _TRIGGER_REACH), m.start()):
            continue
        name = _clean_outlet(text[m.start("outlet") : m.end("outlet")])
        if _plausible_outlet(name):
            key = normalize_text(name)
            quoted[key] += 1
            first.setdefault(key, (name, text[max(0, m.start() - 2) : m.end() + 1]))
    if not quoted:
        return []
    key = max(quoted, key=quoted.__getitem__)  # the first of the most quoted
    conf = min(0.75, 0.6 + 0.05 * (quoted[key] - 1))
    name, raw = first[key]
    return [(Found(name, "quote", conf, raw.strip(" ،,(\n")), None)]


def locate_outlet(lines: Sequence[str], title_index: int | None) -> tuple[Found, int | None]:
    """Find the outlet and, when it sits on a line of its own, that line's index.

    Candidates come from the line under the title, datelines and bylines, a source line and
    quotes; the most confident wins, the first one on ties.
    """
    candidates = [
        *_outlet_under_title(lines, title_index),
        *_outlet_in_header(lines),
        *_outlet_source_line(lines),
        *_outlet_quoted(lines),
    ]
    if not candidates:
        return NOT_FOUND, None
    return max(candidates, key=lambda c: c[0].confidence)


def find_outlet(lines: Sequence[str], title_index: int | None) -> Found:
    """Return the outlet that published the article, or NOT_FOUND (agency credits do not count)."""
    return locate_outlet(lines, title_index)[0]
