"""The state database and incremental runs (issue 15): ids, copies, safety, quality vs one run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_cli.main import cli
from conftest import EVAL, EXAMPLES, ROOT, need, read_jsonl
from state_feed import daily, feed_and_compare, halves

from clusterer import Article, Config
from clusterer.cluster import DocFeatures
from clusterer.incremental import carry_ids, load_report, update
from clusterer.prepare import prepare
from clusterer.render import report_to_dict
from clusterer.state import SCHEMA_VERSION, State, StateError

FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_file())


def _newsroom(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / f"in{len(list(tmp_path.glob('in*')))}"
    folder.mkdir()
    for name in names:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def _events(db: Path) -> dict[str, tuple[str, ...]]:
    with State(db) as state:
        return {c.id: c.members for c in load_report(state).clusters}


def _cluster_json(*args: str) -> dict:
    extra = [] if args[0] == "state" else ["--format", "json", "-q"]
    result = CliRunner().invoke(cli, [*args, *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_carry_ids_split_keeps_the_id_on_the_larger_part() -> None:
    ids, merged = carry_ids([("p1", {"old": 1}), ("p2", {"old": 3}), ("p3", {})], {"old": 1})
    assert ids == ["p1", "old", "p3"] and merged == {}


def test_carry_ids_merge_keeps_the_older_id() -> None:
    ids, merged = carry_ids([("p", {"young": 5, "old": 1})], {"young": 4, "old": 2})
    assert ids == ["old"] and merged == {"young": "old"}


def test_first_state_run_gives_the_plain_run(tmp_path: Path) -> None:
    plain = _cluster_json(str(EXAMPLES))
    stated = _cluster_json(str(EXAMPLES), "--state", str(tmp_path / "n.db"))
    for key in ("clusters", "stories", "duplicates", "stats"):
        assert plain[key] == stated[key], key


def test_state_summaries_read_pages_without_their_boilerplate_as_a_run_does(tmp_path: Path) -> None:
    # raw pages whose outlets repeat menus and footers: a run summarizes them without what
    # boilerplate learning removed, and a state must too (its summaries once quoted the menus)
    rows = read_jsonl(need(EVAL / "ar_claims_dev.jsonl"))[:150]
    src = tmp_path / "pages.jsonl"
    src.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    plain = _cluster_json(str(src))
    stated = _cluster_json(str(src), "--state", str(tmp_path / "n.db"))
    assert [c["summary"] for c in stated["clusters"]] == [c["summary"] for c in plain["clusters"]]
    assert plain["clusters"] == stated["clusters"]


def test_ids_are_stable_across_runs_and_copies_are_found(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _cluster_json(str(_newsroom(tmp_path, FILES[:8])), "--state", str(db))
    first = _events(db)
    _cluster_json(str(_newsroom(tmp_path, FILES[8:])), "--state", str(db))
    second = _events(db)
    # every event of the first run lives on under its id, with at least its members
    assert all(set(members) <= set(second[e]) for e, members in first.items())
    with State(
        db
    ) as state:  # the bridge event got nothing new: neither rewritten nor re-summarized
        touched = set(state.events_of_batch(2))
    bridge = next(e for e, m in second.items() if m[0].startswith("01_"))
    assert bridge in first and bridge not in touched and touched
    # the same files again: all seen, nothing changes
    again = _cluster_json(str(_newsroom(tmp_path, FILES)), "--state", str(db), "--changed")
    assert again["clusters"] == [] and _events(db) == second
    with State(db) as state:
        assert state.history()[-1]["seen"] == len(FILES)


def _article(name: str) -> Article:
    return Article(name, (EXAMPLES / name).read_text(encoding="utf-8"), name)


def test_a_merge_keeps_the_older_id_and_reports_the_other(tmp_path: Path) -> None:
    apart = Config(threshold=0.99)  # a strict first pass keeps the two port-strike reports apart
    with State(tmp_path / "n.db") as state:
        update(state, [_article(FILES[6])], apart)
        update(state, [_article(FILES[7])], apart)
        ids = {m[0]: e for e, m in _events(tmp_path / "n.db").items()}
        older, younger = ids[FILES[6]], ids[FILES[7]]
        result = update(state, [_article(f) for f in FILES[8:]], Config())
        report = load_report(state, result.touched, result)
    assert result.merged == {younger: older}
    assert report.clusters[0].id == older and len(report.clusters[0].members) == 4
    assert report_to_dict(report)["merged"] == [{"id": younger, "merged_into": older}]


def test_a_copy_under_another_id_joins_the_event_of_its_original(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    text = (EXAMPLES / FILES[6]).read_text(encoding="utf-8")
    with State(db) as state:
        update(state, [Article(FILES[6], text, "a")], Config())
        result = update(state, [Article("copy", text, "b")], Config())
        report = load_report(state, result.touched, result)
    assert result.duplicates == 1
    assert [c.members for c in report.clusters] == [tuple(sorted([FILES[6], "copy"]))]
    assert report.dedup.duplicate_of() == {"copy": FILES[6]}


def test_changed_outputs_only_touched_events_and_export_is_the_contract(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _cluster_json(str(_newsroom(tmp_path, FILES[:10])), "--state", str(db))
    changed = _cluster_json(str(_newsroom(tmp_path, FILES[10:])), "--state", str(db), "--changed")
    everything = _cluster_json("state", "export", str(db))
    assert 0 < len(changed["clusters"]) < len(everything["clusters"])
    assert everything["schema_version"] == 1 and len(everything["documents"]) == len(FILES)
    stats = CliRunner().invoke(cli, ["state", "stats", str(db)])
    assert json.loads(stats.stdout)["documents"] == len(FILES)
    assert CliRunner().invoke(cli, ["state", "vacuum", str(db)]).exit_code == 0
    shown = CliRunner().invoke(cli, ["state", "show", str(db)])
    assert shown.exit_code == 0 and shown.stdout.strip()


FURNITURE = "Harbour Media Group prints the Courier at its Northfield plant on Elm Road."
STORIES = (
    "Firefighters contained a warehouse blaze near the harbour on Monday night after six hours.",
    "The city council approved the new tram line to the airport by nine votes to four.",
    "A storm closed the mountain pass and stranded dozens of trucks near the border post.",
)


def _courier(n: int) -> Article:
    return Article(f"p{n}", f"{STORIES[n]}\n\n{FURNITURE}", f"p{n}", source="Courier")


def test_boilerplate_is_learned_with_the_stored_pages_of_the_outlet(tmp_path: Path) -> None:
    pages = [_courier(n) for n in range(3)]
    with State(tmp_path / "n.db") as state:
        for page in pages:  # one page a batch: no batch alone shows the line recurring
            update(state, [page], Config(summaries=False))
        stored = state.docs([p.id for p in pages], "matching")
        originals = state.docs([p.id for p in pages])
        furniture = set(originals["p0"].tokens) - set(stored["p0"].tokens)
        # the first page's furniture words were counted when it was stored, and taken back
        assert furniture and not any(state.df(furniture).values())
    one = prepare(pages, Config()).corpus.matching
    assert all(stored[p.id].norm == one[p.id].norm for p in pages)
    assert all("northfield" not in stored[p.id].norm for p in pages)


def test_a_schema_1_state_gets_the_outlet_of_its_documents(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    with State(db) as state:
        update(state, [_courier(0)], Config(summaries=False))
    with sqlite3.connect(db) as con:  # as schema 1 stored it
        con.executescript(
            "DROP INDEX docs_outlet; ALTER TABLE docs DROP COLUMN outlet; "
            "ALTER TABLE docs DROP COLUMN features; PRAGMA user_version=1;"
        )
    with State(db) as state:
        assert state.outlet_docs(["courier"], 5).keys() == {"p0"}
        assert state.stats()["schema_version"] == SCHEMA_VERSION == 3


def test_scoring_features_are_kept_and_dropped_when_the_page_is_stripped_again(
    tmp_path: Path,
) -> None:
    db = tmp_path / "n.db"
    pages = [_courier(n) for n in range(3)]
    with State(db) as state:
        update(state, pages[:1], Config(summaries=False))
    with sqlite3.connect(db) as con:  # as schema 2 stored it: no features
        con.executescript("ALTER TABLE docs DROP COLUMN features; PRAGMA user_version=2;")
    with State(db) as state:
        assert state.features(["p0"]) == {}  # migrated: none yet
        update(state, pages[1:2], Config(summaries=False))  # p0 is in the neighbourhood
        kept = state.features(["p0", "p1"])
        matching = state.docs(["p0", "p1"], "matching")
        assert kept.keys() == {"p0", "p1"}
        for doc_id, blob in kept.items():
            assert DocFeatures.decoded([blob]) == DocFeatures.of([matching[doc_id]])
        # the third page shows the furniture line recurring: p0 and p1 are stripped again,
        # their features computed again from the new matching versions
        update(state, pages[2:], Config(summaries=False))
        matching = state.docs(["p0", "p1", "p2"], "matching")
        kept = state.features(["p0", "p1", "p2"])
        assert all("northfield" not in matching[i].norm for i in matching)
        assert kept.keys() == {"p0", "p1", "p2"}  # recent pages: all in the third neighbourhood
        for doc_id, blob in kept.items():
            assert DocFeatures.decoded([blob]) == DocFeatures.of([matching[doc_id]])


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    State(db).close()
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(StateError, match="newer cluster"):
        State(db)
    result = CliRunner().invoke(cli, ["state", "stats", str(db)])
    assert result.exit_code == 1 and "upgrade cluster" in result.output


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE x (y)")
    with pytest.raises(StateError, match="not a cluster state"):
        State(db)


def test_a_second_run_waits_then_says_the_state_is_busy(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    first, second = State(db), State(db, lock_timeout=0.2)
    busy = pytest.raises(StateError, match="being updated by another cluster run")
    with first.batch(), busy, second.batch():
        pass
    first.close()
    second.close()


KILLER = """
import os, signal, sys
from clusterer.state import State
real = State.add_batch
def add_batch_then_die(self, *args):
    real(self, *args)
    os.kill(os.getpid(), signal.SIGKILL)  # everything of the batch is written, nothing committed
