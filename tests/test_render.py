"""The JSON contract: pinned key sets, so a rename fails here before it breaks a user's script."""

from __future__ import annotations

import json
from typing import Any

from conftest import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st

from clusterer import SCHEMA_VERSION, Config
from clusterer.ingest import read_paths
from clusterer.pipeline import run
from clusterer.records import RelationKind
from clusterer.render import (
    _indented,
    dumps,
    json_chunks,
    record_line,
    report_fields,
    report_to_dict,
    report_to_jsonl,
)

TOP = [
    "schema_version",
    "tool",
    "params",
    "stats",
    "documents",
    "clusters",
    "stories",
    "duplicates",
    "related",
    "boilerplate",
    "skipped",
    "merged",
]
DOC = [
    "id",
    "origin",
    "title",
    "title_source",
    "title_confidence",
    "outlet",
    "outlet_source",
    "outlet_confidence",
    "date",
    "date_source",
    "date_confidence",
    "date_raw",
    "lang",
    "url",
    "words",
    "cluster",
    "duplicate_of",
    "furniture_removed",
    "decode_errors",
]
CLUSTER = [
    "id",
    "story",
    "size",
    "members",
    "kept",
    "cohesion",
    "weakest_link",
    "headline",
    "headline_source",
    "lead",
    "outlets",
    "dates",
    "keywords",
    "summary",
    "conflicts",
    "unique",
    "quotes",
    "first_reported_by",
]
STATEMENT = ["text", "sources", "outlets", "support", "unique", "evidence"]
DUP = ["id", "duplicate_of", "kind", "score", "jaccard", "containment", "shared"]


def _data() -> dict:
    return report_to_dict(run(read_paths([EXAMPLES]), Config()))


def test_key_sets_are_pinned() -> None:
    data = _data()
    assert list(data) == TOP
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert all(list(d) == DOC for d in data["documents"])
    assert all(list(c) == CLUSTER for c in data["clusters"])
    assert all(list(s) == STATEMENT for c in data["clusters"] for s in c["summary"])
    assert all(list(d) == DUP for d in data["duplicates"])
    assert set(data["params"]) == set(Config().to_dict())


def test_lists_are_sorted_and_floats_rounded() -> None:
    data = _data()
    assert [d["id"] for d in data["documents"]] == sorted(d["id"] for d in data["documents"])
    sizes = [c["size"] for c in data["clusters"]]
    assert sizes == sorted(sizes, reverse=True)
    for c in data["clusters"]:
        assert c["members"] == sorted(c["members"])
        assert round(c["cohesion"], 4) == c["cohesion"]
    text = dumps(data)
    assert json.loads(text) == data


def test_jsonl_lines_are_self_describing() -> None:
    data = _data()
    recs = list(report_to_jsonl(data))
    assert len(recs) == len(data["clusters"]) + len(data["skipped"])
    assert all(r["schema_version"] == 1 for r in recs)
    first = recs[0]
    assert [d["id"] for d in first["documents"]] == first["members"]


def test_record_line_is_the_standard_compact_json_byte_for_byte() -> None:
    rec: dict[str, str | None] = {
        "id": "a\udc80b",  # a lone surrogate: the standard library's escape
        "title": None,
        "text": 'x\x00\x1f\x7f\u2028"\\\n\t\b\f\r é ب 😀',
    }
    assert record_line(rec) == dumps(rec) + "\n"
    del rec["id"]
    assert record_line(rec) == dumps(rec) + "\n"


def test_indented_dumps_writes_what_the_standard_library_writes() -> None:
    """Indented JSON is written by orjson when it gives the same text, else by the standard
    library: nested and empty containers, escapes, and the values orjson writes otherwise
    (exponent floats, NaN, a non-string key, a lone surrogate) all come out as json.dumps."""
    nested = {
        "a": [1, {"b": [[], {}, {"c": '  x\t\n\u2028\x7f\x1f "q" \\ سلام'}]}, (2.5, -0.0)],
        "n": None,
        "t": True,
        "big": 2**63 - 1,
        "float": 0.8831,
        "deep": [[[[[[1]]]]]],
    }
    cases: list[object] = [
        nested,
        {},
        [],
        "x",
        0.5,
        {"tiny": 1.5e-5},
        {"huge": 1e20},
        {"nan": float("nan")},
        {1: "int key"},
        {"s": "\ud800"},
    ]
    for value in cases:
        for indent in (1, 2):
            assert dumps(value, indent=indent) == json.dumps(
                value, ensure_ascii=False, indent=indent
            )


def test_indented_dumps_writes_string_enums_by_orjson() -> None:
    """A string enum (a relation's kind) is written as its value by both writers, so a report
    holding them is still written by orjson."""
    value = {"kind": RelationKind.SYNDICATED, "kinds": [RelationKind.EXACT], "n": 1}
    for indent in (1, 2):
        fast = _indented(value, indent == 1)
        assert fast is not None
        assert fast == json.dumps(value, ensure_ascii=False, indent=indent)


def test_a_report_written_in_pieces_is_the_whole_report_byte_for_byte() -> None:
    """The CLI writes JSON from :func:`report_fields` piece by piece (a large report is never whole
    in memory): the same text as the whole dict dumped, in every indent and with ``--ascii``."""
    report = run(read_paths([EXAMPLES]), Config())
    whole = report_to_dict(report)
    assert whole["clusters"] and whole["documents"] and whole["stories"]
    for indent in (None, 0, 1, 2, 4):
        for ascii_ in (False, True):
            pieces = list(json_chunks(report_fields(report), ascii_=ascii_, indent=indent))
            assert len(pieces) > 3
            assert "".join(pieces) == dumps(whole, ascii_=ascii_, indent=indent)


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.text(max_size=5), st.tuples(st.booleans(), st.lists(_VALUES, max_size=4)), max_size=4
    ),
    st.sampled_from([None, 0, 1, 2, 3]),
    st.booleans(),
)
def test_json_chunks_write_what_dumps_writes(
    spec: dict[str, tuple[bool, list[Any]]], indent: int | None, ascii_: bool
) -> None:
    """Any fields, lists given whole or as iterators (empty ones too), any indent: the pieces
    joined are ``dumps`` of the fields with the iterators read into lists."""
    fields = {k: iter(v) if lazy else v for k, (lazy, v) in spec.items()}
    whole = {k: v for k, (_, v) in spec.items()}
    assert "".join(json_chunks(fields, ascii_=ascii_, indent=indent)) == dumps(
        whole, ascii_=ascii_, indent=indent
    )
