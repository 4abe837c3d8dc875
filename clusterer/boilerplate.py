"""Learn each outlet's boilerplate from the corpus and remove it from the matching text.

Scraped pages carry their site's furniture: menus, newsletter and cookie text, "read more",
photo credits. It is learned per outlet (``doc.outlet``, else the URL's host), in two passes:

1. *lines*: a paragraph whose normalized words recur as a whole paragraph in at least
   ``boilerplate_min_docs`` documents of the outlet and in a large share of them;
2. *spans*: many pages are one long line with the menu inlined, so word 6-grams are counted too;
   runs of 6-grams that recur in at least a third of the outlet's documents (and in at least
   ``boilerplate_min_docs``) are cut out of the paragraph. A third, not half: sidebars ("most
   read", galleries, latest headlines) rotate, so one block sits on the pages saved around the
   same time, not on most of the outlet's pages.

Documents are counted as *distinct* documents: copies of one article inside an outlet (the same
story at two URLs, a trimmed version) are grouped first (:func:`find_copies`) and each group counts
once, so an article published twice is not mistaken for the outlet's furniture. A stripped line or
span always occurs in at least ``boilerplate_min_docs`` distinct documents of its outlet: text of a
single distinct document is never removed. Two or three pages of a small outlet on one story share
their reporting as well as the site's menu: text of one of the outlet's own headlines (found with
confidence, less the outlet's repeated title label, and in no other page's title line) is learned
only from ``WEAK_DOCS`` distinct pages or more, and so is every run of n-grams that holds some of
it. ``body`` keeps the original text; ``paragraphs``, ``norm`` and ``tokens`` lose the boilerplate.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from .config import Config
from .copies import copy_groups
from .furniture import repeated_title_affixes
from .records import BoilerplateReport, Doc, outlet_key
from .shingles import (
    Fingerprints,
    Offsets,
    TextSpans,
    segment_hashes,
    segment_shingles,
    text_spans,
)
from .text import content_tokens, normalize_text
from .unionfind import UnionFind

__all__ = ["GRAM", "copy_order", "find_copies", "learn_boilerplate", "outlet_key"]

log = logging.getLogger(__name__)

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

GRAM = 6  # words per n-gram for inline boilerplate
GRAM_SHARE_DIV = 3  # an n-gram must recur in 1/GRAM_SHARE_DIV of the outlet's documents
LINE_SHARE = 0.5  # ... and a whole line in this share (lowered for large outlets, see _line_need)
MAX_EXAMPLES = 5
COPY_MIN_DOCS = 3  # deciding copies, text on this many distinct pages of an outlet is furniture
# ... unless it is most of the page: pages keeping less than this share of their text are copies
COPY_KEPT_SHARE = 0.5
# A page's own headline quoted on another page of its outlet is reporting, not the site's
# furniture: text of an outlet's headlines is learned only from this many distinct pages
# (two pages of a small outlet on one story share their headline's words as well as the menu).
WEAK_DOCS = COPY_MIN_DOCS
TITLE_CONFIDENCE = 0.5  # headlines found with less (the first line of a page) may be its menu


def _line_need(n: int, min_docs: int) -> int:
    # In a small outlet a line must recur in half of the pages; in a big one, in 10 + 2% of them.
    return max(min_docs, min(math.ceil(LINE_SHARE * n), 10 + math.ceil(0.02 * n)))


def _gram_need(n: int, min_docs: int) -> int:
    return max(min_docs, -(-n // GRAM_SHARE_DIV))


def _weak_possible(n: int, min_docs: int) -> bool:
    """Return whether an outlet of ``n`` distinct pages learns text found on fewer than
    ``WEAK_DOCS`` of them (only small outlets do: the rule on headlines matters only there)."""
    return min(_line_need(n, min_docs), _gram_need(n, min_docs)) < WEAK_DOCS


CHUNK_CHARS = 1 << 20
THREADS = 2  # outlets learned at once (the numpy work of one releases the GIL for another)
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True)
class _Outlet:
    """One outlet's paragraphs, their tokens and word n-grams, computed once for all passes."""

    docs: list[Doc]
    doc_para: I64  # document d's paragraphs are doc_para[d]:doc_para[d + 1], all in order
    para_doc: I64
    para_at: I64  # where paragraph p starts in its document's body (see :meth:`text`)
    para_len: I64
    para_key: U64  # hash of the paragraph's normalized words (0 = no words), for whole lines
    para_tok: I64  # paragraph p's tokens are para_tok[p]:para_tok[p + 1]
    tok_start: Offsets  # character span of each token inside its paragraph
    tok_end: Offsets
    gram: U64  # word GRAM-grams inside each paragraph, in text order
    gram_para: I64
    gram_tok: I64  # index of each n-gram's first token
    para_gram: I64  # paragraph p's n-grams are para_gram[p]:para_gram[p + 1]

    def text(self, p: int) -> str:
        """Return paragraph ``p`` (cut from its document's body when asked: an outlet's texts
        are not held twice while the outlets are learned)."""
        at = int(self.para_at[p])
        return self.docs[int(self.para_doc[p])].body[at : at + int(self.para_len[p])]


