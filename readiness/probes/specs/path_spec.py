# ruff: noqa: E501 (the report section is a Markdown table template: one row, one line)
"""The path and line quality probe's spec (see readiness/probes/spec.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.model import Facts
from readiness.probes.spec import EndpointDoc, ProbeSpec

if TYPE_CHECKING:
    from rich.text import Text


def view(f: Facts) -> Text | None:
    # late: rich.text adds 13 ms to a headless report
    from rich.text import Text

    if f.path is None:
        return None
    t = Text()
    if f.path.hops:
        hops = len(f.path.hops)
        t.append(f"{hops} {'hop' if hops == 1 else 'hops'} to {f.path.target or '?'}\n")
    for q in f.path.quality:
        t.append(f"{q.target:<16}", style="bold")
        avg = f"{q.avg_ms:.1f} ms" if q.avg_ms is not None else "no reply"
        jitter = f" jitter {q.jitter_ms:.1f} ms" if q.jitter_ms is not None else ""
        t.append(f" {q.method} {avg}{jitter} loss {q.loss_pct:.0f}%\n")
    return t if t.plain else Text("nothing measured")


REPORT = """\
### Path quality

{% if facts.path is none %}
{{ unknown_reason.path }}
{% else %}
{% if facts.path.target %}Path traced to {{ facts.path.target }}: {{ facts.path.hops | length }} hops.{% endif %}

{% if facts.path.quality %}
| anchor | method | sent | received | loss | average | jitter |
|---|---|---|---|---|---|---|
{% for q in facts.path.quality %}
| {{ q.target | cell }} | {{ q.method }} | {{ q.sent }} | {{ q.received }} | {{ q.loss_pct | number("%") }} | {{ q.avg_ms | number("ms") }} | {{ q.jitter_ms | number("ms") }} |
{% endfor %}
{% endif %}
{% endif %}

"""

REPORT_HTML = """\
<h3>Path quality</h3>
{% if facts.path is none %}
<p>{{ unknown_reason.path }}</p>
{% else %}
{% if facts.path.target %}<p>Path traced to {{ facts.path.target }}: {{ facts.path.hops | length }} hops.</p>{% endif %}
{% if facts.path.quality %}
<div class="table-wrap"><table>
<thead><tr><th scope="col">anchor</th><th scope="col">method</th><th scope="col">sent</th><th scope="col">received</th><th scope="col">loss</th><th scope="col">average</th><th scope="col">jitter</th></tr></thead>
<tbody>
{% for q in facts.path.quality %}
<tr><td>{{ q.target }}</td><td>{{ q.method }}</td><td class="num">{{ q.sent }}</td><td class="num">{{ q.received }}</td><td class="num">{{ q.loss_pct | number("%") }}</td><td class="num">{{ q.avg_ms | number("ms") }}</td><td class="num">{{ q.jitter_ms | number("ms") }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endif %}
{% endif %}
"""

SPEC = ProbeSpec(
    name="path",
    title="Path and line quality",
    field="path",
    function="readiness.probes.path:probe_path",
    order=50,
    needs=(),
    view_title="Path quality",
    view=view,
    report=REPORT,
    report_html=REPORT_HTML,
    endpoints=(
        EndpointDoc(
            "`1.1.1.1`, `8.8.8.8`, `9.9.9.9` (anchors), `1.1.1.1:443`, `8.8.8.8:443`",
            "ICMP echo / TCP connect",
            "latency, jitter, loss; the drill's probes",
            "no",
        ),
        EndpointDoc(
            "the first hops toward the first anchor",
            "UDP with TTL (IP_RECVERR, no root)",
            "the upstream path and shared hops",
            "no",
        ),
    ),
    redact=(),
)
