"""The path to the next grade: for each unit below the top grade, the fewest indicator
improvements, each at most to its milestone target, that lift it into the next better grade.

A candidate step moves one indicator to its milestone target, the value that scores 100 (for
a range, its nearer end), for every applicable indicator short of it whose value is reported,
or is missing but required (then `from` is None). A fired veto the target
lifts is a candidate too; where it holds the unit below the next grade it goes first.

Each unit takes its candidates by the points each alone adds (largest first, after any
veto it must lift), re-scored cumulatively until its grade after vetoes reaches the next
better grade: with a geometric aggregation gains interact, so only re-scoring decides. The
last step then moves only as far as needed: the smallest value on the indicator's input grid
(`input.decimals`) that still reaches the grade, by bisection; a yes/no value, a missing one
and a veto the unit must lift move all the way. `points` is each step's change of the total
after the steps before it.

Every score is one `assess` of all units at once: one per indicator for the gains, one per
step, one per bisection round. That is exact when a unit's total depends only on its own
values: the scheme's target-based normalisations, scheme-given weights (expert, equal, AHP),
and arithmetic or geometric aggregation. A data-driven normalisation (the run's override or
an indicator's own, e.g. minmax), weighting (entropy) or relative aggregation (TOPSIS) couples
the units: each is then re-scored with only its own values changed, one `assess` per unit and
trial, which is slow for many units but gives the same path the unit alone would get.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..methods import registry
from ..scheme.model import Direction, InputType
from . import rules
from .document import GradeStep, NextGrade
from .engine import Assessment, assess

# Weightings whose weights come from the scheme, not from the values assessed; any other is
# taken as data-driven, which costs time but never exactness.
_FIXED_WEIGHTING = frozenset({"expert", "equal", "ahp"})


class _Rescore:
    """Totals and grade indices (after vetoes) of an assessment re-scored with changed values."""

    def __init__(self, a: Assessment) -> None:
        self.a = a
        self.raw = a.inputs.raw.to_numpy(dtype=float)
        self.total = a.total.to_numpy(dtype=float)
        self.grade = _grade_index(a)
        self.coupled = _coupled(a)

    def __call__(self, raw: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every unit's total and grade index: `rows` (indices) scored with their rows of
        `raw`, the others as assessed."""
        total, grade = self.total.copy(), self.grade.copy()
        if not len(rows):
            return total, grade
        if not self.coupled:
            t, g = self._score(raw)
            total[rows], grade[rows] = t[rows], g[rows]
            return total, grade
        for u in rows:
            alone = self.raw.copy()
            alone[u] = raw[u]
            t, g = self._score(alone)
            total[u], grade[u] = t[u], g[u]
        return total, grade

    def _score(self, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        frame = pd.DataFrame(raw, index=self.a.inputs.raw.index, columns=self.a.inputs.raw.columns)
        b = assess(self.a.scheme, dataclasses.replace(self.a.inputs, raw=frame), self.a.params)
        return b.total.to_numpy(dtype=float), _grade_index(b)


def _grade_index(a: Assessment) -> np.ndarray:
    """Each unit's grade index after vetoes (0 = best band), from its total."""
    floor = rules.veto_floor(a.scheme, a.vetoes.to_numpy(dtype=bool))
    return rules.grade_index(a.scheme, a.total.to_numpy(dtype=float), floor)


def _coupled(a: Assessment) -> bool:
    """Whether one unit's values can change another unit's total (see the module's doc)."""
    data_driven = set(registry.names("normalisation", override=True))
    own = {i.scoring.method for i in a.scheme.indicators}
    p = a.params
    return (
        p.normalisation is not None
        or bool(own & data_driven)
        or p.weighting not in _FIXED_WEIGHTING
        or registry.method("aggregation", p.aggregation).relative
    )


def next_grades(a: Assessment) -> dict[str, NextGrade | None]:
    """Per unit id (in `a.total`'s order), its path to the next better grade; None at the top
    grade, and for every unit of a run whose totals are not graded by the bands."""
    scheme = a.scheme
    ids = list(a.total.index)
    order = [g.id for g in scheme.grades]
    graded = np.array([g is not None for g in a.grade_by_score], dtype=bool)
    now = np.where(graded, [order.index(g) if g is not None else 0 for g in a.grade], 0)
    below = now > 0
    goal = np.maximum(now - 1, 0)

    score = _Rescore(a)
    raw = score.raw
    to, cand, first = _candidates(a, raw, goal)
    cand &= below[:, None]
    first &= cand
    count = cand.sum(axis=1)
    gain = _gains(score, raw, to, cand)
    m = raw.shape[1]
    # Per unit: the vetoes it must lift, then by gain, then in scheme order; others after.
    rank = np.where(first, 0, np.where(cand, 1, 2))
    cols = np.broadcast_to(np.arange(m), raw.shape)
    path = np.lexsort((cols, -np.where(cand, gain, 0.0), rank), axis=-1)

    applied, taken, totals, reached = _cumulate(score, raw, to, path, count, goal, below)
    n = len(ids)
    last = path[np.arange(n), np.maximum(taken - 1, 0)]
    yesno = np.array([i.input.type is InputType.YESNO for i in scheme.indicators])
    decimals = np.array([i.input.decimals for i in scheme.indicators])
    rows = np.flatnonzero(
        reached
        & (taken > 0)
        & ~first[np.arange(n), last]
        & ~yesno[last]
        & ~np.isnan(raw[np.arange(n), last])
    )
    if len(rows):
        applied[rows, last[rows]] = _shortest(
            score, applied, raw, to, rows, last[rows], decimals[last[rows]], goal
        )
    final_total, final_grade = score(applied, np.flatnonzero(below & (count > 0)))

    out: dict[str, NextGrade | None] = {}
    ind_ids = [i.id for i in scheme.indicators]
    current = score.total
    for u, uid in enumerate(ids):
        if not below[u]:
            out[uid] = None
            continue
        k = int(taken[u])
        prefix = [totals[i][u] for i in range(k)] + [final_total[u]]
        steps = tuple(
            GradeStep(
                indicator=ind_ids[j],
                from_=None if np.isnan(raw[u, j]) else round(float(raw[u, j]), 6),
                to=round(float(applied[u, j]), 6),
                points=round(float(prefix[i + 1] - prefix[i]), 2),
            )
            for i, j in enumerate(path[u, :k])
        )
        cut = scheme.grades[goal[u]].min
        out[uid] = NextGrade(
            grade=order[goal[u]],
            points_needed=round(max(cut - float(current[u]), 0.0), 2),
            reachable=bool(final_grade[u] <= goal[u]),
            steps=steps,
        )
    return out


def _candidates(
    a: Assessment, raw: np.ndarray, goal: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The milestone value each indicator would move to, where it is a candidate step, and
    where that step lifts a veto holding the unit below `goal` (units × indicators)."""
    scheme = a.scheme
    lo, hi = a.target.to_numpy(dtype=float), a.target_high.to_numpy(dtype=float)
    applicable = a.applicable.to_numpy(dtype=bool)
    to = np.full(raw.shape, np.nan)
    cand = np.zeros(raw.shape, dtype=bool)
    for j, ind in enumerate(scheme.indicators):
        x, low, high = raw[:, j], lo[:, j], hi[:, j]
        if ind.direction is Direction.HIGHER:
            to[:, j], met = low, x >= low
        elif ind.direction is Direction.LOWER:
            to[:, j], met = high, x <= high
        else:
            to[:, j], met = np.where(x > high, high, low), (x >= low) & (x <= high)
        # A missing value is short of the target; reporting it counts only if required.
        wanted = ~np.isnan(x) | ind.required
        cand[:, j] = applicable[:, j] & ~np.isnan(to[:, j]) & wanted & ~met

    first = np.zeros(raw.shape, dtype=bool)
    fired = a.vetoes.to_numpy(dtype=bool)
    vetoes = rules.veto_indicators(scheme)
    # The best grade index each veto alone leaves a unit.
    floors = rules.veto_floor(scheme, np.eye(len(vetoes), dtype=bool))
    col = {i.id: j for j, i in enumerate(scheme.indicators)}
    for k, ind in enumerate(vetoes):
        j = col[ind.id]
        lifts = fired[:, k] & ~np.isnan(to[:, j]) & ~ind.veto.fires(to[:, j])
        cand[:, j] |= lifts
        first[:, j] = lifts & (floors[k] > goal)
    return to, cand, first


def _gains(score: _Rescore, raw: np.ndarray, to: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Points each candidate step alone adds to its unit's total: one re-score per indicator."""
    gain = np.zeros(raw.shape)
    for j in np.flatnonzero(cand.any(axis=0)):
        rows = np.flatnonzero(cand[:, j])
        trial = raw.copy()
        trial[rows, j] = to[rows, j]
        total, _ = score(trial, rows)
        gain[rows, j] = total[rows] - score.total[rows]
    return gain


def _cumulate(
    score: _Rescore,
    raw: np.ndarray,
    to: np.ndarray,
    path: np.ndarray,
    count: np.ndarray,
    goal: np.ndarray,
    below: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], np.ndarray]:
    """Apply each unit's steps in `path` order, one more per re-score, until it reaches `goal`
    or runs out. Returns the values applied, the steps taken, the totals before each step
    (`totals[i]` holds a unit's total after i steps while it was still taking them), and
    whether the unit reached its goal."""
    applied = raw.copy()
    taken = np.zeros(len(raw), dtype=int)
    reached = np.zeros(len(raw), dtype=bool)
    totals = [score.total]
    active = below & (count > 0)
    k = 0
    while active.any():
        rows = np.flatnonzero(active)
        cols = path[rows, k]
        applied[rows, cols] = to[rows, cols]
        total, grade = score(applied, rows)
        k += 1
        taken[rows] = k
        totals.append(total)
        reached[rows] = grade[rows] <= goal[rows]
        active &= ~reached & (count > k)
    return applied, taken, totals, reached


def _shortest(
    score: _Rescore,
    applied: np.ndarray,
    raw: np.ndarray,
    to: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    decimals: np.ndarray,
    goal: np.ndarray,
) -> np.ndarray:
    """For each unit in `rows`, the value of its last step (indicator `cols`) nearest its
    reported value that still reaches its goal: a bisection over the points of the input
    grid between the two, all units at once (about log2 of the grid points, ≤ ~30 rounds)."""
    start, end = raw[rows, cols], to[rows, cols]
    sign = np.sign(end - start)  # oriented, a larger grid index is nearer the target
    scale = 10.0**decimals
    # Grid indices: `lo` at or behind the reported value (short of the goal, as the steps
    # before showed), `hi` at or past the target, which stands for the target itself.
    lo = np.floor(sign * start * scale)
    hi = np.ceil(sign * end * scale)

    def value(i: np.ndarray) -> np.ndarray:
        return sign * np.minimum(i / scale, sign * end)

    while (open_ := hi - lo > 1).any():
        mid = np.floor((lo + hi) / 2)
        trial = applied.copy()
        trial[rows, cols] = np.where(open_, value(mid), value(hi))
        _, grade = score(trial, rows[open_])
        ok = grade[rows] <= goal[rows]
        hi = np.where(open_ & ok, mid, hi)
        lo = np.where(open_ & ~ok, mid, lo)
    return value(hi)
