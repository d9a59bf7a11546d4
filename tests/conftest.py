"""Fixtures shared across test modules."""

from __future__ import annotations

import pytest

from beautycity.scheme.load import load_scheme

from .builders import ADJUSTMENTS
from .minischeme import MINI_SCHEME


@pytest.fixture(scope="session")
def mini(tmp_path_factory):
    """The mini scheme with a proportional deduction and a counted bonus."""
    path = tmp_path_factory.mktemp("scheme") / "mini.yaml"
    path.write_text(MINI_SCHEME + ADJUSTMENTS, encoding="utf-8")
    return load_scheme(path)
