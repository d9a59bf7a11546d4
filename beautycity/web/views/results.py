"""Published results: the province dashboard (ranking with grades and ties, map, grade
distribution, dimensions: the report's own charts), each unit's page with its trend across
the stored years, and the PDF downloads."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from ...report.basemap import load_map
from ...report.charts import bar_ranking
from ...report.formats import bi, chart_label, grade_name
from ...report.overview import overview
from .. import roles
from ..io_files import report_file
from ..models import Year
from ..webtexts import say
from ..year import context, doc_of
from .common import published_years, year_or_404


def ranking_context(doc, year: Year) -> dict:
    """The overview of the report for `doc`, as the dashboard and the preview show it."""
    view = _overview(doc, context())
    rows = [{"row": r, "id": u.id} for r, u in zip(view.ranking, doc.units, strict=True)]
    return {
        "view": view,
        "rows": rows,
        "doc": doc,
        "year": year,
        "tied": any(r.tied for r in view.ranking),
        "vetoed": any(r.veto for r in view.ranking),
    }


_VIEWS: dict[tuple[int, int], Any] = {}


def _overview(doc, ctx):
    # A run's results never change once written, and `doc_of` and `context` hand out the
    # same objects while their files stay: the charts are drawn once per process.
    key = (id(doc), id(ctx))
    if key not in _VIEWS:
        _VIEWS[key] = overview(doc, ctx.scheme, ctx.roster, load_map(ctx.scheme, ctx.scheme_file))
    return _VIEWS[key]


def _published(year: int) -> Year:
    found = year_or_404(year)
    if not found.published:
        raise Http404  # before publication, nobody but evaluators (in the preview) sees it
    return found


@roles.allow("leader", "evaluator", "officer")
def dashboard(request, year: int | None = None):
    years = published_years()
    if year is None:
        if not years:
            return render(request, "web/dashboard_empty.html", {})
        return redirect("web:dashboard_year", year=years[-1].year)
    found = _published(year)
    return render(
        request,
        "web/dashboard.html",
        {
            **ranking_context(doc_of(found.scored), found),
            "title": say("dashboard.title", year=year),
            "years": years,
            "overview_pdf": _name(report_file(found.rendered, f"overview-{year}.pdf")),
        },
    )


@roles.allow("leader", "evaluator", "officer")
def unit_page(request, year: int, unit: str):
    found = _published(year)
    if (
        not roles.may_see_unit(request.user, unit, published=True)
        and roles.role(request.user) != "officer"
    ):
        raise PermissionDenied
    if roles.role(request.user) == "officer" and roles.unit(request.user) != unit:
        raise PermissionDenied
    ctx = context()
    doc = doc_of(found.scored)
    result = next((u for u in doc.units if u.id == unit), None)
    if result is None:
        raise Http404
    trend = []
    for y in published_years():
        u = next((x for x in doc_of(y.scored).units if x.id == unit), None)
        if u is not None:
            trend.append((y, u))
    scheme = ctx.scheme
    return render(
        request,
        "web/unit_page.html",
        {
            "year": found,
            "title": say("unit_page.title", unit=(result.name.zh, result.name.en), year=year),
            "unit": result,
            "grade": grade_name(scheme, result.grade),
            "trend": trend,
            "trend_chart": bar_ranking(
                [
                    (str(y.year), u.total, grade_name(scheme, u.grade).line("bilingual"))
                    for y, u in trend
                ]
            ),
            "dimensions_chart": bar_ranking(
                [
                    (chart_label(bi(scheme.dimension[d.id].name), "bilingual"), d.score, "")
                    for d in result.dimensions
                ]
            ),
            "pdf": report_file(found.rendered, f"{unit}-{year}.pdf"),
        },
    )


@roles.allow("leader", "evaluator", "officer")
def report_pdf(request, year: int, name: str):
    found = _published(year)
    if roles.role(request.user) == "officer":
        mine = roles.unit(request.user)
        if name != f"{mine}-{year}.pdf":
            raise PermissionDenied
    path = report_file(found.rendered, name)
    if path is None or path.suffix != ".pdf":
        raise Http404
    return FileResponse(
        path.open("rb"), content_type="application/pdf", as_attachment=True, filename=name
    )


def _name(path) -> str | None:
    return path.name if path is not None else None
