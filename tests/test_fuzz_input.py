"""Bounded fuzzing of the readers and the metadata parser: no exception escapes, every input is
accounted for (an Article or a Skipped), and what is read can be written as UTF-8.

Runs in CI with the derandomized hypothesis profile of conftest.py (fixed examples, a few seconds).
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterer.ingest import read_paths
from clusterer.ingest.decode import decode_bytes, decode_line, decode_lines
from clusterer.ingest.formats import jsonl_lines
from clusterer.metadata import locate_date, locate_outlet, locate_title, parse_dates
from clusterer.records import Article, Skipped

FUZZ = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
ARABIC = "قال رئيس الوزراء إن الحكومة ستحاسب المسؤولين في ١٢ مارس ٢٠٢٤"
pieces = st.sampled_from(
    [
        b"{",
        b"}",
        b'"',
        b",",
        b"\n",
        b"\r\n",
        b"\x00",
        b"\xff",
        b"\xfe\xff",
        b"\xef\xbb\xbf",
        b'"text": ',
        b'"id": ',
        b"\\ud800",
        b"\x1b[31m",
        ARABIC.encode(),
        ARABIC.encode("cp1256", "replace"),
        "café".encode("latin-1"),
        b"12 March 2024",
    ]
)
byte_soup = st.one_of(st.binary(max_size=300), st.lists(pieces, max_size=30).map(b"".join))


def utf8_safe(item: Article | Skipped) -> None:
    """Everything read can be written out as UTF-8 (no lone surrogates leak through)."""
    if isinstance(item, Article):
        for value in (item.id, item.text, item.title, item.source, item.date, item.origin):
            (value or "").encode("utf-8")
        json.dumps([item.id, item.text], ensure_ascii=False).encode("utf-8")
    else:
        item.origin.encode("utf-8")
        item.reason.encode("utf-8")


@FUZZ
@given(byte_soup)
def test_decoders_return_text_or_raise_unicode_error(data: bytes) -> None:
    for decode in (decode_bytes, decode_line, decode_lines):
        with contextlib.suppress(UnicodeError):
            decode(data)


@FUZZ
@given(st.lists(byte_soup, max_size=8))
def test_every_jsonl_line_is_accounted_for(lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n" for line in lines]
    items = list(jsonl_lines(lines, "f", "f", "jsonl", "utf-8"))
    expected = []
    for number, line in enumerate(lines, start=1):
        raw = line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line
        try:
            blank = not decode_line(raw).text.strip()
        except UnicodeError:
            blank = False  # reported as binary
        if not blank:
            expected.append(f"f:{number}")
    assert [item.origin for item in items] == expected  # one item per non-blank line, in order
    for item in items:
        utf8_safe(item)


@FUZZ
@given(byte_soup, st.sampled_from([".csv", ".tsv", ".jsonl", ".json", ".txt", ".html"]))
def test_files_of_every_format_never_raise(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        items = list(read_paths([path]))
    for item in items:
        utf8_safe(item)


@FUZZ
@given(byte_soup)
def test_stdin_never_raises(data: bytes) -> None:
    for item in read_paths(["-"], stdin=io.BytesIO(data)):
        utf8_safe(item)


text_soup = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            [
                "12 March 2024",
                "2024-03-12",
                "١٢ مارس ٢٠٢٤",
                "\n",
                "By ",
                "Reuters",
                "— ",
                ARABIC,
                "31/02/2024",
            ]
        ),
        max_size=12,
    ).map("".join),
)


@FUZZ
@given(text_soup)
def test_metadata_parser_never_raises(text: str) -> None:
    lines = text.split("\n")
    for iso, raw, pos in parse_dates(text):
        assert isinstance(iso, str) and isinstance(raw, str) and isinstance(pos, int)
    locate_date(text, lines)
    _, title_index = locate_title(lines, "ar")
    locate_title(lines, "en")
    locate_outlet(lines, title_index)
