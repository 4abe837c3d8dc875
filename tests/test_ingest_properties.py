"""Property tests for clusterer.ingest (hypothesis)."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterer.ingest import decode_bytes, read_paths
from clusterer.records import Article, Skipped

SETTINGS = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

text_chars = st.characters(exclude_categories=["Cs"])
texts = st.text(text_chars, min_size=1, max_size=200).filter(lambda t: t.strip() != "")
ids = st.one_of(
    st.text(text_chars, min_size=1, max_size=20).filter(lambda t: t.strip() != ""),
    st.integers(min_value=-(10**12), max_value=10**12),
)
records = st.lists(st.tuples(ids, texts), max_size=20, unique_by=lambda r: str(r[0]))

ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x063B)) + "".join(
    chr(c) for c in range(0x0641, 0x064B)
)
arabic_words = st.text(st.sampled_from(ARABIC_LETTERS), min_size=2, max_size=9)
arabic_texts = st.lists(
    st.tuples(arabic_words, st.sampled_from([" ", " ", " ", "، ", ". ", "\n"])),
    min_size=2,
    max_size=60,
).map(lambda ws: "".join(w + sep for w, sep in ws).rstrip())


@SETTINGS
@given(records)
def test_jsonl_round_trips_ids_and_texts(recs: list[tuple[str | int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text(
            "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in recs),
            encoding="utf-8",
        )
        items = list(read_paths([path]))
    assert all(isinstance(item, Article) for item in items)
    assert [(a.id, a.text) for a in items] == [(str(i), t) for i, t in recs]  # type: ignore[union-attr]
    assert [a.origin for a in items] == [f"{path}:{n}" for n in range(1, len(recs) + 1)]


@SETTINGS
@given(records)
def test_stdin_jsonl_round_trips(recs: list[tuple[str | int, str]]) -> None:
    data = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in recs).encode()
    items = list(read_paths(["-"], stdin=io.BytesIO(data)))
    if not recs:
        assert items == [Skipped("stdin", "empty document")]
    else:
        assert [(a.id, a.text) for a in items] == [(str(i), t) for i, t in recs]  # type: ignore[union-attr]


@SETTINGS
@given(
    st.binary(max_size=3000),
    st.sampled_from(
        [
            "a.txt",
            "a.jsonl",
            "a.json",
            "a.csv",
            "a.tsv",
            "a.html",
            "noext",
            "a.bin",
            "a.txt.gz",
            "a.jsonl.gz",
        ]
    ),
)
def test_arbitrary_bytes_never_raise(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(read_paths([path]))
    items += list(read_paths(["-"], stdin=io.BytesIO(data)))
    assert items
    for item in items:
        assert isinstance(item, Article | Skipped)
        if isinstance(item, Article):
            assert item.text.strip()


@SETTINGS
@given(
    arabic_texts,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"]),
)
def test_decode_bytes_round_trips_arabic(text: str, codec: str) -> None:
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    if codec == "cp1256":
        assert encoding == "cp1256"


@SETTINGS
@given(st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=300))
def test_decode_bytes_takes_printable_utf8_as_utf8(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
