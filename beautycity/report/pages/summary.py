"""一页摘要: the total, grade and ranks at a glance (with ties and the stricter targets a
positioning sets), the strengths, the gaps (the first actions), vetoes and adjustments, the
distance to the next grade, and how many actions follow."""

from __future__ import annotations

from ...assessment.document import IndicatorResult
from ...assessment.rules import Status, points_lost
from ...scheme.model import Scheme
from ..actions import fell, listed, shown_status
from ..context import Bi, Ctx, Quantity
from ..formats import bi, grade_class, grade_name, num, quantity, score, signed, stricter, tx
from ..naming import region
from . import PageInput, page
from .dashboard import Dashboard, dashboard


class Highlight(Ctx):
    """One strength or gap: the indicator, its value against the target, and its score."""

    code: str
    name: Bi
    value: Quantity
    target: Quantity
    target_year: str
    score: str
    status: Status | None  # for gaps, only where the reasons do not say it already
    reasons: tuple[Bi, ...]  # why it needs action (gaps only)
    previous: Quantity | None  # last year's value, for a gap listed for getting worse
    lost: str  # points of the total this indicator leaves on the table


class VetoLine(Ctx):
    indicator: Bi
    reason: Bi
    effect: Bi


class AdjustmentLine(Ctx):
    name: Bi
    points: str


class Previous(Ctx):
    year: str
    total: str
    grade: Bi
    rank: str


class Summary(Ctx):
    total: str
    base_total: str
    grade: Bi
    grade_class: str
    grade_by_score: Bi | None  # when a veto changed the grade
    rank: str
    units: str
    group_rank: str
    group_size: str
    positioning: Bi
    previous: Previous | None
    stability: Bi | None  # one sentence from the robustness analysis, when it was run
    tied: Bi | None  # the units it cannot be told apart from
    stricter: Bi | None  # its positioning holds it to stricter targets
    next_grade: Bi | None  # how far the next grade is
    strengths: tuple[Highlight, ...]
    gaps: tuple[Highlight, ...]
    vetoes: tuple[VetoLine, ...]
    adjustments: tuple[AdjustmentLine, ...]
    actions: str  # how many lines the action list has
    dashboard: Dashboard


@page("summary", 10)
def summary(src: PageInput) -> Summary:
    u, doc, scheme = src.unit, src.doc, src.scheme
    # A strength is never also on the action list (a binding indicator that scores 100 but
    # got worse is a gap), nor a veto-only indicator, which scores nothing.
    scored = [r for r in u.indicators if r.score is not None and not r.action and r.weight > 0]
    strengths = sorted(scored, key=lambda r: (-r.score, -r.weight, scheme.indicator[r.id].code))
    actions = listed(u, scheme)
    pos = scheme.positioning[u.positioning]
    prev = u.previous
    return Summary(
        total=score(u.total),
        base_total=score(u.base_total),
        grade=grade_name(scheme, u.grade),
        grade_class=grade_class(scheme, u.grade),
        grade_by_score=grade_name(scheme, u.grade_by_score)
        if u.grade != u.grade_by_score
        else None,
        rank=str(u.rank),
        units=str(len(doc.units)),
        group_rank=str(u.group_rank),
        group_size=str(u.group_size),
        positioning=bi(pos.name),
        previous=Previous(
            year=str(prev.year),
            total=score(prev.total),
            grade=grade_name(scheme, prev.grade),
            rank=str(prev.rank),
        )
        if prev
        else None,
        stability=_stability(src),
        tied=_tied(src),
        stricter=stricter(scheme, u.positioning, region(scheme)),
        next_grade=_next_grade(src),
        # Two of each: the dashboard above them already names the strongest and most urgent.
        strengths=tuple(_highlight(r, scheme, r.status) for r in strengths[:2]),
        gaps=tuple(_highlight(r, scheme, shown_status(r)) for r in actions[:2]),
        vetoes=tuple(
            VetoLine(
                indicator=bi(scheme.indicator[v.indicator].name),
                reason=bi(v.reason),
                effect=tx("veto.fail")
                if v.effect == "fail"
                else tx("veto.cap", grade=grade_name(scheme, v.cap_grade or u.grade)),
            )
            for v in u.vetoes
        ),
        adjustments=tuple(
            AdjustmentLine(
                name=bi(next(a for a in scheme.adjustments if a.id == adj.id).name),
                points=signed(adj.points, 2),
            )
            for adj in u.adjustments
            if adj.points
        ),
        actions=str(len(actions)),
        dashboard=dashboard(src),
    )


def percent(p: float) -> str:
    """A probability in whole percent that never rounds to a certainty it is not."""
    if 0 < p < 0.01:
        return "<1"
    if 0.99 < p < 1:
        return ">99"
    return str(round(100 * p))


def _tied(src: PageInput) -> Bi | None:
    names = {u.id: bi(u.short) for u in src.doc.units}
    others = [names[t] for t in src.unit.tied_with]
    if not others:
        return None
    english = ", ".join(o.en for o in others[:-1])
    english = f"{english} and {others[-1].en}" if english else others[-1].en
    return tx(
        "summary.tied", n=len(others), units=Bi(zh="、".join(o.zh for o in others), en=english)
    )


def _next_grade(src: PageInput) -> Bi | None:
    path = src.unit.next_grade
    if path is None:
        return None
    grade = grade_name(src.scheme, path.grade)
    if path.points_needed <= 0:
        return tx("summary.next_grade_veto", grade=grade)
    return tx("summary.next_grade", grade=grade, points=num(path.points_needed, 2))


def _stability(src: PageInput) -> Bi | None:
    """How firmly the unit holds its rank and grade when the method's open choices vary."""
    u, doc, scheme = src.unit, src.doc, src.scheme
    if doc.robustness is None:
        return None
    r = next(x for x in doc.robustness.units if x.id == u.id)
    if u.grade is None:
        return None
    lo, hi = round(r.p5), round(r.p95)
    return tx(
        "summary.stability_fixed" if lo == hi else "summary.stability_range",
        n=f"{doc.robustness.replications:,}",
        lo=lo,
        hi=hi,
        grade=grade_name(scheme, u.grade),
        p=percent(r.grade_probability.get(u.grade, 0.0)),
    )


def _highlight(r: IndicatorResult, scheme: Scheme, status: Status | None) -> Highlight:
    ind = scheme.indicator[r.id]
    return Highlight(
        code=ind.code,
        name=bi(ind.name),
        value=quantity(ind, r.value),
        target=quantity(ind, r.milestone_target),
        target_year=str(r.milestone_year or ""),
        score=score(r.score),
        status=status,
        reasons=tuple(tx(f"reason.{reason}") for reason in r.action),
        previous=fell(ind, r),
        lost=num(points_lost(r), 2),
    )
