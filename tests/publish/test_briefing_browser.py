"""The demo briefing in headless Chromium: layout, citation links, dark mode, accessibility.

The demo corpus is built once (extractive backend). Chromium is Debian's
/usr/bin/chromium driven by Playwright (never a downloaded browser); the
accessibility pass is axe-core, bundled by ``axe-playwright-python``, and runs on
the briefing, the e-mail HTML and the compare report. Screenshots are kept in
``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefing.check.compare_io import compare_briefing
from briefing.check.compare_render import render_html as render_report
from briefing.pipeline import BuildOptions, build_briefing
from briefing.publish.jsonio import load_briefing
from briefing.publish.mail import render_email_html
from tests.conftest import DEMO, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the demo briefing once; write its e-mail HTML and compare report beside it."""
    folder = tmp_path_factory.mktemp("demo")
    options = BuildOptions(paths=(DEMO,), date=dt.date(2022, 12, 21), out_dir=folder / "out",
                           db_path=folder / "b.db", backend="extractive")
    outputs = {p.suffix: p for p in build_briefing(options).outputs}
    email = folder / "email.html"
    email.write_text(render_email_html(load_briefing(outputs[".json"])), "utf-8")
    report = folder / "report.html"
    report.write_text(render_report(compare_briefing(outputs[".json"])), "utf-8")
    return {"briefing": outputs[".html"], "email": email, "report": report}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """Open a local page at a width; collect console errors; close it after the test."""
    opened = []

    def open_(path: Path, width: int, scheme: str = "light"):
        page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                bypass_csp=True)  # axe is injected as a script
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(path.as_uri())
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.close()


def shot(page, name: str) -> None:
    """Keep a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def axe_problems(page) -> list[str]:
    """Run axe-core (WCAG 2.x A/AA and best practices) on the page; describe each violation.

    Not only the serious and critical ones: the pages pass every rule that runs.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(
            ", ".join(n["target"]) + " " + " ".join(c["message"] for c in n["any"][:1])
            for n in v["nodes"][:5]
        )
        for v in results.response["violations"]
    ]


def luminance(css_color: str) -> float:
    """Relative luminance (WCAG) of an ``rgb(r, g, b)`` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_color)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow(open_page, pages, width):
    page = open_page(pages["briefing"], width)
    sizes = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, inner: innerWidth,"
        " wide: [...document.querySelectorAll('body *')]"
        "   .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
        "   .map(e => e.tagName + '.' + e.className).slice(0, 5)})"
    )
    shot(page, f"briefing-{width}.png")
    assert sizes["inner"] == width
    assert sizes["scroll"] <= sizes["inner"], sizes["wide"]
    assert sizes["wide"] == []
    assert page.errors == []


def test_every_citation_jumps_to_its_source_entry(open_page, pages):
    page = open_page(pages["briefing"], 1280)
    links = page.eval_on_selector_all(
        "a[href^='#']", "els => els.map(a => a.getAttribute('href'))"
    )
    cites = page.locator("a.cite")
    assert cites.count() >= 3 and cites.count() == len(links)
    for i, href in enumerate(links):
        target = href[1:]
        entry = page.evaluate(
            "id => { const el = document.getElementById(id); return el && "
            "{tag: el.tagName, inSources: !!el.closest('section.sources'),"
            " event: el.closest('article.event').id} }", target)
        assert entry is not None, f"{href} points at no element"
        assert entry["tag"] == "LI" and entry["inSources"], entry
        link = cites.nth(i)
        assert link.evaluate("a => a.closest('article.event').id") == entry["event"]
        link.click()
        assert page.evaluate("location.hash") == href
        assert page.evaluate("document.querySelector(':target').id") == target
        assert page.locator(f"[id='{target}']").is_visible()
    assert page.errors == []


def test_dark_mode_changes_the_colours(open_page, pages):
    light = open_page(pages["briefing"], 1280, "light")
    dark = open_page(pages["briefing"], 1280, "dark")
    style = "() => ['backgroundColor', 'color'].map(k => getComputedStyle(document.body)[k])"
    light_bg, light_fg = light.evaluate(style)
    dark_bg, dark_fg = dark.evaluate(style)
    assert luminance(light_bg) > 0.8 and luminance(light_fg) < 0.05
    assert luminance(dark_bg) < 0.05 and luminance(dark_fg) > 0.6
    dark.emulate_media(color_scheme="light")  # the same page follows a switch
    assert dark.evaluate(style) == [light_bg, light_fg]
    dark.emulate_media(color_scheme="dark")
    shot(dark, "briefing-dark.png")


@pytest.mark.parametrize(
    ("name", "width", "scheme"),
    [("briefing", 1280, "light"), ("briefing", 1280, "dark"), ("briefing", 390, "light"),
     ("email", 600, "light"), ("report", 1280, "light"), ("report", 1280, "dark")],
)
def test_axe_finds_no_violation(open_page, pages, name, width, scheme):
    page = open_page(pages[name], width, scheme)
    if name == "briefing":  # an evidence popover open: check its colours too
        page.locator(".digest .sent").first.focus()
    if name == "report":  # an evidence panel open
        page.locator("a.sent").first.click()
    assert axe_problems(page) == []
