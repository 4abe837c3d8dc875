"""Specific evidence: who, where, when and how many, in English and Arabic."""

from __future__ import annotations

import math

import numpy as np

from clusterer import Article, Config
from clusterer.normalize import normalize_article
from clusterer.signals import (
    _AR_CLITICS,
    _AR_PLACE_NOUNS,
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
