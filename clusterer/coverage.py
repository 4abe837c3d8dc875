"""Coverage: who said what, who reported first, and what happened when.

The stage after the summaries: it reads the same clusters and documents and returns, per
cluster, the quotations with their speakers and the first report (:class:`Coverage`), and per
story, its timeline. Each part is a library module of its own (``quotes``, ``sources``,
``timeline``); this module only decides which documents each one reads.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .quotes import find_quotes, merge_quotes
from .records import Cluster, ClusterQuote, Coverage, Doc, Story, TimelineEntry
from .segment import tidy_sentence
from .sources import first_reported_by, outlet_or_none
from .text import TATWEEL
from .timeline import story_timeline

MAX_QUOTES = 12  # quotations shown per cluster (the most widely printed first)
MAX_TIMELINE_DOCS = 60  # documents of one story read for its timeline


def cluster_coverage(
    cluster: Cluster,
    docs: Mapping[str, Doc],
    duplicate_of: Mapping[str, str],
    related: Iterable[tuple[str, str]] = (),
) -> Coverage:
    """Return the quotations (kept documents) and the first report (every member) of a cluster.

    Quotations are read from the kept documents only: a duplicate prints the same words as its
    original and adds no outlet of its own. The first report looks at every member, since a
    copy may carry the earliest date and then hands the credit to its original.
    """
    kept = [docs[i] for i in cluster.kept if i in docs]
    members = [docs[i] for i in cluster.members if i in docs]
    per_doc = {d.id: find_quotes(d) for d in kept}
    outlets = {d.id: outlet_or_none(d) for d in kept}
    quotes = merge_quotes(per_doc, outlets)
    ranked = sorted(range(len(quotes)), key=lambda i: (-len(quotes[i].sources), i))
    shown = tuple(_tidy(quotes[i]) for i in sorted(ranked[:MAX_QUOTES]))
    return Coverage(shown, first_reported_by(members, duplicate_of, related))


def clusters_coverage(
    clusters: Sequence[Cluster],
    docs: Mapping[str, Doc],
    duplicate_of: Mapping[str, str],
    related: Iterable[tuple[str, str]] = (),
) -> dict[str, Coverage]:
    """Return :func:`cluster_coverage` of every cluster by id.

    Each cluster is handed only the dedup pairs between two of its own members (in their
    order): the only ones its first report reads, so no cluster scans every pair of the corpus.
    """
    dups, rels = _pairs_by_cluster(clusters, duplicate_of, related)
    return {c.id: cluster_coverage(c, docs, dups[i], rels[i]) for i, c in enumerate(clusters)}


def _pairs_by_cluster(
    clusters: Sequence[Cluster],
    duplicate_of: Mapping[str, str],
    related: Iterable[tuple[str, str]],
) -> tuple[list[dict[str, str]], list[list[tuple[str, str]]]]:
    """Split the duplicate and related pairs by the cluster holding both of their documents."""
    members = [frozenset(c.members) for c in clusters]
    homes: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(clusters):
        for doc in c.members:
            homes[doc].append(i)
    dups: list[dict[str, str]] = [{} for _ in clusters]
    rels: list[list[tuple[str, str]]] = [[] for _ in clusters]
    for a, b in duplicate_of.items():
        for i in homes.get(a, ()):
            if b in members[i]:
                dups[i][a] = b
    for a, b in related:
        for i in homes.get(a, ()):
            if b in members[i]:
                rels[i].append((a, b))
    return dups, rels


def _tidy(quote: ClusterQuote) -> ClusterQuote:
    """Return the quote as shown: no tatweel, spaces collapsed (the words stay as printed)."""
    text = " ".join(quote.text.replace(TATWEEL, "").split())
    return dataclasses.replace(quote, text=text)


def story_timelines(
    stories: Sequence[Story], clusters: Sequence[Cluster], docs: Mapping[str, Doc]
) -> dict[str, tuple[TimelineEntry, ...]]:
    """Return each story's timeline, read from the kept documents of its events (capped)."""
    by_id = {c.id: c for c in clusters}
    out: dict[str, tuple[TimelineEntry, ...]] = {}
    for story in stories:
        ids = [i for cid in story.clusters for i in by_id[cid].kept if i in docs]
        entries = story_timeline([docs[i] for i in ids[:MAX_TIMELINE_DOCS]])
        out[story.id] = tuple(dataclasses.replace(e, text=tidy_sentence(e.text)) for e in entries)
    return out
