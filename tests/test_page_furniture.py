"""Furniture inside flattened pages: template placeholders, closing "related" blocks, rotating sidebars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_dedup import make_doc

from clusterer.boilerplate import learn_boilerplate
from clusterer.config import Config
from clusterer.furniture import cut_inline_furniture, cut_tail_block
from clusterer.normalize import normalize_article
from clusterer.records import Article
from clusterer.text import normalize_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
CFG = Config()

ARTICLE_AR = (
    "أعلنت وزارة الصحة افتتاح مستشفى جديد في مدينة حمص يضم ثلاثمئة سرير وقسما للطوارئ . "
    "وقال الوزير في مؤتمر صحفي إن المستشفى سيخدم سكان الريف الشمالي والجنوبي للمحافظة . "
    "وأضاف أن المشروع استغرق عامين بتمويل من منظمات دولية وبمشاركة مهندسين محليين ."
)


# --------------------------------------------------------------------------------------------
# template placeholders


@pytest.mark.parametrize(
    ("line", "kept", "cut"),
    [
        ("{{ title }} Rain in Paris", "Rain in Paris", ("{{ title }}",)),
        ("{ { ptitle } } : { { title } }", ":", ("{ { ptitle } }", "{ { title } }")),
        ("{{#articles}}x{{/articles}}", "x", ("{{#articles}}", "{{/articles}}")),
        (
            "{ * # signInForm * } { * signInEmailAddress * } دخول",
            "دخول",
            ("{ * # signInForm * }", "{ * signInEmailAddress * }"),
        ),
        ("{% if user %}hello{% endif %}", "hello", ("{% if user %}", "{% endif %}")),
    ],
)
def test_template_placeholders_are_cut(line: str, kept: str, cut: tuple[str, ...]) -> None:
    assert cut_inline_furniture(line) == (kept, cut)


@pytest.mark.parametrize(
    "line",
    [
        "The set {1, 2} has two members.",
        'The config was { "a": 1 } on Monday.',
        "قال { المتحدث } إن الاجتماع انتهى",
        "a {b} c and {*} d",
        ARTICLE_AR,
    ],
)
def test_text_without_placeholders_is_left_alone(line: str) -> None:
    assert cut_inline_furniture(line) == (line, ())


# --------------------------------------------------------------------------------------------
# closing "related" / "most read" block


def test_a_closing_related_block_is_found_on_the_last_line() -> None:
    sidebar = "الأكثر قراءة مقتل عشرة في قصف على إدلب ترامب يهدد كوريا الشمالية جميع الحقوق محفوظة"
    lines = [ARTICLE_AR, f"وتابع الوزير أن العمل سيبدأ الشهر المقبل . {sidebar}"]
    where = cut_tail_block(lines)
    assert where is not None
    line, pos = where
    assert line == 1 and lines[1][pos:] == sidebar


def test_a_related_heading_inside_the_article_is_kept() -> None:
    # on the last line, but in the first 70% of the page: the article goes on after it
    single = f"أخبار ذات صلة {ARTICLE_AR} {ARTICLE_AR}"
    assert cut_tail_block([single]) is None
    # on an earlier line
    assert cut_tail_block(["مواضيع ذات صلة قصف على إدلب", ARTICLE_AR]) is None
    # English headings only title-cased: a sentence that says "most read" is text
    sentence = "Rain fell on Paris all day. It was the story most read by visitors this week"
    assert cut_tail_block([sentence]) is None
    assert cut_tail_block([]) is None and cut_tail_block(["", "  "]) is None


def test_normalize_article_drops_placeholders_and_the_closing_block_from_body_and_tokens() -> None:
    second = (
        "وأكد مدير المستشفى أن الطواقم الطبية جاهزة لاستقبال المرضى اعتبارا من الأسبوع المقبل ."
    )
    text = (
        f"عنوان الخبر\n{{{{ mday }}}} {{{{ hmonth }}}} {ARTICLE_AR}\n"
        f"{second} الأكثر مشاهدة فيديوهات ذات صلة قم بتسجيل الدخول {{ * loginWidget * }}"
    )
    doc = normalize_article(Article(id="a", text=text, origin="a", lang="ar"), CFG)
    assert "{" not in doc.body and "مشاهدة" not in doc.body
    assert "hmonth" not in doc.tokens and "loginwidget" not in doc.tokens
    assert ARTICLE_AR in doc.body and second in doc.body  # the article itself is all there
    assert any(f.startswith("الأكثر مشاهدة") for f in doc.furniture)
    assert "{{ hmonth }}" in doc.furniture


# --------------------------------------------------------------------------------------------
# rotating sidebars: learned per outlet from a third of its pages

BODIES = [
    "أعلنت وزارة الصحة افتتاح مستشفى جديد في مدينة حمص يضم ثلاثمئة سرير وقسما للطوارئ",
    "قال مسؤولون إن الأمطار الغزيرة أغرقت شوارع الإسكندرية وعطلت حركة القطارات يوم الاثنين",
    "فاز المنتخب المغربي على نظيره التونسي بهدفين نظيفين في مباراة ودية أقيمت في الرباط",
    "ارتفعت أسعار النفط بنسبة ثلاثة في المئة بعد قرار منظمة أوبك خفض الإنتاج مجددا",
    "افتتح معرض الكتاب الدولي في القاهرة بمشاركة ألف دار نشر من خمسين دولة عربية وأجنبية",
]
SIDEBAR = (
    "مقتل عشرة مدنيين في قصف على ريف إدلب الجنوبي ترامب يهدد بفرض عقوبات جديدة على كوريا الشمالية"
)


def test_a_sidebar_on_a_third_of_an_outlets_pages_is_cut() -> None:
    docs = [
        make_doc(f"s{k}", f"{body} {SIDEBAR}" if k < 2 else body, outlet="site.com")
        for k, body in enumerate(BODIES)
    ]
    out, _ = learn_boilerplate(docs, CFG)
    for k, doc in enumerate(out):
        assert doc.norm == normalize_text(BODIES[k])
        assert doc.body == BODIES[k]  # (the original stays in Corpus.original)


def test_a_block_on_fewer_than_a_third_of_an_outlets_pages_is_kept() -> None:
    bodies = [
        *BODIES,
        "أعلن البنك المركزي تثبيت سعر الفائدة للمرة الثالثة على التوالي هذا العام",
        "بدأ موسم قطف الزيتون في فلسطين وسط توقعات بإنتاج أقل من العام الماضي بسبب الجفاف",
    ]
    docs = [
        make_doc(f"s{k}", f"{body} {SIDEBAR}" if k < 2 else body, outlet="site.com")
        for k, body in enumerate(bodies)
    ]
    out, _ = learn_boilerplate(docs, CFG)
    assert all(normalize_text(SIDEBAR) in d.norm for d in out[:2])


# --------------------------------------------------------------------------------------------
# real pages


def _records(name: str) -> list[dict[str, str]]:
    path = SHARED / "eval" / name
    if not path.exists():
        pytest.skip(f"{path} missing")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_clean_articles_lose_nothing() -> None:
    seeds = SHARED / "seeds"
    if not seeds.exists():
        pytest.skip("seeds missing")
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()) if p.is_file()]
    texts += [r["text"] for r in _records("basil_events.jsonl")]
    for text in texts:
        lines = [line.strip() for line in text.splitlines()]
        assert cut_tail_block(lines) is None
        assert all(cut_inline_furniture(line)[1] == () for line in lines)


def test_scraped_pages_keep_their_article_sentences() -> None:
    records = _records("ar_claims_dev.jsonl")
    cut_pages = 0
    for rec in records:
        lines = [line.strip() for line in rec["text"].splitlines()]
        where = cut_tail_block(lines)
        if where is None:
            continue
        cut_pages += 1
        line, pos = where
        total = sum(len(x) + 1 for x in lines[: line + 1])
        assert len(lines[line]) - pos <= 0.3 * total
        doc = normalize_article(
            Article(id=rec["id"], text=rec["text"], origin=rec["id"], lang="ar"), CFG
        )
        found = " ".join(normalize_text(" ".join((doc.body, *doc.furniture))).split())
        kept_text = " ".join(lines[:line] + [lines[line][:pos]])
        for sentence in kept_text.split(" . "):
            words = normalize_text(sentence).split()
            if (
                len(words) >= 8 and "{" not in sentence
            ):  # its end: a title may be cut from a line's start
                assert " ".join(words[-8:]) in found, (rec["id"], sentence)
    assert cut_pages >= 20  # the closing blocks of these pages are found
