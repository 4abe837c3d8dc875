"""Deduplicate: typed, explained relations between documents, and which documents to keep.

Stages (see :mod:`clusterer.shingles` for the first three):

1. fingerprint every document's normalized body as exact word ``shingle_size``-gram sets;
2. candidates: pairs that share many rare shingles (sparse product, sub-quadratic), plus
   documents with identical normalized text;
3. verify every candidate exactly: shared shingles, Jaccard, containment both ways;
4. classify: ``exact`` (same normalized text), ``near_duplicate`` (Jaccard >=
   ``near_threshold``), ``contained`` (the smaller document's shingles found in the larger >=
   ``containment_threshold``), ``syndicated`` (shares >= ``syndicated_threshold`` of the smaller
   document and at least 20 shingles, or passages of 8+ words totalling 30+ words, but each
   adds its own material);
5. group the duplicate kinds with union-find; keep one document per group by ``cfg.keep``;
   every other member points at the kept one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .config import Config
from .records import DUPLICATE_KINDS, DedupResult, Doc, Relation
from .shingles import (
    Fingerprints,
    candidate_pairs,
    doc_shingles,
    fingerprint_texts,
    overlap_counts,
    token_spans,
)

__all__ = [
    "CopyGroups",
    "DedupFingerprints",
    "PairExplanation",
    "UnionFind",
    "copy_groups",
    "dedup_fingerprints",
    "explain_pair",
    "find_duplicates",
]

log = logging.getLogger(__name__)

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

PASSAGE_MIN_TOKENS = 8  # a shared run of words this long is a "passage"
SYNDICATED_PASSAGE_TOKENS = 30  # passages totalling this many words make two documents syndicated
MAX_PASSAGES = 3
MIN_CONTAINED_SHINGLES = 15  # a smaller document must have this many shingles to be "contained"
_PASSAGE_SHINGLES = 20  # shared shingles below which passages cannot add up to a syndication
DF_CAP = 32  # shingles in more documents than this are stock phrases: not used to find candidates
_KINDS = ("none", "exact", "near_duplicate", "contained", "syndicated")
_NONE, _EXACT, _NEAR, _CONTAINED, _SYNDICATED = range(5)


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving; the root is always the smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        """Return the representative of ``x``'s set."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        """Merge the sets of ``a`` and ``b``; return the new root."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        lo, hi = (ra, rb) if ra < rb else (rb, ra)
        self.parent[hi] = lo
        return lo

    def groups(self) -> dict[int, list[int]]:
        """Return root -> sorted members, for sets of two or more."""
        out: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            out.setdefault(self.find(x), []).append(x)
        return {r: m for r, m in out.items() if len(m) > 1}


# ---------------------------------------------------------------------------------------------
# verification


@dataclass(frozen=True)
class _Verified:
    i: I64
    j: I64
    common: I64
    jaccard: F64
    contain_i: F64  # share of i's shingles found in j
    contain_j: F64
    kind: npt.NDArray[np.int8]


def _classify(fp: Fingerprints, i: I64, j: I64, common: I64, cfg: Config) -> _Verified:
    a = fp.sizes[i].astype(np.float64)
    b = fp.sizes[j].astype(np.float64)
    c = common.astype(np.float64)
    union = np.maximum(a + b - c, 1.0)
    jac = c / union
    ci = c / np.maximum(a, 1.0)
    cj = c / np.maximum(b, 1.0)
    cmax = np.maximum(ci, cj)
    kind = np.full(i.size, _NONE, dtype=np.int8)
    kind[(cmax >= cfg.syndicated_threshold) & (common >= _PASSAGE_SHINGLES)] = _SYNDICATED
    substantial = np.minimum(fp.sizes[i], fp.sizes[j]) >= MIN_CONTAINED_SHINGLES
    kind[(cmax >= cfg.containment_threshold) & substantial] = _CONTAINED
    kind[jac >= cfg.near_threshold] = _NEAR
    same = (fp.doc_hash[i] == fp.doc_hash[j]) & (fp.doc_hash[i] != 0)
    kind[same] = _EXACT
    jac[same] = 1.0
    ci[same] = 1.0
    cj[same] = 1.0
    return _Verified(i, j, common, jac, ci, cj, kind)


