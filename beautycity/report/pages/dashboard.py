"""The dashboard of the summary page: the dimensions as traffic lights with score, rank, trend
and group comparison, two or three key messages, and the actions by priority.

A dimension's light follows the action list (`report.actions`), so that the dashboard and the
list never disagree: red when one of its indicators needs urgent action (a veto, a red line, a
target missed in its year), amber when one is off track or deducted, green otherwise.
"""

from __future__ import annotations

from typing import Literal

from ...assessment.document import UnitResult
from ...scheme.model import Priority, Scheme
from ..actions import listed, priority, unit_actions
from ..context import Bi, Ctx, Quantity
from ..formats import bi, grade_name, num, quantity, score, signed, tx
from . import PageInput

Light = Literal["green", "amber", "red"]
_LIGHTS: dict[Priority | None, Light] = {
    None: "green",
    "low": "amber",
    "medium": "amber",
    "high": "red",
}


class LightRow(Ctx):
    code: str
    name: Bi
    light: Light
    light_name: Bi
    score: str
    rank: str
    trend: str  # "▲ 2.1", "▼ 1.0", "–" (unchanged), "" (no last year)
    trend_class: str  # up, down, flat or none
    group: str  # the group's mean, "—" for a group of one
    province: str
    above_group: bool | None  # None for a group of one


class Dashboard(Ctx):
    rows: tuple[LightRow, ...]
    has_trend: bool
    messages: tuple[Bi, ...]
    by_priority: tuple[tuple[str, str], ...]  # (priority id, count), most urgent first


def dashboard(src: PageInput) -> Dashboard:
    u, doc, scheme = src.unit, src.doc, src.scheme
    group = next(g for g in doc.groups if g.positioning == u.positioning).dimensions
    alone = u.group_size <= 1
    worst = _worst_by_dimension(u, scheme)
    prev = u.previous.dimensions if u.previous else {}
    rows = []
    for d in u.dimensions:
        light = _LIGHTS[worst.get(d.id)]
        change = d.score - prev[d.id] if d.id in prev else None
        rows.append(
            LightRow(
                code=scheme.dimension[d.id].code,
                name=bi(scheme.dimension[d.id].name),
                light=light,
                light_name=tx(f"dashboard.light.{light}"),
                score=score(d.score),
                rank=str(d.rank),
                trend=_arrow(change),
                trend_class=_trend_class(change),
                group="—" if alone else score(group.get(d.id)),
                province=score(doc.province.dimensions.get(d.id)),
                above_group=None if alone else d.score >= group.get(d.id, 0.0),
            )
        )
    counts = {p: 0 for p in ("high", "medium", "low")}
    for a in unit_actions(u, scheme):
        counts[a.priority] += 1
    return Dashboard(
        rows=tuple(rows),
        has_trend=bool(prev),
        messages=messages(src),
        by_priority=tuple((p, str(n)) for p, n in counts.items()),
    )


def _worst_by_dimension(u: UnitResult, scheme: Scheme) -> dict[str, Priority]:
    order = ("high", "medium", "low")
    worst: dict[str, Priority] = {}
    for r in listed(u, scheme):
        ind = scheme.indicator[r.id]
        level = priority(r, ind)
        now = worst.get(ind.dimension)
        if now is None or order.index(level) < order.index(now):
            worst[ind.dimension] = level
    return worst


def _arrow(change: float | None) -> str:
    """The arrow agrees with the sign of the change as printed (one decimal)."""
    if change is None:
        return ""
    shown = round(change, 1)
    if shown == 0:
        return "–"
    return f"{'▲' if shown > 0 else '▼'} {signed(shown)}"


def _trend_class(change: float | None) -> str:
    if change is None:
        return "none"
    shown = round(change, 1)
    return "flat" if shown == 0 else ("up" if shown > 0 else "down")


def messages(src: PageInput) -> tuple[Bi, ...]:
    """Up to three sentences a leader can act on: the strongest dimension, the most urgent
    action, what lifts the grade, then who it is tied with and how it moved since last year,
    as far as there is room."""
    u, scheme = src.unit, src.scheme
    out: list[Bi] = []
    best = min(u.dimensions, key=lambda d: (d.rank, -d.score, scheme.dimension[d.id].code))
    out.append(
        tx(
            "dashboard.strongest",
            dimension=bi(scheme.dimension[best.id].name),
            score=score(best.score),
            rank=best.rank,
            units=len(src.doc.units),
        )
    )
    actions = listed(u, scheme)
    if actions:
        r = actions[0]
        ind = scheme.indicator[r.id]
        out.append(
            tx(
                "dashboard.urgent",
                code=ind.code,
                indicator=bi(ind.name),
                reason=tx(f"reason.{r.action[0]}"),
                value=_q(quantity(ind, r.value)),
                target=_q(quantity(ind, r.milestone_target)),
                year=r.milestone_year or "",
            )
        )
    path = u.next_grade
    if path is not None and path.points_needed > 0 and path.steps:
        steps = path.steps
        codes = "、".join(scheme.indicator[s.indicator].code for s in steps)
        key = "dashboard.lift" if path.reachable else "dashboard.lift_far"
        out.append(
            tx(
                key,
                grade=grade_name(scheme, path.grade),
                points=num(path.points_needed, 2),
                codes=Bi(zh=codes, en=", ".join(codes.split("、"))),
                gain=num(sum(s.points for s in steps), 2),
            )
        )
    if u.tied_with and len(out) < 3:
        names = {x.id: bi(x.short) for x in src.doc.units}
        tied = [names[t] for t in u.tied_with]
        out.append(
            tx(
                "dashboard.tied",
                units=Bi(zh="、".join(t.zh for t in tied), en=", ".join(t.en for t in tied)),
            )
        )
    prev = u.previous
    if prev is not None and len(out) < 3:
        out.append(
            tx(
                "dashboard.since",
                year=prev.year,
                before=score(prev.total),
                after=score(u.total),
                change=signed(round(u.total, 1) - round(prev.total, 1)),
                rank_before=prev.rank,
                rank_after=u.rank,
            )
        )
    return tuple(out[:3])


def _q(q: Quantity) -> Bi:
    return Bi(zh=q.text("zh"), en=q.text("en"))
