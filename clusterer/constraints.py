"""Corrections: must-link and cannot-link pairs a newsroom keeps in one JSONL file.

Each line is ``{"must_link": [a, b]}`` (the two documents end in one event) or
``{"cannot_link": [a, b]}`` (never in one event, nor in one story). Ids the corpus does not hold
are reported once each (a warning, not an error), so one file serves successive runs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

log = logging.getLogger(__name__)

KINDS = ("must_link", "cannot_link")


@dataclass(frozen=True, slots=True)
class Constraints:
    """Pairs of document ids that must, or must not, share an event."""

    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.must_link or self.cannot_link)


@dataclass(frozen=True, slots=True)
class IndexConstraints:
    """The constraints as pairs of node indices, ready for clustering."""

    must_link: tuple[tuple[int, int], ...] = ()
    cannot_link: tuple[tuple[int, int], ...] = ()


def parse_constraint(record: object) -> tuple[str, tuple[str, str]]:
    """Return ``(kind, (a, b))`` of one constraint record, or raise ValueError.

    >>> parse_constraint({"cannot_link": ["x", "y"]})
    ('cannot_link', ('x', 'y'))
    """
    if isinstance(record, dict) and len(record) == 1:
        kind, pair = next(iter(record.items()))
        if kind in KINDS and isinstance(pair, list) and len(pair) == 2:
            return kind, (str(pair[0]), str(pair[1]))
    raise ValueError('expected {"must_link": [a, b]} or {"cannot_link": [a, b]}')


def load_constraints(path: Path) -> Constraints:
    """Read a constraints file (JSONL); a malformed line raises InputError with its number."""
    found: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            kind, pair = parse_constraint(json.loads(line))
        except ValueError as exc:  # JSONDecodeError is a ValueError
            raise InputError(f"{path}:{n}: not a constraint ({exc})") from exc
        found[kind].append(pair)
    return Constraints(tuple(found["must_link"]), tuple(found["cannot_link"]))


def write_constraints(path: Path, constraints: Constraints) -> None:
    """Write ``constraints`` as JSONL (must-link lines first)."""
    with path.open("w", encoding="utf-8") as fh:
        for kind in KINDS:
            for a, b in getattr(constraints, kind):
                fh.write(json.dumps({kind: [a, b]}, ensure_ascii=False) + "\n")


def _node(doc_id: str, index: Mapping[str, int], duplicates: Mapping[str, str]) -> int | None:
    return index.get(duplicates.get(doc_id, doc_id))


def resolve(
    constraints: Constraints, ids: Sequence[str], duplicates: Mapping[str, str]
) -> IndexConstraints:
    """Return the constraints over node indices (``ids`` order); a duplicate stands for its kept
    document. Warn once per unknown id; drop a pair whose two ids are one document."""
    index = {doc_id: n for n, doc_id in enumerate(ids)}
    unknown: set[str] = set()
    out: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
    for kind in KINDS:
        for a, b in getattr(constraints, kind):
            na, nb = _node(a, index, duplicates), _node(b, index, duplicates)
            for doc_id, node in ((a, na), (b, nb)):
                if node is None and doc_id not in unknown:
                    unknown.add(doc_id)
                    log.warning("constraints: no document with id %r; ignored", doc_id)
            if na is not None and nb is not None and na != nb:
                out[kind].append((min(na, nb), max(na, nb)))
    return IndexConstraints(tuple(out["must_link"]), tuple(out["cannot_link"]))
