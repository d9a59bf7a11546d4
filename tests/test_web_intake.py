"""Uploads through the API and the pages: the same JSON as `validate --format json`, every
upload kept by its SHA-256, the latest valid one counting; the audit trail append-only; the
published run's manifest the one `score` writes for the same workbooks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from beautycity.cli import main

from .fixtures_workbook import fill, layout_for, roster, scheme, template
from .web.workspace import in_process


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = in_process()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from beautycity.web.models import ApiToken

    user = get_user_model().objects.get(username="changchun")
    key = ApiToken.issue(user)
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    files = tmp_path_factory.mktemp("sent")
    (files / "blank").mkdir()
    blank = template(files / "blank", roster()["changchun"])
    layout = layout_for("changchun")
    good = fill(blank, files / "changchun-2025.xlsx", layout)
    bad = fill(blank, files / "changchun-2025 (2).xlsx", layout, {layout.items[0].id: "约35"})
    return folder, api, good, bad


def _send(api, *paths: Path):
    handles = [p.open("rb") for p in paths]
    try:
        return api.post("/api/v1/submissions", {"files": handles})
    finally:
        for h in handles:
            h.close()


def _validate(*paths: Path, city: str = "changchun", year: int = 2025) -> dict:
    cwd = os.getcwd()
    os.chdir(paths[0].parent)  # the files named as they were sent
    try:
        run = CliRunner().invoke(
            main,
            [
                "validate",
                *(p.name for p in paths),
                "--city",
                city,
                "--year",
                str(year),
                "--format",
                "json",
            ],
        )
    finally:
        os.chdir(cwd)
    return json.loads(run.output)


def test_the_api_answers_what_validate_prints(site):
    _, api, good, bad = site
    response = _send(api, bad, good)
    assert response.status_code == 422
    assert response.json() == _validate(bad, good)
    cells = [p["location"]["cell"] for f in response.json()["files"] for p in f["problems"]]
    assert layout_for("changchun").items[0].ref("value") in cells


def test_every_upload_is_kept_and_the_latest_valid_counts(site):
    from beautycity.web.intake import blob, current
    from beautycity.web.models import Upload, Year

    _, api, good, bad = site
    year = Year.objects.get(year=2025)
    assert _send(api, good).status_code == 201
    assert _send(api, bad).status_code == 422  # a later invalid upload replaces nothing
    ups = Upload.objects.filter(year=year, unit="changchun")
    shas = {u.sha256 for u in ups}
    assert len(shas) == 2 and ups.count() >= 3
    for sha in shas:
        assert blob(sha).read_bytes() in (good.read_bytes(), bad.read_bytes())
    accepted = current(year, "changchun")
    assert accepted.valid and blob(accepted.sha256).read_bytes() == good.read_bytes()
    folder = Path(os.environ["BEAUTYCITY_WORKSPACE"]) / "submissions" / "2025" / "changchun"
    assert [p.read_bytes() for p in folder.iterdir()] == [good.read_bytes()]


def test_a_workbook_sent_under_a_name_a_search_skips_is_laid_where_scoring_reads_it(site):
    from beautycity.problems import Problems
    from beautycity.submission.read import discover

    _, api, good, _ = site
    odd = good.with_name("~$.changchun 2025.xlsx")
    odd.write_bytes(good.read_bytes())
    try:
        assert _send(api, odd).status_code == 201
    finally:
        odd.unlink()
    folder = Path(os.environ["BEAUTYCITY_WORKSPACE"]) / "submissions" / "2025" / "changchun"
    assert [p.name for p in discover([folder], Problems())] == ["changchun 2025.xlsx"]
    assert [p.name for p in folder.iterdir()] == ["changchun 2025.xlsx"]


def test_an_officer_of_no_unit_reaches_nothing(site):
    """An officer saved in the admin with the unit left blank is no evaluator by accident."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from beautycity.web.models import ApiToken, Profile

    user = get_user_model().objects.create_user("nobody", password="demo")
    Profile.objects.create(user=user, role="officer", unit="")
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")
    assert api.get("/api/v1/status").status_code == 403
    page = Client(HTTP_HOST="localhost")
    page.force_login(user)
    assert page.get("/unit/").status_code == 403
    user.delete()


