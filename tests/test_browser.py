"""The HTML report in a real browser: the system's headless Chromium driven by Selenium.

Selenium is pointed at Debian's ``chromium`` and ``chromedriver`` (packages ``chromium`` and
``chromium-driver``, installed by ``.ci/run``), so nothing is downloaded. Checked: one event panel
per cluster, Arabic headlines present and laid out right to left, no script from an article
runs, and a screenshot is saved (under ``$TEST_ARTIFACTS`` when set, else pytest's tmp dir).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EVAL, need

from clusterer import Config
from clusterer.ingest import read_paths
from clusterer.pipeline import run
from clusterer.render import report_to_dict
from clusterer.report_html import report_html

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

pytestmark = pytest.mark.slow

PLANTED = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def _binary(*names: str) -> str | None:
    return next((found for name in names if (found := shutil.which(name) or _usr_bin(name))), None)


def _usr_bin(name: str) -> str | None:
    path = Path("/usr/bin") / name
    return str(path) if path.exists() else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = _binary("chromium", "chromium-browser")
    driver_path = _binary("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip(
            "no chromium and chromedriver binaries (Debian: apt-get install chromium chromium-driver)"
        )
    options = Options()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1100,1400")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("TEST_ARTIFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("browser")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _report(paths: list[str], out: Path) -> dict[str, Any]:
    data = report_to_dict(run(read_paths(paths), Config()))
    out.write_text(report_html(data), encoding="utf-8")
    return data


def _open(browser: Any, page: Path, timeout: float = 60.0) -> None:
    """Load the page and wait until it is parsed (a big report on a busy machine takes a while)."""
    browser.get(page.as_uri())
    deadline = time.monotonic() + timeout
    while browser.execute_script("return document.readyState") != "complete":
        assert time.monotonic() < deadline, f"{page.name} still loading after {timeout:.0f} s"
        time.sleep(0.2)


def _panels(browser: Any) -> list[str]:
    return list(
        browser.execute_script(
            "return [...document.querySelectorAll('article.event')].map(e => e.id)"
        )
    )


def test_seeds_report_panels_and_right_to_left(
    browser: Any, artifacts: Path, seeds_dir: Path
) -> None:
    page = artifacts / "seeds.html"
    data = _report([str(seeds_dir)], page)
    _open(browser, page)
    assert _panels(browser) == [c["id"] for c in data["clusters"]]
    arabic = browser.execute_script(
        "return [...document.querySelectorAll('h2[lang=ar], h3[lang=ar]')]"
        ".map(e => [e.textContent, getComputedStyle(e).direction])"
    )
    assert arabic, "no Arabic headline in the page"
    assert all(direction == "rtl" for _, direction in arabic)
    shown = {text for text, _ in arabic}
    assert any(c["headline"] in shown for c in data["clusters"])
    assert browser.save_screenshot(str(artifacts / "seeds.png"))
    assert (artifacts / "seeds.png").stat().st_size > 1000


def test_basil_report_panels(browser: Any, artifacts: Path) -> None:
    basil = need(EVAL / "basil_events.jsonl")
    page = artifacts / "basil.html"
    data = _report([str(basil)], page)
    _open(browser, page)
    assert len(_panels(browser)) == len(data["clusters"]) > 1
    english = browser.execute_script(
        "const h = document.querySelector('h2[lang=en]'); return h && getComputedStyle(h).direction"
    )
    assert english == "ltr"
    assert browser.save_screenshot(str(artifacts / "basil.png"))


def test_no_script_from_an_article_runs(browser: Any, artifacts: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "hostile.jsonl"
    records = [
        {"id": f"h{i}", "title": f"Port strike {PLANTED}", "source": f"Outlet {PLANTED}",
         "text": f"Dockers strike at the port over pay. {PLANTED} The port is closed."}
        for i in range(2)
    ]  # fmt: skip
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    page = artifacts / "hostile.html"
    _report([str(corpus)], page)
    _open(browser, page)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('script, img').length") == 0
    assert "<script>window.__pwned=1</script>" in browser.execute_script(
        "return document.body.innerText"
    )
    assert browser.save_screenshot(str(artifacts / "hostile.png"))
