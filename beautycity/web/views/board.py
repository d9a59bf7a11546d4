"""The evaluators' pages: the status board of a year, each unit's uploads, scoring and
rendering as background jobs, the preview of a run, publication, the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...texts import texts
from .. import jobs, roles
from ..audit import record
from ..intake import current
from ..io_files import manifest_sha
from ..models import AuditEntry, Job, Year
from ..webtexts import Bi, say
from ..year import context, doc_of, status
from .common import deadline_text, open_year, year_or_404


@roles.allow("evaluator")
def board(request, year: int | None = None):
    found = year_or_404(year) if year else open_year() or Year.objects.order_by("-year").first()
    if found is None:
        raise Http404
    state = status(found)
    last = {}
    for u in found.uploads.all():  # newest first
        last.setdefault(u.unit, u)
    names = texts("status")["state"]
    rows = [
        {
            "unit": u,
            "state_text": Bi(names[u.state]["zh"], names[u.state]["en"]),
            "last": last.get(u.id),
            "late": say("board.late") if _late(found, last.get(u.id)) else None,
        }
        for u in state.units
    ]
    job_list = list(found.jobs.all()[:10])
    words = texts("web")["jobs"]
    for j in job_list:
        j.kind_text = Bi(**words["kinds"][j.kind])
        j.state_text = Bi(**words["states"][j.state])
    return render(
        request,
        "web/board.html",
        {
            "year": found,
            "title": say("board.title", year=found.year),
            "deadline": deadline_text(state.deadline, state.days_left),
            "years": Year.objects.order_by("-year"),
            "state": state,
            "rows": rows,
            "jobs": job_list,
            "scored": next((j for j in job_list if j.kind == "score" and j.state == "done"), None),
            "summary": say(
                "status.summary",
                group="status",
                units=len(state.units),
                **{
                    s: state.count(s)
                    for s in ("valid", "invalid", "missing", "duplicate", "wrong_year")
                },
            ),
        },
    )


def _late(year: Year, last) -> bool:
    """The unit's last upload came after the deadline (or none came, and it has passed)."""
    if year.deadline is None or year.published:
        return False
    if last is None:
        return timezone.localdate() > year.deadline
    return timezone.localdate(last.uploaded_at) > year.deadline


@roles.allow("evaluator")
def unit_detail(request, year: int, unit: str):
    found = year_or_404(year)
    ctx = context()
    if unit not in ctx.roster:
        raise Http404
    return render(
        request,
        "web/unit_detail.html",
        {
            "year": found,
            "unit": ctx.roster[unit],
            "uploads": found.uploads.filter(unit=unit),
            "accepted": current(found, unit),
        },
    )


def _open(year: int) -> Year:
    found = year_or_404(year)
    if found.published:
        raise Http404  # a published year is frozen
    return found


@require_POST
@roles.allow("evaluator")
def score(request, year: int):
    found = _open(year)
    with transaction.atomic():
        job = jobs.start(found, "score", request.user, partial=bool(request.POST.get("partial")))
    messages.info(request, say("jobs.queued", id=job.id))
    return redirect("web:board_year", year=year)


@require_POST
@roles.allow("evaluator")
def render_reports(request, year: int):
    found = _open(year)
    source = get_object_or_404(
        Job, id=request.POST.get("source"), year=found, kind="score", state="done"
    )
    cities = [c for c in request.POST.getlist("city") if c in context().roster]
    with transaction.atomic():
        job = jobs.start(found, "render", request.user, source=source, cities=cities)
    messages.info(request, say("jobs.queued", id=job.id))
    return redirect("web:board_year", year=year)


@require_POST
@roles.allow("evaluator")
def publish(request, year: int):
    found = _open(year)
    # The run the board showed (and the evaluator previewed), never one finished since.
    scored = found.jobs.filter(kind="score", state="done", id=request.POST.get("source")).first()
    if scored is None:
        messages.error(request, say("publish.no_run"))
        return redirect("web:board_year", year=year)
    done = found.jobs.filter(kind="render", state="done", source=scored)
    rendered = done.filter(cities=[]).first() or done.first()  # every unit's reports first
    with transaction.atomic():
        found.scored, found.rendered = scored, rendered
        found.published_at, found.published_by = timezone.now(), request.user.username
        found.save()
        record(
            request.user,
            "publish",
            str(year),
            manifest_sha(scored),
            scored=scored.id,
            rendered=rendered.id if rendered else None,
        )
    messages.success(request, say("publish.done", year=year))
    return redirect("web:dashboard_year", year=year)


@roles.allow("evaluator")
def job(request, job_id: int):
    j = get_object_or_404(Job, id=job_id)
    state = texts("web")["jobs"]["states"][j.state]
    return JsonResponse(
        {
            "id": j.id,
            "kind": j.kind,
            "state": j.state,
            "state_text": f"{state['zh']} {state['en']}",
            "done": j.done,
            "total": j.total,
            "problems": j.problems,
        }
    )


@roles.allow("evaluator")
def preview(request, job_id: int):
    j = get_object_or_404(Job, id=job_id, kind="score", state="done")
    from .results import ranking_context

    return render(
        request,
        "web/preview.html",
        {
            "job": j,
            "title": say("dashboard.preview", id=j.id),
            **ranking_context(doc_of(j), j.year),
        },
    )


@roles.allow("evaluator")
def audit(request):
    page = Paginator(AuditEntry.objects.all(), 100).get_page(request.GET.get("page"))
    return render(request, "web/audit.html", {"page": page})


@roles.allow("evaluator")
def scheme(request):
    s = context().scheme
    dims = [
        {"dim": d, "indicators": [i for i in s.indicators if i.dimension == d.id]}
        for d in s.dimensions
    ]
    return render(request, "web/scheme.html", {"scheme": s, "dims": dims})
