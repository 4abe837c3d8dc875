"""``cluster dedup`` never loads clustering and summary libraries (scikit-learn, Numba): it starts fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

SCRIPT = """
import sys
from cluster_cli.main import _run_cli
code = _run_cli(["dedup", sys.argv[1], "-o", sys.argv[2], "-q"])
heavy = sorted(
    m for m in ("sklearn", "numba", "clusterer.pipeline", "clusterer.summarize") if m in sys.modules
)
print(code, heavy)
"""


@pytest.mark.slow
def test_dedup_command_does_not_import_clustering(tmp_path: Path) -> None:
    out = tmp_path / "unique.jsonl"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(EXAMPLES), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.split("\n")[-2] == "0 []", proc.stdout + proc.stderr
    assert out.read_text(encoding="utf-8").count("\n") >= 2
