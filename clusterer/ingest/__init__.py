"""Read articles from files, folders and stdin: the first stage of the pipeline.

``read_paths`` turns what the user named into a stream of :class:`Article` (one input
document, uninterpreted) and :class:`Skipped` (an input that could not become an article,
and why). Nothing here raises on bad input unless ``strict=True``.

Formats are chosen by file extension:

========================  ===================================================
``.txt`` ``.md``, none     one article a file (format ``text``)
``.jsonl`` ``.ndjson``     one record a line (format ``jsonl``)
``.json``                  a list of records, an object holding one under
                           ``articles``/``documents``/``records``/``data``/``items``,
                           or one record (format ``json``)
``.csv`` ``.tsv``          one record a row, the first row names the fields
                           (format ``csv``)
``.html`` ``.htm``         main text extracted with trafilatura (format ``html``)
``.gz``                    decompressed, then chosen by the inner extension
anything else              read as text when the bytes decode as text
========================  ===================================================

Records carry ``id``, ``title``, ``text`` (or ``body``/``content``/``article``), and
optionally ``date``, ``source`` (or ``outlet``/``site``/``publisher``), ``url``, ``lang``;
other scalar fields go to ``Article.extra``.

Examples
--------
>>> import io
>>> items = list(read_paths(["-"], stdin=io.BytesIO(b'{"id": "a1", "text": "Hello"}\\n{"text": ""}\\n')))
>>> items[0].id, items[0].text, items[0].origin
('a1', 'Hello', 'stdin:1')
>>> items[1]
Skipped(origin='stdin:2', reason='empty document')
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from ..errors import InputError
from ..records import Article, Skipped
from .decode import decode_bytes
from .fields import safe_name
from .formats import MAX_BYTES, os_reason, read_file
from .stdin import read_stdin

__all__ = ["MAX_BYTES", "decode_bytes", "read_part", "read_paths", "repeated_id"]

logger = logging.getLogger(__name__)

HIDDEN = "hidden (name starts with '.'; read it with --include-hidden)"
OUTSIDE = "symbolic link to {target}, outside the paths given (read it with --follow-symlinks)"
NOT_REGULAR = "not a regular file (a pipe, device or socket)"


@dataclass(frozen=True, slots=True)
class _Walk:
    """What a walk over the given paths needs to know."""

    roots: tuple[str, ...]  # real paths of everything given
    common: str | None  # ids are relative to this folder when several paths are given
    include_hidden: bool
    follow_symlinks: bool
    max_bytes: int


def read_paths(
    paths: Sequence[str | Path] | str | Path,
    *,
    strict: bool = False,
    stdin: TextIO | BinaryIO | None = None,
    include_hidden: bool = False,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Article | Skipped]:
    """Yield an Article or a Skipped for every document in ``paths`` (files, folders, ``-`` for stdin).

    Folders are read recursively in order of relative path. Hidden files and folders (names
    starting with ``.``) are listed as skipped unless ``include_hidden``; symbolic links
    pointing outside the paths given are skipped unless ``follow_symlinks``; pipes, devices
    and sockets are skipped, never opened; files over ``max_bytes`` (after decompression)
    are skipped. Document ids are the path relative to the folder given (the file name for a
    file given directly; with several paths, the path relative to their common folder), a
    record's own ``id``, or ``FILE:LINE`` (``FILE:#N`` for the N-th, 0-based, record of a JSON
    list); file names that are not valid UTF-8 are escaped (``\\xff``). Later documents whose
    id was already seen are skipped. With ``strict=True`` the first problem raises
    :class:`InputError` instead of yielding a ``Skipped``.
    """
    given = [os.fspath(p) for p in ([paths] if isinstance(paths, str | Path) else paths)]
    walk = _walk_of(given, include_hidden, follow_symlinks, max_bytes)
    seen: dict[str, str] = {}
    for item in _read_all(given, stdin, walk):
        if isinstance(item, Article):
            first = seen.get(item.id)
            if first is None:
                seen[item.id] = item.origin
            else:
                item = repeated_id(item, first)
        if isinstance(item, Skipped):
            if strict:
                raise InputError(f"{item.origin}: {item.reason}")
            logger.debug("skipped %s: %s", item.origin, item.reason)
        yield item


def read_part(
    paths: Sequence[str],
    index: int,
    *,
    include_hidden: bool = False,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Article | Skipped]:
    """Yield what :func:`read_paths` reads from ``paths[index]`` (not stdin), before its check of
    repeated ids (:func:`repeated_id`): for an engine that reads the paths in parallel and checks
    the ids afterwards."""
    walk = _walk_of(paths, include_hidden, follow_symlinks, max_bytes)
    yield from _read_all([paths[index]], None, walk)


def repeated_id(item: Article, first: str) -> Skipped:
    """Return what a document whose id was already seen (first at ``first``) becomes."""
    return Skipped(item.origin, f"duplicate id {item.id!r} (first seen at {first})")


def _walk_of(
    given: Sequence[str], include_hidden: bool, follow_symlinks: bool, max_bytes: int
) -> _Walk:
    return _Walk(
        roots=tuple(os.path.realpath(g) for g in given if g != "-"),
        common=_common_folder(given),
        include_hidden=include_hidden,
        follow_symlinks=follow_symlinks,
        max_bytes=max_bytes,
    )


def _common_folder(given: Sequence[str]) -> str | None:
    """The folder ids are relative to when several paths are given (None for one path)."""
    places = [g if os.path.isdir(g) else os.path.dirname(g) or "." for g in given if g != "-"]
    if len(places) < 2:
        return None
    try:
        return os.path.commonpath([os.path.abspath(p) for p in places])
    except ValueError:
        return None


def _file_id(walk: _Walk, path: str, rel: str) -> str:
    """The id of a file: ``rel`` alone, or its path relative to the common folder."""
    if walk.common is None:
        return safe_name(rel)
    return safe_name(os.path.relpath(os.path.abspath(path), walk.common).replace(os.sep, "/"))


def _read_all(
    given: Sequence[str], stdin: TextIO | BinaryIO | None, walk: _Walk
) -> Iterator[Article | Skipped]:
    for path in given:
        if path == "-":
            yield from read_stdin(stdin if stdin is not None else sys.stdin)
        elif os.path.isdir(path):
            yield from _walk(walk, path, "", {os.path.realpath(path)})
        elif os.path.lexists(path):
            yield from _read_one(walk, path, Path(path).name)
        else:
            yield Skipped(safe_name(path), "no such file or directory")


def _read_one(walk: _Walk, path: str, rel: str) -> Iterator[Article | Skipped]:
    """Read one file, never opening a pipe or device; a name that is not UTF-8 is reported."""
    origin = safe_name(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        yield Skipped(origin, os_reason(exc))
        return
    if not stat.S_ISREG(mode):
        yield Skipped(origin, NOT_REGULAR)
        return
    if origin != path:
        logger.warning("%s: file name is not valid UTF-8; shown escaped", origin)
    yield from read_file(path, _file_id(walk, path, rel), walk.max_bytes, origin=origin)


def _outside(walk: _Walk, full: str) -> str | None:
    """Where a symbolic link points when that is outside every path given (else None)."""
    real = os.path.realpath(full)
    for root in walk.roots:
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return None
    return real


def _walk(walk: _Walk, folder: str, rel_dir: str, visited: set[str]) -> Iterator[Article | Skipped]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(safe_name(folder), os_reason(exc))
        return
    for entry in entries:
        full = os.path.join(folder, entry.name)
        if entry.name.startswith(".") and not walk.include_hidden:
            yield Skipped(safe_name(full), HIDDEN)
            continue
        yield from _walk_entry(walk, entry, full, rel_dir + entry.name, visited)


def _walk_entry(
    walk: _Walk, entry: os.DirEntry[str], full: str, rel: str, visited: set[str]
) -> Iterator[Article | Skipped]:
    try:
        is_link = entry.is_symlink()
        is_dir = entry.is_dir()
        is_file = not is_dir and entry.is_file()
    except OSError as exc:
        yield Skipped(safe_name(full), os_reason(exc))
        return
    target = _outside(walk, full) if is_link and os.path.exists(full) else None
    if target is not None and not walk.follow_symlinks:
        yield Skipped(safe_name(full), OUTSIDE.format(target=safe_name(target)))
    elif is_dir:
        real = os.path.realpath(full)
        if real not in visited:
            yield from _walk(walk, full, rel + "/", visited | {real})
    elif is_file:
        yield from _read_one(walk, full, rel)
    elif not os.path.exists(full):
        yield Skipped(safe_name(full), "broken symbolic link")
    else:
        yield Skipped(safe_name(full), NOT_REGULAR)
