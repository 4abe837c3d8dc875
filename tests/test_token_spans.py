"""Texts tokenized once: the tokens the worker processes find for each document's original text
serve boilerplate (line by line) and dedup's passages, with the same results as tokenizing again."""

from __future__ import annotations

import numpy as np
from conftest import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st
from test_boilerplate import BODIES, FOOTER, MENU, outlet_docs
from test_dedup import AR_PARAS, EN_PARAS, make_doc

from clusterer import Config, prepare
from clusterer.boilerplate import learn_boilerplate
from clusterer.dedup import DocTokens, find_duplicates, original_text
from clusterer.ingest import read_paths
from clusterer.shingles import TextSpans, text_spans

CFG = Config()
LINE = st.text(st.sampled_from(list("ab زيد،. 😀ًّ-")), max_size=30)
DOCS = st.lists(st.lists(LINE, max_size=4), max_size=6)


def _same(a: TextSpans, b: TextSpans) -> bool:
    fields = ("hashes", "starts", "ends", "counts")
    return all(getattr(a, f).tolist() == getattr(b, f).tolist() for f in fields)


def _compact(spans: TextSpans) -> TextSpans:
    return TextSpans(
        spans.hashes, spans.starts.astype(np.int32), spans.ends.astype(np.int32), spans.counts
    )


@settings(max_examples=150, deadline=None)
@given(DOCS, st.booleans())
def test_the_lines_of_texts_have_the_tokens_of_lines_tokenized(
    docs: list[list[str]], compact: bool
) -> None:
    whole = text_spans(["\n".join(lines) for lines in docs])
    whole = _compact(whole) if compact else whole
    lines = [line for d in docs for line in d]
    lengths = np.array([len(line) for line in lines], dtype=np.int64)
    counts = np.array([len(d) for d in docs], dtype=np.int64)
    assert _same(whole.lines(lengths, counts), text_spans(lines))


@settings(max_examples=100, deadline=None)
@given(DOCS, st.data())
def test_texts_taken_and_joined_are_those_tokenized(
    docs: list[list[str]], data: st.DataObject
) -> None:
    texts = ["\n".join(lines) for lines in docs]
    whole = text_spans(texts)
    picked = data.draw(st.lists(st.integers(0, max(0, len(texts) - 1)), max_size=len(texts)))
    picked = [p for p in picked if p < len(texts)]
    taken = whole.take(np.array(picked, dtype=np.int64))
    assert _same(taken, text_spans([texts[p] for p in picked]))
    half = len(texts) // 2
    joined = TextSpans.concat([text_spans(texts[:half]), text_spans(texts[half:])])
    assert _same(joined, whole)


def _tokens(docs: list) -> TextSpans:
    return _compact(text_spans([original_text(d) for d in docs]))


def test_boilerplate_learned_on_tokens_found_before_is_the_same() -> None:
    docs = (
        outlet_docs("a.com", inline=True)
        + outlet_docs("b.com")
        + [make_doc(f"c{k}", f"{MENU}\n{EN_PARAS[k]}\n{FOOTER}", outlet="c.com") for k in range(3)]
        + [make_doc("d", BODIES[0])]  # no outlet
    )
    assert learn_boilerplate(docs, CFG, tokens=_tokens(docs)) == learn_boilerplate(docs, CFG)


def test_dedup_with_tokens_known_for_some_documents_is_the_same() -> None:
    docs = [make_doc(f"x{k}", "\n".join(AR_PARAS[k : k + 4])) for k in range(4)]
    docs += [make_doc("copy", "\n".join(AR_PARAS[0:3])), make_doc("en", "\n".join(EN_PARAS[:3]))]
    expected = find_duplicates(docs, CFG)
    assert expected.duplicates and expected.related  # passages are looked for
    known = np.array([k % 2 == 1 for k in range(len(docs))], dtype=np.bool_)
    assert find_duplicates(docs, CFG, tokens=DocTokens(_tokens(docs), known)) == expected
    # the tokens of a document not known are never read: they are found again
    stale = [d if known[k] else make_doc(d.id, "other words") for k, d in enumerate(docs)]
    assert find_duplicates(docs, CFG, tokens=DocTokens(_tokens(stale), known)) == expected


def test_prepared_with_the_workers_tokens_is_the_same() -> None:
    items = list(read_paths(EXAMPLES))
    docs, skipped, shingles, tokens = prepare._normalize_all(
        items, CFG, prepare.noop, stem=False, jobs=1, shingles=True
    )
    assert tokens is not None and tokens.counts.size == len(docs)
    fast = prepare.prepare_normalized(
        list(docs), skipped, CFG, stem=False, shingles=shingles, tokens=tokens
    )
    slow = prepare.prepare_normalized(list(docs), skipped, CFG, stem=False, shingles=shingles)
    assert fast.dedup == slow.dedup
    assert fast.boilerplate == slow.boilerplate
    assert fast.corpus == slow.corpus


def test_appended_parts_are_the_parts_joined() -> None:
    parts = [np.arange(n, dtype=np.int32) for n in (3, 0, 70000, 5)]
    wide = np.array([1 << 40], dtype=np.int64)
    appended = prepare._Appended()
    for part in parts:
        appended.append(part, part.astype(np.uint64))
    appended.append(wide, wide.astype(np.uint64))  # a wider part widens the array
    arrays = appended.arrays()
    assert arrays is not None
    assert arrays[0].dtype == np.int64
    assert arrays[0].tolist() == np.concatenate([*parts, wide]).tolist()
    assert arrays[1].tolist() == np.concatenate([*parts, wide]).astype(np.uint64).tolist()
    assert prepare._Appended().arrays() is None
