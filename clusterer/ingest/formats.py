"""Files by format: plain text, JSON lines, JSON, CSV/TSV, HTML, gzip-compressed any of them.

The format is chosen by the file extension (after ``.gz``, by the inner one); see the
table in :mod:`clusterer.ingest`. Every reader yields an :class:`Article` or a
:class:`Skipped` per document, never raises on bad input.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import logging
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..records import Article, Skipped
from .decode import BINARY, decode_bytes
from .fields import EMPTY, TEXT_KEYS, record_article
from .html_text import html_article

__all__ = ["decode_or_skip", "jsonl_lines", "os_reason", "read_file", "text_article"]

logger = logging.getLogger(__name__)

JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})
CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
GZIP_EXTENSIONS = frozenset({".gz", ".gzip"})
LIST_KEYS = ("articles", "documents", "records", "data", "items")


def os_reason(exc: OSError) -> str:
    """An OS error as a short lower-case reason."""
    return (exc.strerror or str(exc)).lower()


def read_file(path: str, file_id: str) -> Iterator[Article | Skipped]:
    """Read one file, dispatching on its extension (after ``.gz``, the inner one)."""
    name = Path(path).name.lower()
    suffix = Path(name).suffix
    gzipped = suffix in GZIP_EXTENSIONS
    if gzipped:
        suffix = Path(name[: -len(suffix)]).suffix
    try:
        stream: IO[bytes] = gzip.open(path, "rb") if gzipped else open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115
    except OSError as exc:
        yield Skipped(path, os_reason(exc))
        return
    try:
        with stream:
            if suffix in JSONL_EXTENSIONS:
                yield from _jsonl_stream(stream, file_id, path, "jsonl")
                return
            data = stream.read()
    except OSError as exc:
        reason = os_reason(exc) if exc.strerror or not gzipped else f"not a valid gzip file: {exc}"
        yield Skipped(path, reason)
        return
    except (EOFError, zlib.error) as exc:
        yield Skipped(path, f"not a valid gzip file: {exc}")
        return
    yield from _read_data(data, suffix, file_id, path)


def decode_or_skip(data: bytes, origin: str) -> tuple[str, str] | Skipped:
    """``decode_bytes(data)``, or a Skipped (and a warning) when ``data`` is not text."""
    try:
        return decode_bytes(data)
    except UnicodeError:
        logger.warning("%s: %s; skipped", origin, BINARY)
        return Skipped(origin, BINARY)


def _read_data(data: bytes, suffix: str, file_id: str, path: str) -> Iterator[Article | Skipped]:
    decoded = decode_or_skip(data, path)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    text, encoding = decoded
    if suffix in JSON_EXTENSIONS:
        yield from _json_records(text, file_id, path, encoding)
    elif suffix in CSV_DELIMITERS:
        yield from _csv_records(text, CSV_DELIMITERS[suffix], file_id, path, encoding)
    elif suffix in HTML_EXTENSIONS:
        yield html_article(text, file_id, path, encoding)
    else:
        yield text_article(text, file_id, path, "text", encoding)


def text_article(
    text: str, doc_id: str, origin: str, fmt: str, encoding: str | None
) -> Article | Skipped:
    if not text.strip():
        return Skipped(origin, EMPTY)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Article(id=doc_id, text=text, origin=origin, format=fmt, encoding=encoding)


def _jsonl_stream(
    stream: IO[bytes], file_id: str, path: str, fmt: str
) -> Iterator[Article | Skipped]:
    """Parse a binary JSONL stream line by line (UTF-16/32 streams are decoded whole)."""
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        decoded = decode_or_skip(stream.read(), path)
        if isinstance(decoded, Skipped):
            yield decoded
            return
        text, encoding = decoded
        yield from jsonl_lines(text.split("\n"), file_id, path, fmt, encoding)
        return
    yield from jsonl_lines(stream, file_id, path, fmt, "utf-8")


def jsonl_lines(
    lines: Iterable[bytes] | Iterable[str],
    file_id: str,
    origin: str,
    fmt: str,
    encoding: str | None,
) -> Iterator[Article | Skipped]:
    """Parse JSON lines; blank lines are ignored, bad ones skipped with their line number."""
    for number, line in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if isinstance(line, bytes):
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            try:
                text = line.decode(encoding or "utf-8")
            except UnicodeDecodeError:
                try:
                    text, encoding = decode_bytes(line)
                except UnicodeError:
                    yield Skipped(where, "not valid text (binary data on this line)")
                    continue
        else:
            text = str(line).removeprefix("\ufeff") if number == 1 else str(line)
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            yield Skipped(where, f"not valid JSON: {_json_error(exc)}")
            continue
        yield record_article(value, f"{file_id}:{number}", where, fmt, encoding)


def _json_error(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)


def _json_records(text: str, file_id: str, path: str, encoding: str) -> Iterator[Article | Skipped]:
    """Parse a JSON file: a list of records, an object holding such a list, or one record."""
    if not text.strip():
        yield Skipped(path, EMPTY)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from jsonl_lines(text.split("\n"), file_id, path, "json", encoding)
        else:
            yield Skipped(path, f"not valid JSON: {exc}")
        return
    except (ValueError, RecursionError) as exc:
        yield Skipped(path, f"not valid JSON: {_json_error(exc)}")
        return
    value = _unwrap_list(value)
    if isinstance(value, list):
        if not value:
            yield Skipped(path, EMPTY)
        for index, item in enumerate(value):
            yield record_article(item, f"{file_id}:#{index}", f"{path}:#{index}", "json", encoding)
    else:
        yield record_article(value, file_id, path, "json", encoding)


def _unwrap_list(value: object) -> object:
    """The first list an object holds under one of ``LIST_KEYS``; anything else as it is."""
    if isinstance(value, dict):
        lists = [value[k] for k in value if k.lower() in LIST_KEYS and isinstance(value[k], list)]
        if lists:
            return lists[0]
    return value


def _csv_records(
    text: str, delimiter: str, file_id: str, path: str, encoding: str
) -> Iterator[Article | Skipped]:
    """Parse CSV/TSV whose first row names the fields; rows are numbered from 1 (the header)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text, delimiter))
    number = 1
    try:
        names = _csv_header(next(reader, None), path)
        if isinstance(names, Skipped):
            yield names
            return
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield _csv_row(row, names, f"{file_id}:{number}", f"{path}:{number}", encoding)
    except csv.Error as exc:
        yield Skipped(f"{path}:{number + 1}", f"not valid CSV: {exc}")


