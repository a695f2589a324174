"""Imports sit at the top of a module unless a measured start-up cost says otherwise
(issue 18); a late import must carry its figure in a comment (e.g. "adds 40 ms to
`readiness --version`").

Checked on every module of the package. The figure goes on the import's line or in the
comment right above it; a run of imports (blank lines between them allowed) under one
comment shares that comment. An import kept late only to dodge an import cycle has no
figure to give: resolve the cycle instead. ``if TYPE_CHECKING:`` imports are not late.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "readiness"
MODULES = sorted(str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py"))
FIGURE = re.compile(r"#.*\d+(\.\d+)?\s*ms\b")


def _late_imports(source: str) -> list[ast.Import | ast.ImportFrom]:
    """Imports inside functions."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def unexplained(source: str) -> list[int]:
    """Line numbers of late imports with no measured figure on their line or in the comment
    above them (above the run of imports they belong to)."""
    text = source.splitlines()
    late = _late_imports(source)
    import_lines = {n for node in late for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    missing: list[int] = []
    for node in late:
        seen = text[node.lineno - 1 : node.end_lineno]
        i = node.lineno - 1  # 1-based number of the line above
        while i >= 1:
            line = text[i - 1].strip()
            if i in import_lines or line.startswith("#"):
                seen.append(line)
            elif not (line == "" and i - 1 in import_lines):
                break
            i -= 1
        if not any(FIGURE.search(line) for line in seen):
            missing.append(node.lineno)
    return missing


@pytest.mark.parametrize("module", MODULES)
def test_late_imports_say_what_they_save(module: str) -> None:
    source = (PACKAGE.parent / module).read_text(encoding="utf-8")
    lines = unexplained(source)
    assert not lines, f"{module}: late imports without a measured figure, lines {lines}"


def test_the_check_sees_every_module() -> None:
    assert "readiness/cli.py" in MODULES and "readiness/tui/app.py" in MODULES
    assert "readiness/probes/specs/dns_spec.py" in MODULES


def test_the_check_sees_a_late_import() -> None:
    assert [n.lineno for n in _late_imports("def f():\n    import os\n")] == [2]
    assert _late_imports("import os\n") == []
    assert _late_imports("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\n") == []


def test_a_late_import_needs_its_figure() -> None:
    assert unexplained("def f():\n    import os\n") == [2]
    assert unexplained("def f():\n    # late: it is heavy\n    import os\n") == [3]
    assert unexplained("def f():\n    # late: 40 ms on every start-up\n    import os\n") == []
    assert unexplained("def f():\n    import os  # late: 4.5 ms\n") == []
    # a run of imports under one comment shares it; code in between ends the run
    run = "def f():\n    # late: 40 ms\n    import os\n\n    import sys\n"
    assert unexplained(run) == []
    broken = "def f():\n    # late: 40 ms\n    import os\n    x = 1\n    import sys\n"
    assert unexplained(broken) == [5]
