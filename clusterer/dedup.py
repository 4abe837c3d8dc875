"""Deduplicate: typed, explained relations between documents, and which documents to keep.

Stages (see :mod:`clusterer.copies` and :mod:`clusterer.shingles` for the first three):

1. fingerprint every document's matching text (:func:`match_text`) as exact word
   ``shingle_size``-gram sets;
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

:func:`explain_pair` judges one pair with the same text and the same rules as steps 3-4.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .config import Config
from .copies import (
    CONTAINED,
    EXACT,
    KINDS,
    NONE,
    PASSAGE_SHINGLES,
    SYNDICATED,
    Verified,
    classify,
    group,
    verify,
)
from .records import DUPLICATE_KINDS, DedupResult, Doc, KeepPolicy, Relation, RelationKind
from .shingles import (
    Fingerprints,
    TextSpans,
    fingerprint_texts,
    gram_index,
    overlap_counts,
    shared_runs,
    spans_gram_index,
    text_spans,
)

__all__ = [
    "DedupFingerprints",
    "DocTokens",
    "PairDecisions",
    "PairExplanation",
    "decide_pairs",
    "dedup_fingerprints",
    "explain_pair",
    "find_duplicates",
    "match_text",
    "original_text",
]

log = logging.getLogger(__name__)

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]

PASSAGE_MIN_TOKENS = 8  # a shared run of words this long is a "passage"
SYNDICATED_PASSAGE_TOKENS = 30  # passages totalling this many words make two documents syndicated
MAX_PASSAGES = 3
# documents whose passages are looked up at once: their tokens and word n-gram index are held
# together (about 20 KiB per article), so this bounds that memory whatever the corpus size
PASSAGE_BATCH_DOCS = 4_096


def match_text(doc: Doc) -> str:
    """Return the text a document is deduplicated on: its normalized body, else its title.

    A record with only a headline (or whose body was all boilerplate) is matched on its title.
    """
    return doc.norm if doc.norm.strip() else doc.norm_title


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
    pair_kind: tuple[RelationKind, ...]
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


def _kind(code: int) -> RelationKind:
    kind = KINDS[code]
    if kind is None:
        raise ValueError("no relation")
    return kind


def dedup_fingerprints(texts: Sequence[str], cfg: Config) -> DedupFingerprints:
    """Deduplicate bare texts fast: keep the longest of each group (then the first)."""
    fp = fingerprint_texts(texts, cfg.shingle_size)
    ver = verify(fp, cfg)
    order = np.lexsort((np.arange(fp.n_docs), -fp.n_tokens))
    rank = np.empty(fp.n_docs, dtype=np.int64)
    rank[order] = np.arange(fp.n_docs)
    kept_of = group(fp.n_docs, ver, fp.sizes, rank)
    found = ver.kind != NONE
    return DedupFingerprints(
        n_docs=fp.n_docs,
        kept_of=kept_of,
        pair_i=ver.i[found],
        pair_j=ver.j[found],
        pair_kind=tuple(_kind(k) for k in ver.kind[found].tolist()),
        jaccard=ver.jaccard[found],
        containment=np.maximum(ver.contain_i, ver.contain_j)[found],
    )


# ---------------------------------------------------------------------------------------------
# passages


def original_text(doc: Doc) -> str:
    """Return the text shared passages are quoted from: the paragraphs, one per line."""
    return doc.body.replace("\n\n", "\n")  # (a paragraph is one line)


@dataclass(frozen=True)
class DocTokens:
    """The tokens of the :func:`original_text` of documents (:func:`~clusterer.shingles.text_spans`
    of them all), valid for those where ``known``: the others are tokenized again when needed."""

    spans: TextSpans
    known: npt.NDArray[np.bool_]

    def of(self, docs: Sequence[Doc], needed: I64) -> TextSpans:
        """Return the tokens of the documents ``docs[needed[n]]``, in that order."""
        known = self.known[needed]
        if known.all():
            return self.spans.take(needed)
        fresh = text_spans([original_text(docs[d]) for d in needed[~known].tolist()])
        both = TextSpans.concat([self.spans.take(needed[known]), fresh])
        order = np.empty(needed.size, dtype=np.int64)  # where each one is in both
        order[known] = np.arange(int(known.sum()), dtype=np.int64)
        order[~known] = np.arange(int(known.sum()), needed.size, dtype=np.int64)
        return both.take(order)


@dataclass(frozen=True)
class _Shared:
    longest: int  # words in the longest shared run
    total: int  # words in all shared runs of at least PASSAGE_MIN_TOKENS words
    passages: tuple[str, ...]  # the longest runs, original text


def _shared_batch(
    docs: Sequence[Doc],
    pairs: Sequence[tuple[int, int]],
    k: int,
    tokens: DocTokens | None = None,
) -> list[_Shared]:
    """Return, for every pair ``(a, b)``, the runs of words of ``a`` also found in ``b`` (original
    text of ``a``, longest first). The documents involved are tokenized once (or their
    ``tokens`` taken), the pairs looked up all at once."""
    if not pairs:
        return []
    needed = sorted({d for pair in pairs for d in pair})
    local = {d: n for n, d in enumerate(needed)}
    texts = [original_text(docs[d]) for d in needed]
    index = (
        gram_index(texts, k)
        if tokens is None
        else spans_gram_index(tokens.of(docs, np.array(needed, dtype=np.int64)), k)
    )
    a = np.array([local[x] for x, _ in pairs], dtype=np.int64)
    b = np.array([local[y] for _, y in pairs], dtype=np.int64)
    runs = shared_runs(index, a, b)
    words = runs.stop - runs.start + (k - 1)
    longest = np.zeros(len(pairs), dtype=np.int64)
    np.maximum.at(longest, runs.pair, words)
    long_runs = words >= PASSAGE_MIN_TOKENS
    total = np.bincount(runs.pair[long_runs], weights=words[long_runs], minlength=len(pairs))
    order = np.lexsort((runs.start, -words, runs.pair))
    pair = runs.pair[order]
    rank = np.arange(order.size) - np.searchsorted(pair, pair)
    shown = order[
        (rank < MAX_PASSAGES) & (words[order] >= np.minimum(PASSAGE_MIN_TOKENS, longest[pair]))
    ]
    passages: list[list[str]] = [[] for _ in pairs]
    first_tok = index.spans.offsets[a[runs.pair[shown]]]
    lo = index.spans.starts[first_tok + runs.start[shown]]
    hi = index.spans.ends[first_tok + runs.stop[shown] + (k - 2)]
    for p, x, y in zip(runs.pair[shown].tolist(), lo.tolist(), hi.tolist(), strict=True):
        passages[p].append(" ".join(texts[a[p]][x:y].split()))
    return [
        _Shared(int(n), int(t), tuple(found))
        for n, t, found in zip(longest.tolist(), total.tolist(), passages, strict=True)
    ]


# ---------------------------------------------------------------------------------------------
# documents


def _keep_rank(docs: Sequence[Doc], n_tokens: I64, policy: KeepPolicy) -> I64:
    """Return each document's rank under the keep policy (0 = kept first)."""
    n = len(docs)
    if policy == KeepPolicy.FIRST:
        keys: list[tuple[object, ...]] = [(k,) for k in range(n)]
    elif policy == KeepPolicy.LONGEST:
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


