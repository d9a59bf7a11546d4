"""Synthetic but realistic benchmark inputs: N units spread over the five positionings.

Values come from a seeded generator around each indicator's target (70–120 % of it, within
the input range), as a city's would; units are named and coded like counties. Nothing here is
committed: the benchmark writes what it needs under `.bench/`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from beautycity.cities import Level, Roster, Unit
from beautycity.scheme.model import InputType, Scheme, Text


def roster(scheme: Scheme, n: int) -> Roster:
    """`n` units, positionings in turn, with six-digit codes like county codes."""
    positionings = [p.id for p in scheme.positionings]
    units = tuple(
        Unit(
            id=f"u{i:05d}",
            name=Text(zh=f"第{i}号县", en=f"County {i}"),
            short=Text(zh=f"县{i}", en=f"C{i}"),
            code=f"{220000 + i % 100000:06d}",
            level=Level.COUNTY,
            positioning=positionings[i % len(positionings)],
            statement=Text(
                zh="高标准建设美丽城市。", en="Build a beautiful city to a high standard."
            ),
        )
        for i in range(n)
    )
    return Roster(units=units)


def values(scheme: Scheme, units: Roster, year: int) -> dict[str, dict[str, float]]:
    """What each unit reports for `year`: every indicator of its positioning."""
    rng = np.random.default_rng(year)
    out: dict[str, dict[str, float]] = {}
    for unit in units:
        row: dict[str, float] = {}
        for ind in scheme.indicators:
            if not ind.applies_to(unit.positioning):
                continue
            if ind.input.type is InputType.YESNO:
                row[ind.id] = float(ind.direction.value == "higher")
                continue
            target = next(iter(ind.targets.values()))
            target = target[0] if isinstance(target, tuple) else target
            low = ind.input.min if ind.input.min is not None else -1e9
            high = ind.input.max if ind.input.max is not None else 1e9
            value = float(np.clip((target or 1.0) * rng.uniform(0.7, 1.2), low, high))
            row[ind.id] = round(value, ind.input.decimals)
        for adj in scheme.adjustments:
            if adj.basis == "count":
                row[adj.id] = float(rng.integers(0, 3))
        out[unit.id] = row
    return out


def write_workbooks(scheme: Scheme, units: Roster, year: int, folder: Path) -> list[Path]:
    """Filled workbooks for every unit, as cities would send them (cached between runs)."""
    from beautycity.workbook.build import template_name, write_template
    from beautycity.workbook.fill import fill_workbook
    from beautycity.workbook.layout import plan

    folder.mkdir(parents=True, exist_ok=True)
    data = values(scheme, units, year)
    paths = []
    blank = folder / "blank"
    blank.mkdir(exist_ok=True)
    for unit in units:
        path = folder / template_name(unit, year)
        if not path.exists():
            template = write_template(blank / path.name, scheme, unit, year)
            contact = {"person": "王芳", "phone": "0431-88888888"}
            fill_workbook(template, path, plan(scheme, unit, year), data[unit.id], contact=contact)
        paths.append(path)
    return paths