def test_an_officer_cannot_send_another_units_workbook(site, tmp_path):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from beautycity.web.models import ApiToken

    # Jilin City's officer, with nothing sent yet, sends Songyuan's (valid) workbook.
    key = ApiToken.issue(get_user_model().objects.get(username="jilin"))
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    other = fill(
        template(tmp_path, roster()["songyuan"]),
        tmp_path / "songyuan-2025.xlsx",
        layout_for("songyuan"),
    )
    response = _send(api, other)
    assert response.status_code == 422
    assert response.json() == _validate(other, city="jilin")
    # Kept in Jilin's history, counted for nobody: the board's folders never hold it.
    submissions = Path(os.environ["BEAUTYCITY_WORKSPACE"]) / "submissions" / "2025"
    assert other.read_bytes() not in [p.read_bytes() for p in submissions.rglob("*.xlsx")]


def test_the_audit_trail_is_append_only(site):
    from beautycity.web.models import AuditEntry

    entry = AuditEntry.objects.filter(action="upload").first()
    assert entry is not None and len(entry.sha256) == 64
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(user="x")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "upload",
        "validation",
        "score_queued",
        "score_done",
        "publish",
        "account_created",
    } <= actions


def test_the_published_manifest_is_the_one_score_writes(site, tmp_path):
    from beautycity.web.models import Year

    folder, *_ = site
    published = Year.objects.get(year=2024)
    previous = Year.objects.get(year=2023).scored.folder
    out = tmp_path / "results"
    run = CliRunner().invoke(
        main,
        [
            "--workspace",
            str(folder),
            "score",
            str(folder / "submissions" / "2024"),
            "-o",
            str(out),
            "--year",
            "2024",
            "--previous",
            previous,
        ],
    )
    assert run.exit_code == 0, run.output
    ours = Path(published.scored.folder)
    assert (out / "manifest.json").read_bytes() == (ours / "manifest.json").read_bytes()
    assert sorted(p.name for p in (out / "submissions").iterdir()) == sorted(
        p.name for p in (ours / "submissions").iterdir()
    )


def test_the_demo_refuses_other_addresses(tmp_path):
    from beautycity.problems import BeautycityError
    from beautycity.web.server import prepare

    with pytest.raises(BeautycityError) as found:
        prepare(tmp_path, "0.0.0.0", dev=False, demo=True)
    assert found.value.problems[0].code == "server.demo-not-loopback"


def test_pages_carry_the_security_headers(site):
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_scheme_and_units_are_the_workspaces(site):
    from beautycity.web.year import context

    assert context().scheme.id == scheme().id


def test_the_migrations_are_up_to_date(site):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits 1 on drift


def test_five_wrong_passwords_lock_the_account(site):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from beautycity.web.models import AuditEntry

    get_user_model().objects.create_user("locked-out", password="right")
    client = Client(HTTP_HOST="localhost")
    for _ in range(5):
        client.post("/login/", {"username": "locked-out", "password": "wrong"})
    response = client.post("/login/", {"username": "locked-out", "password": "right"})
    assert response.status_code in (403, 429)  # axes' lockout, not a session
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login_failed", what="locked-out").count() >= 5


def test_a_job_its_worker_left_running_is_told_as_interrupted(site):
    from beautycity.web.jobs import interrupted
    from beautycity.web.models import Job, Year

    year = Year.objects.order_by("-year").first()
    job = Job.objects.create(year=year, kind="score", state="running", created_by="evaluator")
    done = Job.objects.create(year=year, kind="score", state="done", created_by="evaluator")
    assert interrupted() == 1
    job.refresh_from_db()
    done.refresh_from_db()
    assert job.state == "failed" and job.finished_at is not None
    assert [p["code"] for p in job.problems] == ["server.job-interrupted"]
    assert done.state == "done"
    done.delete()
    job.delete()
