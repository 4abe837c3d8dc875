"""The Dask engine gives the local engine's JSON, on a 2-worker LocalCluster, even when a worker is lost.

The corpus: 1,700 GVA incident reports and the 300 BASIL articles from ../shared/eval (skipped
when absent), written as two JSONL files so that reading is partitioned too.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cluster_cli.main import cli
from conftest import EXAMPLES

from clusterer import Config
from clusterer.ingest import read_paths
from clusterer.pipeline import run
from clusterer.render import doc_to_dict, report_to_dict

distributed = pytest.importorskip("distributed")
engine = pytest.importorskip("clusterer.engine_dask")

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
pytestmark = pytest.mark.slow


def _json(report: Any) -> str:
    data = report_to_dict(report)
    data.pop("tool")
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    if not (EVAL / "basil_events.jsonl").exists():
        pytest.skip("needs ../shared/eval")
    folder = tmp_path_factory.mktemp("dask_corpus")
    gva = (EVAL / "gva_incidents_sample3k.jsonl").read_text(encoding="utf-8").splitlines()[:1700]
    (folder / "gva.jsonl").write_text("\n".join(gva) + "\n", encoding="utf-8")
    basil = (EVAL / "basil_events.jsonl").read_text(encoding="utf-8")
    (folder / "basil.jsonl").write_text(basil, encoding="utf-8")
    return [str(folder / "gva.jsonl"), str(folder / "basil.jsonl")]


@pytest.fixture(scope="module")
def local_json(corpus: list[str]) -> str:
    return _json(run(read_paths(corpus), Config(), jobs=1))


@pytest.fixture()
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_two_workers_give_the_local_json(corpus: list[str], local_json: str, client: Any) -> None:
    report, stats = engine.run_dask(corpus, Config(), client)
    assert len(report.docs) == 2000
    assert _json(report) == local_json
    assert (
        stats.tasks["cluster blocks"] > 1
        and stats.tasks["summarize+coverage"] > 1
        and stats.tasks["normalize"] == 8
        and stats.tasks["boilerplate per outlet"] > 8
        and stats.moved["dedup fingerprints"] > 0
    )
    assert stats.gathered > 0 and sum(stats.moved.values()) > 0


def _kill_a_worker_holding_data(client: Any, done: threading.Event) -> list[str]:
    """Close one worker as soon as it holds results of the run (its data is lost)."""
    while not done.is_set():
        held = {addr: keys for addr, keys in client.has_what().items() if keys}
        if held and len(client.scheduler_info()["workers"]) == 2:
            victim = sorted(held, key=lambda a: -len(held[a]))[0]
            worker = next(w for w in client.cluster.workers.values() if w.address == victim)
            client.cluster.sync(worker.close)
            return [victim]
        time.sleep(0.05)
    return []


def test_a_lost_worker_is_survived(corpus: list[str], client: Any) -> None:
    cfg = Config(summaries=False)  # the equality test covers summaries; this one covers recovery
    local_json = _json(run(read_paths(corpus), cfg, jobs=1))
    done = threading.Event()
    killed: list[str] = []
    killer = threading.Thread(
        target=lambda: killed.extend(_kill_a_worker_holding_data(client, done))
    )
    killer.start()
    try:
        report, _ = engine.run_dask(corpus, cfg, client)
    finally:
        done.set()
        killer.join()
    assert killed, "no worker was lost during the run"
    assert _json(report) == local_json


def test_doc_metadata_keeps_what_the_renderer_reads(corpus: list[str]) -> None:

    report = run(read_paths(corpus[1]), Config(summaries=False), jobs=1)
    for doc in report.docs[:50]:
        stub = engine.doc_metadata(doc)
        assert doc_to_dict(stub, "c", None) == doc_to_dict(doc, "c", None)
        assert len(stub.body) <= 2 * len(doc.body.split())


def test_the_command_line_engine_option() -> None:
    """``--engine dask`` with no scheduler starts a local cluster of --jobs workers: same JSON."""
    runner = CliRunner()
    args = [str(EXAMPLES), "--format", "json", "-q"]
    local = runner.invoke(cli, args)
    dask = runner.invoke(cli, [*args, "--engine", "dask", "-j", "1"])
    assert local.exit_code == 0 and dask.exit_code == 0, dask.output
    drop = ("tool",)
    assert {k: v for k, v in json.loads(dask.output).items() if k not in drop} == {
        k: v for k, v in json.loads(local.output).items() if k not in drop
    }


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["-"], "not stdin"), (["--constraints", "c.jsonl"], "--constraints needs --engine local")],
)
def test_what_the_dask_engine_refuses(extra: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "c.jsonl").write_text('{"must_link": ["a", "b"]}\n', encoding="utf-8")
    args = [str(EXAMPLES), "--engine", "dask", *extra]
    result = CliRunner().invoke(
        cli, [a.replace("c.jsonl", str(tmp_path / "c.jsonl")) for a in args]
    )
    assert result.exit_code != 0 and message in result.output
