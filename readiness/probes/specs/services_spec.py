# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The cloud services probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts
from readiness.probes.spec import EndpointDoc, ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def _yes(v: bool | None, yes: str = "yes", no: str = "no") -> str:
    return "?" if v is None else (yes if v else no)


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.services is None:
        return None
    if not f.services:
        return Text("no cloud service detected or declared")
    t = Text()
    for s in f.services:
        t.append(f"{s.name:<22}", style="bold")
        t.append(f" {s.category:<12}")
        reach = _yes(s.reachable, "reachable", "unreachable")
        t.append(f" {reach}", style={"reachable": "green", "unreachable": "red"}.get(reach, "dim"))
        if s.latency_ms is not None:
            t.append(f" {s.latency_ms:.0f} ms")
        if s.error:
            t.append(f" ({s.error})", style="dim")
        t.append("\n")
    return t


REPORT = """\
### Cloud services: what stops when the internet stops

{% if facts.services is none %}
{{ unknown_reason.services }}
{% elif not facts.services %}
No cloud service from the catalogue was detected or declared.
{% else %}
| service | kind | found by | reachable now | what stops without internet |
|---|---|---|---|---|
{% for s in facts.services %}
| {{ s.name | cell }} | {{ s.category | cell }} | {{ s.detected_by | join(", ") | cell }} | {{ s.reachable | yes_no }} | {{ service_stops.get(s.id, "") | cell }} |
{% endfor %}
{% endif %}

"""

REPORT_HTML = """\
<h3>Cloud services: what stops when the internet stops</h3>
{% if facts.services is none %}
<p>{{ unknown_reason.services }}</p>
{% elif not facts.services %}
<p>No cloud service from the catalogue was detected or declared.</p>
{% else %}
<div class="table-wrap"><table>
<thead><tr><th scope="col">service</th><th scope="col">kind</th><th scope="col">found by</th><th scope="col">reachable now</th><th scope="col">what stops without internet</th></tr></thead>
<tbody>
{% for s in facts.services %}
<tr><td>{{ s.name }}</td><td>{{ s.category }}</td><td>{{ s.detected_by | join(", ") }}</td><td>{{ s.reachable | yes_no }}</td><td>{{ service_stops.get(s.id, "") }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endif %}
"""

SPEC = ProbeSpec(
    name="services",
    title="Cloud services",
    field="services",
    function="readiness.probes.services:probe_services",
    order=70,
    needs=(),
    view_title="Cloud services",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(
        EndpointDoc(
            "the host names of cloud services that are detected or declared",
            "DNS + one HTTPS request each",
            "is the service reachable, latency",
            "no (detection only)",
        ),
    ),
    redact=(),
)
