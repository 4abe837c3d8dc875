"""Files by format: plain text, JSON lines, JSON, CSV/TSV, HTML, gzip-compressed any of them.

The format is chosen by the file extension (after ``.gz``, by the inner one); see the
table in :mod:`clusterer.ingest`. Every reader yields an :class:`Article` or a
:class:`Skipped` per document, never raises on bad input.

Decoding is per record and never sticky: each JSONL line and each CSV row is decoded on its
own; bytes that are not valid UTF-8 are replaced (or the line re-read in another encoding),
counted in ``Article.decode_errors`` and reported in a warning naming ``FILE:LINE``.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import gzip
import io
import json
import logging
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from ..records import Article, Skipped
from .decode import BINARY, DecodedLine, DecodedText, decode_bytes, decode_line, decode_lines
from .fields import EMPTY, TEXT_KEYS, may_hold_surrogates, record_article
from .html_text import html_article

__all__ = [
    "MAX_BYTES",
    "decode_or_skip",
    "jsonl_lines",
    "os_reason",
    "read_file",
    "text_article",
]

logger = logging.getLogger(__name__)

JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})
CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
GZIP_EXTENSIONS = frozenset({".gz", ".gzip"})
LIST_KEYS = ("articles", "documents", "records", "data", "items")
MAX_BYTES = 64 * 1024 * 1024  # default cap on one file's (decompressed) size


def os_reason(exc: OSError) -> str:
    """An OS error as a short lower-case reason."""
    return (exc.strerror or str(exc)).lower()


def read_file(
    path: str, file_id: str, max_bytes: int = MAX_BYTES, *, origin: str | None = None
) -> Iterator[Article | Skipped]:
    """Read one file, dispatching on its extension (after ``.gz``, the inner one).

    A file larger than ``max_bytes`` (after decompression) is skipped; of a compressed JSONL
    file (plain JSONL is streamed) the lines past the limit are. ``origin`` names the file in
    messages (default ``path``). The file is opened without blocking, and only if it is a
    regular file.
    """
    where = origin or path
    name = Path(path).name.lower()
    suffix = Path(name).suffix
    gzipped = suffix in GZIP_EXTENSIONS
    if gzipped:
        suffix = Path(name[: -len(suffix)]).suffix
    raw = _open_regular(path)
    if isinstance(raw, str):
        yield Skipped(where, raw)
        return
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw  # type: ignore[assignment]
    try:
        with raw, stream:
            if suffix in JSONL_EXTENSIONS:
                lines = _capped_lines(stream, max_bytes if gzipped else None)
                yield from _jsonl_stream(lines, file_id, where, "jsonl")
                return
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        reason = os_reason(exc) if exc.strerror or not gzipped else f"not a valid gzip file: {exc}"
        yield Skipped(where, reason)
        return
    except (EOFError, zlib.error) as exc:
        yield Skipped(where, f"not a valid gzip file: {exc}")
        return
    if len(data) > max_bytes:
        yield Skipped(where, too_big(max_bytes, gzipped))
        return
    yield from _read_data(data, suffix, file_id, where)


_READ_BUFFER = 1 << 20  # bytes read at a time (lines of news are long: fewer, larger reads)


def _open_regular(path: str) -> IO[bytes] | str:
    """``path`` opened for reading (without blocking on a pipe), or why it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return os_reason(exc)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return "not a regular file (a pipe, device or socket)"
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except OSError as exc:
        os.close(fd)
        return os_reason(exc)
    return os.fdopen(fd, "rb", buffering=_READ_BUFFER)


def too_big(max_bytes: int, gzipped: bool) -> str:
    """The reason a file over the size cap is skipped."""
    size = "decompressed size" if gzipped else "size"
    return f"{size} over {max_bytes} bytes (raise the limit with --max-bytes)"


class _TooBig(Exception):
    """Raised by :func:`_capped_lines` past the size cap."""


def _capped_lines(stream: IO[bytes], max_bytes: int | None) -> Iterator[bytes]:
    """The lines of ``stream`` while their total size stays within ``max_bytes`` (if any)."""
    total = 0
    for line in stream:
        total += len(line)
        if max_bytes is not None and total > max_bytes:
            raise _TooBig(max_bytes)
        yield line


def decode_or_skip(data: bytes, origin: str) -> DecodedText | Skipped:
    """``decode_lines(data)`` (repairs reported), or a Skipped when ``data`` is not text (not
    logged: a Skipped carries its reason, and the caller reports it once)."""
    try:
        decoded = decode_lines(data)
    except UnicodeError:
        return Skipped(origin, BINARY)
    warn_repairs(origin, decoded.repaired)
    return decoded


