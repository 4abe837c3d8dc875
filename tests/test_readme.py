"""The README's commands work as written: a newcomer pastes them in order in a fresh clone.

Fast checks parse every ``cluster`` command of the README's shell blocks with the real command
line (no run) and check the packaging covers every package; the ``slow`` test runs the commands
in order in bash, in a scratch copy of the clone's layout (``examples/`` and ``../shared``).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
from cluster_cli.main import cli
from conftest import ROOT, SHARED

README = ROOT / "README.md"
_BLOCK = re.compile(r"^```([a-z]*)\n(.*?)^```", re.M | re.S)
_INVOKES = re.compile(r"(?:^|[|&;]\s*)cluster\s")


def shell_blocks() -> list[list[str]]:
    """Return the README's shell code blocks (fences without a language, or sh/bash/console)."""
    text = README.read_text(encoding="utf-8")
    return [
        [line for line in body.splitlines() if line.strip()]
        for lang, body in _BLOCK.findall(text)
        if lang in {"", "sh", "bash", "shell", "console"}
    ]


def cluster_lines() -> list[str]:
    """Return every README line that runs ``cluster``, in README order.

    The first line (install, then run the sample) is left out: it installs into ``.venv``, which
    ``test_first_command_installs_and_puts_cluster_on_path`` and CI's fresh install cover.
    """
    first = shell_blocks()[0][0]
    return [
        line
        for block in shell_blocks()
        for line in block
        if _INVOKES.search(line) and line != first
    ]


def cluster_argvs(line: str) -> list[list[str]]:
    """Return the argument lists of the ``cluster`` invocations on one shell line."""
    words = shlex.split(line, comments=True)
    out: list[list[str]] = []
    current: list[str] | None = None
    for word in words:
        if word in {"|", "&&", ";", ">", "<"}:
            if current is not None:
                out.append(current)
            current = None
        elif word == "cluster" and current is None:
            current = []
        elif current is not None:
            current.append(word)
    if current is not None:
        out.append(current)
    return out


def test_first_command_installs_and_puts_cluster_on_path() -> None:
    first = shell_blocks()[0][0]
    assert "python3 -m venv .venv" in first and ". .venv/bin/activate" in first
    assert "pip install ." in first
    assert first.split("#")[0].rstrip().endswith("&& cluster examples/newsroom")


def test_readme_shows_the_issue_commands() -> None:
    lines = cluster_lines()
    assert any(line.startswith("cluster ../shared/seeds/ ") for line in lines)
    assert any("| jq " in line for line in lines)
    assert len(lines) >= 8


def parse_only(argv: list[str]) -> None:
    """Parse ``cluster ARGV`` as the command line would, without running it."""
    if argv and argv[0] in cli.commands:
        name, rest = argv[0], argv[1:]
    elif argv and argv[0] in {"-h", "--help", "--version"}:
        name, rest = "", argv
    else:
        name, rest = "run", argv  # what DefaultGroup does with a path
    command = cli.commands[name] if name else cli
    try:
        command.make_context(f"cluster {name}".strip(), list(rest))
    except click.exceptions.Exit as done:  # --version, -h
        assert done.exit_code == 0


def outputs(line: str) -> list[str]:
    """Return the files a shell line writes (``> FILE``, ``-o FILE``)."""
    words = shlex.split(line, comments=True)
    return [b for a, b in zip(words, words[1:], strict=False) if a in {">", "-o", "--output"}]


def test_every_readme_command_parses_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ``cluster`` command parses, in a fresh clone's layout, after the lines before it."""
    clone = scratch_clone(tmp_path)
    monkeypatch.chdir(clone)
    for line in cluster_lines():
        argvs = cluster_argvs(line)
        assert argvs, line
        for argv in argvs:
            parse_only(argv)
            for name in outputs(shlex.join(argv)):  # `a -o out.json && b out.json`
                (clone / name).touch()
        for name in outputs(line):  # what this line leaves for the next ones
            (clone / name).touch()


def test_wheel_lists_every_package_and_data_file() -> None:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    packages = set(conf["packages"])
    on_disk = {
        ".".join(("cluster_cli" if p.parts[0] == "cli" else p.parts[0], *p.parts[1:-1])).rstrip(".")
        for p in (x.relative_to(ROOT) for x in ROOT.glob("[cc]l*/**/__init__.py"))
        if p.parts[0] in {"cli", "clusterer"}
    }
    assert on_disk <= packages, on_disk - packages
    assert (ROOT / "cli" / "__main__.py").exists()  # python -m cluster_cli
    data = conf["package-data"]  # the stop-word lists ship as the package clusterer.data
    assert "clusterer.data" in packages and "*.txt" in data["clusterer.data"]
    assert list((ROOT / "clusterer" / "data").glob("*.txt"))
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert scripts == {"cluster": "cluster_cli.launch:main"}


def scratch_clone(tmp: Path) -> Path:
    """Return a folder laid out like a fresh clone: ``examples/`` inside, ``../shared`` beside."""
    clone = tmp / "cluster"
    clone.mkdir()
    (clone / "examples").symlink_to(ROOT / "examples")
    if SHARED.exists():
        (tmp / "shared").symlink_to(SHARED)
    return clone


def _cluster_bin(tmp: Path) -> Path:
    """Return a folder with ``cluster``: the installed entry point, else a ``python -m`` shim."""
    installed = Path(sys.executable).parent / "cluster"
    if installed.exists():
        return installed.parent
    shim = tmp / "bin" / "cluster"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cluster_cli "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return shim.parent


@pytest.mark.slow
def test_readme_commands_run_in_order(tmp_path: Path) -> None:
    """Paste the README's commands in order in a copy of a fresh clone's layout: all succeed."""
    if not SHARED.exists():
        pytest.skip(f"{SHARED} not available")
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    clone = scratch_clone(tmp_path)
    env = {
        "PATH": f"{_cluster_bin(tmp_path)}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    }
    for line in cluster_lines():
        res = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 0, f"{line}\n{res.stderr[-2000:]}"
    assert (clone / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
