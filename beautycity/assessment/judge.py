"""Statuses and actions of an assessment, and of the previous year under today's rules.

`Judged` reads one assessment's layers once and judges each unit's indicators by the rules
(`rules.status`, `rules.red_line`, `rules.action_reasons`). The previous year's results are
re-scored under the current scheme and rules (`previous_assessment`), so that follow-up
compares like with like, and only on the indicators both years measure the same way
(`comparison`).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cached_property

from ..scheme.model import InputType, Scheme
from . import rules
from .document import AssessmentDoc, Comparison, IndicatorResult, SchemeRef, UnitResult
from .engine import Assessment, Inputs, assess


@dataclass(frozen=True)
class Verdict:
    status: rules.Status
    projected: float | None
    years_left: int | None
    action: tuple[rules.ActionReason, ...]


class Judged:
    """One assessment's layers as plain rows (cell lookups in DataFrames are slow at scale)."""

    def __init__(self, a: Assessment) -> None:
        self.a = a
        self.year = a.inputs.year
        self.row = {uid: k for k, uid in enumerate(a.total.index)}
        self.layers = {
            name: getattr(a, name).to_numpy().tolist()
            for name in ("applicable", "target", "target_high", "target_year", "normalised")
        }
        self.layers["raw"] = a.inputs.raw.to_numpy().tolist()
        self.layers["vetoes"] = a.vetoes.to_numpy().tolist()
        self.layers["adjustments"] = a.adjustments.to_numpy().tolist()

    @cached_property
    def _links(self) -> tuple[dict[str, int], dict[str, list[int]]]:
        """Each veto indicator's column in `vetoes`, each indicator's shortfall deductions'."""
        scheme = self.a.scheme
        veto = {i.id: k for k, i in enumerate(rules.veto_indicators(scheme))}
        deductions: dict[str, list[int]] = {}
        for k, adj in enumerate(scheme.adjustments):
            if adj.basis == "shortfall" and adj.kind == "deduction" and adj.indicator:
                deductions.setdefault(adj.indicator, []).append(k)
        return veto, deductions

    def judge(
        self, k: int, j: int, anchor: tuple[int, float] | None, previous: float | None
    ) -> Verdict:
        """Unit row `k`, indicator column `j`: `anchor` starts its trajectory, `previous` is
        last year's value (for the red line)."""
        ind = self.a.scheme.indicators[j]
        value = _value(self.layers["raw"][k][j])
        low, high = self.layers["target"][k][j], self.layers["target_high"][k][j]
        m_year = int(self.layers["target_year"][k][j]) or None
        yesno = ind.input.type is InputType.YESNO
        state, projected = rules.status(
            ind.direction, value, low, high, m_year, self.year, anchor, yesno
        )
        score = _value(self.layers["normalised"][k][j])
        red = rules.red_line(ind.kind, value, score, previous, low, high, ind.direction)
        veto_col, deduction_cols = self._links
        veto = ind.id in veto_col and bool(self.layers["vetoes"][k][veto_col[ind.id]])
        deducted = any(self.layers["adjustments"][k][c] for c in deduction_cols.get(ind.id, ()))
        left = m_year - self.year if m_year and m_year > self.year else None
        return Verdict(state, projected, left, rules.action_reasons(state, red, veto, deducted))


def _value(x: float) -> float | None:
    return None if x is None or math.isnan(x) else x


def baseline_anchor(scheme: Scheme, j: int, year: int) -> tuple[int, float] | None:
    """The scheme's baseline for indicator column `j`, when it lies before `year`."""
    base = scheme.indicators[j].baseline
    return (base.year, base.value) if base is not None and base.year < year else None


def fingerprints(scheme: Scheme) -> dict[str, str]:
    """A short hash of what each indicator measures: values of two years are comparable
    when these agree (weights and targets may change; the quantity may not)."""
    out = {}
    for ind in scheme.indicators:
        meaning = [ind.definition.zh, ind.unit.zh, ind.direction.value, ind.input.type.value]
        digest = hashlib.sha256(json.dumps(meaning, ensure_ascii=False).encode()).hexdigest()
        out[ind.id] = digest[:12]
    return out


def comparison(scheme: Scheme, ref: SchemeRef, previous: AssessmentDoc) -> Comparison:
    """What of `previous` can be compared with an assessment under `scheme` (`ref`)."""
    before = previous.scheme
    same = (before.id, before.version, before.sha256) == (ref.id, ref.version, ref.sha256)
    measured = {i.id for u in previous.units for i in u.indicators}
    excluded: tuple[str, ...] = ()
    if not same:
        # A document without fingerprints (an older schema) is compared by indicator id.
        excluded = tuple(
            i.id
            for i in scheme.indicators
            if i.id not in measured
            or (before.indicators and before.indicators.get(i.id) != ref.indicators[i.id])
        )
    return Comparison(year=previous.year, scheme=before, same_scheme=same, excluded=excluded)


def previous_assessment(
    a: Assessment, previous: AssessmentDoc, compared: set[str]
) -> tuple[Judged, dict[str, UnitResult]] | None:
    """Last year's values re-scored under this year's scheme and method, for the units and
    indicators both years share; None when they share no unit."""
    before = {u.id: u for u in previous.units}
    units = [u for u in a.inputs.units if u.id in before]
    if not units or previous.year >= a.inputs.year:
        return None
    values = {
        u.id: {i.id: i.value for i in before[u.id].indicators if i.id in compared} for u in units
    }
    inputs = Inputs.build(a.scheme, previous.year, units, values)
    return Judged(assess(a.scheme, inputs, a.params)), before


def previous_verdict(
    past: tuple[Judged, dict[str, UnitResult]] | None, uid: str, j: int
) -> tuple[Verdict, IndicatorResult] | None:
    """Last year's verdict on unit `uid`'s indicator column `j`, under today's rules."""
    if past is None:
        return None
    judged, before = past
    k = judged.row.get(uid)
    if k is None or _value(judged.layers["raw"][k][j]) is None:
        return None
    ind_id = judged.a.scheme.indicators[j].id
    result = next((i for i in before[uid].indicators if i.id == ind_id), None)
    if result is None:
        return None
    anchor = None
    if result.previous is not None and before[uid].previous is not None:
        anchor = (before[uid].previous.year, result.previous)
    anchor = anchor or baseline_anchor(judged.a.scheme, j, judged.year)
    return judged.judge(k, j, anchor, result.previous), result