def _repair_note(line: DecodedLine) -> str:
    if line.encoding != "utf-8":
        return f"not UTF-8, read as {line.encoding}"
    notes = [f"{line.errors} invalid UTF-8 byte sequence(s) replaced"] if line.errors else []
    return "; ".join([*notes, "NUL bytes removed"] if line.nul else notes)


def warn_repairs(origin: str, repaired: dict[int, DecodedLine], first_line: int = 0) -> None:
    """Log one warning naming ``origin:LINE`` for the lines of one input that needed repair."""
    if not repaired:
        return
    numbers = sorted(repaired)
    where = f"{origin}:{numbers[0] + first_line}"
    more = f" (and {len(numbers) - 1} more line(s))" if len(numbers) > 1 else ""
    logger.warning("%s: %s%s", where, _repair_note(repaired[numbers[0]]), more)


def _read_data(data: bytes, suffix: str, file_id: str, path: str) -> Iterator[Article | Skipped]:
    if suffix in CSV_DELIMITERS:
        yield from _csv_file(data, CSV_DELIMITERS[suffix], file_id, path)
        return
    decoded = decode_or_skip(data, path)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    text, encoding, errors = decoded.text, decoded.encoding, decoded.errors
    if suffix in JSON_EXTENSIONS:
        yield from _json_records(text, file_id, path, encoding, errors)
        return
    if suffix in HTML_EXTENSIONS:
        item = html_article(text, file_id, path, encoding)
    else:
        item = text_article(text, file_id, path, "text", encoding)
    yield dataclasses.replace(item, decode_errors=errors) if isinstance(item, Article) else item


def text_article(
    text: str, doc_id: str, origin: str, fmt: str, encoding: str | None, decode_errors: int = 0
) -> Article | Skipped:
    if not text.strip():
        return Skipped(origin, EMPTY)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Article(
        id=doc_id,
        text=text,
        origin=origin,
        format=fmt,
        encoding=encoding,
        decode_errors=decode_errors,
    )


def _jsonl_stream(
    lines: Iterator[bytes], file_id: str, path: str, fmt: str
) -> Iterator[Article | Skipped]:
    """Parse a binary JSONL stream line by line (UTF-16/32 streams are decoded whole)."""
    last: Article | Skipped | None = None
    try:
        first = next(lines, b"")
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in first[:4]:
            whole = first + b"".join(lines)
            try:
                text, encoding = decode_bytes(whole)
            except UnicodeError:
                yield Skipped(path, BINARY)
                return
            yield from jsonl_lines(text.split("\n"), file_id, path, fmt, encoding)
            return
        for item in jsonl_lines(_chain_first(first, lines), file_id, path, fmt, "utf-8"):
            last = item
            yield item
    except _TooBig as exc:
        number = _line_number(last, 0) if last is not None else 0
        yield Skipped(f"{path}:{number + 1}", f"{too_big(int(str(exc)), True)}; the rest not read")


