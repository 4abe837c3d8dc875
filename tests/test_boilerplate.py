"""Per-outlet boilerplate: learned from repeated lines and inline spans, never from unique text."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dedup import AR_PARAS, EN_PARAS, OTHER_PARAS, make_doc

from clusterer import Config
from clusterer.boilerplate import GRAM, find_copies, learn_boilerplate, outlet_key
from clusterer.dedup import find_duplicates
from clusterer.pipeline import prepare, readable_in
from clusterer.records import Article, Doc, Found
from clusterer.text import content_tokens, normalize_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
CFG = Config()
MENU = "الرئيسية أخبار محلية رياضة اقتصاد فنون تواصل معنا"
FOOTER = "جميع الحقوق محفوظة لصحيفة المثال 2024 اشترك في النشرة البريدية"
BODIES = [AR_PARAS[0], AR_PARAS[3], OTHER_PARAS[0], OTHER_PARAS[2], AR_PARAS[5]]


def outlet_docs(outlet: str = "example.com", inline: bool = False) -> list:
    docs = []
    for k, body in enumerate(BODIES):
        text = f"{MENU} {body} {FOOTER}" if inline else f"{MENU}\n{body}\n{FOOTER}"
        docs.append(make_doc(f"{outlet}-{k}", text, outlet=outlet))
    return docs


def test_repeated_lines_of_one_outlet_are_stripped():
    docs = outlet_docs()
    out, reports = learn_boilerplate(docs, CFG)
    for before, after in zip(docs, out, strict=True):
        assert after.paragraphs == before.paragraphs[1:2]
        assert after.norm == normalize_text(before.paragraphs[1])
        assert after.body == before.paragraphs[1]  # (the original stays in Corpus.original)
        assert "الرييسيه" not in after.tokens
    (rep,) = reports
    assert rep.outlet == "example.com" and rep.lines == 2 and rep.removed == 10
    assert any("الحقوق" in e for e in rep.examples)


def test_inline_menus_are_cut_as_spans():
    docs = outlet_docs(inline=True)
    out, reports = learn_boilerplate(docs, CFG)
    for body, after in zip(BODIES, out, strict=True):
        assert after.norm == normalize_text(body)
    assert reports[0].removed == 10


def test_not_learned_from_another_outlet():
    mine = outlet_docs("a.com")[:1]  # too few documents of this outlet to learn from
    others = [make_doc(f"b{k}", f"{MENU}\n{EN_PARAS[k]}", outlet="b.com") for k in range(2)]
    others += [make_doc("b2", f"{MENU}\n{OTHER_PARAS[1]}", outlet="b.com")]
    out, reports = learn_boilerplate(mine + others, CFG)
    assert [r.outlet for r in reports] == ["b.com"]
    assert out[0] == mine[0]
    assert all(MENU not in d.paragraphs for d in out[1:])


def test_docs_without_outlet_are_untouched_and_url_host_is_used():
    plain = [make_doc(f"n{k}", f"{MENU}\n{b}") for k, b in enumerate(BODIES)]
    out, reports = learn_boilerplate(plain, CFG)
    assert out == plain and reports == []
    from dataclasses import replace

    hosted = [replace(d, url=f"https://www.site.org/news/{k}") for k, d in enumerate(plain)]
    assert outlet_key(hosted[0]) == "site.org"
    out, reports = learn_boilerplate(hosted, CFG)
    assert [r.outlet for r in reports] == ["site.org"]
    assert all(MENU not in d.paragraphs for d in out)


def test_a_line_in_few_documents_of_a_big_outlet_is_kept():
    docs = outlet_docs()
    shared_body = "\n".join(AR_PARAS[1:3])
    docs += [
        make_doc(f"extra{k}", f"{shared_body}\n{EN_PARAS[k]}", outlet="example.com")
        for k in range(2)
    ]
    docs += [
        make_doc(f"pad{k}", EN_PARAS[k % 4] + f" number {k}", outlet="example.com")
        for k in range(4)
    ]
    out, _ = learn_boilerplate(docs, CFG)
    # AR_PARAS[1] recurs in 2 of 9 distinct documents (pad0/pad1 copy extra0/extra1): less than a
    # third, so it stays
    assert all(AR_PARAS[1] in d.paragraphs for d in out if d.id.startswith("extra"))


ARTICLE = "\n".join(AR_PARAS)


def test_an_article_at_two_urls_is_not_boilerplate_and_stays_a_duplicate():
    docs = [
        make_doc("a1", f"{MENU}\n{ARTICLE}\n{FOOTER}", outlet="example.com", date="2021-01-01"),
        make_doc("a2", f"{MENU}\n{ARTICLE}\n{FOOTER}", outlet="example.com", date="2021-01-02"),
        make_doc(
            "b", f"{MENU}\n{OTHER_PARAS[0]}\n{OTHER_PARAS[1]}\n{FOOTER}", outlet="example.com"
        ),
    ]
    assert find_copies(docs, CFG) == {"a2": "a1"}
    out, (rep,) = learn_boilerplate(docs, CFG)
    assert [d.paragraphs for d in out] == [tuple(AR_PARAS), tuple(AR_PARAS), tuple(OTHER_PARAS[:2])]
    assert rep.removed == 6  # menu and footer of all three pages
    assert [(r.id, r.kind) for r in find_duplicates(out, CFG).duplicates] == [("a2", "exact")]
    counted_twice, _ = learn_boilerplate(docs, CFG, copies={})
    assert counted_twice[0].paragraphs == ()  # what happened before copies were grouped


def test_a_trimmed_copy_in_a_two_page_outlet_is_kept():
    docs = [
        make_doc("full", ARTICLE, outlet="x.org"),
        make_doc("trim", "\n".join(AR_PARAS[:4]), outlet="x.org"),
    ]
    assert find_copies(docs, CFG) == {"trim": "full"}
    out, reports = learn_boilerplate(docs, CFG)
    assert out == docs and reports == []
    assert [r.kind for r in find_duplicates(out, CFG).duplicates] == ["contained"]


def test_pages_that_share_only_furniture_are_not_copies():
    notice = " ".join([MENU, FOOTER, "سجل الدخول لمتابعة الكاتب واحصل على إشعار يومي بكل جديد"] * 2)
    docs = [
        make_doc(f"p{k}", f"{notice}\n{name}", outlet="cms.net")
        for k, name in enumerate(["أحمد علي", "سارة محمد", "خالد يوسف"])
    ]
    assert find_copies(docs, CFG) == {}
    out, reports = learn_boilerplate(docs, CFG)
    assert [d.paragraphs for d in out] == [("أحمد علي",), ("سارة محمد",), ("خالد يوسف",)]


def test_copies_can_be_given_and_only_group_documents_of_one_outlet():
    docs = outlet_docs()
    same = {d.id: docs[0].id for d in docs[1:]}  # all five pages declared copies: one distinct page
    out, reports = learn_boilerplate(docs, CFG, copies=same)
    assert out == docs and reports == []
    other = [make_doc("x", f"{MENU}\n{BODIES[0]}\n{FOOTER}", outlet="other.com")]
    assert find_copies(docs + other, CFG) == {}


def test_spans_are_cut_at_the_right_place_around_astral_characters():
    docs = [
        make_doc(f"e{k}", f"🔴📢 {MENU} 🔴 {body} 📢 {FOOTER} 🔴", outlet="emoji.com")
        for k, body in enumerate(BODIES)
    ]
    out, _ = learn_boilerplate(docs, CFG)
    for body, after in zip(BODIES, out, strict=True):
        assert after.paragraphs == (f"🔴📢 🔴 {body} 📢 🔴",)


def test_input_order_does_not_change_the_result():
    docs = outlet_docs() + outlet_docs("b.org", inline=True)
    docs += [make_doc("copy", f"{MENU}\n{BODIES[0]}\n{FOOTER}", outlet="example.com")]
    out, reports = learn_boilerplate(docs, CFG)
    back, back_reports = learn_boilerplate(docs[::-1], CFG)
    assert back[::-1] == out and back_reports == reports


POOL = AR_PARAS + OTHER_PARAS + EN_PARAS


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=4, unique=True),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.integers(0, 5), max_size=4),
    st.integers(2, 4),
)
def test_a_paragraph_of_a_single_distinct_document_is_never_stripped(pages, copied, min_docs):
    """Pages of one outlet from a pool of paragraphs, some published twice.

    Text of one distinct page stays.
    """
    texts = ["\n".join([MENU, *(POOL[i] for i in page)]) for page in pages]
    texts += [texts[k % len(texts)] for k in copied]  # the same page at another URL
    docs = [make_doc(f"d{k}", t, outlet="one.com") for k, t in enumerate(texts)]
    cfg = CFG.replace(boilerplate_min_docs=min_docs)
    out, _ = learn_boilerplate(docs, cfg)
    distinct = set(texts)
    for before, after in zip(docs, out, strict=True):
        for para in before.paragraphs:
            if sum(para in t.split("\n") for t in distinct) == 1:
                assert para in after.paragraphs, para
    for rep in _:
        for example in rep.examples:
            assert sum(example.rstrip("…") in t for t in distinct) >= min_docs


def _claims_docs():
    from clusterer.normalize import normalize_article

    docs = []
    with (SHARED / "eval" / "ar_claims_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            art = Article(
                id=r["id"],
                text=r["text"],
                origin=r["id"],
                title=r.get("title"),
                source=r.get("source"),
                lang="ar",
            )
            docs.append(normalize_article(art, CFG))
    return docs


def _sentences(doc) -> tuple[list[str], list[tuple[int, int]]]:
    """Return a document's normalized words and each sentence's word range."""
    words: list[str] = []
    ranges = []
    for sentence in re.split(r"[.!?؟\n]", "\n".join(doc.paragraphs)):
        sw = normalize_text(sentence).split()
        ranges.append((len(words), len(words) + len(sw)))
        words += sw
    return words, ranges


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + GRAM]) for i in range(len(words) - GRAM + 1)}


@pytest.mark.quality
@pytest.mark.skipif(
    not (SHARED / "eval" / "ar_claims_dev.jsonl").is_file(), reason="../shared/eval is absent"
)
def test_unique_body_sentences_of_real_pages_are_never_stripped():
    docs = _claims_docs()
    out, reports = learn_boilerplate(docs, CFG)
    assert len(reports) >= 10 and sum(r.removed for r in reports) >= 100
    by_outlet = defaultdict(list)
    for before, after in zip(docs, out, strict=True):
        by_outlet[before.outlet.value].append((before, after))
    checked = 0
    for pairs in by_outlet.values():
        if len(pairs) < CFG.boilerplate_min_docs:
            continue
        split = [_sentences(b) for b, _ in pairs]
        grams = [_grams(words) for words, _ in split]
        for k, (_, after) in enumerate(pairs):
            words, ranges = split[k]
            elsewhere = set().union(*(g for m, g in enumerate(grams) if m != k))
            shared = [False] * len(words)
            for i in range(len(words) - GRAM + 1):
                if tuple(words[i : i + GRAM]) in elsewhere:
                    shared[i : i + GRAM] = [True] * GRAM
            kept = " ".join(after.norm.split())
            for lo, hi in ranges:
                if hi - lo < GRAM or any(shared[lo:hi]):
                    continue  # not a sentence unique to this document
                checked += 1
                assert " ".join(words[lo:hi]) in kept, (after.id, words[lo:hi])
    assert checked >= 500


@pytest.mark.quality
@pytest.mark.skipif(
    not (SHARED / "eval" / "ar_claims_dev.jsonl").is_file(), reason="../shared/eval is absent"
)
def test_every_stripped_span_recurs_in_several_documents_of_its_outlet():
    docs = _claims_docs()
    _, reports = learn_boilerplate(docs, CFG)
    by_outlet = defaultdict(list)
    for d in docs:
        by_outlet[(d.outlet.value or "").casefold()].append(
            " ".join(normalize_text(d.body).split())
        )
    for rep in reports:
        texts = by_outlet[rep.outlet]
        for example in rep.examples:
            probe = " ".join(normalize_text(example.rstrip("…")).split()[:GRAM])
            assert sum(probe in t for t in texts) >= CFG.boilerplate_min_docs, (rep.outlet, example)


LABEL = "اخبار المدينة اليوم من الشمال والجنوب"  # the site's label, on every page
HEADLINE = "وحدة خاصة من الدفاع المدني تصل الى الميناء صباح الاحد"


def _titled(doc_id: str, text: str, title: str, confidence: float = 1.0) -> Doc:
    doc = make_doc(doc_id, text, outlet="small.net")
    return dataclasses.replace(doc, title=Found(title, "field", confidence, title))


def test_a_headline_quoted_on_the_outlets_other_page_is_kept():
    """Two pages of a small outlet on one story: the label goes, the first page's headline
    quoted in the second page's report stays (other pages quote it; it is news)."""
    docs = [
        _titled("s-0", f"{LABEL} {HEADLINE} {AR_PARAS[0]}", HEADLINE),
        _titled(
            "s-1", f"{LABEL} {AR_PARAS[2]} وقالت الوكالة إن {HEADLINE} . {AR_PARAS[4]}", "نفي الخبر"
        ),
    ]
    out, (rep,) = learn_boilerplate(docs, CFG)
    for after in out:
        assert normalize_text(LABEL) not in after.norm
        assert normalize_text(HEADLINE) in after.norm
    assert rep.removed == 2  # the label, once per page


