"""Who said what: quotation speakers (Arabic and English), pronoun resolution and merging."""

from __future__ import annotations

import pytest
from conftest import SEEDS, need
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer.config import Config
from clusterer.normalize import normalize_article
from clusterer.quotes import (
    find_quotes,
    merge_quotes,
    printed_words,
    quotations,
    quote_spans,
    sentence_spans,
)
from clusterer.records import Article, ClusterQuote, Doc, Quote
from clusterer.render import quote_to_dict


def _doc(
    body: str, lang: str = "en", doc_id: str = "a", title: str = "A headline for the story"
) -> Doc:
    return normalize_article(Article(doc_id, body, doc_id, title=title, lang=lang), Config())


def _seed(prefix: str) -> Doc:
    path = next(need(SEEDS).glob(f"{prefix}_*.txt"))
    return normalize_article(
        Article(path.name, path.read_text(encoding="utf-8"), str(path)), Config()
    )


def _speaker_of(doc: Doc, words: str) -> str:
    return next(q.speaker for q in quotations(doc) if words in q.text)


# --------------------------------------------------------------------------------------------
# English


TRUMP = (
    "President Donald Trump said on Tuesday that the kingdom was a great ally and a good customer."
)


def test_senator_after_a_trump_sentence_inverted() -> None:
    doc = _doc(
        f'{TRUMP} "It is an island of stability amidst the chaos of the region," said Sen. Bob Corker.'
    )
    assert [(q.speaker, q.text) for q in find_quotes(doc)] == [
        ("Sen. Bob Corker", "It is an island of stability amidst the chaos of the region")
    ]


def test_senator_after_a_trump_sentence_name_then_verb() -> None:
    doc = _doc(
        f'{TRUMP}\n\n"It is an island of stability amidst the chaos," Corker said in an interview.'
    )
    assert _speaker_of(doc, "island of stability") == "Corker"


def test_pronoun_takes_the_last_named_speaker() -> None:
    doc = _doc(
        "Sen. Bernie Sanders endorsed Hillary Clinton on Tuesday in New Hampshire.\n\n"
        '"I am proud to stand with her today," he said. "She will be a great president."'
    )
    assert {q.speaker for q in find_quotes(doc)} == {"Sen. Bernie Sanders"}
    assert [q.text for q in find_quotes(doc)] == [
        "I am proud to stand with her today",
        "She will be a great president.",
    ]


def test_a_pronoun_with_no_name_before_is_dropped() -> None:
    doc = _doc('"We will not stop until the job is done," he said after the meeting ended.')
    assert find_quotes(doc) == ()
    assert [q.speaker for q in quotations(doc)] == [""]


def test_according_to_police_and_a_role() -> None:
    doc = _doc(
        'The suspect fled "in a dark blue sedan with no plates," according to police.\n\n'
        '"We heard four loud bangs and then screaming," a neighbor told reporters on Sunday.'
    )
    assert [q.speaker for q in find_quotes(doc)] == ["police", "a neighbor"]


def test_appositive_and_party_affiliation_are_skipped() -> None:
    doc = _doc(
        "Sen. Dianne Feinstein, D-Calif., the top Democrat on the Senate Judiciary Committee, said the panel "
        'had begun to see "the putting together of a case of obstruction of justice" against him.'
    )
    assert _speaker_of(doc, "obstruction") == "Sen. Dianne Feinstein"


def test_scare_quotes_and_short_quotes_have_no_speaker() -> None:
    doc = _doc(
        'The company calls it a "catch-and-release" policy. The lawsuit describes the "Wal-Mart Way culture '
        'of the company" in detail.'
    )
    assert find_quotes(doc) == ()
    assert all(len(q.text.split()) >= 3 for q in quotations(doc))


def test_quote_spans_and_sentences() -> None:
    text = 'He said "it is over. We lost." Then he left. Sen. Corker stayed.'
    assert [text[a:b] for a, b in quote_spans(text)] == ["it is over. We lost."]
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        'He said "it is over. We lost."',
        "Then he left.",
        "Sen. Corker stayed.",
    ]


# --------------------------------------------------------------------------------------------
# Arabic


def test_seed_002_bare_verb_resolves_to_kadhimi() -> None:
    doc = _seed("002")
    text = doc.body
    assert "وأضاف انه اتفق وبايدن على العمل" in text
    assert _speaker_of(doc, "لدعم الأمن والسلم في المنطقة") == "الكاظمي"
    assert _speaker_of(doc, "أي رد سيكون بالتنسيق مع شركائنا") == "المتحدث باسمها نيد برايس"


def test_seed_000_tweet_and_named_speakers() -> None:
    doc = _seed("000")
    assert "الكاظمي نشر في تغريدة" in doc.body
    assert _speaker_of(doc, "بحثت في اتصال هاتفي مع الرئيس الأمريكي") == "الكاظمي"
    assert _speaker_of(doc, "كما أكدنا العمل لمواصلة الحوار") == "الكاظمي"
    assert _speaker_of(doc, "لكننا سننتظر") == "ساكي"
    assert _speaker_of(doc, "يحتفظ بحق الرد") == "المتحدثة باسم البيت الأبيض جين ساكي"