def _passage_verdict(code: int, common: int, found: _Shared) -> int:
    """Upgrade an unrelated pair that shares enough long passages to ``syndicated``."""
    if code == NONE and common >= PASSAGE_SHINGLES and found.total >= SYNDICATED_PASSAGE_TOKENS:
        return SYNDICATED
    return code


def _batches_of_docs(
    pairs: Sequence[tuple[int, int]], most: int
) -> Iterator[list[tuple[int, int]]]:
    """Yield ``pairs`` in order, in runs that each involve at most ``most`` documents."""
    batch: list[tuple[int, int]] = []
    docs: set[int] = set()
    for a, b in pairs:
        if batch and len(docs) + (a not in docs) + (b not in docs and b != a) > most:
            yield batch
            batch, docs = [], set()
        batch.append((a, b))
        docs.update((a, b))
    if batch:
        yield batch


@dataclass(frozen=True)
class PairDecisions:
    """Step 1 of :func:`find_duplicates`: every candidate pair of ``docs``, verified and classified.

    ``ver`` holds the pairs (document indices) and their relation codes, passages included;
    a pair of ``docs`` that is not in ``ver`` has no relation. ``tokens``: those of the
    documents' :func:`original_text`, when known (passages are found in them).
    """

    docs: Sequence[Doc]
    fp: Fingerprints
    ver: Verified
    shingle_size: int
    passages: dict[tuple[int, int], _Shared] = field(default_factory=dict)  # cache, (i, j) i < j
    tokens: DocTokens | None = None

    def prefetch(self, asked: Iterable[tuple[int, int]]) -> None:
        """Find at once the passages of the pairs ``asked`` not known yet, each in the text of the
        first of its two orders asked (here or before)."""
        todo: dict[tuple[int, int], tuple[int, int]] = {}
        for a, b in asked:
            key = (min(a, b), max(a, b))
            if key not in self.passages and key not in todo:
                todo[key] = (a, b)
        found = [
            shared
            for batch in _batches_of_docs(list(todo.values()), PASSAGE_BATCH_DOCS)
            for shared in _shared_batch(self.docs, batch, self.shingle_size, self.tokens)
        ]
        self.passages.update(zip(todo, found, strict=True))

    def shared(self, a: int, b: int) -> _Shared:
        """Return the passages documents ``a`` and ``b`` share (see :meth:`prefetch`)."""
        key = (min(a, b), max(a, b))
        if key not in self.passages:
            self.prefetch([(a, b)])
        return self.passages[key]


