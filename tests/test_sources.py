"""Who reported it: first report, wire credits and outlets that are never file names."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import SEEDS, need

from clusterer.config import Config
from clusterer.normalize import normalize_article
from clusterer.records import Article, Doc, FirstReport, Found
from clusterer.render import first_report_to_dict
from clusterer.sources import copies, first_reported_by, outlet_or_none, wire_credits

BODY_AR = (
    "قال مسؤولون عراقيون إن ثلاثة صواريخ سقطت على قاعدة بلد الجوية شمالي بغداد دون أن توقع إصابات."
)


def _doc(
    body: str,
    *,
    doc_id: str = "a",
    outlet: str | None = None,
    date: str | None = None,
    lang: str = "ar",
) -> Doc:
    article = Article(
        doc_id, body, doc_id, title="عنوان الخبر هنا الآن", source=outlet, date=date, lang=lang
    )
    return normalize_article(article, Config())


# --------------------------------------------------------------------------------------------
# wire credits


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (f"بغداد (رويترز) - {BODY_AR}", ("Reuters",)),
        (
            f"{BODY_AR}\n\nوأضاف المسؤولون أن التحقيقات جارية لمعرفة الجهة التي أطلقت الصواريخ"
            " من منطقة زراعية قريبة من القاعدة (واس)",
            ("SPA",),
        ),
        (f"{BODY_AR} (أ ف ب) وأضافت المصادر أن التحقيق مستمر في الحادث.", ("AFP",)),
        (f"{BODY_AR} وأفاد مصدر أمني وكالة فرانس برس بأن الهجوم لم يسفر عن ضحايا.", ("AFP",)),
        (f"أنقرة (الأناضول) - {BODY_AR}", ("Anadolu",)),
        (BODY_AR, ()),
    ],
)
def test_wire_credits_arabic(body: str, expected: tuple[str, ...]) -> None:
    assert wire_credits(_doc(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "WASHINGTON (Reuters) - The Senate passed the bill late on Tuesday after a long debate.",
            ("Reuters",),
        ),
        ("The Senate passed the bill late on Tuesday after a long debate, (AP) reported.", ("AP",)),
        (
            "The Senate passed the bill late on Tuesday after a long debate.\n\n— Reuters",
            ("Reuters",),
        ),
        (
            "The Associated Press contributed to this report about the Senate vote on Tuesday.",
            ("AP",),
        ),
        (
            "The Senate passed the bill (AFP) while the spa in the capitol stayed open for the day.",
            ("AFP",),
        ),
        ("The apparatus of the state, a map and a spa were mentioned in the long debate.", ()),
    ],
)
def test_wire_credits_english(body: str, expected: tuple[str, ...]) -> None:
    assert wire_credits(_doc(body, lang="en")) == expected


# --------------------------------------------------------------------------------------------
# outlets


def test_outlet_that_is_a_file_name_is_none() -> None:
    doc = _doc(BODY_AR, doc_id="003_1824eb606f59f6c7.txt")
    assert (
        outlet_or_none(replace(doc, outlet=Found("003_1824eb606f59f6c7.txt", "field", 1.0))) is None
    )
    assert (
        outlet_or_none(replace(doc, outlet=Found("003_1824eb606f59f6c7", "line-under-title", 0.5)))
        is None
    )
    assert outlet_or_none(replace(doc, outlet=Found("page.html", "field", 1.0))) is None
    assert outlet_or_none(replace(doc, outlet=Found("كوردستان 24", "path", 0.3))) is None
    assert outlet_or_none(replace(doc, outlet=Found(None, "none", 0.0))) is None
    assert (
        outlet_or_none(replace(doc, outlet=Found("كوردستان 24", "dateline", 0.85))) == "كوردستان 24"
    )


def test_seed_003_outlet_is_unknown() -> None:
    path = next(need(SEEDS).glob("003_*.txt"))
    doc = normalize_article(
        Article(path.name, path.read_text(encoding="utf-8"), str(path)), Config()
    )
    assert outlet_or_none(doc) is None


# --------------------------------------------------------------------------------------------
# first report


def test_earliest_trusted_date_wins() -> None:
    docs = [
        _doc(BODY_AR, doc_id="late", outlet="الثانية", date="2021-02-25"),
        _doc(BODY_AR, doc_id="early", outlet="الأولى", date="2021-02-23"),
        _doc(BODY_AR, doc_id="undated", outlet="الثالثة"),
    ]
    assert first_reported_by(docs) == FirstReport("early", "الأولى", "2021-02-23")


def test_page_save_date_never_counts() -> None:
    saved = _doc(
        f"الجمعة - 29 مارس 2017\n\nعنوان آخر للخبر هنا\n\n{BODY_AR} في عام 2014.", doc_id="saved"
    )
    assert saved.date.source == "page-date"
    dated = _doc(BODY_AR, doc_id="dated", outlet="الأولى", date="2021-02-23")
    assert first_reported_by([saved, dated]) == FirstReport("dated", "الأولى", "2021-02-23")
    assert first_reported_by([saved]) is None


def test_tie_goes_to_the_original() -> None:
    copy = _doc(BODY_AR, doc_id="copy", outlet="موقع الناقل", date="2021-02-23")
    original = _doc(BODY_AR, doc_id="orig", outlet="وكالة الرافدين", date="2021-02-23")
    first = first_reported_by([copy, original], duplicate_of={"copy": "orig"})
    assert first is not None and first.doc == "orig"


def test_original_is_never_displaced_by_its_copy() -> None:
    original = _doc(BODY_AR, doc_id="orig", outlet="وكالة الرافدين", date="2021-02-24")
    copy = _doc(
        f"{BODY_AR} نقلا عن وكالة الرافدين.", doc_id="copy", outlet="موقع الناقل", date="2021-02-23"
    )
    # dedup marked the original as a copy of its repost; the repost credits the original
    assert copies([original, copy], duplicate_of={"orig": "copy"}) == {"copy": "orig"}
    first = first_reported_by([original, copy], duplicate_of={"orig": "copy"})
    assert first == FirstReport("orig", "وكالة الرافدين", "2021-02-24")
    # a related (syndicated) pair: the one naming the other's outlet is the copy
    related = first_reported_by([copy, original], related=[("orig", "copy")])
    assert related is not None and related.doc == "orig"


def test_no_dates_no_first_report() -> None:
    assert first_reported_by([_doc(BODY_AR)]) is None
    assert first_reported_by([]) is None
    assert first_report_to_dict(None) is None
    assert first_report_to_dict(FirstReport("a", None, "2021-02-23")) == {
        "doc": "a",
        "outlet": None,
        "date": "2021-02-23",
    }
