"""Write docs/screenshots/: the story view at 80 and 160 columns (rich's SVG export), the HTML report
of the sample corpus and a PNG of it taken with headless Chromium (skipped, with a note, without one).

Run with ``make screenshots``; only the project's own sample corpus (examples/newsroom) is shown.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cluster_cli.output import story_view
from rich.console import Console

from clusterer import Config
from clusterer.ingest import read_paths
from clusterer.pipeline import run
from clusterer.render import report_to_dict
from clusterer.report_html import report_html

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def terminal_svgs(data: dict[str, object]) -> list[Path]:
    """Save the story view (first two events) as it looks at 80 and at 160 columns."""
    paths = []
    for width in (80, 160):
        console = Console(record=True, width=width, file=io.StringIO())
        console.print(story_view(data, max_clusters=2))
        path = OUT / f"story-view-{width}.svg"
        console.save_svg(str(path), title=f"cluster examples/newsroom  ({width} columns)")
        paths.append(path)
    return paths


def browser_png(page: Path) -> Path | None:
    """Save a PNG of the HTML report's first screen, or None when no Chromium is installed."""
    browser = next((b for b in map(shutil.which, BROWSERS) if b), None)
    if browser is None:
        print("no chromium found: report.png not written", file=sys.stderr)
        return None
    png = OUT / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                "--window-size=900,760",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return png


def main() -> None:
    """Write every screenshot and list them with their sizes."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = report_to_dict(run(read_paths([str(ROOT / "examples" / "newsroom")]), Config()))
    page = OUT / "report.html"
    page.write_text(report_html(data, title="cluster report: examples/newsroom"), encoding="utf-8")
    written = [*terminal_svgs(data), page, browser_png(page)]
    for path in filter(None, written):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
