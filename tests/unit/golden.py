"""Golden-file comparison. Set READINESS_UPDATE_GOLDEN=1 to rewrite the files in tests/golden."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden"
UPDATE_ENV = "READINESS_UPDATE_GOLDEN"


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN_DIR / name
    if os.environ.get(UPDATE_ENV) == "1":
        path.write_text(actual)
        return
    assert path.exists(), f"{path} is missing: run the tests with {UPDATE_ENV}=1 to create it"
    expected = path.read_text()
    assert actual == expected, f"{name} differs from the golden file; if intended, rerun with {UPDATE_ENV}=1"
