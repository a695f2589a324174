"""Recorded facts: run the audit on what was seen earlier instead of probing.

A facts file is either a bare ``Facts`` JSON document (what the lab records) or a whole
audit. ``load_facts`` takes the facts of either (the TUI's replay); ``load_replay`` keeps a
whole audit whole, with its drills, notes, waivers and answers, so a visit recorded on
site can be judged again when the owner's answers arrive (``readiness audit --replay``).
Either way nothing is probed, and the facts say where they came from.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from readiness.files import invalid, parse_json_object, read_bytes
from readiness.model import Audit, Facts
from readiness.store import parse_audit


def _is_audit(data: dict[str, object]) -> bool:
    return "schema_version" in data or ("facts" in data and "site" in data)


def parse_replay(raw: bytes | str, source: Path | str) -> Audit | Facts:
    """A whole audit (its facts marked as replayed), or bare facts."""
    data = parse_json_object(raw, source, "facts or a whole audit")
    if _is_audit(data):
        audit = parse_audit(raw, source)
        facts = audit.facts.model_copy(update={"replayed_from": str(source)})
        return audit.model_copy(update={"facts": facts})
    return parse_facts(raw, source)


def load_replay(path: Path) -> Audit | Facts:
    """Load a saved audit whole, or bare recorded facts. Raises InputError naming the field."""
    return parse_replay(read_bytes(path), path)


def parse_facts(raw: bytes | str, source: Path | str) -> Facts:
    data = parse_json_object(raw, source, "facts or a whole audit")
    if _is_audit(data):
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
