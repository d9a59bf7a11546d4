"""The base map a scheme names (`report.map`), and the units on it, as the plain data
`charts.choropleth` takes.

A scheme without a map gets an overview without one. A map is looked up in the working folder
(the name as a path), then in the folder beside the scheme file, then in templates/assets/.
A unit the map can neither outline nor mark as a point is left off it; `unplaced` names such
units, and `map_problems` is what `scheme check` reports about a scheme's map.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..cities import Roster, Unit
from ..problems import BeautycityError, Location, Problem, make_problem
from ..resources import data_dir
from ..scheme.model import Scheme
from .charts import MapUnit
from .charts import unplaced as _unplaced

Ring = list[tuple[float, float]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="allow", strict=False)


class _Feature(_Strict):
    adcode: str
    rings: list[Ring]


class _Projection(_Strict):
    k: float
    lon0: float
    lat0: float
    x0: float
    y0: float


class _Side(_Strict):
    zh: str
    en: str


class _BaseMap(_Strict):
    """What `charts.choropleth` reads of a map built by scripts/build_map.py."""

    width: Annotated[float, Field(gt=0)]
    height: Annotated[float, Field(gt=0)]
    projection: _Projection
    attribution: _Side
    outline: list[Ring]
    features: list[_Feature]


def search_path(scheme_file: Path | str | None = None) -> list[Path]:
    """The folders a map name is looked up in, first match wins: the working folder, the
    scheme file's folder, templates/assets/."""
    folders = [Path.cwd()]
    if scheme_file is not None:
        folders.append(Path(scheme_file).resolve().parent)
    folders.append(data_dir("templates") / "assets")
    return list(dict.fromkeys(folders))


def find_map(name: str, scheme_file: Path | str | None = None) -> Path:
    """The file of the base map `name` (see `search_path`); a problem when none is found."""
    given = Path(name)
    candidates = [given] if given.is_absolute() else [f / given for f in search_path(scheme_file)]
    for path in candidates:
        if path.is_file():
            return path
    raise BeautycityError.single(
        "report.map-not-found",
        _where(scheme_file),
        name=name,
        searched=", ".join(str(p.parent) for p in candidates),
    )


def read_map(path: Path | str) -> dict[str, Any]:
    """A base map file as the dict the map chart takes; a problem when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        _BaseMap.model_validate(data)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = _reason(exc)
        raise BeautycityError.single(
            "report.bad-map", Location(file=str(path)), reason=reason
        ) from None
    return data


def load_map(scheme: Scheme, scheme_file: Path | str | None = None) -> dict[str, Any] | None:
    """The base map the scheme names, or None when it names none."""
    name = scheme.report.map
    return None if name is None else read_map(find_map(name, scheme_file))


def map_units(roster: Iterable[Unit]) -> tuple[MapUnit, ...]:
    """Every unit of the roster with what the map needs: names, polygon or point, parent."""
    return tuple(
        MapUnit(
            id=u.id,
            short=(u.short.zh, u.short.en),
            name=(u.name.zh, u.name.en),
            code=u.code,
            point=u.point,
            parent=u.parent,
        )
        for u in roster
    )


def unplaced(roster: Iterable[Unit], map_data: dict[str, Any] | None) -> list[str]:
    """The ids of the units the map can show neither as a polygon (their `code` is not on it)
    nor as a point (no `point` in their profile, or one outside the map): the overview leaves
    them off the map and names them under it. No map: none."""
    return [] if map_data is None else _unplaced(map_units(roster), map_data)


def map_problems(
    scheme: Scheme, roster: Roster, scheme_file: Path | str | None = None
) -> list[Problem]:
    """What is wrong with the scheme's map for this roster: a map that cannot be found or read
    (errors), and each unit that will be left off it (notes)."""
    try:
        data = load_map(scheme, scheme_file)
    except BeautycityError as exc:
        return list(exc.problems)
    return [
        make_problem(
            "report.unit-not-on-map",
            _where(scheme_file),
            unit=roster[uid].name.zh,
            unit_en=roster[uid].name.en,
            id=uid,
            map=scheme.report.map,
        )
        for uid in unplaced(roster, data)
    ]


_MAP_KEY = ".".join(("report", "map"))  # the scheme's key (joined: it is no problem code)


def _where(scheme_file: Path | str | None) -> Location:
    return Location(file=str(scheme_file) if scheme_file else None, path=_MAP_KEY)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(map(str, first['loc'])) or '-'}: {first['msg']}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
