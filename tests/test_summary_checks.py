"""The summary benchmark's independent checker (bench/summary_checks.py) on hand-made examples."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "summary_checks", ROOT / "bench" / "summary_checks.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("summary_checks", module)
    spec.loader.exec_module(module)
    return module


sc = _load()

COASTAL = (
    "Strike leaves Karsby quays silent\nCoastal Times\n\n"
    "Union leader Ellingsen told a rally of about 400 strikers that members "
    '"will not be frightened back to work." Around 1,200 dockers are on strike.'
)
WIRE = (
    "Port Karsby dockers strike\n\nAround 1,200 dockers walked out on strike on Monday, the union said. "
    "Ellingsen told a rally of about 400 strikers that members would keep up the strike."
)
ARABIC = (
    "الموصل (الخبر اليوم) - قالَ المحافظ إن «الجسر الجديد سيخفف الزحام كثيراً» بعد افتتاحه.\n"
    "وبلغ طول الجسر 820 متراً."
)


def _statement(text: str, *evidence: tuple[str, str], match: str | None = None) -> dict[str, Any]:
    entries: list[dict[str, Any]] = [{"doc": d, "outlet": d, "sentence": s} for d, s in evidence]
    if match:
        for e in entries:
            e["match"] = match
    return {"text": text, "sources": [d for d, _ in evidence], "evidence": entries}


def _check(statement: dict[str, Any]) -> list[Any]:
    docs = {"coastal": COASTAL, "wire": WIRE, "ar": ARABIC}
    return sc.check_report({"clusters": [{"summary": [statement], "unique": []}]}, docs)


def test_fold_is_light() -> None:
    assert sc.fold("قالَ «السلامُ» يـا") == "قال السلام يا"
    assert sc.fold("Ｈｅｌｌｏ,\n  WORLD!") == "hello world"


def test_correct_citation_holds() -> None:
    sentence = "Around 1,200 dockers are on strike."
    (c,) = _check(_statement(sentence, ("coastal", sentence), match="verbatim"))
    assert c.occurs and c.supports and c.verbatim_ok and c.holds
    assert c.quotes_ok is None and not c.is_quote


def test_paraphrase_holds_but_is_not_verbatim() -> None:
    text = "Around 1,200 dockers are on strike."
    evidence = "Around 1,200 dockers walked out on strike on Monday, the union said."
    (plain,) = _check(_statement(text, ("wire", evidence)))
    assert plain.occurs and plain.holds  # the wire carries the fact in its own words
    (claimed,) = _check(_statement(text, ("wire", evidence), match="verbatim"))
    assert claimed.verbatim_ok is False and not claimed.holds


def test_evidence_the_outlet_never_printed_fails() -> None:
    (c,) = _check(
        _statement("Around 1,200 dockers are on strike.", ("wire", "1,200 dockers strike."))
    )
    assert not c.occurs and not c.holds


def test_unrelated_evidence_does_not_support() -> None:
    text = "Around 1,200 dockers are on strike."
    (c,) = _check(_statement(text, ("coastal", "Strike leaves Karsby quays silent")))
    assert c.occurs and not c.supports and not c.holds


def test_wrongly_credited_quote() -> None:
    text = (
        "Ellingsen told a rally of about 400 strikers that members "
        '"will not be frightened back to work."'
    )
    own, other = _check(
        _statement(
            text,
            ("coastal", text),
            (
                "wire",
                "Ellingsen told a rally of about 400 strikers that members would keep up the strike.",
            ),
        )
    )
    assert own.is_quote and own.quote_holds and own.holds
    assert other.is_quote and other.supports and other.quotes_ok is False
    assert not other.quote_holds and not other.holds
    figures = sc.attribution_figures([own, other])
    assert figures["quote_citations"] == 2 and figures["quote_holding"] == 0.5


def test_arabic_guillemets_and_quotes_entries() -> None:
    text = "قال المحافظ إن «الجسر الجديد سيخفف الزحام كثيرا»"
    assert sc.quoted_spans(text) == ["الجسر الجديد سيخفف الزحام كثيرا"]
    cluster = {
        "summary": [],
        "unique": [],
        "quotes": [
            {
                "speaker": "المحافظ",
                "text": "الجسر الجديد سيخفف الزحام كثيراً",
                "sources": ["ar", "wire"],
            }
        ],
    }
    ar, wire = sc.check_report({"clusters": [cluster]}, {"ar": ARABIC, "wire": WIRE})
    assert ar.kind == "quote" and ar.quote_holds
    assert not wire.quote_holds and not wire.holds


@pytest.mark.parametrize(
    "text",
    [
        "'ok' she said",  # fewer than three words
        "the workers' union said it's over",  # apostrophes are not quotation marks
    ],
)
def test_not_quoted_spans(text: str) -> None:
    assert sc.quoted_spans(text) == []


@pytest.mark.parametrize(
    ("unit", "reason"),
    [
        ("جميع الحقوق محفوظة © 2018 Design And Developed By Example", "copyright"),
        ("Design and developed by Example Studio", "credits"),
        ("جريدة الدستور : القائمة أخر الأخبار", "menu"),
        ("رئيس مجلسى الإدارة : فلان الفلاني", "masthead"),
        ("ويأتي الاتصال بعد هجوم بـ3 صواريخ", "tatweel"),
        ("WASHINGTON — The Senate voted on Tuesday.", "dateline"),
        ("الموصل (الخبر اليوم) - دخل الجسر الخدمة.", "dateline"),
    ],
)
def test_furniture_patterns(unit: str, reason: str) -> None:
    assert sc.furniture_reason(unit, []) == reason


@pytest.mark.parametrize(
    "unit",
    [
        "US-led forces struck the town on Monday.",
        "أدرجت القائمة السوداء خمسة أسماء جديدة.",
        "He said the talks would go on - and they did.",
    ],
)
def test_news_is_not_furniture(unit: str) -> None:
    assert sc.furniture_reason(unit, []) is None


def test_find_furniture_uses_learned_boilerplate() -> None:
    data = {
        "boilerplate": [{"outlet": "x", "examples": ["اخبار سوريا اليوم من حلب ودمشق حيث نقدم…"]}],
        "clusters": [
            {
                "headline": "قصف على حلب",
                "summary": [{"text": "قتل خمسة. اخبار سوريا اليوم من حلب ودمشق حيث نقدم لكم"}],
                "unique": [{"outlet": "x", "statements": [{"text": "وصل الوفد إلى دمشق."}]}],
            }
        ],
    }
    assert sc.find_furniture(data) == [
        ("statement", "اخبار سوريا اليوم من حلب ودمشق حيث نقدم لكم", "boilerplate")
    ]
