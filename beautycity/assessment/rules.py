"""The rules every part of beautycity judges by: grade, status, what needs action, follow-up,
ties, points lost, weakest dimension.

The engine, the robustness analysis, the result files, the command line and the reports all
call these, so a grade, a status or an action means the same wherever it is printed. The
rules are explained in plain words in `docs/methodology.md` ("Statuses and actions").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, Protocol, get_args

import numpy as np
from numpy.typing import ArrayLike

from ..methods import registry
from ..scheme.model import Direction, Indicator, Kind, Scheme

# met: the milestone target is reached. Before the milestone year: on_track / off_track by the
# trajectory; short (of target, N years left) when there is no trajectory to judge by;
# pending for a yes/no end state, which has no trajectory. not_met only in the milestone year.
Status = Literal["met", "on_track", "off_track", "short", "pending", "not_met", "no_data"]
LAGGING: tuple[Status, ...] = ("off_track", "not_met")
# Why an indicator needs action, most serious first: the one notion of "a problem" that the
# summary's gaps, the action list, the deductions and next year's follow-up all share.
ActionReason = Literal[
    "veto", "red_line_floor", "red_line_fell", "not_met", "off_track", "deduction"
]
ACTION_REASONS: tuple[ActionReason, ...] = get_args(ActionReason)
FollowUpOutcome = Literal["closed", "open", "worse"]
# What the office records of an action in its rectification ledger (整改台账) over the year:
# 未开始 / 推进中 / 已完成 / 已销号.
Progress = Literal["not_started", "in_progress", "done", "closed"]
PROGRESS: tuple[Progress, ...] = get_args(Progress)


class Weighed(Protocol):
    """An indicator result, as far as points lost go (`document.IndicatorResult`)."""

    score: float | None  # 0–100
    weight: float  # share of the total, in %


class Scored(Protocol):
    """A dimension result, as far as the weakest goes (`document.DimensionResult`)."""

    id: str
    score: float


def veto_indicators(scheme: Scheme) -> list[Indicator]:
    """The indicators that carry a veto, in scheme order."""
    return [i for i in scheme.indicators if i.veto]


def vetoes_fired(scheme: Scheme, raw: np.ndarray, ind_ids: Sequence[str]) -> np.ndarray:
    """units × veto indicators: True where the reported value fires the veto.

    A missing value (NaN) compares False, so it fires no veto.
    """
    inds = veto_indicators(scheme)
    fired = np.zeros((raw.shape[0], len(inds)), dtype=bool)
    for k, ind in enumerate(inds):
        fired[:, k] = ind.veto.fires(raw[:, list(ind_ids).index(ind.id)])
    return fired


def veto_floor(scheme: Scheme, fired: np.ndarray) -> np.ndarray:
    """The best grade index (0 = best band) each unit can still reach after its vetoes:
    `fail` sets the lowest grade, `cap` the worse of the cap and the grade by score."""
    order = [g.id for g in scheme.grades]
    floor = np.zeros(fired.shape[0], dtype=int)
    for k, ind in enumerate(veto_indicators(scheme)):
        worst = len(order) - 1 if ind.veto.effect == "fail" else order.index(ind.veto.cap_grade)
        floor = np.where(fired[:, k], np.maximum(floor, worst), floor)
    return floor


def grade_index(scheme: Scheme, totals: ArrayLike, floor: ArrayLike | None = None) -> np.ndarray:
    """Index into the scheme's grade bands (best first) for totals of any shape (…, units).

    Bands are checked to run from the highest minimum down to 0: the first reached is the
    grade by score; `floor` (from `veto_floor`) then holds each unit down.
    """
    mins = np.array([g.min for g in scheme.grades])
    idx = np.argmax(np.asarray(totals)[..., None] >= mins, axis=-1)
    return idx if floor is None else np.maximum(idx, floor)


def grade_ids(scheme: Scheme, index: np.ndarray) -> np.ndarray:
    """Grade ids for grade indices, as an object array of the same shape."""
    return np.array([g.id for g in scheme.grades], dtype=object)[index]


def graded(scheme: Scheme, aggregation: str) -> bool:
    """Whether totals by `aggregation` are on the grade bands' scale: a relative one (TOPSIS
    closeness) is only when the scheme says so (`method.grade_relative`)."""
    relative = registry.method("aggregation", aggregation).relative
    return not relative or scheme.method.grade_relative


def grades(
    scheme: Scheme, totals: np.ndarray, fired: np.ndarray, graded: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Grade ids by score and after vetoes, per unit. Ungraded totals give None by score, and
    after vetoes None too unless a veto fails the unit."""
    floor = veto_floor(scheme, fired)
    if graded:
        by_score = grade_index(scheme, totals)
        return grade_ids(scheme, by_score), grade_ids(scheme, np.maximum(by_score, floor))
    worst = len(scheme.grades) - 1
    none = np.full(len(totals), None, dtype=object)
    return none, np.where(floor == worst, scheme.grades[-1].id, none)


def meets(value: float, low: float, high: float, direction: Direction) -> bool:
    """Whether `value` reaches the target [low, high] in the indicator's direction."""
    if direction is Direction.HIGHER:
        return value >= low
    if direction is Direction.LOWER:
        return value <= high
    return low <= value <= high


