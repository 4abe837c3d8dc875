"""Title, outlet and date finding: hand-written cases and the five real seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterer.furniture import is_caption
from clusterer.metadata import (
    find_date,
    find_outlet,
    find_title,
    is_date_line,
    locate_title,
    normalize_date,
    parse_dates,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _seed_lines(prefix: str) -> tuple[str, list[str]]:
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds is not available")
    path = next((SHARED / "seeds").glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return text, [line.strip() for line in text.splitlines()]


def _gold() -> dict[str, dict[str, str | None]]:
    path = SHARED / "seeds.gold.jsonl"
    if not path.is_file():
        pytest.skip("../shared/seeds.gold.jsonl is not available")
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return {row["id"][:3]: row for row in rows}


# --------------------------------------------------------------------------------------------
# parse_dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("23 فبراير/شباط 2021", "2021-02-23"),
        ("الثلاثاء 23 فبراير/شباط 2021", "2021-02-23"),
        ("الأحد 28 شباط/فبراير 2021", "2021-02-28"),
        ("الجمعة - 29 مارس 2024", "2024-03-29"),
        ("2021/02/24 الساعة 05:40 بتوقيت غرينتش", "2021-02-24"),
        ("تم النشر: 2021/02/24", "2021-02-24"),
        ("٢٣ فبراير ٢٠٢١", "2021-02-23"),
        ("۲۳ فبراير ۲۰۲۱", "2021-02-23"),
        ("٢٠٢١/٠٢/٢٤", "2021-02-24"),
        ("23/02/2021", "2021-02-23"),
        ("23-02-2021", "2021-02-23"),
        ("23.02.2021", "2021-02-23"),
        ("02/23/2021", "2021-02-23"),  # month first when the day cannot be a month
        ("2021-02-23", "2021-02-23"),
        ("2021-02-23T05:40:00Z", "2021-02-23"),
        ("2021.2.3", "2021-02-03"),
        ("February 23, 2021", "2021-02-23"),
        ("Tuesday, February 23, 2021", "2021-02-23"),
        ("Feb 23, 2021", "2021-02-23"),
        ("Feb. 23, 2021", "2021-02-23"),
        ("23 Feb 2021", "2021-02-23"),
        ("23 February 2021", "2021-02-23"),
        ("23rd of February 2021", "2021-02-23"),
        ("Tue, 23 Feb 2021 10:00:00 GMT", "2021-02-23"),
        ("في 3 يناير/كانون الثاني 2020", "2020-01-03"),
        ("3 يناير من عام 2020", "2020-01-03"),
        ("23 من شهر فبراير عام 2021", "2021-02-23"),
        ("15 كانون الثاني 2021", "2021-01-15"),
        ("20 شباط 2021", "2021-02-20"),
        ("2 آذار 2021", "2021-03-02"),
        ("9 نيسان 2021", "2021-04-09"),
        ("1 أيار 2021", "2021-05-01"),
        ("7 حزيران 2021", "2021-06-07"),
        ("5 تموز 2021", "2021-07-05"),
        ("10 آب 2021", "2021-08-10"),
        ("12 أيلول 2020", "2020-09-12"),
        ("3 تشرين الأول 2020", "2020-10-03"),
        ("30 تشرين الثاني 2020", "2020-11-30"),
        ("25 كانون الأول 2020", "2020-12-25"),
        ("10 أغسطس 2021", "2021-08-10"),
        ("10 اغسطس 2021", "2021-08-10"),
        ("4 إبريل 2021", "2021-04-04"),
        ("4 أبريل 2021", "2021-04-04"),
        ("4 ابريل 2021", "2021-04-04"),
        ("5 يونيه 2021", "2021-06-05"),
        ("5 يوليه 2021", "2021-07-05"),
        ("مايو 2020", "2020-05"),
        ("كانون الثاني 2021", "2021-01"),
        ("كانون ثاني 2021", "2021-01"),
        ("فبراير (شباط) 2021", "2021-02"),
        ("May 2021", "2021-05"),
    ],
)
def test_parse_dates_forms(text: str, iso: str) -> None:
    dates = parse_dates(text)
    assert [d[0] for d in dates] == [iso]
    _, raw, offset = dates[0]
    assert text[offset : offset + len(raw)] == raw


@pytest.mark.parametrize(
    "text",
    [
        "الثلاثاء",
        "مساء الثلاثاء",
        "yesterday",
        "last Tuesday",
        "مارس/آذار المقبل",
        "29 يونيو",
        "في يناير كانون الثاني الماضي",
        "قتل 2021 شخصا",
        "2500 عسكري",
        "31/02/2021",
        "Feb. 23",
        "",
    ],
)
def test_parse_dates_ignores_relative_and_partial(text: str) -> None:
    assert parse_dates(text) == []


def test_parse_dates_yearless_with_context_year() -> None:
    assert [d[0] for d in parse_dates("آخرها في 29 يونيو", year=2021)] == ["2021-06-29"]
    assert [d[0] for d in parse_dates("on Feb. 23", year=2021)] == ["2021-02-23"]


def test_parse_dates_several_in_text_order() -> None:
    text = "in March 2021 and on 5 April 2021, then ٢٧ فبراير ٢٠٢١"
    dates = parse_dates(text)
    assert [d[0] for d in dates] == ["2021-03", "2021-04-05", "2021-02-27"]
    assert [d[2] for d in dates] == sorted(d[2] for d in dates)
    for _, raw, offset in dates:
        assert text[offset : offset + len(raw)] == raw


def test_normalize_date() -> None:
    assert normalize_date("2021-02-23T05:40:00+03:00") == "2021-02-23"
    assert normalize_date("23/02/2021") == "2021-02-23"
    assert normalize_date(" not a date ") == "not a date"


def test_is_date_line() -> None:
    assert is_date_line("الجمعة - 29 مارس 2024")
    assert is_date_line("27 فبراير 2021")
    assert is_date_line("Updated: February 23, 2021 5:05 PM")
    assert not is_date_line("قال البيت الأبيض، الثلاثاء 23 فبراير/شباط 2021، إن الرئيس")
    assert not is_date_line("الثلاثاء")


# --------------------------------------------------------------------------------------------
# hand-written articles


def test_title_skips_dates_and_furniture() -> None:
    lines = [
        "السبت 27 فبراير 2021",
        "تحميل المزيد",
        "",
        "التحالف يؤكد دعم العراق في التصدي للهجمات",
        "أكد التحالف الدولي " + "دعمه للعراق في التصدي للهجمات " * 6 + ".",
    ]
    title = find_title(lines, "ar")
    assert title.value == lines[3]
    assert title.source == "headline-line"
    assert title.confidence >= 0.8


def test_title_falls_back_to_lead_clause() -> None:
    lead = (
        "بغداد (رويترز) - قال مسؤولون أمنيون إن ثلاثة صواريخ سقطت قرب قاعدة جوية شمالي بغداد، "
        "دون أن تسفر عن إصابات، في ثالث هجوم من نوعه خلال أسبوع واحد على مواقع تستضيف قوات أجنبية."
    )
    title, index = locate_title([lead], "ar")
    assert title.source == "lead"
    assert title.confidence < 0.5
    assert index == 0
    assert title.value == "قال مسؤولون أمنيون إن ثلاثة صواريخ سقطت قرب قاعدة جوية شمالي بغداد"


def test_english_reuters_dateline() -> None:
    lines = [
        "U.S. strikes militia sites in Syria after rocket attacks in Iraq",
        "",
        "February 26, 2021",
        "WASHINGTON (Reuters) - The United States carried out air strikes in Syria on Thursday against "
        "facilities belonging to Iranian-backed militia, the Pentagon said, in a response to rocket attacks.",
    ]
    title = find_title(lines, "en")
    assert title.value == lines[0]
    outlet = find_outlet(lines, 0)
    assert (outlet.value, outlet.source) == ("Reuters", "dateline")
    date = find_date("\n".join(lines), lines)
    assert (date.value, date.source) == ("2021-02-26", "date-line")
    assert date.confidence >= 0.8


def test_english_byline_and_source_line() -> None:
    lines = [
        "Rockets hit Baghdad's Green Zone near US embassy",
        "By Jane Doe | Example Times",
        "Published: Feb. 23, 2021",
        "Two rockets landed inside the Green Zone late on Monday.",
    ]
    assert find_outlet(lines, 0).value == "Example Times"
    found = find_date("\n".join(lines), lines)
    assert (found.value, found.source) == ("2021-02-23", "published-line")
    lines = [
        "Rockets hit Baghdad's Green Zone",
        "Two rockets landed inside the zone.",
        "Source: Example Wire",
    ]
    assert find_outlet(lines, 0).value == "Example Wire"


def test_outlet_not_taken_from_caption_credit_or_quoted_agency() -> None:
    lines = [
        "سقوط صاروخين قرب السفارة الأمريكية في بغداد",
        "صورة من موقع الهجوم (رويترز)",
        "سقط صاروخان قرب السفارة، وفق ما أفاد مصدر أمني وكالة فرانس برس، دون أضرار. "
        'وأضاف أن الهجوم هو الثالث هذا الشهر، بحسب وكالة "رويترز" للأنباء.',
    ]
    found = find_outlet(lines, 0)
    assert found.value is None
    assert found.source == "none"


def test_outlet_from_quote() -> None:
    lines = [
        "عنوان الخبر عن الهجمات الصاروخية",
        "",
        "وأكدت مصادر دبلوماسية، لـ«الصحيفة اليومية»، أن بغداد قلقة من تداعيات الهجمات الأخيرة.",
    ]
    found = find_outlet(lines, 0)
    assert (found.value, found.source) == ("الصحيفة اليومية", "quote")


def test_outlet_line_under_title_and_elaph_style_dateline() -> None:
    lines = ["بايدن يتصل بالكاظمي ويبحثان الهجمات", "", "موقع الخبر", "تم النشر: 2021/02/24"]
    found = find_outlet(lines, 0)
    assert (found.value, found.source) == ("موقع الخبر", "line-under-title")
    assert found.confidence >= 0.8
    lines = [
        "صحيفتنا من بيروت : كشفت مصادر سياسية اليوم عن تفاصيل الاتصال الهاتفي بين الرئيسين وما جرى خلاله."
    ]
    assert find_outlet(lines, None).value == "صحيفتنا"


def test_is_caption() -> None:
    assert is_caption("الرئيس في المكتب البيضاوي - رويترز")
    assert is_caption("رئيس الوزراء العراقي/ الأناضول")
    assert is_caption("التحالف يعمل بتنسيق مع الحكومة (Getty)")
    assert is_caption("The president speaks in Washington (AP Photo/Evan Vucci)")
    assert not is_caption("قال مسؤول لوكالة رويترز إن الهجوم لم يسفر عن ضحايا")
    long_sentence = "وقال المتحدث " + "إن الهجمات مستمرة " * 8 + "(رويترز)"
    assert not is_caption(long_sentence)
    assert is_caption(long_sentence, in_header=True)


def test_page_date_at_top_years_after_the_story() -> None:
    lines = [
        "الجمعة - 29 مارس 2024",
        "",
        "سقوط صاروخين قرب السفارة في بغداد",
        "سقط صاروخان قرب السفارة فجر الخميس، بعد هزيمة التنظيم رسمياً في عام 2017، وفق مصدر أمني.",
    ]
    found = find_date("\n".join(lines), lines)
    assert (found.value, found.source) == ("2024-03-29", "page-date")
    assert found.confidence < 0.5


def test_date_in_lead_only_when_no_header_date() -> None:
    lines = [
        "عنوان",
        "قال البيت الأبيض، الثلاثاء 23 فبراير/شباط 2021، إن الرئيسين ناقشا خلال اتصال هاتفي "
        "الهجمات الصاروخية الأخيرة على القوات العراقية وقوات التحالف واتفقا على المحاسبة.",
    ]
    found = find_date("\n".join(lines), lines)
    assert (found.value, found.source) == ("2021-02-23", "lead")
    assert found.confidence < 0.5


# --------------------------------------------------------------------------------------------
# the five seeds (read from ../shared, never copied)


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_outlet_matches_gold(seed: str) -> None:
    gold = _gold()[seed]
    _, lines = _seed_lines(seed)
    _, title_index = locate_title(lines, "ar")
    found = find_outlet(lines, title_index)
    assert found.value == gold["outlet"]
    if gold["outlet"] is not None:
        assert found.confidence >= 0.5


@pytest.mark.parametrize("seed", ["000", "001", "002", "004"])
def test_seed_date_matches_gold(seed: str) -> None:
    gold = _gold()[seed]
    text, lines = _seed_lines(seed)
    found = find_date(text, lines)
    assert found.value == gold["published"]
    if gold["published"] is not None:
        assert found.confidence >= 0.8


def test_seed_000_date_is_the_published_line() -> None:
    text, lines = _seed_lines("000")
    found = find_date(text, lines)
    assert found.source == "published-line"
    assert found.raw is not None and found.raw in lines


def test_seed_003_page_date_has_low_confidence() -> None:
    assert _gold()["003"]["published"] is None
    text, lines = _seed_lines("003")
    found = find_date(text, lines)
    assert found.source == "page-date"
    assert found.confidence < 0.5
    assert found.raw == lines[0]  # the saved-on date at the very top


def test_seed_titles() -> None:
    _, lines = _seed_lines("000")
    title = find_title(lines, "ar")
    assert title.value == lines[0]
    assert title.source == "headline-line"

    _, lines = _seed_lines("002")
    title = find_title(lines, "ar")
    assert title.source == "lead"
    assert title.confidence < 0.5
    assert title.value and title.value.rstrip("…") in lines[0]
    assert not lines[0].startswith(title.value)  # the dateline is not part of the title
    assert 5 <= len(title.value.split()) <= 20

    for seed in ("003", "004"):
        _, lines = _seed_lines(seed)
        title = find_title(lines, "ar")
        assert title.source == "headline-line"
        assert lines.count(title.value or "") >= 2  # these seeds repeat their headline line
        assert not is_date_line(title.value or "")