def _analyze(docs: list[Doc], tokens: TextSpans | None = None) -> _Outlet:
    """Analyze one outlet's documents (``tokens``: those of each one's paragraphs joined by
    newlines, when already found)."""
    paragraphs = [d.paragraphs for d in docs]
    sizes = np.fromiter(map(len, paragraphs), dtype=np.int64, count=len(docs))
    texts = [t for ps in paragraphs for t in ps]
    del paragraphs
    doc_para = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    para_len = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    para_doc = np.repeat(np.arange(len(docs), dtype=np.int64), sizes)
    # a paragraph starts after those before it in its document and a blank line after each
    ends = np.cumsum(para_len + 2)
    starts = ends - (para_len + 2)
    para_at = starts - starts[doc_para[para_doc]]
    # (a chunk of paragraphs tokenized at once when their tokens are not known)
    spans = text_spans(texts, CHUNK_CHARS) if tokens is None else tokens.lines(para_len, sizes)
    del texts
    tok_hash, tok_count = spans.hashes, spans.counts
    gram, gram_para, gram_tok = segment_shingles(tok_hash, tok_count, GRAM)
    return _Outlet(
        docs=docs,
        doc_para=doc_para,
        para_doc=para_doc,
        para_at=para_at,
        para_len=para_len,
        para_key=segment_hashes(tok_hash, tok_count),
        para_tok=np.concatenate(([0], np.cumsum(tok_count))).astype(np.int64),
        tok_start=spans.starts,
        tok_end=spans.ends,
        gram=gram,
        gram_para=gram_para,
        gram_tok=gram_tok,
        para_gram=np.searchsorted(gram_para, np.arange(para_len.size + 1)).astype(np.int64),
    )


def _high_mask(top: int) -> np.uint64:
    """Return the mask of a key's bits above those that number groups ``0..top``: keys are
    compared on those bits (:func:`_distinct_df` packs the group into the rest)."""
    return ~np.uint64((1 << max(1, top.bit_length())) - 1)


def _distinct_df(group: I64, keys: U64) -> tuple[U64, I64]:
    """Return the distinct keys (low bits cleared) and the number of distinct groups each occurs in."""
    high_bits = _high_mask(int(group.max(initial=0)))
    pairs = np.sort((keys & high_bits) | group.astype(np.uint64))
    if pairs.size == 0:
        return pairs, np.zeros(0, dtype=np.int64)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    high = pairs & high_bits
    new = np.ones(high.size, dtype=np.bool_)
    new[1:] = high[1:] != high[:-1]
    starts = np.flatnonzero(new)
    return high[starts], np.diff(np.append(starts, high.size))


@dataclass(frozen=True)
class _Found:
    lines: B  # per paragraph: a boilerplate line
    grams: B  # per n-gram: a boilerplate n-gram (outside boilerplate lines)


