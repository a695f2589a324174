"""The committed JSON schema matches the model, and exports validate against it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from readiness.export.json_export import render_json
from readiness.model import SCHEMA_VERSION
from readiness.schema import SCHEMA_FILE, audit_schema, schema_text, validation_errors
from tests.unit import audit_fixtures as fx


def test_committed_schema_matches_the_model(repo_root: Path) -> None:
    committed = (repo_root / "reports" / SCHEMA_FILE).read_text()
    assert committed == schema_text(), (
        "reports/audit.schema.json is out of date with readiness.model: run `python -m readiness.schema`"
    )


def test_schema_names_itself_and_its_version() -> None:
    schema = audit_schema()
    assert schema["$id"].endswith(f"v{SCHEMA_VERSION}")
    assert schema["x-schema-version"] == SCHEMA_VERSION
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert schema["additionalProperties"] is False


def test_full_and_minimal_exports_validate() -> None:
    for audit in (fx.audit(), fx.minimal_audit()):
        assert validation_errors(json.loads(render_json(audit))) == []


def test_schema_rejects_a_broken_document() -> None:
    doc = json.loads(render_json(fx.audit()))
    doc["findings"][0]["verdict"] = "maybe"
    doc["surprise"] = 1
    del doc["site"]
    errors = validation_errors(doc)
    assert any(e.startswith("findings/0/verdict:") for e in errors)
    assert any("surprise" in e for e in errors)
    assert any("'site' is a required property" in e for e in errors)


def test_module_writes_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    proc = subprocess.run(
        [sys.executable, "-m", "readiness.schema", str(target)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == schema_text()