def _verify(fp: Fingerprints, cfg: Config, min_count: int | None = None) -> _Verified:
    ratio = min(cfg.lsh_threshold, cfg.syndicated_threshold)
    i, j = candidate_pairs(fp, min_ratio=ratio, df_cap=DF_CAP, min_count=min_count)
    common = overlap_counts(fp, i, j)
    return _classify(fp, i, j, common, cfg)


# ---------------------------------------------------------------------------------------------
# fast path: texts only


@dataclass(frozen=True)
class DedupFingerprints:
    """Dedup of bare texts (no metadata): groups, kept documents and verified pairs.

    ``kept_of[k]`` is the index of the document kept for document ``k`` (itself when kept).
    ``pairs`` holds every verified pair ``(i, j, kind)`` whose kind is not ``none``.
    """

    n_docs: int
    kept_of: I64
    pair_i: I64
    pair_j: I64
    pair_kind: tuple[str, ...]
    jaccard: F64
    containment: F64

    @property
    def kept(self) -> I64:
        return np.flatnonzero(self.kept_of == np.arange(self.n_docs))

    @property
    def n_groups(self) -> int:
        """Number of duplicate groups (of two or more documents)."""
        dup = self.kept_of != np.arange(self.n_docs)
        return int(np.unique(self.kept_of[dup]).size)

    def duplicate_pairs(self) -> int:
        """Number of verified pairs of a duplicate kind."""
        return sum(1 for k in self.pair_kind if k in DUPLICATE_KINDS)


def dedup_fingerprints(texts: Sequence[str], cfg: Config) -> DedupFingerprints:
    """Deduplicate bare texts fast: keep the longest of each group (then the first)."""
    fp = fingerprint_texts(texts, cfg.shingle_size)
    ver = _verify(fp, cfg)
    order = np.lexsort((np.arange(fp.n_docs), -fp.n_tokens))
    rank = np.empty(fp.n_docs, dtype=np.int64)
    rank[order] = np.arange(fp.n_docs)
    kept_of = _groups(fp.n_docs, ver, fp.sizes, rank)
    found = ver.kind != _NONE
    return DedupFingerprints(
        n_docs=fp.n_docs,
        kept_of=kept_of,
        pair_i=ver.i[found],
        pair_j=ver.j[found],
        pair_kind=tuple(_KINDS[k] for k in ver.kind[found]),
        jaccard=ver.jaccard[found],
        containment=np.maximum(ver.contain_i, ver.contain_j)[found],
    )


def _groups(n: int, ver: _Verified, sizes: I64, rank: I64) -> I64:
    """Union the duplicate pairs; return, per document, the index of its group's kept member.

    Exact and near-duplicate pairs are all joined. A contained document is joined only to its
    best container (highest containment, then Jaccard, then lowest index), so one short text
    found inside several different articles does not chain them into one group.
    """
    uf = UnionFind(n)
    dup = (ver.kind == _EXACT) | (ver.kind == _NEAR)
    for a, b in zip(ver.i[dup].tolist(), ver.j[dup].tolist(), strict=True):
        uf.union(a, b)
    best: dict[int, tuple[float, float, int]] = {}
    for p in np.flatnonzero(ver.kind == _CONTAINED).tolist():
        a, b = int(ver.i[p]), int(ver.j[p])
        small, big, cont = (
            (a, b, ver.contain_i[p]) if sizes[a] <= sizes[b] else (b, a, ver.contain_j[p])
        )
        key = (-float(cont), -float(ver.jaccard[p]), big)
        if small not in best or key < best[small]:
            best[small] = key
    for small, (_, _, big) in sorted(best.items()):
        uf.union(small, big)
    kept_of = np.arange(n, dtype=np.int64)
    for members in uf.groups().values():
        kept_of[members] = min(members, key=lambda m: int(rank[m]))
    return kept_of


@dataclass(frozen=True)
class CopyGroups:
    """Groups of copies: per text, the index of the first text of its group (itself when alone)."""

    first: I64  # exact, near-duplicate and contained copies
    exact: I64  # the same normalized text only


