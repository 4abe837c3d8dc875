"""``--jobs``: worker processes never change the output; normalizing streams its input."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_cli.main import cli
from conftest import EXAMPLES

from clusterer import Article, Config, cluster, pipeline, prepare
from clusterer.records import NOT_FOUND, Doc, Skipped


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two articles (and of three candidate pairs, two clusters), so that a small
    corpus is spread over the worker processes at every stage that has them."""
    monkeypatch.setattr(prepare, "NORMALIZE_BATCH", 2)
    monkeypatch.setattr(cluster, "FEATURE_BATCH", 2)
    monkeypatch.setattr(cluster, "SIGNAL_BATCH", 3)
    monkeypatch.setattr(pipeline, "DESCRIBE_BATCH", 2)


def _json(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.usefixtures("small_batches")
def test_run_json_is_identical_with_one_or_two_jobs() -> None:
    base = ["run", str(EXAMPLES), "--format", "json", "-q"]
    one, two = _json([*base, "--jobs", "1"]), _json([*base, "--jobs", "2"])
    assert '"clusters"' in one
    assert one == two


@pytest.mark.usefixtures("small_batches")
def test_dedup_output_is_identical_with_one_or_two_jobs(tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"unique{jobs}.jsonl"
        _json(["dedup", str(EXAMPLES), "-o", str(out), "-q", "--jobs", jobs])
        report = out.with_suffix(".duplicates.json").read_text(encoding="utf-8")
        outputs.append((out.read_text(encoding="utf-8"), report))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count("\n") >= 2


@pytest.mark.usefixtures("small_batches")
def test_normalizing_reads_a_bounded_number_of_batches_ahead() -> None:
    read = 0

    def items() -> Iterator[Article | Skipped]:
        nonlocal read
        for n in range(40):
            read += 1
            yield Article(id=f"a{n}", text=f"Rain falls on city number {n} today.", origin=str(n))

    stream = prepare._normalized(items(), Config(), stem=True, jobs=2)
    first = next(stream)
    assert first.id == "a0"  # type: ignore[union-attr]
    assert read <= 2 * 2 * 2 + 2  # 2 * jobs batches in flight, plus the one being submitted
    assert [d.id for d in stream] == [f"a{n}" for n in range(1, 40)]  # type: ignore[union-attr]


def test_dedup_needs_no_stems_and_skips_the_same_documents() -> None:
    items = [
        Article(id="a", text="Rain falls on Paris.", origin="a"),
        Article(id="b", text="the of and", origin="b"),
        Article(id="c", text="Rain falls on Paris.", origin="c"),
    ]
    dedup = pipeline.run_dedup(items, jobs=1)
    full = pipeline.run(items, jobs=1)
    assert all(not d.tokens for d in dedup.docs)
    assert [s.origin for s in dedup.skipped] == [s.origin for s in full.skipped] == ["b"]
    assert dedup.dedup == full.dedup


def test_batches_cross_processes_unchanged() -> None:
    """What is sent to and from a worker process (articles and documents as tuples of their
    field values) comes back equal, skipped items and found metadata included."""
    items: list[Article | Skipped] = [
        Article(id="a", text="Title line\n\nThe port strike ended on Monday.", origin="x:1"),
        Skipped("x:2", "not valid JSON"),
        Article(id="b", text="وقال المتحدث إن الميناء أعيد فتحه", origin="x:3", lang="ar"),
    ]
    inputs = prepare._Inputs(items)
    assert pickle.loads(pickle.dumps(inputs)).items == items
    batch = prepare._normalize_inputs(inputs, Config(), stem=True, shingles=True)
    back = pickle.loads(pickle.dumps(batch))
    assert back.items == batch.items
    assert [type(d).__name__ for d in back.items] == ["Doc", "Skipped", "Doc"]
    assert back.shingles is not None and batch.shingles is not None
    assert back.shingles.hashes.tolist() == batch.shingles.hashes.tolist()
    doc = batch.items[0]
    assert isinstance(doc, Doc) and doc.paragraphs
    other = prepare._Batch([dataclasses.replace(doc, body="another body")], None)
    assert pickle.loads(pickle.dumps(other)).items == other.items


def test_batches_carry_any_text_across_processes() -> None:
    """Texts travel in one UTF-16 blob per batch: astral characters, a lone surrogate (sent the
    slow way), an empty paragraph between two and an empty body all come back as they left."""
    base = Doc(
        id="a", origin="x:1", lang="en", title=NOT_FOUND, outlet=NOT_FOUND, date=NOT_FOUND,
        url=None, body="One 😀 two\n\nThree",
        norm_title="", norm="one 😀 two\nthree", tokens=(), title_tokens=(),
    )  # fmt: skip
    docs = [
        base,
        dataclasses.replace(base, id="b", body="another\n\nbody"),
        dataclasses.replace(base, id="c", body="a\n\n\n\nb"),
        dataclasses.replace(base, id="d", body="", norm=""),
    ]
    for batch in (
        [*docs, Skipped("x:9", "why")],
        [*docs, dataclasses.replace(base, norm="\ud83d")],
    ):
        sent = prepare._Batch(batch, None)
        assert pickle.loads(pickle.dumps(sent)).items == batch
    articles = [
        Article(id="a", text="𝔸 astral and \ud800 lone", origin="x:1"),
        Article(id="b", text="plain", origin="x:2"),
    ]
    for items in (articles, articles[1:]):
        assert pickle.loads(pickle.dumps(prepare._Inputs(items))).items == items
