"""Run the pipeline on a Dask cluster: the same stages, partitioned, and the same report.

Needs the ``dask`` extra (``pip install 'cluster-news[dask]'``); the local engine
(:mod:`clusterer.pipeline`) never imports this module. Stages, with ``P`` partitions of documents
and ``B`` blocks of the candidate graph:

1. ingest: a dask.bag with one partition per path given, read on the workers
   (:func:`~clusterer.ingest.read_part`), then split into ``P`` partitions;
2. repeated ids: each partition's ids (metadata) come to the client, which tells every
   partition which of its articles repeat an id seen earlier (what ``read_paths`` checks);
3. normalize: per partition, on the workers;
4. boilerplate and dedup (:func:`_prepared`), each on word-shingle fingerprints computed per
   partition (:func:`~clusterer.shingles.shingle_keys`) and shuffled by shingle: the sorted keys
   are cut into ``R`` ranges of shingle hashes, each range sorted on a worker; the ranges in
   order are the corpus's sorted keys, which one task turns into its fingerprints (as
   :func:`~clusterer.shingles.fingerprint_texts` does). Then

   a. copies inside outlets (:func:`~clusterer.boilerplate.find_copies`, one task: its
      candidate pairs read the document frequency of each shingle over the whole corpus);
   b. boilerplate learned and stripped per outlet: the documents shuffled by outlet into ``P``
      groups (a hash of the outlet key), each group learned on a worker, with the titles
      without the label its outlets repeat (learned per outlet too); each partition then
      takes its stripped documents and titles back;
   c. dedup (:func:`~clusterer.dedup.find_duplicates`, one task given the fingerprints:
      candidates, verification, passages and the union-find of duplicates).

   The prepared corpus stays partitioned (:class:`_Piece`: a partition's documents in both
   versions); only the dedup result and the boilerplate reports are global;
5. document frequencies of the kept documents (each partition's, in corpus order, cut where
   the partition lives): a tree reduction of per-partition counts, then the vocabulary and IDF
   once (equal to the local engine's global IDF);
6. TF-IDF rows per partition, stacked on a worker (row sums add up in one order either way);
7. candidate pairs: per partition, from its own TF-IDF rows and the transposed matrices of all
   rows (built once: each worker receives them once); a row's neighbours do not depend on the
   other rows;
8. pair scores: each document's terms, day and facets per partition
   (:class:`~clusterer.cluster.DocFeatures`), then the scorer (corpus-wide rare-term IDF, date
   trust, name and place rows) built once on a worker from them and from the documents' ids,
   days, outlets and titles (no text); what scoring reads of it
   (:meth:`~clusterer.cluster.PairScorer.for_pairs`) goes to each worker once, and the sorted
   candidate pairs are scored in chunks;
9. blocks: the connected components of the edges at or above ``threshold`` (each chunk's such
   edges, not its others, go to one task), packed into ``B`` blocks of whole components; every
   merge of average linkage into an event needs such an edge, so no event crosses a component
   and clustering blocks apart gives the local engine's events;
10. per block, on a worker: its events (:func:`~clusterer.cluster.graph_events`), numbered as
    in the whole graph, from its own edges and documents (a shuffle: each edge chunk and each
    partition of kept documents is split by block, and each block takes its pieces); then one
    task groups all events into stories (:func:`~clusterer.cluster.graph_stories`: a story may
    join events of several blocks) over the edges between events, the only ones it reads, and
    orders clusters and stories as the local engine does;
11. summaries and coverage of clusters and timelines of stories
    (:func:`~clusterer.pipeline.describe`) by batches of whole stories, balanced by member
    count, each from the readable documents of its members (shuffled to it from the
    partitions) and their dedup relations only (a component can hold most of the corpus; a
    story is small);
12. the client builds the :class:`Report` the renderers take.

Placement: partition ``k`` (and edge chunk ``k``, block ``k``, batch ``k``) has a home, worker
``k`` modulo the workers, where its tasks are asked to run (:meth:`_Stages.at`), so that the
partitions stay spread and in place between stages; only shuffles and the single tasks move
data. Edges travel between workers as arrays, not as dicts of tuples.

What the client receives: the ids and origins of the documents read (step 2), the dedup
result, the skipped inputs and boilerplate reports, the clusters and stories, the summaries,
coverage and timelines, and per document its metadata (:func:`doc_metadata`: no
text but its word count). The texts, tokens and vectors stay on the workers.
"""

from __future__ import annotations

import bisect
import operator
import os
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

import dask.bag as db
import numpy as np
from dask.distributed import Client, Future, wait
from dask.sizeof import sizeof
from distributed.system import MEMORY_LIMIT
from scipy import sparse

from .boilerplate import copy_order, find_copies, learn_boilerplate
from .cluster import (
    DocFeatures,
    Event,
    PairScorer,
    candidate_keys_of,
    combine,
    edges_of,
    graph_events,
    graph_stories,
    key_rows,
    transposed,
)
from .config import Config
from .dedup import find_duplicates, match_text
from .ingest import MAX_BYTES, read_part, repeated_id
from .pipeline import describe, normalize_all, prepare_normalized, readable_titled
from .prepare import title_affixes, titled
from .records import (
    Article,
    BoilerplateReport,
    Cluster,
    DedupResult,
    Doc,
    Report,
    Skipped,
    Story,
    Vectors,
    outlet_key,
)
from .shingles import ShingleKeys, fingerprints_of_keys, key_bits, shingle_keys
from .unionfind import UnionFind
from .vectorize import LEAD_TOKENS, doc_frequencies, tfidf_rows, vocabulary

