"""The JSON export: the Audit document itself, exactly as the store saves it."""

from __future__ import annotations

from readiness.model import Audit
from readiness.store import dump_audit


def render_json(audit: Audit) -> bytes:
    """The audit as JSON bytes; valid against reports/audit.schema.json by construction."""
    return dump_audit(audit)
