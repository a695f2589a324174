# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The gateways and routes probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts
from readiness.probes.spec import EndpointDoc, ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.gateways is None:
        return None
    if not f.gateways:
        return Text("no default gateway: this machine has no route out", style="yellow")
    t = Text()
    for g in f.gateways:
        t.append(("★ " if g.preferred else "  ") + g.address, style="bold")
        t.append(f" via {g.interface or '?'}")
        if g.metric is not None:
            t.append(f" metric {g.metric}")
        if g.reachable is not None:
            t.append(
                "  answers" if g.reachable else "  does not answer", style="green" if g.reachable else "red"
            )
        if g.rtt_ms is not None:
            t.append(f" {g.rtt_ms:.1f} ms")
        if g.vendor:
            t.append(f"  {g.vendor}", style="dim")
        t.append("\n")
    if len(f.gateways) > 1:
        t.append(f"{len(f.gateways)} default gateways seen\n", style="green")
    return t


REPORT = """\
### Gateways (routers)

{% if facts.gateways is none %}
{{ unknown_reason.gateways }}
{% elif not facts.gateways %}
None found: this machine has no default route.
{% else %}
| address | interface | metric | in use | reachable | round trip | vendor |
|---|---|---|---|---|---|---|
{% for g in facts.gateways %}
| {{ g.address | cell }} | {{ g.interface | cell }} | {{ g.metric if g.metric is not none else "" }} | {{ g.preferred | yes_no }} | {{ g.reachable | yes_no }} | {{ g.rtt_ms | number("ms") }} | {{ g.vendor | cell }} |
{% endfor %}
{% endif %}

"""

REPORT_HTML = """\
<h3>Gateways (routers)</h3>
{% if facts.gateways is none %}
<p>{{ unknown_reason.gateways }}</p>
{% elif not facts.gateways %}
<p>None found: this machine has no default route.</p>
{% else %}
<div class="table-wrap"><table>
<thead><tr><th scope="col">address</th><th scope="col">interface</th><th scope="col">metric</th><th scope="col">in use</th><th scope="col">reachable</th><th scope="col">round trip</th><th scope="col">vendor</th></tr></thead>
<tbody>
{% for g in facts.gateways %}
<tr><td>{{ g.address }}</td><td>{{ g.interface or "" }}</td><td class="num">{{ g.metric if g.metric is not none else "" }}</td><td>{{ g.preferred | yes_no }}</td><td>{{ g.reachable | yes_no }}</td><td class="num">{{ g.rtt_ms | number("ms") }}</td><td>{{ g.vendor or "" }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endif %}
"""

SPEC = ProbeSpec(
    name="gateways",
    title="Gateways and routes",
    field="gateways",
    function="readiness.probes.gateways:probe_gateways",
    order=20,
    needs=(),
    view_title="Gateways",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(
        EndpointDoc(
            "the default gateway(s)",
            "ICMP echo, or TCP connect when ICMP is not allowed",
            "is the router alive, round trip",
            "yes (local)",
        ),
    ),
    redact=(),
)