def decide_pairs(
    docs: Sequence[Doc],
    cfg: Config,
    fp: Fingerprints | None = None,
    tokens: DocTokens | None = None,
) -> PairDecisions:
    """Verify and classify every candidate pair of ``docs`` on their :func:`match_text`
    (``fp``: their fingerprints when already computed; ``tokens``: those of their
    :func:`original_text`, when known)."""
    fp = (
        fp if fp is not None else fingerprint_texts([match_text(d) for d in docs], cfg.shingle_size)
    )
    ver = verify(fp, cfg, min_count=PASSAGE_SHINGLES)
    decided = PairDecisions(docs, fp, ver, cfg.shingle_size, tokens=tokens)
    kind = ver.kind.copy()
    check = np.flatnonzero((kind == NONE) & (ver.common >= PASSAGE_SHINGLES)).tolist()
    pairs = [(int(ver.i[p]), int(ver.j[p])) for p in check]  # i < j
    decided.prefetch(pairs)
    for p, pair in zip(check, pairs, strict=True):
        kind[p] = _passage_verdict(int(kind[p]), int(ver.common[p]), decided.passages[pair])
    return PairDecisions(docs, fp, ver.with_kind(kind), cfg.shingle_size, decided.passages, tokens)


def _best_edges(ver: Verified) -> dict[int, int]:
    """Return, per document in a duplicate pair, its strongest duplicate pair (kind, then score)."""
    best: dict[int, int] = {}
    for p in np.flatnonzero((ver.kind >= EXACT) & (ver.kind <= CONTAINED)).tolist():
        for x in (int(ver.i[p]), int(ver.j[p])):
            q = best.get(x)
            if q is None or (ver.kind[p], -ver.score(p)) < (ver.kind[q], -ver.score(q)):
                best[x] = p
    return best


def _duplicate_evidence(
    decided: PairDecisions, kept_of: I64, cfg: Config
) -> dict[int, tuple[Verified, int]]:
    """Return, per duplicate document, the verified pair its relation is reported from.

    That is its pair with the kept document, verified directly if no candidate covered it;
    when that pair is not itself a duplicate (joined through another member), its best pair.
    """
    ver = decided.ver
    edges = {(int(a), int(b)): p for p, (a, b) in enumerate(zip(ver.i, ver.j, strict=True))}
    dups = [(k, int(kept_of[k])) for k in range(len(kept_of)) if kept_of[k] != k]
    missing = [(min(k, m), max(k, m)) for k, m in dups if (min(k, m), max(k, m)) not in edges]
    if missing:
        mi = np.array([a for a, _ in missing], dtype=np.int64)
        mj = np.array([b for _, b in missing], dtype=np.int64)
        extra = classify(decided.fp, mi, mj, overlap_counts(decided.fp, mi, mj), cfg)
    best = _best_edges(ver)
    where_missing = {key: n for n, key in enumerate(missing)}
    out: dict[int, tuple[Verified, int]] = {}
    for k, keep in dups:
        key = (min(k, keep), max(k, keep))
        src, p = (ver, edges[key]) if key in edges else (extra, where_missing[key])
        if src.kind[p] < EXACT or src.kind[p] > CONTAINED:
            src, p = ver, best[k]
        out[k] = (src, p)
    return out


def _relation(
    docs: Sequence[Doc], a: int, b: int, ver: Verified, p: int, shared: tuple[str, ...]
) -> Relation:
    return Relation(
        id=docs[a].id,
        other=docs[b].id,
        kind=_kind(int(ver.kind[p])),
        score=round(ver.score(p), 4),
        jaccard=round(float(ver.jaccard[p]), 4),
        containment=round(float(max(ver.contain_i[p], ver.contain_j[p])), 4),
        shared=shared,
    )


def _duplicates(
    decided: PairDecisions, kept_of: I64, evidence: dict[int, tuple[Verified, int]]
) -> tuple[Relation, ...]:
    """Return one relation per dropped document, towards its group's kept document, by id (from
    :func:`_duplicate_evidence`; their passages are found by then)."""
    rels = [
        _relation(
            decided.docs, k, int(kept_of[k]), src, p, decided.shared(k, int(kept_of[k])).passages
        )
        for k, (src, p) in evidence.items()
    ]
    return tuple(sorted(rels, key=lambda r: r.id))


