"""Map labels placed with a grid of taken boxes and only the markers that can reach a polygon
come out exactly as checking every box and every marker does."""

from __future__ import annotations

import random

import pytest

from beautycity.cities import load_roster
from beautycity.report import charts
from beautycity.report.basemap import find_map, map_units, read_map
from beautycity.report.charts import maplabels
from beautycity.report.charts.map import MapUnit


@pytest.fixture(scope="module")
def map_data():
    return read_map(find_map("jilin-map.json"))


def everything(monkeypatch) -> None:
    """The placement as it was: every taken box and every marker checked."""
    monkeypatch.setattr(
        maplabels.Taken,
        "overlaps",
        lambda self, box: any(maplabels._overlap(box, other) for other in self),
    )
    monkeypatch.setattr(maplabels, "_reaching", lambda rings, marks, aspect: list(marks))


def crowded(n: int) -> tuple[dict[str, float], list[MapUnit]]:
    """The eleven Jilin units and `n` county points scattered over the province (seeded)."""
    rng = random.Random(19)
    units = list(map_units(load_roster()))
    units += [
        MapUnit(
            id=f"c{i}",
            short=(f"县{i}", f"C{i}"),
            name=(f"第{i}县", f"County {i}"),
            point=(rng.uniform(121.7, 131.2), rng.uniform(41.0, 46.2)),
        )
        for i in range(n)
    ]
    return {u.id: rng.uniform(55, 95) for u in units}, units


@pytest.mark.parametrize("n", [0, 150])
def test_same_map_as_checking_everything(map_data, monkeypatch, n):
    values, units = crowded(n)
    fast = charts.choropleth(values, units, map_data)
    with monkeypatch.context() as m:
        everything(m)
        slow = charts.choropleth(values, units, map_data)
    assert fast == slow


def test_the_grid_finds_overlaps_across_cells():
    taken = maplabels.Taken()
    taken += [(0.0, 0.0, 100.0, 5.0), (-30.0, -30.0, -20.0, -20.0)]
    assert taken.overlaps((95.0, 1.0, 96.0, 2.0))  # far cell of a wide box
    assert taken.overlaps((-25.0, -25.0, -24.0, -24.0))  # negative coordinates
    assert not taken.overlaps((0.0, 6.0, 100.0, 7.0))
    assert len(taken) == 2
