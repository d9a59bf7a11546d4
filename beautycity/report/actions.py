"""成果应用: each unit's action list (整改清单), last year's follow-up, the path to the next
grade (the rectification ledger, `actions-<year>.xlsx`, is `report.ledger`'s).

An action is every indicator the assessment marks as needing action (`IndicatorResult.action`,
decided by `assessment.rules`): a veto, a binding indicator at its floor or worse than last
year, not met in its target year, off track, or a deduction. The most serious reason comes
first, then most points lost. The follow-up reviews exactly last year's list.
"""

from __future__ import annotations

from ..assessment.document import IndicatorResult, UnitResult
from ..assessment.rules import Status, action_order, points_lost
from ..scheme.model import Indicator, InputType, Kind, Priority, Scheme
from .context import Action, Bi, FollowUp, Path, PathStep, Quantity
from .formats import bi, grade_name, num, quantity, tx

# Reasons that make an action urgent whatever the indicator's kind.
_URGENT = frozenset({"veto", "red_line_floor", "red_line_fell", "not_met"})


def shown_status(r: IndicatorResult) -> Status | None:
    """The status to print beside an action's reasons: none when a reason already says it,
    or when "met" or "on track" would read as a contradiction of being listed at all."""
    return None if r.status in ("met", "on_track") or r.status in r.action else r.status


def fell(ind: Indicator, r: IndicatorResult) -> Quantity | None:
    """Last year's value of an indicator listed for getting worse, to print beside today's."""
    return quantity(ind, r.previous) if "red_line_fell" in r.action else None


def listed(u: UnitResult, scheme: Scheme) -> list[IndicatorResult]:
    """The unit's indicators that need action, in the action list's order."""
    found = [r for r in u.indicators if r.action]
    found.sort(key=lambda r: action_order(r.action, points_lost(r), scheme.indicator[r.id].code))
    return found


def priority(r: IndicatorResult, ind: Indicator) -> Priority:
    """High for a veto, a red line or a target missed in its year; medium for a binding
    indicator off track; low for the rest (an expected indicator off track, a deduction)."""
    if _URGENT.intersection(r.action):
        return "high"
    return "medium" if ind.kind is Kind.BINDING and "off_track" in r.action else "low"


def unit_actions(u: UnitResult, scheme: Scheme) -> tuple[Action, ...]:
    vetoed = {v.indicator: v for v in u.vetoes}
    out = []
    for r in listed(u, scheme):
        ind = scheme.indicator[r.id]
        shortfall = None if r.milestone_gap is None else abs(r.milestone_gap)
        yesno = ind.input.type is InputType.YESNO  # a yes/no indicator has no distance
        veto = vetoed.get(r.id)
        advice = ind.advice_for(u.positioning, u.id)
        out.append(
            Action(
                code=ind.code,
                name=bi(ind.name),
                status=shown_status(r),
                reasons=tuple(tx(f"reason.{reason}") for reason in r.action),
                value=quantity(ind, r.value),
                previous=fell(ind, r),
                target=quantity(ind, r.milestone_target),
                shortfall=quantity(ind, None if yesno or r.status == "met" else shortfall),
                lost=points_lost(r),
                advice=bi(advice) if advice else None,
                department=bi(ind.department),
                due=str(r.milestone_year or ""),
                carried=bool(r.previous_action),
                veto=bi(veto.reason) if veto else None,
                priority=priority(r, ind),
            )
        )
    return tuple(out)


def follow_up(u: UnitResult, scheme: Scheme) -> tuple[FollowUp, ...]:
    """Last year's actions and what became of each, beside what the office recorded."""
    return tuple(
        FollowUp(
            code=scheme.indicator[r.id].code,
            name=bi(scheme.indicator[r.id].name),
            previous_status=r.previous_status or "no_data",
            status=r.status,
            outcome=r.follow_up,
            recorded=r.progress,
            verdict=_verdict(r),
        )
        for r in u.indicators
        if r.follow_up is not None
    )


def _verdict(r: IndicatorResult) -> Bi:
    """The outcome, and where the ledger says done or closed but the assessment still finds
    the indicator lagging, that the two disagree."""
    outcome = tx(f"outcome.{r.follow_up}")
    if r.follow_up != "closed" and r.progress in ("done", "closed"):
        return tx("follow.claimed", outcome=outcome, recorded=tx(f"progress.{r.progress}"))
    return outcome


def next_grade_path(u: UnitResult, scheme: Scheme) -> Path | None:
    """The path to the next grade (`UnitResult.next_grade`), formatted."""
    path = u.next_grade
    if path is None:
        return None
    band = next(g for g in scheme.grades if g.id == path.grade)
    return Path(
        grade=grade_name(scheme, path.grade),
        cut=num(band.min, 0),
        # Two decimals here and in the summary: at one, 4.08 needed and 4.09 added both
        # print as 4.1 and a path that exactly suffices looks short.
        points_needed=num(path.points_needed, 2),
        total=f"+{num(sum(s.points for s in path.steps), 2)}",
        reachable=path.reachable,
        veto_only=path.points_needed <= 0,
        steps=tuple(
            PathStep(
                code=scheme.indicator[s.indicator].code,
                name=bi(scheme.indicator[s.indicator].name),
                value=quantity(scheme.indicator[s.indicator], s.from_),
                to=quantity(scheme.indicator[s.indicator], s.to),
                points=f"+{num(s.points, 2)}",
            )
            for s in path.steps
        ),
    )
