"""Cluster: group kept documents into events (and events into stories).

Every pair of candidate documents gets one score that combines the signals a careful reader uses:
body TF-IDF cosine, title similarity (TF-IDF cosine and fuzzy ratio), overlap of rare terms
(names, places, numbers) and a date decay. Candidates come from a sparse top-k neighbour graph, so no
dense n x n matrix is ever built; average linkage over that graph (missing edges count as 0) merges
events without the chaining of single link.
"""

from __future__ import annotations

import copy
import hashlib
import heapq
import json
import logging
import math
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import cast

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist
from scipy import sparse
from sparse_dot_topn import sp_matmul_topn

from .config import IDF_PRIOR_RATE, Config, PairWeights
from .constraints import Constraints, IndexConstraints, resolve
from .kernels import pair_dots, row_pair_dots
from .records import Cluster, CorpusFrequencies, Doc, FoundSource, Story, Vectors, WeakLink
from .signals import FACETS, Facets, doc_facets, facet_matrices, facet_similarities
from .text import idf_weights
from .unionfind import UnionFind
from .workers import shared_value, sharing_pool

log = logging.getLogger(__name__)

MIN_CANDIDATE = 0.05  # body cosine below which two documents are never compared further
NEIGHBOUR_THREADS = 2  # threads of the neighbour search's product
# A term in more documents than this is left out of the neighbour search's product (the cosines
# that rank the neighbours found still count it): such terms cost the product the square of their
# document count (most of it at 100k documents) and alone never make two documents neighbours.
CANDIDATE_DF_CAP = 4_000
FEATURE_BATCH = 2_000  # documents whose features one task of a worker process computes
SIGNAL_BATCH = 40_000  # candidate pairs one task of a worker process scores


@dataclass(frozen=True, slots=True)
class PairScore:
    """One pair's combined score and the signals it is made of.

    ``facets`` holds each specific-evidence facet's agreement in [0, 1] (None: a document lacks
    it, neutral), ``facet_weights`` the weight each had for this pair and ``facet_factor`` the
    multiplier they make together; ``specific`` is the who/where agreement that adds points.
    """

    a: str
    b: str
    score: float
    body: float
    title: float
    rare: float
    lead: float
    date_factor: float
    days_apart: float | None
    facets: Mapping[str, float | None]
    facet_factor: float
    facet_weights: Mapping[str, float]
    specific: float


@dataclass(frozen=True, slots=True)
class PairSignals:
    """Every signal of a list of candidate pairs (row indices ``rows_a[n] < rows_b[n]``), computed
    once; :func:`combine` turns them into scores for any weights."""

    rows_a: np.ndarray
    rows_b: np.ndarray
    body: np.ndarray
    title: np.ndarray
    lead: np.ndarray
    rare: np.ndarray
    days: np.ndarray  # days between publication dates (NaN: a date is missing)
    trust: np.ndarray  # how much the dates may move the score
    facets: Mapping[str, np.ndarray]  # agreement per facet (NaN: neutral)


def date_factors(signals: PairSignals, cfg: Config) -> np.ndarray:
    """Return each pair's date decay multiplier (1.0 when a date is missing or untrusted)."""
    decay = 1.0 - date_decay(np.nan_to_num(signals.days), cfg)
    return np.where(np.isnan(signals.days), 1.0, 1.0 - decay * signals.trust)


def undated(signals: PairSignals) -> np.ndarray:
    """Return which pairs have no trusted publication dates on both sides (no date evidence)."""
    mask: np.ndarray = np.isnan(signals.days) | (signals.trust <= 0.0)
    return mask


def facet_weights(signals: PairSignals, weights: PairWeights) -> dict[str, np.ndarray]:
    """Return each facet's weight per pair: its configured weight, plus ``weights.undated`` for
    who and where when the pair has no date evidence."""
    extra = np.where(undated(signals), weights.undated, 0.0)
    return {
        facet: getattr(weights, facet) + (extra if facet in ("who", "where") else 0.0 * extra)
        for facet in FACETS
    }


def facet_factors(signals: PairSignals, weights: PairWeights) -> np.ndarray:
    """Return each pair's specific-evidence multiplier: the product over facets of
    ``1 - weight * (1 - agreement)`` (a facet a document lacks counts 1)."""
    out = np.ones(len(signals.rows_a))
    for facet, weight in facet_weights(signals, weights).items():
        sim = signals.facets[facet]
        out *= np.where(np.isnan(sim), 1.0, 1.0 - weight * (1.0 - np.nan_to_num(sim)))
    return out


def specific_agreement(signals: PairSignals) -> np.ndarray:
    """Return each pair's agreement on names and places: the mean of the who and where
    agreements, a facet a document lacks counting 0."""
    agreement: np.ndarray = (
        np.nan_to_num(signals.facets["who"]) + np.nan_to_num(signals.facets["where"])
    ) / 2.0
    return agreement


def combine(signals: PairSignals, cfg: Config) -> np.ndarray:
    """Return the combined score of every pair: the weighted signals plus the points of agreeing
    names and places, times the date and facet multipliers."""
    w = cfg.weights
    base = (
        w.body * signals.body
        + w.title * signals.title
        + w.rare * signals.rare
        + w.lead * signals.lead
        + w.specific * specific_agreement(signals)
    )
    scores: np.ndarray = base * date_factors(signals, cfg) * facet_factors(signals, w)
    return scores


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 15)
    except (ValueError, IndexError):
        return None


def date_decay(days: np.ndarray, cfg: Config) -> np.ndarray:
    """Return the date multiplier for gaps of ``days``: 1 for the same day, down to
    ``1 - date_weight`` for far apart."""
    factor: np.ndarray = 1.0 - cfg.date_weight * (1.0 - np.exp(-days / cfg.date_tau_days))
    return factor


def date_factor(a: date | None, b: date | None, cfg: Config) -> tuple[float, float | None]:
    """Return the date decay multiplier for two dates (1.0 when either is unknown) and the gap in days."""
    if a is None or b is None:
        return 1.0, None
    days = float(abs((a - b).days))
    return float(date_decay(np.array(days), cfg)), days


