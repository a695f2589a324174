"""Run every benchmark: each module of this package that has a ``main()``.

    sudo .venv/bin/python -m bench            # all
    sudo .venv/bin/python -m bench discovery  # only the named ones
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path


def main(argv: list[str]) -> int:
    here = [str(Path(__file__).parent)]
    names = sorted(m.name for m in pkgutil.iter_modules(here) if not m.name.startswith("_"))
    chosen = [n for n in names if not argv or n in argv]
    worst = 0
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        run: Callable[..., int] | None = getattr(module, "main", None)
        if run is None:
            continue
        print(f"\n######## bench.{name}")
        try:
            rc = run([]) if run.__code__.co_argcount else run()
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
        worst = max(worst, rc or 0)
    return worst


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
