"""整改建议与清单: the path to the next grade, the unit's action list and, when the assessment
knows last year, what became of last year's actions (the lists themselves are
`report.actions`'s, shared with the overview and the action workbook)."""

from __future__ import annotations

from ..actions import follow_up, next_grade_path, unit_actions
from ..context import Action, Ctx, FollowUp, Path
from . import PageInput, page


class Actions(Ctx):
    path: Path | None  # None at the top grade
    actions: tuple[Action, ...]
    has_prev: bool  # the follow-up of last year's actions is shown
    previous_year: str  # "" without last year
    follow_up: tuple[FollowUp, ...]


@page("actions", 40)
def actions(src: PageInput) -> Actions:
    u, scheme = src.unit, src.scheme
    return Actions(
        path=next_grade_path(u, scheme),
        actions=unit_actions(u, scheme),
        has_prev=u.previous is not None,
        previous_year=str(u.previous.year) if u.previous else "",
        follow_up=follow_up(u, scheme),
    )