def titles_fuzzy(titles: Sequence[str], rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Return how alike the titles of each pair ``(rows_a[n], rows_b[n])`` are, in [0, 1] (0 when
    one is empty), computed by rapidfuzz over all the pairs at once.

    Titles of fewer than three words (the shorter one) compare character by character
    (``fuzz.ratio``): ``token_set_ratio`` is 100 whenever one short title is a subset of the
    other. Longer ones blend the token set ratio (weight ``min(1, words / 6)``) with the token
    sort ratio (the rest).
    """
    a = [titles[i] for i in rows_a.tolist()]
    b = [titles[j] for j in rows_b.tolist()]
    words = np.array([len(t.split()) for t in titles], dtype=np.int64)
    shorter = np.minimum(words[rows_a], words[rows_b]).astype(np.float64)
    out = np.zeros(len(a), dtype=np.float64)
    if not a:
        return out
    both = np.fromiter((bool(x and y) for x, y in zip(a, b, strict=True)), np.bool_, len(a))
    short = both & (shorter < 3)
    long = both & ~short
    out[short] = _pair_scores(fuzz.ratio, a, b, short) / 100.0
    share = shorter[long]
    out[long] = _pair_scores(fuzz.token_set_ratio, a, b, long) / 100.0 * np.minimum(
        1.0, share / 6.0
    ) + _pair_scores(fuzz.token_sort_ratio, a, b, long) / 100.0 * np.maximum(0.0, 1.0 - share / 6.0)
    return out


def _pair_scores(
    scorer: Callable[..., float], a: Sequence[str], b: Sequence[str], where: np.ndarray
) -> np.ndarray:
    """Return ``scorer`` of the pairs ``(a[n], b[n])`` picked by ``where`` (float64)."""
    picked = np.flatnonzero(where).tolist()
    if not picked:
        return np.zeros(0, dtype=np.float64)
    return np.asarray(
        cpdist([a[n] for n in picked], [b[n] for n in picked], scorer=scorer, dtype=np.float64),
        dtype=np.float64,
    )


_CAPITALIZED = re.compile(r"[A-Z][A-Za-z'\u2019-]+")
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,.]*\d(?![\w])|(?<![\w.,])\d(?![\w.,])")
_SENTENCE_START = re.compile(r"(^|[.!?\"\u201c\u201d:;(\[\n-])\s*$")


def name_terms(text: str) -> set[str]:
    """Return capitalized words that are not sentence-initial (names, places) and numbers, as
    ``n:``/``#:`` terms."""
    out: set[str] = set()
    for m in _CAPITALIZED.finditer(text):
        if not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]) and m.start() > 0:
            out.add("n:" + m.group().casefold().replace("\u2019s", "").replace("'s", ""))
    for m in _NUMBER.finditer(text):
        out.add("#:" + m.group().replace(",", ""))
    return out


def _terms(doc: Doc) -> frozenset[str]:
    """Return the terms pair scoring compares: tokens, and names outside Arabic."""
    if doc.lang == "ar":
        return frozenset(doc.tokens)
    return frozenset(doc.tokens).union(name_terms(f"{doc.title.value or ''}\n{doc.body}"))


def _date_trust(docs: Sequence[Doc]) -> list[float]:
    """Return how much each document's date may move a score: its confidence, except for a date
    read from the text that a large share of the corpus carries across many outlets (the day the
    pages were saved, not the day of the events)."""
    n = len(docs)
    outlets: dict[str, set[str]] = {}
    for d in docs:
        if d.date.value and d.date.source != FoundSource.FIELD:
            outlets.setdefault(d.date.value, set()).add(d.outlet.value or d.id)
    common = {v for v, outs in outlets.items() if n >= 20 and len(outs) >= max(3, 0.05 * n)}
    return [
        0.0
        if not d.date.value or (d.date.source != FoundSource.FIELD and d.date.value in common)
        else d.date.confidence
        for d in docs
    ]


@dataclass(frozen=True, eq=False)
class DocFeatures:
    """What pair scoring reads of each document on its own: its terms (tokens, and names outside
    Arabic), its day and its who/where/when/how-many facets, in document order.

    The terms are numbered: ``words`` holds each distinct term once, and document ``d``'s terms
    are ``words[k]`` for ``k`` in ``term_ids[terms_at[d]:terms_at[d + 1]]`` (a set of strings per
    document took ~50 bytes per term: 260 MiB for 27,000 articles, against 4 bytes here).
    Computed per slice of the corpus and joined with :meth:`concat` (the Dask engine computes the
    slices on its workers); the corpus-wide parts of scoring are in :class:`PairScorer`.
    """

    words: tuple[str, ...]
    terms_at: npt.NDArray[np.int64]
    term_ids: npt.NDArray[np.int32]
    days: tuple[date | None, ...]
    facets: tuple[Facets, ...]

    @classmethod
    def of(cls, docs: Sequence[Doc]) -> DocFeatures:
        """Return the features of ``docs``."""
        return cls.numbered(
            map(_terms, docs),
            tuple(_parse_day(d.date.value) for d in docs),
            tuple(doc_facets(d) for d in docs),
        )

    @classmethod
    def numbered(
        cls,
        terms: Iterable[Iterable[str]],
        days: tuple[date | None, ...],
        facets: tuple[Facets, ...],
    ) -> DocFeatures:
        """Return the features of documents with the (distinct) ``terms`` of each, in order."""
        vocab: dict[str, int] = {}
        number = vocab.setdefault
        ids: list[int] = []
        sizes: list[int] = []
        for row in terms:
            before = len(ids)
            ids.extend([number(t, len(vocab)) for t in row])
            sizes.append(len(ids) - before)
        return cls(tuple(vocab), _offsets(sizes), np.array(ids, dtype=np.int32), days, facets)

    def __len__(self) -> int:
        return len(self.days)

    def __eq__(self, other: object) -> bool:
        """Equal when each document has the same terms, day and facets (however numbered)."""
        if not isinstance(other, DocFeatures):
            return NotImplemented
        return (
            self.days == other.days
            and self.facets == other.facets
            and all(self.terms(d) == other.terms(d) for d in range(len(self)))
        )

    __hash__ = None  # type: ignore[assignment]

    def terms(self, d: int) -> frozenset[str]:
        """Return the terms of document ``d``."""
        lo, hi = self.terms_at[d], self.terms_at[d + 1]
        return frozenset(self.words[k] for k in self.term_ids[lo:hi].tolist())

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle as the fields; :func:`_arrived` rebuilds them where they arrive."""
        return _arrived, (self.words, self.terms_at, self.term_ids, self.days, self.facets)

    @classmethod
    def concat(cls, *parts: DocFeatures) -> DocFeatures:
        """Return the features of the slices ``parts``, in that order."""
        vocab: dict[str, int] = {}
        number = vocab.setdefault
        ids = [
            np.fromiter((number(w, len(vocab)) for w in p.words), np.int32, len(p.words))[
                p.term_ids
            ]
            for p in parts
        ]
        sizes = np.concatenate([np.diff(p.terms_at) for p in parts] or [np.zeros(0, np.int64)])
        return cls(
            tuple(vocab),
            _offsets(sizes),
            np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32),
            tuple(d for p in parts for d in p.days),
            tuple(f for p in parts for f in p.facets),
        )

    def encoded(self) -> list[bytes]:
        """Return each document's features as bytes (:meth:`decoded` reads them back)."""
        return [
            zlib.compress(
                json.dumps(
                    [
                        sorted(self.terms(k)),
                        d.isoformat() if d else None,
                        [sorted(f.of(x)) for x in FACETS],
                    ],
                    ensure_ascii=False,
                ).encode("utf-8"),
                1,
            )
            for k, (d, f) in enumerate(zip(self.days, self.facets, strict=True))
        ]

    @classmethod
    def decoded(cls, blobs: Sequence[bytes]) -> DocFeatures:
        """Return the features of the documents :meth:`encoded` as ``blobs``, in that order."""
        rows = [json.loads(zlib.decompress(b)) for b in blobs]
        return cls.numbered(
            (map(sys.intern, t) for t, _, _ in rows),
            tuple(date.fromisoformat(d) if d else None for _, d, _ in rows),
            tuple(Facets(*map(_interned, f)) for _, _, f in rows),
        )


