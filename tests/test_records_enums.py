"""The closed sets of strings are enums with exactly the values the code writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from clusterer.records import ConflictKind, FoundSource, KeepPolicy, RelationKind

PACKAGE = Path(__file__).resolve().parents[1] / "clusterer"


def _sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(PACKAGE.glob("*.py")))


def test_every_found_source_written_is_a_found_source() -> None:
    written = set(re.findall(r"\bFound\([^,()]+(?:\([^()]*\))?[^,()]*,\s*\"([^\"]+)\"", _sources()))
    assert written and written <= {s.value for s in FoundSource}
    assert {"field", "headline-line", "dateline", "byline", "quote"} <= written


def test_every_conflict_kind_written_is_a_conflict_kind() -> None:
    written = set(re.findall(r"\bConflict\(\s*\"(\w+)\"", _sources()))
    assert written and written <= {k.value for k in ConflictKind}


def test_enums_are_their_strings_in_json() -> None:
    assert (
        json.dumps([RelationKind.NEAR_DUPLICATE, KeepPolicy.FIRST]) == '["near_duplicate", "first"]'
    )
    assert {RelationKind.EXACT: 1}["exact"] == 1 and FoundSource.NONE == "none"
