"""`build_doc`: an assessment's layers as the document that `assessment.json` holds."""

from __future__ import annotations

import math
from collections import Counter

from .. import __version__
from ..scheme.effective import EffectiveScheme, effective_scheme
from ..scheme.model import Scheme
from . import rules
from .document import (
    SCHEMA_VERSION,
    AdjustmentResult,
    AssessmentDoc,
    DimensionResult,
    GroupSummary,
    IndicatorResult,
    PreviousResult,
    RobustnessResult,
    SchemeRef,
    UnitResult,
    ValueSource,
    VetoResult,
)
from .engine import Assessment
from .judge import (
    Judged,
    baseline_anchor,
    comparison,
    fingerprints,
    previous_assessment,
    previous_verdict,
)
from .nextgrade import next_grades


def _r(x: float | None, digits: int = 4) -> float | None:
    """Round for the document; NaN becomes null."""
    if x is None or (x != x and isinstance(x, float)):  # x != x (NaN only) is the cheaper test
        return None
    return round(float(x), digits)


def build_doc(
    a: Assessment,
    scheme_sha256: str,
    sources: dict[str, dict[str, ValueSource]] | None = None,
    previous: AssessmentDoc | None = None,
    contacts: dict[str, dict[str, str]] | None = None,
    robustness: RobustnessResult | None = None,
    missing: tuple[str, ...] = (),
) -> AssessmentDoc:
    """The document for assessment `a`; `previous` (an earlier year's) adds change, trends and
    follow-up, `robustness` (of `a`) the rank intervals that ties are also judged by;
    `missing` names the units of the roster that sent nothing."""
    scheme = a.scheme
    sources = sources or {}
    ref = SchemeRef(
        id=scheme.id,
        version=scheme.version,
        name=scheme.name,
        target_year=scheme.target_year,
        sha256=scheme_sha256,
        indicators=fingerprints(scheme),
    )
    compared = comparison(scheme, ref, previous) if previous else None
    comparable = {i.id for i in scheme.indicators} - set(compared.excluded if compared else ())
    past = previous_assessment(a, previous, comparable) if previous else None
    prev_units = {u.id: u for u in previous.units} if previous else {}
    targets = {
        p: _final_targets(effective_scheme(scheme, p))
        for p in {u.positioning for u in a.inputs.units}
    }
    group_size = Counter(u.positioning for u in a.inputs.units)
    judged = Judged(a)
    ind_weights = a.weights.to_numpy().tolist()  # plain rows: per-cell DataFrame lookups are slow
    per_unit = {
        name: getattr(a, name).tolist()
        for name in ("total", "base_total", "grade", "grade_by_score", "rank", "group_rank")
    }
    tied = _ties(a, robustness)
    paths = next_grades(a)
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
        prev_values = (
            {i.id: i for i in prev.indicators if i.id in comparable} if prev and previous else {}
        )
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
                    judged,
                    k,
                    uid,
                    ind_weights[k],
                    sources.get(uid, {}),
                    prev_values,
                    previous.year if previous else None,
                    past,
                    targets[unit.positioning],
                ),
                previous=PreviousResult(
                    year=previous.year,
                    total=prev.total,
                    grade=prev.grade,
                    rank=prev.rank,
                    dimensions={d.id: d.score for d in prev.dimensions},
                )
                if prev and previous
                else None,
                contact=(contacts or {}).get(uid, {}),
                tied_with=tied[uid],
                next_grade=paths.get(uid),
            )
        )
    units.sort(key=lambda u: (u.rank, u.id))
    return AssessmentDoc(
        schema_version=SCHEMA_VERSION,
        tool_version=__version__,
        scheme=ref,
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
        robustness=robustness,
        comparison=compared,
        missing=tuple(missing),
    )


def _ties(a: Assessment, robustness: RobustnessResult | None) -> dict[str, tuple[str, ...]]:
    """Each unit's ties (`rules.ties`), best ranked first."""
    ids = list(a.total.index)
    found = rules.ties(a.total.to_numpy(), a.scheme.ties.points)
    reversed_with = {r.id: set(r.tied_with) for r in robustness.units} if robustness else {}
    rank = a.rank.to_dict()
    return {
        uid: tuple(
            sorted(
                {ids[t] for t in others} | reversed_with.get(uid, set()), key=lambda t: (rank[t], t)
            )
        )
        for uid, others in zip(ids, found, strict=True)
    }


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
    judged: Judged,
    k: int,
    uid: str,
    weights: list[float],
    sources: dict[str, ValueSource],
    prev_values: dict[str, IndicatorResult],
    prev_year: int | None,
    past: tuple[Judged, dict[str, UnitResult]] | None,
    targets: dict[str, tuple[float | None, int | None]],
) -> tuple[IndicatorResult, ...]:
    a = judged.a
    scheme: Scheme = a.scheme
    row = {name: rows[k] for name, rows in judged.layers.items()}
    out = []
    for j, ind in enumerate(scheme.indicators):
        if not row["applicable"][j]:
            continue
        value = _r(row["raw"][j], 6)
        low = row["target"][j]
        m_year = int(row["target_year"][j]) or None
        final_low, final_year = targets[ind.id]
        prev_result = prev_values.get(ind.id)
        prev = prev_result.value if prev_result else None
        anchor = (prev_year, prev) if prev is not None and prev_year is not None else None
        verdict = judged.judge(k, j, anchor or baseline_anchor(scheme, j, judged.year), prev)
        before = previous_verdict(past, uid, j) if prev_result else None
        listed = before[0].action if before else ()
        weight = weights[j]
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
                status=verdict.status,
                years_left=verdict.years_left,
                action=verdict.action,
                previous=prev,
                previous_status=before[0].status if before else None,
                previous_action=listed,
                follow_up=rules.follow_up(
                    bool(listed),
                    verdict.action,
                    value,
                    prev,
                    low,
                    row["target_high"][j],
                    ind.direction,
                ),
                change=_r(value - prev) if value is not None and prev is not None else None,
                previous_contribution=prev_result.contribution if prev_result else None,
                projected=_r(verdict.projected),
            )
        )
    return tuple(out)
