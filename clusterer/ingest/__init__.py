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
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from ..errors import InputError
from ..records import Article, Skipped
from .decode import decode_bytes
from .formats import os_reason, read_file
from .stdin import read_stdin

__all__ = ["decode_bytes", "read_paths"]

logger = logging.getLogger(__name__)


def read_paths(
    paths: Sequence[str | Path],
    *,
    strict: bool = False,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Article | Skipped]:
    """Yield an Article or a Skipped for every document in ``paths`` (files, folders, ``-`` for stdin).

    Folders are read recursively in order of relative path, hidden files and folders
    (names starting with ``.``) left out. Document ids are the path relative to the folder
    given (the file name for a file given directly), a record's own ``id``, or
    ``FILE:LINE`` (``FILE:#N`` for the N-th, 0-based, record of a JSON list). Later
    documents whose id was already seen are skipped. With ``strict=True`` the first
    problem raises :class:`InputError` instead of yielding a ``Skipped``.
    """
    seen: dict[str, str] = {}
    for item in _read_all(paths, stdin):
        if isinstance(item, Article):
            first = seen.get(item.id)
            if first is None:
                seen[item.id] = item.origin
            else:
                item = Skipped(item.origin, f"duplicate id {item.id!r} (first seen at {first})")
        if isinstance(item, Skipped):
            if strict:
                raise InputError(f"{item.origin}: {item.reason}")
            logger.debug("skipped %s: %s", item.origin, item.reason)
        yield item


def _read_all(
    paths: Sequence[str | Path], stdin: TextIO | BinaryIO | None
) -> Iterator[Article | Skipped]:
    for raw in [paths] if isinstance(paths, str | Path) else paths:
        given = os.fspath(raw)
        if given == "-":
            yield from read_stdin(stdin if stdin is not None else sys.stdin)
        elif os.path.isdir(given):
            yield from _read_folder(given)
        elif os.path.lexists(given):
            yield from read_file(given, Path(given).name)
        else:
            yield Skipped(given, "no such file or directory")


def _read_folder(root: str) -> Iterator[Article | Skipped]:
    """Read every visible file under ``root``, in order of relative path."""
    yield from _walk(root, "", {os.path.realpath(root)})


def _walk(folder: str, rel_dir: str, visited: set[str]) -> Iterator[Article | Skipped]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(folder, os_reason(exc))
        return
    for entry in entries:
        rel = rel_dir + entry.name
        full = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            yield Skipped(full, os_reason(exc))
            continue
        if is_dir:
            real = os.path.realpath(full)
            if real not in visited:
                yield from _walk(full, rel + "/", visited | {real})
        elif is_file:
            yield from read_file(full, rel)
        elif not os.path.exists(full):
            yield Skipped(full, "broken symbolic link")
        else:
            yield Skipped(full, "not a regular file")
