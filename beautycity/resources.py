"""Where the data folders are: inside an installed wheel, or at the top of a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
WORKSPACE_CONFIG = "beautycity.toml"  # what makes a folder a working folder (`workspace`)


def workspace_root(start: Path) -> Path | None:
    """The folder at or above `start` holding a working-folder config, or None; plain path
    checks, so that a command run outside any working folder loads nothing more."""
    here = start.resolve()
    return next((f for f in (here, *here.parents) if (f / WORKSPACE_CONFIG).is_file()), None)


@cache
def data_dir(name: str) -> Path:
    """The folder `name` (indicators, cities, templates) that ships with this copy of beautycity."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"beautycity data folder {name!r} not found beside {_PACKAGE}")


def default_scheme_path() -> Path:
    return data_dir("indicators") / "jilin-2027.yaml"


def default_cities_dir() -> Path:
    return data_dir("cities")


def county_scheme_path() -> Path:
    """The county-level scheme (美丽县城), beside the prefecture-level one."""
    return data_dir("indicators") / "jilin-county-2027.yaml"


def county_cities_dir() -> Path:
    """The county-level units: a subfolder of `cities/`, which the prefecture roster (the
    top level of `cities/` only) does not read."""
    return data_dir("cities") / "county"
