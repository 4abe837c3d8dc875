"""The cheap tests that run before a costly search never change its result.

Each fast path is compared with the plain computation it stands for, on generated text built from
the vocabulary that makes those searches match (dates, month names in any case, relative day
words, Arabic-Indic digits, tatweel, odd case-folding letters).
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from clusterer import conflicts, metadata, segment, summarize, timeline
from clusterer.text import ARABIC_INDIC_DIGITS, MONTHS, fold_line, strip_tashkeel

_PIECES = [
    *MONTHS,
    *(m.upper() for m in MONTHS if m.isascii()),
    *(m.title() for m in MONTHS if m.isascii()),
    "Auguſt", "Kelvin", "İstanbul", "ıs", "JUNE", "mAy", "sept.",
    "2021", "1999", "2015", "12021", "23", "٢٣", "٢٠٢١", "3", "31st", "05:40",
    "/", "-", ".", ",", "،", " ", "  ", "\n", "(", ")", "ـ", "\u064e",
    "عام", "من", "شهر", "of", "the", "يوم", "امس", "أمس", "اليوم", "غدا", "غد", "الخميس",
    "الجمعة", "Monday", "yesterday", "Today", "tonight", "last night", "this morning",
    "tomorrow", "قال", "الوزير", "people", "killed", "ثلاثة", "million", "مليون", "الف",
]  # fmt: skip
_TEXT = st.tuples(
    st.sampled_from(["", " ", "\n"]), st.lists(st.sampled_from(_PIECES), max_size=25)
).map(lambda joined: joined[0].join(joined[1])) | st.text(max_size=60)


def _all_patterns(text: str, year: int) -> list[tuple[str, str, int]]:
    """parse_dates with a year, every pattern searched over the whole text."""
    folded = fold_line(text)
    found = {
        (m.start(), m.end(), iso)
        for pattern in metadata._FULL_PATTERNS + metadata._YEARLESS_PATTERNS
        for m in pattern.finditer(folded)
        if (iso := metadata._iso(m, year)) is not None
    }
    out, last_end = [], -1
    for start, end, iso in sorted(found, key=lambda t: (t[0], -(t[1] - t[0]))):
        if start >= last_end:
            out.append((iso, text[start:end], start))
            last_end = end
    return out if re.search(r"\d", text) else []


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.sampled_from([2015, 2021]))
@example("وصل Auguſt 23 الى", 2021)
@example("in JUNE 3 and 12021", 2015)
@example("كانون   الثاني 5", 2021)
def test_dates_with_a_year_are_those_every_pattern_finds(text: str, year: int) -> None:
    assert metadata.parse_dates(text, year=year) == _all_patterns(text, year)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example("يصل غدا الوزير")
@example("He left last night.")
@example("يوم غد")
def test_paragraphs_without_relative_words_have_no_relative_date(text: str) -> None:
    folded = timeline._MARKS.sub("", fold_line(text))
    relative = bool(timeline._AR_RELATIVE.search(folded) or timeline._EN_RELATIVE.search(folded))
    assert timeline._may_date(text, dt.date(2021, 2, 24))[1] == relative
    assert timeline._may_date(text, None) == (bool(re.search(r"\d", text)), False)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_words_of_a_sentence_are_found_as_before(text: str) -> None:
    plain = conflicts._WORD.findall(strip_tashkeel(text.translate(ARABIC_INDIC_DIGITS)))
    assert conflicts._words(text) == plain


@settings(max_examples=400, deadline=None)
@given(
    _TEXT | st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2000\u3000ab", max_size=30)
)
def test_tidy_sentence_collapses_spaces_as_the_pattern_did(text: str) -> None:
    expected = re.sub(r"\s+", " ", segment.strip_dateline(text.replace("ـ", ""))).strip()
    assert segment.tidy_sentence(text) == expected


def test_numbers_in_gives_a_fresh_table_each_time() -> None:
    first, values = conflicts.numbers_in("12 people were killed", "en")
    first.clear()
    again, same = conflicts.numbers_in("12 people were killed", "en")
    assert again and same == values


_WORD_PIECES = [
    "ـ", "ــ", "ﷺ", "⒈", "½", "①", "İstanbul", "STRASSE", "Straße", "ΟΔΟΣ", "ﻻ", "ﺍﻟﻘﺪﺱ",
    "الوزير", "والوزير", "قالَ", "الأمــر", "ثلاثة", "of", "the", "Rockets", "fired", "ǅ", "ﬁre",
]  # fmt: skip
_WORDS = st.lists(
    st.sampled_from(_WORD_PIECES)
    | st.text(max_size=8).map(lambda t: "".join(summarize._LETTERS.findall(t))).filter(bool),
    max_size=30,
)


def _one_stem(word: str, lang: str) -> str:
    stems = conflicts.word_stems(word, lang)
    return stems[0] if len(stems) == 1 else ""


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.sampled_from(["ar", "en", "tr"]))
@example(["ـ", "السفارة", "ﷺ", "⒈"], "ar")
def test_keyword_stems_are_each_words_own_stem(words: list[str], lang: str) -> None:
    summarize._STEMS.clear()  # folded together, one word per line, and cached: as one by one
    assert summarize._word_stems(words, lang) == [_one_stem(w, lang) for w in words]
    assert summarize._word_stems(words, lang) == [_one_stem(w, lang) for w in words]


_WORD_PIECES = st.sampled_from(
    [
        "ثلاثة", "وثلاثه", "بالف", "مليون", "عشرين", "Three", "THREE", "ﬁve", "ｔｅｎ", "million",
        "2,500", "٢٣", "３", "²", "①", "⓿", "𐩀", "ﹱ", "ﷺ", "ﻻ", "e\u0301", "\u0301", "ـ", "\u064e",
        "\u00a0", " ", "قال", "people", "x", "",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_WORD_PIECES, max_size=3).map("".join) | st.text(max_size=5), max_size=12))
def test_word_values_folded_together_are_each_words_own(words: list[str]) -> None:
    """Folding a sentence's words together gives each word's own value, whatever the words hold
    (compatibility forms that hold a space, marks, digits of other scripts, empty words)."""
    want = [conflicts.as_number(conflicts.fold_word(w)) for w in words]
    assert conflicts._word_values(words) == want


def test_a_word_of_marks_only_is_no_number() -> None:
    """A presentation form that folds to nothing ("ﹱ": tatweel with fathatan) is not a number,
    and the figures around it are still read (it once stopped the whole run)."""
    assert conflicts.number_values("قال ﹱ ثلاثة صواريخ") == (3.0, 3.0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORD_PIECES, max_size=3).map("".join) | st.text(max_size=5), max_size=12))
def test_words_folded_together_are_each_words_fold(words: list[str]) -> None:
    folded, parts = conflicts._folded(words)
    assert parts == [conflicts.fold_word(w) for w in words]
    assert folded == " ".join(parts)


@given(_TEXT)
@example("وصل في 23 شباط وفي Feb. 5 و٢٣ فبراير")
@example("on February ⓿ and March 4")
def test_dates_in_folds_the_words_as_one_by_one(text: str) -> None:
    digits = text.translate(ARABIC_INDIC_DIGITS)
    words = [conflicts.fold_word(w) for w in conflicts._WORD.findall(digits)]
    want = {
        (conflicts.MONTH_WORDS[w], int(words[near]))
        for k, w in enumerate(words)
        if w in conflicts.MONTH_WORDS
        for near in [
            next(
                (
                    n
                    for n in (k - 1, k + 1)
                    if 0 <= n < len(words) and words[n].isdecimal() and 1 <= int(words[n]) <= 31
                ),
                None,
            )
        ]
        if near is not None
    }
    assert conflicts.dates_in(text) == want