def _offsets(sizes: Sequence[int] | npt.NDArray[np.generic]) -> npt.NDArray[np.int64]:
    """Return where each of the consecutive runs of ``sizes`` starts, and the end (of a mask:
    how many are marked before each position)."""
    at = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=at[1:])
    return at


def _rare_terms(
    feats: DocFeatures, rare: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Return the rare terms (``rare[k]``) of each document, as :class:`DocFeatures` holds
    terms (offsets, term numbers), each document's in the order of their words."""
    keep = rare[feats.term_ids]
    ids = feats.term_ids[keep]
    at = _offsets(keep)[feats.terms_at]
    words = np.flatnonzero(rare).tolist()
    rank = np.zeros(len(feats.words), dtype=np.int64)
    rank[sorted(words, key=feats.words.__getitem__)] = np.arange(len(words), dtype=np.int64)
    doc = np.repeat(np.arange(len(feats), dtype=np.int64), np.diff(at))
    return at, ids[np.lexsort((rank[ids], doc))]


def _interned(words: Iterable[str]) -> frozenset[str]:
    """Return ``words`` as a set of the process's one string per word (:func:`sys.intern`)."""
    return frozenset(map(sys.intern, words))


def _arrived(
    words: tuple[str, ...],
    terms_at: npt.NDArray[np.int64],
    term_ids: npt.NDArray[np.int32],
    days: tuple[date | None, ...],
    facets: tuple[Facets, ...],
) -> DocFeatures:
    """Return the features of :meth:`DocFeatures.__reduce__` with each word one string of this
    process (a string that arrives from another process is a copy of its own, where the
    documents' tokens are already interned here)."""
    return DocFeatures(
        tuple(map(sys.intern, words)),
        terms_at,
        term_ids,
        days,
        tuple(Facets(*(_interned(f.of(x)) for x in FACETS)) for f in facets),
    )


def _frequencies(
    feats: DocFeatures, corpus: CorpusFrequencies | None
) -> tuple[npt.NDArray[np.int64], int]:
    """Return the document frequency of every term of ``feats.words`` and the corpus size:
    counted in the documents themselves, or taken from ``corpus`` where it counts the term (a name
    outside the body's tokens keeps its count here)."""
    df = np.bincount(feats.term_ids, minlength=len(feats.words)).astype(np.int64)
    if corpus is None:
        return df, len(feats)
    known = np.fromiter((corpus.df.get(w, 0) for w in feats.words), np.int64, len(feats.words))
    return np.maximum(df, known), max(len(feats), corpus.n_docs)


class PairScorer:
    """Score document pairs from the vectors and docs of one run.

    ``features``: those of ``docs`` (:class:`DocFeatures`) when already computed.
    """

    def __init__(
        self,
        docs: Sequence[Doc],
        vectors: Vectors,
        cfg: Config,
        features: DocFeatures | None = None,
    ) -> None:
        feats = features or DocFeatures.of(docs)
        self.ids = [d.id for d in docs]
        self.cfg = cfg
        self.x = vectors.matrix
        self.t = vectors.title_matrix
        self.lead = vectors.lead_matrix
        df, n = _frequencies(feats, vectors.corpus)
        # "rare" = in at most ~2% of a large corpus, and in at most two documents of a small one
        rare = df <= max(2.0, 0.02 * n)
        self.words = feats.words
        self.word_idf = idf_weights(df, n, cfg.idf_prior, IDF_PRIOR_RATE)
        self.rare_at, self.rare_ids = _rare_terms(feats, rare)
        self.rare_matrix = self._rare_matrix()
        self.days = feats.days
        self.day_conf = _date_trust(docs)
        self.titles = [d.norm_title for d in docs]
        self.facets = feats.facets
        self.facet_rows = facet_matrices(feats.facets, cfg.idf_prior)

    def for_pairs(self) -> PairScorer:
        """Return a copy that scores pairs (:meth:`signals`, :meth:`score`) without the terms of
        each document and their idf (what only :meth:`shared_rare` reads): the part to send where
        pairs are scored."""
        lean = copy.copy(self)
        lean.words, lean.word_idf = (), np.zeros(0, dtype=np.float32)
        lean.rare_at, lean.rare_ids = np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32)
        return lean

    def _rare_matrix(self) -> sparse.csr_matrix:
        # row a, term t: sqrt(idf_t / W_a) with W_a the summed idf of a's rare terms, so that the
        # dot product of two rows is sum(idf of shared rare terms) / sqrt(W_a * W_b); each row's
        # terms in word order, the columns numbered as the terms first appear
        ids, at = self.rare_ids, self.rare_at
        weights = self.word_idf[ids].astype(np.float64)
        listed = weights.tolist()
        totals = [
            sum(listed[lo:hi]) for lo, hi in zip(at[:-1].tolist(), at[1:].tolist(), strict=True)
        ]
        seen, first = np.unique(ids, return_index=True)
        column = np.zeros(len(self.words), dtype=np.int64)
        column[seen[np.argsort(first)]] = np.arange(seen.size, dtype=np.int64)
        data = np.sqrt(weights / np.repeat(np.asarray(totals, dtype=np.float64), np.diff(at)))
        return sparse.csr_matrix(
            (data, column[ids], at.copy()), shape=(at.size - 1, max(1, seen.size))
        )

    def rare_terms(self, d: int) -> frozenset[str]:
        """Return the rare terms of document ``d``."""
        return frozenset(self.words[k] for k in self._rare_of(d))

    def idf(self, term: str) -> float:
        """Return the idf of ``term`` (a term of the documents scored)."""
        return float(self.word_idf[self._numbers[term]])

    @cached_property
    def _day_numbers(self) -> npt.NDArray[np.float64]:
        """Each document's day as a day number (NaN: no day)."""
        return np.array(
            [np.nan if d is None else d.toordinal() for d in self.days], dtype=np.float64
        )

    @cached_property
    def _numbers(self) -> dict[str, int]:
        return {w: k for k, w in enumerate(self.words)}

    def _rare_of(self, d: int) -> list[int]:
        return cast(list[int], self.rare_ids[self.rare_at[d] : self.rare_at[d + 1]].tolist())

    def shared_rare(self, i: int, j: int) -> list[str]:
        """Return the rare terms two documents share, rarest first."""
        shared = set(self._rare_of(i)).intersection(self._rare_of(j))
        return [
            self.words[k] for k in sorted(shared, key=lambda k: (-self.word_idf[k], self.words[k]))
        ]

    def signals(self, rows_a: np.ndarray, rows_b: np.ndarray) -> PairSignals:
        """Return every signal of the pairs ``(rows_a[n], rows_b[n])``."""
        fuzzy_floor = self.cfg.weights.fuzzy_floor
        # unrelated titles in one language already share ~half their characters: only a high
        # fuzzy ratio is evidence, so rescale [fuzzy_floor, 1] to [0, 1]
        fuzzy = np.maximum(
            0.0, (titles_fuzzy(self.titles, rows_a, rows_b) - fuzzy_floor) / (1.0 - fuzzy_floor)
        )
        days = np.abs(self._day_numbers[rows_a] - self._day_numbers[rows_b])
        conf = np.asarray(self.day_conf)
        # a date we are unsure of (e.g. the day a page was saved) should barely move the score
        return PairSignals(
            rows_a=rows_a,
            rows_b=rows_b,
            body=_rowwise_dot(self.x, rows_a, rows_b),
            title=np.maximum(_rowwise_dot(self.t, rows_a, rows_b), fuzzy),
            lead=_rowwise_dot(self.lead, rows_a, rows_b),
            rare=_rowwise_dot(self.rare_matrix, rows_a, rows_b),
            days=days,
            trust=np.minimum(conf[rows_a], conf[rows_b]) if len(rows_a) else np.zeros(0),
            facets=facet_similarities(
                self.facets, rows_a, rows_b, self.cfg.idf_prior, self.facet_rows
            ),
        )

    def score(self, i: int, j: int) -> PairScore:
        """Return the combined score of documents ``i`` and ``j`` (row indices) with its signals."""
        sig = self.signals(np.array([i]), np.array([j]))
        facets = {f: None if np.isnan(v[0]) else float(v[0]) for f, v in sig.facets.items()}
        days = float(sig.days[0])
        return PairScore(
            self.ids[i],
            self.ids[j],
            float(combine(sig, self.cfg)[0]),
            float(sig.body[0]),
            float(sig.title[0]),
            float(sig.rare[0]),
            float(sig.lead[0]),
            float(date_factors(sig, self.cfg)[0]),
            None if math.isnan(days) else days,
            facets,
            float(facet_factors(sig, self.cfg.weights)[0]),
            {f: float(v[0]) for f, v in facet_weights(sig, self.cfg.weights).items()},
            float(specific_agreement(sig)[0]),
        )


