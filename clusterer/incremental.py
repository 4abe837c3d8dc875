"""Incremental runs: add a batch of documents to a state database, keeping event and story ids.

One batch, in one transaction:

1. normalize the new articles and learn their outlets' boilerplate with the latest stored pages
   of each outlet (:func:`_learn_boilerplate`), as one run over all of them would; a stored page
   that loses (or regains) a line this way is stored again, with its terms;
2. drop documents the state already holds (same id) and find exact copies of stored documents
   (same content hash);
3. find the stored events a new document may join: the events whose kept documents post the new
   document's rarest terms (:meth:`State.events_sharing`), best first, within a budget of stored
   documents that grows with the batch, not with the state (:func:`_within_budget`), and those
   the corrections concern;
4. deduplicate and cluster the new documents together with the latest members of those events
   (:func:`_pulled`), with must-link constraints that pin the stored memberships (an event can
   grow or merge, never lose a member: those not clustered stay in it, or follow it into the
   event it merges into), using the clustering of a normal run (:func:`cluster.cluster_docs`);
5. give ids (:func:`carry_ids`): an event keeps its id when it grows; when events merge, the
   oldest id survives and the others record ``merged_into``; a split keeps the id on the larger
   part. Stories follow the same rules;
6. recompute the summaries of the events this batch touched, and only those.

When the state has doubled since its last review (:func:`_review`), step 4 takes every stored
event, unpinned: the joins made while the state was small, with term statistics of a few
documents, are weighed again with those of the whole state (a split keeps the id on the larger
part, a merge the oldest id). Corrections are remembered in the state and hold in every batch.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ._version import __version__
from .boilerplate import learn_boilerplate
from .cluster import DocFeatures, cluster_docs
from .config import Config
from .constraints import KINDS, Constraints
from .dedup import find_duplicates, match_text
from .errors import EmptyCorpusError
from .pipeline import (
    Corpus,
    cover_all,
    default_jobs,
    normalize_all,
    readable,
    readable_in,
    summarize_all,
)
from .records import (
    Article,
    BoilerplateReport,
    Cluster,
    ClusterSummary,
    CorpusFrequencies,
    DedupResult,
    Doc,
    ProgressFn,
    Relation,
    RelationKind,
    Report,
    Skipped,
    Story,
    outlet_key,
)
from .state import State, StoredDoc, StoredEvent, pack, unpack
from .vectorize import build_vectors, doc_frequencies

log = logging.getLogger(__name__)

POSTING_TERMS = 20  # a kept document's rarest terms, by which later documents find its event
CANDIDATE_EVENTS = 8  # stored events a new document is clustered with, most shared terms first
# the batch is clustered with at least the events of this many recent kept documents: term
# statistics (TF-IDF, rare terms) of a handful of documents would make any two of them look alike
CONTEXT_DOCS = 300
# a batch learns each outlet's boilerplate with this many of its latest stored pages: a daily
# batch holds one or two pages of an outlet, too few to tell its furniture from its news
BOILERPLATE_CONTEXT = 200
# a stored event is clustered with the batch through its latest kept members only (all of them
# when the corrections concern it): its members are pinned together anyway, and those it holds
# beyond these stay in it (or follow it when it merges); this bounds the work of a batch as
# events grow with the state
EVENT_DOCS = 50
# the stored kept documents a batch is clustered with, at most (beyond every new document's best
# candidate event): this many per new document, and never fewer than NEIGHBOURHOOD_FLOOR; the
# candidates are taken by rank (each document's best, then each one's second...) until then, so
# that the work of a batch does not grow with the state
NEIGHBOURHOOD_DOCS = 10
NEIGHBOURHOOD_FLOOR = 5000
# a batch that finds the state grown REVIEW_GROWTH times since its last review clusters it all
# again, unpinned: the term statistics of a small state (early batches) drift as it grows, and
# the joins they made would otherwise stay for good. Reviews cost a clustering of the state
# (not a normalization) each time it doubles: at most about twice one run's clustering in all.
REVIEW_GROWTH = 2.0


def _noop(stage: str, done: int, total: int | None) -> None:
    return None


def content_hash(doc: Doc) -> str:
    """Return the hash of the text a document is deduplicated on (exact copies share it)."""
    return hashlib.blake2b(match_text(doc).encode("utf-8"), digest_size=16).hexdigest()


def carry_ids(
    groups: Sequence[tuple[str, Mapping[str, int]]], created: Mapping[str, int]
) -> tuple[list[str], dict[str, str]]:
    """Return the id of each new group and the old ids merged away (old -> surviving id).

    Each group is ``(proposed_id, {old_id: members it holds})``. An old id stays with the group
    holding most of its members (a split keeps the id on the larger part; ties: the first group);
    a group with several old ids keeps the oldest (``created``, then the id) and the others are
    merged into it; a group with none takes its proposed id.

    >>> carry_ids([("c-new", {"c-1": 3, "c-2": 1}), ("c-x", {"c-1": 1})], {"c-1": 2, "c-2": 1})
    (['c-2', 'c-x'], {'c-1': 'c-2'})
    """
    home: dict[str, int] = {}
    for g, (_, olds) in enumerate(groups):
        for old, n in olds.items():
            if old not in home or n > groups[home[old]][1][old]:
                home[old] = g
    ids: list[str] = []
    merged: dict[str, str] = {}
    for g, (proposed, olds) in enumerate(groups):
        mine = sorted((o for o in olds if home[o] == g), key=lambda o: (created.get(o, 0), o))
        ids.append(mine[0] if mine else proposed)
        merged.update({o: mine[0] for o in mine[1:]})
    return ids, merged


@dataclass
class _Batch:
    """What one batch adds: new documents (original and matching), their copies and relations."""

    corpus: Corpus
    cfg: Config
    new: list[str]  # ids of the new documents, input order
    seen: int = 0  # documents the state already held (same id)
    dup_of: dict[str, Relation] = field(default_factory=dict)  # new duplicate -> its relation
    related: list[Relation] = field(default_factory=list)


@dataclass
class _Neighbourhood:
    """The stored events a batch is clustered with, and their documents."""

    event_of: dict[str, str]  # stored doc id -> its event (every member of the events)
    kept: list[str]  # the stored kept docs the batch is clustered with, state order
    dup_of: dict[str, str]  # their stored duplicates -> kept
    fixes: _Corrections  # what the corrections file needs of this batch
    rest: list[StoredDoc]  # the members of the events not clustered with the batch


@dataclass(frozen=True)
class _Corrections:
    """What the corrections file needs of a batch: stored events to cluster with, and to unpin."""

    events: set[str]
    unpinned: set[str]


def _corrections(state: State, batch: _Batch, constraints: Constraints) -> _Corrections:
    """Return the stored events the constraints concern (a must-link pair not yet in one event,
    every cannot-link pair) and the events holding a cannot-link pair (they may split).

    Warn once per id that neither the state nor the batch holds.
    """
    ids = {
        x for pairs in (constraints.must_link, constraints.cannot_link) for p in pairs for x in p
    }
    event = state.event_of(ids)
    for doc_id in sorted(ids - event.keys() - set(batch.corpus.original)):
        log.warning("constraints: no document with id %r; ignored", doc_id)
    events: set[str] = set()
    for a, b in constraints.must_link:
        if event.get(a) != event.get(b) or a not in event:
            events.update(event[x] for x in (a, b) if x in event)
    unpinned = set()
    for a, b in constraints.cannot_link:
        if a in event and b in event:
            events.update((event[a], event[b]))
            if event[a] == event[b]:
                unpinned.add(event[a])
    return _Corrections(events, unpinned)


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: its number, the events it created or changed, merges, counts."""

    batch: int
    touched: tuple[str, ...]
    merged: dict[str, str]
    documents: int
    seen: int
    duplicates: int
    skipped: tuple[Skipped, ...]
    boilerplate: tuple[BoilerplateReport, ...]
    timings: dict[str, float]


