"""The permission matrix again, on PostgreSQL: a throwaway server for the run, and the
matrix in a child pytest (Django's database is chosen once per process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .web.postgres import Postgres, binaries

pytestmark = pytest.mark.skipif(binaries() is None, reason="Debian's postgresql (make test)")


@pytest.fixture(scope="module")
def server():
    found = Postgres()
    yield found
    found.stop()


def test_the_permission_matrix_on_postgresql(server):
    matrix = Path(__file__).with_name("test_web_permissions.py")
    env = {**os.environ, "DATABASE_URL": server.url}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            "-q",
            str(matrix),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=matrix.parent.parent,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
