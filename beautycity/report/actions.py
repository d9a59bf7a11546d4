"""成果应用: each unit's action list (整改清单), last year's follow-up, `actions-<year>.xlsx`.

An action is every indicator that is off track or not met, with its shortfall, the scheme's
advice and the lead department, most points lost first; a fired veto is flagged on its line.
When the assessment knows last year's statuses, an action of last year whose indicator now
meets its milestone counts as closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ..assessment.document import AssessmentDoc, UnitResult, doc_moment
from ..assessment.rules import LAGGING, points_lost
from ..io.atomic import write_atomic
from ..io.xlsx import save_workbook, table_sheet
from ..scheme.model import InputType, Scheme
from .context import Action, FollowUp
from .formats import bi, quantity, texts, tx


def unit_actions(u: UnitResult, scheme: Scheme) -> tuple[Action, ...]:
    vetoed = {v.indicator: v for v in u.vetoes}
    lagging = [r for r in u.indicators if r.status in LAGGING or r.id in vetoed]
    lagging.sort(key=lambda r: (r.id not in vetoed, -points_lost(r), scheme.indicator[r.id].code))
    out = []
    for r in lagging:
        ind = scheme.indicator[r.id]
        shortfall = None if r.milestone_gap is None else abs(r.milestone_gap)
        yesno = ind.input.type is InputType.YESNO  # a yes/no indicator has no distance
        veto = vetoed.get(r.id)
        out.append(
            Action(
                code=ind.code,
                name=bi(ind.name),
                status=r.status,
                value=quantity(ind, r.value),
                target=quantity(ind, r.milestone_target),
                shortfall=quantity(ind, None if yesno else shortfall),
                advice=bi(ind.advice) if ind.advice else None,
                department=bi(ind.department),
                due=str(r.milestone_year or ""),
                carried=r.previous_status in LAGGING,
                veto=bi(veto.reason) if veto else None,
            )
        )
    return tuple(out)


def follow_up(u: UnitResult, scheme: Scheme) -> tuple[FollowUp, ...]:
    """Last year's lagging indicators and what became of them."""
    out = []
    for r in u.indicators:
        if r.previous_status not in LAGGING:
            continue
        outcome = {"met": "closed", "on_track": "progressing"}.get(r.status, "open")
        ind = scheme.indicator[r.id]
        out.append(
            FollowUp(
                code=ind.code,
                name=bi(ind.name),
                previous_status=r.previous_status,
                status=r.status,
                outcome=outcome,
            )
        )
    return tuple(out)


_ACTION_COLUMNS = (
    "unit",
    "code",
    "indicator",
    "status",
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
        for a in unit_actions(u, scheme):
            rows.append(
                [
                    unit,
                    a.code,
                    a.name.line(lang),
                    status[a.status],
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
    if any(r.previous_status for u in doc.units for r in u.indicators):
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


def write_actions(doc: AssessmentDoc, scheme: Scheme, folder: Path, lang: str) -> Path:
    """`actions-<year>.xlsx` in `folder`, written atomically with the assessment's date."""
    path = folder / f"actions-{doc.year}.xlsx"
    wb = actions_workbook(doc, scheme, lang)
    write_atomic(path, lambda p: save_workbook(wb, p, doc_moment(doc)))
    return path
