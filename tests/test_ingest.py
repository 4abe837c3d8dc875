"""Tests for clusterer.ingest: formats, folders, ids, encodings, errors, stdin."""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
from pathlib import Path

import pytest
import trafilatura

from clusterer.errors import InputError
from clusterer.ingest import decode_bytes, read_paths
from clusterer.records import Article, Skipped

SHARED = Path(__file__).resolve().parents[2] / "shared"

ARABIC = "قال رئيس الوزراء العراقي إن الحكومة ستحاسب المسؤولين عن الهجمات الصاروخية على القواعد."
ENGLISH = (
    "The prime minister said the government would hold those behind the rocket attacks to account."
)


def read(*paths: str | Path, **kwargs: object) -> list[Article | Skipped]:
    return list(read_paths([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def articles(items: list[Article | Skipped]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def skipped(items: list[Article | Skipped]) -> list[Skipped]:
    return [i for i in items if isinstance(i, Skipped)]


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


# --- plain text and folders -------------------------------------------------


def test_single_text_file_id_is_file_name_and_origin_as_given(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Article)
    assert (item.id, item.origin, item.text) == ("story.txt", str(path), ENGLISH)
    assert (item.format, item.encoding) == ("text", "utf-8")
    assert item.title is None and item.source is None and item.date is None


def test_markdown_and_extensionless_files_are_text(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Heading\n\nBody text.", encoding="utf-8")
    (tmp_path / "NOEXT").write_text(ARABIC, encoding="utf-8")
    items = articles(read(tmp_path))
    assert [(a.id, a.format) for a in items] == [("NOEXT", "text"), ("notes.md", "text")]
    assert items[0].text == ARABIC


def test_crlf_line_endings_become_newlines_in_text_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"Title\r\n\r\nBody line.\r\n")
    [item] = articles(read(tmp_path / "a.txt"))
    assert item.text == "Title\n\nBody line.\n"


def test_nested_folder_is_read_in_relative_path_order_hidden_files_listed(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for rel in [
        "b.txt",
        "a.txt",
        "a/z.txt",
        "a/b/c.txt",
        ".hidden.txt",
        ".git/config.txt",
        "c/.d/e.txt",
        "c/f.txt",
    ]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"text of {rel}", encoding="utf-8")
    items = read(root)
    hidden = [".git", ".hidden.txt", "c/.d"]
    assert [s.origin for s in skipped(items)] == [os.path.join(str(root), rel) for rel in hidden]
    assert all("hidden" in s.reason for s in skipped(items))
    assert len(articles(read(root, include_hidden=True))) == 8
    expected = ["a/b/c.txt", "a/z.txt", "a.txt", "b.txt", "c/f.txt"]
    assert [i.id for i in articles(items)] == expected
    assert [i.origin for i in articles(items)] == [os.path.join(str(root), rel) for rel in expected]
    assert articles(items)[0].text == "text of a/b/c.txt"
    assert read(root) == items


def test_folder_origin_keeps_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "x.txt").write_text(ENGLISH, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [item] = articles(read("seeds/"))
    assert (item.id, item.origin) == ("x.txt", "seeds/x.txt")


def test_hidden_file_given_explicitly_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".draft.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    assert [a.id for a in articles(read(path))] == [".draft.txt"]


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "a.dat").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(bytes(range(256)) * 4)
    items = read(tmp_path)
    assert isinstance(items[0], Article) and items[0].text == ARABIC and items[0].format == "text"
    assert items[1] == Skipped(str(tmp_path / "b.bin"), "not a text file (binary)")


def test_binary_file_is_skipped_with_its_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with caplog.at_level(logging.WARNING, logger="clusterer.ingest"):
        items = read(path)
    assert items == [Skipped(str(path), "not a text file (binary)")]
    assert "not a text file" not in caplog.text  # (the Skipped is reported by the caller, once)


def test_nul_bytes_that_are_not_utf16_mean_binary(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"abc\x00\x00\x00\x01\x02def\x00" * 20 + b"\x00")
    assert read(path) == [Skipped(str(path), "not a text file (binary)")]


def test_empty_and_blank_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    items = read(tmp_path)
    assert [(s.origin, s.reason) for s in skipped(items)] == [
        (str(tmp_path / "blank.txt"), "empty document"),
        (str(tmp_path / "empty.txt"), "empty document"),
    ]


def test_missing_path_is_skipped(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    (tmp_path / "ok.txt").write_text(ENGLISH, encoding="utf-8")
    items = read(missing, tmp_path / "ok.txt")
    assert items[0] == Skipped(str(missing), "no such file or directory")
    assert isinstance(items[1], Article)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file_is_skipped_with_the_os_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    path.chmod(0)
    try:
        assert read(path) == [Skipped(str(path), "permission denied")]
    finally:
        path.chmod(0o644)


# --- encodings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "text", "expected"),
    [
        ("utf-8", ARABIC, "utf-8"),
        ("utf-8-sig", ARABIC, "utf-8-sig"),
        ("utf-16", ARABIC + "\n" + ENGLISH, "utf-16-le"),
        ("utf-16-be", "\ufeff" + ARABIC, "utf-16-be"),
        ("utf-16-le", ARABIC + " " + ENGLISH, "utf-16-le"),
        ("utf-16-be", ENGLISH, "utf-16-be"),
        ("cp1256", ARABIC, "cp1256"),
        ("iso8859-6", ARABIC, "iso8859-6"),
        (
            "latin-1",
            "Le président a annoncé à Genève une réforme très attendue, selon l'agence.",
            "iso8859-1",
        ),
    ],
)
def test_encodings_are_detected(tmp_path: Path, codec: str, text: str, expected: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(codec))
    [item] = read(path)
    assert isinstance(item, Article)
    assert item.text == text.removeprefix("\ufeff")
    assert item.encoding == expected


def test_bomless_utf16_arabic_without_spaces_is_detected() -> None:
    word = "الحكومةالعراقية"
    assert decode_bytes(word.encode("utf-16-le")) == (word, "utf-16-le")


def test_cp1256_is_preferred_for_short_arabic() -> None:
    assert decode_bytes("وزير الخارجية".encode("cp1256")) == ("وزير الخارجية", "cp1256")


def test_decode_bytes_rejects_binary() -> None:
    with pytest.raises(UnicodeError):
        decode_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    with pytest.raises(UnicodeError):
        decode_bytes(bytes(range(32)) * 10)
    assert decode_bytes(b"") == ("", "utf-8")


# --- JSON lines ---------------------------------------------------------------


def test_jsonl_records_ids_origins_and_fields(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "feed.jsonl",
        [
            {
                "id": "a1",
                "title": "T1",
                "text": ARABIC,
                "date": "2021-02-23",
                "source": "kurdistan24",
                "url": "https://example.org/a1",
                "lang": "ar",
                "label": 7,
                "author": "X",
                "tags": ["a"],
            },
            {"body": ENGLISH, "outlet": "Reuters", "published": "2021-02-24T05:40:00Z"},
            {"id": 42, "content": "numeric id", "site": "example.org"},
        ],
    )
    a, b, c = read(path)
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    assert (a.id, a.origin, a.format, a.encoding) == ("a1", f"{path}:1", "jsonl", "utf-8")
    assert (a.title, a.text, a.date, a.source, a.url, a.lang) == (
        "T1",
        ARABIC,
        "2021-02-23",
        "kurdistan24",
        "https://example.org/a1",
        "ar",
    )
    assert a.extra == (("author", "X"), ("label", 7))
    assert (b.id, b.origin, b.text, b.source, b.date) == (
        "feed.jsonl:2",
        f"{path}:2",
        ENGLISH,
        "Reuters",
        "2021-02-24T05:40:00Z",
    )
    assert (c.id, c.text, c.source) == ("42", "numeric id", "example.org")


def test_jsonl_in_a_folder_gets_relative_default_ids(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write_jsonl(tmp_path / "sub" / "f.ndjson", [{"text": "one"}, {"text": "two"}])
    assert [a.id for a in articles(read(tmp_path))] == ["sub/f.ndjson:1", "sub/f.ndjson:2"]


def test_malformed_jsonl_line_is_skipped_and_others_are_read(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "1", "text": "first"}\n{"id": "2", "text": \n\n{"id": "4", "text": "fourth"}\n',
        encoding="utf-8",
    )
    items = read(path)
    assert [i.id for i in articles(items)] == ["1", "4"]
    [bad] = skipped(items)
    assert bad.origin == f"{path}:2"
    assert bad.reason.startswith("not valid JSON: Expecting value")


def test_jsonl_record_problems(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "r.jsonl",
        [
            ["not", "an", "object"],
            {"id": "x", "title": "no text"},
            {"id": "y", "text": "   "},
            {"id": "z", "text": None},
            {"id": "w", "text": {"nested": 1}},
            "just a string",
        ],
    )
    assert [(s.origin.rsplit(":", 1)[1], s.reason) for s in skipped(read(path))] == [
        ("1", "record is not a JSON object (got array)"),
        ("2", "record has no text field (expected 'text')"),
        ("3", "empty document"),
        ("4", "empty document"),
        ("5", "field 'text' is not a string (got object)"),
        ("6", "record is not a JSON object (got string)"),
    ]


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"id": "a", "text": "x"}\r\n{"id": "b", "text": "y"}\r\n')
    assert [a.id for a in articles(read(path))] == ["a", "b"]


@pytest.mark.parametrize(
    "line",
    [
        '{"id": 123456789012345678901234567890, "text": "big id"}',
        '{"id": "a", "text": "nan", "score": NaN, "date": 1e400}',
        '{"id": "a", "text": "lone \\ud800 surrogate"}',
        '{"id": "a", "text": "pair \\ud83d\\ude00", "source": {"name": 18446744073709551616}}',
        '{"id": "a", "text": "plain", "n": -9223372036854775809, "f": 0.1}',
    ],
)
def test_jsonl_lines_read_as_the_standard_parser_reads_them(tmp_path: Path, line: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    (item,) = read_paths([path])
    record = json.loads(line)
    assert isinstance(item, Article)
    assert item.id == str(record["id"]) and "\ud800" not in item.text
    assert item.extra == tuple(
        sorted(
            (k, v)
            for k, v in record.items()
            if k not in ("id", "text", "source", "date") and isinstance(v, str | int | float)
        )
    )


def test_utf16_jsonl_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_bytes('{"id": "a", "text": "نص عربي"}\n{"id": "b", "text": "y"}\n'.encode("utf-16"))
    items = articles(read(path))
    assert [(a.id, a.text, a.encoding) for a in items] == [
        ("a", "نص عربي", "utf-16-le"),
        ("b", "y", "utf-16-le"),
    ]


def test_cp1256_jsonl_lines_are_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    path.write_bytes('{"id": "a", "text": "وزارة الخارجية العراقية"}\n'.encode("cp1256"))
    [item] = read(path)
    assert isinstance(item, Article) and item.text == "وزارة الخارجية العراقية"
    assert item.encoding == "cp1256"


# --- JSON ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "articles", "documents", "records", "data"])
def test_json_lists(tmp_path: Path, key: str | None) -> None:
    records = [{"id": "a", "text": "first"}, {"text": "second"}, 3]
    path = tmp_path / "list.json"
    path.write_text(
        json.dumps(records if key is None else {"status": "ok", key: records}), encoding="utf-8"
    )
    items = read(path)
    assert [(i.id, i.origin, i.format) for i in articles(items)] == [
        ("a", f"{path}:#0", "json"),
        ("list.json:#1", f"{path}:#1", "json"),
    ]
    assert skipped(items) == [Skipped(f"{path}:#2", "record is not a JSON object (got number)")]


def test_json_single_record_and_newsapi_source(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(
            {
                "title": "T",
                "content": "Body",
                "source": {"id": None, "name": "BBC News"},
                "publishedAt": "2024-03-29T10:00:00Z",
            }
        ),
        encoding="utf-8",
    )
    [item] = read(path)
    assert isinstance(item, Article)
    assert (item.id, item.origin, item.text, item.source, item.date) == (
        "one.json",
        str(path),
        "Body",
        "BBC News",
        "2024-03-29T10:00:00Z",
    )


def test_invalid_json_and_json_lines_in_a_json_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"text": "a"},', encoding="utf-8")
    lines = tmp_path / "lines.json"
    write_jsonl(lines, [{"text": "a"}, {"text": "b"}])
    items = read(bad, lines)
    assert isinstance(items[0], Skipped) and items[0].origin == str(bad)
    assert items[0].reason.startswith("not valid JSON: ")
    assert [a.id for a in articles(items)] == ["lines.json:1", "lines.json:2"]


def test_deeply_nested_json_does_not_raise(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Skipped) and item.reason.startswith("not valid JSON")


# --- CSV ----------------------------------------------------------------------------


def test_csv_with_quoted_newlines_and_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "id,Title,text,source,extra\r\n"
        'x1,First,"Line one\nline two, with comma",AP,1\r\n'
        ',Second,"He said ""yes""",,\r\n'
        "\r\n"
        'x4,Fourth,"عربي",Reuters,z\r\n',
        encoding="utf-8",
    )
    items = articles(read(path))
    assert [(a.id, a.origin) for a in items] == [
        ("x1", f"{path}:2"),
        ("t.csv:3", f"{path}:3"),
        ("x4", f"{path}:5"),
    ]
    assert items[0].text == "Line one\nline two, with comma"
    assert (items[0].title, items[0].source, items[0].extra) == ("First", "AP", (("extra", "1"),))
    assert (items[1].text, items[1].source) == ('He said "yes"', None)
    assert items[2].format == "csv"


def test_tsv_and_semicolon_csv(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text("id\ttext\nt1\thello, world\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id;text\ns1;bonjour, monde\n", encoding="utf-8")
    assert [(a.id, a.text) for a in articles(read(tmp_path))] == [
        ("t1", "hello, world"),
        ("s1", "bonjour, monde"),
    ]


def test_csv_problems(tmp_path: Path) -> None:
    no_text = tmp_path / "a.csv"
    no_text.write_text("id,headline\n1,x\n", encoding="utf-8")
    wide = tmp_path / "b.csv"
    wide.write_text("id,text\n1,ok\n2,too,many\n3,\n", encoding="utf-8")
    items = read(no_text, wide)
    assert skipped(items) == [
        Skipped(str(no_text), "no text column (expected 'text'; found: id, headline)"),
        Skipped(f"{wide}:3", "row has 3 fields but the header has 2"),
        Skipped(f"{wide}:4", "empty document"),
    ]
    assert [a.id for a in articles(items)] == ["1"]


def test_csv_with_huge_field(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text('id,text\n1,"' + "word " * 100_000 + '"\n', encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Article) and len(item.text) == 500_000


def test_cp1256_csv(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("id,title,text\n1,عنوان الخبر,نص الخبر الكامل هنا\n".encode("cp1256"))
    [item] = read(path)
    assert isinstance(item, Article)
    assert (item.title, item.text, item.encoding) == (
        "عنوان الخبر",
        "نص الخبر الكامل هنا",
        "cp1256",
    )


# --- HTML ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Storm closes northern port | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2021-02-23T08:00:00Z">
<script>var tracking = "do not extract me";</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="menu">Subscribe now | Log in | Newsletters</div>
<article>
<h1>Storm closes northern port</h1>
<p>A powerful storm hit the northern coast on Tuesday, cutting power to thousands of homes
and closing the main port.</p>
<p>Officials said repairs would take at least a week,
and schools in three towns will stay closed until Friday.</p>
</article>
<footer>Copyright 2021 Daily Planet. All rights reserved.</footer>
</body></html>"""


def test_html_main_text_title_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Article)
    assert (item.id, item.format, item.encoding, item.lang) == ("page.html", "html", "utf-8", "en")
    assert "A powerful storm hit the northern coast on Tuesday" in item.text
    assert "schools in three towns will stay closed until Friday" in item.text
    for furniture in ("Sport", "Subscribe now", "Copyright", "do not extract me"):
        assert furniture not in item.text
    assert item.title is not None and "Storm closes northern port" in item.title
    assert item.source == "Daily Planet"
    assert item.date is not None and item.date.startswith("2021-02-23")


def test_html_falls_back_to_stdlib_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Article)
    assert item.title == "Storm closes northern port | Daily Planet"
    assert "A powerful storm hit the northern coast on Tuesday" in item.text
    for furniture in ("Sport", "Subscribe now", "Copyright", "do not extract me"):
        assert furniture not in item.text
    assert (item.source, item.date) == ("Daily Planet", "2021-02-23T08:00:00Z")


def test_arabic_html_in_cp1256(tmp_path: Path) -> None:
    body = "<p>" + ARABIC + " " + ARABIC + "</p>"
    path = tmp_path / "ar.html"
    path.write_bytes(
        f'<html lang="ar"><head><title>خبر عاجل</title></head><body>{body}</body></html>'.encode(
            "cp1256"
        )
    )
    [item] = read(path)
    assert isinstance(item, Article)
    assert ARABIC in item.text and item.encoding == "cp1256" and item.lang == "ar"
    assert item.title == "خبر عاجل"


def test_empty_html_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "e.html"
    path.write_text(
        "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
        encoding="utf-8",
    )
    assert read(path) == [Skipped(str(path), "empty document")]


# --- gzip ----------------------------------------------------------------------------


def test_gzipped_files_dispatch_on_the_inner_extension(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write('{"text": "one"}\n{"text": "two"}\n')
    (tmp_path / "note.txt.gz").write_bytes(gzip.compress(ARABIC.encode("cp1256")))
    (tmp_path / "broken.txt.gz").write_bytes(b"not gzip at all")
    items = read(tmp_path)
    assert isinstance(items[0], Skipped) and items[0].reason.startswith("not a valid gzip file")
    assert [(a.id, a.format) for a in articles(items)] == [
        ("feed.jsonl.gz:1", "jsonl"),
        ("feed.jsonl.gz:2", "jsonl"),
        ("note.txt.gz", "text"),
    ]
    assert articles(items)[2].text == ARABIC


# --- stdin ---------------------------------------------------------------------------


def test_stdin_jsonl_binary() -> None:
    data = '\n{"id": "s1", "text": "نص"}\n{"text": "second"}\n'.encode()
    items = read("-", stdin=io.BytesIO(data))
    assert [(a.id, a.origin, a.format, a.text) for a in articles(items)] == [
        ("s1", "stdin:2", "jsonl", "نص"),
        ("stdin:3", "stdin:3", "jsonl", "second"),
    ]


def test_stdin_plain_text_through_a_text_wrapper() -> None:
    stream = io.TextIOWrapper(io.BytesIO(ARABIC.encode("cp1256")), encoding="utf-8")
    [item] = read("-", stdin=stream)
    assert isinstance(item, Article)
    assert (item.id, item.origin, item.format, item.text, item.encoding) == (
        "stdin",
        "stdin",
        "stdin",
        ARABIC,
        "cp1256",
    )


def test_stdin_text_stream_without_buffer() -> None:
    [item] = read("-", stdin=io.StringIO("  " + ENGLISH))
    assert isinstance(item, Article) and item.text == "  " + ENGLISH and item.id == "stdin"
    items = read("-", stdin=io.StringIO('{"id": "j", "text": "x"}\nnot json\n'))
    assert [type(i).__name__ for i in items] == ["Article", "Skipped"]
    assert items[1] == Skipped("stdin:2", items[1].reason)  # type: ignore[union-attr]


def test_stdin_json_array_and_empty() -> None:
    items = read("-", stdin=io.BytesIO(b'[{"id": "q", "text": "x"}]'))
    assert [(a.id, a.format) for a in articles(items)] == [("q", "json")]
    assert read("-", stdin=io.BytesIO(b"")) == [Skipped("stdin", "empty document")]


def test_stdin_utf16() -> None:
    [item] = read("-", stdin=io.BytesIO((ARABIC + "\n").encode("utf-16")))
    assert isinstance(item, Article) and item.text == ARABIC + "\n" and item.encoding == "utf-16-le"


# --- duplicates and strict mode -----------------------------------------------------


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": "a", "text": "one"}, {"id": "b", "text": "two"}, {"id": "a", "text": "three"}],
    )
    items = read(path)
    assert [a.text for a in articles(items)] == ["one", "two"]
    assert skipped(items) == [Skipped(f"{path}:3", f"duplicate id 'a' (first seen at {path}:1)")]


def test_the_same_file_twice_is_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    items = read(path, path)
    assert isinstance(items[0], Article)
    assert items[1] == Skipped(str(path), f"duplicate id 'a.txt' (first seen at {path})")


def test_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    assert [a.id for a in articles(read(tmp_path))] == ["d/x.txt"]


def test_strict_mode_raises_at_the_first_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{oops}\n{"text": "never reached"}\n', encoding="utf-8")
    gen = read_paths([path], strict=True)
    assert isinstance(next(gen), Article)
    with pytest.raises(InputError, match=rf"^{path}:2: not valid JSON: "):
        next(gen)
    with pytest.raises(InputError, match="no such file or directory"):
        read(tmp_path / "missing.txt", strict=True)
    assert len(read(path)) == 3


def test_read_paths_is_lazy(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"text": str(i)} for i in range(5)])
    gen = read_paths([path, tmp_path / "missing"])
    first = next(gen)
    assert isinstance(first, Article) and first.text == "0"


def test_a_single_path_string_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    assert [a.id for a in articles(list(read_paths(str(path))))] == ["one.txt"]


# --- the real seeds -------------------------------------------------------------------


def test_seeds_are_read_with_file_names_as_ids() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not available")
    items = read(seeds)
    names = sorted(p.name for p in seeds.iterdir() if not p.name.startswith("."))
    assert all(isinstance(i, Article) for i in items)
    assert [i.id for i in articles(items)] == names and len(names) == 5
    for item in articles(items):
        assert item.encoding == "utf-8" and item.format == "text"
        assert item.text == (seeds / item.id).read_text(encoding="utf-8")
        assert sum("\u0621" <= c <= "\u064a" for c in item.text) > 500