def _csv_delimiter(text: str, delimiter: str) -> str:
    """``delimiter``, or for ``,`` absent from the first line, the first of ``; TAB |`` present."""
    first_line = text.split("\n", 1)[0]
    if delimiter == "," and "," not in first_line:
        return next((d for d in (";", "\t", "|") if d in first_line), ",")
    return delimiter


def _csv_header(header: list[str] | None, path: str) -> list[str] | Skipped:
    """The field names of a header row, or why the file has no usable header."""
    if header is None or not any(h.strip() for h in header):
        return Skipped(path, EMPTY)
    names = [h.strip() for h in header]
    if not any(n.lower() in TEXT_KEYS for n in names):
        found = ", ".join(n for n in names if n) or "none"
        return Skipped(path, f"no text column (expected 'text'; found: {found})")
    return names


def _csv_row(
    row: list[str], names: list[str], doc_id: str, where: str, encoding: str
) -> Article | Skipped:
    """One data row as a record (a name repeated in the header keeps its first cell)."""
    if len(row) > len(names):
        return Skipped(where, f"row has {len(row)} fields but the header has {len(names)}")
    record: dict[str, Any] = {}
    for key, cell in zip(names, row, strict=False):
        if key and key not in record:
            record[key] = cell
    return record_article(record, doc_id, where, "csv", encoding)
