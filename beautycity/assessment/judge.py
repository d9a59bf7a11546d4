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

import numpy as np

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
        self.layers["vetoed"], self.layers["deducted"] = (m.tolist() for m in self._fired())

    def _fired(self) -> tuple[np.ndarray, np.ndarray]:
        """units × indicators: where the indicator's veto fired, where a shortfall deduction
        on it took points."""
        scheme, a = self.a.scheme, self.a
        col = {i.id: j for j, i in enumerate(scheme.indicators)}
        vetoed = np.zeros(a.applicable.shape, dtype=bool)
        for k, ind in enumerate(rules.veto_indicators(scheme)):
            vetoed[:, col[ind.id]] = a.vetoes.to_numpy()[:, k]
        deducted = np.zeros(a.applicable.shape, dtype=bool)
        points = a.adjustments.to_numpy()
        for k, adj in enumerate(scheme.adjustments):
            if adj.basis == "shortfall" and adj.kind == "deduction" and adj.indicator:
                deducted[:, col[adj.indicator]] |= points[:, k] != 0
        return vetoed, deducted

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
        veto, deducted = self.layers["vetoed"][k][j], self.layers["deducted"][k][j]
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


def with_progress(
    doc: AssessmentDoc, recorded: dict[tuple[str, str], rules.Progress]
) -> AssessmentDoc:
    """`doc` with what the office recorded in last year's ledger, by (unit id, indicator id),
    set on the indicators that were on last year's action list (the others were not in it)."""
    if not recorded:
        return doc
    units = []
    for u in doc.units:
        results = tuple(
            r.model_copy(update={"progress": recorded.get((u.id, r.id))})
            if r.follow_up is not None
            else r
            for r in u.indicators
        )
        units.append(u.model_copy(update={"indicators": results}))
    return doc.model_copy(update={"units": tuple(units)})
