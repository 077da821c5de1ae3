"""Build a briefing from the hostile corpus (``tests/hostile.py``), by library and by CLI.

Every run must finish, brief the good articles, list each bad input under
``skipped`` (JSON, store and CLI) with its reason, note the 50 MB article's cut
under ``limits``, and write HTML (briefing, e-mail, compare report) in which no
article string is live: no script, frame, object, base or ``on*`` attribute, and
no link other than in-page anchors and http(s)/mailto. The browser tests load
those pages in headless Chromium and check that no script ran at all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from briefing.check.compare import EventComparison, compare_summary
from briefing.check.compare_render import render_html as render_compare_html
from briefing.cli.common import printable
from briefing.cli.main import cli
from briefing.ingest.limits import MAX_ARTICLE_CHARS
from briefing.pipeline import BuildOptions, build_briefing
from briefing.publish.jsonio import load_briefing
from briefing.publish.mail import render_email_html

from .conftest import DEMO, ROOT
from .hostile import BEACON, HUGE_BYTES, JS, JSON_ARTICLE, MARK, WRITERS, as_root, write_corpus

DATE = dt.date(2022, 12, 21)
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    folder.mkdir()
    write_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def runs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Build the hostile corpus through the library and through the CLI (extractive)."""
    out = tmp_path_factory.mktemp("hostile-out")
    found: dict[str, dict] = {}
    started = time.perf_counter()
    options = BuildOptions(paths=(corpus,), date=DATE, out_dir=out / "library",
                           db_path=out / "library.db", backend="extractive")
    build_briefing(options)
    print(f"\nhostile corpus, library build: {time.perf_counter() - started:.1f} s")
    found["library"] = {"doc": json.loads((out / "library" / "2022-12-21.json").read_text()),
                        "out": out / "library", "db": out / "library.db", "output": ""}
    started = time.perf_counter()
    invoked = CliRunner().invoke(
        cli,
        ["build", str(corpus), "--date", "2022-12-21", "--backend", "extractive",
         "--out", str(out / "cli"), "--db", str(out / "cli.db")],
        catch_exceptions=False,
    )
    print(f"hostile corpus, CLI build: {time.perf_counter() - started:.1f} s")
    assert invoked.exit_code == 0, invoked.output
    found["cli"] = {"doc": json.loads((out / "cli" / "2022-12-21.json").read_text()),
                    "out": out / "cli", "db": out / "cli.db", "output": invoked.output}
    return found


def _articles(doc: dict) -> dict[str, dict]:
    """Map every article path (copies included) of a briefing document to its article."""
    found = {}
    for event in doc["events"]:
        for article in event["articles"]:
            found[article["path"]] = article
            for copy in article["duplicates"]:
                found[copy["path"]] = article
    return found


@pytest.mark.parametrize("how", ["library", "cli"])
@pytest.mark.parametrize("name", list(WRITERS))
def test_each_hostile_input_is_briefed_or_skipped_with_its_reason(
    runs: dict[str, dict], corpus: Path, name: str, how: str
) -> None:
    case = WRITERS[name][0]
    if case.root_readable and as_root():
        pytest.skip("root reads a chmod 000 file; the case applies to other users only")
    run = runs[how]
    doc = run["doc"]
    path = str(corpus / case.path)
    skipped = {s["path"]: s["reason"] for s in doc["skipped"]}
    articles = _articles(doc)
    if case.expect == "skip":
        assert path in skipped, sorted(skipped)
        assert re.search(case.reason, skipped[path]), skipped[path]
        assert path not in articles
        stored = Database(run["db"])["skipped"].rows_where("path = ?", [path])
        assert [r["reason"] for r in stored] == [skipped[path]]
        if how == "cli":
            line = f"skipped {printable(path)}: {printable(skipped[path])}"
            assert line in run["output"].splitlines()
    else:
        assert path not in skipped
        assert path in articles, sorted(articles)
        assert re.search(case.title, articles[path]["title"]), articles[path]["title"]
        assert (articles[path]["truncated"] is not None) == case.truncated


@pytest.mark.parametrize("how", ["library", "cli"])
def test_the_good_articles_are_briefed_and_the_huge_one_is_cut_with_a_note(
    runs: dict[str, dict], corpus: Path, how: str
) -> None:
    doc = runs[how]["doc"]
    articles = _articles(doc)
    for demo in sorted(DEMO.iterdir()):
        assert str(corpus / "good" / demo.name) in articles
    assert any("Zelensk" in e["headline"] for e in doc["events"])
    huge = articles[str(corpus / "huge.txt")]["truncated"]
    assert huge["name"] == "max_article_chars" and huge["cap"] == MAX_ARTICLE_CHARS
    assert huge["kept"] <= MAX_ARTICLE_CHARS and huge["total"] > HUGE_BYTES - 1000
    assert doc["limits"] == [huge]
    assert doc["stats"]["skipped"] == len(doc["skipped"])
    if how == "cli":
        assert f"limit: {huge['message']}" in runs[how]["output"].splitlines()
        assert "\x1b" not in runs[how]["output"]  # a file name cannot drive the terminal
        assert f"{doc['stats']['skipped']} skipped." in runs[how]["output"]


