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

import codecs
import csv
import gzip
import io
import json
import logging
import os
import re
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from html.parser import HTMLParser
from itertools import chain
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from .errors import InputError
from .records import Article, Skipped

__all__ = ["decode_bytes", "read_paths"]

logger = logging.getLogger(__name__)

STDIN_NAME = "stdin"

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".text", ""})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})
CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
GZIP_EXTENSIONS = frozenset({".gz", ".gzip"})

TEXT_KEYS = ("text", "body", "content", "article")
TITLE_KEYS = ("title", "headline")
SOURCE_KEYS = ("source", "outlet", "site", "publisher")
DATE_KEYS = ("date", "published", "published_at", "publishedat", "pubdate")
URL_KEYS = ("url", "link")
LANG_KEYS = ("lang", "language")
ID_KEYS = ("id",)
LIST_KEYS = ("articles", "documents", "records", "data", "items")

NO_TEXT_FIELD = "record has no text field (expected 'text')"
EMPTY = "empty document"
BINARY = "not a text file (binary)"

_BINARY_MAGIC = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE_BYTES = 1 << 16
_SAMPLE_CHARS = 1 << 15
_MAX_BAD_SHARE = 0.05
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_LATIN_CODECS = frozenset(
    {
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "cp1258",
        "cp437",
        "cp850",
        "cp852",
        "cp858",
        "mac-roman",
        "mac-latin2",
        "mac-iceland",
        "mac-turkish",
        "latin-1",
        "iso8859-1",
    }
    | {f"iso8859-{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)}
)


# ---------------------------------------------------------------------------
# encodings


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as text and return ``(text, encoding)``; raise ``UnicodeError`` if it is not text.

    Tries byte-order marks, strict UTF-8, BOM-less UTF-16 (from the pattern of NUL
    bytes), then charset-normalizer, preferring Windows-1256 over look-alike Arabic
    single-byte encodings. A leading byte-order mark is not part of the text.

    Examples
    --------
    >>> decode_bytes("مرحبا".encode("cp1256"))
    ('مرحبا', 'cp1256')
    >>> decode_bytes("\\ufeffhi".encode("utf-16-le"))
    ('hi', 'utf-16-le')
    >>> decode_bytes(b"\\x00\\x01\\x02\\x03")
    Traceback (most recent call last):
    ...
    UnicodeError: not a text file (binary)
    """
    if not data:
        return "", "utf-8"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError:
                break
            if _looks_like_text(text):
                return text, encoding
            break
    if data.startswith(_BINARY_MAGIC):
        raise UnicodeError(BINARY)
    has_nul = b"\x00" in data
    if not has_nul:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if _looks_like_text(text):
                return text, "utf-8"
    for encoding in _utf16_candidates(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    if has_nul:
        raise UnicodeError(BINARY)
    return _decode_single_byte(data)


def _utf16_candidates(data: bytes) -> list[str]:
    """Guess BOM-less UTF-16 byte orders from where NULs (or one high byte) cluster."""
    if len(data) % 2:
        return []
    sample = data[:_SAMPLE_BYTES]
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0), odd.count(0)
    if odd_nul > 4 * even_nul:
        return ["utf-16-le"]
    if even_nul > 4 * odd_nul:
        return ["utf-16-be"]
    if even_nul or odd_nul or len(sample) < 8:
        return []
    if _concentrated(odd) and not _concentrated(even):
        return ["utf-16-le"]
    if _concentrated(even) and not _concentrated(odd):
        return ["utf-16-be"]
    return []


def _concentrated(half: bytes) -> bool:
    """Whether two byte values make up most of ``half`` (the high bytes of one script in UTF-16)."""
    top = Counter(half).most_common(2)
    return sum(n for _, n in top) >= 0.85 * len(half)


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    """Pick the single-byte (or other) encoding whose decoding reads most like real text.

    charset-normalizer proposes one; Windows-1256, ISO-8859-6 and Latin-1 (Windows-1252
    when bytes 0x80-0x9F occur) compete with it. The decoding with the fewest oddities
    wins; ties go to Windows-1256 when Arabic letters result, and to Latin-1 over other
    Latin code pages, which short Western texts are easily mistaken for.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = _codec_name(best.encoding) if best is not None else None
    western = "cp1252" if _C1_BYTES.search(data) else "iso8859-1"
    decoded: dict[str, str] = {}
    for name in (guess, "cp1256", "iso8859-6", western):
        if name is None or name in decoded:
            continue
        try:
            decoded[name] = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    if not decoded:
        raise UnicodeError(BINARY)
    if "cp1256" in decoded and _arabic_share(decoded["cp1256"][:_SAMPLE_CHARS]) >= 0.3:
        preference = ["cp1256", "iso8859-6", guess, western]
    elif guess in _LATIN_CODECS:
        preference = [western, guess, "cp1256", "iso8859-6"]
    else:
        preference = [guess, western, "cp1256", "iso8859-6"]
    rank: dict[str | None, int] = {}
    for i, name in enumerate(preference):
        rank.setdefault(name, i)
    name = min(decoded, key=lambda n: (_oddness(decoded[n][:_SAMPLE_CHARS]), rank[n]))
    text = decoded[name]
    if not _looks_like_text(text):
        raise UnicodeError(BINARY)
    return text, name


def _codec_name(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return (
        0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0x8A0 <= o <= 0x8FF or 0xFB50 <= o <= 0xFEFF
    )


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(map(_is_arabic, letters)) / len(letters) if letters else 0.0


def _oddness(text: str) -> float:
    """Score how unlike real text a decoding is (lower is better).

    Counts words that mix Latin and Arabic letters, words made only of accented Latin
    letters (Arabic read as Latin-1), control and unassigned characters, and Arabic
    presentation forms (what look-alike code pages such as cp864 produce).
    """
    score = 0.0
    for word in _LETTER_RUN.findall(text):
        arabic = latin = accented = 0
        for c in word:
            o = ord(c)
            if not c.isalpha():
                score += 1
            elif _is_arabic(c):
                arabic += 1
            elif o < 0x250:
                latin += 1
                accented += o >= 0xC0
        if (arabic and latin) or (len(word) >= 2 and accented == len(word)):
            score += 1
    for c, n in Counter(text).items():
        if c in _WHITESPACE_CONTROLS:
            continue
        if unicodedata.category(c) in ("Cc", "Cn", "Co"):
            score += n
        elif 0xFB50 <= ord(c) <= 0xFEFF:
            score += 0.2 * n
    return score


def _looks_like_text(text: str) -> bool:
    """Whether the start of ``text`` is mostly printable (few control or unassigned characters)."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return True
    bad = 0
    for c, n in Counter(sample).items():
        if c in _WHITESPACE_CONTROLS:
            continue
        if c < " " or "\x7f" <= c <= "\x9f" or unicodedata.category(c) in ("Cn", "Cs"):
            bad += n
    return bad <= _MAX_BAD_SHARE * len(sample)


# ---------------------------------------------------------------------------
# the public entry point


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
            yield from _read_stdin(stdin if stdin is not None else sys.stdin)
        elif os.path.isdir(given):
            yield from _read_folder(given)
        elif os.path.lexists(given):
            yield from _read_file(given, Path(given).name)
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
        yield Skipped(folder, _os_reason(exc))
        return
    for entry in entries:
        rel = rel_dir + entry.name
        full = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            yield Skipped(full, _os_reason(exc))
            continue
        if is_dir:
            real = os.path.realpath(full)
            if real not in visited:
                yield from _walk(full, rel + "/", visited | {real})
        elif is_file:
            yield from _read_file(full, rel)
        elif not os.path.exists(full):
            yield Skipped(full, "broken symbolic link")
        else:
            yield Skipped(full, "not a regular file")


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


# ---------------------------------------------------------------------------
# files


def _read_file(path: str, file_id: str) -> Iterator[Article | Skipped]:
    """Read one file, dispatching on its extension (after ``.gz``, the inner one)."""
    name = Path(path).name.lower()
    suffix = Path(name).suffix
    gzipped = suffix in GZIP_EXTENSIONS
    if gzipped:
        suffix = Path(name[: -len(suffix)]).suffix
    try:
        stream: IO[bytes] = gzip.open(path, "rb") if gzipped else open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115
    except OSError as exc:
        yield Skipped(path, _os_reason(exc))
        return
    try:
        with stream:
            if suffix in JSONL_EXTENSIONS:
                yield from _jsonl_stream(stream, file_id, path, "jsonl")
                return
            data = stream.read()
    except OSError as exc:
        reason = _os_reason(exc) if exc.strerror or not gzipped else f"not a valid gzip file: {exc}"
        yield Skipped(path, reason)
        return
    except (EOFError, zlib.error) as exc:
        yield Skipped(path, f"not a valid gzip file: {exc}")
        return
    yield from _read_data(data, suffix, file_id, path)


def _read_data(data: bytes, suffix: str, file_id: str, path: str) -> Iterator[Article | Skipped]:
    try:
        text, encoding = decode_bytes(data)
    except UnicodeError:
        logger.warning("%s: %s; skipped", path, BINARY)
        yield Skipped(path, BINARY)
        return
    if suffix in JSON_EXTENSIONS:
        yield from _json_records(text, file_id, path, encoding)
    elif suffix in CSV_DELIMITERS:
        yield from _csv_records(text, CSV_DELIMITERS[suffix], file_id, path, encoding)
    elif suffix in HTML_EXTENSIONS:
        yield _html_article(text, file_id, path, encoding)
    else:
        yield _text_article(text, file_id, path, "text", encoding)


def _text_article(
    text: str, doc_id: str, origin: str, fmt: str, encoding: str | None
) -> Article | Skipped:
    if not text.strip():
        return Skipped(origin, EMPTY)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Article(id=doc_id, text=text, origin=origin, format=fmt, encoding=encoding)


# ---------------------------------------------------------------------------
# JSON lines, JSON, CSV


def _jsonl_stream(
    stream: IO[bytes], file_id: str, path: str, fmt: str
) -> Iterator[Article | Skipped]:
    """Parse a binary JSONL stream line by line (UTF-16/32 streams are decoded whole)."""
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        try:
            text, encoding = decode_bytes(stream.read())
        except UnicodeError:
            logger.warning("%s: %s; skipped", path, BINARY)
            yield Skipped(path, BINARY)
            return
        yield from _jsonl_lines(text.split("\n"), file_id, path, fmt, encoding)
        return
    yield from _jsonl_lines(stream, file_id, path, fmt, "utf-8")


def _jsonl_lines(
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
        yield _record(value, f"{file_id}:{number}", where, fmt, encoding)


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
            yield from _jsonl_lines(text.split("\n"), file_id, path, "json", encoding)
        else:
            yield Skipped(path, f"not valid JSON: {exc}")
        return
    except (ValueError, RecursionError) as exc:
        yield Skipped(path, f"not valid JSON: {_json_error(exc)}")
        return
    if isinstance(value, dict):
        lists = [value[k] for k in value if k.lower() in LIST_KEYS and isinstance(value[k], list)]
        if lists:
            value = lists[0]
    if isinstance(value, list):
        if not value:
            yield Skipped(path, EMPTY)
        for index, item in enumerate(value):
            yield _record(item, f"{file_id}:#{index}", f"{path}:#{index}", "json", encoding)
    else:
        yield _record(value, file_id, path, "json", encoding)


def _csv_records(
    text: str, delimiter: str, file_id: str, path: str, encoding: str
) -> Iterator[Article | Skipped]:
    """Parse CSV/TSV whose first row names the fields; rows are numbered from 1 (the header)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    first_line = text.split("\n", 1)[0]
    if delimiter == "," and "," not in first_line:
        delimiter = next((d for d in (";", "\t", "|") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 1
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            yield Skipped(path, EMPTY)
            return
        names = [h.strip() for h in header]
        if not any(n.lower() in TEXT_KEYS for n in names):
            found = ", ".join(n for n in names if n) or "none"
            yield Skipped(path, f"no text column (expected 'text'; found: {found})")
            return
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path}:{number}"
            if len(row) > len(names):
                yield Skipped(where, f"row has {len(row)} fields but the header has {len(names)}")
                continue
            record: dict[str, Any] = {}
            for key, cell in zip(names, row, strict=False):
                if key and key not in record:
                    record[key] = cell
            yield _record(record, f"{file_id}:{number}", where, "csv", encoding)
    except csv.Error as exc:
        yield Skipped(f"{path}:{number + 1}", f"not valid CSV: {exc}")


def _record(
    value: object, default_id: str, origin: str, fmt: str, encoding: str | None
) -> Article | Skipped:
    """Turn one parsed record into an Article (or say why it cannot be one)."""
    if not isinstance(value, dict):
        return Skipped(origin, f"record is not a JSON object (got {_json_type(value)})")
    fields: dict[str, str] = {}
    for key in value:
        if isinstance(key, str):
            fields.setdefault(key.strip().lower(), key)
    used: set[str] = set()

    def pick(keys: tuple[str, ...]) -> object:
        for k in keys:
            original = fields.get(k)
            if original is not None and value[original] is not None:
                used.add(original)
                return value[original]
        return None

    raw_text = pick(TEXT_KEYS)
    if raw_text is None:
        has_key = any(k in fields for k in TEXT_KEYS)
        return Skipped(origin, EMPTY if has_key else NO_TEXT_FIELD)
    if isinstance(raw_text, list) and all(isinstance(p, str) for p in raw_text):
        text = "\n\n".join(raw_text)
    elif isinstance(raw_text, str | int | float) and not isinstance(raw_text, bool):
        text = str(raw_text)
    else:
        return Skipped(origin, f"field 'text' is not a string (got {_json_type(raw_text)})")
    if not text.strip():
        return Skipped(origin, EMPTY)
    raw_id = pick(ID_KEYS)
    doc_id = default_id if raw_id is None or isinstance(raw_id, dict | list) else str(raw_id)
    if not doc_id.strip():
        doc_id = default_id
    source = pick(SOURCE_KEYS)
    if isinstance(source, dict):
        source = source.get("name")
    title, date, url, lang = (pick(keys) for keys in (TITLE_KEYS, DATE_KEYS, URL_KEYS, LANG_KEYS))
    extra = tuple(
        sorted(
            (k, v)
            for k, v in value.items()
            if k not in used and isinstance(k, str) and isinstance(v, str | int | float | bool)
        )
    )
    return Article(
        id=doc_id,
        text=text,
        origin=origin,
        title=_scalar(title),
        source=_scalar(source),
        date=_scalar(date),
        url=_scalar(url),
        lang=_scalar(lang),
        format=fmt,
        encoding=encoding,
        extra=extra,
    )


def _scalar(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _json_type(value: object) -> str:
    names = {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


# ---------------------------------------------------------------------------
# stdin


def _read_stdin(stream: TextIO | BinaryIO) -> Iterator[Article | Skipped]:
    """Read stdin: JSON lines when the first non-blank character is ``{``, else one text article."""
    source: IO[Any] = stream
    if isinstance(stream, io.TextIOBase) and getattr(stream, "buffer", None) is not None:
        source = stream.buffer  # type: ignore[attr-defined]
    try:
        lines: Iterator[Any] = iter(source)
        head: list[Any] = []
        start = ""
        for line in lines:
            head.append(line)
            start = _line_start(line)
            if start:
                break
        if start == "{":
            encoding = "utf-8" if isinstance(head[0], bytes) else None
            yield from _jsonl_lines(chain(head, lines), STDIN_NAME, STDIN_NAME, "jsonl", encoding)
            return
        data = (
            (b"" if isinstance(head[0], bytes) else "").join(head) + source.read()
            if head
            else source.read()
        )
    except OSError as exc:
        yield Skipped(STDIN_NAME, _os_reason(exc))
        return
    if isinstance(data, str):
        yield from _stdin_text(data, None)
        return
    try:
        text, encoding = decode_bytes(data)
    except UnicodeError:
        logger.warning("%s: %s; skipped", STDIN_NAME, BINARY)
        yield Skipped(STDIN_NAME, BINARY)
        return
    yield from _stdin_text(text, encoding)


def _line_start(line: bytes | str) -> str:
    """The first non-blank character of a line; ``?`` when its bytes need a whole-input decode."""
    if isinstance(line, str):
        return line.lstrip("\ufeff").strip()[:1]
    if line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in line:
        return "?"
    return line.removeprefix(codecs.BOM_UTF8).strip()[:1].decode("latin-1")


def _stdin_text(text: str, encoding: str | None) -> Iterator[Article | Skipped]:
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start == "{":
        yield from _jsonl_lines(text.split("\n"), STDIN_NAME, STDIN_NAME, "jsonl", encoding)
        return
    if start == "[":
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            value = None
        if isinstance(value, list):
            for index, item in enumerate(value):
                where = f"{STDIN_NAME}:#{index}"
                yield _record(item, where, where, "json", encoding)
            return
    yield _text_article(text, STDIN_NAME, STDIN_NAME, "stdin", encoding)


# ---------------------------------------------------------------------------
# HTML


_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "menu",
        "svg",
        "iframe",
        "button",
        "select",
        "head",
        "object",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "table",
        "dd",
        "dt",
        "figcaption",
        "hr",
        "main",
        "td",
        "th",
    }
)
_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_FURNITURE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search"}
)
_FURNITURE_NAMES = re.compile(
    r"(?<![a-z])(nav|navbar|navigation|menu|footer|sidebar|share|sharing|social|breadcrumbs?|cookies?|"
    r"subscribe|newsletter|related|comments?|advert|ads|promo|widget|popup|modal)(?![a-z])",
    re.IGNORECASE,
)
_META_SITE = frozenset({"og:site_name", "application-name"})
_META_DATE = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "date",
        "pubdate",
        "publishdate",
        "dc.date",
        "dc.date.issued",
        "datepublished",
    }
)