def test_a_title_template_two_pages_share_is_still_furniture():
    masthead = "موقع المدينة عاجل الاشراف العام رئيس التحرير"
    docs = [
        _titled("s-0", f"{AR_PARAS[0]} {masthead}", f"{AR_PARAS[0][:40]} {masthead}"),
        _titled("s-1", f"{OTHER_PARAS[0]} {masthead}", f"{OTHER_PARAS[0][:40]} {masthead}"),
    ]
    out, _ = learn_boilerplate(docs, CFG)
    assert all(normalize_text(masthead) not in d.norm for d in out)


def test_headline_text_is_furniture_when_found_on_many_pages():
    """A sidebar repeating one page's headline on three or more pages is the site's."""
    docs = [_titled("s-0", f"{HEADLINE}\n{AR_PARAS[0]}", HEADLINE)]
    docs += [
        _titled(f"s-{k}", f"{BODIES[k]}\n{HEADLINE}", f"عنوان الصفحة رقم {k}") for k in (1, 2, 3)
    ]
    out, _ = learn_boilerplate(docs, CFG)
    assert all(HEADLINE not in d.paragraphs for d in out[1:])


def _menu_pages(outlet: str, title_label: str) -> list[Article]:
    """Pages of one outlet: a site menu glued to each story's first sentence, a footer line, and
    titles that end with the outlet's label."""
    menu = "Home World Sport Weather Subscribe Newsletter Podcasts"
    footer = "Copyright Example Media Group all rights reserved privacy cookies"
    stories = EN_PARAS + OTHER_PARAS[:2]
    return [
        Article(
            id=f"{outlet}-{k}",
            text=f"{menu} {story}\n{footer}",
            origin=f"{outlet}-{k}",
            title=f"Story number {k} | {title_label}",
            source=outlet,
            url=f"https://{outlet}/{k}",
        )
        for k, story in enumerate(stories)
    ]


def test_readable_documents_are_tokenized_from_what_is_left():
    """Summaries read the documents boilerplate learning stripped: their tokens (keywords,
    headline centrality) hold none of the cut menu, footer or title label."""
    pages = _menu_pages("daily.example", "The Daily Example")
    corpus = prepare(pages, CFG).corpus
    changed = 0
    for page in pages:
        doc = readable_in(corpus, page.id)
        original = corpus.original[page.id]
        changed += doc.body != original.body
        for cut in ("subscrib", "newslett", "podcast", "copyright", "cooki", "daili"):
            assert all(not t.startswith(cut) for t in doc.tokens), (cut, doc.tokens)
        assert doc.title_tokens == tuple(content_tokens(doc.headline, doc.lang))
        body = tuple(content_tokens(doc.body, doc.lang))
        assert doc.tokens == doc.title_tokens + body
        assert doc.norm == "\n".join(normalize_text(p, doc.lang) for p in doc.paragraphs)
    assert changed == len(pages)  # (every page lost its menu and footer)
