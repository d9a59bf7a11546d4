"""`beautycity serve --demo`: a fresh working folder with the embedded sample, loaded as the
cities would have sent it through the workspace (2023 and 2024 scored and published, 2025
open with no submissions), and the demo accounts."""

from __future__ import annotations

import io
import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..demo import sample_workbook
from ..sample_data import load_sample
from .audit import record
from .intake import Sent, receive
from .io_files import manifest_sha
from .jobs import run_job, start
from .models import Profile, Year
from .server import DEMO_YEAR as OPEN_YEAR
from .year import context

PASSWORD = "demo"


def deadline(year: int) -> date:
    return date(year + 1, 3, 31)


def accounts() -> list[tuple[str, str, str]]:
    """(user name, role, unit) of every demo account."""
    units = [u.id for u in context().roster]
    return [
        ("evaluator", "evaluator", ""),
        ("leader", "leader", ""),
        *((u, "officer", u) for u in units),
    ]


def seed(render: bool = True) -> None:
    """Accounts, the sample years uploaded, scored and published, the open year; the reports
    of the published years are queued for the worker when `render`."""
    users = {}
    for name, role, unit in accounts():
        user = get_user_model().objects.create_user(
            name, password=PASSWORD, is_staff=role == "evaluator", is_superuser=role == "evaluator"
        )
        Profile.objects.create(user=user, role=role, unit=unit)
        users[name] = user
    sample = load_sample(level="prefecture")
    for year in sample.years:
        found = Year.objects.create(year=year, deadline=deadline(year))
        _upload_sample(sample, found, users)
        with transaction.atomic():
            job = start(found, "score", users["evaluator"], queue=False)
        run_job.call(job.id)  # now, not in the worker: the next year is scored against it
        job.refresh_from_db()
        assert job.state == "done", job.problems
        found.scored, found.published_at, found.published_by = job, timezone.now(), "evaluator"
        found.save()
        record(
            users["evaluator"],
            "publish",
            str(year),
            manifest_sha(job),
        )
    # The open year's deadline a month ahead, so that the demo shows days left, not overdue.
    Year.objects.create(year=OPEN_YEAR, deadline=timezone.localdate() + timedelta(days=30))
    if render:
        for found in Year.objects.filter(published_at__isnull=False):
            with transaction.atomic():
                job = start(found, "render", users["evaluator"], source=found.scored)
            Year.objects.filter(id=found.id).update(rendered=job)


def _upload_sample(sample, year: Year, users) -> None:
    """Each unit's workbook for `year`, filled in with the sample and uploaded by its officer."""
    ctx = context()
    with tempfile.TemporaryDirectory() as tmp:
        for uid in sorted(sample.units):
            filled = sample_workbook(
                sample, ctx.scheme, ctx.roster[uid], year.year, Path(tmp) / "blank", Path(tmp)
            )
            data = filled.read_bytes()
            shown, _ = receive(
                [Sent(filled.name, io.BytesIO(data), len(data))], ctx, year, users[uid], uid
            )
            assert shown["valid"], shown
