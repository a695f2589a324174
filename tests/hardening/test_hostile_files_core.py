"""Property tests: whatever bytes arrive, loaders answer with an InputError or a valid object.

Never a traceback, never a multi-line message, never a write to the file being read.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.config import load_config
from readiness.errors import InputError
from readiness.store import dump_audit, new_audit, parse_audit
from tests.hardening.strategies import json_values


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_audit_parser_survives_any_bytes(raw: bytes) -> None:
    try:
        parse_audit(raw, "fuzz.json")
    except InputError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("fuzz.json")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["site", "facts", "answers", "drills", "waivers", "findings", "score", "notes"]),
    json_values,
)
def test_audit_with_a_mangled_section_names_it(section: str, value: object) -> None:
    doc = json.loads(dump_audit(new_audit("x")))
    doc[section] = value
    try:
        parse_audit(json.dumps(doc), "a.json")
    except InputError as exc:
        assert exc.field is not None and exc.field.split(".")[0].split("[")[0] == section


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=4000))
def test_truncated_audit_is_reported(cut: int) -> None:
    raw = dump_audit(new_audit("Truncated office"))
    if cut >= len(raw) - 2:
        return
    try:
        parse_audit(raw[:cut], "t.json")
    except InputError as exc:
        assert "t.json" in str(exc)
    else:  # pragma: no cover - a strict prefix of a JSON object is never a full object
        raise AssertionError("a truncated audit was accepted")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_config_loader_survives_any_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "c.toml"
    raw = text.encode("utf-8")
    path.write_bytes(raw)
    try:
        load_config(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        assert str(path) in str(exc)
    assert path.read_bytes() == raw
