"""Copies: verified shingle overlap between texts, classified, and grouped with union-find.

Shared by boilerplate (stage 3: one outlet's copies of an article count once) and dedup (stage 4),
on top of :mod:`clusterer.shingles`:

1. candidates: pairs that share many rare shingles (sparse product, sub-quadratic), plus texts
   with identical normalized words;
2. verify every candidate exactly: shared shingles, Jaccard, containment both ways;
3. classify: ``exact`` (same normalized text), ``near_duplicate`` (Jaccard >= ``near_threshold``),
   ``contained`` (the smaller text's shingles found in the larger >= ``containment_threshold``),
   ``syndicated`` (shares >= ``syndicated_threshold`` of the smaller text and at least
   ``PASSAGE_SHINGLES`` shingles);
4. group the copy kinds (exact, near-duplicate, contained) with union-find.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .config import Config
from .records import RelationKind
from .shingles import Fingerprints, candidate_pairs, fingerprint_texts, overlap_counts
from .unionfind import UnionFind

__all__ = [
    "CONTAINED",
    "EXACT",
    "KINDS",
    "NEAR",
    "NONE",
    "PASSAGE_SHINGLES",
    "SYNDICATED",
    "CopyGroups",
    "Verified",
    "classify",
    "copy_groups",
    "group",
    "verify",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

MIN_CONTAINED_SHINGLES = 15  # a smaller text must have this many shingles to be "contained"
PASSAGE_SHINGLES = 20  # shared shingles below which passages cannot add up to a syndication
DF_CAP = 32  # shingles in more texts than this are stock phrases: not used to find candidates
# relation codes, ordered: a lower code among the copy kinds is the stronger relation
NONE, EXACT, NEAR, CONTAINED, SYNDICATED = range(5)
KINDS: tuple[RelationKind | None, ...] = (
    None,
    RelationKind.EXACT,
    RelationKind.NEAR_DUPLICATE,
    RelationKind.CONTAINED,
    RelationKind.SYNDICATED,
)


@dataclass(frozen=True)
class Verified:
    """Verified pairs ``(i[p], j[p])``: shared shingles, Jaccard, containment and relation code."""

    i: I64
    j: I64
    common: I64
    jaccard: F64
    contain_i: F64  # share of i's shingles found in j
    contain_j: F64
    kind: npt.NDArray[np.int8]

    def with_kind(self, kind: npt.NDArray[np.int8]) -> Verified:
        """Return the same pairs with other relation codes."""
        return Verified(
            self.i, self.j, self.common, self.jaccard, self.contain_i, self.contain_j, kind
        )

    def select(self, mask: npt.NDArray[np.bool_]) -> Verified:
        """Return the pairs where ``mask`` is true."""
        return Verified(
            self.i[mask],
            self.j[mask],
            self.common[mask],
            self.jaccard[mask],
            self.contain_i[mask],
            self.contain_j[mask],
            self.kind[mask],
        )

    def score(self, p: int) -> float:
        """Return pair ``p``'s score: 1 for exact, Jaccard for near duplicates, else containment."""
        kind = int(self.kind[p])
        if kind == EXACT:
            return 1.0
        if kind == NEAR:
            return float(self.jaccard[p])
        return float(max(self.contain_i[p], self.contain_j[p]))


def classify(fp: Fingerprints, i: I64, j: I64, common: I64, cfg: Config) -> Verified:
    """Classify pairs ``(i, j)`` that share ``common`` shingles (one relation code each)."""
    a = fp.sizes[i].astype(np.float64)
    b = fp.sizes[j].astype(np.float64)
    c = common.astype(np.float64)
    union = np.maximum(a + b - c, 1.0)
    jac = c / union
    ci = c / np.maximum(a, 1.0)
    cj = c / np.maximum(b, 1.0)
    cmax = np.maximum(ci, cj)
    kind = np.full(i.size, NONE, dtype=np.int8)
    kind[(cmax >= cfg.syndicated_threshold) & (common >= PASSAGE_SHINGLES)] = SYNDICATED
    substantial = np.minimum(fp.sizes[i], fp.sizes[j]) >= MIN_CONTAINED_SHINGLES
    kind[(cmax >= cfg.containment_threshold) & substantial] = CONTAINED
    kind[jac >= cfg.near_threshold] = NEAR
    same = (fp.doc_hash[i] == fp.doc_hash[j]) & (fp.doc_hash[i] != 0)
    kind[same] = EXACT
    jac[same] = 1.0
    ci[same] = 1.0
    cj[same] = 1.0
    return Verified(i, j, common, jac, ci, cj, kind)


