"""The JSON API for scripts, authenticated by `Authorization: Bearer KEY` (a key from the
account page). The same rules as the pages: an officer sends and reads their unit only.

POST /api/v1/submissions     the workbooks (multipart, field `files`); answers the JSON of
                             `validate --format json` (201; 422 when any file has errors)
GET  /api/v1/status          the open year's status (as `status --format json`)
GET  /api/v1/results/<year>  a published year's ranking (as `score --format json`)
GET  /api/v1/reports/<year>  the published reports, each with its download address
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import roles
from .intake import Sent, receive
from .io_files import report_file
from .models import ApiToken, Year, digest
from .views.common import open_year
from .year import context, doc_of, status


def token_auth(*allowed: str) -> Callable:
    """The key is checked once per request; the view runs as its user. No session, no
    cookie: so no CSRF either (a key is never sent by a browser on its own)."""

    def wrap(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def check(request: Any, *args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            key = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
            found = (
                ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
                if key
                else None
            )
            if found is None or not found.user.is_active:
                return JsonResponse({"error": "unauthorised"}, status=401)
            request.user = found.user
            if roles.role(found.user) not in allowed:
                return JsonResponse({"error": "forbidden"}, status=403)
            return view(request, *args, **kwargs)

        check.roles = allowed  # type: ignore[attr-defined]
        return check

    return wrap


@require_POST
@token_auth("officer", "evaluator")
def submissions(request):
    year = open_year()
    if year is None:
        return JsonResponse({"error": "no year is open for submissions"}, status=409)
    files = request.FILES.getlist("files")
    if not files:
        return JsonResponse({"error": "no files (multipart field 'files')"}, status=400)
    shown, _ = receive(
        [Sent(f.name, f, f.size) for f in files],
        context(),
        year,
        request.user,
        roles.unit(request.user),
    )
    return JsonResponse(
        shown, status=201 if shown["valid"] else 422, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@token_auth("officer", "evaluator")
def status_view(request):
    year = open_year()
    if year is None:
        raise Http404
    found = status(year).model_dump(mode="json")
    mine = roles.unit(request.user)
    if mine:  # an officer: their own unit only
        found["units"] = [u for u in found["units"] if u["id"] == mine]
        found["files"] = [f for f in found["files"] if f["city"] == mine]
        found["skipped"], found["batch"] = [], []
    found.pop("folder", None)  # the server's own paths are no business of a script's
    found["files"] = [{**f, "file": Path(f["file"]).name} for f in found["files"]]
    found["units"] = [{**u, "files": [Path(x).name for x in u["files"]]} for u in found["units"]]
    return JsonResponse(found, json_dumps_params={"ensure_ascii": False})


def _published(year: int) -> Year:
    found = Year.objects.filter(year=year, published_at__isnull=False).first()
    if found is None:
        raise Http404
    return found


@require_GET
@token_auth("officer", "evaluator", "leader")
def results(request, year: int):
    from ..pipeline import Ranking

    found = _published(year)
    ranking = Ranking.of(doc_of(found.scored), only=roles.unit(request.user))
    return JsonResponse(ranking.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False})


@require_GET
@token_auth("officer", "evaluator", "leader")
def reports(request, year: int):
    found = _published(year)
    mine = roles.unit(request.user)
    names = sorted(p.name for p in _files(found) if p.suffix == ".pdf")
    if mine:
        names = [n for n in names if n == f"{mine}-{year}.pdf"]
    return JsonResponse(
        {
            "year": year,
            "reports": [
                {"name": n, "url": reverse("web:api_report", args=[year, n])} for n in names
            ],
        }
    )


@require_GET
@token_auth("officer", "evaluator", "leader")
def report(request, year: int, name: str):
    found = _published(year)
    mine = roles.unit(request.user)
    if mine and name != f"{mine}-{year}.pdf":
        return JsonResponse({"error": "forbidden"}, status=403)
    path = report_file(found.rendered, name)
    if path is None or path.suffix != ".pdf":
        raise Http404
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=name)


def _files(found: Year) -> list:
    if found.rendered is None:
        return []
    return sorted(Path(found.rendered.folder).iterdir())