def candidate_pairs(
    matrix: sparse.csr_matrix, k: int, floor: float = MIN_CANDIDATE, rows: range | None = None
) -> dict[tuple[int, int], float]:
    """Return up to ``k`` most similar neighbours per row as {(i, j): cosine} with i < j (chunked
    sparse products).

    ``rows`` limits the search to the neighbours of those rows (default: all); a row's
    neighbours do not depend on the other rows, so the union over ranges that cover every row,
    keeping the larger cosine of a pair, is the result for all rows.
    """
    rows = range(matrix.shape[0]) if rows is None else rows
    return neighbour_pairs(matrix[rows.start : rows.stop], rows.start, transposed(matrix), k, floor)


def transposed(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Return ``matrix.T`` in CSR: the right operand of every product of the neighbour search
    (built once; a product with the CSC view would convert it again each time)."""
    return matrix.T.tocsr()


def neighbour_pairs(
    rows: sparse.csr_matrix, first: int, xt: sparse.csr_matrix, k: int, floor: float
) -> dict[tuple[int, int], float]:
    """Return :func:`candidate_pairs` of the rows ``rows`` (rows ``first``... of a matrix whose
    :func:`transposed` is ``xt``): only these rows and the transposed matrix are read."""
    i, j, v = _neighbours(rows, first, xt, k, floor)
    keys = i * np.int64(max(xt.shape[1], 1)) + j
    order = np.lexsort((-v, keys))  # each pair's largest value first
    first_of = np.ones(order.size, dtype=np.bool_)
    first_of[1:] = keys[order][1:] != keys[order][:-1]
    best = order[first_of]
    return dict(
        zip(zip(i[best].tolist(), j[best].tolist(), strict=True), v[best].tolist(), strict=True)
    )


def _neighbours(
    rows: sparse.csr_matrix, first: int, xt: sparse.csr_matrix, k: int, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each of the rows' ``k`` most similar neighbours of cosine at least ``floor`` as
    pairs ``(i, j)`` with ``i < j`` and their cosines: three arrays, a pair found from both of its
    rows listed twice.

    The product keeps only each row's ``k + 1`` largest cosines of at least ``floor`` as it goes
    (sparse_dot_topn, two threads): the cosines of a row with every document are never held.
    """
    none = np.empty(0, dtype=np.int64)
    if rows.shape[0] == 0 or xt.shape[1] == 0 or rows.nnz == 0 or xt.nnz == 0:
        return none, none, np.empty(0, dtype=np.float64)
    kind = np.result_type(rows.dtype, xt.dtype, np.float32).type
    below = np.nextafter(kind(floor), kind(-np.inf))  # the product keeps cosines above a threshold
    rows, xt = rows.astype(kind, copy=False), xt.astype(kind, copy=False)
    frequent = np.diff(xt.indptr) > CANDIDATE_DF_CAP
    if frequent.any():
        best = _ranked_without(rows, xt, frequent, k, float(below))
    else:
        best = sp_matmul_topn(
            rows,
            xt,
            top_n=k + 1,  # (the row itself among them)
            threshold=float(below),
            n_threads=NEIGHBOUR_THREADS,
        )
    return _top_neighbours(best, first, k, floor)


def _terms_kept(matrix: sparse.csr_matrix, keep: np.ndarray, *, columns: bool) -> sparse.csr_matrix:
    """Return ``matrix`` with only its columns (``columns``) or rows marked in ``keep``."""
    if columns:
        mask = keep[matrix.indices]
        return sparse.csr_matrix(
            (matrix.data[mask], matrix.indices[mask], _offsets(mask)[matrix.indptr]),
            shape=matrix.shape,
        )
    sizes = np.where(keep, np.diff(matrix.indptr), 0)
    mask = np.repeat(keep, np.diff(matrix.indptr))
    return sparse.csr_matrix(
        (matrix.data[mask], matrix.indices[mask], _offsets(sizes)), shape=matrix.shape
    )


def _ranked_without(
    rows: sparse.csr_matrix, xt: sparse.csr_matrix, frequent: np.ndarray, k: int, below: float
) -> sparse.csr_matrix:
    """Return each row's ``2k + 1`` best neighbours over the terms not ``frequent`` (the product
    leaves those out), with their whole cosines where they are above ``below``.

    The cosine over the frequent terms is added pair by pair: the rows' frequent columns times
    those of each neighbour found.
    """
    found = sp_matmul_topn(
        _terms_kept(rows, ~frequent, columns=True),
        _terms_kept(xt, ~frequent, columns=False),
        top_n=2 * k + 1,
        threshold=0.0,
        n_threads=NEIGHBOUR_THREADS,
    )
    row_of = np.repeat(np.arange(found.shape[0]), np.diff(found.indptr))
    whole = found.data + pair_dots(
        _terms_kept(rows, frequent, columns=True),
        row_of,
        _terms_kept(xt, frequent, columns=False).T.tocsr(),
        found.indices,
    ).astype(found.dtype)
    keep = whole > below
    indptr = np.zeros(found.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[keep], minlength=found.shape[0]), out=indptr[1:])
    return sparse.csr_matrix((whole[keep], found.indices[keep], indptr), shape=found.shape)


