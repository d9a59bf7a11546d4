"""成果应用: each unit's action list (整改清单), last year's follow-up, the path to the next
grade, `actions-<year>.xlsx`.

An action is every indicator the assessment marks as needing action (`IndicatorResult.action`,
decided by `assessment.rules`): a veto, a binding indicator at its floor or worse than last
year, not met in its target year, off track, or a deduction. The most serious reason comes
first, then most points lost. The follow-up reviews exactly last year's list.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from openpyxl import Workbook

from ..assessment.document import AssessmentDoc, IndicatorResult, UnitResult, doc_moment
from ..assessment.rules import Status, action_order, points_lost
from ..io.atomic import write_atomic
from ..io.xlsx import save_workbook, table_sheet
from ..scheme.model import Indicator, InputType, Scheme
from .context import Action, FollowUp, Path, PathStep, Quantity
from .formats import bi, grade_name, num, quantity, texts, tx


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


def unit_actions(u: UnitResult, scheme: Scheme) -> tuple[Action, ...]:
    vetoed = {v.indicator: v for v in u.vetoes}
    out = []
    for r in listed(u, scheme):
        ind = scheme.indicator[r.id]
        shortfall = None if r.milestone_gap is None else abs(r.milestone_gap)
        yesno = ind.input.type is InputType.YESNO  # a yes/no indicator has no distance
        veto = vetoed.get(r.id)
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
                advice=bi(ind.advice) if ind.advice else None,
                department=bi(ind.department),
                due=str(r.milestone_year or ""),
                carried=bool(r.previous_action),
                veto=bi(veto.reason) if veto else None,
            )
        )
    return tuple(out)


def follow_up(u: UnitResult, scheme: Scheme) -> tuple[FollowUp, ...]:
    """Last year's actions and what became of each."""
    return tuple(
        FollowUp(
            code=scheme.indicator[r.id].code,
            name=bi(scheme.indicator[r.id].name),
            previous_status=r.previous_status or "no_data",
            status=r.status,
            outcome=r.follow_up,
        )
        for r in u.indicators
        if r.follow_up is not None
    )


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


_ACTION_COLUMNS = (
    "unit",
    "code",
    "indicator",
    "status",
    "reasons",
    "value",
    "target",
    "due",
    "shortfall",
    "advice",
    "department",
    "veto",
    "carried",
)
_FOLLOW_COLUMNS = ("unit", "code", "indicator", "previous_status", "this_year", "outcome")


def actions_workbook(doc: AssessmentDoc, scheme: Scheme, lang: str = "bilingual") -> Workbook:
    """Every unit's action list on one sheet and, with last year's statuses, the follow-up."""
    wb = Workbook()
    wb.remove(wb.active)
    status = {s: tx(f"status.{s}").line(lang) for s in texts()["status"]}
    rows: list[list[Any]] = []
    for u in doc.units:
        unit = bi(u.name).line(lang)
        by_code = {scheme.indicator[r.id].code: r for r in u.indicators}
        for a in unit_actions(u, scheme):
            rows.append(
                [
                    unit,
                    a.code,
                    a.name.line(lang),
                    status[by_code[a.code].status],
                    "\n".join(r.line(lang) for r in a.reasons),
                    a.value.text(lang),
                    a.target.text(lang),
                    a.due,
                    a.shortfall.text(lang),
                    a.advice.line(lang, "\n") if a.advice else "",
                    a.department.line(lang),
                    a.veto.line(lang) if a.veto else "",
                    tx("words.yes" if a.carried else "words.no").line(lang),
                ]
            )
    table_sheet(
        wb,
        tx("xlsx.actions_sheet").line(lang),
        [tx(f"xlsx.{k}").line(lang) for k in _ACTION_COLUMNS],
        rows,
    )
    if any(u.previous for u in doc.units):
        follow = [
            [
                bi(u.name).line(lang),
                f.code,
                f.name.line(lang),
                status[f.previous_status],
                status[f.status],
                tx(f"outcome.{f.outcome}").line(lang),
            ]
            for u in doc.units
            for f in follow_up(u, scheme)
        ]
        table_sheet(
            wb,
            tx("xlsx.follow_sheet").line(lang),
            [tx(f"xlsx.{k}").line(lang) for k in _FOLLOW_COLUMNS],
            follow,
        )
    return wb


def write_actions(doc: AssessmentDoc, scheme: Scheme, folder: FilePath, lang: str) -> FilePath:
    """`actions-<year>.xlsx` in `folder`, written atomically with the assessment's date."""
    path = folder / f"actions-{doc.year}.xlsx"
    wb = actions_workbook(doc, scheme, lang)
    write_atomic(path, lambda p: save_workbook(wb, p, doc_moment(doc)))
    return path
