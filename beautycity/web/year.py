"""A year of the workspace as the library sees it: the scheme and units of the working folder,
the submissions folder the status board and scoring read, the status itself (the logic of
`beautycity status`), and the results and reports of its published run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from ..assessment.document import AssessmentDoc, read_doc
from ..cities import Roster, load_roster
from ..scheme.load import load_scheme
from ..scheme.model import Scheme
from ..submission.status import SubmissionStatus, submission_status


@dataclass(frozen=True)
class Context:
    scheme_file: Path
    cities: Path
    scheme: Scheme
    roster: Roster


@cache
def _context(scheme_file: Path, cities: Path, stamp: tuple[float, ...]) -> Context:
    scheme = load_scheme(scheme_file)
    return Context(scheme_file, cities, scheme, load_roster(cities, scheme))


def context() -> Context:
    """The working folder's scheme and units, read again when a file of them changed."""
    ws = settings.WORKSPACE
    scheme_file, cities = ws.path("scheme"), ws.path("cities")
    stamp = (
        scheme_file.stat().st_mtime,
        *(p.stat().st_mtime for p in sorted(cities.glob("*.yaml"))),
    )
    return _context(scheme_file, cities, stamp)


def submissions_folder(year: int) -> Path:
    """The year's current workbooks, one folder per unit (see `intake.place_current`)."""
    return settings.WORKSPACE.path("submissions") / str(year)


def status(year: Any, today: date | None = None) -> SubmissionStatus:
    """The status of `year` (a `Year`), as `beautycity status` reports it."""
    ctx = context()
    folder = submissions_folder(year.year)
    folder.mkdir(parents=True, exist_ok=True)
    return submission_status(
        folder,
        ctx.scheme,
        ctx.roster,
        year=year.year,
        deadline=year.deadline,
        today=today or timezone.localdate(),
    )


def days_left(year: Any, today: date | None = None) -> int | None:
    if year.deadline is None:
        return None
    return (year.deadline - (today or timezone.localdate())).days


def results_folder(year: int, job_id: int) -> Path:
    return settings.WORKSPACE.path("results") / str(year) / f"run-{job_id}"


def reports_folder(year: int, job_id: int) -> Path:
    return settings.WORKSPACE.path("reports") / str(year) / f"run-{job_id}"


def doc_of(job: Any) -> AssessmentDoc:
    """The assessment a finished scoring job wrote."""
    return _doc(Path(job.folder) / "assessment.json")


@cache
def _doc(file: Path) -> AssessmentDoc:
    # A results folder is written once and never changed: read it once per process.
    return read_doc(file)
