"""Text normalization, tokens, stop words, language, furniture and normalize_article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterer.config import Config
from clusterer.furniture import is_furniture
from clusterer.normalize import detect_lang, normalize_article
from clusterer.records import Article, Doc
from clusterer.text import (
    content_tokens,
    normalize_text,
    stem_word,
    stop_words,
    strip_arabic_clitics,
    tokenize,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"


# --------------------------------------------------------------------------------------------
# normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إيران", "ايران"),
        ("آذار", "اذار"),
        ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"),
        ("مدينة", "مدينه"),
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("یک", "يك"),  # Persian yeh and keheh
    ],
)
def test_arabic_letter_variants(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_arabic_diacritics_superscript_alef_and_tatweel_removed() -> None:
    assert normalize_text("قَالَ الرَّئِيسُ") == "قال الرييس"
    assert normalize_text("هٰذا") == "هذا"
    assert normalize_text("الأمــــر") == "الامر"
    assert normalize_text("كتاباً") == "كتابا"


def test_digits_become_ascii() -> None:
    assert normalize_text("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize_text("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize_text("٣٫٥ ٢٬٥٠٠") == "3.5 2500"


def test_numbers_keep_decimals_and_drop_thousands_separators() -> None:
    assert normalize_text("2,500 soldiers; 3.5% growth.") == "2500 soldiers 3.5 growth"
    assert normalize_text("the end. 2021/02/24") == "the end 2021 02 24"


def test_punctuation_becomes_space_and_case_folds() -> None:
    assert normalize_text("قال، «نعم»؛ لماذا؟") == "قال نعم لماذا"
    assert normalize_text("Hello,  WORLD!!  Straße") == "hello world strasse"
    assert normalize_text('"Kadhimi" (Iraq) - PM') == "kadhimi iraq pm"


def test_newlines_kept_one_paragraph_per_line() -> None:
    text = "First  paragraph.\r\n\r\n  Second\tone!\n\n\n—\nThird"
    assert normalize_text(text) == "first paragraph\nsecond one\nthird"


def test_nfkc_presentation_forms_and_invisible_characters() -> None:
    assert normalize_text("ﻻ") == "لا"
    assert normalize_text("ﺑﻐﺪﺍﺩ") == "بغداد"
    assert normalize_text("a\u200bb\u200fc") == "abc"
    assert normalize_text("ﬁle") == "file"


def test_turkish_dotted_i_when_language_is_given() -> None:
    assert normalize_text("İstanbul IRAK", "tr") == "istanbul ırak"
    assert normalize_text("IRAK") == "irak"


@pytest.mark.parametrize(
    "text",
    [
        "قالَ الرئيسُ: «إنّ الأمــر هامٌّ» ١٢٣",
        "Hello,  WORLD!\n\n2,500 people; 3.5%",
        "ﻻ ﺑﻐﺪﺍﺩ",
        "",
        "  \n\n ",
        "1,234,567.89",
        "İI",
        "e\u0640\u0301",
    ],
)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


# --------------------------------------------------------------------------------------------
# tokens


def test_tokenize() -> None:
    assert tokenize("قال الرئيسُ، اليوم: 3 صواريخ!") == ["قال", "الرييس", "اليوم", "3", "صواريخ"]
    assert tokenize("U.S. forces, 2,500 troops") == ["u", "s", "forces", "2500", "troops"]
    assert tokenize("...!!! ،؛") == []


def test_clitic_prefixes_stripped_before_stemming() -> None:
    stem = stem_word("الكاظمي", "ar")
    for form in ("والكاظمي", "بالكاظمي", "للكاظمي", "فالكاظمي", "وبالكاظمي"):
        assert stem_word(form, "ar") == stem, form
    assert content_tokens("والكاظمي", "ar") == content_tokens("الكاظمي", "ar")
    assert stem_word("العراق", "ar") == stem_word("والعراق", "ar") == stem_word("بالعراق", "ar")


def test_clitic_stripping_never_leaves_a_stub() -> None:
    assert strip_arabic_clitics("الله") == "الله"
    assert strip_arabic_clitics("الحي") == "الحي"
    assert strip_arabic_clitics("والحي") == "الحي"
    assert strip_arabic_clitics("للحكومه") == "حكومه"
    assert strip_arabic_clitics("بغداد") == "بغداد"
    assert all(len(strip_arabic_clitics(w)) >= 2 for w in ("ال", "وال", "لل", "الي", "والي"))


def test_content_tokens_drop_stop_words_and_keep_numbers() -> None:
    tokens = content_tokens("قال البيت الأبيض إن الرئيس الذي كان في بغداد أطلق 3 صواريخ", "ar")
    assert "3" in tokens
    for stop in ("ان", "الذي", "كان", "في", "قال"):
        assert stop not in tokens
    assert stem_word("الصاروخية", "ar") == stem_word("صاروخيه", "ar")
    assert content_tokens("The rockets were fired at 2 bases in 2021", "en") == [
        "rocket",
        "fire",
        "2",
        "base",
        "2021",
    ]


def test_content_tokens_languages() -> None:
    assert content_tokens("Les roquettes ont frappé la base", "fr") == ["roquet", "frapp", "bas"]
    assert content_tokens("Rockets hit", "en-US") == content_tokens("Rockets hit", "en")
    assert content_tokens("Rockets hit the base", "xx") == [
        "rockets",
        "hit",
        "the",
        "base",
    ]  # no stemmer
    assert content_tokens("", "ar") == []


def test_stop_words_are_normalized() -> None:
    arabic = stop_words("ar")
    assert {"في", "الي", "علي", "التي", "وفي", "فقد", "ولم"} <= arabic
    assert "ولي" not in arabic  # crown prince (ولي العهد), not a function word
    assert all(w == normalize_text(w) and " " not in w for w in arabic)
    assert "the" in stop_words("en") and "fire" not in stop_words("en")
    assert stop_words("zz") == frozenset()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("قال البيت الأبيض إن الرئيس الأمريكي ناقش الهجمات الصاروخية مع رئيس الوزراء", "ar"),
        (
            "The White House said the president discussed the rocket attacks with the prime minister",
            "en",
        ),
        (
            "La Maison Blanche a dit que le président a discuté des attaques avec le premier ministre",
            "fr",
        ),
        ("La Casa Blanca dijo que el presidente habló de los ataques con el primer ministro", "es"),
        (
            "Das Weiße Haus sagte, der Präsident habe mit dem Premierminister über die Angriffe gesprochen",
            "de",
        ),
        (
            "La Casa Bianca ha detto che il presidente ha discusso degli attacchi con il primo ministro",
            "it",
        ),
        ("A Casa Branca disse que o presidente discutiu os ataques com o primeiro-ministro", "pt"),
        ("Het Witte Huis zei dat de president de aanvallen met de premier heeft besproken", "nl"),
        ("کاخ سفید گفت که رئیس جمهور این حملات را با نخست وزیر بررسی کرده است", "fa"),
        ("Белый дом заявил, что президент обсудил нападения", "ru"),
        ("12345 67 !!!", "und"),
        ("", "und"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


# --------------------------------------------------------------------------------------------
# furniture


@pytest.mark.parametrize(
    "line",
    [
        "تحميل المزيد",
        "+ الخط -",
        "اقرأ أيضاً: الكاظمي يصل إلى واشنطن",
        "شارك الخبر",
        "طباعة",
        "إعلان",
        "تابعونا على تويتر",
        "اشترك في النشرة البريدية",
        "جميع الحقوق محفوظة 2021",
        "Advertisement",
        "Read more",
        "Read more: Rockets hit Baghdad",
        "Share this article",
        "Facebook Twitter Email",
        "Sign up for our newsletter",
        "(Getty)",
        "Getty Images",
        "رويترز",
        "(AP Photo/Evan Vucci)",
        "© 2021 Example Media",
        "---",
        "12 34",
        "Print",
        "We use cookies to ensure that we give you the best experience on our website. If you continue to "
        "use this site we will assume that you are happy with it and accept our cookie policy.",
    ],
)
def test_is_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "قال البيت الأبيض إن الرئيس ناقش الهجمات الصاروخية",
        "أول اتصال بين بايدن والكاظمي",
        "هجمات متكررة",
        "Read the full statement below, the spokesman told reporters on Tuesday.",
        "Three men and a woman were wounded in the gunfire.",
        "27 فبراير 2021",
        "2021/02/24",
        "",
    ],
)
def test_is_not_furniture(line: str) -> None:
    assert not is_furniture(line)


# --------------------------------------------------------------------------------------------
# normalize_article


def _doc(text: str, **fields: str) -> Doc:
    return normalize_article(Article(id="a1", text=text, origin="test", **fields), Config())


ENGLISH = """Rockets hit base hosting US troops in Iraq