def _id_ranks(docs: Sequence[Doc]) -> I64:
    """Return each document's rank in the order of the ids."""
    order = sorted(range(len(docs)), key=lambda k: docs[k].id)
    ranks = np.empty(len(docs), dtype=np.int64)
    ranks[order] = np.arange(len(docs), dtype=np.int64)
    return ranks


def _related_pairs(decided: PairDecisions, kept_of: I64) -> list[tuple[int, int, int]]:
    """Return the syndicated relations between kept documents as ``(first, other, pair)``: the
    best pair of their groups (the highest score, rounded as reported, then the first pair),
    ordered by id then other."""
    docs, ver = decided.docs, decided.ver
    at = np.flatnonzero(ver.kind == SYNDICATED)
    a, b = kept_of[ver.i[at]], kept_of[ver.j[at]]
    apart = a != b
    at, a, b = at[apart], a[apart], b[apart]
    rank = _id_ranks(docs)
    first, other = np.where(rank[a] <= rank[b], a, b), np.where(rank[a] <= rank[b], b, a)
    contained = np.maximum(ver.contain_i[at], ver.contain_j[at]).tolist()
    score = np.array([round(c, 4) for c in contained], dtype=np.float64)  # a syndicated score
    key = rank[first] * len(docs) + rank[other]  # (id, other): the order of the relations
    order = np.lexsort((at, -score, key))
    best = order[np.concatenate(([True], key[order][1:] != key[order][:-1]))] if at.size else order
    return list(zip(first[best].tolist(), other[best].tolist(), at[best].tolist(), strict=True))


def _related(decided: PairDecisions, chosen: list[tuple[int, int, int]]) -> tuple[Relation, ...]:
    """Return the relations of :func:`_related_pairs` (their passages are found by then)."""
    return tuple(
        _relation(decided.docs, x, y, decided.ver, p, decided.shared(x, y).passages)
        for x, y, p in chosen
    )


def find_duplicates(
    docs: Sequence[Doc],
    cfg: Config,
    fp: Fingerprints | None = None,
    tokens: DocTokens | None = None,
) -> DedupResult:
    """Find exact, near-duplicate, contained and syndicated documents; keep one per group.

    Matching uses each document's :func:`match_text` (normalized body with boilerplate already
    removed, or the title when the body is empty). Documents with no words are never duplicates.
    The result does not depend on input order (except with ``keep="first"``). ``fp``: the
    fingerprints of the documents' match texts when already computed (the Dask engine's);
    ``tokens``: those of their :func:`original_text`, when known.
    """
    if not docs:
        return DedupResult(kept=(), duplicates=(), related=())
    decided = decide_pairs(docs, cfg, fp, tokens)
    rank = _keep_rank(docs, decided.fp.n_tokens, cfg.keep)
    kept_of = group(len(docs), decided.ver, decided.fp.sizes, rank)
    evidence = _duplicate_evidence(decided, kept_of, cfg)
    chosen = _related_pairs(decided, kept_of)
    # the passages of both at once, a pair in the order it is reported
    decided.prefetch([*((k, int(kept_of[k])) for k in evidence), *((x, y) for x, y, _ in chosen)])
    duplicates = _duplicates(decided, kept_of, evidence)
    related = _related(decided, chosen)
    kept = tuple(d.id for k, d in enumerate(docs) if kept_of[k] == k)
    log.info(
        "dedup: %d documents, %d kept, %d duplicates, %d related",
        len(docs),
        len(kept),
        len(duplicates),
        len(related),
    )
    return DedupResult(kept=kept, duplicates=duplicates, related=related)


# ---------------------------------------------------------------------------------------------
# explain


@dataclass(frozen=True)
class PairExplanation:
    """Why two documents are (or are not) duplicates, with the evidence."""

    a: str
    b: str
    kind: RelationKind | None  # None: no relation
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
    """Explain how two documents relate: relation kind, Jaccard, containment, shared passages.

    The pair is judged on the same :func:`match_text` and with the same rules as in
    :func:`find_duplicates`.
    """
    fp = fingerprint_texts([match_text(a), match_text(b)], cfg.shingle_size, workers=1)
    zero, one = np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    ver = classify(fp, zero, one, overlap_counts(fp, zero, one), cfg)
    found = _shared_batch([a, b], [(0, 1)], cfg.shingle_size)[0]
    code = _passage_verdict(int(ver.kind[0]), int(ver.common[0]), found)
    ver = ver.with_kind(np.array([code], dtype=np.int8))
    return PairExplanation(
        a=a.id,
        b=b.id,
        kind=KINDS[code],
        score=round(ver.score(0), 4) if code != NONE else 0.0,
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
