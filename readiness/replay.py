"""Recorded facts: run the audit on what was seen earlier instead of probing.

A facts file is either a bare ``Facts`` JSON document (what the lab records) or a whole
audit, whose facts are taken. Either way nothing is probed, and the facts say where
they came from.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from readiness.errors import InputError, pydantic_field
from readiness.model import Facts
from readiness.store import parse_audit


def parse_facts(raw: bytes | str, source: Path | str) -> Facts:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source, None, f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(source, None, "expected a JSON object (facts or a whole audit)")
    if "schema_version" in data or ("facts" in data and "site" in data):
        facts = parse_audit(raw, source).facts
    else:
        try:
            facts = Facts.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InputError(source, pydantic_field(tuple(err["loc"])), err["msg"]) from exc
    return facts.model_copy(update={"replayed_from": str(source)})


def load_facts(path: Path) -> Facts:
    """Load recorded facts from ``path``. Raises InputError naming the file and the field."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    return parse_facts(raw, path)
