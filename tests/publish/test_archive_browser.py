"""Open the archive in headless Chromium, from disk and from a web server, and follow links.

Needs /usr/bin/chromium and the Python ``playwright`` package (never downloads a browser).
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests import days
from tests.check.test_compare_browser import page  # noqa: F401  (the shared Chromium page fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Build the three days of tests/days.py; return the output folder."""
    root = tmp_path_factory.mktemp("archive")
    for day in (1, 2, 3):
        days.build_day(root, day)
    return root / "out"


@pytest.fixture(scope="module")
def server(archive):
    """Serve the output folder on 127.0.0.1 with Python's static file server."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(archive))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("where", ["disk", "server"])
def test_archive_links_briefings_and_their_neighbours(page, archive, request, where):  # noqa: F811
    start = (archive / "index.html").as_uri() if where == "disk" else (
        request.getfixturevalue("server") + "index.html"
    )
    page.errors.clear()
    page.goto(start)
    assert page.title() == "All briefings"
    entries = page.locator(".archive-list > li h2 a")
    assert entries.all_inner_texts() == [
        "Briefing for Wednesday, 6 March 2024",
        "Briefing for Tuesday, 5 March 2024",
        "Briefing for Monday, 4 March 2024",
    ]
    assert page.locator(".archive-list > li").first.locator(".badge").count() == 3

    entries.nth(1).click()  # 5 March
    assert page.url.endswith("/2024-03-05.html")
    assert page.locator("h1").inner_text() == "Briefing for Tuesday, 5 March 2024"
    assert page.locator(".badge.developing").count() == 1
    assert page.locator(".timeline li").count() == 5

    page.locator("nav.briefing-nav a[rel=next]").first.click()
    assert page.url.endswith("/2024-03-06.html")
    assert page.locator("nav.briefing-nav a[rel=next]").count() == 0
    assert page.locator(".gone li").count() == 1

    page.locator("nav.briefing-nav a[rel=prev]").first.click()
    page.locator("nav.briefing-nav a[rel=prev]").first.click()
    assert page.url.endswith("/2024-03-04.html")
    assert page.locator("nav.briefing-nav a[rel=prev]").count() == 0

    page.locator("nav.briefing-nav a.archive").first.click()
    assert page.url.endswith("/index.html")
    page.locator(".archive-list > li h2 a").first.click()
    developing = page.locator(".event", has=page.locator(".badge.developing"))
    developing.locator(".previous a[rel=prev]").click()  # to the story's earlier briefing
    assert page.url.endswith("/2024-03-05.html")
    assert page.errors == []