def test_seed_003_relative_clause_is_no_speaker() -> None:
    doc = _seed("003")
    speakers = {q.speaker for q in find_quotes(doc)}
    assert speakers == {"بايدن", "فصائل موالية لإيران"}


def test_arabic_patterns() -> None:
    doc = _doc(
        'قال وزير الخارجية سامح شكري إن "المفاوضات ستستمر حتى نهاية الشهر الجاري". '
        'وأضاف: "لن نقبل بأي حلول منقوصة على الإطلاق". '
        '"الوضع الأمني مستقر في جميع المحافظات" بحسب المتحدث باسم الداخلية.\n\n'
        'وأكدت الوزيرة هالة زايد أن "اللقاحات ستصل خلال أيام قليلة"، وأضافت أنها "ستوزع على المحافظات كافة".',
        lang="ar",
        title="عنوان الخبر هنا الآن",
    )
    assert [q.speaker for q in find_quotes(doc)] == [
        "وزير الخارجية سامح شكري",
        "وزير الخارجية سامح شكري",
        "المتحدث باسم الداخلية",
        "الوزيرة هالة زايد",
        "الوزيرة هالة زايد",
    ]


def test_arabic_bare_verb_without_any_speaker_is_dropped() -> None:
    doc = _doc(
        'وأضاف أن "الأمور تسير في الاتجاه الصحيح تماما".', lang="ar", title="عنوان الخبر هنا الآن"
    )
    assert find_quotes(doc) == ()


# --------------------------------------------------------------------------------------------
# merging


def _q(doc: str, text: str, speaker: str = "الوزير") -> Quote:
    return Quote(speaker, text, doc, text)


def test_merge_lets_diacritics_tatweel_and_punctuation_go() -> None:
    merged = merge_quotes(
        {"a": (_q("a", "إنّ الأمــر، هامٌّ جداً"),), "b": (_q("b", "إن الأمر هام جدا"),), "c": ()},
        {"a": "الأولى", "b": None, "c": "الثالثة"},
    )
    assert [(m.sources, m.outlets) for m in merged] == [(("a", "b"), ("الأولى", None))]


def test_merge_keeps_letter_forms_as_printed() -> None:
    """An outlet that spelled a word with another alef, ya or ta marbuta printed other words."""
    merged = merge_quotes(
        {
            "a": (_q("a", "اريد أن اهنئكم على النتائج"),),
            "b": (_q("b", "أريد أن أهنئكم على النتائج التي تحققت"),),
            "c": (_q("c", "هذه هى الأزمة الكبرى"),),
            "d": (_q("d", "هذه هي الأزمة الكبرى"),),
        },
        {},
    )
    assert sorted((m.text, m.sources) for m in merged) == [
        ("أريد أن أهنئكم على النتائج التي تحققت", ("b",)),
        ("اريد أن اهنئكم على النتائج", ("a",)),
        ("هذه هى الأزمة الكبرى", ("c",)),
        ("هذه هي الأزمة الكبرى", ("d",)),
    ]


def test_merged_text_is_printed_by_every_source() -> None:
    merged = merge_quotes(
        {
            "a": (_q("a", "«الأمر هام جدا»"),),
            "b": (_q("b", "إنّ الأمــرَ هامٌّ جداً للجميع"),),
            "c": (_q("c", "الامر هام جدا"),),
        },
        {},
    )
    for m in merged:
        for doc in m.sources:
            printed = {"a": "«الأمر هام جدا»", "b": "إنّ الأمــرَ هامٌّ جداً للجميع"}.get(
                doc, "الامر هام جدا"
            )
            assert printed_words(m.text) in printed_words(printed)
    assert [m.sources for m in merged] == [("a", "b"), ("c",)]


def test_merge_keeps_the_shorter_words_and_only_their_printers() -> None:
    merged = merge_quotes(
        {
            "a": (_q("a", "an island of stability amidst the chaos", "Corker"),),
            "b": (
                _q(
                    "b",
                    "It is an island of stability amidst the chaos of the region",
                    "Sen. Bob Corker",
                ),
            ),
            "c": (_q("c", "a very different set of words", "Corker"),),
        },
        {"a": "A", "b": "B", "c": "C"},
    )
    assert merged == (
        ClusterQuote("Corker", "an island of stability amidst the chaos", ("a", "b"), ("A", "B")),
        ClusterQuote("Corker", "a very different set of words", ("c",), ("C",)),
    )


def test_merge_order_is_deterministic() -> None:
    per_doc = {
        "a": (_q("a", "one two three four"),),
        "b": (_q("b", "five six seven eight"), _q("b", "one two three four")),
    }
    first = merge_quotes(per_doc, {})
    assert [m.text for m in first] == ["five six seven eight", "one two three four"]
    assert merge_quotes(per_doc, {}) == first


