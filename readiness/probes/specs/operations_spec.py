"""The monitoring and VPN probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts
from readiness.probes.spec import ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    ops = f.operations
    if ops is None:
        return None
    t = Text()
    for label, items in (
        ("monitoring", ops.monitoring_agents),
        ("VPN clients", ops.vpn_clients),
        ("tunnels up", ops.tunnels),
    ):
        t.append(f"{label:<12}", style="bold")
        t.append((", ".join(items) if items else "none seen") + "\n", style="" if items else "dim")
    return t


REPORT = """\
### Monitoring and remote access

{% if facts.operations is none %}
{{ unknown_reason.operations }}
{% else %}
- Monitoring agents: {{ facts.operations.monitoring_agents | join(", ") or "none found" }}
- VPN clients: {{ facts.operations.vpn_clients | join(", ") or "none found" }}
- Tunnels up: {{ facts.operations.tunnels | join(", ") or "none" }}
{% endif %}

"""

REPORT_HTML = """\
<h3>Monitoring and remote access</h3>
{% if facts.operations is none %}
<p>{{ unknown_reason.operations }}</p>
{% else %}
<ul>
<li>Monitoring agents: {{ facts.operations.monitoring_agents | join(", ") or "none found" }}</li>
<li>VPN clients: {{ facts.operations.vpn_clients | join(", ") or "none found" }}</li>
<li>Tunnels up: {{ facts.operations.tunnels | join(", ") or "none" }}</li>
</ul>
{% endif %}
"""

SPEC = ProbeSpec(
    name="operations",
    title="Monitoring and VPN",
    field="operations",
    function="readiness.probes.operations:probe_operations",
    order=80,
    needs=(),
    view_title="Monitoring and VPN",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(),
    redact=(),
)
