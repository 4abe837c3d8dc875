"""What happened when: explicit and relative dates, the publication-date anchor, story timelines."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SEEDS, need
from hypothesis import given
from hypothesis import strategies as st

from clusterer.config import Config
from clusterer.normalize import normalize_article
from clusterer.records import Article, Doc, TimelineEntry
from clusterer.render import timeline_to_dict
from clusterer.timeline import event_dates, publication_date, relative_dates, story_timeline

WED = dt.date(2021, 2, 24)  # a Wednesday


def _doc(body: str, *, date: str | None = "2021-02-24", lang: str = "ar", doc_id: str = "a") -> Doc:
    article = Article(doc_id, body, doc_id, title="عنوان الخبر هنا الآن", date=date, lang=lang)
    return normalize_article(article, Config())


def _seed(prefix: str) -> Doc:
    path = next(need(SEEDS).glob(f"{prefix}_*.txt"))
    return normalize_article(
        Article(path.name, path.read_text(encoding="utf-8"), str(path)), Config()
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("وقال الوزير أمس إن الاجتماع انتهى", ["2021-02-23"]),
        ("أعلنت الوزارة أمس الثلاثاء عن الخطة", ["2021-02-23"]),
        ("وصل الوفد أول أمس إلى بغداد", ["2021-02-22"]),
        ("وقع الهجوم الخميس الماضي في بغداد", ["2021-02-18"]),
        ("وقع الهجوم يوم الخميس في بغداد", ["2021-02-18"]),
        ("يعقد المجلس اجتماعه الخميس المقبل", ["2021-02-25"]),
        ("ناقش الرئيسان مساء الأربعاء الهجمات", ["2021-02-24"]),
        ("أعلن الجيش اليوم الأربعاء أن", ["2021-02-24"]),
        ("تبدأ الزيارة غداً الخميس", ["2021-02-25"]),
        ("وسيصل الوزير السبت المقبل", ["2021-02-27"]),
        ("بعد صلاة الجمعة خرج المحتجون", []),
        ("قال البيت الأبيض، الثلاثاء 23 فبراير/شباط 2021، إن", []),
        ("The minister resigned yesterday after the vote", ["2021-02-23"]),
        ("The vote on Tuesday came after weeks of talks", ["2021-02-23"]),
        ("Police said the shooting happened last Wednesday", ["2021-02-17"]),
        ("The committee will meet on Friday to decide", ["2021-02-26"]),
        ("Talks resume next Monday in Geneva", ["2021-03-01"]),
        ("Officials said today that the border is open", ["2021-02-24"]),
        ("The report, dated Tuesday, Feb. 23, 2021, said", []),
    ],
)
def test_relative_dates(sentence: str, expected: list[str]) -> None:
    assert relative_dates(sentence, WED) == expected


def test_no_anchor_no_relative_dates() -> None:
    assert relative_dates("وقال الوزير أمس الثلاثاء", None) == []
    doc = _doc("وقال الوزير أمس الثلاثاء إن الاجتماع انتهى دون اتفاق بين الطرفين.", date=None)
    assert event_dates(doc) == ()


def test_page_save_date_is_no_anchor() -> None:
    doc = _seed("003")
    assert doc.date.source == "page-date"
    assert publication_date(doc) is None
    assert not any(d.relative for d in event_dates(doc))
    assert all(not d.date.startswith("2024") for d in event_dates(doc))


def test_seed_000_dates() -> None:
    doc = _seed("000")
    assert publication_date(doc) == WED
    dated = {(d.date, d.relative) for d in event_dates(doc)}
    assert ("2021-02-23", False) in dated  # الثلاثاء 23 فبراير/شباط 2021
    assert ("2020-01-03", False) in dated  # 3 يناير/كانون الثاني 2020
    assert ("2021-02-20", True) in dated  # السبت: the Balad attack


def test_explicit_dates_arabic_indic_digits_and_month_only() -> None:
    doc = _doc("وقع الاتفاق في ٢٧ فبراير ٢٠٢١ بعد محادثات بدأت في مايو 2020 في بغداد.")
    assert [(d.date, d.relative) for d in event_dates(doc)] == [
        ("2021-02-27", False),
        ("2020-05", False),
    ]


def test_day_and_month_take_the_publication_year() -> None:
    doc = _doc("The strikes hit on 29 June near the border, officials said.", lang="en")
    assert [d.date for d in event_dates(doc)] == [
        "2020-06-29"
    ]  # half a year after publication: last year
    doc = _doc("The strikes hit on 12 February near the border, officials said.", lang="en")
    assert [d.date for d in event_dates(doc)] == ["2021-02-12"]


def test_story_timeline_merges_the_same_fact() -> None:
    a = _doc("وقع هجوم صاروخي أمس على المنطقة الخضراء في بغداد دون إصابات.", doc_id="a")
    b = _doc(
        "هجوم صاروخي استهدف المنطقة الخضراء في بغداد أمس الثلاثاء دون إصابات بشرية.", doc_id="b"
    )
    c = _doc("وأعلن البرلمان في 3 يناير 2020 قراره إنهاء الوجود الأجنبي في البلاد.", doc_id="c")
    timeline = story_timeline([a, b, c])
    assert [(e.date, e.sources) for e in timeline] == [
        ("2020-01-03", ("c",)),
        ("2021-02-23", ("a", "b")),
    ]


def test_story_timeline_cap_keeps_the_best_supported() -> None:
    docs = [
        _doc(f"وقع حادث رقم {i} في {i + 1} يناير 2021 في مدينة مختلفة تماما.", doc_id=f"d{i}")
        for i in range(10)
    ]
    shared = _doc("وقع حادث رقم 9 في 10 يناير 2021 في مدينة مختلفة تماما.", doc_id="x")
    timeline = story_timeline([*docs, shared], limit=3)
    assert len(timeline) == 3
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)
    assert ("d9", "x") in [e.sources for e in timeline]


def test_timeline_to_dict() -> None:
    assert timeline_to_dict(TimelineEntry("2021-02-23", "t", ("a",))) == {
        "date": "2021-02-23",
        "text": "t",
        "sources": ["a"],
    }


_PHRASES = [
    "أمس",
    "أول أمس",
    "اليوم الأربعاء",
    "غدا",
    "الخميس الماضي",
    "الخميس المقبل",
    "السبت",
    "yesterday",
    "today",
    "tomorrow",
    "on Tuesday",
    "last Sunday",
    "next Friday",
    "will meet on Monday",
]


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
    st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=4),
)
def test_resolved_dates_stay_within_a_week(anchor: dt.date, phrases: list[str]) -> None:
    sentence = " و ".join(phrases)
    resolved = relative_dates(sentence, anchor)
    assert resolved
    for iso in resolved:
        assert abs((dt.date.fromisoformat(iso) - anchor).days) <= 7
    assert relative_dates(sentence, None) == []