def _learn(o: _Outlet, group: I64, min_docs: int, titles: U64 | None = None) -> _Found:
    """Find the outlet's boilerplate; ``group[d]`` numbers the distinct document ``o.docs[d]`` copies.

    ``titles``: hashes of the outlet's own headlines (:func:`_title_hashes`); a line among them,
    and a run of n-grams one of which is among them, are learned only from ``WEAK_DOCS``
    distinct pages or more.
    """
    _, group = np.unique(group, return_inverse=True)
    n = int(group.max(initial=-1)) + 1
    mask = _high_mask(n - 1)
    titled = np.zeros(0, dtype=np.uint64) if titles is None else titles & mask
    pgroup = group[o.para_doc]
    has = o.para_key != 0
    keys, df = _distinct_df(pgroup[has], o.para_key[has])
    lines, weak = _learned(keys, df, _line_need(n, min_docs), o.para_key & mask)
    lines &= has & ~(weak & np.isin(o.para_key & mask, titled))
    usable = ~lines[o.gram_para]
    keys, df = _distinct_df(pgroup[o.gram_para[usable]], o.gram[usable])
    grams, weak = _learned(keys, df, _gram_need(n, min_docs), o.gram & mask)
    grams &= usable
    return _Found(lines, grams & ~_headline_runs(o, grams, weak, np.isin(o.gram & mask, titled)))


def _learned(keys: U64, df: I64, need: int, hashes: U64) -> tuple[B, B]:
    """Return which ``hashes`` were found on ``need`` distinct pages, and which of them on fewer
    than ``WEAK_DOCS``."""
    learned = keys[df >= need]
    return np.isin(hashes, learned), np.isin(hashes, learned[df[df >= need] < WEAK_DOCS])


def _headline_runs(o: _Outlet, grams: B, weak: B, titled: B) -> B:
    """Return, per n-gram, whether it is in a run of learned n-grams (consecutive in one paragraph,
    as :func:`_cut_spans` cuts them) all found on few pages, one of them headline text."""
    at = np.flatnonzero(grams)
    out = np.zeros(grams.size, dtype=np.bool_)
    if at.size == 0:
        return out
    new = np.ones(at.size, dtype=np.bool_)
    new[1:] = (np.diff(at) != 1) | (o.gram_para[at[1:]] != o.gram_para[at[:-1]])
    run = np.cumsum(new) - 1
    strong = np.bincount(run, weights=~weak[at])
    headline = np.bincount(run, weights=titled[at])
    out[at] = ((strong == 0) & (headline > 0))[run]
    return out


def _title_hashes(o: _Outlet, outlet: str) -> U64:
    """Return the hashes of the outlet's own headlines' word n-grams (and whole headlines).

    A headline is a title found with confidence, less the label its outlet repeats
    (:func:`repeated_title_affixes`); its n-grams count only when no other page of the outlet
    has them in its title line: those are the site's title template, not one page's news.
    """
    pairs = [(d, d.title.value or "") for d in o.docs]
    cut = repeated_title_affixes((d.id, outlet, t, d.lead) for d, t in pairs)
    own = [cut.get(d.id, t) for d, t in pairs if t and d.title.confidence >= TITLE_CONFIDENCE]
    spans = text_spans(own)
    heads, _, _ = segment_shingles(spans.hashes, spans.counts, GRAM)
    every = text_spans([t for _, t in pairs])
    grams, page, _ = segment_shingles(every.hashes, every.counts, GRAM)
    heads = np.setdiff1d(heads, _on_several(grams, page))
    return np.unique(np.concatenate((heads, segment_hashes(spans.hashes, spans.counts))))


def _on_several(keys: U64, page: I64) -> U64:
    """Return the ``keys`` that occur on two or more pages."""
    distinct, pages = _distinct_df(page, keys)
    return keys[np.isin(keys & _high_mask(int(page.max(initial=0))), distinct[pages > 1])]


@dataclass
class _Learned:
    lines: Counter[int]  # boilerplate line key -> occurrences removed
    line_norm: dict[int, str]  # line key -> normalized text
    spans: Counter[str]  # stripped span (normalized words) -> occurrences removed
    examples: dict[str, str]  # normalized -> original text


