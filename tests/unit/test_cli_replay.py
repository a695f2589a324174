"""Recorded facts: a bare Facts file or a whole audit, with errors naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readiness.errors import InputError
from readiness.export.json_export import render_json
from readiness.replay import load_facts
from tests.unit import audit_fixtures as fx


def test_bare_facts_file(tmp_path: Path) -> None:
    path = tmp_path / "office.json"
    path.write_text(fx.facts().model_dump_json())
    facts = load_facts(path)
    assert facts.replayed_from == str(path)
    assert facts.model_copy(update={"replayed_from": None}) == fx.facts()


def test_whole_audit_gives_its_facts(tmp_path: Path) -> None:
    path = tmp_path / "audit.json"
    path.write_bytes(render_json(fx.audit()))
    facts = load_facts(path)
    assert facts.wan is not None and facts.wan[0].public_ip == "203.0.113.45"
    assert facts.replayed_from == str(path)


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        ("{not json", None, "not valid JSON"),
        ("[1, 2]", None, "expected a JSON object"),
        ('{"gateways": [{"address": "192.168.1.1"}]}', "gateways[0].family", "Field required"),
        ('{"interfaces": "eth0"}', "interfaces", "valid list"),
        ('{"surprise": 1}', "surprise", "Extra inputs are not permitted"),
        ('{"schema_version": 99, "facts": {}}', "schema_version", "unsupported version 99"),
    ],
)
def test_bad_files_name_the_field(tmp_path: Path, content: str, field: str | None, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InputError) as err:
        load_facts(path)
    assert err.value.path == str(path)
    assert err.value.field == field
    assert message in err.value.message


def test_audit_with_bad_facts_names_the_nested_field(tmp_path: Path) -> None:
    doc = json.loads(render_json(fx.audit()))
    doc["facts"]["wan"][0]["family"] = 5
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as err:
        load_facts(path)
    assert err.value.field == "facts.wan[0].family"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_facts(tmp_path / "nope.json")


def test_load_replay_keeps_a_whole_audit_whole(tmp_path: Path) -> None:
    from readiness.model import Audit, Facts
    from readiness.replay import load_replay

    path = tmp_path / "audit.json"
    path.write_bytes(render_json(fx.audit()))
    audit = load_replay(path)
    assert isinstance(audit, Audit)
    assert audit.drills == fx.audit().drills and audit.notes == fx.audit().notes
    assert audit.facts.replayed_from == str(path)
    bare = tmp_path / "facts.json"
    bare.write_text(fx.facts().model_dump_json())
    assert isinstance(load_replay(bare), Facts)
