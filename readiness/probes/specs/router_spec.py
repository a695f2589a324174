# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The router probe's spec (see readiness/probes/spec.py): the worked example of a probe
added through the registry (readiness/probes/router.py does the asking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts, WanState
from readiness.probes.spec import EndpointDoc, ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text

_STATE_STYLE = {WanState.UP: "green", WanState.DOWN: "red", WanState.UNKNOWN: "dim"}


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.router is None:
        return None
    if not f.router:
        return Text("no router to ask: no IPv4 default gateway")
    t = Text()
    for r in f.router:
        ident = r.identity
        if not r.answered:
            t.append(f"{r.gateway} ", style="bold")
            t.append("did not answer\n", style="dim")
            continue
        t.append(" ".join(x for x in (ident.manufacturer, ident.model) if x) or "router", style="bold")
        t.append(f" at {r.gateway}")
        if ident.firmware:
            t.append(f"  firmware {ident.firmware}", style="dim")
        if ident.uptime_s is not None:
            t.append(f"  up {ident.uptime_s / 86400:.1f} days", style="dim")
        t.append(f"  ({', '.join(s.value.upper() for s in r.answered)})\n", style="dim")
        if not r.wan_lines:
            t.append("  no internet line seen on the router\n", style="yellow")
        for line in r.wan_lines:
            t.append(f"  {line.interface:<12}", style="bold")
            t.append(f" {line.kind.value:<9} ")
            t.append(f"{line.state.value:<5}", style=_STATE_STYLE[line.state])
            if line.addresses:
                t.append(" " + ", ".join(line.addresses))
            if line.speed_mbps:
                t.append(f"  {line.speed_mbps:g} Mb/s", style="dim")
            t.append("\n")
        lines = len(r.wan_lines)
        if lines > 1:
            t.append(f"  {lines} internet lines on this router\n", style="green")
    return t


REPORT = """\
### The router, as it describes itself

{% if facts.router is none %}
{{ unknown_reason.router }}
{% elif not facts.router %}
No router was asked: this machine has no IPv4 default gateway.
{% else %}
{% for r in facts.router %}
{% if not r.answered %}
The router at {{ r.gateway }} did not answer ({{ r.tried | join("; ") }}).
{% else %}
Router at {{ r.gateway }}: {{ [r.identity.manufacturer, r.identity.model] | select | join(" ") or "make and model not given" }}{% if r.identity.firmware %}, firmware {{ r.identity.firmware }}{% endif %}{% if r.identity.serial %}, serial {{ r.identity.serial }}{% endif %}{% if r.identity.uptime_s is not none %}, up {% if r.identity.uptime_s < 86400 %}{{ (r.identity.uptime_s / 3600) | number("hours") }}{% else %}{{ (r.identity.uptime_s / 86400) | number("days") }}{% endif %}{% endif %}. Asked over {{ r.answered | map(attribute="value") | map("upper") | join(", ") }}{% if r.credential %} ({{ r.credential }} worked){% endif %}.

{% if r.wan_lines %}
| line | type | state | addresses | speed | default route | why it counts as a line | seen by |
|---|---|---|---|---|---|---|---|
{% for w in r.wan_lines %}
| {{ w.interface | cell }} | {{ w.kind.value }} | {{ w.state.value }} | {{ w.addresses | join(", ") | cell }} | {{ w.speed_mbps | number("Mb/s", 0) }} | {{ w.default_route | yes_no }} | {{ w.why | cell }} | {{ w.seen_by | map(attribute="value") | map("upper") | join(", ") }} |
{% endfor %}
{% else %}
The router showed no internet line.
{% endif %}
{% if r.tried %}

Not answered: {{ r.tried | join("; ") | cell }}.
{% endif %}
{% endif %}

{% endfor %}
{% endif %}

"""

REPORT_HTML = """\
<h3>The router, as it describes itself</h3>
{% if facts.router is none %}
<p>{{ unknown_reason.router }}</p>
{% elif not facts.router %}
<p>No router was asked: this machine has no IPv4 default gateway.</p>
{% else %}
{% for r in facts.router %}
{% if not r.answered %}
<p>The router at {{ r.gateway }} did not answer ({{ r.tried | join("; ") }}).</p>
{% else %}
<p>Router at {{ r.gateway }}: {{ [r.identity.manufacturer, r.identity.model] | select | join(" ") or "make and model not given" }}{% if r.identity.firmware %}, firmware {{ r.identity.firmware }}{% endif %}{% if r.identity.serial %}, serial {{ r.identity.serial }}{% endif %}{% if r.identity.uptime_s is not none %}, up {% if r.identity.uptime_s < 86400 %}{{ (r.identity.uptime_s / 3600) | number("hours") }}{% else %}{{ (r.identity.uptime_s / 86400) | number("days") }}{% endif %}{% endif %}. Asked over {{ r.answered | map(attribute="value") | map("upper") | join(", ") }}{% if r.credential %} ({{ r.credential }} worked){% endif %}.</p>
{% if r.wan_lines %}
<div class="table-wrap"><table>
<caption>Internet lines the router at {{ r.gateway }} shows</caption>
<thead><tr><th scope="col">line</th><th scope="col">type</th><th scope="col">state</th><th scope="col">addresses</th><th scope="col">speed</th><th scope="col">default route</th><th scope="col">why it counts as a line</th><th scope="col">seen by</th></tr></thead>
<tbody>
{% for w in r.wan_lines %}
<tr><td>{{ w.interface }}</td><td>{{ w.kind.value }}</td><td>{{ w.state.value }}</td><td>{{ w.addresses | join(", ") }}</td><td class="num">{{ w.speed_mbps | number("Mb/s", 0) }}</td><td>{{ w.default_route | yes_no }}</td><td>{{ w.why }}</td><td>{{ w.seen_by | map(attribute="value") | map("upper") | join(", ") }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% else %}
<p>The router showed no internet line.</p>
{% endif %}
{% if r.tried %}
<p>Not answered: {{ r.tried | join("; ") }}.</p>
{% endif %}
{% endif %}
{% endfor %}
{% endif %}
"""

SPEC = ProbeSpec(
    name="router",
    title="The router's own view",
    field="router",
    function="readiness.probes.router:probe_router",
    order=25,
    needs=("gateways",),
    view_title="Router",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(
        EndpointDoc(
            "the default gateway(s) only (UDP 1900, then HTTP on the address it gives)",
            "UPnP IGD: one unicast SSDP search, the device description, three read-only SOAP queries",
            "the router's make, model, WAN type, link and connection state, external address",
            "yes (local)",
        ),
        EndpointDoc(
            "the default gateway(s) only (UDP 161)",
            "SNMP v3 / v2c GET and GETBULK, read-only, credentials from the config (`public` by default)",
            "the router's identity, interfaces, addresses and default routes",
            "yes (local)",
        ),
        EndpointDoc(
            "the default gateway(s) only (TCP 49000), only when the config gives a TR-064 password",
            "TR-064 (FRITZ!Box)",
            "access type, online state, mobile fallback",
            "yes (local)",
        ),
    ),
    redact=(
        ("serial", ("*", "identity", "serial")),
        ("host", ("*", "identity", "name")),
        ("id", ("*", "identity", "object_id")),
    ),
)