def test_quote_to_dict_keys() -> None:
    assert list(quote_to_dict(ClusterQuote("s", "t", ("a",), (None,)))) == [
        "speaker",
        "text",
        "sources",
        "outlets",
    ]


# --------------------------------------------------------------------------------------------
# properties

_NAMES = [
    "Sen. Bob Corker",
    "Ms. Lee",
    "President Obama",
    "the police chief",
    "الكاظمي",
    "المتحدث باسم الوزارة",
]
_VERBS = ["said", "told reporters", "added", "wrote", "قال", "وأضاف", "أكدت", "بحسب"]
_PRONOUNS = ["he", "she", "they", "He", "It", "هو", "انه"]
_WORDS = ["the", "plan", "will", "work", "not", "الأمر", "سيستمر", "today", "قريبا", "وقال"]
_QUOTE = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map(" ".join)
_PIECE = st.one_of(
    st.sampled_from(_NAMES + _VERBS + _PRONOUNS + _WORDS + [",", ".", ":", "،"]),
    _QUOTE.map(lambda q: f'"{q}"'),
    _QUOTE.map(lambda q: f"«{q}»"),
    _QUOTE.map(lambda q: f"“{q}”"),
)


@settings(max_examples=80)
@given(
    st.lists(st.lists(_PIECE, min_size=1, max_size=14).map(" ".join), min_size=1, max_size=4),
    st.sampled_from(["ar", "en"]),
)
def test_speakers_are_never_pronouns_and_words_are_printed(
    paragraphs: list[str], lang: str
) -> None:
    doc = _doc("\n\n".join(paragraphs), lang=lang)
    for q in find_quotes(doc):
        assert q.speaker
        first = q.speaker.split()[0].lower()
        assert first not in {"he", "she", "they", "it", "هو", "انه"}
        assert q.speaker.lower() not in {"he", "she", "they", "it", "هو", "انه"}
        assert q.text in doc.body
        assert q.sentence in doc.body
        assert len(q.text.split()) >= 1


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_empty_body(lang: str) -> None:
    assert find_quotes(_doc("", lang=lang)) == ()


def test_an_arabic_pronoun_after_the_name_ends_the_speaker() -> None:
    doc = _doc(
        'وقال عبدالرحمن القرني وهو أحد شهود العيان: "وقع الحادث أمام المستوصف القديم".',
        lang="ar",
    )
    assert [q.speaker for q in find_quotes(doc)] == ["عبدالرحمن القرني"]


def test_an_arabic_pronoun_after_the_verb_takes_the_last_speaker() -> None:
    doc = _doc(
        'قالت الوزيرة سارة الأحمد إن الخطة جاهزة.\n\nوقالت وهي تحمل باقة: "أنا ممتنة للغاية اليوم".',
        lang="ar",
    )
    assert [q.speaker for q in find_quotes(doc)] == ["الوزيرة سارة الأحمد"]


# pieces of folded Arabic text: reporting verbs and prepositions (with and without a clitic), words
# that start like them, marks, tatweel, punctuation and a character beyond the Basic Multilingual Plane
_PIECES = [
    "قال",
    "وقال",
    "فقالت",
    "قالوا",
    "قالا",
    "يقول",
    "تقول",
    "مضيفا",
    "مشيره",
    "بحسب",
    "وفقا ل",
    "نقلا عن",
    "علي لسان",
    "قالب",
    "اقال",
    "وفق",
    "حسبان",
    "ان",
    "الوزير",
    "ل",
    "عن",
    " ",
    "  ",
    "،",
    ".",
    ":",
    "\u064e",
    "\u0651",
    "\u0640",
    "_",
    "3",
    "x",
    "\U0001f600",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_the_verb_scan_finds_what_the_verb_pattern_finds(pieces: list[str]) -> None:
    """Trying the verb pattern only where a word that can open it starts finds the same matches,
    in the same order, as trying it everywhere."""
    from clusterer.quotes import _AR_VERB, _ar_verbs

    assert [m.group() for m in _ar_verbs("وقال الوزير، فقالت: نقلا عن مصدر")] == [
        "وقال",
        "فقالت",
        "نقلا عن",
    ]
    text = "".join(pieces)
    found = [(m.span(), m.groupdict()) for m in _ar_verbs(text)]
    assert found == [(m.span(), m.groupdict()) for m in _AR_VERB.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_folding_drops_the_same_marks_with_or_without_astral_characters(pieces: list[str]) -> None:
    """The one-pattern search for marks (text within the Basic Multilingual Plane) drops what the
    per-character category test drops: the text with an astral character appended takes the
    other path and must fold the same way before it."""
    from clusterer.quotes import _fold_map

    text = "".join(p for p in pieces if p != "\U0001f600")
    folded, offsets = _fold_map(text)
    astral, astral_offsets = _fold_map(text + "\U0001f600")
    assert astral == folded + "\U0001f600"
    assert astral_offsets[: len(folded)] == offsets[: len(folded)]
    assert "\u064e" not in folded and "\u0640" not in folded