def test_the_folder_loop_is_walked_once(runs: dict[str, dict], corpus: Path) -> None:
    paths = list(_articles(runs["library"]["doc"])) + [
        s["path"] for s in runs["library"]["doc"]["skipped"]
    ]
    assert not [p for p in paths if "/loop/" in p]


# -- no live content ---------------------------------------------------------


OWN_PAGE = re.compile(r"index\.html|\d{4}-\d{2}-\d{2}\.html")


class _Live(HTMLParser):
    """Collect what could run or load in an HTML page: elements, handlers, URLs."""

    DANGEROUS = {"script", "iframe", "frame", "object", "embed", "base", "img", "svg",
                 "link", "form", "video", "audio", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.csp: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(values.get("content") or "")
        elif tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.found.append("meta refresh")
        if tag in self.DANGEROUS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction", "xlink:href", "background"):
                url = (value or "").strip().lower()
                ours = name == "href" and OWN_PAGE.fullmatch(url)  # archive and prev/next
                if not ours and not url.startswith(("#", "http://", "https://", "mailto:")):
                    self.found.append(f"{tag} {name}={value!r}")
            if name == "style" and re.search(r"expression|url\(|javascript", value or "", re.I):
                self.found.append(f"{tag} style={value!r}")


def live_content(html: str) -> tuple[list[str], list[str]]:
    """Return what in a page could run or load, and its CSP meta tags."""
    parser = _Live()
    parser.feed(html)
    parser.close()
    return parser.found, parser.csp


def _hostile_compare_html() -> str:
    source = "\n".join([JSON_ARTICLE["text"], JS, "{{ config }} {% for x in y %}"])
    summary = (f"The water board said reservoir levels fell. <script>{JS}</script> "
               f"<img src=x onerror=\"{JS}\"> {{{{ config }}}} was not in any source.")
    items = [EventComparison(1, f"<svg onload=\"{JS}\">", compare_summary(summary, [source]))]
    return render_compare_html(items, title=f"<script>{JS}</script> check")


@pytest.fixture(scope="module")
def pages(runs: dict[str, dict]) -> dict[str, str]:
    """The HTML pages written from hostile text: briefing, e-mail, compare report."""
    out = runs["library"]["out"]
    briefing = load_briefing(out / "2022-12-21.json")
    return {
        "briefing": (out / "2022-12-21.html").read_text("utf-8"),
        "email": render_email_html(briefing),
        "compare": _hostile_compare_html(),
        "markdown": markdown.markdown((out / "2022-12-21.md").read_text("utf-8")),
    }


@pytest.mark.parametrize("page", ["briefing", "email", "compare", "markdown"])
def test_no_article_string_is_live_in_our_html(pages: dict[str, str], page: str) -> None:
    html = pages[page]
    found, csp = live_content(html)
    assert found == []
    if page != "markdown":  # the Markdown briefing shown as HTML by someone else's viewer
        assert csp == [CSP]
    assert "{{ config }}" in html and MARK in html  # the payloads are there, as text


def test_the_live_content_check_can_fail() -> None:
    found, csp = live_content(
        f'<base href="{BEACON}"><a href="javascript:x">a</a><p onclick="x" '
        'style="width: expression(1)">p</p><iframe src="data:text/html,x"></iframe>'
    )
    assert len(found) == 6 and csp == []


# -- in a real browser -------------------------------------------------------


def _browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return pytest.importorskip("playwright.sync_api", reason="pip install playwright")


class Watch:
    """Open a page in headless Chromium and record dialogs, console, requests and title."""

    def __init__(self, browser, path: Path) -> None:  # type: ignore[no-untyped-def]
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(m.text))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        for element in page.locator("a, .sent, p").all()[:40]:  # fire any hover handler
            if element.is_visible():
                element.hover(force=True, timeout=2000)
        page.wait_for_timeout(300)  # let any timer, load or error handler fire
        self.page = page
        self.url = path.as_uri()

    @property
    def title(self) -> str:
        return self.page.title()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = _browser()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["briefing", "email", "compare"])
def test_no_script_runs_in_chromium(browser, pages, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"hostile-{name}.html"
    path.write_text(pages[name], "utf-8")
    watch = Watch(browser, path)
    assert watch.dialogs == []
    assert [m for m in watch.console if MARK in m] == []
    assert watch.requests == [watch.url]  # the file itself, nothing else
    assert watch.title != MARK and watch.title
    assert watch.errors == []
    assert MARK in watch.page.locator("body").inner_text()  # shown, as text
    ARTIFACTS.mkdir(exist_ok=True)
    watch.page.evaluate("window.scrollTo(0, 0)")
    watch.page.screenshot(path=str(ARTIFACTS / f"hostile-{name}.png"), full_page=False)
    watch.page.close()


@pytest.mark.browser
def test_the_browser_check_sees_a_script_that_runs(browser, tmp_path: Path) -> None:
    """The same payloads, unescaped and without a policy, are caught by every listener."""
    path = tmp_path / "live.html"
    path.write_text(f'<title>t</title><p>x</p><img src="x" onerror="{JS}">', "utf-8")
    watch = Watch(browser, path)
    assert watch.dialogs == [MARK]
    assert MARK in watch.console
    assert watch.title == MARK
    assert BEACON in watch.requests
    watch.page.close()
