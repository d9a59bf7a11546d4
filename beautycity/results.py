"""The assessment as a document: per unit, per dimension and per indicator results, traceable.

`AssessmentDoc` is what `assessment.json` holds and what reports read. Its field order is the
key order of the JSON, and every raw value carries the file, sheet and cell it came from.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import __version__
from .assessment import Assessment, Params, Step
from .effective import EffectiveScheme, effective_scheme
from .scheme import Direction, Scheme, Text
from .uncertainty import RobustnessResult

SCHEMA_VERSION = "beautycity.assessment/1"
Status = Literal["met", "on_track", "off_track", "not_met", "no_data"]


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CellRef(_Doc):
    file: str
    sheet: str
    cell: str


class ValueSource(_Doc):
    """Where one raw value came from, and what the officer wrote beside it."""

    cell: CellRef | None = None
    data_source: str = ""
    note: str = ""
    normalised: tuple[str, ...] = ()  # what was accepted and normalised (e.g. "85%" → 85)


class IndicatorResult(_Doc):
    id: str
    value: float | None
    source: ValueSource
    missing: bool
    score: float | None  # 0–100
    weight: float  # share of the total, in % (0 when missing and renormalised away)
    contribution: float  # points of the total this indicator brings
    target: float | None  # the target of the scheme's target year, where set
    target_year: int | None
    gap: float | None  # value − target, in the indicator's unit
    milestone_year: int | None  # the first target year at or after the assessed year
    milestone_target: float | None
    milestone_gap: float | None
    status: Status
    previous: float | None = None
    previous_status: Status | None = (
        None  # last year's status: did last year's action close its gap?
    )
    change: float | None = None
    projected: float | None = None  # linear projection of the trend to the milestone year


class DimensionResult(_Doc):
    id: str
    score: float
    weight: float  # in %
    rank: int


class AdjustmentResult(_Doc):
    id: str
    points: float  # signed: bonus +, deduction −


class VetoResult(_Doc):
    indicator: str
    effect: str
    cap_grade: str | None
    reason: Text


class PreviousResult(_Doc):
    year: int
    total: float
    grade: str
    rank: int


class UnitResult(_Doc):
    id: str
    name: Text
    short: Text
    code: str | None
    positioning: str
    statement: Text
    total: float
    base_total: float
    grade: str
    grade_by_score: str
    rank: int
    group_rank: int
    group_size: int
    vetoes: tuple[VetoResult, ...]
    adjustments: tuple[AdjustmentResult, ...]
    dimensions: tuple[DimensionResult, ...]
    indicators: tuple[IndicatorResult, ...]
    previous: PreviousResult | None = None
    contact: dict[str, str] = {}


class GroupSummary(_Doc):
    positioning: str
    units: tuple[str, ...]
    total: float
    dimensions: dict[str, float]


class SchemeRef(_Doc):
    id: str
    version: str
    name: Text
    target_year: int
    sha256: str


class AssessmentDoc(_Doc):
    schema_version: str
    tool_version: str
    scheme: SchemeRef
    year: int
    params: Params
    steps: tuple[Step, ...]
    units: tuple[UnitResult, ...]  # by rank, then id
    province: GroupSummary
    groups: tuple[GroupSummary, ...]
    grade_counts: dict[str, int]
    robustness: RobustnessResult | None = None  # with `score --robustness N`


def _r(x: float | None, digits: int = 4) -> float | None:
    """Round for the document; NaN becomes null."""
    if x is None or (x != x and isinstance(x, float)):  # x != x (NaN only) is the cheaper test
        return None
    return round(float(x), digits)


def meets(value: float, low: float, high: float, direction: Direction) -> bool:
    if direction is Direction.HIGHER:
        return value >= low
    if direction is Direction.LOWER:
        return value <= high
    return low <= value <= high


def build_doc(
    a: Assessment,
    scheme_sha256: str,
    sources: dict[str, dict[str, ValueSource]] | None = None,
    previous: AssessmentDoc | None = None,
    contacts: dict[str, dict[str, str]] | None = None,
) -> AssessmentDoc:
    """The document for assessment `a`; `previous` (an earlier year's) adds change and trends."""
    scheme = a.scheme
    sources = sources or {}
    prev_units = {u.id: u for u in previous.units} if previous else {}
    targets = {
        p: _final_targets(effective_scheme(scheme, p))
        for p in {u.positioning for u in a.inputs.units}
    }
    group_size = Counter(u.positioning for u in a.inputs.units)
    # Plain row lists once: looking cells up in DataFrames one by one is slow at scale. Every
    # frame of an assessment has the units' index, in the same order (see `assess`).
    layers = {
        name: getattr(a, name).to_numpy().tolist()
        for name in ("applicable", "target", "target_high", "target_year", "normalised", "weights")
    }
    layers["raw"] = a.inputs.raw.to_numpy().tolist()
    per_unit = {
        name: getattr(a, name).tolist()
        for name in ("total", "base_total", "grade", "grade_by_score", "rank", "group_rank")
    }
    dims = list(a.dimension_scores.columns)
    dim_rows = zip(
        a.dimension_scores.to_numpy().tolist(),
        a.dimension_weights[dims].to_numpy().tolist(),
        a.dimension_scores.rank(method="min", ascending=False).to_numpy().tolist(),
        strict=True,
    )
    adjustment_ids = list(a.adjustments.columns)
    adjustment_rows = a.adjustments.to_numpy().tolist()
    veto_ids = list(a.vetoes.columns)
    veto_rows = a.vetoes.to_numpy().tolist()
    units = []
    for k, (uid, (scores, weights, ranks)) in enumerate(zip(a.total.index, dim_rows, strict=True)):
        unit = a.unit[uid]
        prev = prev_units.get(uid)
        prev_values = {i.id: i for i in prev.indicators} if prev else {}
        units.append(
            UnitResult(
                id=uid,
                name=unit.name,
                short=unit.short,
                code=unit.code,
                positioning=unit.positioning,
                statement=unit.statement,
                total=_r(per_unit["total"][k], 2),
                base_total=_r(per_unit["base_total"][k], 2),
                grade=per_unit["grade"][k],
                grade_by_score=per_unit["grade_by_score"][k],
                rank=int(per_unit["rank"][k]),
                group_rank=int(per_unit["group_rank"][k]),
                group_size=group_size[unit.positioning],
                vetoes=_vetoes(scheme, veto_ids, veto_rows[k]),
                adjustments=tuple(
                    AdjustmentResult(id=adj, points=_r(points, 2))
                    for adj, points in zip(adjustment_ids, adjustment_rows[k], strict=True)
                ),
                dimensions=tuple(
                    DimensionResult(
                        id=d, score=_r(score, 2), weight=_r(100 * weight, 2), rank=int(rank)
                    )
                    for d, score, weight, rank in zip(dims, scores, weights, ranks, strict=True)
                ),
                indicators=_indicators(
                    a,
                    {name: rows[k] for name, rows in layers.items()},
                    sources.get(uid, {}),
                    prev_values,
                    previous,
                    targets[unit.positioning],
                ),
                previous=PreviousResult(
                    year=previous.year, total=prev.total, grade=prev.grade, rank=prev.rank
                )
                if prev and previous
                else None,
                contact=(contacts or {}).get(uid, {}),
            )
        )
    units.sort(key=lambda u: (u.rank, u.id))
    return AssessmentDoc(
        schema_version=SCHEMA_VERSION,
        tool_version=__version__,
        scheme=SchemeRef(
            id=scheme.id,
            version=scheme.version,
            name=scheme.name,
            target_year=scheme.target_year,
            sha256=scheme_sha256,
        ),
        year=a.inputs.year,
        params=a.params,
        steps=a.steps,
        units=tuple(units),
        province=_summary("province", a, list(a.total.index)),
        groups=tuple(
            _summary(p.id, a, [u.id for u in a.inputs.units if u.positioning == p.id])
            for p in scheme.positionings
            if any(u.positioning == p.id for u in a.inputs.units)
        ),
        grade_counts={g.id: int((a.grade == g.id).sum()) for g in scheme.grades},
    )


def _summary(name: str, a: Assessment, ids: list[str]) -> GroupSummary:
    return GroupSummary(
        positioning=name,
        units=tuple(ids),
        total=_r(a.total[ids].mean(), 2),
        dimensions={d: _r(a.dimension_scores.loc[ids, d].mean(), 2) for d in a.dimension_scores},
    )


def _vetoes(scheme: Scheme, ids: list[str], fired: list[bool]) -> tuple[VetoResult, ...]:
    out = []
    for ind_id, hit in zip(ids, fired, strict=True):
        if hit:
            veto = scheme.indicator[ind_id].veto
            out.append(
                VetoResult(
                    indicator=ind_id,
                    effect=veto.effect.value,
                    cap_grade=veto.cap_grade,
                    reason=veto.reason,
                )
            )
    return tuple(out)


def _final_targets(eff: EffectiveScheme) -> dict[str, tuple[float | None, int | None]]:
    """Each indicator's target for the scheme's target year (a range's low end) and that
    year, None and None where there is none."""
    year = eff.scheme.target_year
    out = {}
    for ind_id, ind in eff.indicator.items():
        final = ind.targets.get(year)
        low = final[0] if isinstance(final, tuple) else final
        out[ind_id] = (low, year if final is not None else None)
    return out


_NO_SOURCE = ValueSource()  # shared: `dict.get` would build its default on every call


def _indicators(
    a: Assessment,
    row: dict[str, list],
    sources: dict[str, ValueSource],
    prev_values: dict[str, IndicatorResult],
    previous: AssessmentDoc | None,
    targets: dict[str, tuple[float | None, int | None]],
) -> tuple[IndicatorResult, ...]:
    scheme: Scheme = a.scheme
    year = a.inputs.year
    out = []
    for j, ind in enumerate(scheme.indicators):
        if not row["applicable"][j]:
            continue
        value = _r(row["raw"][j], 6)
        low, high = row["target"][j], row["target_high"][j]
        m_year = int(row["target_year"][j]) or None
        final_low, final_year = targets[ind.id]
        prev_result = prev_values.get(ind.id)
        prev = prev_result.value if prev_result else None
        status, projected = _status(ind.direction, value, low, high, m_year, year, prev, previous)
        weight = row["weights"][j]
        score = row["normalised"][j]
        out.append(
            IndicatorResult(
                id=ind.id,
                value=value,
                source=sources.get(ind.id, _NO_SOURCE),
                missing=value is None,
                score=_r(score, 2),
                weight=_r(100 * weight, 3),
                contribution=_r(0.0 if math.isnan(score) else weight * score, 3),
                target=_r(final_low),
                target_year=final_year,
                gap=_r(value - final_low) if value is not None and final_low is not None else None,
                milestone_year=m_year,
                milestone_target=_r(low),
                milestone_gap=_r(value - low) if value is not None and m_year else None,
                status=status,
                previous=prev,
                previous_status=prev_result.status if prev_result else None,
                change=_r(value - prev) if value is not None and prev is not None else None,
                projected=_r(projected),
            )
        )
    return tuple(out)


def _status(
    direction: Direction,
    value: float | None,
    low: float,
    high: float,
    m_year: int | None,
    year: int,
    prev: float | None,
    previous: AssessmentDoc | None,
) -> tuple[Status, float | None]:
    """met; else on/off track by the linear trend since the previous year; else not met."""
    if value is None:
        return "no_data", None
    if m_year is None or math.isnan(low) or meets(value, low, high, direction):
        return "met", None
    if prev is None or previous is None or previous.year >= year:
        return "not_met", None
    projected = value + (value - prev) / (year - previous.year) * (m_year - year)
    return ("on_track" if meets(projected, low, high, direction) else "off_track"), projected


def previous_values(doc: AssessmentDoc) -> dict[str, dict[str, float | None]]:
    """Each unit's reported values in `doc`, to show as last year's in next year's template."""
    return {u.id: {i.id: i.value for i in u.indicators} for u in doc.units}