def _chain_first(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _line_number(item: Article | Skipped, last: int) -> int:
    """The line an item of a JSONL file came from (its origin ends in ``:LINE``)."""
    tail = item.origin.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else last


def jsonl_lines(
    lines: Iterable[bytes] | Iterable[str],
    file_id: str,
    origin: str,
    fmt: str,
    encoding: str | None,
) -> Iterator[Article | Skipped]:
    """Parse JSON lines; blank lines are ignored, bad ones skipped with their line number.

    Byte lines are decoded one by one (:func:`decode_line`): a line that is not valid UTF-8
    never changes how the next one is read.
    """
    for number, line in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        line_encoding, errors = encoding, 0
        if isinstance(line, bytes):
            fast = _fast_record(line)
            if fast is not None:
                yield record_article(fast, f"{file_id}:{number}", where, fmt, "utf-8", clean=False)
                continue
            decoded = _decode_jsonl_line(line, number, where)
            if isinstance(decoded, Skipped):
                yield decoded
                continue
            text, errors = decoded.text, decoded.errors
            line_encoding = decoded.encoding
        else:
            text = str(line).removeprefix("\ufeff") if number == 1 else str(line)
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            yield Skipped(where, f"not valid JSON: {_json_error(exc)}")
            continue
        yield record_article(
            value,
            f"{file_id}:{number}",
            where,
            fmt,
            line_encoding,
            errors,
            clean=may_hold_surrogates(text),
        )


_READ_OTHERWISE = (float, dict)  # (a tuple: a union written inline is built at every test)


def _fast_record(line: bytes) -> Any:
    """The value of a JSONL line parsed by orjson when that is the value the standard parser gives
    its decoded text (else None): valid UTF-8 without NUL bytes, a byte-order mark or a lone
    surrogate, which orjson refuses, and no number it reads otherwise (an integer too big for 64
    bits becomes a float) where a record's fields are taken from. Such a line needs no repair."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, dict) and any(isinstance(v, _READ_OTHERWISE) for v in value.values()):
        return None
    return value


def _decode_jsonl_line(line: bytes, number: int, where: str) -> DecodedLine | Skipped:
    """One JSONL line decoded on its own (repairs warned about), or why it cannot be."""
    if number == 1:
        line = line.removeprefix(codecs.BOM_UTF8)
    try:
        decoded = decode_line(line)
    except UnicodeError:
        return Skipped(where, "not valid text (binary data on this line)")
    if decoded.errors or decoded.nul:
        warn_repairs(where.rsplit(":", 1)[0], {number: decoded})
    return decoded


def _json_error(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)


def _json_records(
    text: str, file_id: str, path: str, encoding: str, errors: int = 0
) -> Iterator[Article | Skipped]:
    """Parse a JSON file: a list of records, an object holding such a list, or one record.

    ``errors`` (invalid bytes in the file) is counted on each of its records.
    """
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
            where = f"{path}:#{index}"
            yield record_article(item, f"{file_id}:#{index}", where, "json", encoding, errors)
    else:
        yield record_article(value, file_id, path, "json", encoding, errors)


def _unwrap_list(value: object) -> object:
    """The first list an object holds under one of ``LIST_KEYS``; anything else as it is."""
    if isinstance(value, dict):
        lists = [value[k] for k in value if k.lower() in LIST_KEYS and isinstance(value[k], list)]
        if lists:
            return lists[0]
    return value


def _csv_file(data: bytes, delimiter: str, file_id: str, path: str) -> Iterator[Article | Skipped]:
    """Decode a CSV/TSV file (line by line when some lines are bad) and parse its rows."""
    decoded = decode_or_skip(data, path)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    yield from _csv_records(decoded, delimiter, file_id, path)


def _csv_records(
    decoded: DecodedText, delimiter: str, file_id: str, path: str
) -> Iterator[Article | Skipped]:
    """Parse CSV/TSV whose first row names the fields; rows are numbered from 1 (the header).

    A row is parsed strictly; a row with an unterminated or misplaced quote is skipped and
    parsing starts again on the line after its first one, so a stray quote never swallows
    the rows that follow. A row with a NUL byte is skipped; a row with invalid bytes is kept,
    repaired, with its ``decode_errors``.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    text = decoded.text
    lines = io.StringIO(text, newline="").readlines()
    delim = _csv_delimiter(text, delimiter)
    rows = _csv_rows(lines, delim)
    header = next(rows, None)
    if header is not None and isinstance(header[2], str):
        yield Skipped(path, f"not valid CSV (the header row): {header[2]}")
        return
    names = _csv_header(
        header[2] if header is not None and not isinstance(header[2], str) else None, path
    )
    if isinstance(names, Skipped):
        yield names
        return
    for number, (first, last, row) in enumerate(rows, start=2):
        where = f"{path}:{number}"
        span = [decoded.repaired[n] for n in range(first, last + 1) if n in decoded.repaired]
        if isinstance(row, str):
            yield Skipped(where, f"not valid CSV (line {first}): {row}")
        elif any(line.nul for line in span):
            yield Skipped(where, f"NUL byte in the row (line {first})")
        elif any(cell.strip() for cell in row):
            errors = sum(line.errors for line in span)
            yield _csv_row(row, names, f"{file_id}:{number}", where, decoded.encoding, errors)


_CsvRow = tuple[int, int, "list[str] | str"]


def _csv_rows(lines: Sequence[str], delimiter: str) -> Iterator[_CsvRow]:
    """``(first line, last line, cells or the error)`` of each row, lines numbered from 1.

    A row that breaks the CSV rules, or that spans several lines and then has the wrong number
    of fields (a quote opened and never closed), yields its error and parsing resumes on the
    line after the row's first line.
    """
    start = 0
    width: int | None = None
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter, strict=True)
        done = start
        try:
            for row in reader:
                first, done = done + 1, start + reader.line_num
                if done > first and width is not None and len(row) != width:
                    raise csv.Error(f"a quoted field runs over {done - first + 1} lines")
                width = len(row) if width is None else width
                yield first, done, row
            return
        except csv.Error as exc:
            yield done + 1, done + 1, _csv_error(exc)
            start = done + 1


def _csv_error(exc: csv.Error) -> str:
    return f"{exc} (a quote is misplaced or not closed); the row is skipped, the lines after it read again"


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
    row: list[str], names: list[str], doc_id: str, where: str, encoding: str, errors: int = 0
) -> Article | Skipped:
    """One data row as a record (a name repeated in the header keeps its first cell)."""
    if len(row) > len(names):
        return Skipped(where, f"row has {len(row)} fields but the header has {len(names)}")
    record: dict[str, Any] = {}
    for key, cell in zip(names, row, strict=False):
        if key and key not in record:
            record[key] = cell
    return record_article(record, doc_id, where, "csv", encoding, errors)