State.add_batch = add_batch_then_die
from cluster_cli.main import main
sys.argv = ["cluster", *sys.argv[1:]]
main()
"""


@pytest.mark.slow
def test_a_run_killed_mid_batch_leaves_the_state_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _cluster_json(str(_newsroom(tmp_path, FILES[:8])), "--state", str(db))
    before = _cluster_json("state", "export", str(db))
    rest = _newsroom(tmp_path, FILES[8:])
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLER), str(rest), "--state", str(db), "-q"],
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = _cluster_json("state", "export", str(db))
    assert after["clusters"] == before["clusters"] and after["documents"] == before["documents"]
    done = _cluster_json(str(rest), "--state", str(db))
    assert done["stats"]["documents"] == len(FILES)


@pytest.mark.quality
def test_basil_in_two_halves_matches_one_run(tmp_path: Path) -> None:
    rows = read_jsonl(need(EVAL / "basil_events.jsonl"))
    fed = feed_and_compare(halves(rows), tmp_path / "b.db")
    assert fed.bcubed_f1 >= 0.97  # measured 0.998
    assert fed.first_ids_surviving >= 0.95  # measured 1.0


@pytest.mark.quality
def test_gva_day_by_day_matches_one_run(tmp_path: Path) -> None:
    rows = read_jsonl(need(EVAL / "gva_incidents_sample3k.jsonl"))
    first = [r for batch in daily(rows) for r in batch][:200]  # the full feed: make bench-state
    fed = feed_and_compare(daily(first), tmp_path / "g.db")
    assert fed.bcubed_f1 >= 0.97, fed
    assert fed.first_ids_surviving >= 0.95, fed