__all__ = ["ReadOptions", "RunStats", "connect", "doc_metadata", "run_dask"]

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
PARTITIONS_PER_WORKER = 4

Edges = dict[tuple[int, int], float]
# edges as they travel between workers: the pairs (rows of two) and their weights, in order (a
# dict of tuples is slow to serialize)
EdgeArrays = tuple[np.ndarray, np.ndarray]
Freqs = tuple[Counter[str], Counter[str], Counter[str]]


@dataclass(frozen=True)
class ReadOptions:
    """How the paths are read (the options of :func:`~clusterer.ingest.read_paths`)."""

    include_hidden: bool = False
    follow_symlinks: bool = False
    max_bytes: int = MAX_BYTES


def connect(address: str | None = None, workers: int = 2) -> Client:
    """Return a client of the scheduler at ``address`` (default: ``$DASK_SCHEDULER_ADDRESS``), or
    of a new ``LocalCluster`` of ``workers`` single-threaded worker processes when there is none."""
    address = address or os.environ.get(SCHEDULER_ENV) or None
    if address:
        return Client(address)
    # the client owns the cluster it starts: closing it stops the workers
    return Client(**local_cluster(workers))


def local_cluster(workers: int) -> dict[str, Any]:
    """Return the settings of a ``LocalCluster`` of ``workers`` single-threaded worker processes.

    Each worker may use all of the machine's memory rather than an equal share of it (Dask's
    default): the workers of one machine share it, and the stages that gather every document
    (copies, dedup) peak on one worker while the others wait. With equal shares, two workers on
    a 24 GB machine each stop at 12 GB: the 100k corpus needs more than that on one worker, and
    Dask restarted it over and over."""
    return {
        "n_workers": workers,
        "threads_per_worker": 1,
        "dashboard_address": None,
        "memory_limit": MEMORY_LIMIT,
    }


def doc_metadata(doc: Doc) -> Doc:
    """Return what the client keeps of a document to render it: its metadata, and for its text
    only the word count (a body of as many one-letter words) and the number of furniture lines."""
    return replace(
        doc,
        body=" ".join("w" * len(doc.body.split())) if doc.body.split() else "",
        norm="",
        tokens=(),
        title_tokens=(),
        furniture=("",) * len(doc.furniture),
    )


def _doc_bytes(doc: Doc) -> int:
    """Return about what a document weighs in memory and on the wire (its texts and tokens).

    The scheduler places a task next to its largest inputs and moves the smaller ones; without
    this it weighs a document at its bare object (``sys.getsizeof``), tens of bytes, and moves
    partitions of documents rather than the tasks that read them."""
    texts = (doc.body, doc.norm, doc.norm_title, *doc.furniture)
    tokens = (*doc.tokens, *doc.title_tokens)
    return 200 + sum(map(len, texts)) + sum(map(len, tokens)) + 8 * len(tokens)


sizeof.register(Doc)(_doc_bytes)


# --------------------------------------------------------------------------------------------
# tasks (run on the workers)


def _read(
    indices: Iterable[int], given: Sequence[str], opts: ReadOptions
) -> list[Article | Skipped]:
    out: list[Article | Skipped] = []
    for k in indices:
        out.extend(read_part(given, k, **vars(opts)))
    return out


def _ids(items: Sequence[Article | Skipped]) -> list[tuple[int, str, str]]:
    return [(n, it.id, it.origin) for n, it in enumerate(items) if isinstance(it, Article)]


def _normalize(
    items: Sequence[Article | Skipped], repeats: Mapping[int, str], cfg: Config
) -> tuple[list[Doc], list[Skipped]]:
    marked = [
        repeated_id(it, repeats[n]) if n in repeats and isinstance(it, Article) else it
        for n, it in enumerate(items)
    ]
    return normalize_all(marked, cfg, stem=True, jobs=1)


Normalized = tuple[list[Doc], list[Skipped]]
# of one group of outlets, for one partition: its documents that changed, their titles without
# their outlet's label
Learned = tuple[dict[str, Doc], dict[str, str]]


def _skipped(part: Normalized) -> list[Skipped]:
    return part[1]


def _no_document(skipped: list[Skipped], cfg: Config) -> NoReturn:
    """Raise the local engine's error for a corpus with no usable document."""
    prepare_normalized([], skipped, cfg)
    raise AssertionError("prepare_normalized accepted an empty corpus")


def _docs(part: Normalized) -> list[Doc]:
    return part[0]


def _outlet_keys(docs: Sequence[Doc]) -> list[str | None]:
    return [outlet_key(d) for d in docs]


def _norm(doc: Doc) -> str:
    return doc.norm


def _keys(
    docs: Sequence[Doc],
    picks: np.ndarray,
    ids: np.ndarray,
    text: Callable[[Doc], str],
    k: int,
    bits: int,
) -> tuple[ShingleKeys, np.ndarray]:
    """Fingerprint the documents ``picks`` of a partition, numbered ``ids`` in the corpus."""
    return shingle_keys([text(docs[p]) for p in picks.tolist()], ids, k, bits), ids


def _range(part: tuple[ShingleKeys, np.ndarray], r: int, ranges: int) -> np.ndarray:
    """Return the keys of range ``r`` of ``ranges`` (a power of two) of shingle hashes."""
    keys = part[0].keys
    if ranges == 1:
        return keys
    shift = np.uint64(64 - (ranges.bit_length() - 1))
    lo, hi = np.searchsorted(keys >> shift, [r, r + 1])
    return keys[lo:hi]


def _sort(*pieces: np.ndarray) -> np.ndarray:
    keys = np.concatenate(pieces)
    keys.sort()
    return keys


