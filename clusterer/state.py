"""State: the SQLite store that lets later runs build on earlier ones (``--state news.db``).

One file, the standard library's ``sqlite3`` in WAL mode, no server. It holds what a later run
needs: every document (original and matching versions, content hash, duplicate relation, event),
the vocabulary with document frequencies and a small posting list of each kept document's most
distinctive terms (to find the events a new document may join), every event (members, story,
cohesion, summary, ``merged_into`` once absorbed) and every story.

Safety: a run updates the store in one transaction (:meth:`State.batch`), so a crash or a kill
leaves the database as it was before the run; a second run on the same file waits for the first
(``BEGIN IMMEDIATE``) and, past ``lock_timeout``, fails with a clear message. The schema is
versioned (``PRAGMA user_version``) with forward migrations; a file written by a newer version is
refused.

Records are stored pickled (zlib-compressed) through an unpickler that only rebuilds the record
types of :mod:`clusterer.records`, so a crafted file cannot run code.
"""

from __future__ import annotations

import io
import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import records
from .errors import ClustererError

SCHEMA_VERSION = 3

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, documents INTEGER NOT NULL,
    seen INTEGER NOT NULL, duplicates INTEGER NOT NULL, events_touched INTEGER NOT NULL);
CREATE TABLE docs (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, batch INTEGER NOT NULL,
    hash TEXT NOT NULL, event TEXT NOT NULL, dup_of TEXT, relation BLOB,
    original BLOB NOT NULL, matching BLOB NOT NULL);
CREATE INDEX docs_hash ON docs(hash);
CREATE INDEX docs_event ON docs(event);
CREATE TABLE terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE postings (term TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (term, seq))
    WITHOUT ROWID;
CREATE TABLE events (
    id TEXT PRIMARY KEY, story TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,
    cohesion REAL NOT NULL, weakest BLOB, summary BLOB, merged_into TEXT);
CREATE INDEX events_story ON events(story);
CREATE TABLE stories (
    id TEXT PRIMARY KEY, created INTEGER NOT NULL, updated INTEGER NOT NULL, merged_into TEXT);
CREATE TABLE related (id TEXT NOT NULL, other TEXT NOT NULL, relation BLOB NOT NULL,
    PRIMARY KEY (id, other)) WITHOUT ROWID;
"""

# 2: each document's outlet (records.outlet_key), so that a batch learns an outlet's
# boilerplate with the pages of it already stored, as one run over all of them would
_V2 = """
ALTER TABLE docs ADD COLUMN outlet TEXT;
UPDATE docs SET outlet = outlet_of(original);
CREATE INDEX docs_outlet ON docs(outlet, seq);
"""

# 3: what pair scoring reads of each kept document on its own (its terms, day and facets), kept
# so that a batch does not compute them again for every stored document it is clustered with;
# NULL until a batch computes it, and again whenever the document's matching version changes
_V3 = """
ALTER TABLE docs ADD COLUMN features BLOB;
"""

# MIGRATIONS[n] brings a database from schema n to n + 1 (0: a new, empty file)
MIGRATIONS: list[str] = [_V1, _V2, _V3]


class StateError(ClustererError):
    """The state database cannot be used (newer schema, locked, not a state file)."""


class _RecordUnpickler(pickle.Unpickler):
    """Rebuild only the record types of :mod:`clusterer.records` (and nothing that runs code)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "clusterer.records" and isinstance(getattr(records, name, None), type):
            return getattr(records, name)
        raise pickle.UnpicklingError(f"state: {module}.{name} is not a record type")


def pack(obj: object) -> bytes:
    """Return a record as compressed bytes for the store."""
    return zlib.compress(pickle.dumps(obj, protocol=5), 3)


