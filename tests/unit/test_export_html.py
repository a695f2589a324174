"""The printable HTML report: goldens, self-contained, escaped, accessible, small."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bench.memory import long_drill
from readiness.export import charts
from readiness.export.formats import Part
from readiness.export.html import render_html
from readiness.export.json_export import render_json
from readiness.export.markdown import render_markdown
from readiness.export.redact import redact
from readiness.model import Audit, Note, Site
from readiness.paths import reports_dir
from tests.unit import audit_fixtures as fx
from tests.unit import recorded_offices as offices
from tests.unit.golden import assert_golden


def test_full_report_golden() -> None:
    assert_golden("full.html", render_html(fx.audit(), fx.catalogue()))


def test_redacted_report_golden() -> None:
    assert_golden("full-redacted.html", render_html(redact(fx.audit()), fx.catalogue()))


def test_minimal_report_golden() -> None:
    assert_golden("minimal.html", render_html(fx.minimal_audit(), fx.catalogue()))


@pytest.mark.parametrize("name", offices.OFFICES)
def test_every_recorded_office_golden(name: str) -> None:
    audit = offices.office(name)
    assert_golden(f"office-{name}.md", render_markdown(audit, offices.catalogue()))
    assert_golden(f"office-{name}.html", render_html(audit, offices.catalogue()))


class _Resources(HTMLParser):
    """What could make a browser fetch something or run code: an element that loads a
    resource, an attribute naming one (other than a link inside the page), an event
    handler, a CSS import or a url() that is not a reference inside the page."""

    TAGS = frozenset(
        {
            "script",
            "link",
            "iframe",
            "object",
            "embed",
            "img",
            "image",
            "video",
            "audio",
            "source",
            "use",
            "base",
            "form",
        }
    )
    ATTRS = frozenset({"src", "href", "xlink:href", "srcset", "action", "poster", "data", "background"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._style = tag == "style"
        if tag in self.TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name in self.ATTRS and not (value or "").startswith("#")):
                self.found.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        if self._style:
            self.found += re.findall(r"@import|url\((?!#)", data)
        self.found += re.findall(r"url\((?!#)[^)]*\)", data) if self._style else []


def resources(html: str) -> list[str]:
    parser = _Resources()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("name", offices.OFFICES)
def test_self_contained_nothing_to_fetch(name: str) -> None:
    html = render_html(offices.office(name), offices.catalogue())
    assert not resources(html)
    assert "url(#" in html  # the check sees the page's own references (the hatch pattern)
    assert "<style>" in html and "@media print" in html


def test_whatever_the_audit_holds_is_escaped() -> None:
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    audit = fx.audit().model_copy(
        update={
            "site": Site(name=hostile, address=hostile, profile=hostile, timezone="Europe/Paris"),
            "technician": hostile,
            "notes": [Note(text=hostile, by=hostile)],
        }
    )
    html = render_html(audit, fx.catalogue())
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not resources(html)
    assert resources(hostile) == ["<script>", "<img>", "img src=x", "img onerror=alert(2)"]


def test_a_probes_section_from_its_spec_is_escaped_too() -> None:
    # The specs' sections are templates held in strings, not files: they must be escaped
    # as the files are (their names end in .html.j2).
    hostile = "<script>alert(1)</script>"
    facts = fx.facts()
    assert facts.router
    router = facts.router[0]
    line = router.wan_lines[0].model_copy(update={"interface": hostile, "why": hostile})
    facts = facts.model_copy(update={"router": [router.model_copy(update={"wan_lines": [line]})]})
    html = render_html(fx.audit().model_copy(update={"facts": facts}), fx.catalogue())
    assert "<script" not in html
    assert html.count("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>") == 2


def test_a_section_file_in_the_templates_folder_wins_over_the_specs(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(reports_dir(), folder)
    (folder / "probes").mkdir()
    section = "<h3>Our router</h3>\n<p>{{ facts.router | length }} asked</p>\n"
    (folder / "probes" / "router.html.j2").write_text(section)
    html = render_html(fx.audit(), fx.catalogue(), templates=folder)
    assert "<h3>Our router</h3>\n<p>1 asked</p>" in html
    assert "The router, as it describes itself" not in html
    assert "<h3>DNS resolvers</h3>" in html  # the other sections still come from the specs


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.svgs: list[dict[str, str | None]] = []
        self.svg_children: list[set[str]] = []
        self.tables = 0
        self.tables_with_headers = 0
        self._in_svg = False
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            self.svgs.append(dict(attrs))
            self.svg_children.append(set())
            self._in_svg = True
        elif self._in_svg:
            self.svg_children[-1].add(tag)
        if tag == "table":
            self.tables += 1
            self._in_table = True
        if tag == "th" and self._in_table:
            self.tables_with_headers += 1
            self._in_table = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False


@pytest.mark.parametrize("name", offices.OFFICES)
def test_headings_in_order_tables_with_headers_charts_with_text(name: str) -> None:
    doc = _Structure()
    doc.feed(render_html(offices.office(name), offices.catalogue()))
    assert doc.headings[0] == 1
    for before, after in zip(doc.headings, doc.headings[1:], strict=False):
        assert after <= before + 1, doc.headings  # never skips a level
    assert doc.tables and doc.tables == doc.tables_with_headers
    assert len(doc.svgs) >= 3  # readiness, money, categories
    for attrs, children in zip(doc.svgs, doc.svg_children, strict=True):
        assert attrs.get("role") == "img" and attrs.get("viewbox") and "width" not in attrs
        assert {"title", "desc"} <= children


def test_html_redacts_as_the_markdown_and_json_do() -> None:
    raw = fx.audit()
    secret = "203.0.113.45"
    assert secret in render_html(raw, fx.catalogue())
    red = redact(raw)
    html, md, js = (
        render_html(red, fx.catalogue()),
        render_markdown(red, fx.catalogue()),
        render_json(red).decode(),
    )
    for text in (html, md, js):
        assert secret not in text and "aa:bb:cc" not in text.lower()
    tokens = set(re.findall(r"\bip-\d+\b", md))
    assert tokens and tokens <= set(re.findall(r"\bip-\d+\b", html))
    assert "This copy is redacted" in html


def test_a_ten_minute_drill_is_drawn_from_a_few_hundred_columns_and_stays_small() -> None:
    drill = long_drill()
    audit = offices.office("dual").model_copy(update={"drills": [drill]})
    html = render_html(audit, offices.catalogue())
    assert len(html.encode()) < 300_000
    columns = charts.downsample(drill)
    assert len(columns) <= charts.TIMELINE_BUCKETS
    # The JSON keeps every sample: the picture's columns are for the picture only.
    assert len(json.loads(render_json(audit))["drills"][0]["timeline"]) == len(drill.timeline) == 30_000
    # The blackout (120-123 s) shows as loss, the steady line as none.
    lossy = [c for c in columns if c.loss > 0]
    assert lossy and all(117 <= c.t0 <= 123 or 477 <= c.t0 <= 481 for c in lossy)


def test_a_drills_moments_are_marked_with_their_times() -> None:
    marks = charts.drill_marks(long_drill())
    assert [w for _, w in marks] == ["cut", "first loss", "failover", "restore", "failback"]
    assert dict((w, t) for t, w in marks)["first loss"] == pytest.approx(120.1)
    svg = charts.drill_chart(long_drill(), "d")
    assert svg is not None and "failover 123.2 s" in svg and "first loss 120.1 s" in svg


def test_parts_of_the_html() -> None:
    owner = render_html(fx.audit(), fx.catalogue(), part=Part.OWNER)
    assert "Technician's annex" not in owner and "Summary for the owner" in owner
    assert "Made with readiness 0.1.0" in owner


def test_readiness_is_drawn_against_the_level_the_office_needs() -> None:
    from tests.unit.offices import CAFE, PREPARED, office

    for answers, need in ((CAFE, "Exposed"), (PREPARED, "Prepared")):
        audit = office(answers)
        assert audit.need is not None and audit.need.required_level == need
        html = render_html(audit, offices.catalogue(), part=Part.OWNER)
        assert f"this office needs {need} or better" in html
    bands = [charts.Band("Low", 0), charts.Band("High", 60)]
    svg = charts.readiness_chart(40, None, "Low", bands, need=bands[1])
    assert "needs High or better (from 60): not met" in svg
    assert "needs" not in charts.readiness_chart(40, None, "Low", bands)


def test_the_money_picture_sets_outages_against_the_plans_first_year() -> None:
    from tests.unit.offices import CAFE, office

    audit = office(CAFE)
    assert audit.cost is not None and audit.plan is not None
    svg = charts.plan_cost_chart(audit.cost, audit.plan)
    assert svg is not None and "Outages now" in svg and "The plan, year 1" in svg
    advised = [a for a in audit.plan.actions if a.recommended]
    high = sum(a.one_off[1] + 12 * a.monthly[1] for a in advised)
    assert f"{high:,.0f}" in svg  # the plan's first year at its high estimate
    nothing = audit.plan.model_copy(update={"actions": []})
    assert charts.plan_cost_chart(audit.cost, nothing) is None  # then the backup line's picture


def _watched_audit(tmp_path: Path) -> Audit:
    """The fixture audit with two weeks of the line watcher's record (tests/watch/history_db.py)."""
    from readiness.watch.summary import load_history
    from tests.watch.history_db import DAY, START, fourteen_days

    history = load_history(fourteen_days(tmp_path / "w.sqlite3"), START + 15 * DAY)
    return fx.audit().model_copy(update={"history": history})