def _posting_terms(doc: Doc, df: Mapping[str, int]) -> list[str]:
    """Return a document's rarest terms (by ``df``, unknown terms first), at most POSTING_TERMS."""
    return sorted(set(doc.tokens), key=lambda t: (df.get(t, 0), t))[:POSTING_TERMS]


def _learn_boilerplate(
    state: State, docs: Sequence[Doc], cfg: Config
) -> tuple[list[Doc], list[BoilerplateReport]]:
    """Learn the boilerplate of the batch's outlets with their latest stored pages; return the
    batch's matching versions and the report (over the stored pages too).

    The stored pages whose matching version changes (a line now recurs often enough to be the
    outlet's furniture, or no longer does) are stored again, with their terms and postings, so
    that the rest of the batch sees every page of an outlet as one run over them all would.
    """
    ids = {d.id for d in docs}
    keys = {k for k in map(outlet_key, docs) if k is not None}
    stored = {
        i: row for i, row in state.outlet_docs(keys, BOILERPLATE_CONTEXT).items() if i not in ids
    }
    context = [unpack(blob) for _, blob in stored.values()]
    matching, reports = learn_boilerplate([*context, *docs], cfg)
    changed = {m.id: m for m in matching[: len(context)] if content_hash(m) != stored[m.id][0]}
    _restrip(state, changed)
    return matching[len(context) :], reports


