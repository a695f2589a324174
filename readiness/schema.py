"""The JSON schema of an audit document, generated from the pydantic model.

``reports/audit.schema.json`` is this module's output, committed so that other tools can
validate an audit without Python; a test fails when the two drift apart. Regenerate with
``python -m readiness.schema``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from readiness.model.audit import SCHEMA_VERSION, Audit
from readiness.paths import reports_dir
from readiness.store import write_atomic

SCHEMA_ID = f"urn:readiness:audit:v{SCHEMA_VERSION}"
SCHEMA_FILE = "audit.schema.json"


def audit_schema() -> dict[str, Any]:
    """The schema that every audit document (and so every JSON export) satisfies."""
    body = Audit.model_json_schema(mode="validation")
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "readiness audit",
        "description": (
            "One walkthrough of an office's internet continuity: facts, answers, drills, "
            f"findings, score and cost. Schema version {SCHEMA_VERSION}."
        ),
        "x-schema-version": SCHEMA_VERSION,
    }
    body.pop("title", None)
    schema.update(body)
    return schema


def schema_text() -> str:
    """The schema as committed: stable key order, two-space indent, final newline."""
    return json.dumps(audit_schema(), indent=2, ensure_ascii=False) + "\n"


def validation_errors(document: object, schema: dict[str, Any] | None = None) -> list[str]:
    """Every way ``document`` breaks the schema, as ``path: message`` lines (empty: valid)."""
    validator = Draft202012Validator(
        schema or audit_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    out = []
    for err in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in err.absolute_path) or "<root>"
        out.append(f"{where}: {err.message}")
    return out


def write_schema(target: Path) -> None:
    write_atomic(target, schema_text().encode(), mode=0o644)


def main(argv: list[str] | None = None) -> int:
    """``python -m readiness.schema [PATH]``: write the schema (default: reports/ of the source tree)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else reports_dir() / SCHEMA_FILE
    write_schema(target)
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
