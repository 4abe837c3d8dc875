"""Text primitives (clusterer.text) and the promise behind them: every stage sees the same text.

Deduplication hashes words through the numpy code point table of :mod:`clusterer.shingles`;
clustering vectorizes :func:`content_tokens`; metadata and summaries match words with the light
folds. The property tests below check that on Arabic and English text (with diacritics, letter
variants, tatweel and Arabic-Indic digits) these all agree with :func:`normalize_text`.
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer import text
from clusterer.shingles import normalize_codepoints
from clusterer.text import (
    ARABIC_INDIC_DIGITS,
    ARABIC_LETTER_MAP,
    ARTICLE_PREFIXES,
    FULL_STOPS,
    LOOSE_SENTENCE_END_CHARS,
    MONTH_NAMES,
    MONTH_WORDS,
    MONTHS,
    PERSIAN_DIGITS,
    PROCLITICS,
    SENTENCE_END_CHARS,
    SENTENCE_TERMINATORS,
    TATWEEL,
    base_lang,
    content_forms,
    content_tokens,
    fold_line,
    fold_lines,
    fold_text,
    fold_word,
    idf,
    idf_weights,
    normalize_text,
    stem_word,
    stop_words,
    strip_arabic_clitics,
    strip_tashkeel,
)

# --------------------------------------------------------------------------------------------
# unit tests


def test_every_letter_variant_folds_to_a_base_letter() -> None:
    for variant, base in ARABIC_LETTER_MAP.items():
        assert base in "اويهك"
        assert normalize_text(variant) == base
        assert normalize_text(f"x{variant}y") == f"x{base}y"


def test_diacritics_and_tatweel_are_dropped() -> None:
    assert normalize_text("مُحَمَّدٌ") == "محمد"
    assert normalize_text(f"الأمـ{TATWEEL}ـر") == "الامر"
    assert strip_tashkeel("قالَ الرئيسُ الأمــرَ") == "قال الرئيس الأمر"


def test_digits_become_ascii() -> None:
    assert normalize_text("٢٠٢١ ۲۰۲۱ 2021") == "2021 2021 2021"
    assert "٠١٢٣٤٥٦٧٨٩".translate(ARABIC_INDIC_DIGITS) == "0123456789"
    assert "۰۱۲۳۴۵۶۷۸۹".translate(PERSIAN_DIGITS) == "0123456789"
    assert fold_line("٢٧ ۲۷") == "27 27"


def test_fold_line_keeps_length_and_madda() -> None:
    line = "آب إلى مدرسة ٢٣ «أهلاً»"
    folded = fold_line(line)
    assert len(folded) == len(line)
    assert folded == "آب الي مدرسه 23 «اهلاً»"


def test_fold_word() -> None:
    assert fold_word("آذار") == "اذار"
    assert fold_word("ثلاثةُ") == "ثلاثه"
    assert fold_word("FEB") == "feb"
    assert fold_word("مسؤول") == "مسؤول"  # hamza seats stay: lighter than normalize_text


def test_month_tables_agree() -> None:
    assert set(MONTHS.values()) == set(range(1, 13)) == set(MONTH_WORDS.values())
    for num, names in MONTH_NAMES.items():
        for group in names:
            for name in group:
                assert MONTHS[name] == num
                assert name == name.lower() and fold_line(name) == name
    assert MONTH_WORDS["اذار"] == MONTH_WORDS["مارس"] == MONTH_WORDS["mar"] == 3
    assert MONTH_WORDS["اب"] == 8 and "آب" in MONTHS and "اب" not in MONTHS
    assert "جانفي" in MONTHS and "جانفي" not in MONTH_WORDS  # regional names: metadata only
    assert all(" " not in w for w in MONTH_WORDS)


def test_sentence_ends() -> None:
    assert set(FULL_STOPS) < set(SENTENCE_TERMINATORS)
    assert "۔" in SENTENCE_TERMINATORS and "…" in SENTENCE_TERMINATORS
    assert "قال الرئيس.".endswith(SENTENCE_END_CHARS)
    assert "«هذا هو الطريق»".endswith(SENTENCE_END_CHARS)
    assert not "اخبار ذات صلة".endswith(SENTENCE_END_CHARS)
    assert set(SENTENCE_END_CHARS) < set(LOOSE_SENTENCE_END_CHARS)
    assert "(as he said)".endswith(LOOSE_SENTENCE_END_CHARS)


def test_article_prefixes() -> None:
    assert ARTICLE_PREFIXES[0] in {"وبال", "وكال", "فبال", "فكال"}
    assert [len(p) for p in ARTICLE_PREFIXES] == sorted(
        (len(p) for p in ARTICLE_PREFIXES), reverse=True
    )
    assert set(ARTICLE_PREFIXES) == {
        "وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال"
    }  # fmt: skip
    assert all(p[0] in PROCLITICS or p.startswith("ال") for p in ARTICLE_PREFIXES)
    assert strip_arabic_clitics("وبالحكومه") == "حكومه"
    assert strip_arabic_clitics("والحي") == "الحي"


@pytest.mark.parametrize(
    ("tag", "code"), [("en-US", "en"), ("ar_SA", "ar"), ("AR", "ar"), ("nb", "no"), ("ara", "ar")]
)
def test_base_lang(tag: str, code: str) -> None:
    assert base_lang(tag) == code


def test_stop_words_and_content_forms() -> None:
    assert "the" in stop_words("en-GB")
    assert "وفي" in stop_words("ar") and "في" in stop_words("ar")
    assert content_forms(["the", "rockets", "2021"], "en") == ["", "rocket", "2021"]
    assert stem_word("بالعراق", "ar") == stem_word("العراق", "ar") != ""


def test_idf_is_one_formula() -> None:
    df = np.array([1, 2, 5, 40])
    weights = idf_weights(df, 50)
    assert weights.dtype == np.float32
    assert weights.tolist() == [np.float32(idf(int(d), 50)) for d in df]
    assert idf(1, 5) == pytest.approx(math.log(6 / 1.5))
    assert idf(5, 5) < 0.1 < idf(4, 5)  # a word in every one of five articles weighs almost nothing


# --------------------------------------------------------------------------------------------
# properties: dedup, clustering, metadata and summaries see the same text

LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
MARKS = [chr(c) for c in range(0x064B, 0x0656)] + ["\u0670", TATWEEL]
DIGITS = [chr(0x0660 + i) for i in range(10)] + [chr(0x06F0 + i) for i in range(10)]
# Punctuation that separates words in both forms. "." and "," are left out: normalize_text keeps
# a decimal number ("3.5") whole, while shingles split it (both treat it consistently per corpus).
PUNCT = list(" \n!?؟،؛«»:;-()\"'")
ALPHABET = (
    LETTERS + MARKS + DIGITS + PUNCT + list(ARABIC_LETTER_MAP) + list("abcxyzABCXYZ0123456789")
)
TEXTS = st.text(st.sampled_from(ALPHABET), max_size=60)
WORDS = st.text(
    st.sampled_from(LETTERS + MARKS + list(ARABIC_LETTER_MAP) + list("abzAZ")),
    min_size=1,
    max_size=12,
)


def shingle_words(text: str) -> list[str]:
    """Return the words deduplication hashes: the shingles table applied char by char."""
    units = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
    mapped = "".join(chr(c) for c in normalize_codepoints(units).tolist() if c)
    return mapped.split()


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_dedup_and_clustering_see_the_same_words(text: str) -> None:
    assert shingle_words(text) == normalize_text(text).split()


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.sampled_from(["ar", "en"]))
def test_vector_tokens_are_the_dedup_words_stemmed(text: str, lang: str) -> None:
    # clustering's token stream is a word-by-word function of the words dedup compares
    expected = [form for form in content_forms(shingle_words(text), lang) if form]
    assert content_tokens(text, lang) == expected


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_light_folds_are_steps_of_the_matching_form(text: str) -> None:
    # what metadata matches (fold_line) and summaries match (strip_tashkeel, digits) never
    # disagrees with what dedup and clustering compare
    folded = fold_line(text)
    assert len(folded) == len(text)
    assert normalize_text(folded) == normalize_text(text)
    assert normalize_text(strip_tashkeel(text)) == normalize_text(text)
    assert normalize_text(text.translate(ARABIC_INDIC_DIGITS)) == normalize_text(text)


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_fold_word_is_a_step_of_the_matching_form(word: str) -> None:
    assert normalize_text(fold_word(word)) == normalize_text(word)


def _lines_one_by_one(text: str, lang: str | None) -> list[str]:
    return [" ".join(line.split()) for line in fold_text(text, lang).split("\n")]


def test_fold_lines_folds_texts_together_as_one_by_one() -> None:
    """Texts folded together give each text's lines folded alone: numbers, spaces and line
    breaks, letters that case fold to several, Turkish i, marks out of order, lone surrogates."""
    texts = [
        "1,234,567 و 3.5% و 1,23 و .5 و 5. و 12,3456 و ٢٬٥٠٠٫٧٥  نقطة",
        "  Straße  ,  ﬁnal. \u2028 second\rthird\n\n  \n",
        "İstanbul IŞIK",
        "قَالَّ الرَّئيسُ\u00a0«إنّ» ﻻ … 😀 𝟘𝟙",
        "lone \ud800 surrogate",
        "",
        "\n",
        "a\u0301\u0610b x\u0654 ٳ ﷺ",
    ]
    for langs in (["ar"] * len(texts), ["tr", "en", "tr", "ar", None, "ar", "en", "fa"]):
        expected = [_lines_one_by_one(t, lang) for t, lang in zip(texts, langs, strict=True)]
        assert fold_lines(texts, langs) == expected
    assert fold_lines([], []) == []


WIDE = st.text(
    st.sampled_from(
        ALPHABET
        + list(",.,.,.   \n\r\u2028\u00a0\u2026ßİIﬁﷺ\u0301\u0654\u0655😀𝟘")
        + [chr(c) for c in range(0xFE70, 0xFE80)]
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(WIDE, st.sampled_from(["ar", "en", "tr", None])), max_size=8))
def test_fold_lines_is_fold_text_line_by_line(items: list[tuple[str, str | None]]) -> None:
    texts = [t for t, _ in items]
    langs = [lang for _, lang in items]
    assert fold_lines(texts, langs) == [_lines_one_by_one(t, lang) for t, lang in items]


NFKC_TEXTS = st.lists(
    st.sampled_from(
        [*MARKS, *LETTERS[:6], "\u00a0", " ", "\n", "a", "e", "\u0301", "\u0654", "\u0653"]
        + ["\u1100", "\u1161", "\u0b47", "\u0b3e", "\ufefb", "\u2026", "\u0651\u064b"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(NFKC_TEXTS)
def test_nfkc_rewrites_keep_the_normal_form(value: str) -> None:
    """The rewrites that spare a full normalization (no-break spaces, vowel marks reordered)
    give the same NFKC, with other marks and composing characters around them."""
    assert text._nfkc(value) == unicodedata.normalize("NFKC", value)
