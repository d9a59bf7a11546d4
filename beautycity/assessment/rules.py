"""The rules every part of beautycity judges by: grade, status, points lost, weakest dimension.

The engine, the robustness analysis, the result files, the command line and the reports all
call these, so a grade or a status means the same wherever it is printed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike

from ..scheme.model import Direction, Indicator, Scheme

Status = Literal["met", "on_track", "off_track", "not_met", "no_data"]
LAGGING: tuple[Status, ...] = ("off_track", "not_met")


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


def meets(value: float, low: float, high: float, direction: Direction) -> bool:
    """Whether `value` reaches the target [low, high] in the indicator's direction."""
    if direction is Direction.HIGHER:
        return value >= low
    if direction is Direction.LOWER:
        return value <= high
    return low <= value <= high


def status(
    direction: Direction,
    value: float | None,
    low: float,
    high: float,
    m_year: int | None,
    year: int,
    prev: float | None,
    previous_year: int | None,
) -> tuple[Status, float | None]:
    """An indicator's status against its milestone, and the projected value that decided it.

    met; else on/off track by the linear trend since the previous year; else not met.
    """
    if value is None:
        return "no_data", None
    if m_year is None or math.isnan(low) or meets(value, low, high, direction):
        return "met", None
    if prev is None or previous_year is None or previous_year >= year:
        return "not_met", None
    projected = value + (value - prev) / (year - previous_year) * (m_year - year)
    return ("on_track" if meets(projected, low, high, direction) else "off_track"), projected


def points_lost(r: Weighed) -> float:
    """Points of the total the indicator leaves on the table: weight × (100 − score) / 100."""
    return 0.0 if r.score is None else r.weight * (100.0 - r.score) / 100.0


def weakest(dimensions: Sequence[Scored]) -> str:
    """The id of the lowest-scoring dimension (the first by id on equal scores)."""
    return min(dimensions, key=lambda d: (d.score, d.id)).id