def _top_neighbours(
    block: sparse.csr_matrix, start: int, k: int, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each row's ``k`` most similar neighbours in ``block`` (rows ``start``...) as in
    :func:`_neighbours`.

    The rows are read all at once; a row whose ``k``-th and next neighbours are equally similar
    is read alone, as ``numpy.argpartition`` chooses between them.
    """
    if k < 1:
        none = np.empty(0, dtype=np.int64)
        return none, none, np.empty(0, dtype=block.dtype)
    row_of = np.repeat(np.arange(block.shape[0], dtype=np.int64), np.diff(block.indptr))
    cols, vals = block.indices.astype(np.int64), block.data
    keep = (cols != start + row_of) & (vals >= floor)
    kept_rows, kept_cols, kept_vals = row_of[keep], cols[keep], vals[keep]  # (in row order)
    order = np.lexsort((-kept_vals, kept_rows))  # by row, the most similar first
    row_of, cols, vals = kept_rows[order], kept_cols[order], kept_vals[order]
    rank = np.arange(row_of.size) - np.searchsorted(row_of, row_of)
    after = np.flatnonzero(rank == k)  # the first neighbour past the k best, in rows with more
    tied = row_of[after[vals[after] == vals[after - 1]]]
    top = (rank < k) & ~np.isin(row_of, tied)
    parts = [(start + row_of[top], cols[top], vals[top])]
    for r in tied.tolist():
        lo, hi = np.searchsorted(kept_rows, [r, r + 1])
        best = lo + np.argpartition(-kept_vals[lo:hi], k - 1)[:k]
        parts.append((np.full(k, start + r, dtype=np.int64), kept_cols[best], kept_vals[best]))
    a, b, v = (np.concatenate(p) for p in zip(*parts, strict=True))
    return np.minimum(a, b), np.maximum(a, b), v


def _edge_sums(n: int, edges: Mapping[tuple[int, int], float]) -> list[dict[int, float]]:
    """Return each node's positive edge weights by neighbour (both directions)."""
    sums: list[dict[int, float]] = [{} for _ in range(n)]
    for (i, j), w in edges.items():
        if w > 0:
            sums[i][j] = sums[i].get(j, 0.0) + w
            sums[j][i] = sums[j].get(i, 0.0) + w
    return sums


def _fold(sums: list[dict[int, float]], a: int, b: int) -> None:
    """Fold node ``b``'s summed edge weights into node ``a``'s."""
    for nb, s in sums[b].items():
        if nb == a:
            continue
        sums[a][nb] = sums[a].get(nb, 0.0) + s
        sums[nb][a] = sums[nb].get(a, 0.0) + s
        del sums[nb][b]
    sums[a].pop(b, None)
    sums[b] = {}


class _Linkage:
    """The state of average linkage: groups, their summed edge weights and forbidden merges."""

    def __init__(self, n: int, edges: Mapping[tuple[int, int], float]) -> None:
        self.uf = UnionFind(n)
        self.size = [1] * n
        self.sums = _edge_sums(n, edges)
        self.forbidden: list[set[int]] = [set() for _ in range(n)]

    def forbid(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Never merge the groups of these pairs."""
        for i, j in pairs:
            a, b = self.uf.find(i), self.uf.find(j)
            if a == b:
                log.warning("constraints: a cannot-link pair is must-linked too; must-link wins")
                continue
            self.forbidden[a].add(b)
            self.forbidden[b].add(a)

    def merge(self, i: int, j: int) -> int:
        """Merge the groups of representatives ``i`` and ``j``; return the new representative."""
        a, b = (i, j) if i < j else (j, i)  # the lower index stays the representative
        self.uf.union(a, b)
        self.size[a] += self.size[b]
        _fold(self.sums, a, b)
        for other in self.forbidden[b]:
            self.forbidden[other].discard(b)
            self.forbidden[other].add(a)
        self.forbidden[a] |= self.forbidden[b]
        self.forbidden[b] = set()
        return a

    def pushes(self, a: int, threshold: float, above: int = -1) -> list[tuple[float, int, int]]:
        """Return the heap entries of group ``a`` with every neighbour at or above ``threshold``
        (with ``above``, only the neighbours of a higher index: each pair once when every group's
        entries are listed)."""
        out = []
        size, forbidden = self.size[a], self.forbidden[a]
        for nb, s in self.sums[a].items():
            if nb <= above:
                continue
            avg = s / (size * self.size[nb])
            if avg >= threshold and nb not in forbidden:
                out.append((-avg, a, nb) if a < nb else (-avg, nb, a))
        return out


def average_linkage(
    n: int,
    edges: Mapping[tuple[int, int], float],
    threshold: float,
    constraints: IndexConstraints | None = None,
) -> list[list[int]]:
    """Merge nodes by average linkage over a sparse graph (absent edges weigh 0) until no pair
    reaches ``threshold``; return the groups, sorted by their first node.

    ``constraints`` merge must-link pairs first and keep cannot-link pairs apart.
    """
    link = _Linkage(n, edges)
    if constraints is not None:
        for i, j in constraints.must_link:
            a, b = link.uf.find(i), link.uf.find(j)
            if a != b:
                link.merge(a, b)
        link.forbid(constraints.cannot_link)
    heap = [
        entry for a in range(n) if link.uf.find(a) == a for entry in link.pushes(a, threshold, a)
    ]
    heapq.heapify(heap)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if link.uf.find(i) != i or link.uf.find(j) != j or j in link.forbidden[i]:
            continue  # one side was merged into another group, or the merge is forbidden
        current = link.sums[i].get(j, 0.0) / (link.size[i] * link.size[j])
        # a stale entry (the pair's average changed since it was pushed), or below the threshold
        if abs(current + neg) > 1e-12 or current < threshold:
            continue
        for entry in link.pushes(link.merge(i, j), threshold):
            heapq.heappush(heap, entry)
    return sorted(link.uf.groups(min_size=1).values(), key=lambda g: g[0])


def _rowwise_dot(m: sparse.csr_matrix | None, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Return the row-wise dot products of ``m[rows_a]`` and ``m[rows_b]`` (zeros when absent)."""
    if m is None:
        return np.zeros(len(rows_a), dtype=np.float64)
    return row_pair_dots(m, rows_a, rows_b)


def _features_of(bounds: tuple[int, int]) -> DocFeatures:
    """Return the features of documents ``bounds[0]:bounds[1]`` of those given to this worker."""
    docs = cast(Sequence[Doc], shared_value())
    return DocFeatures.of(docs[bounds[0] : bounds[1]])


def _scored(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the pairs ``bounds[0]:bounds[1]`` of those given to this worker that score above
    zero, and their scores (:func:`edges_of` as arrays)."""
    scorer, rows_a, rows_b = cast(tuple[PairScorer, np.ndarray, np.ndarray], shared_value())
    lo, hi = bounds
    signals = scorer.signals(rows_a[lo:hi], rows_b[lo:hi])
    scores = combine(signals, scorer.cfg)
    keep = scores > 0
    return signals.rows_a[keep], signals.rows_b[keep], scores[keep]


def _spans(n: int, size: int) -> list[tuple[int, int]]:
    return [(lo, min(n, lo + size)) for lo in range(0, n, size)]


def _parallel_edges(
    docs: Sequence[Doc], vectors: Vectors, cfg: Config, features: DocFeatures | None, jobs: int
) -> tuple[PairScorer, dict[tuple[int, int], float]]:
    """:func:`score_graph` on ``jobs`` worker processes: the documents' features computed on them
    while this process searches the candidates, then the candidate pairs scored on them in
    batches; the same edges, in the same order, as one process finds."""
    if features is None:
        with sharing_pool(jobs, docs) as pool:
            parts = pool.map(_features_of, _spans(len(docs), FEATURE_BATCH))
            rows_a, rows_b = _candidate_rows(vectors, cfg)
            features = DocFeatures.concat(*parts)
    else:
        rows_a, rows_b = _candidate_rows(vectors, cfg)
    scorer = PairScorer(docs, vectors, cfg, features)
    scorer.signals(rows_a[:0], rows_b[:0])  # (compiles the pair kernels before the workers fork)
    edges: dict[tuple[int, int], float] = {}
    with sharing_pool(jobs, (scorer, rows_a, rows_b)) as pool:
        for a, b, s in pool.map(_scored, _spans(len(rows_a), SIGNAL_BATCH)):
            edges.update(zip(zip(a.tolist(), b.tolist(), strict=True), s.tolist(), strict=True))
    return scorer, edges


def candidate_signals(
    docs: Sequence[Doc], vectors: Vectors, cfg: Config, features: DocFeatures | None = None
) -> tuple[PairScorer, PairSignals]:
    """Return the scorer and the signals of every candidate pair.

    Candidates: nearest neighbours by body, plus pairs whose titles alone are close (short bodies,
    or a body that is mostly quotes); every signal is then computed for all of them.
    """
    scorer = PairScorer(docs, vectors, cfg, features)
    rows_a, rows_b = _candidate_rows(vectors, cfg)
    return scorer, scorer.signals(rows_a, rows_b)


def candidate_keys(vectors: Vectors, cfg: Config, rows: range | None = None) -> np.ndarray:
    """Return the candidate pairs of :func:`candidate_signals` found from ``rows`` (default: all;
    see :func:`candidate_pairs`) as :func:`candidate_keys_of` does."""
    rows = range(vectors.matrix.shape[0]) if rows is None else rows
    title = vectors.title_matrix
    return candidate_keys_of(
        vectors.matrix[rows.start : rows.stop],
        transposed(vectors.matrix),
        None if title is None else (title[rows.start : rows.stop], transposed(title)),
        rows.start,
        cfg,
    )


def candidate_keys_of(
    body: sparse.csr_matrix,
    body_t: sparse.csr_matrix,
    title: tuple[sparse.csr_matrix, sparse.csr_matrix] | None,
    first: int,
    cfg: Config,
) -> np.ndarray:
    """Return :func:`candidate_keys` of the rows ``first``... given as their body rows and their
    title rows (with the :func:`transposed` matrices of all rows): what a task holding one slice
    of the rows computes. The pairs ``(i, j)``, ``i < j``, of the ``n`` rows come as their sorted
    keys ``i * n + j``, each once (arrays, not a set of tuples: millions of pairs at scale)."""
    n = np.int64(body_t.shape[1])
    i, j, _ = _neighbours(body, first, body_t, cfg.neighbors, MIN_CANDIDATE)
    keys = [i * n + j]
    if title is not None and body_t.shape[1] > 1:
        i, j, _ = _neighbours(title[0], first, title[1], max(3, cfg.neighbors // 4), 0.3)
        keys.append(i * n + j)
    return np.unique(np.concatenate(keys))


def _candidate_rows(vectors: Vectors, cfg: Config) -> tuple[np.ndarray, np.ndarray]:
    """Return every candidate pair of the rows of ``vectors`` in order, as two arrays of row
    indices (:func:`candidate_keys` of all rows, read by :func:`key_rows`)."""
    return key_rows(candidate_keys(vectors, cfg), vectors.matrix.shape[0])


def key_rows(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the pairs of sorted keys ``i * n + j`` (:func:`candidate_keys_of`) as two arrays of
    row indices (first, second), in order."""
    return keys // np.int64(n), keys % np.int64(n)


def edges_of(signals: PairSignals, scores: np.ndarray) -> dict[tuple[int, int], float]:
    """Return the positive scores as graph edges {(i, j): score}."""
    return {
        (int(i), int(j)): float(s)
        for i, j, s in zip(signals.rows_a, signals.rows_b, scores, strict=True)
        if s > 0
    }


def score_graph(
    docs: Sequence[Doc],
    vectors: Vectors,
    cfg: Config,
    features: DocFeatures | None = None,
    jobs: int = 1,
) -> tuple[PairScorer, dict[tuple[int, int], float]]:
    """Return the scorer and the combined scores of every candidate pair (``features``: those of
    ``docs``, when already known), on ``jobs`` worker processes (the same result for any)."""
    if jobs > 1 and len(docs) > FEATURE_BATCH:
        return _parallel_edges(docs, vectors, cfg, features, jobs)
    scorer, signals = candidate_signals(docs, vectors, cfg, features)
    return scorer, edges_of(signals, combine(signals, cfg))


def _cluster_id(members: Iterable[str], prefix: str) -> str:
    # content-addressed: the same members give the same id whatever the input order; 64 bits keep
    # collisions out of reach even for millions of clusters
    key = "\x1f".join(sorted(members)).encode("utf-8")
    return f"{prefix}-{hashlib.blake2b(key, digest_size=8).hexdigest()}"


def _cohesions(
    groups: Sequence[Sequence[int]], edges: Mapping[tuple[int, int], float]
) -> list[float]:
    """Return each group's mean pair score (absent edges count 0; 1.0 for a single document)."""
    group_of = {node: g for g, group in enumerate(groups) for node in group}
    totals = [0.0] * len(groups)
    for (a, b), w in edges.items():
        if group_of[a] == group_of[b]:
            totals[group_of[a]] += w
    return [
        1.0 if len(group) < 2 else totals[g] / (len(group) * (len(group) - 1) / 2)
        for g, group in enumerate(groups)
    ]


def weakest_links(
    groups: Sequence[Sequence[int]], edges: Mapping[tuple[int, int], float]
) -> list[tuple[int, int, float] | None]:
    """Return each group's weakest link: the lowest edge of its maximum spanning tree (the pair
    whose score the group's cohesion hangs on), with score 0 when a must-link alone joins it;
    None for a single node."""
    group_of = {node: g for g, group in enumerate(groups) for node in group}
    inside = sorted(
        ((w, i, j) for (i, j), w in edges.items() if group_of[i] == group_of[j]),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    uf = UnionFind(len(group_of) and max(group_of) + 1)
    weakest: list[tuple[int, int, float] | None] = [None] * len(groups)
    joined = [1] * len(groups)
    for w, i, j in inside:
        if uf.find(i) != uf.find(j):
            uf.union(i, j)
            weakest[group_of[i]] = (i, j, w)
            joined[group_of[i]] += 1
    for g, group in enumerate(groups):
        if len(group) > 1 and joined[g] < len(group):  # not connected by edges: a must-link
            parts = {uf.find(x): x for x in group}
            first, second = sorted(parts.values())[:2]
            weakest[g] = (first, second, 0.0)
    return weakest


@dataclass(frozen=True, slots=True)
class Event:
    """One group of kept documents (node indices) with what its Cluster record needs."""

    nodes: Sequence[int]
    id: str
    members: tuple[str, ...]
    kept: tuple[str, ...]
    cohesion: float
    weakest: WeakLink | None


def _events(
    groups: Sequence[Sequence[int]],
    docs: Sequence[Doc],
    edges: Mapping[tuple[int, int], float],
    duplicates: Mapping[str, str],
) -> list[Event]:
    """Return one event per group: its kept documents, plus their duplicates as members."""
    by_original: dict[str, list[str]] = {}
    for dup, orig in duplicates.items():
        by_original.setdefault(orig, []).append(dup)
    events = []
    for group, cohesion, weak in zip(
        groups, _cohesions(groups, edges), weakest_links(groups, edges), strict=True
    ):
        kept = sorted(docs[i].id for i in group)
        members = sorted(kept + [d for k in kept for d in by_original.get(k, [])])
        link = None
        if weak is not None:
            a, b = sorted((docs[weak[0]].id, docs[weak[1]].id))
            link = WeakLink(a, b, round(weak[2], 4))
        events.append(
            Event(
                group,
                _cluster_id(members, "c"),
                tuple(members),
                tuple(kept),
                round(cohesion, 4),
                link,
            )
        )
    return events


def cluster_docs(
    vectors: Vectors,
    docs: Sequence[Doc],
    cfg: Config,
    duplicates: Mapping[str, str] | None = None,
    constraints: Constraints | None = None,
    features: DocFeatures | None = None,
    jobs: int = 1,
) -> tuple[list[Cluster], list[Story]]:
    """Group ``docs`` (the kept documents, in ``vectors.ids`` order) into events and stories.

    ``duplicates`` maps a dropped duplicate's id to its kept document's id; each duplicate joins its
    original's cluster. ``constraints`` (corrections) hold at both levels: must-link pairs share
    an event, cannot-link pairs share neither an event nor a story. Clusters are sorted by size
    (largest first), then by their first member; stories by their first cluster, and a story's
    clusters in that order too. ``features``: those of ``docs`` (:class:`DocFeatures`), when
    already known. Pairs are scored on ``jobs`` worker processes (the same result for any).
    """
    _, edges = score_graph(docs, vectors, cfg, features, jobs)
    return cluster_graph(edges, docs, cfg, duplicates, constraints)


def cluster_graph(
    edges: Mapping[tuple[int, int], float],
    docs: Sequence[Doc],
    cfg: Config,
    duplicates: Mapping[str, str] | None = None,
    constraints: Constraints | None = None,
) -> tuple[list[Cluster], list[Story]]:
    """Group ``docs`` into events and stories over their scored pairs ``edges`` (row indices of
    ``docs``): :func:`cluster_docs` once the graph is scored, with the same order of results.

    A merge at either level needs an edge at or above its threshold, so no event or story spans
    two connected components of the edges at or above ``min(threshold, story_threshold)``:
    clustering such components apart gives the same events and stories. Events alone
    (:func:`graph_events`) need only the components at ``threshold``; their stories
    (:func:`graph_stories`) then read every edge.
    """
    index = resolve(constraints or Constraints(), [d.id for d in docs], duplicates or {})
    events = graph_events(edges, docs, cfg, duplicates, index)
    return graph_stories(events, edges, cfg, index.cannot_link)


def graph_events(
    edges: Mapping[tuple[int, int], float],
    docs: Sequence[Doc],
    cfg: Config,
    duplicates: Mapping[str, str] | None = None,
    index: IndexConstraints | None = None,
) -> list[Event]:
    """Return the events of ``docs`` over ``edges`` (average linkage at ``cfg.threshold``,
    honouring the constraints ``index``), sorted by their first node."""
    groups = average_linkage(len(docs), edges, cfg.threshold, index)
    return _events(groups, docs, edges, duplicates or {})


def graph_stories(
    events: Sequence[Event],
    edges: Mapping[tuple[int, int], float],
    cfg: Config,
    cannot_link: Sequence[tuple[int, int]] = (),
) -> tuple[list[Cluster], list[Story]]:
    """Group ``events`` (:func:`graph_events`, sorted by their first node) into stories over the
    same ``edges``; return the clusters (by size, largest first, then first member) and the
    stories (by their first cluster)."""
    groups = [e.nodes for e in events]
    order = sorted(
        range(len(events)), key=lambda g: (-len(events[g].members), events[g].members[0])
    )
    rank = {g: r for r, g in enumerate(order)}
    story_of = [""] * len(events)
    stories: list[tuple[int, Story]] = []
    for sgroup in _story_groups(groups, edges, cfg.story_threshold, cannot_link):
        sid = _cluster_id([events[g].id for g in sgroup], "s")
        for g in sgroup:
            story_of[g] = sid
        in_order = sorted(sgroup, key=rank.__getitem__)
        stories.append((rank[in_order[0]], Story(sid, tuple(events[g].id for g in in_order))))
    clusters = [
        Cluster(
            id=events[g].id,
            members=events[g].members,
            kept=events[g].kept,
            cohesion=events[g].cohesion,
            story=story_of[g],
            weakest_link=events[g].weakest,
        )
        for g in order
    ]
    return clusters, [story for _, story in sorted(stories, key=lambda rs: rs[0])]


def _story_groups(
    groups: Sequence[Sequence[int]],
    edges: Mapping[tuple[int, int], float],
    threshold: float,
    cannot_link: Sequence[tuple[int, int]] = (),
) -> list[list[int]]:
    """Group events into stories (lists of indices into ``groups``): average linkage between
    events, at a lower threshold; events holding a cannot-link pair stay in different stories."""
    node_group = {node: g for g, group in enumerate(groups) for node in group}
    between: dict[tuple[int, int], float] = {}
    for (i, j), w in edges.items():
        gi, gj = node_group[i], node_group[j]
        if gi != gj:
            key = (gi, gj) if gi < gj else (gj, gi)
            between[key] = between.get(key, 0.0) + w
    # average linkage over events: turn sums into averages by member counts
    avg = {(a, b): s / (len(groups[a]) * len(groups[b])) for (a, b), s in between.items()}
    apart = tuple((node_group[i], node_group[j]) for i, j in cannot_link)
    return average_linkage(len(groups), avg, threshold, IndexConstraints(cannot_link=apart))