def worse(value: float, before: float, low: float, high: float, direction: Direction) -> bool:
    """Whether `value` is worse than `before` in the indicator's direction (for a range,
    further from it); changes within rounding noise (1e-9 relative) are not."""
    if direction is Direction.RANGE:
        value, before = _outside(value, low, high), _outside(before, low, high)
        direction = Direction.LOWER
    tolerance = 1e-9 * max(1.0, abs(value), abs(before))
    if direction is Direction.HIGHER:
        return value < before - tolerance
    return value > before + tolerance


def _outside(value: float, low: float, high: float) -> float:
    return max(low - value, value - high, 0.0) if not math.isnan(low) else 0.0


def status(
    direction: Direction,
    value: float | None,
    low: float,
    high: float,
    m_year: int | None,
    year: int,
    anchor: tuple[int, float] | None,
    yesno: bool = False,
) -> tuple[Status, float | None]:
    """An indicator's status against its milestone, and the projected value that decided it.

    `anchor` is (year, value) of an earlier value — the previous year's, else the scheme's
    baseline — from which the straight-line trend is projected to the milestone year.
    """
    if value is None:
        return "no_data", None
    if m_year is None or math.isnan(low) or meets(value, low, high, direction):
        return "met", None
    if year >= m_year:
        return "not_met", None
    if yesno:
        return "pending", None
    if anchor is None or anchor[0] >= year:
        return "short", None
    start_year, start = anchor
    projected = value + (value - start) / (year - start_year) * (m_year - year)
    return ("on_track" if meets(projected, low, high, direction) else "off_track"), projected


def red_line(
    kind: Kind,
    value: float | None,
    score: float | None,
    previous: float | None,
    low: float,
    high: float,
    direction: Direction,
) -> ActionReason | None:
    """A binding (约束性) indicator that breaks its floor (scores 0) or is worse than last
    year — environmental quality may only get better, never worse (只能更好、不能变坏)."""
    if kind is not Kind.BINDING or value is None:
        return None
    if score is not None and score <= 0:
        return "red_line_floor"
    if previous is not None and worse(value, previous, low, high, direction):
        return "red_line_fell"
    return None


def shortfall(direction: Direction, value: ArrayLike, target: ArrayLike) -> np.ndarray:
    """How far `value` falls short of `target` (≥ 0; 0 where met or missing), for deductions
    by shortfall (每差1个单位扣x分)."""
    value, target = np.asarray(value, dtype=float), np.asarray(target, dtype=float)
    gap = value - target if direction is Direction.LOWER else target - value
    return np.nan_to_num(np.maximum(gap, 0.0), nan=0.0)


def action_reasons(
    state: Status, red: ActionReason | None, veto: bool, deduction: bool
) -> tuple[ActionReason, ...]:
    """Why an indicator needs action, most serious first; () when it does not."""
    if not (veto or red or deduction or state in LAGGING):
        return ()  # the common case, answered without building anything
    found = {
        "veto": veto,
        "red_line_floor": red == "red_line_floor",
        "red_line_fell": red == "red_line_fell",
        "not_met": state == "not_met",
        "off_track": state == "off_track",
        "deduction": deduction,
    }
    return tuple(r for r in ACTION_REASONS if found[r])


def follow_up(
    listed: bool,
    action: tuple[ActionReason, ...],
    value: float | None,
    previous: float | None,
    low: float,
    high: float,
    direction: Direction,
) -> FollowUpOutcome | None:
    """What became of an indicator on last year's action list: closed (销号) when it needs
    no action now; worse when its value moved the wrong way; else still open."""
    if not listed:
        return None
    if not action:
        return "closed"
    if value is not None and previous is not None and worse(value, previous, low, high, direction):
        return "worse"
    return "open"


def action_order(reasons: tuple[ActionReason, ...], lost: float, code: str) -> tuple:
    """Sort key of the action list: the most serious reason first, then most points lost."""
    return (ACTION_REASONS.index(reasons[0]) if reasons else len(ACTION_REASONS), -lost, code)


def ties(totals: ArrayLike, tolerance: float) -> list[list[int]]:
    """For each unit, the others whose totals lie within `tolerance` points of its own (the
    scheme's `ties.points`); by sorting, so it stays fast for thousands of units."""
    t = np.asarray(totals, dtype=float)
    order = np.argsort(t, kind="stable")
    ranked = t[order]
    out: list[list[int]] = [[] for _ in t]
    for pos, k in enumerate(order):
        end = np.searchsorted(ranked, ranked[pos] + tolerance + 1e-9, side="right")
        for j in order[pos + 1 : end]:
            out[k].append(int(j))
            out[int(j)].append(int(k))
    return [sorted(found) for found in out]


def points_lost(r: Weighed) -> float:
    """Points of the total the indicator leaves on the table: weight × (100 − score) / 100."""
    return 0.0 if r.score is None else r.weight * (100.0 - r.score) / 100.0


def weakest(dimensions: Sequence[Scored]) -> str:
    """The id of the lowest-scoring dimension (the first by id on equal scores)."""
    return min(dimensions, key=lambda d: (d.score, d.id)).id
