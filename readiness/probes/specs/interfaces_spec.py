# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The network interfaces probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts, InterfaceKind
from readiness.probes.spec import ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.interfaces is None:
        return None
    t = Text()
    shown = [i for i in f.interfaces if i.kind != InterfaceKind.LOOPBACK]
    if not shown:
        return Text("no network interface besides loopback")
    for i in shown:
        addrs = ", ".join(f"{a.address}/{a.prefixlen}" if a.prefixlen else a.address for a in i.addresses)
        t.append(f"{i.name:<10}", style="bold")
        t.append(f" {i.kind.value:<9} {'up' if i.is_up else 'down':<4} ")
        if i.speed_mbps:
            t.append(f"{i.speed_mbps} Mb/s ")
        t.append(addrs or "no address", style="" if addrs else "dim")
        if i.tethering_hint:
            t.append(f"  (phone hotspot? {i.tethering_hint})", style="yellow")
        t.append("\n")
    return t


REPORT = """\
### Network interfaces

{% if facts.interfaces is none %}
{{ unknown_reason.interfaces }}
{% elif not facts.interfaces %}
None found.
{% else %}
| name | kind | up | speed | addresses | MAC | notes |
|---|---|---|---|---|---|---|
{% for i in facts.interfaces %}
| {{ i.name | cell }} | {{ i.kind.value }} | {{ i.is_up | yes_no }} | {{ i.speed_mbps | number("Mb/s", 0) }} | {{ i.addresses | map(attribute="address") | join(", ") | cell }} | {{ i.mac | cell }} | {{ [i.ssid and "Wi-Fi " ~ i.ssid, i.vendor, i.tethering_hint] | select | join("; ") | cell }} |
{% endfor %}
{% endif %}

"""

REPORT_HTML = """\
<h3>Network interfaces</h3>
{% if facts.interfaces is none %}
<p>{{ unknown_reason.interfaces }}</p>
{% elif not facts.interfaces %}
<p>None found.</p>
{% else %}
<div class="table-wrap"><table>
<thead><tr><th scope="col">name</th><th scope="col">kind</th><th scope="col">up</th><th scope="col">speed</th><th scope="col">addresses</th><th scope="col">MAC</th><th scope="col">notes</th></tr></thead>
<tbody>
{% for i in facts.interfaces %}
<tr><td>{{ i.name }}</td><td>{{ i.kind.value }}</td><td>{{ i.is_up | yes_no }}</td><td class="num">{{ i.speed_mbps | number("Mb/s", 0) }}</td><td>{{ i.addresses | map(attribute="address") | join(", ") }}</td><td>{{ i.mac or "" }}</td><td>{{ [i.ssid and "Wi-Fi " ~ i.ssid, i.vendor, i.tethering_hint] | select | join("; ") }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endif %}
"""

SPEC = ProbeSpec(
    name="interfaces",
    title="Network interfaces",
    field="interfaces",
    function="readiness.probes.interfaces:probe_interfaces",
    order=10,
    needs=(),
    view_title="Interfaces",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(),
    redact=(("ssid", ("*", "ssid")),),
)
