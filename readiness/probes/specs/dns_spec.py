# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The DNS resolvers probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts
from readiness.probes.spec import EndpointDoc, ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.resolvers is None:
        return None
    if not f.resolvers:
        return Text("no DNS resolver configured", style="yellow")
    t = Text()
    for r in f.resolvers:
        t.append(f"{r.address:<16}", style="bold")
        t.append(f" {r.role.value.replace('_', ' '):<13}")
        if r.reachable is not None:
            t.append(" answers" if r.reachable else " no answer", style="green" if r.reachable else "red")
        if r.latency_ms is not None:
            t.append(f" {r.latency_ms:.0f} ms")
        if r.error:
            t.append(f" ({r.error})", style="dim")
        t.append("\n")
    return t


REPORT = """\
### DNS resolvers

{% if facts.resolvers is none %}
{{ unknown_reason.resolvers }}
{% elif not facts.resolvers %}
None configured.
{% else %}
| address | configured in | role | answers | latency | error |
|---|---|---|---|---|---|
{% for r in facts.resolvers %}
| {{ r.address | cell }} | {{ r.source | cell }} | {{ r.role.value }} | {{ r.reachable | yes_no }} | {{ r.latency_ms | number("ms") }} | {{ r.error | cell }} |
{% endfor %}
{% endif %}

"""

REPORT_HTML = """\
<h3>DNS resolvers</h3>
{% if facts.resolvers is none %}
<p>{{ unknown_reason.resolvers }}</p>
{% elif not facts.resolvers %}
<p>None configured.</p>
{% else %}
<div class="table-wrap"><table>
<thead><tr><th scope="col">address</th><th scope="col">configured in</th><th scope="col">role</th><th scope="col">answers</th><th scope="col">latency</th><th scope="col">error</th></tr></thead>
<tbody>
{% for r in facts.resolvers %}
<tr><td>{{ r.address }}</td><td>{{ r.source or "" }}</td><td>{{ r.role.value }}</td><td>{{ r.reachable | yes_no }}</td><td class="num">{{ r.latency_ms | number("ms") }}</td><td>{{ r.error or "" }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endif %}
"""

SPEC = ProbeSpec(
    name="dns",
    title="DNS resolvers",
    field="resolvers",
    function="readiness.probes.dns:probe_dns",
    order=30,
    needs=("interfaces", "gateways"),
    view_title="DNS",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(
        EndpointDoc(
            "the resolvers in `/etc/resolv.conf` (systemd-resolved's upstreams)",
            "DNS query for `www.example.com`",
            "does name resolution work, latency",
            "local resolvers only, and only a TCP connect to port 53: no question is sent, since a router's forwarder would pass it upstream",
        ),
    ),
    redact=(),
)
