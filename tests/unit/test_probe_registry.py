"""The probe registry: every place that lists probes reads it, and the README agrees with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readiness import discovery
from readiness.export.markdown import render_markdown
from readiness.export.redact import HOST_FIELDS
from readiness.model import Facts
from readiness.probes import registry
from readiness.probes.spec import EndpointDoc, ProbeSpec
from readiness.tui.widgets import facts_view

ROOT = Path(__file__).resolve().parents[2]


def test_readme_endpoint_table_is_the_registrys() -> None:
    # Regenerate with: python -m readiness.probes.registry (paste under "Every endpoint it contacts").
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert registry.endpoint_table() in readme


def test_every_spec_is_complete_and_its_function_exists() -> None:
    import importlib

    for spec in registry.specs():
        assert spec.field in Facts.model_fields, spec.name
        module, _, func = spec.function.partition(":")
        assert callable(getattr(importlib.import_module(module), func)), spec.name
        assert spec.view is not None and spec.report, spec.name
        assert f"unknown_reason.{spec.field}" in spec.report, spec.name
        # The HTML report has the same section: a spec without one would leave its facts
        # out of the HTML (as the router's were), so it is as required as the Markdown's.
        assert spec.report_html, f"{spec.name} has no report_html"
        assert f"unknown_reason.{spec.field}" in spec.report_html, spec.name
        md_title = re.search(r"^### (.+)$", spec.report, re.M)
        html_title = re.search(r"^<h3>(.+)</h3>$", spec.report_html, re.M)
        assert md_title and html_title and md_title.group(1) == html_title.group(1), spec.name
        tables = spec.report_html.count("<table>")
        assert spec.report_html.count('<thead><tr><th scope="col">') == tables, spec.name
        # Both formats show the same tables, with the same columns in the same order.
        md_heads = [
            [c.strip() for c in line.strip("|").split("|")]
            for line, rule in zip(spec.report.splitlines(), spec.report.splitlines()[1:], strict=False)
            if rule.startswith("|---")
        ]
        html_heads = [
            re.findall(r'<th scope="col">(.*?)</th>', h)
            for h in re.findall(r"<thead>.*?</thead>", spec.report_html)
        ]
        assert md_heads == html_heads, spec.name
        assert set(spec.needs) <= {s.name for s in registry.specs() if s.order < spec.order}, spec.name


def test_a_new_spec_shows_in_the_endpoint_table(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = ProbeSpec(
        name="extra",
        title="An extra probe",
        field="operations",
        function="readiness.probes.operations:probe_operations",
        order=999,
        endpoints=(EndpointDoc("`extra.example`", "TCP", "testing", "no"),),
    )
    original = registry.specs()
    assert "`extra.example`" not in registry.endpoint_table()
    monkeypatch.setattr(registry, "specs", lambda: (*original, extra))
    assert registry.endpoint_table().endswith("| `extra.example` | TCP | testing | no |\n")


def test_the_tables_derived_for_discovery_follow_the_spec_order() -> None:
    names = [s.name for s in registry.specs()]
    assert [n for n, _ in discovery.PROBES] == names
    assert list(discovery.FIELDS) == names
    assert [g[2] for g in facts_view.GROUPS] == names
    kinds_paths = {(k, p) for k, p in HOST_FIELDS}
    assert ("ssid", ("facts", "interfaces", "*", "ssid")) in kinds_paths


def test_report_sections_come_in_spec_order() -> None:
    from tests.unit.audit_fixtures import audit, catalogue

    text = render_markdown(audit(), catalogue())
    titles = [re.search(r"^### .+$", s.report, re.M).group(0) for s in registry.specs()]  # type: ignore[union-attr]
    positions = [text.index(t.split("{")[0].rstrip()) for t in titles]
    assert positions == sorted(positions)


def test_html_sections_come_in_spec_order_and_each_probe_has_one() -> None:
    from readiness.export.html import render_html
    from tests.unit.audit_fixtures import audit, catalogue

    html = render_html(audit(), catalogue())
    annex = html[html.index("<h2>What was discovered</h2>") : html.index("<h2>Drills</h2>")]
    titles = [re.search(r"^<h3>(.+)</h3>$", s.report_html, re.M).group(1) for s in registry.specs()]  # type: ignore[union-attr]
    assert re.findall(r"^<h3>(.+)</h3>$", annex, re.M) == titles


def test_the_router_panel_shows_identity_and_each_line_with_its_state() -> None:
    from tests.unit.audit_fixtures import facts

    text = facts_view.render_group("router", facts()).plain
    assert "MikroTik RB5009UG+S+ at 192.168.10.1" in text
    assert "pppoe-out1" in text and "lte1" in text
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("  ") and line.split()}
    assert " up " in lines["pppoe-out1"] + " " and " down" in lines["lte1"]
    unknown = facts_view.render_group("router", Facts()).plain
    assert unknown.startswith("not known")
