"""Scoring and rendering a year as background jobs of the task queue (django-tasks with its
database backend; `beautycity serve` starts the worker). A job calls what `score` and
`report` call, with the same arguments, and tells its progress in its `Job` row."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ..io.atomic import sha256_file
from ..problems import BeautycityError, make_problem
from .audit import record
from .models import Job, Year
from .year import context, doc_of, reports_folder, results_folder, submissions_folder


def start(year: Year, kind: str, user: Any, *, queue: bool = True, **fields: Any) -> Job:
    """Queue a job; the worker picks it up once the request's transaction is committed.
    Without `queue`, the caller runs it (the demo's set-up)."""
    job = Job.objects.create(year=year, kind=kind, created_by=user.username, **fields)
    record(
        user, f"{kind}_queued", f"{year.year} job {job.id}", partial=job.partial, cities=job.cities
    )
    if queue:
        transaction.on_commit(lambda: run_job.enqueue(job.id))
    return job


@task()
def run_job(job_id: int) -> None:
    job = Job.objects.select_related("year", "source").get(id=job_id)
    Job.objects.filter(id=job.id).update(state="running")
    try:
        sha = (_score if job.kind == "score" else _render)(job)
    except BeautycityError as exc:
        _finish(job, "failed", problems=[p.model_dump(mode="json") for p in exc.problems])
        record("-", f"{job.kind}_failed", f"{job.year.year} job {job.id}", errors=len(exc.errors))
        return
    except Exception as exc:  # told in the page, never lost in a log
        problem = make_problem("run.internal-error", kind=type(exc).__name__, detail=exc)
        _finish(job, "failed", problems=[problem.model_dump(mode="json")])
        record("-", f"{job.kind}_failed", f"{job.year.year} job {job.id}", error=type(exc).__name__)
        return
    _finish(job, "done")
    job.refresh_from_db()
    record("-", f"{job.kind}_done", f"{job.year.year} job {job.id}", sha, folder=job.folder)


def interrupted() -> int:
    """Jobs a worker left running when it died (or the server with it) marked failed, saying
    so, so that the board shows what to run again; how many there were."""
    problem = make_problem("server.job-interrupted").model_dump(mode="json")
    left = list(Job.objects.filter(state="running"))
    for job in left:
        _finish(job, "failed", problems=[problem])
        record("-", f"{job.kind}_failed", f"{job.year.year} job {job.id}", error="interrupted")
    return len(left)


def _finish(job: Job, state: str, **fields: Any) -> None:
    Job.objects.filter(id=job.id).update(state=state, finished_at=timezone.now(), **fields)


def _tell(job: Job, done: int, total: int) -> None:
    Job.objects.filter(id=job.id).update(done=done, total=total)


def _score(job: Job) -> str:
    """As `beautycity score SUBMISSIONS -o RESULTS --year Y [--previous P] [--partial]`; the
    manifest's SHA-256."""
    from ..pipeline import score_submissions

    ctx, year = context(), job.year.year
    out = results_folder(year, job.id)
    _tell(job, 0, 2)
    last = Year.objects.filter(year=year - 1, published_at__isnull=False).first()
    score_submissions(
        [submissions_folder(year)],
        out,
        scheme_path=ctx.scheme_file,
        cities_dir=ctx.cities,
        previous=last.scored.folder if last and last.scored else None,
        validated=lambda _report: _tell(job, 1, 2),
        year=year,
        partial=job.partial,
    )
    Job.objects.filter(id=job.id).update(folder=str(out), done=2)
    return sha256_file(out / "manifest.json")


def _render(job: Job) -> str:
    """As `beautycity report RESULTS -o REPORTS [--city …]`; the SHA-256 of the list of files."""
    from ..report.render import planned, render_reports

    ctx, source = context(), job.source
    assert source is not None and source.state == "done"
    doc = doc_of(source)
    cities = tuple(job.cities) or None
    total = len(planned(doc, cities))
    out = reports_folder(job.year.year, job.id)
    count = iter(range(1, total + 1))
    _tell(job, 0, total)
    written = render_reports(
        doc,
        out,
        scheme=ctx.scheme,
        roster=ctx.roster,
        cities=cities,
        progress=lambda _name: _tell(job, next(count), total),
        jobs=1,  # one process: the web server and the uploads keep the other core
        scheme_file=ctx.scheme_file,
    )
    Job.objects.filter(id=job.id).update(folder=str(out))
    listing = {w.path.name: sha256_file(Path(w.path)) for w in written}
    return hashlib.sha256(json.dumps(listing, sort_keys=True).encode()).hexdigest()
