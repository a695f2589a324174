"""The owner's part and the technician's annex: what each holds, and what the owner's never does."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from readiness.export.formats import Part
from readiness.export.html import render_html
from readiness.export.markdown import render_markdown
from readiness.model import Audit
from tests.unit import audit_fixtures as fx
from tests.unit import recorded_offices as offices

CHECK_ID = re.compile(r"\b[A-Z]{2,5}-\d{3}\b")
IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
IPV6 = re.compile(r"\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b", re.IGNORECASE)
MAC = re.compile(r"\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b", re.IGNORECASE)
DATA_KEY = re.compile(r"\b(?:answers|facts|drill|cost|power|path)\.[a-z_]+|\b[a-z]+_[a-z_]+\b")
WEIGHT = re.compile(r"\bx\d+\.\d+\b|weight|\bpoints?\b(?! of failure)|guide point", re.IGNORECASE)


def _audits() -> list[tuple[str, Audit]]:
    # Not the fixture audit: its made-up catalogue's texts name their checks on purpose.
    return [("minimal", fx.minimal_audit())] + [(name, offices.office(name)) for name in offices.OFFICES]


class _Text(HTMLParser):
    """The text a reader sees in one part of the HTML (no style sheet, no chart markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _owner_texts(audit: Audit) -> list[str]:
    catalogue = offices.catalogue() if audit.id.startswith("office-") else fx.catalogue()
    md = render_markdown(audit, catalogue, part=Part.OWNER)
    html = render_html(audit, catalogue, part=Part.OWNER)
    return [md, html_text(html)]


@pytest.mark.parametrize(("name", "audit"), _audits(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_owners_part_speaks_plain_language(name: str, audit: Audit) -> None:
    """No check ids, points, weights, data keys, MAC or IP addresses on the owner's page."""
    for text in _owner_texts(audit):
        body = (
            text.split("Site address:")[0] + text.split("Kind of business")[-1]
        )  # the site's own address may have digits
        for pattern in (CHECK_ID, IPV4, IPV6, MAC, DATA_KEY, WEIGHT):
            found = pattern.findall(body)
            assert not found, f"{name}: {pattern.pattern} found {found}"


@pytest.mark.parametrize("name", offices.OFFICES)
def test_the_owners_part_is_short(name: str) -> None:
    """One printed page holds about 550 words with the pictures (the browser test prints it)."""
    md = render_markdown(offices.office(name), offices.catalogue(), part=Part.OWNER)
    assert len(md.split()) < 550


def test_parts_select_what_is_rendered() -> None:
    audit, catalogue = fx.audit(), fx.catalogue()
    owner = render_markdown(audit, catalogue, part=Part.OWNER)
    annex = render_markdown(audit, catalogue, part=Part.TECHNICIAN)
    whole = render_markdown(audit, catalogue, part=Part.ALL)
    assert "## Summary for the owner" in owner and "# Technician's annex" not in owner
    assert "# Technician's annex" in annex and "## Summary for the owner" not in annex
    assert whole.index("## Summary for the owner") < whole.index("# Technician's annex")
    assert "WAN-001" in annex and "Points:" in annex
    # Both parts say which audit it is and end with the tool's version.
    for text in (owner, annex, whole):
        # the site's "|" escaped for Markdown (readiness/export/escape.py)
        assert text.splitlines()[2].startswith("Audit test0001 · Test Dental \\| Practice · 20 November 2026")
        assert text.rstrip().endswith("Made with readiness 0.1.0 (audit test0001, schema version 1).")
    html_owner = render_html(audit, catalogue, part=Part.OWNER)
    html_annex = render_html(audit, catalogue, part=Part.TECHNICIAN)
    assert 'class="owner"' in html_owner and 'class="annex"' not in html_owner
    assert 'class="annex"' in html_annex and 'class="owner"' not in html_annex