def _history_section(html: str) -> str:
    return html[html.index("<h2>Line history (watched)</h2>") : html.index("<h2>Test log</h2>")]


def test_the_annex_shows_the_watched_history_with_its_chart(tmp_path: Path) -> None:
    section = _history_section(render_html(_watched_audit(tmp_path), fx.catalogue()))
    assert "<tr><td>primary</td><td>198.51.100.10</td><td>LAB-FIBRE-A AS64500</td>" in section
    assert '<td class="num">99.798 %</td>' in section
    # outages, on the office's clock (Europe/Paris in the fixture; the watcher's times are UTC)
    assert (
        '<tr><td>31 May 2026, 10:26</td><td class="num">1800 s</td><td>the line or provider</td></tr>'
    ) in section
    assert "<td>the router or office network</td>" in section
    assert (
        "<tr><td>8 June 2026, 22:26</td><td>failover</td><td>198.51.100.10</td><td>203.0.113.10</td>"
    ) in section
    assert '<td class="num">3.2 s</td>' in section
    assert "counts as a failover test (latest: 8 June 2026, 22:26)" in section
    doc = _Structure()
    doc.feed(section)
    assert doc.tables == doc.tables_with_headers == 3  # lines, outages, line switches
    [svg] = doc.svgs
    assert svg.get("role") == "img" and "width" not in svg
    _, _, w, h = (float(v) for v in (svg.get("viewbox") or "").split())
    assert w > 0 and h > 0
    assert {"title", "desc"} <= doc.svg_children[0]
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", section)
    assert desc and "31 May: 97.92 % online, 30 min offline" in desc.group(1)
    assert "15 watched, 15 not watched" in desc.group(1)
    assert "url(#history-hatch)" in section  # the day with over 1 % offline reads in greyscale


