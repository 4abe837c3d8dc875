"""The command line: formats, streams, errors and exit codes (CliRunner), plus one real subprocess."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_cli.launch import no_huge_pages
from cluster_cli.main import cli
from conftest import EXAMPLES, ROOT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _run(runner: CliRunner, args: list[str], **kw):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, args, catch_exceptions=False, **kw)


def test_json_when_not_a_terminal(runner: CliRunner) -> None:
    res = _run(runner, [str(EXAMPLES)])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["schema_version"] == 1
    assert "clustered" in res.stderr  # the summary line goes to stderr, never stdout
    members = sorted(m for c in data["clusters"] for m in c["members"])
    ids = sorted(p.name for p in EXAMPLES.iterdir())
    assert members == ids  # every input document is in exactly one cluster


def test_formats_table_and_jsonl(runner: CliRunner) -> None:
    table = _run(runner, [str(EXAMPLES), "--format", "table"])
    assert table.exit_code == 0 and "outlets:" in table.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(table.stdout)
    lines = _run(runner, [str(EXAMPLES), "--format", "jsonl", "-q"]).stdout.splitlines()
    recs = [json.loads(x) for x in lines]
    assert all(r["schema_version"] == 1 and r["type"] in {"cluster", "skipped"} for r in recs)
    assert sum(len(r["members"]) for r in recs if r["type"] == "cluster") == len(
        list(EXAMPLES.iterdir())
    )


def test_output_is_deterministic(runner: CliRunner) -> None:
    a = _run(runner, [str(EXAMPLES), "--json", "-q"]).stdout
    b = _run(runner, [str(EXAMPLES), "--json", "-q"]).stdout
    assert a == b


def test_stdin_jsonl_and_plain_text(runner: CliRunner) -> None:
    recs = [
        {
            "id": "a",
            "title": "Storm closes port",
            "text": "A storm closed the port of Karsby on Monday, officials said.",
        },
        {
            "id": "b",
            "title": "Port shut by storm",
            "text": "Officials said a storm shut the port of Karsby on Monday.",
        },
    ]
    res = _run(runner, ["-", "-q"], input="\n".join(json.dumps(r) for r in recs) + "\n")
    data = json.loads(res.stdout)
    assert [d["id"] for d in data["documents"]] == ["a", "b"]
    res = _run(
        runner,
        ["-", "-q"],
        input="Storm closes port\n\nA storm closed the port of Karsby on Monday.\n",
    )
    assert json.loads(res.stdout)["documents"][0]["id"] == "stdin"


def test_bad_inputs_are_skipped_with_one_line_each(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "Storm closes port\n\nA storm closed the port of Karsby.\n", encoding="utf-8"
    )
    (tmp_path / "bad.jsonl").write_text(
        '{"id": "x", "text": "Fine record about rain."}\n{not json\n', encoding="utf-8"
    )
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 8)
    res = _run(runner, [str(tmp_path), str(tmp_path / "missing.txt")])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    origins = {s["origin"] for s in data["skipped"]}
    assert any(o.endswith("bad.jsonl:2") for o in origins)
    assert any(o.endswith("blob.bin") for o in origins)
    assert any(o.endswith("missing.txt") for o in origins)
    assert sorted(d["id"] for d in data["documents"]) == ["good.txt", "x"]
    assert "Traceback" not in res.stderr
    assert "bad.jsonl:2" in res.stderr and "not valid JSON" in res.stderr


def test_strict_fails_on_first_problem(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text(
        '{"id": "x", "text": "Fine."}\n{not json\n', encoding="utf-8"
    )
    res = runner.invoke(cli, [str(tmp_path), "--strict"])
    assert res.exit_code == 1
    assert res.stdout == ""
    assert "bad.jsonl:2" in res.stderr and "Traceback" not in res.stderr


def test_nothing_readable_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, [str(tmp_path / "nope")])
    assert res.exit_code == 1
    assert "no usable document" in res.stderr
    assert res.stdout == ""


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    res = runner.invoke(cli, [str(EXAMPLES), "--threshold", "3"])
    assert res.exit_code == 2 and "threshold" in res.stderr
    res = runner.invoke(cli, [str(EXAMPLES), "--no-such-flag"])
    assert res.exit_code == 2


def test_article_text_never_becomes_markup_or_escape_codes(
    runner: CliRunner, tmp_path: Path
) -> None:
    evil = (
        "[bold red]Injected[/] \x1b[31mred\x1b[0m headline\n\n"
        "Body about [link=http://x]a port[/link] strike."
    )
    (tmp_path / "evil.txt").write_text(evil, encoding="utf-8")
    res = _run(runner, [str(tmp_path), "--format", "table", "-q"])
    assert "\x1b" not in res.stdout
    assert "[bold red]Injected[/]" in res.stdout  # shown literally, not interpreted


def test_every_option_has_help() -> None:
    for name, cmd in cli.commands.items():
        for p in cmd.params:
            if p.param_type_name == "option":
                assert p.help, f"{name} {p.name} has no help"


def test_dedup_command_writes_unique_documents(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "unique.jsonl"
    res = _run(runner, ["dedup", str(EXAMPLES), "-o", str(out)])
    assert res.exit_code == 0
    kept = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    report = json.loads((tmp_path / "unique.duplicates.json").read_text(encoding="utf-8"))
    dup_ids = {d["id"] for d in report["duplicates"]}
    assert "10_en_port_strike_ledger_copy.txt" in dup_ids
    assert dup_ids & {"01_ar_bridge_rafidain.txt", "04_ar_bridge_rafidain_repost.txt"}
    assert not dup_ids & set(kept)
    assert len(kept) + len(dup_ids) == len(list(EXAMPLES.iterdir()))


def test_eval_and_explain_commands(runner: CliRunner, tmp_path: Path) -> None:
    pred = tmp_path / "out.json"
    pred.write_text(_run(runner, [str(EXAMPLES), "-q"]).stdout, encoding="utf-8")
    res = _run(runner, ["eval", str(ROOT / "examples" / "newsroom.gold.jsonl"), str(pred)])
    scores = json.loads(res.stdout)
    assert scores["bcubed_f1"] == 1.0 and scores["docs"] == 13
    res = _run(
        runner,
        [
            "explain",
            "07_en_port_strike_ledger.txt",
            "08_en_port_strike_wire.txt",
            str(EXAMPLES),
            "-q",
        ],
    )
    assert (
        "event score" in res.stdout
        and "body TF-IDF cosine" in res.stdout
        and "same event" in res.stdout
    )
    res = runner.invoke(cli, ["explain", "nope", "08_en_port_strike_wire.txt", str(EXAMPLES), "-q"])
    assert res.exit_code == 1 and "no document with id 'nope'" in res.stderr


def test_real_subprocess_pipes_into_json_tool() -> None:
    exe = shutil.which("cluster", path=str(Path(sys.executable).parent)) or "cluster"
    proc = subprocess.run(
        f'"{exe}" "{EXAMPLES}" | "{sys.executable}" -m json.tool',
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema_version"] == 1
    assert "clustered" in proc.stderr


def test_the_launcher_asks_numpy_for_no_huge_pages_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    no_huge_pages()
    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "0"
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")  # the user's choice stands
    no_huge_pages()
    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "1"


def _keeps_freed_heap(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "GLIBC_"))}
    code = "from cluster_cli.launch import keep_freed_heap; print(keep_freed_heap())"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def test_the_launcher_keeps_freed_heap_unless_the_environment_sets_malloc() -> None:
    on_glibc = platform.libc_ver()[0] == "glibc"
    assert _keeps_freed_heap() == str(on_glibc)  # told where there is glibc, skipped elsewhere
    assert _keeps_freed_heap(MALLOC_TRIM_THRESHOLD_="131072") == "False"  # the user's choice stands
    assert _keeps_freed_heap(GLIBC_TUNABLES="glibc.malloc.mmap_threshold=65536") == "False"
