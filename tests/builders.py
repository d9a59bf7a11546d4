"""Builders shared by tests: a small scheme with adjustments, units, plausible Jilin values."""

from __future__ import annotations

import numpy as np

from beautycity.cities import Level, Unit
from beautycity.scheme.model import Text

# Two adjustments on top of the mini scheme: a proportional deduction (每超1微克扣0.5分，
# 扣完为止, capped at 3) and a counted bonus (1 point per honour, capped at 3).
ADJUSTMENTS = """\
adjustments:
  - id: pm25_shortfall
    code: J1
    name: {zh: PM2.5超目标扣分, en: PM2.5 above target}
    kind: deduction
    basis: shortfall
    indicator: pm25
    points: 0.5
    cap: 3
    definition: {zh: 每超1微克扣0.5分, en: 0.5 per μg/m³ above target}
    department: {zh: 生态环境局, en: Ecology bureau}
  - id: honours
    code: J2
    name: {zh: 荣誉, en: Honours}
    kind: bonus
    basis: count
    points: 1
    cap: 3
    unit: {zh: 项, en: items}
    input: {type: count, min: 0, max: 20, decimals: 0}
    definition: {zh: 每项加1分, en: 1 point each}
    department: {zh: 生态环境局, en: Ecology bureau}
"""


def unit(uid: str, positioning: str) -> Unit:
    return Unit(
        id=uid,
        name=Text(zh=uid, en=uid),
        short=Text(zh=uid, en=uid),
        level=Level.PREFECTURE,
        positioning=positioning,
        statement=Text(zh="定位", en="positioning"),
    )


def jilin_values(scheme, roster, seed=0):
    rng = np.random.default_rng(seed)
    values = {}
    for u in roster:
        row = {}
        for ind in scheme.indicators:
            if ind.input.type == "yesno":
                row[ind.id] = 0.0 if ind.direction == "lower" else 1.0
                continue
            target = next(iter(ind.targets.values()))
            lo = ind.input.min if ind.input.min is not None else 0.0
            hi = ind.input.max if ind.input.max is not None else 100.0
            row[ind.id] = float(np.clip(target * rng.uniform(0.7, 1.2), lo, hi))
        values[u.id] = row
    return values