def test_an_audit_without_history_shows_no_history_section() -> None:
    html = render_html(fx.audit(), fx.catalogue())
    md = render_markdown(fx.audit(), fx.catalogue())
    assert "Line history" not in html and "Line history" not in md
    assert "history-t" not in html


def test_the_history_is_redacted_in_html_as_in_markdown_and_json(tmp_path: Path) -> None:
    red = redact(_watched_audit(tmp_path))
    html, md, js = (
        render_html(red, fx.catalogue()),
        render_markdown(red, fx.catalogue()),
        render_json(red).decode(),
    )
    for text in (html, md, js):
        assert "198.51.100.10" not in text and "203.0.113.10" not in text
    section = _history_section(html)
    tokens = set(re.findall(r"\bip-\d+\b", section))
    assert len(tokens) == 2 and tokens <= set(re.findall(r"\bip-\d+\b", md))


def test_the_history_chart_escapes_and_marks_unwatched_days() -> None:
    points = {
        "days": [
            {"day": "2026-06-01", "availability_pct": None, "down_s": 0.0},
            {"day": "2026-06-02", "availability_pct": 99.5, "down_s": 432.0},
            {"day": "2026-06-03", "availability_pct": 100.0, "down_s": 0.0},
        ]
    }
    svg = str(charts.history_chart(points, name="h"))
    assert 'stroke-dasharray="3 2"' in svg and ">7<" in svg  # 432 s: 7 minutes above the day
    assert "2 Jun: 99.5 % online, 7 min offline" in svg and "1 watched" not in svg
    assert "2 watched, 1 not watched" in svg
    assert charts.history_chart({"days": []}) is None
