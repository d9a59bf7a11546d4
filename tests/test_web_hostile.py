"""The hostile corpus sent through the API of a live server gets the refusals `validate`
gives, while another client keeps reading the dashboard: the server stays responsive."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest

from beautycity.submission.read import read_submissions

from .fixtures_workbook import Filled, roster, scheme
from .hostile import CASES, write_all
from .web.workspace import Live

# Per-read bound on the dashboard while the corpus is read: generous, for slow CI machines
# (the hostile corpus has per-case bounds of its own in test_hostile.py).
READ_SECONDS = 10


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = Live(tmp_path_factory.mktemp("live") / "ws")
    yield server
    server.stop()


def _key(live, user: str) -> str:
    """An API key, issued in the workspace's own database."""
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model;"
        "from beautycity.web.models import ApiToken;"
        f"print(ApiToken.issue(get_user_model().objects.get(username='{user}')))"
    )
    env = {
        "BEAUTYCITY_WORKSPACE": str(live.folder),
        "DJANGO_SETTINGS_MODULE": "beautycity.web.settings",
    }
    import os

    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip().splitlines()[-1]


def _post(url: str, key: str, path) -> dict:
    boundary = "bc-hostile-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return json.load(r)
    except urllib.error.HTTPError as exc:  # 422: the problems
        return json.load(exc)


# Not marked slow, which would run it first, beside the timed hostile cases of
# test_hostile.py: the two on two cores would make those bounds flaky.
def test_hostile_uploads_get_validates_refusals_and_the_server_stays_up(live, tmp_path):
    corpus = write_all(tmp_path / "corpus", Filled(tmp_path))
    key, reader = _key(live, "evaluator"), _key(live, "leader")
    reads: list[float] = []
    done = threading.Event()

    def read_dashboard() -> None:
        while not done.is_set():
            start = time.monotonic()
            request = urllib.request.Request(
                live.url + "/api/v1/results/2024", headers={"Authorization": f"Bearer {reader}"}
            )
            with urllib.request.urlopen(request, timeout=60) as r:
                assert r.status == 200 and json.load(r)["year"] == 2024
            reads.append(time.monotonic() - start)
            time.sleep(0.2)

    other = threading.Thread(target=read_dashboard)
    other.start()
    try:
        answers = {
            name: _post(live.url + "/api/v1/submissions", key, path)
            for name, path in corpus.items()
        }
    finally:
        done.set()
        other.join()
    expected = read_submissions(list(corpus.values()), scheme(), roster(), expect_year=2025)
    by_name = {f.file.rsplit("/", 1)[-1]: f for f in expected.files}
    for case in CASES:
        got = answers[case.name]["files"][0]
        want = by_name[f"{case.name}.xlsx"]
        assert [p["code"] for p in got["problems"] if p["severity"] == "error"] == [
            p.code for p in want.problems if p.severity.value == "error"
        ], case.name
    assert reads and max(reads) < READ_SECONDS
    with urllib.request.urlopen(live.url + "/login/", timeout=10) as r:
        assert r.status == 200


def test_a_request_over_the_limit_is_refused_before_it_is_read(live):
    import socket

    with socket.create_connection(("127.0.0.1", live.port), timeout=30) as s:
        s.sendall(
            b"POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Length: 999999999999\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            b"\r\n--x"
        )
        assert s.recv(100).startswith(b"HTTP/1.1 413")
