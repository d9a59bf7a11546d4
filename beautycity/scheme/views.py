"""Plain rows of the scheme and roster, for terminal tables and JSON (no formatting here)."""

from __future__ import annotations

from typing import Any

from ..texts import texts
from .effective import EffectiveScheme
from .model import Direction, Target

_ARROWS = {Direction.HIGHER: "↑", Direction.LOWER: "↓", Direction.RANGE: "↔"}


def fmt_target(value: Target | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple):
        return f"{fmt_number(value[0])}–{fmt_number(value[1])}"
    return fmt_number(value)


def fmt_number(value: float) -> str:
    return f"{value:g}"


def scheme_rows(eff: EffectiveScheme) -> list[dict[str, Any]]:
    """One row per indicator a unit of this positioning is scored on, in scheme order."""
    scheme = eff.scheme
    dim_weight = {d.dimension.id: d.weight for d in eff.dimensions}
    rows = []
    for dim in scheme.dimensions:
        for e in eff.in_dimension(dim.id):
            ind = e.indicator
            year = scheme.target_year
            others = ", ".join(
                f"{y}: {fmt_target(v)}{'*' if y in e.tightened else ''}"
                for y, v in sorted(e.targets.items())
                if y != year
            )
            flags = {
                "characteristic": ind.characteristic,
                "tightened": bool(e.tightened),
                "veto_fail": bool(ind.veto) and ind.veto.effect == "fail",
                "veto_cap": bool(ind.veto) and ind.veto.effect != "fail",
                "binding": ind.kind == "binding",
            }
            notes = [texts("labels")["notes"][key] for key, on in flags.items() if on]
            target = e.targets.get(year)
            rows.append(
                {
                    "dimension": f"{dim.name.zh} {dim.name.en}",
                    "dimension_zh": dim.name.zh,
                    "dimension_en": dim.name.en,
                    "dimension_code": dim.code,
                    "dimension_weight": 100 * dim_weight[dim.id],
                    "code": ind.code,
                    "id": ind.id,
                    "name_zh": ind.name.zh,
                    "name_en": ind.name.en,
                    "unit": ind.unit.symbol or ind.unit.zh,
                    "unit_en": ind.unit.symbol or ind.unit.en,
                    "direction": _ARROWS[ind.direction],
                    "weight": 100 * e.weight,
                    "target": fmt_target(target) + ("*" if year in e.tightened else ""),
                    "other_targets": others,
                    "note_zh": "、".join(n["zh"] for n in notes),
                    "note_en": ", ".join(n["en"] for n in notes),
                }
            )
    return rows
