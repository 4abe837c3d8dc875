"""Compare the figures and dates outlets give for one statement.

Numbers are read from digits and number words (Arabic and English, clitics stripped) together
with the noun they count; two outlets disagree on a figure only when both count the same noun
and each gives a value the other's sentence never mentions. Dates are (month, day) pairs.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from .records import Conflict
from .text import ARABIC_INDIC_DIGITS, MONTH_WORDS, content_tokens, fold_word, strip_tashkeel

__all__ = [
    "Claim",
    "as_number",
    "fold_word",
    "dates_in",
    "figures_differ",
    "find_conflicts",
    "number_values",
    "numbers_in",
    "unique_in_order",
]


def unique_in_order(items: Iterable[str]) -> tuple[str, ...]:
    """Return the distinct items in first-seen order."""
    return tuple(dict.fromkeys(items))


@lru_cache(maxsize=1 << 16)
def word_stems(word: str, lang: str) -> tuple[str, ...]:
    """Return the content stems of one word (cached)."""
    return tuple(content_tokens(word, lang))


_AR_NUMBERS = {
    "واحد": 1,
    "واحده": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثماني": 8,
    "ثمان": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "اربعون": 40,
    "اربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
    "مئه": 100,
    "مائه": 100,
    "مئتان": 200,
    "مئتين": 200,
    "مائتين": 200,
    "الف": 1000,
    "الاف": 1000,
    "مليون": 10**6,
    "ملايين": 10**6,
    "مليار": 10**9,
}
_EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "dozen": 12,
    "dozens": 12,
}
_MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "مئه": 100,
    "مائه": 100,
    "الف": 1000,
    "الاف": 1000,
    "مليون": 10**6,
    "ملايين": 10**6,
    "مليار": 10**9,
}
_LABELS = frozenset(["no", "number", "nos", "رقم", "المرتبه", "مرتبه"])
_WORD = re.compile(r"\d[\d.,]*\d|\d|[^\W\d_]+")


_AR_NUMBER_PREFIXES = ("", "و", "ب", "ل", "ف", "وب", "ال", "وال", "بال")
# the words other than digit strings that :func:`as_number` reads as a number
NUMBER_WORDS = frozenset([*_EN_NUMBERS, *(p + w for p in _AR_NUMBER_PREFIXES for w in _AR_NUMBERS)])


@lru_cache(maxsize=1 << 16)
def as_number(word: str) -> float | None:
    """Return the value of a digit string or number word (clitics such as ب، و، ال stripped).

    >>> as_number("بثلاثه"), as_number("2,500"), as_number("")
    (3.0, 2500.0, None)
    """
    if not word:  # (a word of marks only folds to nothing)
        return None
    if word[0].isdigit():
        cleaned = word.replace(",", "").replace("٬", "")
        try:
            return float(cleaned)
        except ValueError:
            return None
    if word in _EN_NUMBERS:
        return float(_EN_NUMBERS[word])
    for prefix in _AR_NUMBER_PREFIXES:
        if word.startswith(prefix) and word[len(prefix) :] in _AR_NUMBERS:
            return float(_AR_NUMBERS[word[len(prefix) :]])
    return None


_INDIC_DIGIT = re.compile("[\u0660-\u0669]")


def _words(text: str) -> list[str]:
    """Return the words and figures of a sentence (Arabic-Indic digits as ASCII, no tashkeel)."""
    if _INDIC_DIGIT.search(text):  # (translating looks up every character: most have none)
        text = text.translate(ARABIC_INDIC_DIGITS)
    return _WORD.findall(strip_tashkeel(text))


def _figures(words: list[str]) -> list[tuple[int, int, float, float]]:
    """Return the figures among the words: (index, index after its multipliers, value as written,
    value with its multipliers: "3 million" gives 3.0 and 3e6)."""
    values = _word_values(words)
    out: list[tuple[int, int, float, float]] = []
    if values.count(None) == len(values):  # most sentences: no figure at all
        return out
    j = 0
    for k, value in enumerate(values):
        if value is None or k < j:
            continue  # not a number, or a multiplier of the figure before
        scaled, j = value, k + 1
        while j < len(words) and (times := _MULTIPLIERS.get(fold_word(words[j]))):
            scaled *= times
            j += 1
        out.append((k, j, value, scaled))
    return out


# each number word (clitics included) and its value: the values of the words not led by a digit
_NUMBER_WORD_VALUES = {w: as_number(w) for w in NUMBER_WORDS}
_DIGIT = re.compile(r"\d")


def _word_values(words: list[str]) -> list[float | None]:
    """Return ``as_number(fold_word(word))`` of each word (None: not a number).

    The words are folded together (:func:`_folded`): number words are looked up, and only the
    folds led by a digit are read one by one (a fold led by a digit of another kind, which
    ``float`` does not read, is no number).
    """
    folded, parts = _folded(words)
    digits = _DIGIT.search(folded)
    if not digits and NUMBER_WORDS.isdisjoint(parts):
        return [None] * len(parts)  # most sentences
    values = list(map(_NUMBER_WORD_VALUES.get, parts))
    if digits:
        firsts = map(itemgetter(slice(0, 1)), parts)
        for k in compress(range(len(parts)), map(str.isdigit, firsts)):
            values[k] = as_number(parts[k])
    return values


def _folded(words: list[str]) -> tuple[str, list[str]]:
    """Return ``fold_word`` of each word, and those folds joined by spaces.

    The words are folded together, one string with a space between two words: folding is a
    per-character rewrite and no step joins or drops a space, so the string splits into the
    words' folds, unless a word's compatibility form holds a space (a ligature such as "ﷺ"),
    which the count of the pieces tells: those words are folded one by one.
    """
    folded = fold_word(" ".join(words))
    parts = folded.split(" ")
    if len(parts) == len(words):
        return folded, parts
    parts = [fold_word(w) for w in words]
    return " ".join(parts), parts


def number_values(text: str) -> tuple[float, ...]:
    """Return every number in the sentence, as the second item of :func:`numbers_in` does.

    >>> number_values("Three million people, 12 of them in 2019")
    (3.0, 3000000.0, 12.0, 12.0, 2019.0, 2019.0)
    """
    return tuple(v for _, _, value, scaled in _figures(_words(text)) for v in (value, scaled))


def numbers_in(
    text: str, lang: str
) -> tuple[dict[str, tuple[tuple[float, str], ...]], tuple[float, ...]]:
    """Return ({"noun stem|anchor": ((value, surface), ...)}, every number in the sentence).

    A noun may be counted with several values in one sentence ("820 m long and 24 m wide");
    labels such as "No. 2" and years count nothing.
    """
    found, values = _numbers_in(text, lang)
    return dict(found), values


@lru_cache(maxsize=1 << 14)  # a summary compares one sentence with many others
def _numbers_in(
    text: str, lang: str
) -> tuple[tuple[tuple[str, tuple[tuple[float, str], ...]], ...], tuple[float, ...]]:
    words = _words(text)
    found: dict[str, list[tuple[float, str]]] = defaultdict(list)
    values: list[float] = []
    for k, j, first, value in _figures(words):
        values += (first, value)
        word = words[k]
        label = k > 0 and fold_word(words[k - 1]) in _LABELS
        anchor = _anchor(words[k - 1], lang) if k > 0 else ""
        year = word[0].isdigit() and 1900 <= first <= 2100 and "." not in word
        for m in range(j, min(j + 2, len(words)) if not (label or year) else j):
            nxt = fold_word(words[m])
            if nxt in MONTH_WORDS or as_number(nxt) is not None:
                break
            stems = word_stems(words[m], lang)
            if stems:
                counted = found[f"{stems[0]}|{anchor}"]
                if not any(_close(v, value) for v, _ in counted):
                    counted.append((value, f"{word} {words[m]}"))
                break
    return tuple((noun, tuple(v)) for noun, v in found.items()), tuple(values)


def _anchor(word: str, lang: str) -> str:
    """Return the content stem of the word before a figure ("killed" 12), "" for a stop word.

    Two figures describe the same thing only when they count the same noun after the same anchor:
    "تجاوزت 12 ساعة" and "إلى 14 ساعة" are not compared.
    """
    if as_number(fold_word(word)) is not None:
        return ""
    stems = word_stems(word, lang)
    return stems[0] if stems else ""


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))


def dates_in(text: str) -> set[tuple[int, int]]:
    """Return the (month, day) pairs a sentence names ("23 فبراير", "Feb. 23", "February 23")."""
    return set(_dates_in(text))


@lru_cache(maxsize=1 << 12)  # the statements of one summary share supporting sentences
def _dates_in(text: str) -> frozenset[tuple[int, int]]:
    digits = text.translate(ARABIC_INDIC_DIGITS) if _INDIC_DIGIT.search(text) else text
    words = _folded(_WORD.findall(digits))[1]
    if MONTH_WORDS.keys().isdisjoint(words):
        return frozenset()  # most sentences name no month
    out: set[tuple[int, int]] = set()
    for k, w in enumerate(words):
        month = MONTH_WORDS.get(w)
        if month is None:
            continue
        for near in (k - 1, k + 1):
            if 0 <= near < len(words) and words[near].isdecimal() and 1 <= int(words[near]) <= 31:
                out.add((month, int(words[near])))
                break
    return frozenset(out)


def _disagreement(
    given: dict[str, tuple[tuple[float, str], ...]],
    numbers: dict[str, tuple[float, ...]],
    outlet_of: dict[str, str],
) -> dict[str, tuple[float, str]]:
    """Return the value each document gives for one counted noun when two outlets disagree, else {}.

    Two outlets disagree when each counts the noun with a value the other's sentence never
    mentions. A sentence counting the noun several times ("820 m long, 24 m wide") is represented
    by the value nearest to the other outlet's.
    """
    chosen: dict[str, tuple[float, str]] = {}
    docs = list(given)
    for x, a in enumerate(docs):
        for b in docs[x + 1 :]:
            if outlet_of[a] == outlet_of[b]:
                continue
            only_a = [v for v in given[a] if not any(_close(v[0], n) for n in numbers[b])]
            only_b = [v for v in given[b] if not any(_close(v[0], n) for n in numbers[a])]
            if not only_a or not only_b:
                continue
            va, vb = min(
                ((p, q) for p in only_a for q in only_b),
                key=lambda pq: (
                    abs(math.log(max(pq[0][0], 1e-9) / max(pq[1][0], 1e-9))),
                    pq[0][0],
                    pq[1][0],
                ),
            )
            chosen.setdefault(a, va)
            chosen.setdefault(b, vb)
    if not chosen:
        return {}
    for doc in docs:
        if doc not in chosen:
            anchor = [v[0] for v in chosen.values()]
            chosen[doc] = min(given[doc], key=lambda v: (min(abs(v[0] - a) for a in anchor), v[0]))
    return chosen


@dataclass(frozen=True, slots=True)
class Claim:
    """One outlet's sentence for a statement, as conflicts compare them."""

    doc: str
    outlet: str
    text: str
    lang: str
    date: str | None = None