def _fingerprints(
    n: int, k: int, parts: Sequence[tuple[ShingleKeys, np.ndarray]], *ranges: np.ndarray
) -> Any:
    doc_hash = np.zeros(n, dtype=np.uint64)
    n_tokens = np.zeros(n, dtype=np.int64)
    for keys, ids in parts:
        doc_hash[ids], n_tokens[ids] = keys.doc_hash, keys.n_tokens
    return fingerprints_of_keys(np.concatenate(ranges), doc_hash, n_tokens, k)


def _matched(doc: Doc) -> Doc:
    """Return what copy and duplicate search read of a document: its texts for matching (norm,
    body, title), not its tokens or furniture (these documents all travel to the one task that
    searches them)."""
    return replace(doc, tokens=(), title_tokens=(), furniture=())


def _picked(docs: Sequence[Doc], picks: np.ndarray) -> list[Doc]:
    return [_matched(docs[p]) for p in picks.tolist()]


def _all_matched(docs: Sequence[Doc]) -> list[Doc]:
    return [_matched(d) for d in docs]


def _copies(cfg: Config, fp: Any, *parts: list[Doc]) -> dict[str, str]:
    """Find the copies inside outlets among the documents of outlets of two or more (those
    :func:`~clusterer.boilerplate.copy_order` picks, the only ones ``find_copies`` reads), in
    corpus order."""
    return find_copies([d for part in parts for d in part], cfg, fp)


