"""The shareable reports (HTML, Markdown) and the command-line pieces around them: formats, -o,
progress on stderr."""

from __future__ import annotations

import copy
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cluster_cli.main import cli
from cluster_cli.output import story_view
from cluster_cli.progress import StageProgress, progress_console, wanted
from conftest import EXAMPLES
from rich.console import Console

from clusterer import Article, Config, run
from clusterer.render import report_to_dict
from clusterer.report_html import report_html
from clusterer.report_markdown import md, report_markdown

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def newsroom() -> dict[str, Any]:
    res = CliRunner().invoke(cli, [str(EXAMPLES), "--json", "-q"], catch_exceptions=False)
    return json.loads(res.stdout)


class Tags(HTMLParser):
    """Collect start tags with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def test_one_event_panel_per_cluster_and_duplicates_folded(newsroom: dict[str, Any]) -> None:
    page = report_html(newsroom)
    found = tags(page)
    events = [a for t, a in found if t == "article" and a.get("class") == "event"]
    assert [a["data-cluster"] for a in events] == [c["id"] for c in newsroom["clusters"]]
    assert page.count("<details>") == len(newsroom["duplicates"])  # each copy under its original
    assert page.count("<svg") == len(newsroom["stories"])  # one chart per story


def test_self_contained_and_scriptless(newsroom: dict[str, Any]) -> None:
    page = report_html(newsroom)
    found = tags(page)
    assert not [t for t, _ in found if t in {"script", "link", "img", "iframe", "object"}]
    assert not re.search(r"(?:src|href)=", page)  # nothing loaded from anywhere
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_arabic_blocks_have_direction_and_language(newsroom: dict[str, Any]) -> None:
    found = tags(report_html(newsroom))
    headings = [a for t, a in found if t in {"h2", "h3"}]
    assert headings and all(a.get("dir") == "auto" for a in headings)
    assert any(a.get("lang") == "ar" for a in headings)
    assert any(a.get("lang") == "en" for a in headings)


def _hostile_report() -> dict[str, Any]:
    docs = [
        Article(
            "x1", f"Port strike {HOSTILE}\n\nDockers strike at the port over pay. {HOSTILE}", "x1"
        ),
        Article(
            "x2", f"Port strike {HOSTILE}\n\nDockers strike at the port over pay. {HOSTILE}", "x2"
        ),
    ]
    return report_to_dict(run(docs, Config()))


def test_article_text_never_becomes_markup() -> None:
    data = _hostile_report()
    page = report_html(data)
    assert [t for t, _ in tags(page) if t in {"script", "img"}] == []
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    text = report_markdown(data)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text


def test_markdown_escapes_metacharacters() -> None:
    assert md("# title") == "\\# title"
    assert md("[link](http://x) ![i](y)") == "\\[link\\](http://x) !\\[i\\](y)"
    assert md("a\n\n# b") == "a # b"  # one line: no block can start inside article text
    assert md("3. May") == "3\\. May"


def test_fields_of_newer_summaries_render_when_present(newsroom: dict[str, Any]) -> None:
    data = copy.deepcopy(newsroom)
    c = data["clusters"][0]
    c["lead"] = "LEAD <b>sentence</b>"
    c["quotes"] = [{"speaker": "Mayor", "text": "We build", "sources": [], "outlets": ["X"]}]
    c["first_reported_by"] = {
        "doc": c["members"][0],
        "outlet": "First Outlet",
        "date": "2025-03-12",
    }
    c["conflicts"] = [
        {"type": "casualties", "statement": "s", "versions": [{"value": "3", "outlets": ["A"]}]}
    ]
    data["stories"][0]["timeline"] = [{"date": "2025-03-12", "text": "Bridge opens", "sources": []}]
    page = report_html(data)
    for needle in (
        "LEAD &lt;b&gt;sentence",
        "We build",
        "Mayor",
        "First Outlet",
        "casualties",
        "Bridge opens",
    ):
        assert needle in page
    text = report_markdown(data)
    for needle in (
        "LEAD &lt;b&gt;sentence",
        "We build",
        "First Outlet",
        "casualties",
        "Bridge opens",
    ):
        assert needle in text


def test_unknown_outlet_is_never_a_file_name(newsroom: dict[str, Any]) -> None:
    data = copy.deepcopy(newsroom)
    doc = data["documents"][0]
    doc["outlet"], doc["outlet_source"] = doc["id"], "line-under-title"
    console = Console(file=io.StringIO(), width=80, force_terminal=False)
    console.print(story_view(data))
    view = console.file.getvalue()  # type: ignore[attr-defined]
    assert "unknown outlet ·" in view
    assert "unknown outlet" in report_html(data)


def test_story_view_wraps_long_headlines(newsroom: dict[str, Any]) -> None:
    data = copy.deepcopy(newsroom)
    data["clusters"][0]["headline"] = "word " * 30 + "END"
    console = Console(file=io.StringIO(), width=80, force_terminal=False)
    console.print(story_view(data))
    assert "END" in console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "marker"),
    [("r.html", "<!DOCTYPE html>"), ("r.md", "# cluster report"), ("r.json", '{"schema')],
)
def test_output_file_format_follows_extension(tmp_path: Path, name: str, marker: str) -> None:
    out = tmp_path / name
    res = CliRunner().invoke(cli, [str(EXAMPLES), "-q", "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0 and res.stdout == ""
    assert out.read_text(encoding="utf-8").startswith(marker)
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # like any new file, not mkstemp's 0600


def test_format_flags_write_to_stdout() -> None:
    for fmt, marker in (("html", "<!DOCTYPE html>"), ("markdown", "# cluster report")):
        res = CliRunner().invoke(
            cli, [str(EXAMPLES), "-q", "--format", fmt], catch_exceptions=False
        )
        assert res.stdout.startswith(marker)


def test_progress_only_on_an_interactive_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    tty = progress_console(io.StringIO(), True)
    assert wanted(tty, quiet=False)
    assert not wanted(tty, quiet=True)
    assert not wanted(progress_console(io.StringIO(), False), quiet=False)
    monkeypatch.setenv("TERM", "dumb")
    assert not wanted(progress_console(io.StringIO(), True), quiet=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wanted(progress_console(io.StringIO(), True), quiet=False)


def test_progress_draws_on_stderr_after_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    err = io.StringIO()
    with StageProgress(progress_console(err, True), enabled=True, delay=0.0) as progress:
        for done in range(0, 101, 10):
            progress("summarize", done, 100)
    assert "summarize" in err.getvalue()
    quiet = io.StringIO()
    with StageProgress(progress_console(quiet, True), enabled=True, delay=60.0) as progress:
        progress("normalize", 1, 2)
    assert quiet.getvalue() == ""  # short runs stay silent


def test_help_has_examples_on_every_command() -> None:
    runner = CliRunner()
    for args in ([], ["run"], ["dedup"], ["eval"], ["explain"]):
        for flag in ("-h", "--help"):
            res = runner.invoke(cli, [*args, flag])
            assert res.exit_code == 0 and "Examples:" in res.stdout, (args, flag)
    assert CliRunner().invoke(cli, ["--version"]).stdout.startswith("cluster, version")


def test_unknown_outlets_are_named_so_in_every_list(newsroom: dict[str, Any]) -> None:
    """Outlets are null in the JSON when unknown (never a file name): the reports say so."""
    data = copy.deepcopy(newsroom)
    c = data["clusters"][0]
    c["quotes"] = [{"speaker": "Mayor", "text": "We build", "sources": ["a"], "outlets": [None]}]
    c["summary"][0]["outlets"] = [None]
    c["conflicts"] = [
        {"kind": "number", "statement": "s", "versions": [{"value": "3", "outlets": [None]}]}
    ]
    assert "unknown outlet" in report_html(data)
    assert "unknown outlet" in report_markdown(data)