By Jane Doe | Example Times
February 26, 2021
Soldiers at the base - Reuters
BAGHDAD (Reuters) - Two rockets struck an Iraqi air base hosting U.S. contractors on Saturday, \
security sources said, wounding one Iraqi contractor.
Advertisement
The attack was the second in less than a week, officials said.
Rockets hit base hosting US troops in Iraq
Read more: Iraq says attacks will be punished
"""


def test_english_article() -> None:
    doc = _doc(ENGLISH)
    assert doc.lang == "en"
    assert doc.title.value == "Rockets hit base hosting US troops in Iraq"
    assert doc.outlet.value in {"Reuters", "Example Times"}
    assert (doc.date.value, doc.date.source) == ("2021-02-26", "date-line")
    assert doc.paragraphs[0].startswith("BAGHDAD (Reuters) - Two rockets")
    assert "By Jane Doe | Example Times" not in doc.paragraphs
    assert doc.paragraphs[-1] == "The attack was the second in less than a week, officials said."
    assert len(doc.paragraphs) == 2
    assert doc.body == "\n\n".join(doc.paragraphs)
    assert "Advertisement" in doc.furniture
    assert "Soldiers at the base - Reuters" in doc.furniture
    assert doc.norm == normalize_text(doc.body, "en")
    assert doc.norm_title == "rockets hit base hosting us troops in iraq"
    assert doc.title_tokens == tuple(content_tokens(doc.title.value or "", "en"))
    assert doc.tokens == tuple(content_tokens(f"{doc.title.value}\n{doc.body}", "en"))


def test_record_fields_win() -> None:
    doc = _doc(ENGLISH, title="A field title", source="example.com", date="2021-02-27T08:00:00Z")
    assert (doc.title.value, doc.title.source, doc.title.confidence) == (
        "A field title",
        "field",
        1.0,
    )
    assert (doc.outlet.value, doc.outlet.source, doc.outlet.confidence) == (
        "example.com",
        "field",
        1.0,
    )
    assert (doc.date.value, doc.date.source, doc.date.raw) == (
        "2021-02-27",
        "field",
        "2021-02-27T08:00:00Z",
    )
    assert doc.title_tokens == tuple(content_tokens("A field title", "en"))
    unparsed = _doc("Some text here.", date="sometime in spring")
    assert unparsed.date.value == "sometime in spring"


def test_language_precedence() -> None:
    text = "The rockets hit the base."
    assert _doc(text).lang == "en"
    assert (
        normalize_article(Article(id="x", text=text, origin="t", lang="fr"), Config()).lang == "fr"
    )
    assert normalize_article(Article(id="x", text=text, origin="t"), Config(lang="de")).lang == "de"


def test_arabic_article_furniture_captions_and_repeats_removed() -> None:
    text = "\n".join(
        [
            "الجمعة - 5 مارس 2021",
            "سقوط صواريخ على قاعدة عين الأسد الجوية غربي العراق",
            "سقوط صواريخ على قاعدة عين الأسد الجوية غربي العراق",
            "صورة من القاعدة - أرشيفية",
            "صورة من القاعدة - أرشيفية",
            "+ الخط -",
            "الأنبار (وكالة المثال)- سقطت عشرة صواريخ على قاعدة عين الأسد الجوية التي تستضيف قوات "
            "التحالف الدولي في محافظة الأنبار غربي العراق صباح الأربعاء، بحسب بيان للتحالف.",
            "وقال المتحدث باسم التحالف إن الهجوم لم يسفر عن إصابات بين الجنود.",
            "تحميل المزيد",
        ]
    )
    doc = _doc(text)
    assert doc.lang == "ar"
    assert doc.title.value == "سقوط صواريخ على قاعدة عين الأسد الجوية غربي العراق"
    assert doc.outlet.value == "وكالة المثال"
    assert len(doc.paragraphs) == 2
    assert doc.paragraphs[0].startswith("الأنبار (وكالة المثال)- سقطت")
    assert "تحميل المزيد" in doc.furniture and "+ الخط -" in doc.furniture
    assert doc.furniture.count("صورة من القاعدة - أرشيفية") == 2
    assert stem_word("الصواريخ", "ar") in doc.tokens
    assert "\n" in doc.norm and "\n\n" not in doc.norm


def test_empty_article() -> None:
    doc = _doc("")
    assert doc.body == "" and doc.paragraphs == () and doc.tokens == ()
    assert doc.title.value is None and doc.date.value is None


# --------------------------------------------------------------------------------------------
# seeds (read from ../shared, never copied)


def _seed_docs() -> dict[str, tuple[Doc, list[str]]]:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not available")
    docs = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = normalize_article(Article(id=path.name, text=text, origin=str(path)), Config())
        docs[path.name[:3]] = (doc, [line.strip() for line in text.splitlines()])
    return docs


def test_seeds_against_gold() -> None:
    gold_path = SHARED / "seeds.gold.jsonl"
    if not gold_path.is_file():
        pytest.skip("../shared/seeds.gold.jsonl is not available")
    gold = {
        row["id"][:3]: row for row in map(json.loads, gold_path.read_text("utf-8").splitlines())
    }
    docs = _seed_docs()
    for seed, (doc, _) in docs.items():
        assert doc.lang == "ar"
        assert doc.outlet.value == gold[seed]["outlet"], seed
        if gold[seed]["published"] is not None:
            assert doc.date.value == gold[seed]["published"], seed
            assert doc.date.confidence >= 0.8
        elif doc.date.value is not None:
            assert doc.date.confidence < 0.5, seed  # 003: the page's saved-on date


def test_seed_bodies_are_clean() -> None:
    for seed, (doc, lines) in _seed_docs().items():
        assert doc.paragraphs, seed
        assert not any(is_furniture(p) for p in doc.paragraphs), seed
        assert len(set(doc.paragraphs)) == len(doc.paragraphs), seed  # no repeated line survives
        assert all(p in lines for p in doc.paragraphs), seed  # original wording
        assert doc.tokens and doc.title_tokens, seed
        if doc.title.source == "headline-line":
            assert doc.title.value not in doc.paragraphs, seed
        if doc.outlet.source == "line-under-title":
            assert doc.outlet.raw not in doc.paragraphs, seed
        if doc.date.raw in lines:
            assert doc.date.raw not in doc.paragraphs, seed
    docs = _seed_docs()
    assert docs["000"][0].title.value == docs["000"][1][0]
    assert docs["002"][0].title.source == "lead"
    assert docs["002"][0].paragraphs[0] == docs["002"][1][0]  # the lead stays in the body
    doc003, lines003 = docs["003"]
    assert lines003.count(doc003.title.value or "") == 2
    assert all(p not in lines003[:2] for p in doc003.paragraphs)  # the saved-on date lines
    assert docs["000"][0].furniture and docs["004"][0].furniture
    doc001, lines001 = docs["001"]
    repeated = {line for line in lines001 if line and lines001.count(line) > 1}
    assert repeated and not repeated & set(doc001.paragraphs)
