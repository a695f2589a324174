"""The probe registry: every ``SPEC`` in ``readiness/probes/specs/``, in order.

Adding a module there is how a probe joins discovery, the TUI, the report, the README's
endpoint table and redaction; see ``readiness/probes/spec.py``.

``python -m readiness.probes.registry`` prints the README's endpoint table (a unit test
checks the README against it).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import readiness.probes.specs as package
from readiness.probes.spec import EndpointDoc, ProbeSpec

__all__ = ["EndpointDoc", "ProbeSpec", "by_name", "endpoint_table", "specs"]


@cache
def specs() -> tuple[ProbeSpec, ...]:
    found: list[ProbeSpec] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if not isinstance(spec, ProbeSpec):
            raise TypeError(f"{module.__name__} has no SPEC (a ProbeSpec)")
        found.append(spec)
    found.sort(key=lambda s: (s.order, s.name))
    names = [s.name for s in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two probe specs share a name: {names}")
    return tuple(found)


def by_name() -> dict[str, ProbeSpec]:
    return {s.name: s for s in specs()}


def endpoint_table() -> str:
    """The README's endpoint table, one row per EndpointDoc, in probe order."""
    rows = [
        "| endpoint (default) | protocol | why | with `--offline` |",
        "|---|---|---|---|",
    ]
    for spec in specs():
        rows += [f"| {e.endpoint} | {e.protocol} | {e.why} | {e.offline} |" for e in spec.endpoints]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(endpoint_table(), end="")
