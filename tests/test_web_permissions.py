"""The permission matrix: every page and API address, as each role and as another unit's
officer (healthchecks' alice/bob/charlie: can Songyuan's officer see Changchun's things?).
Runs on SQLite here and on PostgreSQL through `test_web_postgres.py`."""

from __future__ import annotations

import os

import pytest

from .web.workspace import in_process

ROLES = ("anonymous", "changchun", "songyuan", "evaluator", "leader")
OK, DENY, LOGIN = "ok", "deny", "login"


def _all(**given: str) -> dict[str, str]:
    """Officers, evaluator and leader as given; the anonymous user goes to the login page."""
    return {"anonymous": LOGIN, **given}


PAGES = {
    # name: (method, args, expected by role)
    "home": ("get", [], _all(changchun=OK, songyuan=OK, evaluator=OK, leader=OK)),
    "login": ("get", [], dict.fromkeys(ROLES, OK)),
    "logout": ("post", [], dict.fromkeys(ROLES, LOGIN)),  # signed out, to the login page
    "no_role": ("get", [], dict.fromkeys(ROLES, DENY)),
    "token": ("get", [], _all(changchun=OK, songyuan=OK, evaluator=OK, leader=OK)),
    "new_token": ("post", [], _all(changchun=OK, songyuan=OK, evaluator=OK, leader=OK)),
    "officer": ("get", [], _all(changchun=OK, songyuan=OK, evaluator=DENY, leader=DENY)),
    "template": ("get", [], _all(changchun=OK, songyuan=OK, evaluator=DENY, leader=DENY)),
    "upload": ("post", [], _all(changchun=OK, songyuan=OK, evaluator=DENY, leader=DENY)),
    "upload_detail": (
        "get",
        ["{upload}"],
        _all(changchun=OK, songyuan=DENY, evaluator=OK, leader=DENY),
    ),
    "upload_file": (
        "get",
        ["{upload}"],
        _all(changchun=OK, songyuan=DENY, evaluator=OK, leader=DENY),
    ),
    "board": ("get", [], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "board_year": ("get", [2024], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "unit_detail": (
        "get",
        [2025, "changchun"],
        _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY),
    ),
    "score": ("post", [2025], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "render": ("post", [2025], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "publish": ("post", [2025], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "job": ("get", ["{job}"], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "preview": ("get", ["{job}"], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "audit": ("get", [], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "scheme": ("get", [], _all(changchun=DENY, songyuan=DENY, evaluator=OK, leader=DENY)),
    "dashboard": ("get", [], _all(changchun=OK, songyuan=OK, evaluator=OK, leader=OK)),
    "dashboard_year": ("get", [2024], _all(changchun=OK, songyuan=OK, evaluator=OK, leader=OK)),
    "unit_page": (
        "get",
        [2024, "changchun"],
        _all(changchun=OK, songyuan=DENY, evaluator=OK, leader=OK),
    ),
    # Reports are rendered by the worker, which this test does not run: 404 for everyone
    # allowed, 403 for another unit's officer.
    "report_pdf": (
        "get",
        [2024, "changchun-2024.pdf"],
        _all(changchun=OK, songyuan=DENY, evaluator=OK, leader=OK),
    ),
}
# The API answers 401 without a key, never a login page.
API = {
    "api_submissions": (
        "post",
        [],
        dict(anonymous=DENY, changchun=OK, songyuan=OK, evaluator=OK, leader=DENY),
    ),
    "api_status": (
        "get",
        [],
        dict(anonymous=DENY, changchun=OK, songyuan=OK, evaluator=OK, leader=DENY),
    ),
    "api_results": (
        "get",
        [2024],
        dict(anonymous=DENY, changchun=OK, songyuan=OK, evaluator=OK, leader=OK),
    ),
    "api_reports": (
        "get",
        [2024],
        dict(anonymous=DENY, changchun=OK, songyuan=OK, evaluator=OK, leader=OK),
    ),
    "api_report": (
        "get",
        [2024, "changchun-2024.pdf"],
        dict(anonymous=DENY, changchun=OK, songyuan=DENY, evaluator=OK, leader=OK),
    ),
}
# Unpublished years are nobody's but the evaluators' (the open year has no results at all).
UNPUBLISHED = [
    ("dashboard_year", [2025]),
    ("unit_page", [2025, "changchun"]),
    ("report_pdf", [2025, "changchun-2025.pdf"]),
]


@pytest.fixture(scope="module")
def site():
    in_process()
    from django.contrib.auth import get_user_model

    from beautycity.web.models import ApiToken, Job, Upload

    users = {name: get_user_model().objects.get(username=name) for name in ROLES[1:]}
    ids = {
        "upload": Upload.objects.filter(unit="changchun").first().id,
        "job": Job.objects.filter(kind="score", state="done").first().id,
    }
    keys = {name: ApiToken.issue(user) for name, user in users.items()}
    return users, ids, keys


def _outcome(response) -> str:
    """401 and 403 refuse; a login page is where the signed-out go; anything else (a page, a
    redirect onwards, or 404 for what does not exist) let the role through."""
    if response.status_code in (401, 403):
        return DENY
    if response.status_code == 302 and "/login/" in response["Location"]:
        return LOGIN
    if response.status_code >= 500:
        raise AssertionError(f"server error {response.status_code}")
    return OK


def test_every_address_is_in_the_matrix(site):
    from beautycity.web.urls import pages

    assert {p.name for p in pages} == set(PAGES) | set(API)


def _client(role: str, users):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_pages(site, role):
    from django.urls import reverse

    users, ids, _ = site
    found = {}
    for name, (method, args, _expected) in PAGES.items():
        client = _client(role, users)  # a fresh session: `logout` must not end the others
        url = reverse(f"web:{name}", args=[str(a).format(**ids) for a in args])
        found[name] = _outcome(getattr(client, method)(url))
    assert found == {name: expected[role] for name, (_, _, expected) in PAGES.items()}


@pytest.mark.parametrize("role", ROLES)
def test_api(site, role):
    from django.test import Client
    from django.urls import reverse

    _, _, keys = site
    headers = {"HTTP_AUTHORIZATION": f"Bearer {keys[role]}"} if role in keys else {}
    found = {}
    for name, (method, args, _expected) in API.items():
        response = getattr(Client(HTTP_HOST="localhost"), method)(
            reverse(f"web:{name}", args=args), **headers
        )
        found[name] = _outcome(response)
    assert found == {name: expected[role] for name, (_, _, expected) in API.items()}


@pytest.mark.parametrize("role", ["changchun", "leader"])
def test_nothing_unpublished_is_shown(site, role):
    from django.urls import reverse

    users, _, _ = site
    for name, args in UNPUBLISHED:
        response = _client(role, users).get(reverse(f"web:{name}", args=args))
        assert response.status_code in (403, 404), name


def test_an_officer_sees_only_their_unit_in_the_api(site):
    from django.test import Client
    from django.urls import reverse

    _, _, keys = site
    headers = {"HTTP_AUTHORIZATION": f"Bearer {keys['songyuan']}"}
    status = Client(HTTP_HOST="localhost").get(reverse("web:api_status"), **headers).json()
    assert [u["id"] for u in status["units"]] == ["songyuan"]
    results = (
        Client(HTTP_HOST="localhost").get(reverse("web:api_results", args=[2024]), **headers).json()
    )
    assert [u["id"] for u in results["units"]] == ["songyuan"]


def test_the_database_is_the_one_configured(site):
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")


@pytest.mark.parametrize(
    ("role", "allowed"), [("evaluator", True), ("leader", False), ("changchun", False)]
)
def test_accounts_are_the_evaluators_in_the_admin(site, role, allowed):
    users, _, _ = site
    for path in ("/admin/", "/admin/auth/user/", "/admin/web/year/", "/admin/web/auditentry/"):
        response = _client(role, users).get(path)
        assert (response.status_code == 200) is allowed, path


def test_a_superuser_without_a_role_is_an_evaluator(site):
    from django.contrib.auth import get_user_model

    first = get_user_model().objects.create_superuser("first-evaluator", password="x")
    client = _client("first-evaluator", {"first-evaluator": first})
    assert client.get("/board/").status_code == 200
    plain = get_user_model().objects.create_user("no-role", password="x")
    response = _client("no-role", {"no-role": plain}).get("/", follow=True)
    assert response.status_code == 403
