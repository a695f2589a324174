"""Recorded facts: run the audit on what was seen earlier instead of probing.

A facts file is either a bare ``Facts`` JSON document (what the lab records) or a whole
audit, whose facts are taken. Either way nothing is probed, and the facts say where
they came from.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from readiness.files import invalid, parse_json_object, read_bytes
from readiness.model import Facts
from readiness.store import parse_audit


def parse_facts(raw: bytes | str, source: Path | str) -> Facts:
    data = parse_json_object(raw, source, "facts or a whole audit")
    if "schema_version" in data or ("facts" in data and "site" in data):
        facts = parse_audit(raw, source).facts
    else:
        try:
            facts = Facts.model_validate(data)
        except ValidationError as exc:
            raise invalid(source, exc) from exc
    return facts.model_copy(update={"replayed_from": str(source)})


def load_facts(path: Path) -> Facts:
    """Load recorded facts from ``path``. Raises InputError naming the file and the field."""
    return parse_facts(read_bytes(path), path)
