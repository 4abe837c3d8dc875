"""Feed a labeled corpus to a state in batches by date and compare with one run (tests and bench)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterer import Article, Config, run
from clusterer.evaluate import score_clustering
from clusterer.incremental import load_report, update
from clusterer.state import State


def articles(rows: list[dict[str, Any]]) -> list[Article]:
    """Return the records as Articles (their fields, as the JSONL reader would take them)."""
    return [
        Article(
            r["id"],
            r["text"],
            r["id"],
            title=r.get("title"),
            source=r.get("source"),
            date=r.get("date"),
            url=r.get("url"),
            format="jsonl",
        )
        for r in rows
    ]


def by_date(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the records sorted by day, then id."""
    return sorted(rows, key=lambda r: (r["date"][:10], r["id"]))


def daily(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split records sorted by date into one batch per day."""
    return [list(g) for _, g in itertools.groupby(by_date(rows), key=lambda r: r["date"][:10])]


def halves(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split records into two batches at the day of the middle record."""
    rows = by_date(rows)
    day = rows[len(rows) // 2]["date"][:10]
    return [[r for r in rows if r["date"][:10] < day], [r for r in rows if r["date"][:10] >= day]]


@dataclass(frozen=True)
class Fed:
    """One run vs the same records fed in batches."""

    bcubed_f1: float  # of the fed clustering against the one run's
    pair_f1: float
    first_ids_surviving: float  # share of the first batch's event ids still live at the end
    batches: int


def feed_and_compare(
    batches: list[list[dict[str, Any]]], db: Path, cfg: Config | None = None
) -> Fed:
    """Cluster all records at once and batch by batch into the state ``db``; compare."""
    cfg = cfg or Config()
    one = run(articles([r for b in batches for r in b]), cfg, jobs=1)
    with State(db) as state:
        first: set[str] = set()
        for n, batch in enumerate(batches):
            update(state, articles(batch), cfg, jobs=1)
            if n == 0:
                first = {c.id for c in load_report(state).clusters}
        fed = load_report(state)
    live = {c.id for c in fed.clusters}
    scores = score_clustering(
        {m: c.id for c in one.clusters for m in c.members},
        {m: c.id for c in fed.clusters for m in c.members},
    )
    return Fed(
        scores.bcubed_f1, scores.pair_f1, len(first & live) / max(1, len(first)), len(batches)
    )