def _strip(
    o: _Outlet, found: _Found, learned: _Learned | None, only: set[int] | None = None
) -> dict[int, list[str]]:
    """Return the kept paragraphs of every document that loses boilerplate (by position in the outlet).

    With ``only``, just those documents are stripped (and nothing is recorded in ``learned``).
    """
    hit = found.lines.copy()
    hit[o.gram_para[found.grams]] = True
    out: dict[int, list[str]] = {}
    for d in np.unique(o.para_doc[hit]).tolist():
        if only is not None and d not in only:
            continue
        lang = o.docs[d].lang
        kept: list[str] = []
        for p in range(int(o.doc_para[d]), int(o.doc_para[d + 1])):
            text = o.text(p)
            if found.lines[p]:
                if learned is not None:
                    key = int(o.para_key[p])
                    learned.lines[key] += 1
                    norm = learned.line_norm.setdefault(key, normalize_text(text, lang))
                    _example(learned, norm, text)
                continue
            if hit[p]:
                text = _cut_spans(
                    o, p, lang, found.grams[o.para_gram[p] : o.para_gram[p + 1]], learned
                )
            if text.strip():
                kept.append(text)
        out[d] = kept
    return out


def _example(learned: _Learned, norm: str, text: str) -> None:
    """Remember one original text for a stripped line or span (the same whatever the input order)."""
    text = " ".join(text.split())
    if norm not in learned.examples or text < learned.examples[norm]:
        learned.examples[norm] = text


def _cut_spans(o: _Outlet, p: int, lang: str, hit: B, learned: _Learned | None) -> str:
    """Remove the runs of boilerplate n-grams from paragraph ``p``; return the rest."""
    text = o.text(p)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], hit.astype(np.int8), [0]))))
    first = int(o.para_tok[p])
    pieces: list[str] = []
    pos = 0
    for start, stop in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        lo = int(o.tok_start[first + start])
        hi = int(o.tok_end[first + stop - 1 + GRAM - 1])
        pieces.append(text[pos:lo])
        if learned is not None:
            span = text[lo:hi]
            norm = normalize_text(span, lang)
            learned.spans[norm] += 1
            _example(learned, norm, span)
        pos = hi
    pieces.append(text[pos:])
    return " ".join(" ".join(piece.split()) for piece in pieces if piece.strip())


def _rebuild(doc: Doc, paragraphs: list[str], stem: bool) -> Doc:
    body = "\n\n".join(paragraphs)
    title = doc.title.value or ""
    tokens = content_tokens(f"{title}\n{body}" if title else body, doc.lang) if stem else ()
    return dataclasses.replace(
        doc, body=body, norm=normalize_text(body, doc.lang), tokens=tuple(tokens)
    )


class _Outlets:
    """The documents of each outlet, analyzed on first use (``tokens``: those of every document's
    paragraphs joined by newlines, when already found)."""

    def __init__(self, docs: Sequence[Doc], tokens: TextSpans | None = None) -> None:
        self.docs: dict[str, list[Doc]] = defaultdict(list)
        self._positions: dict[str, list[int]] = defaultdict(list)
        for pos, doc in enumerate(docs):
            key = outlet_key(doc)
            if key is not None:
                self.docs[key].append(doc)
                self._positions[key].append(pos)
        self._tokens = tokens
        self._analyzed: dict[str, _Outlet] = {}

    def analyzed(self, key: str) -> _Outlet:
        if key not in self._analyzed:
            tokens = self._tokens
            if tokens is not None:
                tokens = tokens.take(np.array(self._positions[key], dtype=np.int64))
            self._analyzed[key] = _analyze(self.docs[key], tokens)
        return self._analyzed[key]