def copy_groups(
    texts: Sequence[str], cfg: Config, keys: Sequence[str | None] | None = None
) -> CopyGroups:
    """Group texts that are copies of each other (exact, near-duplicate, contained).

    Copies are what :func:`find_duplicates` calls duplicates, judged on ``texts`` as given. With
    ``keys``, two texts can be copies only when they have the same key and it is not ``None``
    (e.g. the outlet, to group one outlet's copies).
    """
    n = len(texts)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return CopyGroups(empty, empty)
    fp = fingerprint_texts(texts, cfg.shingle_size)
    ver = _verify(fp, cfg)
    if keys is not None:
        codes: dict[str, int] = {}
        key_code = np.array(
            [
                -1 - k if key is None else codes.setdefault(key, len(codes))
                for k, key in enumerate(keys)
            ],
            dtype=np.int64,
        )
        kind = np.where(key_code[ver.i] == key_code[ver.j], ver.kind, _NONE).astype(np.int8)
        ver = _Verified(ver.i, ver.j, ver.common, ver.jaccard, ver.contain_i, ver.contain_j, kind)
    order = np.arange(n, dtype=np.int64)
    exact = ver.kind == _EXACT
    only_exact = _Verified(
        ver.i[exact],
        ver.j[exact],
        ver.common[exact],
        ver.jaccard[exact],
        ver.contain_i[exact],
        ver.contain_j[exact],
        ver.kind[exact],
    )
    return CopyGroups(_groups(n, ver, fp.sizes, order), _groups(n, only_exact, fp.sizes, order))


# ---------------------------------------------------------------------------------------------
# passages


def _original(doc: Doc) -> str:
    return "\n".join(doc.paragraphs) if doc.paragraphs else doc.body


def _passages(a_text: str, b_text: str, k: int) -> list[tuple[int, str]]:
    """Return (tokens, original text of ``a``) of the runs of ``a`` also found in ``b``, longest first."""
    ta, tb = token_spans(a_text), token_spans(b_text)
    if ta.hashes.size < k or tb.hashes.size < k:
        return []
    ga, gb = doc_shingles(ta.hashes, k), doc_shingles(tb.hashes, k)
    hit = np.isin(ga, gb)
    if not hit.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], hit.astype(np.int8), [0]))))
    starts, stops = edges[0::2], edges[1::2]  # shingle runs [start, stop)
    tokens = stops - starts + k - 1
    order = np.lexsort((starts, -tokens))
    out = []
    for r in order.tolist():
        lo = int(ta.starts[starts[r]])
        hi = int(ta.ends[stops[r] - 1 + k - 1])
        out.append((int(tokens[r]), " ".join(a_text[lo:hi].split())))
    return out


@dataclass(frozen=True)
class _Shared:
    longest: int  # words in the longest shared run
    total: int  # words in all shared runs of at least PASSAGE_MIN_TOKENS words
    passages: tuple[str, ...]  # the longest runs, original text


def _shared(a: Doc, b: Doc, k: int) -> _Shared:
    runs = _passages(_original(a), _original(b), k)
    longest = runs[0][0] if runs else 0
    total = sum(n for n, _ in runs if n >= PASSAGE_MIN_TOKENS)
    shown = tuple(text for n, text in runs[:MAX_PASSAGES] if n >= min(PASSAGE_MIN_TOKENS, longest))
    return _Shared(longest, total, shown)


# ---------------------------------------------------------------------------------------------
# documents


def _keep_rank(docs: Sequence[Doc], n_tokens: I64, policy: str) -> I64:
    """Return each document's rank under the keep policy (0 = kept first)."""
    n = len(docs)
    if policy == "first":
        keys: list[tuple[object, ...]] = [(k,) for k in range(n)]
    elif policy == "longest":
        keys = [(-int(n_tokens[k]), docs[k].id, k) for k in range(n)]
    else:
        keys = [
            (docs[k].date.value is None, docs[k].date.value or "", -int(n_tokens[k]), docs[k].id, k)
            for k in range(n)
        ]
    order = sorted(range(n), key=keys.__getitem__)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    return rank