def verify(
    fp: Fingerprints, cfg: Config, min_count: int | None = None, groups: I64 | None = None
) -> Verified:
    """Find the candidate pairs of ``fp`` and classify each exactly (``groups``: see
    :func:`~clusterer.shingles.candidate_pairs`)."""
    ratio = min(cfg.candidate_threshold, cfg.syndicated_threshold)
    i, j = candidate_pairs(fp, min_ratio=ratio, df_cap=DF_CAP, min_count=min_count, groups=groups)
    return classify(fp, i, j, overlap_counts(fp, i, j), cfg)


def group(n: int, ver: Verified, sizes: I64, rank: I64) -> I64:
    """Union the copy pairs; return, per text, the index of its group's kept member (lowest rank,
    then lowest index). A text in no copy pair is its own group (not looked at one by one).

    Exact and near-duplicate pairs are all joined. A contained text is joined only to its best
    container (highest containment, then Jaccard, then lowest index), so one short text found
    inside several different articles does not chain them into one group.
    """
    dup = (ver.kind == EXACT) | (ver.kind == NEAR)
    best: dict[int, tuple[float, float, int]] = {}
    for p in np.flatnonzero(ver.kind == CONTAINED).tolist():
        a, b = int(ver.i[p]), int(ver.j[p])
        small, big, cont = (
            (a, b, ver.contain_i[p]) if sizes[a] <= sizes[b] else (b, a, ver.contain_j[p])
        )
        key = (-float(cont), -float(ver.jaccard[p]), big)
        if small not in best or key < best[small]:
            best[small] = key
    first = np.concatenate((ver.i[dup], np.fromiter(best, dtype=np.int64, count=len(best))))
    second = np.concatenate(
        (ver.j[dup], np.array([big for _, _, big in best.values()], dtype=np.int64))
    )
    uf = UnionFind(n)
    for a, b in zip(first.tolist(), second.tolist(), strict=True):
        uf.union(a, b)
    joined = np.unique(np.concatenate((first, second)))  # every other text is alone
    roots = np.array([uf.find(x) for x in joined.tolist()], dtype=np.int64)
    order = np.lexsort((joined, rank[joined], roots))  # by group, then rank, then index
    new_group = np.ones(order.size, dtype=np.bool_)
    new_group[1:] = roots[order][1:] != roots[order][:-1]
    head = np.maximum.accumulate(np.where(new_group, np.arange(order.size), 0))
    kept_of = np.arange(n, dtype=np.int64)
    kept_of[joined[order]] = joined[order][head]
    return kept_of


def _runs(codes: I64) -> I64 | None:
    """Return the bounds of the runs of equal codes when each code is one run (else None)."""
    starts = np.flatnonzero(np.diff(codes)) + 1
    if starts.size + 1 != np.unique(codes).size:
        return None
    return np.concatenate(([0], starts, [codes.size])).astype(np.int64)


@dataclass(frozen=True)
class CopyGroups:
    """Groups of copies: per text, the index of the first text of its group (itself when alone)."""

    first: I64  # exact, near-duplicate and contained copies
    exact: I64  # the same normalized text only


def copy_groups(
    texts: Sequence[str],
    cfg: Config,
    keys: Sequence[str | None] | None = None,
    fp: Fingerprints | None = None,
) -> CopyGroups:
    """Group texts that are copies of each other (exact, near-duplicate, contained).

    Copies are what :func:`~clusterer.dedup.find_duplicates` calls duplicates, judged on ``texts``
    as given. With ``keys``, two texts can be copies only when they have the same key and it is not
    ``None`` (e.g. the outlet, to group one outlet's copies). ``fp``: the fingerprints of
    ``texts`` when already computed (:func:`~clusterer.shingles.fingerprints_of_keys`).
    """
    n = len(texts)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return CopyGroups(empty, empty)
    fp = fp if fp is not None else fingerprint_texts(texts, cfg.shingle_size)
    if keys is None:
        ver = verify(fp, cfg)
    else:
        codes: dict[str, int] = {}
        key_code = np.array(
            [
                -1 - k if key is None else codes.setdefault(key, len(codes))
                for k, key in enumerate(keys)
            ],
            dtype=np.int64,
        )
        ver = verify(fp, cfg, groups=_runs(key_code))
        same_key = key_code[ver.i] == key_code[ver.j]
        ver = ver.with_kind(np.where(same_key, ver.kind, NONE).astype(np.int8))
    order = np.arange(n, dtype=np.int64)
    only_exact = ver.select(ver.kind == EXACT)
    return CopyGroups(group(n, ver, fp.sizes, order), group(n, only_exact, fp.sizes, order))