def copy_order(keys: Sequence[str | None]) -> list[int]:
    """Return the positions of the documents whose copies are looked for, in the order their
    texts are fingerprinted: outlets of two or more documents by key, each in input order
    (``keys``: each document's :func:`outlet_key`)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for pos, key in enumerate(keys):
        if key is not None:
            by_key[key].append(pos)
    return [pos for key in sorted(by_key) if len(by_key[key]) > 1 for pos in by_key[key]]


def find_copies(docs: Sequence[Doc], cfg: Config, fp: Fingerprints | None = None) -> dict[str, str]:
    """Return doc id -> id of the first document of its outlet it is a copy of (copies only).

    Copies are exact, near-duplicate or contained documents (as :func:`~clusterer.dedup.find_duplicates`
    defines them) of the same outlet. Pages with the same normalized text are always copies. Other
    pairs are judged once the text found on ``COPY_MIN_DOCS`` or more distinct pages of the outlet
    is set aside: two pages that share nothing but the site's furniture are not one article.
    ``fp``: the fingerprints of the ``norm`` of the documents :func:`copy_order` picks, in
    that order, when already computed.
    """
    return _find_copies(_Outlets(docs), cfg, fp)


def _find_copies(outlets: _Outlets, cfg: Config, fp: Fingerprints | None = None) -> dict[str, str]:
    keys = sorted(k for k, docs in outlets.docs.items() if len(docs) > 1)
    sub = [d for key in keys for d in outlets.docs[key]]
    if not sub:
        return {}
    sub_keys = [key for key in keys for _ in outlets.docs[key]]
    start = dict(
        zip(keys, np.cumsum([0] + [len(outlets.docs[k]) for k in keys[:-1]]).tolist(), strict=True)
    )
    raw = copy_groups([d.norm for d in sub], cfg, sub_keys, fp)
    uf = UnionFind(len(sub))
    for pos, first in enumerate(raw.exact.tolist()):
        uf.union(pos, first)
    members: dict[int, list[int]] = defaultdict(list)
    for pos, first in enumerate(raw.first.tolist()):
        members[first].append(pos)
    check = sorted(
        pos
        for group in members.values()
        if len({int(raw.exact[m]) for m in group}) > 1
        for pos in group
    )
    if not check:
        return _copies_of(sub, uf)
    wanted: dict[str, set[int]] = defaultdict(set)
    for pos in check:
        wanted[sub_keys[pos]].add(pos - start[sub_keys[pos]])
    jobs = [
        (
            key,
            local,
            np.array(
                [uf.find(start[key] + d) for d in range(len(outlets.docs[key]))], dtype=np.int64
            ),
        )
        for key, local in sorted(wanted.items())
    ]
    min_docs = max(COPY_MIN_DOCS, cfg.boilerplate_min_docs)

    def strip_copies(job: tuple[str, set[int], I64]) -> dict[int, list[str]]:
        key, local, group = job
        o = outlets.analyzed(key)
        return _strip(o, _learn(o, group, min_docs), None, local)

    stripped: dict[int, str] = {}
    for (key, local, _), kept in zip(jobs, _thread_map(strip_copies, jobs), strict=True):
        docs = outlets.docs[key]
        for d in local:
            stripped[start[key] + d] = "\n".join(kept.get(d, docs[d].paragraphs))
    again = copy_groups([stripped[pos] for pos in check], cfg, [sub_keys[pos] for pos in check])
    for k, pos in enumerate(check):
        uf.union(pos, check[int(again.first[k])])
    sizes = Counter(sub_keys)
    outlet_size = [sizes[key] for key in sub_keys]
    _join_mostly_shared(sub, stripped, members, outlet_size, uf)
    return _copies_of(sub, uf)


def _join_mostly_shared(
    sub: Sequence[Doc],
    stripped: Mapping[int, str],
    members: Mapping[int, list[int]],
    outlet_size: Sequence[int],
    uf: UnionFind,
) -> None:
    """Join the candidate copies that lost most of their text to the furniture check.

    Text on ``COPY_MIN_DOCS`` pages is taken for furniture; but when it is most of each page of
    a candidate group and the outlet has other pages, which do not share it (else they would be
    candidates too), it is an article copied many times with a changed line or two: those pages
    are copies, and the article is not learned as the outlet's boilerplate.
    """
    for group in members.values():
        if len(group) >= outlet_size[group[0]]:
            continue  # nothing outside the group tells furniture from a copied article
        shared = [
            pos
            for pos in group
            if pos in stripped and len(stripped[pos]) < COPY_KEPT_SHARE * len(sub[pos].norm)
        ]
        for pos in shared[1:]:
            uf.union(shared[0], pos)


def _copies_of(docs: list[Doc], uf: UnionFind) -> dict[str, str]:
    out: dict[str, str] = {}
    for pos, d in enumerate(docs):
        root = uf.find(pos)
        if root != pos:
            out[d.id] = docs[root].id
    return out


def learn_boilerplate(
    docs: Sequence[Doc],
    cfg: Config,
    copies: Mapping[str, str] | None = None,
    *,
    stem: bool = True,
    copy_fp: Fingerprints | None = None,
    tokens: TextSpans | None = None,
) -> tuple[list[Doc], list[BoilerplateReport]]:
    """Learn each outlet's boilerplate lines and spans; return the docs without them and a report.

    ``copies`` maps a document id to the id of the document it is a copy of (default:
    :func:`find_copies`); each group of copies counts as one document of its outlet.
    Documents without an outlet (and outlets with fewer than ``cfg.boilerplate_min_docs``
    distinct documents) are returned unchanged. Reports are sorted by occurrences removed, then outlet.
    With ``stem=False`` a stripped document's ``tokens`` are left empty (dedup needs no stems).
    ``copy_fp``: the fingerprints :func:`find_copies` takes, when already computed; ``tokens``:
    those of each document's paragraphs joined by newlines (:func:`~clusterer.shingles.text_spans`),
    when already found.
    """
    outlets = _Outlets(docs, tokens)
    if copies is None:
        copies = _find_copies(outlets, cfg, copy_fp)
    position = {d.id: k for k, d in enumerate(docs)}
    uf = UnionFind(len(docs))
    for a, b in copies.items():
        if a in position and b in position:
            uf.union(position[a], position[b])
    jobs: list[tuple[str, I64, int]] = []
    for outlet in sorted(outlets.docs):
        roots = np.array([uf.find(position[d.id]) for d in outlets.docs[outlet]], dtype=np.int64)
        distinct = int(np.unique(roots).size)
        if distinct >= cfg.boilerplate_min_docs:
            jobs.append((outlet, roots, distinct))

    def learn(job: tuple[str, I64, int]) -> tuple[dict[str, Doc], BoilerplateReport | None]:
        return _learn_outlet(outlets.analyzed(job[0]), job[0], job[1], job[2], cfg, stem)

    replaced: dict[str, Doc] = {}
    reports: list[BoilerplateReport] = []
    for rebuilt, report in _thread_map(learn, jobs):
        replaced.update(rebuilt)
        if report is not None:
            reports.append(report)
    reports.sort(key=lambda r: (-r.removed, r.outlet))
    return [replaced.get(d.id, d) for d in docs], reports


def _learn_outlet(
    o: _Outlet, outlet: str, roots: I64, distinct: int, cfg: Config, stem: bool
) -> tuple[dict[str, Doc], BoilerplateReport | None]:
    """Learn one outlet's boilerplate (``roots`` numbers its documents' groups of copies, ``distinct``
    of them); return its documents that lose some, rebuilt, by id, and its report (None when
    nothing is removed)."""
    learned = _Learned(Counter(), {}, Counter(), {})
    weak = _weak_possible(distinct, cfg.boilerplate_min_docs)
    found = _learn(o, roots, cfg.boilerplate_min_docs, _title_hashes(o, outlet) if weak else None)
    rebuilt = {
        o.docs[d].id: _rebuild(o.docs[d], kept, stem)
        for d, kept in _strip(o, found, learned).items()
    }
    removed = sum(learned.lines.values()) + sum(learned.spans.values())
    if not removed:
        return rebuilt, None
    top: Counter[str] = Counter()
    for line_key, count in learned.lines.items():
        top[learned.line_norm[line_key]] += count
    top.update(learned.spans)
    examples = tuple(
        _short(learned.examples.get(text, text))
        for text, _ in sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_EXAMPLES]
    )
    log.debug("boilerplate: %s: %d lines/spans, %d removed", outlet, len(learned.lines), removed)
    return rebuilt, BoilerplateReport(
        outlet=outlet,
        lines=len(learned.lines) + len(learned.spans),
        removed=removed,
        examples=examples,
    )


def _thread_map(fn: Callable[[_T], _R], jobs: Sequence[_T]) -> list[_R]:
    """Return ``[fn(job) for job in jobs]``, computed on ``THREADS`` threads."""
    if len(jobs) < 2:
        return [fn(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(fn, jobs))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