def find_duplicates(docs: Sequence[Doc], cfg: Config) -> DedupResult:
    """Find exact, near-duplicate, contained and syndicated documents; keep one per group.

    Matching uses each document's normalized body (``norm``, boilerplate already removed), or its
    title when the body is empty. Documents with no words are never duplicates. The result does not depend on input order
    (except with ``keep="first"``).
    """
    n = len(docs)
    if n == 0:
        return DedupResult(kept=(), duplicates=(), related=())
    # a record with only a headline (or whose body was all boilerplate) is matched on its title
    fp = fingerprint_texts(
        [d.norm if d.norm.strip() else d.norm_title for d in docs], cfg.shingle_size
    )
    ver = _verify(fp, cfg, min_count=_PASSAGE_SHINGLES)
    kind = ver.kind.copy()
    longest: dict[tuple[int, int], _Shared] = {}
    for p in np.flatnonzero((kind == _NONE) & (ver.common >= _PASSAGE_SHINGLES)).tolist():
        a, b = int(ver.i[p]), int(ver.j[p])
        found = _shared(docs[a], docs[b], cfg.shingle_size)
        longest[(a, b)] = found
        if found.total >= SYNDICATED_PASSAGE_TOKENS:
            kind[p] = _SYNDICATED
    ver = _Verified(ver.i, ver.j, ver.common, ver.jaccard, ver.contain_i, ver.contain_j, kind)
    rank = _keep_rank(docs, fp.n_tokens, cfg.keep)
    kept_of = _groups(n, ver, fp.sizes, rank)
    edges = {(int(a), int(b)): p for p, (a, b) in enumerate(zip(ver.i, ver.j, strict=True))}

    def shared(a: int, b: int) -> tuple[str, ...]:
        key = (min(a, b), max(a, b))
        if key not in longest:
            longest[key] = _shared(docs[a], docs[b], cfg.shingle_size)
        return longest[key].passages

    best_edge: dict[int, int] = {}
    for p in np.flatnonzero((kind >= _EXACT) & (kind <= _CONTAINED)).tolist():
        for x in (int(ver.i[p]), int(ver.j[p])):
            q = best_edge.get(x)
            if q is None or (kind[p], -_score(ver, p)) < (kind[q], -_score(ver, q)):
                best_edge[x] = p

    direct_missing = [
        (k, int(kept_of[k]))
        for k in range(n)
        if kept_of[k] != k and (min(k, kept_of[k]), max(k, kept_of[k])) not in edges
    ]
    if direct_missing:
        mi = np.array([min(a, b) for a, b in direct_missing], dtype=np.int64)
        mj = np.array([max(a, b) for a, b in direct_missing], dtype=np.int64)
        extra = _classify(fp, mi, mj, overlap_counts(fp, mi, mj), cfg)
    duplicates: list[Relation] = []
    for k in range(n):
        keep = int(kept_of[k])
        if keep == k:
            continue
        key = (min(k, keep), max(k, keep))
        if key in edges:
            src, p = ver, edges[key]
        else:
            src, p = extra, direct_missing.index((k, keep))
        if src.kind[p] < _EXACT or src.kind[p] > _CONTAINED:  # joined through another member
            src, p = ver, best_edge[k]
        duplicates.append(_relation(docs, k, keep, src, p, shared(k, keep)))

    related: dict[tuple[int, int], Relation] = {}
    for p in np.flatnonzero(kind == _SYNDICATED).tolist():
        a, b = int(kept_of[ver.i[p]]), int(kept_of[ver.j[p]])
        if a == b:
            continue
        a, b = (a, b) if docs[a].id <= docs[b].id else (b, a)
        rel = _relation(docs, a, b, ver, p, ())
        if (a, b) not in related or rel.score > related[(a, b)].score:
            related[(a, b)] = rel
    related_out = tuple(
        Relation(r.id, r.other, r.kind, r.score, r.jaccard, r.containment, shared(a, b))
        for (a, b), r in sorted(related.items(), key=lambda kv: (kv[1].id, kv[1].other))
    )
    kept = tuple(docs[k].id for k in range(n) if kept_of[k] == k)
    log.info(
        "dedup: %d documents, %d kept, %d duplicates, %d related",
        n,
        len(kept),
        len(duplicates),
        len(related_out),
    )
    return DedupResult(
        kept=kept,
        duplicates=tuple(sorted(duplicates, key=lambda r: r.id)),
        related=related_out,
    )


def _score(ver: _Verified, p: int) -> float:
    kind = int(ver.kind[p])
    if kind == _EXACT:
        return 1.0
    if kind == _NEAR:
        return float(ver.jaccard[p])
    return float(max(ver.contain_i[p], ver.contain_j[p]))


def _relation(
    docs: Sequence[Doc], a: int, b: int, ver: _Verified, p: int, shared: tuple[str, ...]
) -> Relation:
    return Relation(
        id=docs[a].id,
        other=docs[b].id,
        kind=_KINDS[int(ver.kind[p])],
        score=round(_score(ver, p), 4),
        jaccard=round(float(ver.jaccard[p]), 4),
        containment=round(float(max(ver.contain_i[p], ver.contain_j[p])), 4),
        shared=shared,
    )


