# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The public address and provider probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts
from readiness.probes.spec import EndpointDoc, ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.wan is None:
        return None
    if not f.wan:
        return Text("no public address could be seen", style="yellow")
    t = Text()
    for w in f.wan:
        t.append(f"IPv{w.family} ", style="dim")
        t.append(w.public_ip or "unknown", style="bold")
        if w.asn:
            t.append(f"  AS{w.asn} {w.as_name or ''}")
        if w.access_hint.value != "unknown":
            t.append(f"  looks like {w.access_hint.value.replace('_', ' ')}")
        if w.cgnat:
            t.append("  carrier-grade NAT", style="yellow")
        if w.double_nat:
            t.append("  double NAT", style="yellow")
        if w.disagreement:
            t.append(f"  ({w.disagreement})", style="dim")
        t.append("\n")
    return t


REPORT = """\
### Internet lines as the internet sees them

{% if facts.wan is none %}
{{ unknown_reason.wan }}
{% elif not facts.wan %}
No public address could be seen.
{% else %}
| IP | public address | provider (AS) | prefix | access | CGNAT | double NAT | reverse name |
|---|---|---|---|---|---|---|---|
{% for w in facts.wan %}
| v{{ w.family }} | {{ w.public_ip | cell }} | {{ (("AS" ~ w.asn ~ (" " ~ w.as_name if w.as_name else "")) if w.asn else "unknown") | cell }} | {{ w.prefix | cell }} | {{ w.access_hint.value }} | {{ w.cgnat | yes_no }} | {{ w.double_nat | yes_no }} | {{ w.reverse_dns | cell }} |
{% endfor %}
{% for w in facts.wan if w.disagreement %}

Note (IPv{{ w.family }}): {{ w.disagreement }}
{% endfor %}
{% endif %}

"""

REPORT_HTML = """\
<h3>Internet lines as the internet sees them</h3>
{% if facts.wan is none %}
<p>{{ unknown_reason.wan }}</p>
{% elif not facts.wan %}
<p>No public address could be seen.</p>
{% else %}
<div class="table-wrap"><table>
<thead><tr><th scope="col">IP</th><th scope="col">public address</th><th scope="col">provider (AS)</th><th scope="col">prefix</th><th scope="col">access</th><th scope="col">CGNAT</th><th scope="col">double NAT</th><th scope="col">reverse name</th></tr></thead>
<tbody>
{% for w in facts.wan %}
<tr><td>v{{ w.family }}</td><td>{{ w.public_ip or "" }}</td><td>{{ ("AS" ~ w.asn ~ (" " ~ w.as_name if w.as_name else "")) if w.asn else "unknown" }}</td><td>{{ w.prefix or "" }}</td><td>{{ w.access_hint.value }}</td><td>{{ w.cgnat | yes_no }}</td><td>{{ w.double_nat | yes_no }}</td><td>{{ w.reverse_dns or "" }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% for w in facts.wan if w.disagreement %}
<p>Note (IPv{{ w.family }}): {{ w.disagreement }}</p>
{% endfor %}
{% endif %}
"""

SPEC = ProbeSpec(
    name="wan",
    title="Public address and provider",
    field="wan",
    function="readiness.probes.wan:probe_wan",
    order=40,
    needs=("gateways",),
    view_title="WAN and provider",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(
        EndpointDoc(
            "`resolver1.opendns.com` (`myip.opendns.com` A/AAAA), `ns1.google.com` (`o-o.myaddr.l.google.com` TXT)",
            "DNS",
            "the office's public address",
            "no",
        ),
        EndpointDoc(
            "`https://api.ipify.org`, `https://ifconfig.me/ip`",
            "HTTPS GET, body capped",
            "the public address, second opinion",
            "no",
        ),
        EndpointDoc(
            "`origin.asn.cymru.com`, `origin6.asn.cymru.com`, `asn.cymru.com` (Team Cymru)",
            "DNS TXT",
            "provider (AS number, name, prefix) of the public address and of upstream hops",
            "no",
        ),
        EndpointDoc(
            "reverse DNS of the public address",
            "DNS PTR",
            "access type hints (dsl, cable, fibre, mobile)",
            "no",
        ),
    ),
    redact=(("host", ("*", "reverse_dns")),),
)
