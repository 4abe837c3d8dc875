"""Specific evidence: who, where, when and how many, in English and Arabic."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer import Article, Config
from clusterer.normalize import normalize_article
from clusterer.signals import (
    _AR_CLITICS,
    _AR_PLACE_NOUNS,
    DATE_TAU_DAYS,
    Facets,
    _ar_place_starts,
    _ar_triggers,
    _ar_word_role,
    doc_facets,
    facet_similarities,
)


def _facets(text: str, title: str | None = None):  # type: ignore[no-untyped-def]
    return doc_facets(
        normalize_article(Article(id="x", text=text, title=title, origin="x"), Config())
    )


def test_english_facets() -> None:
    f = _facets(
        "Police said 5 people were killed in Dayton on March 3, 2019. "
        "The suspect, John Smith, was arrested by officers of the Dayton Police Department."
    )
    assert "dayton" in f.where
    assert "john smith" in f.who
    assert "2019-03-03" in f.when
    assert "killed:5" in f.count


def test_arabic_facets() -> None:
    f = _facets(
        "سقطت 3 صواريخ على المنطقة الخضراء في بغداد، وقال الرئيس برهم صالح إن الهجوم مدان. "
        "وفي أربيل أعلنت السلطات حالة التأهب."
    )
    assert {"بغداد", "اربيل", "المنطقه الخضراء"} <= f.where
    assert "صواريخ:3" in f.count
    assert "برهم صالح" in f.who


def test_disagreement_and_neutral() -> None:
    a = _facets("Two people were killed in Dayton on Sunday, police said.")
    b = _facets("Three people were killed in Toledo on Sunday, police said.")
    c = _facets("Witnesses described a chaotic scene.")
    sims = facet_similarities([a, b, c], np.array([0, 0]), np.array([1, 2]))
    assert sims["where"][0] == 0.0 and math.isnan(sims["where"][1])
    assert sims["count"][0] == 0.0 and math.isnan(sims["count"][1])


def test_arabic_trigger_words_cover_every_clitic_form() -> None:
    """The pre-filter of :func:`_arabic_spans` keeps every word the clitic stripper maps to a
    place start, a place noun or a title (a word it drops could never start a name)."""
    triggers = _ar_triggers()
    for known in (*sorted(_ar_place_starts())[:50], *sorted(_AR_PLACE_NOUNS)):
        for clitic in ("", *_AR_CLITICS):
            for word in (clitic + known, clitic + known.removeprefix("ال")):
                if len(word) - len(clitic) >= 3 and any(_ar_word_role(word)[1:]):
                    assert word in triggers, word


def _when_by_definition(a: frozenset[str], b: frozenset[str]) -> float:
    """exp(-gap / tau) for the closest two event days of two documents (NaN: one has none)."""
    if not a or not b:
        return math.nan
    gap = min(abs((date.fromisoformat(x) - date.fromisoformat(y)).days) for x in a for y in b)
    return math.exp(-gap / DATE_TAU_DAYS)


def _count_by_definition(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the units both count on which they give a common number (NaN: none shared)."""
    units_a: dict[str, set[str]] = {}
    units_b: dict[str, set[str]] = {}
    for values, units in ((a, units_a), (b, units_b)):
        for value in values:
            units.setdefault(value.rsplit(":", 1)[0], set()).add(value)
    shared = units_a.keys() & units_b.keys()
    if not shared:
        return math.nan
    return sum(1.0 for u in shared if units_a[u] & units_b[u]) / len(shared)


_DAYS = st.frozensets(st.dates(date(2020, 12, 1), date(2021, 3, 1)).map(date.isoformat), max_size=4)
_COUNTS = st.frozensets(
    st.builds(
        "{}:{}".format,
        st.sampled_from(["killed", "صواريخ", "a:b", "hurt"]),
        st.integers(0, 12),
    ),
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_DAYS, _COUNTS), min_size=1, max_size=6), st.data())
def test_when_and_count_agree_with_their_definitions(
    docs: list[tuple[frozenset[str], frozenset[str]]], data: st.DataObject
) -> None:
    facets = [Facets(frozenset(), frozenset(), when, count) for when, count in docs]
    index = st.integers(0, len(docs) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), max_size=15), label="pairs")
    a = np.array([i for i, _ in pairs], dtype=np.int64)
    b = np.array([j for _, j in pairs], dtype=np.int64)
    sims = facet_similarities(facets, a, b)
    want_when = [_when_by_definition(facets[i].when, facets[j].when) for i, j in pairs]
    want_count = [_count_by_definition(facets[i].count, facets[j].count) for i, j in pairs]
    np.testing.assert_array_equal(sims["when"], np.array(want_when, dtype=np.float64))
    np.testing.assert_array_equal(sims["count"], np.array(want_count, dtype=np.float64))


def test_without_numba_the_facets_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterer import kernels  # noqa: PLC0415

    facets = [
        Facets(
            frozenset(),
            frozenset(),
            frozenset({"2021-02-23", "2021-02-20"}),
            frozenset({"killed:5", "hurt:2"}),
        ),
        Facets(
            frozenset(), frozenset(), frozenset({"2021-02-24"}), frozenset({"killed:5", "hurt:3"})
        ),
        Facets(frozenset(), frozenset(), frozenset(), frozenset({"hurt:3"})),
    ]
    a, b = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 2])
    compiled = facet_similarities(facets, a, b)
    monkeypatch.setattr(kernels, "compiled", lambda name: None)
    plain = facet_similarities(facets, a, b)
    for facet in ("when", "count"):
        np.testing.assert_array_equal(compiled[facet], plain[facet])
    assert compiled["count"].tolist()[:2] == [0.5, 0.0] and compiled["count"][3] == 1.0
    assert compiled["when"][0] == math.exp(-1 / DATE_TAU_DAYS) and math.isnan(compiled["when"][1])
