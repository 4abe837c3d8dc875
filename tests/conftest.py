from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline (shared CI machines are noisy); in CI the examples are fixed so a landing
# never depends on a lucky draw, locally hypothesis keeps exploring.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"
EXAMPLES = ROOT / "examples" / "newsroom"


def need(path: Path) -> Path:
    """Return ``path``, skipping the test when the shared data is not beside the project."""
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture
def seeds_dir() -> Path:
    return need(SEEDS)


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
