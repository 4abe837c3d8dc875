"""Property tests for normalization, tokens, dates and normalize_article (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer.config import Config
from clusterer.dedup import original_text
from clusterer.furniture import is_furniture
from clusterer.metadata import parse_dates
from clusterer.normalize import normalize_article
from clusterer.records import Article
from clusterer.text import content_tokens, normalize_text, stem_word, tokenize

ARABIC_EXTRAS = list("أإآٱٲىیةۀؤئکـًٌٍَُِّْٰٓٔٗ٠١٢٣٤٥٦٧٨٩۰۱۲۳٫٬،؛؟«»")
TRICKY = list(
    ".,;:!?-_/\\'\"()[]{} \t\n\r\x0b\x0c\x1c\x85\u2028\u2029\u200b\u200c\u200d\u200f\ufeff"
    "ßİıſﬁﻻﺑ①²½éé\u0301\u0307ǅΣς"
)
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0x0750, max_codepoint=0x08FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(ARABIC_EXTRAS + TRICKY),
    ),
    max_size=80,
)
LANGS = st.sampled_from([None, "ar", "en", "fr", "tr", "fa", "xx"])
ARABIC_MARKS = set("ًٌٍَُِّْٰٓٔـ")
FOLDED_AWAY = set("أإآٱىةؤئ")

MONTHS_AR = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
MONTHS_LEVANT = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(TEXT, LANGS)
def test_normalize_text_is_idempotent(text: str, lang: str | None) -> None:
    once = normalize_text(text, lang)
    assert normalize_text(once, lang) == once


@given(TEXT)
def test_normalize_text_output_shape(text: str) -> None:
    out = normalize_text(text)
    assert not (set(out) & (ARABIC_MARKS | FOLDED_AWAY))
    assert "\n\n" not in out and "  " not in out
    assert out == out.strip()
    for line in out.split("\n") if out else []:
        assert line and line == line.strip()
    assert not any(c.isdecimal() and not c.isascii() for c in out)


@given(TEXT)
def test_tokenize_never_returns_empty_or_spaced_tokens(text: str) -> None:
    tokens = tokenize(text)
    assert all(tokens)
    assert all(not any(c.isspace() for c in t) for t in tokens)
    assert tokens == normalize_text(text).split()


@given(TEXT, st.sampled_from(["ar", "en", "fr", "de", "xx"]))
@settings(max_examples=60)
def test_content_tokens_are_stems_of_tokens(text: str, lang: str) -> None:
    words = normalize_text(text, lang).split()
    tokens = content_tokens(text, lang)
    assert len(tokens) <= len(words)
    assert all(tokens)
    assert set(tokens) <= {stem_word(w, lang) for w in words}


@given(st.text(alphabet=st.sampled_from(list("والكاظميبغدادفلت")), min_size=1, max_size=12))
def test_article_prefix_forms_share_a_stem(word: str) -> None:
    base = normalize_text(word)
    if not base or " " in base:
        return
    core = "ال" + base
    if len(base) >= 3:
        assert stem_word("و" + core, "ar") == stem_word(core, "ar")
        assert stem_word("بال" + base, "ar") == stem_word(core, "ar")


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans())
def test_parse_dates_round_trip(date: dt.date, indic: bool) -> None:
    forms = [
        f"{date.day} {MONTHS_AR[date.month - 1]} {date.year}",
        f"{date.day} {MONTHS_LEVANT[date.month - 1]} {date.year}",
        f"{date.day} {MONTHS_AR[date.month - 1]}/{MONTHS_LEVANT[date.month - 1]} {date.year}",
        f"{MONTHS_EN[date.month - 1]} {date.day}, {date.year}",
        f"{date.day} {MONTHS_EN[date.month - 1][:3]} {date.year}",
        f"{date.year}/{date.month:02d}/{date.day:02d}",
        f"{date.day:02d}-{date.month:02d}-{date.year}",
        date.isoformat(),
    ]
    for form in forms:
        text = "قال المسؤول في " + (form.translate(INDIC) if indic else form) + " إن"
        assert [d[0] for d in parse_dates(text)] == [date.isoformat()], form


@given(TEXT)
def test_parse_dates_offsets_point_at_raw(text: str) -> None:
    last = -1
    for iso, raw, offset in parse_dates(text):
        assert text[offset : offset + len(raw)] == raw
        assert offset >= last
        last = offset + len(raw)
        assert len(iso) in (7, 10)


@given(
    st.lists(
        st.sampled_from(["الرئيس", "ناقش", "الهجمات", "the", "attack", "and", "في"]),
        min_size=46,
        max_size=60,
    )
)
def test_long_lines_are_never_furniture(words: list[str]) -> None:
    assert not is_furniture(" ".join(words))


@given(st.lists(TEXT, max_size=8))
@settings(max_examples=60)
def test_normalize_article_keeps_original_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    doc = normalize_article(Article(id="p", text=text, origin="prop"), Config())
    originals = {line.strip() for line in text.splitlines()}
    assert all(p in originals and p for p in doc.paragraphs)
    assert original_text(doc) == "\n".join(doc.paragraphs)  # a paragraph is one line
    assert doc.norm == normalize_text(doc.body, doc.lang)
    assert all(doc.tokens) and all(doc.title_tokens)
