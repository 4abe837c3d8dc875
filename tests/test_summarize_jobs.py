"""Summaries, coverage and timelines described on worker processes equal those of one process."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from clusterer import Config, pipeline
from clusterer.ingest import read_paths


def test_describe_on_two_workers_equals_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "DESCRIBE_BATCH", 1)  # every cluster a task of its own
    cfg = Config()
    one = pipeline.run(read_paths([EXAMPLES]), cfg, jobs=1)
    two = pipeline.run(read_paths([EXAMPLES]), cfg, jobs=2)
    assert len(one.clusters) > 1 and one.summaries
    assert list(two.summaries) == list(one.summaries)
    assert two.summaries == one.summaries
    assert two.coverage == one.coverage
    assert two.timelines == one.timelines
