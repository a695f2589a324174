"""The HTML report in a real browser: Debian's Chromium, headless, driven by Playwright.

Chromium comes from Debian (`make deps` installs the `chromium` package as root); the
`playwright` package only drives it (executable_path), its own browser downloads are never
used. The network is closed three ways: every request other than the report file itself
is recorded and aborted by the page's router, names resolve to nothing
(--host-resolver-rules) and any proxy-bound traffic goes to a closed loopback port.

What is asserted, for the HTML of every recorded office and of an audit with a 10-minute
drill: no console error and no page error, no request attempted, every chart drawn at a
non-empty size; printed, the owner's part alone is exactly one page (A4 and Letter), and
in the whole report page one is the owner's part and the annex starts on page two, in a
sensible number of pages. Without Chromium or Playwright the tests skip and say why.
"""

from __future__ import annotations

import io
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.memory import long_drill
from readiness.export.formats import Part
from readiness.export.html import render_html
from readiness.model import Audit
from tests.unit import recorded_offices as offices

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')"
)
pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed: `make deps` as root installs Debian's chromium"
)

FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox will not start
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",  # discard port, nothing listens: nothing gets out
]
PAPERS = ("A4", "Letter")


@dataclass
class Visit:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    chart_sizes: list[tuple[float, float]] = field(default_factory=list)
    pdfs: dict[str, bytes] = field(default_factory=dict)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh profile: nothing cached or synced
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, offline=True
        )
        try:
            yield context
        finally:
            context.close()


def visit(browser: Any, html: str, folder: Path, *, papers: tuple[str, ...] = PAPERS) -> Visit:
    page_file = folder / "report.html"
    page_file.write_text(html)
    url = page_file.as_uri()
    seen = Visit()
    page = browser.new_page()
    try:
        page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.page_errors.append(str(e)))

        def route(r: Any) -> None:
            if r.request.url == url:
                r.continue_()
            else:
                seen.requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(url, wait_until="load")
        sizes = page.evaluate(
            "[...document.querySelectorAll('svg.chart')]"
            ".map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        seen.chart_sizes = [(float(w), float(h)) for w, h in sizes]
        if papers:
            page.emulate_media(media="print")
            for paper in papers:
                seen.pdfs[paper] = page.pdf(format=paper, print_background=True)
    finally:
        page.close()
    return seen


def pages(pdf: bytes) -> list[str]:
    """Each printed page's text, ligatures undone ("oﬃce" is "office")."""
    texts = [
        unicodedata.normalize("NFKC", p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]
    return [" ".join(t.split()) for t in texts]


def _clean(seen: Visit) -> None:
    assert seen.console_errors == [] and seen.page_errors == []
    assert seen.requests == []
    assert seen.chart_sizes and all(w > 100 and h > 20 for w, h in seen.chart_sizes), seen.chart_sizes


@pytest.mark.parametrize("name", offices.OFFICES)
def test_every_recorded_office_in_chromium(browser: Any, tmp_path: Path, name: str) -> None:
    audit = offices.office(name)
    whole = visit(browser, render_html(audit, offices.catalogue()), tmp_path, papers=("A4",))
    _clean(whole)
    assert len(whole.chart_sizes) >= 3
    owner = visit(browser, render_html(audit, offices.catalogue(), part=Part.OWNER), tmp_path)
    _clean(owner)
    for paper in PAPERS:  # Letter is the shorter page, A4 the narrower
        alone = pages(owner.pdfs[paper])
        assert len(alone) == 1, f"{paper}: the owner's part takes {len(alone)} pages"
    printed = pages(whole.pdfs["A4"])
    first, second = printed[0], printed[1]
    assert first.startswith(f"Audit office-{name} · ") and "Summary for the owner" in first
    assert "The money" in first and "Technician's annex" not in first
    assert second.startswith("Technician's annex"), second[:80]
    assert 3 <= len(printed) <= 12, f"{len(printed)} pages"
    assert "Made with readiness" in printed[-1]


def _drilled() -> Audit:
    return offices.office("dual").model_copy(update={"drills": [long_drill()]})


def test_a_ten_minute_drill_in_chromium(browser: Any, tmp_path: Path) -> None:
    seen = visit(browser, render_html(_drilled(), offices.catalogue()), tmp_path, papers=("A4",))
    _clean(seen)
    assert len(seen.chart_sizes) == 4  # readiness, money, categories, the drill
    printed = pages(seen.pdfs["A4"])
    drill = " ".join(printed).split("Failover drill bench-drill", 1)[1]  # its chart may start the next page
    assert "cut 120.0 s" in drill and "failover 123.2 s" in drill and "failback 480.8 s" in drill



def test_a_watched_history_in_chromium(browser: Any, tmp_path: Path) -> None:
    """Two weeks of the line watcher's record: its chart is drawn and its tables print."""
    from readiness.watch.summary import load_history
    from tests.watch.history_db import DAY, START, fourteen_days

    history = load_history(fourteen_days(tmp_path / "w.sqlite3"), START + 15 * DAY)
    audit = offices.office("dual").model_copy(update={"history": history})
    seen = visit(browser, render_html(audit, offices.catalogue()), tmp_path, papers=("A4",))
    _clean(seen)
    assert len(seen.chart_sizes) == 4  # readiness, money, categories, the history
    printed = " ".join(pages(seen.pdfs["A4"]))
    history_text = printed.split("Line history (watched)", 1)[1]
    assert "1800 s" in history_text and "the line or provider" in history_text and "3.2 s" in history_text

def test_the_harness_sees_a_request_and_an_error(browser: Any, tmp_path: Path) -> None:
    """The checks above can fail: a page that fetches an image is caught, and the image
    never loads (the router aborts it before any connection)."""
    page = '<!DOCTYPE html><html><body><svg class="chart" width="200" height="50"></svg>'
    page += '<img src="http://report.invalid/logo.png" alt="logo"></body></html>'
    seen = visit(browser, page, tmp_path, papers=())
    assert seen.requests == ["http://report.invalid/logo.png"]
    assert seen.console_errors  # "Failed to load resource"
