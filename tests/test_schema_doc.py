"""Every JSON object the tool writes has exactly the keys docs/schema.md lists, in that order.

The key lists are parsed from the schema document, so the code and its documentation cannot drift.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from clusterer import Config
from clusterer.ingest import read_paths
from clusterer.pipeline import run, run_dedup
from clusterer.records import (
    Article,
    BoilerplateReport,
    ClusterQuote,
    Conflict,
    ConflictKind,
    FirstReport,
    Relation,
    RelationKind,
    Skipped,
    TimelineEntry,
)
from clusterer.render import (
    boilerplate_to_dict,
    conflict_to_dict,
    dedup_report_to_dict,
    first_report_to_dict,
    kept_records,
    quote_to_dict,
    relation_to_dict,
    report_to_dict,
    skipped_to_dict,
    timeline_to_dict,
)

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "schema.md"

# object type -> the heading of its table in docs/schema.md
HEADINGS = {
    "report": "Top level",
    "document": "`documents[]`",
    "cluster": "`clusters[]`",
    "statement": "statement",
    "evidence": "evidence",
    "conflict": "conflict",
    "story": "`stories[]`",
    "relation": "`duplicates[]` and `related[]` (relation)",
    "boilerplate": "`boilerplate[]`",
    "skipped": "`skipped[]`",
    "dedup report": "`cluster dedup`: the duplicates report",
    "kept record": "kept record",
    "quote": "quote",
    "first report": "first report",
    "timeline entry": "timeline entry",
}


def schema_keys() -> dict[str, list[str]]:
    """Return heading -> the keys in the first column of the table under it, in order."""
    out: dict[str, list[str]] = {}
    heading = None
    for line in SCHEMA.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#+ (.+)", line)
        if m:
            heading = m.group(1).strip()
            continue
        cells = line.split("|")
        if heading is None or len(cells) < 3 or cells[1].strip() in ("key", "---"):
            continue
        out.setdefault(heading, []).extend(re.findall(r"`([a-z_]+)`", cells[1]))
    return out


@pytest.fixture(scope="module")
def written() -> dict[str, list[dict[str, Any]]]:
    """Return the objects of every type the tool writes, from real runs plus records built here."""
    report = report_to_dict(run(read_paths([EXAMPLES]), Config()))
    clusters = report["clusters"]
    statements = [s for c in clusters for s in c["summary"]]
    dedup = run_dedup(
        [
            Article(id="a", text="Rain falls on Paris today.", origin="a", source="Wire"),
            Article(id="b", text="Rain falls on Paris today.", origin="b"),
            Skipped("c", "empty"),
        ]
    )
    rel = Relation("x", "y", RelationKind.SYNDICATED, 0.5, 0.2, 0.5, ("a passage",))
    conflict = Conflict(ConflictKind.NUMBER, "Ten died.", (("10", ("x",), ("Wire",)),))
    return {
        "report": [report],
        "document": report["documents"],
        "cluster": clusters,
        "statement": statements,
        "evidence": [e for s in statements for e in s["evidence"]],
        "conflict": [x for c in clusters for x in c["conflicts"]] + [conflict_to_dict(conflict)],
        "story": report["stories"],
        "relation": report["duplicates"] + [relation_to_dict(rel)],
        "boilerplate": [boilerplate_to_dict(BoilerplateReport("wire", 1, 2, ("Share",)))],
        "skipped": [skipped_to_dict(s) for s in dedup.skipped],
        "dedup report": [dedup_report_to_dict(dedup)],
        "kept record": list(kept_records(dedup)),
        "quote": [quote_to_dict(ClusterQuote("Ellingsen", "we stay out", ("a",), (None,)))]
        + [q for c in clusters for q in c["quotes"]],
        "first report": [first_report_to_dict(FirstReport("a", None, "2021-02-23"))]
        + [c["first_reported_by"] for c in clusters if c["first_reported_by"]],
        "timeline entry": [timeline_to_dict(TimelineEntry("2021-02-23", "It rained.", ("a",)))]
        + [e for s in report["stories"] for e in s["timeline"]],
    }


def test_schema_doc_lists_every_object_type() -> None:
    keys = schema_keys()
    assert all(keys.get(h) for h in HEADINGS.values()), sorted(keys)


@pytest.mark.parametrize("kind", sorted(HEADINGS))
def test_written_keys_are_the_documented_keys(
    kind: str, written: dict[str, list[dict[str, Any]]]
) -> None:
    documented = schema_keys()[HEADINGS[kind]]
    objects = written[kind]
    assert objects, f"no {kind} object written"
    for obj in objects:
        assert list(obj) == documented, kind
