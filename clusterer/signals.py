"""Signals: the specific evidence that tells two events of the same kind apart.

Four facets, read from a document's title and body (English and Arabic):

========= ===================================================================================
who       named people and organisations: capitalized spans that do not start a sentence (and
          are not places); in Arabic, the words after a title (الرئيس، الوزير، اللواء ...)
where     places: capitalized spans after in/at/near/outside/from and datelines; in Arabic, a
          small gazetteer of Arab capitals, major cities and countries (``data/places_ar.txt``)
          and the name after a place noun (مدينة، محافظة، مطار ...)
when      event dates written in the text (``metadata.parse_dates``, days only)
how many  numbers with the word they count: "5 killed", "3 صواريخ" (``unit:number``)
========= ===================================================================================

Two documents *agree* on a facet when they share its values and *disagree* when both have values
and share none; a facet one of them lacks says nothing (neutral). :func:`facet_similarities`
turns that into one number per facet and pair, in [0, 1], or NaN when neutral.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .config import IDF_PRIOR_DOCS
from .kernels import closest_gaps, row_pair_dots, shared_units
from .metadata import parse_dates
from .records import Doc
from .text import fold_line, stop_words
from .vectorize import term_idf

FACETS = ("who", "where", "when", "count")
DATE_TAU_DAYS = 2.0  # two event dates this many days apart agree to 1/e

_EN_SPAN = re.compile(r"[A-Z][\w'\u2019-]*(?:[ \t]+(?:of[ \t]+|de[ \t]+)?[A-Z][\w'\u2019-]*)*")
_EN_PLACE_CUE = re.compile(r"(?:\b(?:in|at|near|outside|from|across)\s+(?:the\s+)?|^)$")
_SENTENCE_START = re.compile(r"(?:^|[.!?\"\u201c\u201d:;(\[\n\u2014-])\s*$")
_DATELINE = re.compile(r"^([A-Z][A-Z .'-]{2,})(?:,|\s+\(|\s+[-\u2014])", re.MULTILINE)
_EN_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_COUNT = re.compile(
    r"(?<![\w.,])(\d[\d,]*|[a-z]+)\s+(?:(?:people|persons|men|were|was|have|had|been|are)\s+)*([^\W\d_]{3,})"
)
_AR_COUNT = re.compile(r"(?<![\w.,])(\d[\d,]*)\s+([^\W\d_]{3,})")
_AR_TITLES = frozenset(
    fold_line(title)
    for title in [
        "الرئيس",
        "رئيس",
        "الوزير",
        "وزير",
        "الشيخ",
        "السيد",
        "العميد",
        "اللواء",
        "العقيد",
        "الفريق",
        "النائب",
        "الناطق",
        "المتحدث",
        "القائد",
        "الامين",
        "الملك",
        "الامير",
        "السفير",
        "المبعوث",
        "الجنرال",
    ]
)
# words that complete a title rather than start a name: "رئيس الوزراء", "المتحدث باسم الخارجية"
_AR_TITLE_WORDS = frozenset(
    fold_line(word)
    for word in [
        "الوزراء",
        "الخارجية",
        "الداخلية",
        "الدفاع",
        "الجمهورية",
        "الحكومة",
        "البرلمان",
        "مجلس",
        "الأركان",
        "العام",
        "باسم",
        "السابق",
    ]
)
_AR_NAME_REACH = 5  # words after a title searched for the name
_AR_PLACE_NOUNS = frozenset(
    ["مدينه", "محافظه", "بلده", "قريه", "مطار", "مخيم", "ميناء", "معبر", "ولايه"]
)
_AR_WORD = re.compile(r"[\u0621-\u064a]+")
_AR_CLITICS = ("وب", "ول", "وال", "بال", "لل", "فال", "ب", "و", "ل", "ف")
_MONTHS_DAYS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "يناير",
        "فبراير",
        "مارس",
        "ابريل",
        "مايو",
        "يونيو",
        "يوليو",
        "اغسطس",
        "سبتمبر",
        "اكتوبر",
        "نوفمبر",
        "ديسمبر",
        "كانون",
        "شباط",
        "اذار",
        "نيسان",
        "ايار",
        "حزيران",
        "تموز",
        "اب",
        "ايلول",
        "تشرين",
    ]
)


@dataclass(frozen=True, slots=True)
class Facets:
    """The specific evidence of one document, one set of values per facet."""

    who: frozenset[str]
    where: frozenset[str]
    when: frozenset[str]  # ISO days
    count: frozenset[str]  # "unit:number"

    def of(self, facet: str) -> frozenset[str]:
        """Return the values of ``facet`` (one of :data:`FACETS`)."""
        values: frozenset[str] = getattr(self, facet)
        return values


@cache
def _ar_places() -> dict[str, int]:
    """Return the Arabic gazetteer as {first word: longest name length in words}... by name."""
    text = resources.files("clusterer").joinpath("data", "places_ar.txt").read_text("utf-8")
    return {
        line.strip(): len(line.split())
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    }


def _strip_clitic(word: str, known: frozenset[str] | dict[str, int]) -> str:
    """Return ``word`` without a leading و/ب/ل/ف (and ال) when that leaves a known name."""
    if word in known:
        return word
    for clitic in _AR_CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 3:
            rest = word[len(clitic) :]
            for form in (rest, "ال" + rest):
                if form in known:
                    return form
    return word


def _english_spans(text: str) -> tuple[set[str], set[str]]:
    """Return (names, places) of English text: capitalized spans, places after a place cue."""
    stops = stop_words("en")
    who: set[str] = set()
    where: set[str] = {m.group(1).strip().casefold() for m in _DATELINE.finditer(text)}
    for m in _EN_SPAN.finditer(text):
        words = m.group().replace("\u2019s", "").replace("'s", "").rstrip(".").split()
        before = text[max(0, m.start() - 16) : m.start()]
        if _SENTENCE_START.search(before[-3:]) or m.start() == 0:
            words = words[1:]  # the first word may be capitalized only because it starts a sentence
        while words and (words[0].casefold() in stops or words[0].casefold() in _MONTHS_DAYS):
            words = words[1:]
        if not words or (len(words) == 1 and words[0].casefold() in _MONTHS_DAYS):
            continue
        span = " ".join(words).casefold()
        (
            where if _EN_PLACE_CUE.search(before) and len(words) == len(m.group().split()) else who
        ).add(span)
    return who - where, where


@lru_cache(maxsize=1 << 18)
def _place_form(word: str) -> str:
    """Return ``word`` without the clitic that leaves a gazetteer name (words recur: cached)."""
    return _strip_clitic(word, _ar_places())


@lru_cache(maxsize=1 << 18)
def _is_place_noun(word: str) -> bool:
    """Tell whether ``word``, clitic stripped, is a place noun ("city of ...")."""
    return _strip_clitic(word, _AR_PLACE_NOUNS) in _AR_PLACE_NOUNS


@cache
def _ar_place_starts() -> frozenset[str]:
    """Return the first word of every gazetteer name (a word that starts none starts no place)."""
    return frozenset(name.split()[0] for name in _ar_places())


def _ar_name_after(following: Sequence[str], stops: frozenset[str]) -> str:
    """Return the (up to two-word) name that follows a title, past the words that qualify the
    title: "الرئيس الأمريكي جو بايدن" and "رئيس الوزراء العراقي مصطفى الكاظمي" give the name alone."""
    name: list[str] = []
    for word in following:
        qualifier = (
            word in stops
            or word in _AR_TITLES
            or word in _AR_TITLE_WORDS
            or (word.startswith("ال") and word.endswith(("ي", "يه")) and len(word) >= 5)  # الأمريكي
        )
        if qualifier and not name:
            continue
        if word in stops or word in _AR_TITLE_WORDS or len(name) == 2:
            break
        name.append(word)
    return " ".join(name)


@lru_cache(maxsize=1 << 18)
def _ar_word_role(word: str) -> tuple[str, bool, bool, bool]:
    """Return what ``word`` may start: (its gazetteer form, a place name, a title + name, a place
    noun + place). Most words start none and are skipped (words recur: cached)."""
    first = _place_form(word)
    return first, first in _ar_place_starts(), word in _AR_TITLES, _is_place_noun(word)


def _surface_forms(known: Iterable[str]) -> set[str]:
    """Return every written form :func:`_strip_clitic` can take back to one of ``known``."""
    forms = set(known)
    for word in known:
        bare = word[2:] if word.startswith("ال") else None
        for clitic in _AR_CLITICS:
            forms.update(clitic + rest for rest in (word, bare) if rest and len(rest) >= 3)
    return forms


@cache
def _ar_triggers() -> frozenset[str]:
    """Return the words that may start a name or place (a superset: :func:`_ar_word_role` decides)."""
    return frozenset(
        _surface_forms(_ar_place_starts()) | _surface_forms(_AR_PLACE_NOUNS) | _AR_TITLES
    )


def _arabic_spans(text: str) -> tuple[set[str], set[str]]:
    """Return (names, places) of Arabic text: words after a title, gazetteer places, place nouns."""
    places = _ar_places()
    stops = stop_words("ar")
    words = _AR_WORD.findall(fold_line(text))
    roles = {
        w: role for w in _ar_triggers().intersection(words) if any((role := _ar_word_role(w))[1:])
    }
    who: set[str] = set()
    where: set[str] = set()
    for i in [i for i, w in enumerate(words) if w in roles]:
        first, starts_place, title, place_noun = roles[words[i]]
        for size in (3, 2, 1) if starts_place else ():
            name = " ".join([first, *words[i + 1 : i + size]])
            if size <= len(words) - i and name in places:
                where.add(name)
                break
        if title and (person := _ar_name_after(words[i + 1 : i + 1 + _AR_NAME_REACH], stops)):
            who.add(person)
        elif (
            place_noun
            and (nxt := [w for w in words[i + 1 : i + 3] if w not in stops])
            and nxt[0][0] != "و"
        ):
            where.add(nxt[0])
    return who, where


def _counts(text: str, lang: str) -> set[str]:
    """Return ``unit:number`` for each number followed by the word it counts."""
    out: set[str] = set()
    pattern = _AR_COUNT if lang == "ar" else _COUNT
    folded = fold_line(text) if lang == "ar" else text.casefold()
    stops = stop_words(lang)
    for m in pattern.finditer(folded):
        number, unit = m.group(1).replace(",", ""), m.group(2)
        if not number.isdigit():
            if number not in _EN_NUMBER_WORDS:
                continue
            number = str(_EN_NUMBER_WORDS[number])
        if (
            unit in stops
            or unit in _MONTHS_DAYS
            or (len(number) == 4 and number.startswith(("19", "20")))
        ):
            continue  # "2013 and", years
        out.add(f"{unit.rstrip('s') if lang != 'ar' else unit}:{int(number)}")
    return out


def doc_facets(doc: Doc) -> Facets:
    """Return the who/where/when/how-many evidence of ``doc`` (title and body)."""
    text = f"{doc.title.value or ''}\n{doc.body}"
    who, where = _arabic_spans(text) if doc.lang == "ar" else _english_spans(text)
    when = frozenset(iso for iso, _, _ in parse_dates(text) if len(iso) == 10)
    return Facets(frozenset(who), frozenset(where), when, frozenset(_counts(text, doc.lang)))


def _facet_matrix(values: Sequence[frozenset[str]], prior_docs: float) -> sparse.csr_matrix:
    """Return rows of sqrt(idf / summed idf) so that a row dot product is the IDF-weighted
    overlap of two value sets (1.0 for equal sets); the idf has a prior of ``prior_docs``."""
    n = len(values)
    df: dict[str, int] = {}
    for vs in values:
        for v in vs:
            df[v] = df.get(v, 0) + 1
    weights = term_idf(df, n, prior_docs)
    vocab: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for vs in values:
        total = sum(weights[v] for v in vs)
        for v in sorted(vs):
            if total > 0:
                indices.append(vocab.setdefault(v, len(vocab)))
                data.append(math.sqrt(weights[v] / total))
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(n, max(1, len(vocab))),
    )


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


@dataclass(frozen=True)
class FacetMatrices:
    """Every document's facets in the form pairs are scored from (:func:`facet_matrices`)."""

    weighted: dict[str, tuple[sparse.csr_matrix, npt.NDArray[np.bool_]]]  # who, where: rows, has
    when_at: npt.NDArray[np.int64]  # document d's event days are when_days[when_at[d]:when_at[d+1]]
    when_days: npt.NDArray[np.int64]  # (day numbers, sorted)
    count_at: npt.NDArray[np.int64]  # document d's counts are count_keys[count_at[d]:...]
    count_keys: npt.NDArray[np.int64]  # (unit number << 32 | value number, sorted)


