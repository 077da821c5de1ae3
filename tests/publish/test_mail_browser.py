"""The e-mail HTML in headless Chromium at phone and desktop widths.

Chromium (Debian's /usr/bin/chromium) loads the inlined e-mail, with a probe
script appended, in a frame of the wanted width, and dumps the DOM; the probe
reports the frame's viewport, its scroll width and each text element's box,
colour and background.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import json
import re
import subprocess
from pathlib import Path

import pytest

from briefing.publish.jsonio import load_briefing
from briefing.publish.mail import render_email_html
from briefing.records import Skipped

from .test_mail import NON_ASCII, build_demo

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium (/usr/bin/chromium) "
                       "is not installed; apt-get install chromium to run this test"),
]
WIDTHS = (600, 390)
PROBE = """<script>
(() => {
  const items = [];
  const bg = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };
  for (const el of document.querySelectorAll("h1, h2, p, a, td.n, td.src, td.footer, span")) {
    if (!el.closest("table") || !el.textContent.trim()) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    items.push({cls: el.className || el.tagName, text: el.textContent.trim().slice(0, 40),
                left: r.left, right: r.right, width: r.width, height: r.height,
                color: s.color, bg: bg(el), size: parseFloat(s.fontSize),
                visible: s.visibility === "visible" && s.display !== "none" && s.opacity === "1"});
  }
  const out = parent.document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({innerWidth, scrollWidth: document.documentElement.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth, text: document.body.innerText, items});
  parent.document.body.appendChild(out);
})();
</script>"""


def chromium(page: Path, width: int, profile: Path, *extra: str) -> str:
    """Run headless Chromium on ``page`` at ``width`` px; return its stdout."""
    args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},1200",
            *extra, page.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def probe(html: str, width: int, folder: Path) -> dict:
    """Load the e-mail in a ``width`` px frame (headless windows are at least 500 px wide)."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)  # lets PROBE run
    framed = html_lib.escape(html.replace("</body>", PROBE + "</body>"), quote=True)
    page = folder / f"probe-{width}.html"
    page.write_text(
        '<!doctype html><html><body style="margin:0">'
        f'<iframe style="border:0;width:{width}px;height:4000px" srcdoc="{framed}"></iframe>'
        "</body></html>",
        encoding="utf-8",
    )
    dom = chromium(page, 800, folder / f"profile-{width}", "--dump-dom")
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html_lib.unescape(found.group(1)))


def luminance(rgb: str) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(float(v)) for v in re.findall(r"[\d.]+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio: (L1 + 0.05) / (L2 + 0.05), lighter over darker."""
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def briefings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The demo briefing, and a copy with unbreakable words, long paths, URLs, a skipped file."""
    demo = load_briefing(build_demo(tmp_path_factory.mktemp("browser")))
    first = demo.events[0]
    long_word = "Antidisestablishmentarianism" * 8
    article = dataclasses.replace(
        first.event.articles[0], title=f"{long_word} {NON_ASCII}", path="corpus/" + "x" * 200,
        url="https://example.org/" + "y" * 300,
    )
    stressed = dataclasses.replace(
        first,
        event=dataclasses.replace(first.event, articles=(article, *first.event.articles[1:])),
        summary=dataclasses.replace(first.summary, headline=f"{long_word} headline"),
    )
    skipped = (Skipped(path="corpus/" + "z" * 150 + ".json", reason="malformed JSON: line 1"),)
    return {"demo": demo, "stressed": dataclasses.replace(
        demo, events=(stressed, *demo.events[1:]), skipped=skipped)}


@pytest.mark.parametrize("name", ["demo", "stressed"])
@pytest.mark.parametrize("width", WIDTHS)
def test_email_fits_and_is_readable(briefings, tmp_path: Path, name: str, width: int) -> None:
    briefing = briefings[name]
    result = probe(render_email_html(briefing), width, tmp_path)
    assert result["innerWidth"] == width
    assert result["scrollWidth"] <= width and result["bodyScrollWidth"] <= width
    text = result["text"]
    assert briefing.title in text and NON_ASCII in text
    for item in briefing.events:
        assert item.summary.headline in text
        assert all(s.text in text for s in item.summary.sentences)
    assert "5 articles: " not in text  # the preheader stays hidden
    assert all(s.reason in text for s in briefing.skipped)
    assert result["items"]
    for box in result["items"]:
        where = f"{box['cls']} {box['text']!r} at {width}px"
        assert box["visible"] and box["width"] > 0 and box["height"] > 0, where
        assert box["left"] >= 0 and box["right"] <= width + 0.5, where
        assert box["size"] >= 11, where
        assert contrast(box["color"], box["bg"]) >= 4.5, where


def test_screenshots(briefings, tmp_path: Path) -> None:
    """Chromium draws the e-mail at both widths (PNG files for a person to look at)."""
    page = tmp_path / "email.html"
    page.write_text(render_email_html(briefings["demo"]), encoding="utf-8")
    for width in WIDTHS:
        shot = tmp_path / f"email-{width}.png"
        chromium(page, width, tmp_path / f"shot-{width}", f"--screenshot={shot}")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
