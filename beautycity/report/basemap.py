"""The base map and the units on it, as the plain data `charts.choropleth` takes."""

from __future__ import annotations

import json
from typing import Any

from ..cities import Roster
from ..resources import data_dir
from .charts import MapUnit

MAP_FILE = ("assets", "jilin-map.json")


def load_map_data() -> dict[str, Any]:
    """The base map built by scripts/build_map.py: projected rings per adcode, projection
    parameters and the attribution to print."""
    path = data_dir("templates").joinpath(*MAP_FILE)
    return json.loads(path.read_text(encoding="utf-8"))


def map_units(roster: Roster) -> tuple[MapUnit, ...]:
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
