"""指标得分明细: every indicator of the unit by dimension, its value against the milestone target,
score, weight and status (last year's value too when the assessment knows it)."""

from __future__ import annotations

from ...assessment.rules import Status
from ...scheme.model import InputType
from ..context import Bi, Ctx
from ..formats import bi, measure, num, score, signed, value
from . import PageInput, page


class IndicatorRow(Ctx):
    code: str
    name: Bi
    unit: Bi
    value: Bi
    previous: Bi
    target: Bi
    target_year: str
    gap: str
    score: str
    weight: str
    status: Status
    characteristic: bool


class IndicatorGroup(Ctx):
    code: str
    name: Bi
    score: str
    weight: str
    rows: tuple[IndicatorRow, ...]


class Indicators(Ctx):
    has_prev: bool  # the table has a column for last year's values
    groups: tuple[IndicatorGroup, ...]


@page("indicators", 30)
def indicators(src: PageInput) -> Indicators:
    u, scheme = src.unit, src.scheme
    results = {r.id: r for r in u.indicators}
    dims = {d.id: d for d in u.dimensions}
    out = []
    for dim in scheme.dimensions:
        rows = []
        for ind in scheme.indicators:
            r = results.get(ind.id)
            if ind.dimension != dim.id or r is None:
                continue
            yesno = ind.input.type is InputType.YESNO
            rows.append(
                IndicatorRow(
                    code=ind.code,
                    name=bi(ind.name),
                    unit=measure(ind),
                    value=value(ind, r.value),
                    previous=value(ind, r.previous),
                    target=value(ind, r.milestone_target),
                    target_year=str(r.milestone_year or ""),
                    gap="—" if yesno else signed(r.milestone_gap, ind.input.decimals),
                    score=score(r.score),
                    weight=num(r.weight, 2),
                    status=r.status,
                    characteristic=ind.characteristic,
                )
            )
        out.append(
            IndicatorGroup(
                code=dim.code,
                name=bi(dim.name),
                score=score(dims[dim.id].score),
                weight=num(dims[dim.id].weight, 1),
                rows=tuple(rows),
            )
        )
    return Indicators(has_prev=u.previous is not None, groups=tuple(out))