def _restrip(state: State, changed: Mapping[str, Doc]) -> None:
    """Store new matching versions of stored documents; move their terms and posting terms."""
    if not changed:
        return
    old = state.docs(changed, "matching")
    state.set_matching((i, content_hash(m), pack(m)) for i, m in changed.items())
    kept = state.kept(changed)
    delta: Counter[str] = Counter()
    for i in kept:
        delta.update(set(changed[i].tokens))
        delta.subtract(set(old[i].tokens))
    delta = Counter({t: n for t, n in delta.items() if n})
    df = Counter(state.df(t for i in kept for t in changed[i].tokens)) + delta
    state.drop_postings(kept)
    state.add_terms(dict(delta), {i: _posting_terms(changed[i], df) for i in kept})


def _new_documents(state: State, corpus: Corpus, cfg: Config) -> _Batch:
    """Split the batch into documents already held, exact copies of stored ones, and new ones."""
    ids = list(corpus.original)
    known = state.known_ids(ids)
    fresh = [i for i in ids if i not in known]
    hashes = {i: content_hash(corpus.matching[i]) for i in fresh}
    stored = state.by_hash(hashes.values())
    batch = _Batch(corpus, cfg, fresh, seen=len(known))
    for i in fresh:
        if hashes[i] in stored:
            batch.dup_of[i] = Relation(i, stored[hashes[i]], RelationKind.EXACT, 1.0, 1.0, 1.0)
    return batch


def _remembered(state: State, given: Constraints) -> Constraints:
    """Return the corrections of every run so far and ``given`` (a pair given now overrides the
    opposite correction of the same pair given before)."""
    stored = json.loads(state.meta("constraints") or "{}")
    pairs = {kind: {(a, b) for a, b in stored.get(kind, [])} for kind in KINDS}
    for kind, other in zip(KINDS, reversed(KINDS), strict=True):
        for a, b in getattr(given, kind):
            pairs[other] -= {(a, b), (b, a)}
            pairs[kind].add((a, b))
    return Constraints(*(tuple(sorted(pairs[kind])) for kind in KINDS))


def _review(state: State, fixes: _Corrections) -> tuple[_Corrections, int | None]:
    """Return the stored events a batch clusters with and unpins, and the state's size to record
    as its last review (None: no review).

    A batch reviews the state when it has grown REVIEW_GROWTH times since its last review (or its
    first batch: a state built in one run is not reviewed until it doubles): every live event is
    clustered again, unpinned (with the corrections of every run so far, so that a review never
    undoes one). Otherwise the batch clusters with the events the corrections ``fixes`` name."""
    last = state.meta("reviewed")
    kept = state.n_kept()
    if last is None or kept < REVIEW_GROWTH * max(int(last), 1):
        return fixes, None
    live = set(state.events())
    log.info(
        "reviewing the state: its %d events (%d kept documents) are clustered again",
        len(live),
        kept,
    )
    return _Corrections(fixes.events | live, fixes.unpinned | live), kept


