"""Clean summary text: page furniture glued to sentences and titles, site names, tatweel, speakers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from clusterer.config import Config
from clusterer.furniture import repeated_title_affixes, strip_site_name, trim_furniture, trim_title
from clusterer.ingest import read_paths
from clusterer.normalize import normalize_article
from clusterer.pipeline import run
from clusterer.prepare import Corpus
from clusterer.records import Article, Cluster, Doc, Found
from clusterer.summarize import summarize_cluster
from clusterer.text import normalize_text

CFG = Config()
SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "newsroom"


def _doc(doc_id: str, text: str, title: str, lang: str = "ar") -> Doc:
    article = Article(
        id=doc_id, text=text, origin=doc_id, title=title, source=None, lang=lang, format="jsonl"
    )
    return normalize_article(article, CFG)


def test_footer_glued_to_a_sentence_is_cut_at_the_sentence_end() -> None:
    text = (
        'واتهم التحالف الحوثيين باستخدام " المنافذ المستخدمة للأعمال الإغاثية " المزيد عن '
        "مواضيع إضافية اختيار المحرر ابحث Copyright Example News 2018"
    )
    assert trim_furniture(text) == (
        'واتهم التحالف الحوثيين باستخدام " المنافذ المستخدمة للأعمال الإغاثية "'
    )
    assert trim_furniture(
        "Ships waited at anchor. All rights reserved - Designed and developed by X"
    ) == ("Ships waited at anchor.")


def test_a_footer_without_a_sentence_before_it_is_dropped_whole() -> None:
    assert (
        trim_furniture("أحدث المقالات حول الموقع جميع الحقوق محفوظة لموقع المثال 2014 - 2017") == ""
    )
    assert (
        trim_furniture("لا تنسوا عمل لايك لصفحتنا على الفيسبوك ومتابعة الأخبار على تويتر .") == ""
    )
    assert trim_furniture("رئيس مجلس الإدارة : فلان رئيس التحرير : علان") == ""


def test_a_menu_or_date_time_stamp_before_the_news_is_cut() -> None:
    assert trim_furniture("آخر الأخبار > > ما دلالات انتشار قوات بريف حلب ?") == (
        "ما دلالات انتشار قوات بريف حلب ?"
    )
    stamped = "آخر الأخبار 2017 - 10 - 19 08 : 18 : 05 تصدى رئيس المجلس لرئيس الوفد في المؤتمر ."
    assert trim_furniture(stamped) == "تصدى رئيس المجلس لرئيس الوفد في المؤتمر ."
    titled = "مسؤول : إيران تنفق مئات الملايين لمساندة حلفائها في المنطقة القائمة أخر الأخبار"
    assert trim_furniture(titled) == "مسؤول : إيران تنفق مئات الملايين لمساندة حلفائها في المنطقة"


def test_news_without_furniture_is_left_alone() -> None:
    for text in (
        "قال الوزير إن المحادثات ستستأنف غدا في جنيف.",
        "The talks ended at 5:40 p.m. on Tuesday, officials said.",
        "Trump - Putin summit ends without a deal",
    ):
        assert trim_furniture(text) == text


_PIECES = [*'ab .:-|>"»©\n', "آخر الأخبار", "copyright", "12 - 10 - 2017 08 : 18"]


@given(st.lists(st.sampled_from(_PIECES)).map("".join))
def test_trimmed_text_is_always_printed_text(text: str) -> None:
    # a statement's words must stay the outlet's own: trimming only ever cuts
    assert trim_furniture(text) in text


def test_site_names_are_stripped_from_titles() -> None:
    assert strip_site_name("جريدة الدستور : إيران تنفق مئات الملايين") == "إيران تنفق مئات الملايين"
    assert strip_site_name("Strike ends | Harbour Ledger", "Harbour Ledger") == "Strike ends"
    assert strip_site_name("جريدة الدستور") == "جريدة الدستور", "never strips a whole title"


def test_summary_shows_no_furniture_site_name_or_tatweel() -> None:
    body = (
        "أعلنت وزارة النقل افتتاح الطريق السريع الجديد بين المدينتين يوم الأربعاء بحضور المحافظ. "
        "وقال الوزير إن الطريق سيخفف الازدحام ويختصر زمن الرحلة إلى النصف. "
        "وأكد المحافظ أن المشروع كلف 200 مليون دولار. جميع الحقوق محفوظة لموقع المثال 2018"
    )
    a = _doc("a", body, "جريدة المثال : افتـتاح الطريق السريـع الجديد القائمة أخر الأخبار")
    b = _doc("b", body.replace("الأربعاء", "الاربعاء"), "افتتاح طريق سريع جديد بين المدينتين")
    docs = {"a": a, "b": b}
    summary = summarize_cluster(Cluster("c", ("a", "b"), ("a", "b"), 1.0), docs, CFG)
    shown = [summary.headline, summary.lead, *(s.text for s in summary.statements)]
    assert summary.statements and all(
        "ـ" not in t and "حقوق" not in t and "القائمة" not in t and "جريدة" not in t for t in shown
    )
    single = summarize_cluster(Cluster("s", ("a",), ("a",), 1.0), docs, CFG)
    assert single.headline == "افتتاح الطريق السريع الجديد"


def test_newsroom_headline_prints_without_tatweel() -> None:
    docs = {
        d.id: d
        for d in (normalize_article(a, CFG) for a in read_paths([SAMPLE]) if isinstance(a, Article))
    }
    ids = tuple(sorted(i for i in docs if i[:2] in {"01", "02", "03", "04"}))
    summary = summarize_cluster(Cluster("m", ids, ids, 1.0), docs, CFG)
    titles = [summary.headline] + [
        summarize_cluster(Cluster(i, (i,), (i,), 1.0), docs, CFG).headline for i in ids
    ]
    assert all(t and "ـ" not in t for t in titles)


def test_the_lead_never_opens_with_speech_whose_speaker_it_does_not_name() -> None:
    opening = (
        "وأضاف أنه سيتم افتتاح الطريق السريع الجديد بين المدينتين في الأسبوع المقبل بعد تأخير طويل."
    )
    rest = "وقالت وزارة النقل إن الطريق السريع الجديد بين المدينتين سيفتتح في الأسبوع المقبل بعد تأخير طويل."
    a = _doc("a", f"{opening}\n\n{rest}", "افتتاح الطريق")
    b = _doc("b", f"{opening}\n\n{rest}\n\nوتبلغ كلفة المشروع 200 مليون دولار.", "افتتاح الطريق")
    docs = {"a": a, "b": b}
    for ids in (("a", "b"), ("a",)):
        summary = summarize_cluster(Cluster("c", ids, ids, 1.0), docs, CFG)
        assert summary.lead and not summary.lead.startswith("وأضاف")


def test_a_label_an_outlet_repeats_before_its_titles_is_cut() -> None:
    label = "اخبار سوريا اليوم من حلب ودمشق"
    titles = repeated_title_affixes(
        [
            ("a", "x.com", f"{label} وكالة : وحدة خاصة تصل طرطوس منذ اسابيع", ""),
            ("b", "x.com", "", f'{label} " سانا " تنفي نشرها أي خبر'),
            ("c", "y.com", f"{label} وكالة : وحدة خاصة تصل طرطوس منذ اسابيع", ""),
        ]
    )
    # only x.com repeats the label; y.com's one page is left as it is
    assert titles == {"a": "وحدة خاصة تصل طرطوس منذ اسابيع"}


def test_a_site_name_an_outlet_repeats_between_separators_is_cut() -> None:
    site = "الانتفاضة الشعبية في سورية"
    titles = repeated_title_affixes(
        [
            (
                "a",
                "x.org",
                f"أحداث الاثنين 04 كانون الأول - {site} / / الأكراد يشكرون روسيا بعد المعركة",
                "",
            ),
            (
                "b",
                "x.org",
                f"أحداث السبت 04 تشرين الثاني - {site} / / داعش يفقد معاقله في الشرق",
                "",
            ),
            ("c", "x.org", f"تقرير - {site}", ""),  # no inner segment: left as it is
        ]
    )
    assert titles == {"a": "الأكراد يشكرون روسيا بعد المعركة", "b": "داعش يفقد معاقله في الشرق"}


def test_matching_titles_lose_their_outlets_label() -> None:
    site = "الانتفاضة الشعبية في سورية"
    docs = [
        _doc(
            k, "نص الخبر عن الاشتباكات في ريف دير الزور الشرقي.", f"أحداث يوم {k} - {site} / / {t}"
        )
        for k, t in (("a", "الأكراد يشكرون روسيا بعد المعركة"), ("b", "داعش يفقد معاقله في الشرق"))
    ]
    docs = [dataclasses.replace(d, outlet=Found("x.org", "field", 1.0, "x.org")) for d in docs]
    corpus = Corpus.of(docs, docs)
    a = corpus.matching["a"]
    assert a.norm_title == normalize_text("الأكراد يشكرون روسيا بعد المعركة", "ar")
    assert (
        "سوريه" not in " ".join(a.title_tokens)
        and a.tokens[: len(a.title_tokens)] == a.title_tokens
    )
    assert a.tokens[len(a.title_tokens) :] == docs[0].tokens[len(docs[0].title_tokens) :]
    assert corpus.original["a"] is docs[0]  # what is shown keeps the page's own title


def test_the_same_title_twice_is_not_a_label() -> None:
    same = "Biden speaks with Kadhimi by phone | talks cover security and elections"
    assert repeated_title_affixes([("a", "x.com", same, ""), ("b", "x.com", same, "")]) == {}


def test_an_issue_line_ends_a_title() -> None:
    issue = (
        "روسيا اتفقت مع الاكراد لدخول عفرين العدد 5784 الخميس 23 مارس 2017 آخر تحديث GMT 21 : 25"
    )
    assert trim_title(issue) == "روسيا اتفقت مع الاكراد لدخول عفرين"
    assert trim_title("Last updated: 3 people hurt") == "Last updated: 3 people hurt"


def test_a_run_shows_headlines_without_the_outlets_label() -> None:
    label = "Harbour Ledger local news today"
    articles = [
        Article(
            id=f"{n}",
            text=f"{title}.\n\n{body}",
            origin=f"{n}",
            title=f"{label} | {title}",
            source="ledger.example",
            lang="en",
            format="jsonl",
        )
        for n, (title, body) in enumerate(
            [
                (
                    "Dockers strike over pay at Port Karsby",
                    "About 1,200 dockers walked out on Monday.",
                ),
                (
                    "Solar farm approved near Tarnwick",
                    "The council approved a 40 MW farm on Tuesday.",
                ),
            ]
        )
    ]
    report = run(articles, CFG)
    titles = {"Dockers strike over pay at Port Karsby", "Solar farm approved near Tarnwick"}
    assert report.summaries
    assert {s.headline for s in report.summaries.values()} <= titles


def _dense_anchored(sentences, score):
    """The anchored scores as a dense n x n bonus matrix gives them (the reference)."""
    from collections import Counter, defaultdict

    from clusterer import summarize as sm

    per_doc = defaultdict(Counter)
    for s in sentences:
        per_doc[s.doc].update(s.keys)
    n = len(sentences)
    bonus = np.zeros((n, n))
    for i, a in enumerate(sentences):
        for j, b in enumerate(sentences):
            if a.rank == b.rank:
                continue
            shared = [k for k in a.keys & b.keys if per_doc[a.doc][k] == 1 == per_doc[b.doc][k]]
            for kind, (weight, most) in enumerate(
                zip(sm._ANCHOR_WEIGHTS, (sm.ANCHOR_MAX_WORDS, 1, 1), strict=True)
            ):
                count = sum(sm._anchor_kind(k) == kind for k in shared)
                if count:
                    bonus[i, j] += weight * min(count, most)
    ranks = np.array([s.rank for s in sentences])
    length = np.bincount(ranks).astype(np.float64)[ranks]
    scale = np.minimum(1.0, sm.ANCHOR_DOC_SENTENCES**2 / (length[:, None] * length[None, :]))
    return score + np.where(score >= sm.ANCHOR_FLOOR, bonus, 0.0) * scale


def test_anchored_scores_are_those_of_the_dense_bonus_matrix():
    """The bonus is summed over the pairs that share anchors only: the same scores, bit for bit."""
    from clusterer import summarize as sm

    rng = np.random.default_rng(7)
    keys = ["#14", "#3", "#1", "#2.5", "missile", "basra", "embassy", "drone", "talks"]
    sentences = []
    for rank in range(4):
        for order in range(int(rng.integers(1, 12))):
            picked = frozenset(k for k in keys if rng.random() < 0.3)
            sentences.append(
                sm._Sentence(
                    f"d{rank}",
                    f"o{rank}",
                    None,
                    "en",
                    rank,
                    order,
                    0.0,
                    "t",
                    "t",
                    "t",
                    (),
                    (),
                    picked,
                )
            )
    score = rng.random((len(sentences), len(sentences)))
    score[rng.random(score.shape) < 0.3] = 0.05  # some pairs below the floor
    assert np.array_equal(sm._anchored(sentences, score), _dense_anchored(sentences, score))


def _scipy_tfidf(rows, cols, n):
    """The TF-IDF rows as SciPy builds them from the occurrences (the definition)."""
    from scipy import sparse
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, int(cols.max()) + 1))
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + n) / (1 + df)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    inplace_csr_row_normalize_l2(counts)
    return counts, idf


def _scipy_coverage(w, idf):
    from scipy import sparse

    binary = (w > 0).astype(np.float64)
    weighted = binary @ sparse.diags(idf)
    totals = np.asarray(weighted.sum(axis=1)).ravel()
    totals[totals == 0] = 1.0
    return (weighted @ binary.T).toarray() / totals[:, None]


@given(
    st.lists(st.lists(st.integers(0, 30), max_size=25), min_size=1, max_size=12),
)
def test_tfidf_rows_and_coverage_are_scipys_to_the_last_bit(terms_per_row):
    """The summary's term rows and coverage, built without SciPy's conversions and products,
    are the values the SciPy formulas give, bit for bit (sums in the same order)."""
    from clusterer import summarize as sm

    n = len(terms_per_row)
    rows = np.repeat(np.arange(n), [len(t) for t in terms_per_row])
    cols = np.array([c for t in terms_per_row for c in t], dtype=np.int64)
    if not cols.size:
        return
    w, idf = sm._tfidf(rows, cols, n)
    want, want_idf = _scipy_tfidf(rows, cols, n)
    assert np.array_equal(idf, want_idf)
    assert np.array_equal(w.indptr, want.indptr) and np.array_equal(w.indices, want.indices)
    assert np.array_equal(w.data, want.data)
    assert np.array_equal(sm._coverage(w, idf), _scipy_coverage(want, want_idf))
