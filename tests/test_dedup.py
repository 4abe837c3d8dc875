"""Dedup: relation kinds, keep policy, Arabic variants, explanations, determinism, copy groups."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer import Config
from clusterer import dedup as dedup_module
from clusterer.copies import (
    CONTAINED,
    EXACT,
    NEAR,
    NONE,
    SYNDICATED,
    CopyGroups,
    Verified,
    copy_groups,
    group,
    verify,
)
from clusterer.dedup import _batches_of_docs, dedup_fingerprints, explain_pair, find_duplicates
from clusterer.records import NOT_FOUND, Article, Doc, Found
from clusterer.shingles import (
    CorpusKeys,
    Fingerprints,
    TextShingles,
    candidate_pairs,
    fingerprint_texts,
    fingerprints_of_shingles,
    key_bits,
    text_shingles,
)
from clusterer.text import normalize_text
from clusterer.unionfind import UnionFind

SHARED = Path(__file__).resolve().parents[2] / "shared"
CFG = Config()


def make_doc(
    doc_id: str, text: str, outlet: str | None = None, date: str | None = None, lang: str = "ar"
) -> Doc:
    paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
    body = "\n\n".join(paragraphs)
    norm = normalize_text(body, lang)
    return Doc(
        id=doc_id,
        origin=doc_id,
        lang=lang,
        title=NOT_FOUND,
        outlet=Found(outlet, "field", 1.0) if outlet else NOT_FOUND,
        date=Found(date, "field", 1.0) if date else NOT_FOUND,
        url=None,
        body=body,
        norm_title="",
        norm=norm,
        tokens=tuple(norm.split()),
        title_tokens=(),
    )


AR_PARAS = [
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمائة سرير لخدمة سكان المنطقة الغربية",
    "وقال الوزير في مؤتمر صحفي إن المستشفى يضم أقساماً متخصصة في جراحة القلب والأورام وطب الأطفال والطوارئ",
    "وأضاف أن المشروع تكلف نحو مليار ريال وتم تنفيذه خلال ثلاث سنوات بمشاركة شركات محلية ودولية متخصصة",
    "وأشار إلى أن الوزارة تخطط لافتتاح عشرة مستشفيات أخرى في مناطق مختلفة من المملكة خلال العامين المقبلين",
    "ومن المتوقع أن يوفر المستشفى الجديد أكثر من ألفي وظيفة للكوادر الطبية والإدارية من أبناء وبنات الوطن",
    "وأكد المتحدث الرسمي أن المرحلة الأولى من التشغيل ستبدأ مطلع الشهر المقبل بعد استكمال تجهيز غرف العمليات",
]
OTHER_PARAS = [
    "شهدت أسواق الأسهم الخليجية تراجعاً حاداً في تعاملات الأسبوع الماضي بسبب انخفاض أسعار النفط "
    "الخام عالمياً",
    "وخسر المؤشر العام للسوق السعودية أكثر من مائتي نقطة في جلسة واحدة وسط عمليات بيع واسعة من المستثمرين",
    "ويتوقع المحللون أن تستمر حالة التذبذب في الأسواق حتى صدور نتائج الشركات للربع الثالث من العام الجاري",
    "وفي سوق العملات استقر الريال السعودي أمام الدولار الأمريكي عند مستواه المعتاد دون تغيرات "
    "تذكر في التداول",
]
EN_PARAS = [
    "The city council approved a new budget on Tuesday that increases funding for public "
    "schools and libraries.",
    "Mayor Jane Smith said the plan would hire two hundred teachers and extend library hours "
    "across every district.",
    "Opponents argued that the budget relies on optimistic revenue forecasts and could force "
    "cuts later in the year.",
    "The budget takes effect in July after a final vote scheduled for next month, officials "
    "said in a statement.",
]


def kinds(result) -> dict[tuple[str, str], str]:
    return {(r.id, r.other): r.kind for r in (*result.duplicates, *result.related)}


def test_exact_same_normalized_text():
    a = make_doc("a", "\n".join(AR_PARAS), date="2021-01-01")
    b = make_doc("b", "\n\n".join(AR_PARAS) + "  ", date="2021-01-02")
    res = find_duplicates([a, b], CFG)
    assert res.kept == ("a",)
    assert kinds(res) == {("b", "a"): "exact"}
    assert res.duplicates[0].score == 1.0


def test_arabic_variants_are_exact():
    text = "\n".join(AR_PARAS)
    varied = (
        text.replace("أعلنت", "اعلنت")
        .replace("مدينة", "مدينه")
        .replace("إلى", "الى")
        .replace("الصحة", "الصـــحة")
        .replace("الوزير", "الوَزِيرُ")
        .replace("الجديد", "الجَدِيد")
    )
    varied = varied.encode("cp1256").decode("cp1256")
    res = find_duplicates([make_doc("a", text), make_doc("b", varied)], CFG)
    assert [(r.kind, r.other) for r in res.duplicates] == [("exact", "a")]


def test_near_duplicate_with_header_and_word_substitution():
    copy = list(AR_PARAS)
    copy[0] = "الرياض - واس: " + copy[0]
    copy[2] = copy[2].replace("مليار", "ملياري")
    res = find_duplicates([make_doc("a", "\n".join(AR_PARAS)), make_doc("b", "\n".join(copy))], CFG)
    rel = res.duplicates[0]
    assert rel.kind == "near_duplicate"
    assert CFG.near_threshold <= rel.jaccard < 1.0


def test_contained_trimmed_copy():
    res = find_duplicates(
        [make_doc("a", "\n".join(AR_PARAS)), make_doc("b", "\n".join(AR_PARAS[:3]))], CFG
    )
    rel = res.duplicates[0]
    assert rel.kind == "contained"
    assert rel.containment == 1.0 and rel.jaccard < CFG.near_threshold
    assert rel.shared and rel.shared[0] in " ".join(AR_PARAS)


def test_syndicated_shares_passages_but_both_kept():
    a = make_doc("a", "\n".join(AR_PARAS[:4] + OTHER_PARAS[:2]), outlet="x")
    b = make_doc("b", "\n".join(AR_PARAS[1:3] + OTHER_PARAS[2:] + EN_PARAS[:1]), outlet="y")
    res = find_duplicates([a, b], CFG)
    assert res.duplicates == ()
    assert set(res.kept) == {"a", "b"}
    assert [r.kind for r in res.related] == ["syndicated"]
    assert any("المستشفى" in s for s in res.related[0].shared)


def test_unrelated_documents_have_no_relation():
    res = find_duplicates(
        [make_doc("a", "\n".join(AR_PARAS)), make_doc("b", "\n".join(OTHER_PARAS))], CFG
    )
    assert res.duplicates == () and res.related == ()


def test_english_relations():
    docs = [
        make_doc("e1", "\n".join(EN_PARAS), lang="en"),
        make_doc("e2", "\n".join(EN_PARAS).upper().replace(".", " !"), lang="en"),
        make_doc("e3", "\n".join(EN_PARAS[:2]), lang="en"),
    ]
    got = {r.id: r.kind for r in find_duplicates(docs, CFG).duplicates}
    assert got == {"e2": "exact", "e3": "contained"}


def test_empty_documents_are_never_duplicates():
    res = find_duplicates(
        [make_doc("a", ""), make_doc("b", ""), make_doc("c", "\n".join(AR_PARAS))], CFG
    )
    assert res.duplicates == () and res.kept == ("a", "b", "c")


@pytest.mark.parametrize(
    ("policy", "kept"),
    [("earliest", "late_long"), ("longest", "long"), ("first", "first")],
)
def test_keep_policies(policy: str, kept: str):
    text = "\n".join(AR_PARAS)
    docs = [
        make_doc("first", text, date="2021-03-05"),
        make_doc("long", text + "\n" + AR_PARAS[0] + " " + OTHER_PARAS[0][:20], date="2021-03-04"),
        make_doc("late_long", text, date="2021-03-01"),
    ]
    res = find_duplicates(docs, CFG.replace(keep=policy))
    assert res.kept == (kept,)
    assert {r.other for r in res.duplicates} == {kept}
    assert {r.id for r in res.duplicates} == {"first", "long", "late_long"} - {kept}


def test_earliest_prefers_dated_then_longest_then_id():
    text = "\n".join(AR_PARAS)
    docs = [
        make_doc("b", text),
        make_doc("a", text),
        make_doc("c", text + "\n" + OTHER_PARAS[0], date="2022-01-01"),
    ]
    res = find_duplicates(docs, CFG)
    assert res.kept == ("c",)
    res = find_duplicates(docs[:2], CFG)
    assert res.kept == ("a",)


def test_every_duplicate_points_at_the_kept_document_of_its_group():
    text = "\n".join(AR_PARAS)
    docs = [
        make_doc("d1", text, date="2021-01-03"),
        make_doc("d2", text.replace("مليار", "ملياري"), date="2021-01-02"),
        make_doc("d3", "\n".join(AR_PARAS[:4]), date="2021-01-05"),
        make_doc("d4", text, date="2021-01-01"),
    ]
    res = find_duplicates(docs, CFG)
    assert res.kept == ("d4",)
    assert res.duplicate_of() == {"d1": "d4", "d2": "d4", "d3": "d4"}


def test_shuffled_input_gives_the_same_result():
    text = "\n".join(AR_PARAS)
    docs = [
        make_doc("a", text, date="2021-01-01"),
        make_doc("b", text.replace("جدة", "جده"), date="2021-01-02"),
        make_doc("c", "\n".join(AR_PARAS[:3])),
        make_doc("d", "\n".join(OTHER_PARAS)),
        make_doc("e", "\n".join(AR_PARAS[1:3] + OTHER_PARAS[:3])),
        make_doc("f", "\n".join(EN_PARAS), lang="en"),
    ]
    base = find_duplicates(docs, CFG)
    for seed in range(5):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        res = find_duplicates(shuffled, CFG)
        assert sorted(res.kept) == sorted(base.kept)
        assert res.duplicates == base.duplicates
        assert res.related == base.related


def test_passages_looked_up_in_batches_of_few_documents_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "\n".join(AR_PARAS)
    docs = [
        make_doc("a", text),
        make_doc("b", text.replace("جدة", "جده")),
        make_doc("c", "\n".join(AR_PARAS[:3])),
        make_doc("d", "\n".join(OTHER_PARAS)),
        make_doc("e", "\n".join(AR_PARAS[1:3] + OTHER_PARAS[:3])),
        make_doc("f", "\n".join(AR_PARAS[2:5] + OTHER_PARAS[1:])),
        make_doc("g", "\n".join(EN_PARAS), lang="en"),
    ]
    whole = find_duplicates(docs, CFG)
    assert whole.related and any(r.shared for r in (*whole.duplicates, *whole.related))
    monkeypatch.setattr(dedup_module, "PASSAGE_BATCH_DOCS", 2)  # one pair at a time
    assert find_duplicates(docs, CFG) == whole


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=60),
    st.integers(1, 12),
)
def test_batches_of_documents_keep_every_pair_in_order(
    pairs: list[tuple[int, int]], most: int
) -> None:
    batches = list(_batches_of_docs(pairs, most))
    assert [p for b in batches for p in b] == pairs
    for batch in batches:
        docs = {d for pair in batch for d in pair}
        assert len(docs) <= max(most, 2) and (len(batch) == 1 or len(docs) <= most)


def test_explain_pair_lines():
    a = make_doc("a", "\n".join(AR_PARAS))
    b = make_doc("b", "\n".join(AR_PARAS[:3]))
    ex = explain_pair(a, b, CFG)
    assert ex.kind == "contained" and ex.is_duplicate
    assert ex.containment_b == 1.0 and ex.containment_a < 1.0
    assert ex.common == ex.shingles_b
    assert ex.shared[0] in " ".join(AR_PARAS)
    text = "\n".join(ex.lines())
    assert "relation: duplicates: contained" in text
    assert "jaccard:" in text and "containment:" in text and "shared 1:" in text
    none = explain_pair(a, make_doc("z", "\n".join(OTHER_PARAS)), CFG)
    assert none.kind is None and not none.is_duplicate
    assert none.lines()[0] == "relation: not duplicates (no relation)"


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(AR_PARAS + OTHER_PARAS), min_size=1, max_size=6), st.integers(0, 1000)
)
def test_fingerprints_do_not_depend_on_chunking(paras, seed):
    texts = ["\n".join(paras), "\n".join(reversed(paras)), AR_PARAS[seed % len(AR_PARAS)], ""]
    one = fingerprint_texts(texts, 3, chunk_chars=1 << 20, workers=1)
    many = fingerprint_texts(texts, 3, chunk_chars=10, workers=2)
    assert (one.doc_hash == many.doc_hash).all()
    assert (one.sizes == many.sizes).all()
    assert (one.matrix != many.matrix).nnz == 0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(AR_PARAS + OTHER_PARAS), min_size=1, max_size=6), st.integers(0, 1000)
)
def test_fingerprints_from_shingles_computed_apart_are_the_same(paras, seed):
    texts = [
        "\n".join(paras),
        AR_PARAS[seed % len(AR_PARAS)],
        "",
        "a b",
        "\n".join(reversed(paras)),
    ]
    whole = fingerprint_texts(texts, 3, workers=1)
    first = TextShingles.concat([text_shingles(texts[:2], 3), text_shingles(texts[2:3], 3)])
    docs = np.array([1, -1, 4], dtype=np.int64)  # texts 0 and 2 as documents 1 and 4
    rest = np.array([0, 2, 3], dtype=np.int64)
    parts = [
        (first, docs),
        (text_shingles([texts[1], texts[3], texts[4]], 3, chunk_chars=10), rest),
    ]
    built = fingerprints_of_shingles(parts, 5, 3)
    order = [1, 0, 3, 4, 2]  # document d holds texts[order[d]]
    again = fingerprint_texts([texts[t] for t in order], 3, workers=1)
    assert (built.doc_hash == again.doc_hash).all() and (built.sizes == again.sizes).all()
    assert (built.n_tokens == again.n_tokens).all() and (built.df == again.df).all()
    assert (built.matrix != again.matrix).nnz == 0
    assert sorted(whole.sizes.tolist()) == sorted(built.sizes.tolist())


def _same_fingerprints(a: Fingerprints, b: Fingerprints) -> None:
    assert (a.doc_hash == b.doc_hash).all() and (a.sizes == b.sizes).all()
    assert (a.n_tokens == b.n_tokens).all() and (a.df == b.df).all()
    assert (a.matrix.indptr == b.matrix.indptr).all()
    assert (a.matrix.indices == b.matrix.indices).all()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(AR_PARAS + OTHER_PARAS), min_size=1, max_size=6),
    st.permutations(range(6)),
    st.integers(0, 6),
)
def test_corpus_keys_give_the_fingerprints_of_parts_and_of_changed_texts(paras, order, n_part):
    texts = ["\n".join(paras), AR_PARAS[0], "", "a b", "\n".join(reversed(paras)), OTHER_PARAS[1]]
    keys = CorpusKeys.of(text_shingles(texts, 3), workers=1)
    _same_fingerprints(keys.fingerprints(3), fingerprint_texts(texts, 3, workers=1))
    part = np.array(order[:n_part], dtype=np.int64)
    sub = keys.subset(part, keys.fingerprints(3))
    if key_bits(n_part) != key_bits(len(texts)):
        assert sub is None
    else:
        assert sub is not None
        _same_fingerprints(sub, fingerprint_texts([texts[t] for t in part], 3, workers=1))
    changed = list(texts)
    redo = np.array(sorted(order[:2]), dtype=np.int64)
    for t in redo.tolist():
        changed[t] = AR_PARAS[t % len(AR_PARAS)]
    fresh = text_shingles([changed[t] for t in redo.tolist()], 3)
    _same_fingerprints(
        keys.replaced(redo, fresh).fingerprints(3), fingerprint_texts(changed, 3, workers=1)
    )


def test_rows_of_fingerprints_drop_the_shingles_no_longer_shared() -> None:
    # texts 0 and 1 share AR_PARAS[0]; 2 and 3 share OTHER_PARAS[0]; 1 and 3 share AR_PARAS[1]
    texts = [
        AR_PARAS[0],
        AR_PARAS[0] + "\n" + AR_PARAS[1],
        OTHER_PARAS[0],
        OTHER_PARAS[0] + "\n" + AR_PARAS[1],
        OTHER_PARAS[1],
        "one two three four",
    ]
    whole = fingerprint_texts(texts, 3, workers=1)
    part = np.array([3, 1, 2, 4, 5], dtype=np.int64)  # documents packed in 3 bits, as the whole
    rows = whole.rows(part)
    direct = fingerprint_texts([texts[t] for t in part.tolist()], 3, workers=1)
    _same_fingerprints(rows, direct)
    assert rows.matrix.shape[1] < whole.matrix.shape[1]  # AR_PARAS[0]'s shingles: text 0 is gone
    assert rows.matrix.shape[1] == direct.matrix.shape[1]


def test_candidates_cover_all_verified_duplicates_on_a_small_corpus():
    texts = [
        "\n".join(AR_PARAS),
        "\n".join(AR_PARAS[:4]),
        "\n".join(OTHER_PARAS),
        "\n".join(AR_PARAS),
    ]
    fp = fingerprint_texts(texts, 3)
    i, j = candidate_pairs(fp, 0.3)
    assert {(0, 1), (0, 3), (1, 3)} <= set(zip(i.tolist(), j.tolist(), strict=True))
    res = dedup_fingerprints(texts, CFG)
    assert res.n_groups == 1 and res.kept.tolist() == [0, 2]


def test_copy_groups_by_kind_and_key():
    text = "\n".join(AR_PARAS)
    texts = [
        text,
        "\n".join(AR_PARAS[:4]),
        "\n".join(OTHER_PARAS),
        text.replace("جدة", "جده"),
        text,
    ]
    groups = copy_groups(texts, CFG)
    assert groups.first.tolist() == [0, 0, 2, 0, 0]
    assert groups.exact.tolist() == [0, 1, 2, 0, 0]  # the variant folds to the same normalized text
    keyed = copy_groups(texts, CFG, ["a", "a", "a", None, "b"])
    assert keyed.first.tolist() == [0, 0, 2, 3, 4]
    assert copy_groups([], CFG).first.size == 0


def _seed_docs():
    from clusterer.normalize import normalize_article

    files = sorted((SHARED / "seeds").glob("*.txt"))
    return [
        normalize_article(
            Article(id=f.name[:3], text=f.read_text(encoding="utf-8"), origin=str(f)), CFG
        )
        for f in files
    ]


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is absent")
def test_seeds_are_not_duplicates_but_000_and_001_share_passages():
    docs = _seed_docs()
    res = find_duplicates(docs, CFG)
    assert res.duplicates == ()
    assert len(res.kept) == 5
    rel = {(r.id, r.other): r for r in res.related}
    assert rel[("000", "001")].kind == "syndicated"
    shared = " ".join(rel[("000", "001")].shared)
    assert "مسلحة" in shared  # the paragraphs on the armed factions
    ex = explain_pair(docs[0], docs[1], CFG)
    assert ex.kind == "syndicated" and not ex.is_duplicate
    assert ex.passage_words >= 30


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.integers(0, n - 1),
                    st.sampled_from([NONE, EXACT, NEAR, CONTAINED, SYNDICATED]),
                    st.integers(0, 4),
                ),
                max_size=20,
            ),
            st.lists(st.integers(0, 3), min_size=n, max_size=n),
            st.lists(st.integers(1, 30), min_size=n, max_size=n),
        )
    )
)
def test_group_keeps_the_lowest_rank_then_index_of_each_union(case):
    """group() joins what union-find joins (copies; a contained text to its best container only)
    and keeps, per group, the member of lowest rank, then lowest index (ranks may tie)."""
    n, raw, ranks, sizes = case
    pairs = sorted({(min(a, b), max(a, b)): (k, c) for a, b, k, c in raw if a != b}.items())
    i = np.array([a for (a, _), _ in pairs], dtype=np.int64)
    j = np.array([b for (_, b), _ in pairs], dtype=np.int64)
    score = np.array([c / 4 for _, (_, c) in pairs], dtype=np.float64)
    kind = np.array([k for _, (k, _) in pairs], dtype=np.int8)
    ver = Verified(i, j, np.zeros(i.size, dtype=np.int64), score, score, 1 - score, kind)
    size, rank = np.array(sizes, dtype=np.int64), np.array(ranks, dtype=np.int64)
    uf = UnionFind(n)
    best: dict[int, tuple[float, float, int]] = {}
    for p, ((a, b), (k, _)) in enumerate(pairs):
        if k in (EXACT, NEAR):
            uf.union(a, b)
        elif k == CONTAINED:
            small, big, cont = (a, b, score[p]) if size[a] <= size[b] else (b, a, 1 - score[p])
            key = (-float(cont), -float(score[p]), big)
            best[small] = min(best.get(small, key), key)
    for small, (_, _, big) in best.items():
        uf.union(small, big)
    expected = [
        min((m for m in range(n) if uf.find(m) == uf.find(x)), key=lambda m: (ranks[m], m))
        for x in range(n)
    ]
    assert group(n, ver, size, rank).tolist() == expected


def _copies_over_the_corpus(texts: list[str], keys: list[str | None]) -> CopyGroups:
    """copy_groups with keys as it was defined: every pair verified, those of two keys dropped."""
    fp = fingerprint_texts(texts, CFG.shingle_size)
    ver = verify(fp, CFG)
    code = {k: n for n, k in enumerate(dict.fromkeys(keys))}
    key_code = np.array([code[k] if k is not None else -1 - n for n, k in enumerate(keys)])
    ver = ver.with_kind(
        np.where(key_code[ver.i] == key_code[ver.j], ver.kind, NONE).astype(np.int8)
    )
    order = np.arange(len(texts), dtype=np.int64)
    exact = ver.select(ver.kind == EXACT)
    return CopyGroups(
        group(len(texts), ver, fp.sizes, order), group(len(texts), exact, fp.sizes, order)
    )


@pytest.mark.parametrize("contiguous", [True, False])
def test_copies_of_runs_of_keys_are_those_found_over_the_whole_corpus(contiguous: bool) -> None:
    """copy_groups multiplies each key's run alone (pairs of two keys never matter): the groups
    are those of the product over every pair, whether the keys come in runs or not."""
    rng = random.Random(7)
    texts, keys = [], []
    for outlet in ("a", "b", None, "c"):
        for k in range(6):
            paras = rng.sample(AR_PARAS + EN_PARAS, 3) if k % 3 else AR_PARAS[:3]
            texts.append(normalize_text("\n".join(paras)))
            keys.append(outlet)
    if not contiguous:
        order = rng.sample(range(len(texts)), len(texts))
        texts, keys = [texts[o] for o in order], [keys[o] for o in order]
    got = copy_groups(texts, CFG, keys)
    expected = _copies_over_the_corpus(texts, keys)
    assert got.first.tolist() == expected.first.tolist()
    assert got.exact.tolist() == expected.exact.tolist()
    assert (got.first != np.arange(len(texts))).any()  # copies were found


def test_candidate_pairs_by_run_hold_memory_of_the_runs_worked_on_only():
    """Many small outlets and many shingles: a transpose per outlet as tall as the corpus has
    shingles held a row pointer per shingle per outlet (24 GB at 101k documents)."""
    import tracemalloc

    runs, words = 300, 300
    texts = []
    for g in range(runs):  # each outlet: an article and its copy, words found nowhere else
        text = " ".join(f"w{g}x{k}" for k in range(words))
        texts += [text, text + " end"]
    fp = fingerprint_texts(texts, 3)
    assert fp.df.size > runs * (words - 10)  # each shared shingle is a column
    bounds = np.arange(0, 2 * runs + 1, 2, dtype=np.int64)
    tracemalloc.start()
    try:
        i, j = candidate_pairs(fp, 0.3, groups=bounds, workers=2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [
        (2 * g, 2 * g + 1) for g in range(runs)
    ]
    # one transpose of all the shingles per outlet would be runs * df.size * 8 bytes (~200 MB)
    assert peak < runs * fp.df.size * 8 / 20, peak