def _remember(state: State, every: Constraints | None, reviewed: int | None) -> None:
    """Record the corrections of every run so far (:func:`_remembered`, None: none given to this
    batch, nothing new), and the state's size at its last review (the size after the first batch
    when there was none)."""
    if every is not None:
        state.set_meta("constraints", json.dumps({k: getattr(every, k) for k in KINDS}))
    if reviewed is not None or state.meta("reviewed") is None:
        state.set_meta("reviewed", str(reviewed if reviewed is not None else state.n_kept()))


def _neighbourhood(state: State, batch: _Batch, fixes: _Corrections) -> _Neighbourhood:
    """Return the stored events the batch's documents may join (and those the corrections
    concern), with their members."""
    new = [batch.corpus.matching[i] for i in batch.new if i not in batch.dup_of]
    df = state.df({t for d in new for t in d.tokens})
    ranked = []
    for doc in new:
        hits = state.events_sharing([t for t in _posting_terms(doc, df) if t in df])
        ranked.append(sorted(hits, key=lambda e: (-hits[e], e))[:CANDIDATE_EVENTS])
    copied = {r.other for r in batch.dup_of.values()}  # stored originals of exact copies
    events = set(state.event_of(copied).values()) | state.recent_events(CONTEXT_DOCS)
    budget = max(NEIGHBOURHOOD_FLOOR, NEIGHBOURHOOD_DOCS * len(new))
    rows = state.members(_within_budget(state, ranked, events | fixes.events, budget))
    pulled = _pulled(rows, fixes.events, copied)
    return _Neighbourhood(
        {d.id: d.event for d in rows},
        [d.id for d in rows if d.dup_of is None and d.id in pulled],
        {d.id: d.dup_of for d in rows if d.dup_of is not None and d.id in pulled},
        fixes,
        [d for d in rows if d.id not in pulled],
    )


def _within_budget(
    state: State, ranked: Sequence[Sequence[str]], events: set[str], budget: int
) -> set[str]:
    """Return ``events`` and the candidate events ``ranked`` (of each new document, best first)
    taken by rank while their kept members (EVENT_DOCS at most of each) stay within ``budget``;
    each document's best candidate is always taken."""
    size = state.kept_counts({e for cands in ranked for e in cands} | events)
    chosen = set(events)
    used = sum(min(size.get(e, 0), EVENT_DOCS) for e in chosen)
    for rank in range(CANDIDATE_EVENTS):
        for cands in ranked:
            if rank >= len(cands) or cands[rank] in chosen:
                continue
            cost = min(size.get(cands[rank], 0), EVENT_DOCS)
            if rank == 0 or used + cost <= budget:
                chosen.add(cands[rank])
                used += cost
    return chosen


def _pulled(rows: Sequence[StoredDoc], whole: set[str], targets: set[str]) -> set[str]:
    """Return the stored documents (of ``rows``, in state order) the batch is clustered with: of
    each event its EVENT_DOCS latest kept members (all of the events ``whole``), the kept
    documents ``targets`` (the stored copies of new documents), and their duplicates."""
    latest: dict[str, list[str]] = {}
    for d in reversed(rows):
        if d.dup_of is None:
            latest.setdefault(d.event, []).append(d.id)
    chosen = {i for e, ids in latest.items() for i in (ids if e in whole else ids[:EVENT_DOCS])}
    chosen.update(i for ids in latest.values() for i in ids if i in targets)
    return chosen | {d.id for d in rows if d.dup_of in chosen}