class _PageText(HTMLParser):
    """A forgiving stdlib HTML reader: visible text outside page furniture, plus metadata.

    Furniture is what ``_SKIP_TAGS`` names and any element whose class, id or role says
    menu, navigation, footer, sidebar, sharing and the like; everything inside it is dropped.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.lang: str | None = None
        self._stack: list[str] = []
        self._skip_depth: int | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs if v is not None}
        if tag == "html" and values.get("lang"):
            self.lang = values["lang"].strip()
        elif tag == "body":
            if "head" in self._stack:
                self._close("head")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (
                values.get("property") or values.get("name") or values.get("itemprop") or ""
            ).lower()
            if key and values.get("content"):
                self.meta.setdefault(key, values["content"].strip())
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        self._stack.append(tag)
        if self._skip_depth is None and (tag in _SKIP_TAGS or _is_furniture(values)):
            self._skip_depth = len(self._stack)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in self._stack:
            self._close(tag)

    def _close(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass
        if self._skip_depth is not None and len(self._stack) < self._skip_depth:
            self._skip_depth = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif self._skip_depth is None:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def title(self) -> str | None:
        return " ".join("".join(self.title_parts).split()) or None


def _is_furniture(attrs: dict[str, str]) -> bool:
    if attrs.get("role", "").lower() in _FURNITURE_ROLES or "hidden" in attrs:
        return True
    return bool(_FURNITURE_NAMES.search(f"{attrs.get('class', '')} {attrs.get('id', '')}"))


def _html_article(html: str, doc_id: str, origin: str, encoding: str) -> Article | Skipped:
    """Extract the main text and metadata of an HTML page (trafilatura, stdlib fallback)."""
    page = _PageText()
    try:
        page.feed(html)
        page.close()
    except Exception as exc:  # the stdlib parser has no documented exception set
        logger.debug("%s: html.parser failed: %s", origin, exc)
    text: str | None = None
    title: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    extra: list[tuple[str, Any]] = []
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # third-party extractor; fall back to the stdlib text
        logger.debug("%s: trafilatura failed: %s", origin, exc)
        doc = None
    if doc is not None and not isinstance(doc, dict):
        text, title, date, site, url = doc.text, doc.title, doc.date, doc.sitename, doc.url
        extra = [
            (k, v)
            for k in ("author", "description")
            if isinstance(v := getattr(doc, k, None), str) and v
        ]
    if not text or not text.strip():
        text = page.text()
    if not text.strip():
        return Skipped(origin, EMPTY)
    meta = page.meta
    return Article(
        id=doc_id,
        text=text,
        origin=origin,
        title=title or page.title() or meta.get("og:title"),
        source=site or next((meta[k] for k in sorted(_META_SITE) if k in meta), None),
        date=date or next((meta[k] for k in sorted(_META_DATE) if k in meta), None),
        url=url or meta.get("og:url"),
        lang=page.lang,
        format="html",
        encoding=encoding,
        extra=tuple(sorted(extra)),
    )
