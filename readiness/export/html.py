"""The printable report: one self-contained HTML file, rendered from an Audit alone.

The same view model as the Markdown (readiness.export.markdown.build_context), the same two
parts, plus pictures (readiness.export.charts). Everything is inline: the stylesheet, the
SVG charts; no script, font, image or style is fetched, so the file can be mailed and
opened offline. Jinja's autoescape is on: every value from the audit is escaped, and only
the charts, built and escaped in charts.py, come in as Markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from readiness.catalogue import Catalogue, default_catalogue
from readiness.export import charts
from readiness.export.formats import Part
from readiness.export.markdown import build_context, shared_filters
from readiness.model import Audit
from readiness.paths import reports_dir
from readiness.probes.registry import specs
from readiness.watch.summary import chart_points

TEMPLATE = "report.html.j2"


def chart_context(audit: Audit, catalogue: Catalogue) -> dict[str, object]:
    """The pictures, as Markup; ``drill_charts`` lines up with ``audit.drills``."""
    score = audit.score
    bands = [charts.Band(lv.name, lv.min_score) for lv in catalogue.levels]
    required = audit.need.required_level if audit.need is not None else None
    need = next((b for b in bands if required and b.name.casefold() == required.casefold()), None)
    return {
        "readiness_chart": charts.readiness_chart(
            score.overall, score.uncapped, score.level, bands, need=need
        )
        if score
        else None,
        "cost_chart": _cost_chart(audit),
        "category_chart": charts.category_chart(score.categories) if score and score.categories else None,
        "drill_charts": [charts.drill_chart(d, f"drill-{i}") for i, d in enumerate(audit.drills)],
        "history_chart": _history_chart(audit),
    }


def _history_chart(audit: Audit) -> Markup | None:
    """The watcher's last 30 days, when the audit was given a history (--history)."""
    if audit.history is None:
        return None

    return charts.history_chart(chart_points(audit.history))


def _cost_chart(audit: Audit) -> Markup | None:
    """The plan's cost against the outages it saves, when there is a plan that advises
    something; else the backup line's cost against the outages, as the cost model has them."""
    if audit.cost is None:
        return None
    if audit.plan is not None:
        chart = charts.plan_cost_chart(audit.cost, audit.plan)
        if chart is not None:
            return chart
    return charts.cost_chart(audit.cost)


def build_html_context(audit: Audit, catalogue: Catalogue, part: Part = Part.ALL) -> dict[str, object]:
    """The Markdown's view model plus the pictures and each probe's HTML section."""
    context = build_context(audit, catalogue, part)
    context.update(chart_context(audit, catalogue))
    context["probe_sections_html"] = [f"probes/{s.name}.html.j2" for s in specs() if s.report_html]
    return context


@cache
def _environment(folder: Path) -> Environment:
    env = Environment(
        # A section file in the folder wins over the spec's own (a customised report); the
        # names end in .html.j2, so the specs' sections are autoescaped like the files.
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(folder)),
                DictLoader({f"probes/{s.name}.html.j2": s.report_html for s in specs() if s.report_html}),
            ]
        ),
        autoescape=select_autoescape(["html.j2", "html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(shared_filters())
    return env


def css(folder: Path | None = None) -> Markup:
    """The stylesheet, inlined: a report that fetched its style would look broken offline."""
    return Markup((folder or reports_dir()).joinpath("report.css").read_text())


def render_html(
    audit: Audit, catalogue: Catalogue | None = None, templates: Path | None = None, part: Part = Part.ALL
) -> str:
    """The HTML report of ``audit``: the owner's page, the technician's annex, or both."""
    if catalogue is None:
        catalogue = default_catalogue()
    folder = templates or reports_dir()
    template = _environment(folder).get_template(TEMPLATE)
    return template.render(css=css(folder), **build_html_context(audit, catalogue, part))