def _dedup(batch: _Batch, near: _Neighbourhood, stored: Mapping[str, Doc]) -> None:
    """Find the batch's duplicates among the batch and its neighbourhood; a stored document always
    stays the kept copy of its group."""
    fresh = [i for i in batch.new if i not in batch.dup_of]
    docs = [stored[i] for i in near.kept] + [batch.corpus.matching[i] for i in fresh]
    if not fresh:
        return
    result = find_duplicates(docs, batch.cfg)
    new = set(fresh)
    groups: dict[str, list[Relation]] = {}
    for r in result.duplicates:
        groups.setdefault(r.other, []).append(r)
    for kept, rels in groups.items():
        olds = [r.id for r in rels if r.id not in new] + ([] if kept in new else [kept])
        rep = olds[0] if olds else kept
        for r in rels:
            if r.id in new:
                batch.dup_of[r.id] = r if r.other == rep else _retarget(r, r.id, rep)
        if kept in new and rep != kept:
            batch.dup_of[kept] = _retarget(rels[0], kept, rep)
    batch.related = [r for r in result.related if r.id in new or r.other in new]


def _retarget(r: Relation, dup: str, kept: str) -> Relation:
    return Relation(dup, kept, r.kind, r.score, r.jaccard, r.containment, r.shared)


@dataclass
class _Outcome:
    """The clustering of batch + neighbourhood, with ids carried over from the state."""

    clusters: list[Cluster]  # with their carried ids; ``story`` is the carried story id
    merged: dict[str, str]
    merged_stories: dict[str, str]
    touched: set[str]
    features: dict[str, bytes] = field(default_factory=dict)  # computed this batch, to store


def _pins(
    near: _Neighbourhood, constraints: Constraints, ids: set[str], dups: Mapping[str, str]
) -> Constraints:
    """Must-link pairs that keep every stored event's kept members together (but those of an
    event a cannot-link pair splits), with the corrections among the documents ``ids`` (a
    duplicate stands for its kept document)."""
    by_event: dict[str, list[str]] = {}
    for doc in near.kept:
        if near.event_of[doc] not in near.fixes.unpinned:
            by_event.setdefault(near.event_of[doc], []).append(doc)
    pins = [(m[0], x) for m in by_event.values() for x in m[1:]]

    def here(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(a, b) for a, b in pairs if dups.get(a, a) in ids and dups.get(b, b) in ids]

    return Constraints(
        tuple(pins + here(constraints.must_link)), tuple(here(constraints.cannot_link))
    )


def _carry_events(
    state: State, clusters: Sequence[Cluster], near: _Neighbourhood, new: set[str]
) -> tuple[list[str], dict[str, str], set[str]]:
    """Return each cluster's carried event id, the merged event ids, and the touched events (new,
    grown, merged or split)."""
    old = near.event_of
    size = Counter(old[m] for m in near.kept)
    groups = [(c.id, Counter(old[m] for m in c.kept if m in old)) for c in clusters]
    ids, merged = carry_ids(groups, state.created({e for _, olds in groups for e in olds}))
    touched = {
        eid
        for eid, c, (_, olds) in zip(ids, clusters, groups, strict=True)
        if len(olds) != 1 or olds.get(eid) != size[eid] or any(m in new for m in c.members)
    }
    return ids, merged, touched


def _with_rest(
    clusters: Sequence[Cluster], merged: Mapping[str, str], rest: Sequence[StoredDoc]
) -> list[Cluster]:
    """Return the (carried) clusters with the members the batch was not clustered with: each
    stays in its event, or follows it into the event it merged into (its cohesion and weakest
    link are those of the members clustered)."""
    extra: dict[str, list[StoredDoc]] = {}
    for d in rest:
        extra.setdefault(merged.get(d.event, d.event), []).append(d)
    return [
        dataclasses.replace(
            c,
            members=tuple(sorted((*c.members, *(d.id for d in extra[c.id])))),
            kept=tuple(sorted((*c.kept, *(d.id for d in extra[c.id] if d.dup_of is None)))),
        )
        if c.id in extra
        else c
        for c in clusters
    ]


