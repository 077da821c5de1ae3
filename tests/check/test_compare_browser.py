"""Open the compare report and the briefing in headless Chromium and click for the evidence.

Needs /usr/bin/chromium (Debian's package) and the Python ``playwright`` package; the
browser is never downloaded. Screenshots go to ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from briefing.check.compare import EventComparison, compare_summary
from briefing.check.compare_render import render_html
from briefing.pipeline import BuildOptions, build_briefing
from tests.conftest import DEMO, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_report_shows_evidence_on_click(page, tmp_path):
    source = (
        "A storm hit the coast of Maine on Tuesday. Thousands of homes lost power overnight. "
        "The governor declared a state of emergency."
    )
    summary = "Thousands of homes lost power overnight. The storm killed 12 people in <Boston>."
    items = [EventComparison(0, "summary.txt", compare_summary(summary, [source]))]
    report = tmp_path / "report.html"
    report.write_text(render_html(items), "utf-8")

    page.goto(report.as_uri())
    first, second = page.locator("a.sent").all()
    panel = page.locator("#c1-e1")
    assert not panel.is_visible()
    assert page.locator(".hint").is_visible()

    first.click()
    assert panel.is_visible() and not page.locator(".hint").is_visible()
    assert "Thousands of homes lost power overnight." in panel.inner_text()
    assert "sentence 1 · supported · support 1.00" in panel.inner_text().lower()

    second.click()
    other = page.locator("#c1-e2")
    assert other.is_visible() and not panel.is_visible()
    assert "In no source: 12, Boston" in other.inner_text()
    assert page.locator("#c1-s2 mark").all_inner_texts() == ["killed", "12", "people", "Boston"]
    assert page.errors == []
    _shot(page, "compare-report.png")


def test_briefing_shows_evidence_on_click(page, tmp_path):
    options = BuildOptions(paths=(DEMO,), date=dt.date(2022, 12, 21), out_dir=tmp_path,
                           db_path=tmp_path / "b.db", backend="extractive")
    html = next(p for p in build_briefing(options).outputs if p.suffix == ".html")

    page.goto(html.as_uri())
    sentence = page.locator(".digest .sent").first
    evidence = sentence.locator(".evidence")
    assert sentence.count() == 1 and not evidence.is_visible()

    sentence.click()
    assert evidence.is_visible()
    text = evidence.inner_text()
    assert "supporting source sentences" in text.lower() and "1.00" in text
    first_line = sentence.evaluate("e => e.firstChild.textContent").strip()
    assert first_line in text  # an extractive sentence is its own best evidence
    _shot(page, "briefing-evidence.png")

    page.locator("h1").click()  # focus leaves the sentence: the evidence hides again
    page.mouse.move(0, 0)
    assert not evidence.is_visible()
    assert page.errors == []