def _outlet_group(key: str, groups: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % groups


def _by_outlet(docs: Sequence[Doc], first: int, groups: int) -> list[list[tuple[int, Doc]]]:
    """Split a partition's documents (numbered from ``first``) into groups of whole outlets."""
    out: list[list[tuple[int, Doc]]] = [[] for _ in range(groups)]
    for n, doc in enumerate(docs):
        key = outlet_key(doc)
        if key is not None:
            out[_outlet_group(key, groups)].append((first + n, doc))
    return out


def _learn_group(
    cfg: Config,
    copies: Mapping[str, str],
    first: Sequence[int],
    *parts: list[list[tuple[int, Doc]]],
    group: int,
) -> tuple[Learned | list[BoilerplateReport], ...]:
    """Learn and strip the boilerplate of one group of outlets (documents in corpus order); return
    for each partition (the first document of each: ``first``) the documents that changed and
    their titles without the label their outlet repeats (:func:`~clusterer.prepare.title_affixes`),
    then the group's reports: each partition takes its own share only."""
    numbered = sorted((p for part in parts for p in part[group]), key=lambda x: x[0])
    docs = [d for _, d in numbered]
    matching, reports = learn_boilerplate(docs, cfg, copies)
    titles = title_affixes(docs)
    shares: list[Learned] = [({}, {}) for _ in first]
    for (n, d), m in zip(numbered, matching, strict=True):
        share = shares[bisect.bisect_right(first, n) - 1]
        if m is not d:
            share[0][m.id] = m
        if d.id in titles:
            share[1][d.id] = titles[d.id]
    return (*shares, reports)


def _matching(docs: Sequence[Doc], *groups: Learned) -> list[Doc]:
    changed: dict[str, Doc] = {}
    for group in groups:
        changed.update(group[0])
    return [changed.get(d.id, d) for d in docs]


def _reports(*groups: list[BoilerplateReport]) -> list[BoilerplateReport]:
    return sorted((r for g in groups for r in g), key=lambda r: (-r.removed, r.outlet))


def _dedup(cfg: Config, fp: Any, *parts: list[Doc]) -> DedupResult:
    return find_duplicates([d for part in parts for d in part], cfg, fp)


@dataclass(frozen=True)
class _Piece:
    """One partition of the prepared corpus (the local engine's :class:`~clusterer.prepare.Corpus`
    cut by partition): its documents in input order, their matching versions (titled as
    :meth:`~clusterer.prepare.Corpus.of` titles them), their titles without their outlet's label
    and the partition's skipped inputs."""

    original: dict[str, Doc]
    matching: list[Doc]
    titles: dict[str, str]
    skipped: list[Skipped]

    def readable(self, doc_id: str, matching: Doc) -> Doc:
        return readable_titled(self.original[doc_id], matching, self.titles.get(doc_id))

    def __sizeof__(self) -> int:  # what the scheduler weighs it at (see _doc_bytes)
        return int(sizeof(self.original) + sizeof(self.matching) + sizeof(self.skipped))


def _piece(part: Normalized, matching: Sequence[Doc], *groups: Learned) -> _Piece:
    docs = part[0]
    every: dict[str, str] = {}
    for group in groups:
        every.update(group[1])
    titles = {d.id: every[d.id] for d in docs if d.id in every}
    return _Piece(
        {d.id: d for d in docs},
        [titled(m, titles[m.id]) if m.id in titles else m for m in matching],
        titles,
        part[1],
    )


def _metadata(piece: _Piece) -> tuple[list[Doc], list[Skipped]]:
    return [doc_metadata(d) for d in piece.original.values()], piece.skipped


def _kept(piece: _Piece, picks: np.ndarray) -> list[Doc]:
    """Return the matching versions of a partition's kept documents (positions ``picks``)."""
    return [piece.matching[p] for p in picks.tolist()]


def _lead(doc: Doc) -> Sequence[str]:
    return doc.tokens[: len(doc.title_tokens) + LEAD_TOKENS]


def _rows_of(docs: Sequence[Doc]) -> tuple[list[Sequence[str]], ...]:
    return [d.tokens for d in docs], [d.title_tokens for d in docs], [_lead(d) for d in docs]


def _freqs(docs: Sequence[Doc]) -> Freqs:
    body, title, lead = _rows_of(docs)
    return doc_frequencies(body), doc_frequencies(title), doc_frequencies(lead)


def _add(a: Freqs, b: Freqs) -> Freqs:
    return a[0] + b[0], a[1] + b[1], a[2] + b[2]


def _vocabularies(
    total: Freqs, n: int, prior_docs: float
) -> list[tuple[tuple[str, ...], np.ndarray]]:
    return [vocabulary(df, n, prior_docs) for df in total]


def _rows(
    docs: Sequence[Doc], vocab: Sequence[tuple[tuple[str, ...], np.ndarray]]
) -> tuple[tuple[str, ...], list[sparse.csr_matrix]]:
    ids = tuple(d.id for d in docs)
    return ids, [tfidf_rows(rows, *v) for rows, v in zip(_rows_of(docs), vocab, strict=True)]


def _stack(
    vocab: Sequence[tuple[tuple[str, ...], np.ndarray]],
    *parts: tuple[tuple[str, ...], list[sparse.csr_matrix]],
) -> Vectors:
    ids = tuple(i for part in parts for i in part[0])
    body, title, lead = (
        sparse.vstack([part[1][m] for part in parts], format="csr") for m in range(3)
    )
    return Vectors(ids, body, vocab[0][0] or ("",), title, lead)


def _concat(*parts: list[Doc]) -> list[Doc]:
    return [d for part in parts for d in part]


Rows = tuple[tuple[str, ...], list[sparse.csr_matrix]]


def _transposed(vectors: Vectors) -> tuple[sparse.csr_matrix, sparse.csr_matrix | None]:
    title = vectors.title_matrix
    return transposed(vectors.matrix), None if title is None else transposed(title)


def _candidates(
    rows: Rows, t: tuple[sparse.csr_matrix, sparse.csr_matrix | None], first: int, cfg: Config
) -> np.ndarray:
    """Return the candidate pairs of one partition's rows (rows ``first``... of the kept
    documents), from its own TF-IDF rows and the transposed matrices of all rows, as the sorted
    keys ``i * n + j`` of the ``n`` rows (an array travels and merges faster than a set)."""
    body, title = rows[1][0], rows[1][1]
    return candidate_keys_of(body, t[0], None if t[1] is None else (title, t[1]), first, cfg)


def _scoring_docs(docs: Sequence[Doc]) -> list[Doc]:
    """Return what the pair scorer reads of each document besides its features: id, day,
    outlet and normalized title (no text)."""
    return [replace(d, body="", norm="", tokens=(), title_tokens=(), furniture=()) for d in docs]


def _scorer(vectors: Vectors, cfg: Config, features: DocFeatures, *parts: list[Doc]) -> PairScorer:
    return PairScorer(_concat(*parts), vectors, cfg, features).for_pairs()


def _sorted(n: int, *keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the candidate pairs of all partitions (keys of :func:`_candidates` of ``n`` rows)
    in order as two arrays of row indices (:func:`~clusterer.cluster.key_rows`)."""
    return key_rows(np.unique(np.concatenate([np.empty(0, dtype=np.int64), *keys])), n)


def _chunk(pairs: tuple[np.ndarray, np.ndarray], k: int, chunks: int) -> tuple[np.ndarray, ...]:
    n = len(pairs[0])
    lo, hi = n * k // chunks, n * (k + 1) // chunks
    return pairs[0][lo:hi], pairs[1][lo:hi]


def _edges(scorer: PairScorer, chunk: tuple[np.ndarray, ...], cfg: Config) -> Edges:
    signals = scorer.signals(chunk[0], chunk[1])
    return edges_of(signals, combine(signals, cfg))


def _strong(chunk: Edges, cut: float) -> np.ndarray:
    """Return the edges of a chunk at or above ``cut`` (in pair order) as rows of an array."""
    return np.array([k for k, w in chunk.items() if w >= cut], dtype=np.int64).reshape(-1, 2)


def _components(n: int, strong: Sequence[np.ndarray]) -> list[list[int]]:
    uf = UnionFind(n)
    for pairs in strong:
        for i, j in pairs.tolist():
            uf.union(i, j)
    return list(uf.groups(min_size=1).values())


def _block_of(n: int, count: int, *strong: np.ndarray) -> np.ndarray:
    """Pack the components of the edges at the event threshold (``strong``, per chunk) into
    ``count`` blocks of about equal size (largest first); return the block of each row."""
    comps = sorted(_components(n, strong), key=lambda c: -len(c))
    bins: list[list[int]] = [[] for _ in range(max(1, min(count, len(comps))))]
    for comp in comps:
        min(bins, key=len).extend(comp)
    block_of = np.empty(n, dtype=np.int64)
    for b, nodes in enumerate(bins):
        block_of[nodes] = b
    return block_of


def _local(block_of: np.ndarray) -> np.ndarray:
    """Return each row's number in its block (the block's rows ascending)."""
    order = np.argsort(block_of, kind="stable")
    starts = np.searchsorted(block_of[order], block_of[order])
    local = np.empty_like(block_of)
    local[order] = np.arange(block_of.size) - starts
    return local


def _arrays(edges: Edges) -> EdgeArrays:
    pairs = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
    return pairs, np.array(list(edges.values()), dtype=np.float64)


def _edges_of(*chunks: EdgeArrays) -> Edges:
    """Return the edges of the chunks (:func:`_arrays`) in order."""
    edges: Edges = {}
    for pairs, weights in chunks:
        edges.update(zip(map(tuple, pairs.tolist()), weights.tolist(), strict=True))
    return edges


def _block_edges(chunk: Edges, block_of: np.ndarray, count: int) -> list[EdgeArrays]:
    """Split a chunk's edges inside blocks by block (in pair order), renumbered in the block."""
    out: list[Edges] = [{} for _ in range(count)]
    block, local = block_of.tolist(), _local(block_of).tolist()
    for (i, j), w in chunk.items():
        if block[i] == block[j]:
            out[block[i]][(local[i], local[j])] = w
    return [_arrays(e) for e in out]


def _by_block(docs: Sequence[Doc], block_of: np.ndarray, count: int) -> list[list[Doc]]:
    """Split a partition's kept documents (rows in order, in blocks ``block_of``) by block."""
    out: list[list[Doc]] = [[] for _ in range(count)]
    for doc, b in zip(docs, block_of.tolist(), strict=True):
        out[b].append(doc)
    return out


def _block_events(
    b: int, block_of: np.ndarray, duplicates: dict[str, str], cfg: Config, chunks: int, *parts: Any
) -> list[Event]:
    """Return the events of block ``b``, their nodes numbered as in the whole graph. ``parts``:
    the block's edges from each of the ``chunks`` chunks (in pair order), then its documents from
    each partition (in row order)."""
    edges = _edges_of(*parts[:chunks])
    docs = [d for piece in parts[chunks:] for d in piece]
    nodes = np.flatnonzero(block_of == b).tolist()
    events = graph_events(edges, docs, cfg, duplicates)
    return [replace(e, nodes=[nodes[i] for i in e.nodes]) for e in events]


def _event_of(n: int, *blocks: list[Event]) -> np.ndarray:
    """Return a number for each row: the same for the rows of one event."""
    out = np.empty(n, dtype=np.int64)
    for k, event in enumerate(e for block in blocks for e in block):
        out[event.nodes] = k
    return out


def _between(chunk: Edges, event_of: np.ndarray) -> EdgeArrays:
    """Return the edges of a chunk between two events (all stories read of the graph)."""
    label = event_of.tolist()
    return _arrays({(i, j): w for (i, j), w in chunk.items() if label[i] != label[j]})


def _stories(cfg: Config, count: int, *parts: Any) -> tuple[list[Cluster], list[Story]]:
    """Group the events of the ``count`` blocks (then come the edge chunks, of the edges between
    events) into stories over the whole graph (the local engine's events, in its order: by first
    node; the edges in pair order)."""
    blocks: Sequence[list[Event]] = parts[:count]
    events = sorted((e for b in blocks for e in b), key=lambda e: e.nodes[0])
    return graph_stories(events, _edges_of(*parts[count:]), cfg)


def _dedup_of(dedup: DedupResult, members: Sequence[str]) -> DedupResult:
    """Return the dedup relations of ``members`` (between them)."""
    ids = set(members)
    return DedupResult(
        kept=tuple(i for i in dedup.kept if i in ids),
        duplicates=tuple(r for r in dedup.duplicates if r.id in ids),
        related=tuple(r for r in dedup.related if r.id in ids and r.other in ids),
    )


def _readables(piece: _Piece, wanted: Sequence[Sequence[int]]) -> list[dict[str, Doc]]:
    """Return, per batch of stories, the readable versions of the partition's documents it
    wants (their positions in the partition)."""
    ids = list(piece.original)
    return [{ids[p]: piece.readable(ids[p], piece.matching[p]) for p in batch} for batch in wanted]


def _describe(
    clusters: Sequence[Cluster],
    stories: Sequence[Story],
    members: Sequence[str],
    dedup: DedupResult,
    cfg: Config,
    *pieces: dict[str, Doc],
) -> tuple[dict[str, Any], ...]:
    """Describe whole stories (each cluster and story reads only its own members and their
    relations, so a batch of stories gives what the whole corpus gives for them) from the
    readable documents of their ``members`` (``pieces`` of the partitions)."""
    found: dict[str, Doc] = {}
    for piece in pieces:
        found.update(piece)
    return describe(clusters, stories, {i: found[i] for i in members}, dedup, cfg)


def _story_batches(
    clusters: Sequence[Cluster], stories: Sequence[Story], count: int
) -> list[tuple[list[Cluster], list[Story]]]:
    """Pack whole stories into ``count`` batches of about equal member counts."""
    by_id = {c.id: c for c in clusters}
    size = {s.id: sum(len(by_id[c].members) for c in s.clusters) for s in stories}
    batches: list[tuple[list[Cluster], list[Story]]] = [([], []) for _ in range(count)]
    load = [0] * count
    for story in sorted(stories, key=lambda s: -size[s.id]):
        b = load.index(min(load))
        load[b] += size[story.id]
        batches[b][1].append(story)
        batches[b][0].extend(by_id[c] for c in story.clusters)
    return [b for b in batches if b[1]]


# --------------------------------------------------------------------------------------------
# the client side


def _sent(dask_worker: Any) -> int:
    return int(dask_worker.transfer_outgoing_bytes_total)


@dataclass
class RunStats:
    """Per stage: wall time on the client (each stage waited for), tasks submitted, and bytes
    the workers sent (to each other and to the client); ``gathered``: bytes the client received."""

    timings: dict[str, float] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    moved: dict[str, int] = field(default_factory=dict)
    gathered: int = 0
    kept: int = 0  # documents clustered (kept by dedup)
    largest_block: int = 0  # of them, in the largest block: one task clusters and summarizes it


class _Stages:
    """Records :class:`RunStats` as the stages finish."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.stats = RunStats()
        self.workers = sorted(client.scheduler_info()["workers"])
        self._t0 = time.perf_counter()
        self._sent = self._workers_sent()

    def at(self, k: int) -> dict[str, Any]:
        """Return where task ``k`` of a stage runs: worker ``k`` modulo the workers, else any.

        Partition ``k`` lives on that worker from the start and each task of the partition runs
        there: left alone, the scheduler runs a task next to its largest input, which gathers the
        partitions on one worker once a task reads several of them (a shuffle, a large object
        built by one task), and every later stage then runs there or moves them back. Block and
        story batches are spread the same way. Another worker may still take a task (a worker
        out of work, or the task's worker lost).
        """
        if not self.workers:
            return {}
        return {"workers": [self.workers[k % len(self.workers)]], "allow_other_workers": True}

    def map(self, fn: Callable[..., Any], parts: Sequence[Any], *args: Any) -> list[Future[Any]]:
        """Submit ``fn(part, *args)`` for each partition, on the partition's worker (:meth:`at`)."""
        return [self.client.submit(fn, p, *args, **self.at(k)) for k, p in enumerate(parts)]

    def _workers_sent(self) -> int:
        return sum(self.client.run(_sent).values())

    def done(self, stage: str, futures: Sequence[Future[Any]], tasks: int = 0) -> None:
        wait(list(futures))
        now, sent = time.perf_counter(), self._workers_sent()
        st = self.stats
        st.timings[stage] = st.timings.get(stage, 0.0) + now - self._t0
        st.tasks[stage] = st.tasks.get(stage, 0) + len(futures) + tasks
        st.moved[stage] = st.moved.get(stage, 0) + max(0, sent - self._sent)
        self._t0, self._sent = now, sent

    def gather(self, futures: Any) -> Any:
        """Gather results to the client, counting their size."""
        out = self.client.gather(futures)
        self.stats.gathered += sizeof(out)
        return out


def _tree(
    client: Client, fn: Callable[..., Any], items: list[Future[Any]]
) -> tuple[Future[Any], int]:
    """Reduce ``items`` pairwise with ``fn`` (a tree of tasks); return the root and task count."""
    tasks = 0
    while len(items) > 1:
        paired = [client.submit(fn, a, b) for a, b in zip(items[::2], items[1::2], strict=False)]
        tasks += len(paired)
        items = paired + ([items[-1]] if len(items) % 2 else [])
    return items[0], tasks


def _repeats(ids: Sequence[Sequence[tuple[int, str, str]]]) -> list[dict[int, str]]:
    """Return per partition, the positions of articles whose id was seen earlier -> first origin."""
    seen: dict[str, str] = {}
    out: list[dict[int, str]] = []
    for part in ids:
        marks: dict[int, str] = {}
        for n, doc_id, origin in part:
            if doc_id in seen:
                marks[n] = seen[doc_id]
            else:
                seen[doc_id] = origin
        out.append(marks)
    return out


def _ingest(
    client: Client, given: Sequence[str], opts: ReadOptions, cfg: Config, st: _Stages, parts: int
) -> list[Future[Any]]:
    bag = db.from_sequence(range(len(given)), npartitions=len(given))
    items = bag.map_partitions(_read, given, opts).repartition(npartitions=parts)
    read = client.compute(items.to_delayed())
    st.done("ingest", read, tasks=len(items.__dask_graph__()) - len(read))
    repeats = _repeats(st.gather(st.map(_ids, read)))
    normalized = [
        client.submit(_normalize, p, r, cfg, **st.at(k))
        for k, (p, r) in enumerate(zip(read, repeats, strict=True))
    ]
    st.done("normalize", normalized)
    return normalized


def _shuffled(
    client: Client,
    docs: Sequence[Future[Any]],
    picks: Sequence[np.ndarray],
    ids: Sequence[np.ndarray],
    text: Callable[[Doc], str],
    cfg: Config,
    st: _Stages,
) -> tuple[Future[Any], int]:
    """Fingerprint the picked documents of each partition and shuffle the keys by shingle hash:
    return the fingerprints of the corpus of them all and the number of tasks."""
    n = sum(len(i) for i in ids)
    ranges = 1 << max(0, (len(docs) - 1).bit_length())  # a power of two, at least P
    parts = [
        client.submit(_keys, d, p, i, text, cfg.shingle_size, key_bits(n), **st.at(k))
        for k, (d, p, i) in enumerate(zip(docs, picks, ids, strict=True))
    ]
    pieces = [[client.submit(_range, part, r, ranges) for part in parts] for r in range(ranges)]
    sorted_ranges = [client.submit(_sort, *p) for p in pieces]
    fp = client.submit(_fingerprints, n, cfg.shingle_size, parts, *sorted_ranges)
    return fp, len(parts) * (1 + ranges) + ranges + 1


def _copy_inputs(keys: Sequence[Sequence[str | None]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return per partition the positions of its documents whose copies are looked for, and
    their numbers in :func:`~clusterer.boilerplate.copy_order`."""
    first = np.cumsum([0] + [len(k) for k in keys])
    order = np.array(copy_order([k for part in keys for k in part]), dtype=np.int64)
    rank = np.full(int(first[-1]), -1, dtype=np.int64)
    rank[order] = np.arange(order.size)
    picks = [np.flatnonzero(rank[first[k] : first[k + 1]] >= 0) for k in range(len(keys))]
    ids = [rank[first[k] : first[k + 1]][p] for k, p in enumerate(picks)]
    return picks, ids


def _prepared(
    client: Client, normalized: list[Future[Any]], cfg: Config, st: _Stages
) -> tuple[list[Future[Any]], Future[Any], Future[Any]]:
    """Boilerplate and dedup (step 4 of the module docstring); return the prepared corpus: its
    partitions (:class:`_Piece`), the dedup result and the boilerplate reports."""
    docs = st.map(_docs, normalized)
    keys = st.gather(st.map(_outlet_keys, docs))
    if not any(keys):
        _no_document([s for part in st.gather(st.map(_skipped, normalized)) for s in part], cfg)
    count = len(normalized)
    picks, ids = _copy_inputs(keys)
    fp, tasks = _shuffled(client, docs, picks, ids, _norm, cfg, st)
    st.done("copies fingerprints", [fp], tasks=len(docs) + tasks - 1)
    picked = [
        client.submit(_picked, d, p, **st.at(k))
        for k, (d, p) in enumerate(zip(docs, picks, strict=True))
    ]
    copies = client.submit(_copies, cfg, fp, *picked)
    st.done("copies", [*picked, copies])
    first = np.cumsum([0] + [len(k) for k in keys]).tolist()
    split = [
        client.submit(_by_outlet, d, f, count, **st.at(k))
        for k, (d, f) in enumerate(zip(docs, first[:-1], strict=True))
    ]
    groups = [
        client.submit(_learn_group, cfg, copies, first[:-1], *split, group=g, **st.at(g))
        for g in range(count)
    ]
    # per partition (then the reports), its share of each group's output
    shares = [
        [client.submit(operator.getitem, group, k, **st.at(g)) for g, group in enumerate(groups)]
        for k in range(count + 1)
    ]
    matching = [client.submit(_matching, d, *shares[k], **st.at(k)) for k, d in enumerate(docs)]
    reports = client.submit(_reports, *shares[count])
    st.done(
        "boilerplate per outlet", [*split, *groups, *matching, reports], tasks=count * (count + 1)
    )
    every = [np.arange(len(k), dtype=np.int64) for k in keys]
    ids = [np.arange(first[k], first[k + 1], dtype=np.int64) for k in range(count)]
    fp, tasks = _shuffled(client, matching, every, ids, match_text, cfg, st)
    st.done("dedup fingerprints", [fp], tasks=tasks - 1)
    dedup = client.submit(_dedup, cfg, fp, *st.map(_all_matched, matching))
    pieces = [
        client.submit(_piece, p, m, *shares[k], **st.at(k))
        for k, (p, m) in enumerate(zip(normalized, matching, strict=True))
    ]
    st.done("dedup", [dedup, *pieces])
    return pieces, dedup, reports


def _vectors(
    client: Client, kept: list[Future[Any]], n: int, prior_docs: float, st: _Stages
) -> tuple[Future[Any], list[Future[Any]]]:
    total, tasks = _tree(client, _add, st.map(_freqs, kept))
    vocab = client.submit(_vocabularies, total, n, prior_docs)
    st.done("document frequencies", [vocab], tasks=len(kept) + tasks)
    rows = st.map(_rows, kept, vocab)
    vectors = client.submit(_stack, vocab, *rows)
    st.done("vectorize", [*rows, vectors])
    return vectors, rows


def _scored(
    client: Client,
    kept: list[Future[Any]],
    vectors: tuple[Future[Any], list[Future[Any]]],
    first: Sequence[int],
    n: int,
    cfg: Config,
    st: _Stages,
) -> list[Future[Any]]:
    """Candidate pairs per partition of rows (the first of each: ``first``), then their scores
    per chunk of pairs. Both kinds of task read one large object built by one task (the
    transposed matrices, the scorer): they are spread over the workers, each of which receives
    it once, rather than queued next to it."""
    stacked, rows = vectors
    t = client.submit(_transposed, stacked)
    found = [
        client.submit(_candidates, r, t, f, cfg, **st.at(k))
        for k, (r, f) in enumerate(zip(rows, first, strict=True))
    ]
    pairs = client.submit(_sorted, n, *found)
    st.done("candidates", [t, *found, pairs])
    per_part = st.map(DocFeatures.of, kept)
    features = client.submit(DocFeatures.concat, *per_part)
    stubs = st.map(_scoring_docs, kept)
    scorer = client.submit(_scorer, stacked, cfg, features, *stubs)
    chunks = [client.submit(_chunk, pairs, k, len(kept), **st.at(k)) for k in range(len(kept))]
    edges = [client.submit(_edges, scorer, c, cfg, **st.at(k)) for k, c in enumerate(chunks)]
    st.done("score pairs", [*per_part, features, *stubs, scorer, *chunks, *edges])
    return edges


def _block_duplicates(dedup: DedupResult, block_of: np.ndarray, count: int) -> list[dict[str, str]]:
    """Return per block its kept documents' duplicates (duplicate id -> kept id)."""
    row = {i: r for r, i in enumerate(dedup.kept)}
    out: list[dict[str, str]] = [{} for _ in range(count)]
    for rel in dedup.duplicates:
        if rel.other in row:
            out[int(block_of[row[rel.other]])][rel.id] = rel.other
    return out


def _clustered(
    client: Client,
    kept: list[Future[Any]],
    first: Sequence[int],
    dedup: DedupResult,
    edges: list[Future[Any]],
    cfg: Config,
    st: _Stages,
) -> tuple[list[Cluster], list[Story]]:
    """Blocks of whole components, their events (each block's edges and documents shuffled to
    it from the chunks and the partitions), then the stories (over the edges between events)."""
    count, n = len(edges), len(dedup.kept)
    strong = st.map(_strong, edges, cfg.threshold)
    plan = client.submit(_block_of, n, count, *strong)
    block_of = st.gather(plan)
    st.done("blocks", [*strong, plan])
    sizes = np.bincount(block_of, minlength=count)
    st.stats.kept, st.stats.largest_block = n, int(sizes.max()) if n else 0
    split: list[Future[Any]] = st.map(_block_edges, edges, plan, count)
    split += [
        client.submit(_by_block, part, block_of[lo:hi], count, **st.at(k))
        for k, (part, lo, hi) in enumerate(zip(kept, first, [*first[1:], n], strict=True))
    ]
    pieces = [
        [client.submit(operator.getitem, part, b, **st.at(k)) for k, part in enumerate(split)]
        for b in range(count)
    ]
    duplicates = _block_duplicates(dedup, block_of, count)
    out = [
        client.submit(
            _block_events,
            b,
            plan,
            duplicates[b],
            cfg,
            len(edges),
            *pieces[b],
            **st.at(b),
        )
        for b in range(count)
    ]
    st.done("cluster blocks", [*split, *out], tasks=count * len(split))
    event_of = client.submit(_event_of, n, *out)
    between = st.map(_between, edges, event_of)
    found = client.submit(_stories, cfg, len(out), *out, *between)
    st.done("stories", [event_of, *between, found])
    return st.gather(found)  # type: ignore[no-any-return]


def _wanted(
    parts: Sequence[Sequence[Doc]], members: Sequence[Sequence[str]]
) -> list[list[list[int]]]:
    """Return per partition, per batch, the positions of the batch's members in the partition."""
    where = {d.id: (k, p) for k, part in enumerate(parts) for p, d in enumerate(part)}
    out: list[list[list[int]]] = [[[] for _ in members] for _ in parts]
    for b, ids in enumerate(members):
        for i in ids:
            k, p = where[i]
            out[k][b].append(p)
    return out


def _described(
    client: Client,
    prepared: tuple[list[Future[Any]], Sequence[Sequence[Doc]], DedupResult],
    found: tuple[list[Cluster], list[Story]],
    cfg: Config,
    st: _Stages,
    count: int,
) -> list[dict[str, Any]]:
    """Summaries, coverage and timelines, by batches of whole stories, each given the readable
    documents of its members from every partition."""
    merged: list[dict[str, Any]] = [{}, {}, {}]
    if not cfg.summaries:
        return merged
    pieces, parts, dedup = prepared
    batches = _story_batches(*found, count)
    members = [sorted({m for c in b[0] for m in c.members}) for b in batches]
    split = [
        client.submit(_readables, piece, wanted, **st.at(k))
        for k, (piece, wanted) in enumerate(zip(pieces, _wanted(parts, members), strict=True))
    ]
    out = [
        client.submit(
            _describe,
            *b,
            ids,
            _dedup_of(dedup, ids),
            cfg,
            *[client.submit(operator.getitem, part, k, **st.at(j)) for j, part in enumerate(split)],
            **st.at(k),
        )
        for k, (b, ids) in enumerate(zip(batches, members, strict=True))
    ]
    st.done("summarize+coverage", [*split, *out], tasks=len(split) * len(out))
    for parts in st.gather(out):
        for m, part in zip(merged, parts, strict=True):
            m.update(part)
    return merged


def run_dask(
    paths: Sequence[str],
    cfg: Config,
    client: Client,
    opts: ReadOptions | None = None,
    *,
    partitions: int | None = None,
) -> tuple[Report, RunStats]:
    """Run the pipeline over ``paths`` on the cluster of ``client``; return the report (the
    local engine's, see the module docstring) and what each stage cost.

    ``partitions`` (default: four per worker) sets ``P`` and ``B``.
    """
    workers = max(1, len(client.scheduler_info()["workers"]))
    parts = partitions or PARTITIONS_PER_WORKER * workers
    st = _Stages(client)
    normalized = _ingest(client, list(paths), opts or ReadOptions(), cfg, st, parts)
    pieces, found_dedup, found_reports = _prepared(client, normalized, cfg, st)
    meta = st.map(_metadata, pieces)
    st.done("dedup", meta)
    metadata, dedup, boilerplate = st.gather([meta, found_dedup, found_reports])
    parts_docs = [m[0] for m in metadata]
    kept_ids = set(dedup.kept)
    picks = [
        np.array([p for p, d in enumerate(part) if d.id in kept_ids], dtype=np.int64)
        for part in parts_docs
    ]
    kept = [
        client.submit(_kept, piece, p, **st.at(k))
        for k, (piece, p) in enumerate(zip(pieces, picks, strict=True))
    ]
    first = np.cumsum([0] + [len(p) for p in picks[:-1]]).tolist()
    n = len(dedup.kept)
    vectors = _vectors(client, kept, n, cfg.idf_prior, st)
    edges = _scored(client, kept, vectors, first, n, cfg, st)
    clusters, stories = _clustered(client, kept, first, dedup, edges, cfg, st)
    summaries, coverage, timelines = _described(
        client, (pieces, parts_docs, dedup), (clusters, stories), cfg, st, parts
    )
    report = Report(
        docs=tuple(d for part in parts_docs for d in part),
        clusters=tuple(clusters),
        summaries=summaries,
        stories=tuple(stories),
        dedup=dedup,
        skipped=tuple(s for m in metadata for s in m[1]),
        boilerplate=tuple(boilerplate),
        params=cfg.to_dict(),
        timings=st.stats.timings,
        coverage=coverage,
        timelines=timelines,
    )
    return report, st.stats
