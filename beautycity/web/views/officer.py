"""A city officer's pages: the deadline, the template, uploads with their problems at once,
the upload history; an evaluator opens the same upload pages for any unit."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ...workbook.build import template_name, write_template
from .. import roles
from ..intake import Sent, blob, current, receive
from ..models import Upload
from ..webtexts import say
from ..year import context, days_left
from .common import deadline_text, open_year, problem_rows, published_years


@roles.allow("officer")
def home(request):
    unit_id = roles.unit(request.user)
    ctx = context()
    unit = ctx.roster[unit_id]
    year = open_year()
    uploads = list(year.uploads.filter(unit=unit_id)) if year else []
    return render(
        request,
        "web/officer.html",
        {
            "unit": unit,
            "year": year,
            "days_left": days_left(year) if year else None,
            "deadline": deadline_text(year.deadline, days_left(year)) if year else None,
            "uploads": uploads,
            "accepted": current(year, unit_id) if year else None,
            "published": published_years(),
            "limit": say("officer.limit", mb=settings.UPLOAD_LIMIT // 2**20),
        },
    )


@roles.allow("officer")
def template(request):
    unit_id, year = roles.unit(request.user), open_year()
    if year is None:
        raise Http404
    ctx = context()
    unit = ctx.roster[unit_id]
    name = template_name(unit, year.year)
    with tempfile.TemporaryDirectory(dir=settings.STATE) as tmp:
        deadline = year.deadline.isoformat() if year.deadline else None
        path = write_template(Path(tmp) / name, ctx.scheme, unit, year.year, deadline=deadline)
        data = path.read_bytes()
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = _attachment(name)
    return response


@require_POST
@roles.allow("officer")
def upload(request):
    unit_id, year = roles.unit(request.user), open_year()
    files = request.FILES.getlist("files")
    if year is None or not files:
        return redirect("web:officer")
    shown, uploads = receive(
        [Sent(f.name, f, f.size) for f in files], context(), year, request.user, unit_id
    )
    return render(
        request,
        "web/upload_result.html",
        {
            "year": year,
            "valid": shown["valid"],
            "files": [
                {"upload": u, "entry": e, "rows": problem_rows(e)}
                for u, e in zip(uploads, shown["files"], strict=True)
            ],
            "batch": problem_rows({"problems": shown["batch"]}),
            "accepted": current(year, unit_id),
            "summary": say("upload.summary", n=len(uploads), valid=sum(u.valid for u in uploads)),
        },
    )


def _mine(request, upload_id: int) -> Upload:
    up = get_object_or_404(Upload, id=upload_id)
    if not roles.may_see_unit(request.user, up.unit, published=False):
        raise PermissionDenied
    return up


@roles.allow("officer", "evaluator")
def upload_detail(request, upload_id: int):
    up = _mine(request, upload_id)
    return render(
        request,
        "web/upload_detail.html",
        {"upload": up, "rows": problem_rows(up.report), "accepted": current(up.year, up.unit)},
    )


@roles.allow("officer", "evaluator")
def upload_file(request, upload_id: int):
    up = _mine(request, upload_id)
    if not up.sha256:
        raise Http404
    return FileResponse(blob(up.sha256).open("rb"), as_attachment=True, filename=Path(up.name).name)


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"
