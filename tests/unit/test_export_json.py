"""The JSON export is the audit document: golden, valid, and loads back identical."""

from __future__ import annotations

import json

from readiness.export.json_export import render_json
from readiness.export.redact import redact
from readiness.schema import validation_errors
from readiness.store import parse_audit
from tests.unit import audit_fixtures as fx
from tests.unit.golden import assert_golden


def test_full_json_golden() -> None:
    assert_golden("full.json", render_json(fx.audit()).decode())


def test_redacted_json_golden() -> None:
    assert_golden("full-redacted.json", render_json(redact(fx.audit())).decode())


def test_json_round_trips_through_the_store() -> None:
    audit = fx.audit()
    assert parse_audit(render_json(audit), "x.json") == audit


def test_redacted_json_is_still_a_valid_audit() -> None:
    doc = json.loads(render_json(redact(fx.audit())))
    assert doc["redacted"] is True
    assert validation_errors(doc) == []
