"""Standard input: JSON lines, a JSON list of records, or one plain-text article."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from itertools import chain
from typing import IO, Any, BinaryIO, TextIO

from ..records import Article, Skipped
from .fields import record_article
from .formats import decode_or_skip, jsonl_lines, os_reason, text_article

__all__ = ["STDIN_NAME", "read_stdin"]

STDIN_NAME = "stdin"


def read_stdin(stream: TextIO | BinaryIO) -> Iterator[Article | Skipped]:
    """Read stdin: JSON lines when the first non-blank character is ``{``, else one text article."""
    source: IO[Any] = stream
    if isinstance(stream, io.TextIOBase) and getattr(stream, "buffer", None) is not None:
        source = stream.buffer
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
            yield from jsonl_lines(chain(head, lines), STDIN_NAME, STDIN_NAME, "jsonl", encoding)
            return
        data = (
            (b"" if isinstance(head[0], bytes) else "").join(head) + source.read()
            if head
            else source.read()
        )
    except OSError as exc:
        yield Skipped(STDIN_NAME, os_reason(exc))
        return
    if isinstance(data, str):
        yield from _stdin_text(data, None)
        return
    decoded = decode_or_skip(data, STDIN_NAME)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    yield from _stdin_text(decoded.text, decoded.encoding, decoded.errors)


def _line_start(line: bytes | str) -> str:
    """The first non-blank character of a line; ``?`` when its bytes need a whole-input decode."""
    if isinstance(line, str):
        return line.lstrip("\ufeff").strip()[:1]
    if line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in line:
        return "?"
    return line.removeprefix(codecs.BOM_UTF8).strip()[:1].decode("latin-1")


def _stdin_text(text: str, encoding: str | None, errors: int = 0) -> Iterator[Article | Skipped]:
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start == "{":
        yield from jsonl_lines(text.split("\n"), STDIN_NAME, STDIN_NAME, "jsonl", encoding)
        return
    if start == "[":
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            value = None
        if isinstance(value, list):
            for index, item in enumerate(value):
                where = f"{STDIN_NAME}:#{index}"
                yield record_article(item, where, where, "json", encoding, errors)
            return
    yield text_article(text, STDIN_NAME, STDIN_NAME, "stdin", encoding, errors)