def _carry_stories(
    state: State, stories: Sequence[Story], rename: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Return the carried story id of each (carried) event id, and the merged story ids."""
    old_story = state.story_of({rename[c] for s in stories for c in s.clusters})
    groups = [
        (s.id, Counter(old_story[rename[c]] for c in s.clusters if rename[c] in old_story))
        for s in stories
    ]
    created = state.created({o for _, olds in groups for o in olds}, "stories")
    ids, merged = carry_ids(groups, created)
    story_of = {rename[c]: sid for s, sid in zip(stories, ids, strict=True) for c in s.clusters}
    return story_of, merged


def _frequencies(
    state: State, docs: Sequence[Doc], new_kept: Sequence[str], batch: _Batch
) -> CorpusFrequencies:
    """Return the document frequencies of the terms of ``docs`` over every kept document: those
    the state holds and the batch's new ones, so that a batch weighs terms as one run over the
    whole corpus would, not as its small neighbourhood alone would."""
    new = doc_frequencies(batch.corpus.matching[i].tokens for i in new_kept)
    df = Counter(state.df({t for d in docs for t in d.tokens})) + new
    return CorpusFrequencies(df, state.n_kept() + len(new_kept))


def _cluster(
    state: State,
    batch: _Batch,
    near: _Neighbourhood,
    stored: Mapping[str, Doc],
    constraints: Constraints,
) -> _Outcome:
    """Cluster the batch's kept documents with the neighbourhood; carry event and story ids."""
    if not batch.new and not near.fixes.events:  # nothing new, no correction to make
        return _Outcome([], {}, {}, set())
    new_kept = [i for i in batch.new if i not in batch.dup_of]
    docs = [stored[i] for i in near.kept] + [batch.corpus.matching[i] for i in new_kept]
    dups = {**near.dup_of, **{d: r.other for d, r in batch.dup_of.items()}}
    vectors = build_vectors(docs, batch.cfg, _frequencies(state, docs, new_kept, batch))
    pins = _pins(near, constraints, {d.id for d in docs}, dups)
    features, computed = _features(state, docs)
    clusters, stories = cluster_docs(vectors, docs, batch.cfg, dups, pins, features)
    ids, merged, touched = _carry_events(state, clusters, near, set(batch.new))
    rename = {c.id: eid for c, eid in zip(clusters, ids, strict=True)}
    story_of, merged_stories = _carry_stories(state, stories, rename)
    carried = [
        Cluster(eid, c.members, c.kept, c.cohesion, story_of[eid], c.weakest_link)
        for c, eid in zip(clusters, ids, strict=True)
    ]
    return _Outcome(
        _with_rest(carried, merged, near.rest), merged, merged_stories, touched, computed
    )


def _features(state: State, docs: Sequence[Doc]) -> tuple[DocFeatures, dict[str, bytes]]:
    """Return the scoring features of ``docs`` (those the state keeps, the others computed) and
    the computed ones, encoded for the state."""
    stored = state.features(d.id for d in docs)
    missing = [d for d in docs if d.id not in stored]
    computed = dict(zip((d.id for d in missing), DocFeatures.of(missing).encoded(), strict=True))
    blobs = {**stored, **computed}
    return DocFeatures.decoded([blobs[d.id] for d in docs]), computed


def _summaries(
    state: State, batch: _Batch, touched: Sequence[Cluster], jobs: int
) -> dict[str, ClusterSummary]:
    """Summarize the touched events from their readable documents (the original wording without
    what boilerplate learning removed, as a run reads them), on ``jobs`` processes."""
    if not batch.cfg.summaries:
        return {}
    need = {m for c in touched for m in c.kept}
    fresh = need & batch.corpus.original.keys()
    docs = {**_readable(state, need - fresh), **{i: readable_in(batch.corpus, i) for i in fresh}}
    return summarize_all(touched, docs, batch.cfg, jobs)


def _readable(
    state: State, ids: Iterable[str], originals: Mapping[str, Doc] | None = None
) -> dict[str, Doc]:
    """Return the :func:`~clusterer.pipeline.readable` version of stored documents (``originals``:
    their original versions, when already read)."""
    ids = list(ids)
    original = originals if originals is not None else state.docs(ids)
    matching = state.docs(ids, "matching")
    return {i: readable(original[i], matching[i]) for i in ids}


def _doc_rows(batch: _Batch, event_of: Mapping[str, str], number: int) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for i in batch.new:
        rel = batch.dup_of.get(i)
        rows.append(
            (
                i,
                number,
                content_hash(batch.corpus.matching[i]),
                event_of[i],
                rel.other if rel else None,
                pack(rel) if rel else None,
                pack(batch.corpus.original[i]),
                pack(batch.corpus.matching[i]),
                outlet_key(batch.corpus.original[i]),
            )
        )
    return rows


def _write_terms(state: State, batch: _Batch) -> None:
    """Add the new kept documents' terms to the vocabulary, and their posting terms."""
    kept = [batch.corpus.matching[i] for i in batch.new if i not in batch.dup_of]
    counts = Counter(t for d in kept for t in set(d.tokens))
    df = Counter(state.df(counts)) + counts
    state.add_terms(dict(counts), {d.id: _posting_terms(d, df) for d in kept})


def _write(
    state: State, number: int, batch: _Batch, near: _Neighbourhood, out: _Outcome, jobs: int
) -> None:
    """Store the batch: documents, moved members, touched events (summarized on ``jobs``
    processes), merges, stories, terms."""
    event_of = {m: c.id for c in out.clusters for m in c.members}
    state.add_docs(_doc_rows(batch, event_of, number))
    state.set_features(out.features.items())
    state.move_docs({d: event_of[d] for d, e in near.event_of.items() if event_of.get(d, e) != e})
    touched = [c for c in out.clusters if c.id in out.touched]
    summaries = _summaries(state, batch, touched, jobs)
    created = state.created(c.id for c in touched)
    for c in touched:
        stored = StoredEvent(
            c.id, c.story, created.get(c.id, number), number, c.cohesion, c.weakest_link
        )
        state.put_event(stored, summaries.get(c.id))
    state.set_story({c.id: c.story for c in out.clusters if c.id not in out.touched})
    state.retire(out.merged, number)
    stories = {c.story for c in out.clusters}
    state.put_stories({s: state.created([s], "stories").get(s, number) for s in stories}, number)
    gone = set(out.merged_stories) - state.live_stories(out.merged_stories)
    state.retire({s: out.merged_stories[s] for s in gone}, number, "stories")
    _write_terms(state, batch)
    state.add_related(batch.related)
    state.set_meta("params", json.dumps(batch.cfg.to_dict(), sort_keys=True))
    state.set_meta("tool", __version__)


def _check_params(state: State, cfg: Config) -> None:
    stored = state.meta("params")
    if stored is not None and stored != json.dumps(cfg.to_dict(), sort_keys=True):
        log.warning(
            "%s was built with other settings; new documents are clustered with the current ones",
            state.path,
        )


def update(
    state: State,
    items: Iterable[Article | Skipped],
    cfg: Config | None = None,
    *,
    on_progress: ProgressFn | None = None,
    jobs: int | None = None,
    constraints: Constraints | None = None,
) -> BatchResult:
    """Add a batch of documents to ``state`` in one transaction; return what changed.

    ``constraints`` (corrections) hold for new and stored documents alike, at both levels: a
    must-link pair ends in one event (stored events merge), a cannot-link pair in neither one
    event (a stored event holding one may split) nor one story. The state remembers them: later
    batches honour them too, among the documents they cluster.

    Examples
    --------
    >>> import tempfile, os
    >>> from clusterer import Article
    >>> path = os.path.join(tempfile.mkdtemp(), "news.db")
    >>> with State(path) as st:
    ...     first = update(st, [Article("a", "Rain falls on Paris today.", "a")])
    ...     again = update(st, [Article("a", "Rain falls on Paris today.", "a"),
    ...                         Article("b", "Rain falls on Paris today.", "b")])
    >>> first.touched == again.touched, again.seen, again.duplicates
    (True, 1, 1)
    """
    cfg = cfg or Config()
    progress = on_progress or _noop
    jobs = jobs or default_jobs()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    docs, skipped = normalize_all(items, cfg, progress, jobs=jobs)
    timings["ingest+normalize"] = time.perf_counter() - t0
    started = datetime.now(UTC).isoformat(timespec="seconds")
    if not docs and not state.n_kept():
        raise EmptyCorpusError("no usable document in the input, and none in the state")
    with state.batch() as number:
        t0 = time.perf_counter()
        matching, boilerplate = _learn_boilerplate(state, docs, cfg)
        timings["boilerplate"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        _check_params(state, cfg)
        batch = _new_documents(state, Corpus.of(docs, matching), cfg)
        given = constraints or Constraints()
        fixes, reviewed = _review(state, _corrections(state, batch, given))
        constraints = _remembered(state, given)
        near = _neighbourhood(state, batch, fixes)
        stored = state.docs(near.kept, "matching")
        _dedup(batch, near, stored)
        timings["dedup"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = _cluster(state, batch, near, stored, constraints)
        timings["cluster"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        _write(state, number, batch, near, out, jobs)
        touched = tuple(c.id for c in out.clusters if c.id in out.touched)
        counts = (len(batch.new), batch.seen, len(batch.dup_of), len(touched))
        state.add_batch(number, started, counts)
        _remember(state, constraints if given else None, reviewed)
        timings["summarize+store"] = time.perf_counter() - t0
    return BatchResult(
        number, touched, out.merged, *counts[:3], tuple(skipped), tuple(boilerplate), timings
    )


def load_report(
    state: State,
    events: Iterable[str] | None = None,
    result: BatchResult | None = None,
    *,
    jobs: int | None = None,
) -> Report:
    """Return the report of the state (every live event, or only ``events``), as a run's.

    ``result`` adds one batch's skipped inputs, boilerplate, merges and timings. Coverage and
    timelines are computed on ``jobs`` worker processes (default: all cores), with the same
    result for any ``jobs``.
    """
    live = state.events(events)
    rows = state.members(live)
    members: dict[str, list[str]] = {}
    for d in rows:
        members.setdefault(d.event, []).append(d.id)
    dup_of = {d.id for d in rows if d.dup_of is not None}
    clusters = [
        Cluster(
            e.id,
            tuple(sorted(members[e.id])),
            tuple(sorted(m for m in members[e.id] if m not in dup_of)),
            e.cohesion,
            e.story,
            e.weakest,
        )
        for e in live.values()
    ]
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    ids = [d.id for d in rows]
    originals = state.docs(ids)
    kept = tuple(d.id for d in rows if d.dup_of is None)
    dedup = DedupResult(kept, tuple(state.relations(dup_of)), tuple(state.related(kept)))
    stories = _stories(clusters)
    params = json.loads(state.meta("params") or "{}")
    summaries = state.summaries(live)
    coverage, timelines = (
        cover_all(
            clusters,
            stories,
            _readable(state, ids, originals),
            dedup,
            Config(),
            jobs or default_jobs(),
        )
        if summaries
        else ({}, {})
    )
    return Report(
        docs=tuple(originals[i] for i in ids),
        clusters=tuple(clusters),
        summaries=summaries,
        stories=stories,
        dedup=dedup,
        skipped=result.skipped if result else (),
        boilerplate=result.boilerplate if result else (),
        params=params,
        timings=result.timings if result else {},
        merged=result.merged if result else {},
        coverage=coverage,
        timelines=timelines,
    )


def _stories(clusters: Sequence[Cluster]) -> tuple[Story, ...]:
    """Group the (ordered) clusters by story, stories in the order of their first cluster."""
    by_story: dict[str, list[str]] = {}
    for c in clusters:
        by_story.setdefault(c.story, []).append(c.id)
    return tuple(Story(sid, tuple(events)) for sid, events in by_story.items())