def facet_matrices(facets: Sequence[Facets], prior_docs: float = IDF_PRIOR_DOCS) -> FacetMatrices:
    """Return, for names and places, the weighted rows of every document and whether it has the
    facet, and every document's event days and counts as sorted numbers: the corpus-wide part of
    :func:`facet_similarities`, to build once for many pairs."""
    weighted = {}
    for facet in ("who", "where"):
        values = [f.of(facet) for f in facets]
        weighted[facet] = _facet_matrix(values, prior_docs), np.array([bool(v) for v in values])
    days = [sorted(_day(iso).toordinal() for iso in f.when) for f in facets]
    units: dict[str, int] = {}
    numbers: dict[str, int] = {}
    keys = [
        sorted(
            units.setdefault(unit, len(units)) << 32 | numbers.setdefault(number, len(numbers))
            for unit, number in (value.rsplit(":", 1) for value in f.count)
        )
        for f in facets
    ]
    return FacetMatrices(weighted, *_runs(days), *_runs(keys))


def _runs(rows: list[list[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return the rows as offsets and their values one after another."""
    at = np.zeros(len(rows) + 1, dtype=np.int64)
    at[1:] = np.cumsum([len(r) for r in rows])
    return at, np.fromiter((v for r in rows for v in r), dtype=np.int64, count=int(at[-1]))


def facet_similarities(
    facets: Sequence[Facets],
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    prior_docs: float = IDF_PRIOR_DOCS,
    matrices: FacetMatrices | None = None,
) -> dict[str, np.ndarray]:
    """Return, per facet, each pair's agreement in [0, 1] (NaN when a document lacks the facet);
    names and places weigh by their idf with a prior of ``prior_docs`` (``Config.idf_prior``).
    Event dates agree by ``exp(-gap / DATE_TAU_DAYS)`` for their closest two days; counts by the
    share of the units both count on which they give a common number.

    ``matrices``: :func:`facet_matrices` of ``facets`` when already built.
    """
    m = matrices or facet_matrices(facets, prior_docs)
    out: dict[str, np.ndarray] = {}
    for facet, (rows, has) in m.weighted.items():
        sims = row_pair_dots(rows, rows_a, rows_b)
        out[facet] = np.where(has[rows_a] & has[rows_b], sims, np.nan)
    gaps = closest_gaps(m.when_at, m.when_days, rows_a, rows_b)
    found = gaps >= 0
    when = np.full(len(rows_a), np.nan)
    if found.any():  # (math.exp of each gap once: the values of the definition, to the last bit)
        distinct, inverse = np.unique(gaps[found], return_inverse=True)
        decay = np.array([math.exp(-g / DATE_TAU_DAYS) for g in distinct.tolist()])
        when[found] = decay[inverse]
    out["when"] = when
    out["count"] = shared_units(m.count_at, m.count_keys, rows_a, rows_b)
    return out