# ---------------------------------------------------------------------------------------------
# explain


@dataclass(frozen=True)
class PairExplanation:
    """Why two documents are (or are not) duplicates, with the evidence."""

    a: str
    b: str
    kind: str | None  # exact | near_duplicate | contained | syndicated | None
    score: float
    jaccard: float
    containment_a: float  # share of a's shingles found in b
    containment_b: float  # share of b's shingles found in a
    shingles_a: int
    shingles_b: int
    common: int
    longest_passage: int  # words in the longest shared passage
    passage_words: int  # words in all shared passages (runs of PASSAGE_MIN_TOKENS words or more)
    shared: tuple[str, ...]  # the longest shared passages, original text of a
    thresholds: tuple[tuple[str, float], ...] = ()

    @property
    def is_duplicate(self) -> bool:
        return self.kind in DUPLICATE_KINDS

    def lines(self) -> list[str]:
        """Return a plain-text rendering, one line per fact."""
        verdict = {
            None: "not duplicates (no relation)",
            "exact": "duplicates: exact (same normalized text)",
            "near_duplicate": "duplicates: near_duplicate (same article, small edits)",
            "contained": "duplicates: contained (one is a trimmed or partial copy of the other)",
            "syndicated": "not duplicates: syndicated (they share long passages, each adds its own)",
        }[self.kind]
        th = dict(self.thresholds)
        out = [
            f"relation: {verdict}" + (f", score {self.score:.3f}" if self.kind else ""),
            f"shingles ({self.shingle_note()}): {self.shingles_a} in {self.a}, "
            f"{self.shingles_b} in {self.b}, {self.common} shared",
            f"jaccard: {self.jaccard:.3f} (near_duplicate at >= {th.get('near', 0):.2f})",
            f"containment: {self.containment_a:.3f} of {self.a} is in {self.b}; "
            f"{self.containment_b:.3f} of {self.b} is in {self.a} "
            f"(contained at >= {th.get('contained', 0):.2f}, syndicated at >= {th.get('syndicated', 0):.2f})",
            f"shared passages: longest {self.longest_passage} words, {self.passage_words} words in "
            f"runs of {PASSAGE_MIN_TOKENS}+ (syndicated at >= {SYNDICATED_PASSAGE_TOKENS})",
        ]
        for n, passage in enumerate(self.shared, 1):
            text = passage if len(passage) <= 300 else passage[:297] + "..."
            out.append(f"  shared {n}: {text}")
        return out

    def shingle_note(self) -> str:
        return "word n-grams of the normalized body"


def explain_pair(a: Doc, b: Doc, cfg: Config) -> PairExplanation:
    """Explain how two documents relate: relation kind, Jaccard, containment, shared passages."""
    fp = fingerprint_texts([a.norm, b.norm], cfg.shingle_size, workers=1)
    zero, one = np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    ver = _classify(fp, zero, one, overlap_counts(fp, zero, one), cfg)
    found = _shared(a, b, cfg.shingle_size)
    kind = int(ver.kind[0])
    if kind == _NONE and found.total >= SYNDICATED_PASSAGE_TOKENS:
        kind = _SYNDICATED
        ver = _Verified(
            zero,
            one,
            ver.common,
            ver.jaccard,
            ver.contain_i,
            ver.contain_j,
            np.array([kind], dtype=np.int8),
        )
    return PairExplanation(
        a=a.id,
        b=b.id,
        kind=None if kind == _NONE else _KINDS[kind],
        score=round(_score(ver, 0), 4) if kind != _NONE else 0.0,
        jaccard=round(float(ver.jaccard[0]), 4),
        containment_a=round(float(ver.contain_i[0]), 4),
        containment_b=round(float(ver.contain_j[0]), 4),
        shingles_a=int(fp.sizes[0]),
        shingles_b=int(fp.sizes[1]),
        common=int(ver.common[0]),
        longest_passage=found.longest,
        passage_words=found.total,
        shared=found.passages,
        thresholds=(
            ("near", cfg.near_threshold),
            ("contained", cfg.containment_threshold),
            ("syndicated", cfg.syndicated_threshold),
        ),
    )
