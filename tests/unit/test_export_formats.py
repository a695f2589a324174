"""One registry of export formats: names, old spellings, sets, and the command line reading it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import readiness.cli as cli
from readiness.export.formats import EXPORTERS, SETS, Part, UnknownFormat, choices, exporter, menu, resolve
from readiness.export.json_export import render_json
from tests.unit import audit_fixtures as fx

REPO = Path(__file__).resolve().parents[2]
OFFICE = REPO / "examples" / "dual-office.json"
SAVED_BEFORE = Path(__file__).parent / "data" / "audit-saved-by-0.1-schema-1.json"


def run(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes, str]:
    code = cli.main(argv)
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def test_one_name_per_format_and_old_spellings_resolve_to_it() -> None:
    assert [e.name for e in EXPORTERS] == ["markdown", "html", "json"]
    assert exporter("md") is exporter("markdown")
    assert [e.name for e in resolve("both")] == ["markdown", "json"]
    assert [e.name for e in resolve("all")] == ["markdown", "html", "json"]
    assert set(SETS) <= set(choices()) and "md" not in choices() and "md" in choices(aliases=True)
    assert [name for name, _, _ in menu()] == ["markdown", "html", "json", "both", "all"]
    with pytest.raises(UnknownFormat, match="unknown format 'pdf'"):
        exporter("pdf")


def test_every_exporter_renders_bytes_of_its_kind() -> None:
    audit, catalogue = fx.audit(), fx.catalogue()
    md, html, js = (exporter(n).render(audit, catalogue) for n in ("markdown", "html", "json"))
    assert md.startswith(b"# Internet continuity report")
    assert html.startswith(b"<!DOCTYPE html>")
    assert js == render_json(audit)
    # The JSON is the whole audit whatever part is asked for.
    assert exporter("json").render(audit, catalogue, Part.OWNER) == js


def test_md_is_still_accepted_and_means_markdown(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    saved = tmp_path / "audit.json"
    saved.write_bytes(render_json(fx.audit()))
    code, old, _ = run(["report", str(saved), "--format", "md"], capsysbinary)
    assert code == 0
    code, new, _ = run(["report", str(saved), "--format", "markdown"], capsysbinary)
    assert code == 0 and old == new and old.startswith(b"# Internet continuity report")
    code, default, _ = run(["report", str(saved)], capsysbinary)
    assert default == new


def test_all_writes_every_format_beside_one_stem(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, err = run(
        ["audit", "--replay", str(OFFICE), "--format", "all", "-o", str(tmp_path / "site.html")], capsysbinary
    )
    assert code == 0 and out == b"", err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.html", "site.json", "site.md"]
    assert (tmp_path / "site.html").read_text().startswith("<!DOCTYPE html>")
    code, _, err = run(["audit", "--replay", str(OFFICE), "--format", "all", "-o", "-"], capsysbinary)
    assert code == 2 and "--format all writes several files" in err


def test_html_to_a_folder_takes_the_html_extension(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, _, err = run(
        ["audit", "--replay", str(OFFICE), "--format", "html", "-o", str(tmp_path)], capsysbinary
    )
    assert code == 0, err
    (written,) = tmp_path.iterdir()
    assert written.suffix == ".html" and written.name.startswith("readiness-unnamed-site-")


def test_part_selects_on_the_command_line(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    saved = tmp_path / "audit.json"
    saved.write_bytes(render_json(fx.audit()))
    code, owner, _ = run(["report", str(saved), "--part", "owner"], capsysbinary)
    assert code == 0 and b"Summary for the owner" in owner and b"Technician's annex" not in owner
    code, annex, _ = run(["report", str(saved), "--part", "technician", "--format", "html"], capsysbinary)
    assert code == 0 and b'class="annex"' in annex and b'class="owner"' not in annex
    code, _, err = run(["report", str(saved), "--part", "boss"], capsysbinary)
    assert code == 2 and "invalid choice: 'boss'" in err


def test_report_renders_an_audit_saved_before_the_office_clock_was_recorded(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """tests/unit/data holds an audit as the tool saved it before this report's rework
    (schema version 1, no office time zone): it renders in every format, dates in UTC."""
    assert "timezone" not in SAVED_BEFORE.read_text()
    # The site's name holds a pipe: escaped for Markdown, as is in HTML text.
    for fmt, site in (("markdown", "Test Dental \\| Practice"), ("html", "Test Dental | Practice")):
        code, out, err = run(["report", str(SAVED_BEFORE), "--format", fmt], capsysbinary)
        assert code == 0, err
        assert f"Audit test0001 · {site} · 20 November 2026, 09:30 UTC" in out.decode()


def test_report_refuses_another_schema_version_in_one_line(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = json.loads(SAVED_BEFORE.read_text())
    doc["schema_version"] = 2
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(doc))
    code, out, err = run(["report", str(newer), "--format", "html"], capsysbinary)
    assert code == 2 and out == b""
    (line,) = err.splitlines()
    assert line.startswith(f"readiness: {newer}") and "unsupported version 2 (this tool reads 1)" in line
