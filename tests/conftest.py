"""Fixtures shared across test modules."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from beautycity.scheme.load import load_scheme

from .builders import ADJUSTMENTS
from .fixtures_assessment import fixture_docs
from .minischeme import MINI_SCHEME

ROOT = Path(__file__).resolve().parents[1]
_PROBE = "beautycity"


# Property tests draw the same examples on every run and machine: a result is reproducible.
settings.register_profile("beautycity", derandomize=True)
settings.load_profile("beautycity")


def pytest_configure(config: pytest.Config) -> None:
    # Registered here, not in pyproject.toml; `make test` runs them all the same.
    config.addinivalue_line(
        "markers", "slow: end-to-end test taking seconds (deselect with -m 'not slow')"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Slow tests first: the workers (`-n auto`, whole files each) take the long files while
    # the short ones fill in at the end, so both cores finish together.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def docs():
    """The fixture assessments: (2024 with trends, 2023)."""
    return fixture_docs()


@pytest.fixture(scope="session")
def mini(tmp_path_factory):
    """The mini scheme with a proportional deduction and a counted bonus."""
    path = tmp_path_factory.mktemp("scheme") / "mini.yaml"
    path.write_text(MINI_SCHEME + ADJUSTMENTS, encoding="utf-8")
    return load_scheme(path)


@pytest.fixture(scope="session")
def elsewhere() -> Callable[[str], bytes]:
    """Run Python code in a fresh interpreter and return what it writes to stdout.

    For determinism: a second call in this process would share its string-hash seed, its
    caches and its imported state, so a result depending on set or dict order, or on a
    leftover of the first call, would still come out the same. The other interpreter runs
    from the repository root (so `tests.…` imports) with another PYTHONHASHSEED, checked.
    """
    ours = os.environ.get("PYTHONHASHSEED", "")
    seed = (int(ours) + 1) % 2**32 if ours.isdigit() else 1

    def run(code: str) -> bytes:
        probe = f"import sys\nsys.stderr.write('hash=%d\\n' % hash({_PROBE!r}))\n"
        done = subprocess.run(
            [sys.executable, "-c", probe + code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            timeout=300,
        )
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 0, err
        theirs = err.partition("\n")[0]
        assert theirs.startswith("hash=") and theirs != f"hash={hash(_PROBE)}", theirs
        return done.stdout

    return run
