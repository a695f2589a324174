# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The power and ups probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts
from readiness.probes.spec import EndpointDoc, ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.power is None:
        return None
    t = Text()
    if not f.power.ups:
        t.append("no UPS answered", style="yellow")
        if f.power.hosts_tried:
            t.append(f" (asked {', '.join(f.power.hosts_tried)})", style="dim")
        t.append("\n")
    for u in f.power.ups:
        t.append(f"{u.manufacturer or ''} {u.model or u.name or 'UPS'}".strip(), style="bold")
        t.append(f" on {u.host or 'this machine'} ({u.source.value})")
        if u.status:
            t.append(f"  {' '.join(u.status)}", style="red" if u.on_battery else "green")
        if u.charge_pct is not None:
            t.append(f"  {u.charge_pct:.0f}%")
        if u.runtime_s is not None:
            t.append(f"  {u.runtime_s / 60:.0f} min left")
        t.append("\n")
    if f.power.local_battery and f.power.local_battery.percent is not None:
        t.append(f"this computer's battery {f.power.local_battery.percent:.0f}%\n", style="dim")
    return t


REPORT = """\
### Power (UPS)

{% if facts.power is none %}
{{ unknown_reason.power }}
{% else %}
{% if not facts.power.ups %}
No UPS answered{% if facts.power.hosts_tried %} (asked: {{ facts.power.hosts_tried | join(", ") }}){% endif %}.
{% else %}
| source | host | name | model | status | charge | runtime | load |
|---|---|---|---|---|---|---|---|
{% for u in facts.power.ups %}
| {{ u.source.value }} | {{ u.host | cell }} | {{ u.name | cell }} | {{ [u.manufacturer, u.model] | select | join(" ") | cell }} | {{ u.status | join(" ") | cell }} | {{ u.charge_pct | number("%") }} | {{ ((u.runtime_s / 60) if u.runtime_s is not none else none) | number("min") }} | {{ u.load_pct | number("%") }} |
{% endfor %}
{% endif %}
{% if facts.power.local_battery %}

This computer's own battery ({{ facts.power.local_battery.percent | number("%") }}, plugged in: {{ facts.power.local_battery.plugged | yes_no }}) keeps no router alive.
{% endif %}
{% endif %}

"""

REPORT_HTML = """\
<h3>Power (UPS)</h3>
{% if facts.power is none %}
<p>{{ unknown_reason.power }}</p>
{% else %}
{% if not facts.power.ups %}
<p>No UPS answered{% if facts.power.hosts_tried %} (asked: {{ facts.power.hosts_tried | join(", ") }}){% endif %}.</p>
{% else %}
<div class="table-wrap"><table>
<thead><tr><th scope="col">source</th><th scope="col">host</th><th scope="col">name</th><th scope="col">model</th><th scope="col">status</th><th scope="col">charge</th><th scope="col">runtime</th><th scope="col">load</th></tr></thead>
<tbody>
{% for u in facts.power.ups %}
<tr><td>{{ u.source.value }}</td><td>{{ u.host or "" }}</td><td>{{ u.name or "" }}</td><td>{{ [u.manufacturer, u.model] | select | join(" ") }}</td><td>{{ u.status | join(" ") }}</td><td class="num">{{ u.charge_pct | number("%") }}</td><td class="num">{{ ((u.runtime_s / 60) if u.runtime_s is not none else none) | number("min") }}</td><td class="num">{{ u.load_pct | number("%") }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endif %}
{% if facts.power.local_battery %}
<p>This computer's own battery ({{ facts.power.local_battery.percent | number("%") }}, plugged in: {{ facts.power.local_battery.plugged | yes_no }}) keeps no router alive.</p>
{% endif %}
{% endif %}
"""

SPEC = ProbeSpec(
    name="power",
    title="Power and UPS",
    field="power",
    function="readiness.probes.power:probe_power",
    order=60,
    needs=("gateways",),
    view_title="UPS and power",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(
        EndpointDoc(
            "NUT `upsd` on 127.0.0.1, the gateway and configured hosts (TCP 3493)",
            "NUT",
            "UPS status, charge, runtime",
            "yes (local)",
        ),
        EndpointDoc(
            "apcupsd on 127.0.0.1, the gateway and configured hosts (TCP 3551)",
            "NIS",
            "UPS status",
            "yes (local)",
        ),
    ),
    redact=(("host", ("ups", "*", "host")), ("host", ("hosts_tried", "*"))),
)
