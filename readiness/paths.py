"""Where the shipped data (checks/, reports/) lives.

In a wheel, hatchling force-includes them as ``readiness/_data/{checks,reports}``; in a
checkout or an editable install they sit at the top of the source tree. One helper tries
the installed location first and the source tree second, so every caller finds them the
same way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder of shipped data ``name`` ("checks" or "reports")."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    source = _PACKAGE_DIR.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"readiness data folder '{name}' is missing (looked in {installed} and {source})")


def checks_dir() -> Path:
    return data_dir("checks")


def reports_dir() -> Path:
    return data_dir("reports")
