"""Corrections (must-link / cannot-link), the weakest link of each cluster, and the starter file."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_cli.main import cli

from clusterer import Article, Config, run
from clusterer.cluster import average_linkage
from clusterer.constraints import Constraints, IndexConstraints, load_constraints, write_constraints
from clusterer.errors import InputError
from clusterer.evaluate import starter_constraints

ROME = "Heavy rain flooded Rome streets on Monday; firefighters rescued 12 people from cars."
ROME2 = "Firefighters rescued 12 people from cars as heavy rain flooded Rome streets on Monday."
OTHER = "A new bakery opened downtown, selling sourdough bread and almond pastries to early crowds."


def _articles() -> list[Article]:
    return [
        Article(id="a", text=ROME, origin="a"),
        Article(id="b", text=ROME2, origin="b"),
        Article(id="c", text=OTHER, origin="c"),
    ]


def test_average_linkage_honours_must_and_cannot_links() -> None:
    edges = {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7}
    assert average_linkage(4, edges, 0.5) == [[0, 1, 2], [3]]
    kept_apart = average_linkage(4, edges, 0.5, IndexConstraints(cannot_link=((0, 2),)))
    assert [0, 2] not in kept_apart and all(not {0, 2} <= set(g) for g in kept_apart)
    joined = average_linkage(4, edges, 0.5, IndexConstraints(must_link=((0, 3),)))
    assert any({0, 3} <= set(g) for g in joined)


def test_run_with_constraints_and_weakest_link(caplog: pytest.LogCaptureFixture) -> None:
    plain = run(_articles(), Config(summaries=False))
    pair = next(c for c in plain.clusters if len(c.kept) == 2)
    assert pair.weakest_link is not None and {pair.weakest_link.a, pair.weakest_link.b} == {
        "a",
        "b",
    }
    assert all(c.weakest_link is None for c in plain.clusters if len(c.kept) == 1)
    with caplog.at_level(logging.WARNING, logger="clusterer"):
        fixed = run(
            _articles(),
            Config(summaries=False),
            constraints=Constraints(must_link=(("a", "c"),), cannot_link=(("a", "b"), ("x", "a"))),
        )
    of = {m: c for c in fixed.clusters for m in c.members}
    assert of["a"].id == of["c"].id and of["a"].id != of["b"].id
    assert of["a"].story != of["b"].story
    assert [r.getMessage() for r in caplog.records if "'x'" in r.getMessage()] == [
        "constraints: no document with id 'x'; ignored"
    ]
    assert of["a"].weakest_link is not None and of["a"].weakest_link.score >= 0.0


def test_constraints_file_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "fix.jsonl"
    cons = Constraints(must_link=(("a", "b"),), cannot_link=(("c", "d"),))
    write_constraints(path, cons)
    assert load_constraints(path) == cons
    path.write_text('{"must_link": ["a"]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=":1:"):
        load_constraints(path)


def test_starter_constraints_from_worst_merges_and_splits() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    pred = {"a": "1", "c": "1", "b": "2", "d": "2"}
    starter = starter_constraints(gold, pred)
    assert set(starter.cannot_link) == {("a", "c"), ("b", "d")}
    assert set(starter.must_link) == {("a", "b"), ("c", "d")}
    assert json.dumps(starter.must_link)


def test_cli_constraints_and_write_constraints(tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in _articles()),
        encoding="utf-8",
    )
    fix = tmp_path / "fix.jsonl"
    fix.write_text('{"cannot_link": ["a", "b"]}\n{"must_link": ["a", "zz"]}\n', encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(cli, [str(corpus), "--constraints", str(fix), "--no-summaries", "--json"])
    assert res.exit_code == 0, res.output
    assert "no document with id 'zz'" in res.stderr
    data = json.loads(res.stdout)
    assert all(set(c["members"]) != {"a", "b"} for c in data["clusters"])
    pred, gold, starter = tmp_path / "out.json", tmp_path / "gold.jsonl", tmp_path / "start.jsonl"
    pred.write_text(res.stdout, encoding="utf-8")
    gold.write_text(
        "".join(
            json.dumps({"id": i, "label": lab}) + "\n" for i, lab in zip("abc", "xxy", strict=True)
        ),
        encoding="utf-8",
    )
    res = runner.invoke(cli, ["eval", str(gold), str(pred), "--write-constraints", str(starter)])
    assert res.exit_code == 0, res.output
    assert load_constraints(starter).must_link == (("a", "b"),)
