"""Plain rows of the scheme and roster, for terminal tables and JSON (no formatting here)."""

from __future__ import annotations

from typing import Any

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
            notes_zh, notes_en = [], []
            if ind.characteristic:
                notes_zh.append("特色指标")
                notes_en.append("characteristic")
            if e.tightened:
                notes_zh.append("目标从严*")
                notes_en.append("stricter target*")
            if ind.veto:
                notes_zh.append("一票否决" if ind.veto.effect == "fail" else "限制等级")
                notes_en.append("veto: fail" if ind.veto.effect == "fail" else "veto: grade cap")
            if ind.kind == "binding":
                notes_zh.append("约束性")
                notes_en.append("binding")
            target = e.targets.get(year)
            rows.append(
                {
                    "dimension": f"{dim.name.zh} {dim.name.en}",
                    "dimension_code": dim.code,
                    "dimension_weight": 100 * dim_weight[dim.id],
                    "code": ind.code,
                    "id": ind.id,
                    "name_zh": ind.name.zh,
                    "name_en": ind.name.en,
                    "unit": ind.unit.symbol or ind.unit.zh,
                    "direction": _ARROWS[ind.direction],
                    "weight": 100 * e.weight,
                    "target": fmt_target(target) + ("*" if year in e.tightened else ""),
                    "other_targets": others,
                    "note_zh": "、".join(notes_zh),
                    "note_en": ", ".join(notes_en),
                }
            )
    return rows