def unpack(blob: bytes) -> Any:
    """Return the record stored by :func:`pack` (only record types are rebuilt).

    >>> unpack(pack(records.WeakLink("a", "b", 0.5)))
    WeakLink(a='a', b='b', score=0.5)
    """
    return _RecordUnpickler(io.BytesIO(zlib.decompress(blob))).load()


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """One document row: where it belongs and (loaded on demand) its two versions."""

    seq: int
    id: str
    event: str
    dup_of: str | None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One live event row."""

    id: str
    story: str
    created: int
    updated: int
    cohesion: float
    weakest: records.WeakLink | None


def _outlet_of(blob: bytes) -> str | None:
    """Return the outlet key of a stored original document (the migration to schema 2)."""
    return records.outlet_key(unpack(blob))


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    con.create_function("outlet_of", 1, _outlet_of, deterministic=True)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.DatabaseError as exc:
        con.close()
        raise StateError(f"{path}: not a state database ({exc})") from exc
    return con


def _migrate(con: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to :data:`SCHEMA_VERSION`; refuse a newer one."""
    version = int(con.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StateError(
            f"{path} was written by a newer cluster (state schema {version}; this version reads "
            f"up to {SCHEMA_VERSION}): upgrade cluster to use it"
        )
    if version == 0 and con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StateError(f"{path}: an SQLite file that is not a cluster state")
    for step in range(version, SCHEMA_VERSION):
        con.executescript(
            f"BEGIN IMMEDIATE; {MIGRATIONS[step]}; PRAGMA user_version={step + 1}; COMMIT;"
        )


class State:
    """An open state database; use as a context manager, write inside :meth:`batch`."""

    def __init__(self, path: str | Path, *, lock_timeout: float = 600.0, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StateError(f"{self.path}: no such state database")
        self.lock_timeout = lock_timeout
        # original versions read since the last batch began (a document's original never
        # changes): a batch reads those of the events it touches, and its report again
        self._originals: dict[str, records.Doc] = {}
        try:
            self.con = _connect(self.path, lock_timeout)
            _migrate(self.con, self.path)
        except sqlite3.OperationalError as exc:
            raise StateError(f"{self.path}: {exc}") from exc

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (an open batch is rolled back)."""
        self.con.close()

    @contextmanager
    def batch(self) -> Iterator[int]:
        """Hold the write lock for one run: everything inside commits together, or not at all.

        Yields the new batch number. A second run waits up to ``lock_timeout`` seconds.
        """
        self._originals.clear()
        try:
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StateError(
                f"{self.path} is being updated by another cluster run (waited "
                f"{self.lock_timeout:.0f} s); run again when it has finished"
            ) from exc
        try:
            yield int(self.scalar("SELECT coalesce(max(id), 0) + 1 FROM batches"))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    # -- reads -----------------------------------------------------------------------------

    def scalar(self, sql: str, args: Sequence[object] = ()) -> Any:
        """Return the first column of the first row of a query (None when there is none)."""
        row = self.con.execute(sql, args).fetchone()
        return None if row is None else row[0]

    def meta(self, key: str) -> str | None:
        """Return a metadata value (``params``, ``tool``)."""
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Return which of ``ids`` the state already holds."""
        return {r[0] for r in self._in("SELECT id FROM docs WHERE id IN ({})", list(ids))}

    def by_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """Return the kept document holding each content hash the state already has."""
        sql = "SELECT hash, id FROM docs WHERE dup_of IS NULL AND hash IN ({}) ORDER BY seq DESC"
        return {h: i for h, i in self._in(sql, list(set(hashes)))}

    def df(self, terms: Iterable[str]) -> dict[str, int]:
        """Return the document frequency of each known term."""
        return {
            t: n for t, n in self._in("SELECT term, df FROM terms WHERE term IN ({})", list(terms))
        }

    def kept(self, ids: Iterable[str]) -> set[str]:
        """Return which of ``ids`` are kept (not duplicates) documents of the state."""
        sql = "SELECT id FROM docs WHERE dup_of IS NULL AND id IN ({})"
        return {r[0] for r in self._in(sql, list(ids))}

    def n_kept(self) -> int:
        """Return the number of kept (non-duplicate) documents."""
        return int(self.scalar("SELECT count(*) FROM docs WHERE dup_of IS NULL"))

    def events_sharing(self, terms: Iterable[str]) -> dict[str, int]:
        """Return the live events whose kept documents post any of ``terms``, with the hit count."""
        sql = (
            "SELECT d.event, count(*) FROM postings p JOIN docs d ON d.seq = p.seq "
            "WHERE p.term IN ({}) GROUP BY d.event"
        )
        hits: dict[str, int] = {}
        for event, n in self._in(sql, list(terms)):
            hits[event] = hits.get(event, 0) + n
        return hits

    def kept_counts(self, events: Iterable[str]) -> dict[str, int]:
        """Return the number of kept documents of each of ``events``."""
        sql = (
            "SELECT event, count(*) FROM docs WHERE dup_of IS NULL AND event IN ({}) GROUP BY event"
        )
        return dict(self._in(sql, list(events)))

    def outlet_docs(self, outlets: Iterable[str], latest: int) -> dict[str, tuple[str, bytes]]:
        """Return the ``latest`` stored documents of each outlet key, in state order: id ->
        (content hash, packed original version)."""
        sql = "SELECT seq, id, hash, original FROM docs WHERE outlet = ? ORDER BY seq DESC LIMIT ?"
        rows = sorted(r for key in set(outlets) for r in self.con.execute(sql, (key, latest)))
        return {i: (h, blob) for _, i, h, blob in rows}

    def event_of(self, ids: Iterable[str]) -> dict[str, str]:
        """Return the event of each of ``ids`` the state holds."""
        return dict(self._in("SELECT id, event FROM docs WHERE id IN ({})", list(ids)))

    def story_of(self, events: Iterable[str]) -> dict[str, str]:
        """Return the story of each of the live ``events``."""
        return dict(self._in("SELECT id, story FROM events WHERE id IN ({})", list(events)))

    def live_stories(self, stories: Iterable[str]) -> set[str]:
        """Return which of ``stories`` a live event still belongs to."""
        sql = "SELECT DISTINCT story FROM events WHERE merged_into IS NULL AND story IN ({})"
        return {r[0] for r in self._in(sql, list(stories))}

    def recent_events(self, kept: int) -> set[str]:
        """Return the events of the ``kept`` most recently stored kept documents."""
        sql = "SELECT event FROM docs WHERE dup_of IS NULL ORDER BY seq DESC LIMIT ?"
        return {r[0] for r in self.con.execute(sql, (kept,))}

    def members(self, events: Iterable[str]) -> list[StoredDoc]:
        """Return the documents of ``events`` (kept and duplicates), in state order."""
        sql = "SELECT seq, id, event, dup_of FROM docs WHERE event IN ({})"
        rows = [StoredDoc(*r) for r in self._in(sql, list(events))]
        return sorted(rows, key=lambda d: d.seq)

    def docs(self, ids: Iterable[str], column: str = "original") -> dict[str, records.Doc]:
        """Return the stored ``original`` or ``matching`` version of each of ``ids``."""
        assert column in ("original", "matching")
        sql = f"SELECT id, {column} FROM docs WHERE id IN ({{}})"
        if column == "matching":
            return {i: unpack(blob) for i, blob in self._in(sql, list(ids))}
        ids = set(ids)
        known = {i: self._originals[i] for i in ids & self._originals.keys()}
        read = {i: unpack(blob) for i, blob in self._in(sql, list(ids - known.keys()))}
        self._originals.update(read)
        return {**known, **read}

    def events(self, ids: Iterable[str] | None = None) -> dict[str, StoredEvent]:
        """Return the live events (all, or those of ``ids``)."""
        cols = "SELECT id, story, created, updated, cohesion, weakest FROM events"
        rows = (
            self.con.execute(cols + " WHERE merged_into IS NULL")
            if ids is None
            else self._in(cols + " WHERE merged_into IS NULL AND id IN ({})", list(ids))
        )
        return {
            r[0]: StoredEvent(r[0], r[1], r[2], r[3], r[4], unpack(r[5]) if r[5] else None)
            for r in rows
        }

    def events_of_batch(self, batch: int) -> list[str]:
        """Return the live events created or changed by batch ``batch``."""
        sql = "SELECT id FROM events WHERE merged_into IS NULL AND updated = ?"
        return [r[0] for r in self.con.execute(sql, (batch,))]

    def created(self, ids: Iterable[str], table: str = "events") -> dict[str, int]:
        """Return the batch each event (or story) was created in."""
        assert table in ("events", "stories")
        return {
            i: c
            for i, c in self._in(f"SELECT id, created FROM {table} WHERE id IN ({{}})", list(ids))
        }

    def merged(self) -> dict[str, str]:
        """Return every absorbed event id and the event it lives on in (followed to the end)."""
        pairs = dict(
            self.con.execute("SELECT id, merged_into FROM events WHERE merged_into IS NOT NULL")
        )
        out = {}
        for old in pairs:
            new = pairs[old]
            while new in pairs:
                new = pairs[new]
            out[old] = new
        return out

    def summaries(self, ids: Iterable[str]) -> dict[str, records.ClusterSummary]:
        """Return the stored summary of each of ``ids`` that has one."""
        sql = "SELECT id, summary FROM events WHERE summary IS NOT NULL AND id IN ({})"
        return {i: unpack(b) for i, b in self._in(sql, list(ids))}

    def relations(self, ids: Iterable[str]) -> list[records.Relation]:
        """Return the duplicate relations of ``ids`` (those that are duplicates)."""
        sql = "SELECT relation FROM docs WHERE relation IS NOT NULL AND id IN ({})"
        return [unpack(r[0]) for r in self._in(sql, list(ids))]

    def related(self, ids: Iterable[str]) -> list[records.Relation]:
        """Return the syndication relations touching ``ids``."""
        rows = self._in("SELECT relation FROM related WHERE id IN ({})", list(ids))
        return sorted({unpack(r[0]) for r in rows}, key=lambda r: (r.id, r.other))

    def _in(self, sql: str, values: Sequence[Any], size: int = 900) -> Iterator[tuple[Any, ...]]:
        """Run ``sql`` whose ``IN ({})`` takes ``values``, in chunks under SQLite's variable limit."""
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            yield from self.con.execute(sql.format(",".join("?" * len(chunk))), chunk)

    # -- writes (inside batch()) -------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value."""
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def add_docs(self, rows: Iterable[tuple[object, ...]]) -> None:
        """Insert documents: (id, batch, hash, event, dup_of, relation, original, matching,
        outlet)."""
        self.con.executemany(
            "INSERT INTO docs (id, batch, hash, event, dup_of, relation, original, matching, "
            "outlet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def set_matching(self, docs: Iterable[tuple[str, str, bytes]]) -> None:
        """Replace stored matching versions: (id, content hash, packed matching version)."""
        self.con.executemany(
            "UPDATE docs SET hash = ?, matching = ?, features = NULL WHERE id = ?",
            ((h, m, i) for i, h, m in docs),
        )

    def features(self, ids: Iterable[str]) -> dict[str, bytes]:
        """Return the stored scoring features of those of ``ids`` that have them (see
        :meth:`set_features`)."""
        sql = "SELECT id, features FROM docs WHERE features IS NOT NULL AND id IN ({})"
        return dict(self._in(sql, list(ids)))

    def set_features(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Store documents' scoring features: (id, bytes), as the caller encodes them."""
        self.con.executemany("UPDATE docs SET features = ? WHERE id = ?", ((f, i) for i, f in rows))

    def drop_postings(self, ids: Iterable[str]) -> None:
        """Remove the posting terms of documents (by id), to post them again."""
        sql = "DELETE FROM postings WHERE seq IN (SELECT seq FROM docs WHERE id IN ({}))"
        list(self._in(sql, list(ids)))  # run each chunk

    def add_terms(self, counts: dict[str, int], postings: dict[str, Sequence[str]]) -> None:
        """Add document frequencies and each new kept document's posting terms (by doc id)."""
        self.con.executemany(
            "INSERT INTO terms VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            counts.items(),
        )
        seqs = dict(self._in("SELECT id, seq FROM docs WHERE id IN ({})", list(postings)))
        self.con.executemany(
            "INSERT OR IGNORE INTO postings VALUES (?, ?)",
            ((t, seqs[doc]) for doc, terms in postings.items() for t in terms),
        )

    def move_docs(self, event_of: dict[str, str]) -> None:
        """Set the event of documents (by id)."""
        self.con.executemany(
            "UPDATE docs SET event = ? WHERE id = ?", ((e, d) for d, e in event_of.items())
        )

    def put_event(self, event: StoredEvent, summary: records.ClusterSummary | None) -> None:
        """Insert or replace a live event (its creation batch is kept when it exists)."""
        self.con.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT(id) DO UPDATE SET "
            "story = excluded.story, updated = excluded.updated, cohesion = excluded.cohesion, "
            "weakest = excluded.weakest, summary = excluded.summary, merged_into = NULL",
            (
                event.id,
                event.story,
                event.created,
                event.updated,
                event.cohesion,
                pack(event.weakest) if event.weakest else None,
                pack(summary) if summary else None,
            ),
        )

    def set_story(self, events: dict[str, str]) -> None:
        """Set the story of events (by id)."""
        self.con.executemany(
            "UPDATE events SET story = ? WHERE id = ?", ((s, e) for e, s in events.items())
        )

    def retire(self, merged_into: dict[str, str], batch: int, table: str = "events") -> None:
        """Record absorbed events (or stories): each lives on in ``merged_into[id]``."""
        assert table in ("events", "stories")
        self.con.executemany(
            f"UPDATE {table} SET merged_into = ?, updated = ? WHERE id = ?",
            ((new, batch, old) for old, new in merged_into.items()),
        )

    def put_stories(self, stories: dict[str, int], batch: int) -> None:
        """Insert stories that are new (id -> creation batch) and mark the others updated."""
        self.con.executemany(
            "INSERT INTO stories VALUES (?, ?, ?, NULL) ON CONFLICT(id) DO UPDATE SET "
            "updated = excluded.updated, merged_into = NULL",
            ((s, created, batch) for s, created in stories.items()),
        )

    def add_related(self, relations: Iterable[records.Relation]) -> None:
        """Store syndication relations (both directions, for lookups by either id)."""
        rows = [(r.id, r.other, pack(r)) for r in relations]
        rows += [(o, i, b) for i, o, b in rows]
        self.con.executemany("INSERT OR IGNORE INTO related VALUES (?, ?, ?)", rows)

    def add_batch(self, batch: int, started: str, counts: Sequence[int]) -> None:
        """Record one run: (documents, seen, duplicates, events_touched)."""
        self.con.execute("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?)", (batch, started, *counts))

    # -- maintenance --------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Return counts and sizes for ``cluster state stats``."""
        one = self.scalar
        return {
            "path": str(self.path),
            "schema_version": int(one("PRAGMA user_version")),
            "batches": int(one("SELECT count(*) FROM batches")),
            "documents": int(one("SELECT count(*) FROM docs")),
            "kept": self.n_kept(),
            "duplicates": int(one("SELECT count(*) FROM docs WHERE dup_of IS NOT NULL")),
            "events": int(one("SELECT count(*) FROM events WHERE merged_into IS NULL")),
            "merged_events": int(one("SELECT count(*) FROM events WHERE merged_into IS NOT NULL")),
            "stories": int(
                one("SELECT count(DISTINCT story) FROM events WHERE merged_into IS NULL")
            ),
            "terms": int(one("SELECT count(*) FROM terms")),
            "bytes": self.path.stat().st_size,
        }

    def history(self) -> list[dict[str, Any]]:
        """Return one record per batch, oldest first."""
        cols = ("batch", "started", "documents", "seen", "duplicates", "events_touched")
        return [
            dict(zip(cols, r, strict=True))
            for r in self.con.execute("SELECT * FROM batches ORDER BY id")
        ]

    def vacuum(self) -> None:
        """Checkpoint the write-ahead log and rebuild the file compactly."""
        self.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.con.execute("VACUUM")

    def integrity(self) -> str:
        """Return SQLite's integrity check verdict (``ok`` when intact)."""
        return str(self.scalar("PRAGMA integrity_check"))
