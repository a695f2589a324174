"""Reading the files a user hands us, with the one-line errors every loader promises.

Config, catalogue, answers, audits and recorded facts all go through these, so "cannot
read", "not valid TOML/JSON" and "field: message" read the same everywhere.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from pydantic import ValidationError

from readiness.errors import InputError, pydantic_field


def read_bytes(path: Path | str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc


def read_toml(path: Path | str) -> dict[str, object]:
    try:
        with Path(path).open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:  # not UTF-8 is not TOML either
        raise InputError(path, None, f"not valid TOML: {exc}") from exc


def parse_json_object(raw: bytes | str, source: Path | str, what: str) -> dict[str, object]:
    """``raw`` as a JSON object; ``what`` names the document in the error ("an audit")."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source, None, f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(source, None, f"expected a JSON object ({what})")
    return data


def invalid(source: Path | str, exc: ValidationError) -> InputError:
    """The first validation error, as ``source: dotted.field: message``."""
    err = exc.errors()[0]
    return InputError(source, pydantic_field(tuple(err["loc"])), err["msg"])
