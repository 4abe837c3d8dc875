"""Corrections with a state (issue 15): --constraints holds for new and stored documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from cluster_cli.main import cli
from conftest import EXAMPLES

from clusterer.constraints import Constraints, write_constraints
from clusterer.incremental import load_report
from clusterer.state import State

FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_file())
BRIDGE_A, BRIDGE_B = "01_ar_bridge_rafidain.txt", "02_ar_bridge_nahar.txt"
POWER, PORT = "05_ar_power_basra_nahar.txt", "07_en_port_strike_ledger.txt"
SOLAR, MARATHON = "11_en_solar_farm_wire.txt", "13_en_marathon_ledger.txt"


def _folder(tmp_path: Path, name: str, files: list[str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for f in files:
        shutil.copy(EXAMPLES / f, folder / f)
    return folder


def _run(folder: Path, db: Path, constraints: Path | None = None) -> str:
    """Run the CLI on ``folder`` with the state ``db``; return what it wrote to stderr."""
    extra = ["--constraints", str(constraints)] if constraints else []
    args = [str(folder), "--state", str(db), "--no-summaries", "--format", "json", *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stderr


def _events(db: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Return the event and the story of every document."""
    with State(db) as state:
        report = load_report(state)
    event = {m: c.id for c in report.clusters for m in c.members}
    story = {m: c.story for c in report.clusters for m in c.members}
    return event, story


def _constraints(tmp_path: Path, name: str, **pairs: tuple[tuple[str, str], ...]) -> Path:
    path = tmp_path / name
    write_constraints(path, Constraints(**pairs))
    return path


def test_corrections_hold_for_stored_and_new_documents(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _run(_folder(tmp_path, "a", FILES[:8]), db)
    before, _ = _events(db)
    assert before[BRIDGE_A] == before[BRIDGE_B] and before[POWER] != before[PORT]
    fixes = _constraints(
        tmp_path,
        "fixes.jsonl",
        must_link=((POWER, MARATHON), (SOLAR, PORT)),
        cannot_link=((BRIDGE_A, BRIDGE_B),),
    )
    stderr = _run(_folder(tmp_path, "b", FILES[8:]), db, fixes)
    event, story = _events(db)
    # a stored event holding a cannot-link pair splits, and the two parts share no story
    assert event[BRIDGE_A] != event[BRIDGE_B] and story[BRIDGE_A] != story[BRIDGE_B]
    # the larger part keeps the id
    assert before[BRIDGE_A] in {event[BRIDGE_A], event[BRIDGE_B]}
    # a new document must-linked to a stored one joins its event, which keeps its id
    assert event[MARATHON] == event[POWER] == before[POWER]
    assert event[SOLAR] == event[PORT] == before[PORT]
    assert "no document with id" not in stderr  # every id is known: no warning


def test_corrections_given_later_merge_stored_events_and_warn_on_unknown_ids(
    tmp_path: Path,
) -> None:
    db = tmp_path / "n.db"
    folder = _folder(tmp_path, "a", FILES)
    _run(folder, db)
    before, _ = _events(db)
    fixes = _constraints(tmp_path, "fixes.jsonl", must_link=((POWER, PORT), ("nowhere", BRIDGE_A)))
    stderr = _run(folder, db, fixes)  # nothing new: the corrections alone change the state
    event, _ = _events(db)
    assert event[POWER] == event[PORT] and event[POWER] in {before[POWER], before[PORT]}
    assert stderr.count("no document with id 'nowhere'") == 1
    with State(db) as state:
        merged = state.merged()
    assert set(merged) == {before[POWER], before[PORT]} - {event[POWER]}
    # the same file again: already satisfied, nothing changes
    _run(folder, db, fixes)
    assert _events(db)[0] == event


def test_the_json_of_a_run_with_a_state_and_corrections(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    fixes = _constraints(tmp_path, "fixes.jsonl", cannot_link=((BRIDGE_A, BRIDGE_B),))
    args = [str(EXAMPLES), "--state", str(db), "--constraints", str(fixes), "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    of = {m: c["id"] for c in data["clusters"] for m in c["members"]}
    assert of[BRIDGE_A] != of[BRIDGE_B]
