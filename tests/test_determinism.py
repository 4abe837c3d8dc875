"""The JSON contract is deterministic: the same input gives the same output whatever Python's
string hashing (set and dict order of strings) and however many processes normalize it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import EVAL, EXAMPLES, need

RUN_KEYS_THAT_VARY = ("timings", "params", "tool")


def _output(paths: list[Path], seed: str, jobs: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cluster_cli",
            *map(str, paths),
            "--format",
            "json",
            "-q",
            "--jobs",
            jobs,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    for key in RUN_KEYS_THAT_VARY:
        data.pop(key, None)
    data.get("stats", {}).pop("timings", None)
    return data


def test_same_output_under_other_string_hashing_and_jobs() -> None:
    paths = [EXAMPLES, need(EVAL / "ar_claims_dev.jsonl")]
    first = _output(paths, "1", "1")
    assert first["clusters"]
    assert _output(paths, "2", "2") == first