def find_conflicts(statement: str, claims: Sequence[Claim]) -> list[Conflict]:
    """Return the number and date disagreements between the sentences supporting a statement.

    Each conflict lists every outlet behind each value and is typed ``update`` when the outlets
    giving different values dated their reports differently (a later report changes the figure),
    else ``contradiction``.
    """
    counts: dict[str, dict[str, tuple[tuple[float, str], ...]]] = defaultdict(dict)
    outlet_of: dict[str, str] = {}
    date_of = {c.doc: c.date for c in claims}
    numbers: dict[str, tuple[float, ...]] = {}
    dates: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    with_dates: list[tuple[str, str, set[tuple[int, int]]]] = []
    for c in claims:
        outlet_of[c.doc] = c.outlet
        found, numbers[c.doc] = numbers_in(c.text, c.lang)
        for noun, given in found.items():
            counts[noun][c.doc] = given
        found_dates = dates_in(c.text)
        if found_dates:
            with_dates.append((c.doc, c.outlet, found_dates))
            for md in found_dates:
                dates[md].append((c.doc, c.outlet))
    out: list[Conflict] = []
    for noun in sorted(counts):
        chosen = _disagreement(counts[noun], numbers, outlet_of)
        if not chosen:
            continue
        groups: list[list[tuple[float, str, str]]] = []
        for value, surface, doc in sorted((v, surf, d) for d, (v, surf) in chosen.items()):
            if groups and _close(groups[-1][0][0], value):
                groups[-1].append((value, surface, doc))
            else:
                groups.append([(value, surface, doc)])
        versions = tuple(
            (
                group[0][1],
                unique_in_order(g[2] for g in group),
                unique_in_order(outlet_of[g[2]] for g in group),
            )
            for group in groups
        )
        out.append(Conflict("number", statement, versions, _kind(versions, date_of)))
    if len(with_dates) >= 2 and not set.intersection(*(f for _, _, f in with_dates)):
        versions_d = tuple(
            (
                f"{md[1]:02d}/{md[0]:02d}",
                unique_in_order(d for d, _ in dates[md]),
                unique_in_order(o for _, o in dates[md]),
            )
            for md in sorted(dates)
        )
        if len({o for _, o, _ in with_dates}) >= 2:
            out.append(Conflict("date", statement, versions_d, _kind(versions_d, date_of)))
    return out


def _kind(
    versions: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...],
    date_of: Mapping[str, str | None],
) -> str:
    """Return ``update`` when every version's reports are dated and no two versions share a date."""
    days = [{(date_of.get(d) or "")[:10] for d in docs} for _, docs, _ in versions]
    if any("" in group for group in days):
        return "contradiction"
    shared = any(a & b for x, a in enumerate(days) for b in days[x + 1 :])
    return "contradiction" if shared else "update"


def figures_differ(reference: str, other: str, lang: str) -> bool:
    """Return True when ``other`` counts a thing ``reference`` counts with a different value.

    >>> figures_differ("12 people were killed", "14 people were killed", "en")
    True
    >>> figures_differ("12 people were killed", "twelve people were killed on Monday", "en")
    False
    """
    mine, my_values = numbers_in(reference, lang)
    theirs, their_values = numbers_in(other, lang)
    for noun in mine.keys() & theirs.keys():
        if _disagreement(
            {"a": mine[noun], "b": theirs[noun]},
            {"a": my_values, "b": their_values},
            {"a": "a", "b": "b"},
        ):
            return True
    return False
