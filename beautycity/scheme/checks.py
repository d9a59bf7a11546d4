"""Cross-field checks of a scheme that passed its field checks: every problem, located."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..io.yamlfile import PathKey, format_path, line_of
from ..problems import Location, Problems
from ..texts import both
from .levels import LEVELS
from .model import Direction, Indicator, Scheme, Target

_TOLERANCE = 1e-6


class _Checker:
    def __init__(self, scheme: Scheme, tree: Any, file: str) -> None:
        self.scheme = scheme
        self.tree = tree
        self.file = file
        self.problems = Problems()

    def add(self, code: str, path: tuple[PathKey, ...], **params: Any) -> None:
        where = Location(file=self.file, line=line_of(self.tree, path), path=format_path(path))
        self.problems.add(code, where, **params)

    def run(self) -> Problems:
        self.duplicates()
        if self.problems.errors:
            return self.problems  # later checks look things up by id, which duplicates confuse
        self.references()
        self.weights()
        self.targets()
        self.coverage()
        self.grades()
        return self.problems

    def duplicates(self) -> None:
        s = self.scheme
        for section, items in (
            ("dimensions", s.dimensions),
            ("positionings", s.positionings),
            ("indicators", s.indicators),
            ("adjustments", s.adjustments),
            ("grades", s.grades),
        ):
            self._dupes(section, "id", [x.id for x in items], "data.duplicate-id")
        self._dupes("dimensions", "code", [d.code for d in s.dimensions], "data.duplicate-code")
        # Indicator and adjustment codes share the workbook's code column.
        codes = [("indicators", i, x.code) for i, x in enumerate(s.indicators)] + [
            ("adjustments", i, x.code) for i, x in enumerate(s.adjustments)
        ]
        seen = Counter(c for _, _, c in codes)
        for section, i, code in codes:
            if seen[code] > 1:
                self.add("data.duplicate-code", (section, i, "code"), value=code)

    def _dupes(self, section: str, field: str, values: list[str], code: str) -> None:
        seen = Counter(values)
        for i, value in enumerate(values):
            if seen[value] > 1:
                self.add(code, (section, i, field), value=value)

    def references(self) -> None:
        s = self.scheme
        for i, ind in enumerate(s.indicators):
            if ind.dimension not in s.dimension:
                self.add(
                    "scheme.unknown-dimension", ("indicators", i, "dimension"), value=ind.dimension
                )
            if ind.characteristic:
                for j, pid in enumerate(ind.positionings):
                    if pid not in s.positioning:
                        self.add(
                            "scheme.unknown-positioning",
                            ("indicators", i, "positionings", j),
                            value=pid,
                        )
            for pid in ind.positioning_advice:
                if pid not in s.positioning:
                    path = ("indicators", i, "positioning_advice", pid)
                    self.add("scheme.unknown-positioning", path, value=pid)
            if ind.levels != "all":
                for j, level in enumerate(ind.levels):
                    if level not in LEVELS:
                        self.add(
                            "scheme.unknown-level",
                            ("indicators", i, "levels", j),
                            value=level,
                            known=", ".join(LEVELS),
                        )
            if ind.veto and ind.veto.effect == "cap":
                self._grade_ref(ind.veto.cap_grade, ("indicators", i, "veto", "cap_grade"))
            if ind.scoring.method == "yesno" and ind.input.type != "yesno":
                self.add("scheme.yesno-input", ("indicators", i, "input", "type"))
        for i, pos in enumerate(s.positionings):
            for dim in pos.dimension_weights:
                if dim not in s.dimension:
                    self.add(
                        "scheme.unknown-dimension",
                        ("positionings", i, "dimension_weights", dim),
                        value=dim,
                    )
            for section in ("indicator_weights", "targets"):
                for ind_id in getattr(pos, section):
                    path = ("positionings", i, section, ind_id)
                    if ind_id not in s.indicator:
                        self.add("scheme.unknown-indicator", path, value=ind_id)
                    elif not s.indicator[ind_id].applies_to(pos.id):
                        self.add("scheme.not-applicable", path, value=ind_id, positioning=pos.id)
        for i, adj in enumerate(s.adjustments):
            if adj.basis == "shortfall":
                if adj.indicator is None or adj.indicator not in s.indicator:
                    self.add(
                        "scheme.unknown-indicator",
                        ("adjustments", i, "indicator"),
                        value=adj.indicator,
                    )
            elif adj.input is None or adj.unit is None:
                self.add("scheme.count-needs-input", ("adjustments", i))

    def _grade_ref(self, grade: str | None, path: tuple[PathKey, ...]) -> None:
        if grade not in {g.id for g in self.scheme.grades}:
            self.add("scheme.unknown-grade", path, value=grade)

    def weights(self) -> None:
        s = self.scheme
        for k, ind in enumerate(s.indicators):
            if ind.weight == 0 and ind.veto is None:
                self.add("scheme.zero-weight", ("indicators", k, "weight"), indicator=ind.code)
        declared = s.weights.dimensions
        total = sum(d.weight for d in s.dimensions)
        if not math.isclose(total, declared, abs_tol=_TOLERANCE):
            self.add(
                "scheme.weights-sum",
                ("dimensions",),
                **_over("dimensions"),
                weights=_listed((d.code, d.weight) for d in s.dimensions),
                total=total,
                declared=declared,
            )
        for i, pos in enumerate(s.positionings):
            if not pos.dimension_weights:
                continue
            total = sum(pos.dimension_weights.get(d.id, d.weight) for d in s.dimensions)
            if not math.isclose(total, declared, abs_tol=_TOLERANCE):
                self.add(
                    "scheme.weights-sum",
                    ("positionings", i, "dimension_weights"),
                    **_over("positioning", name=pos.name),
                    weights=_listed(
                        (d.code, pos.dimension_weights.get(d.id, d.weight)) for d in s.dimensions
                    ),
                    total=total,
                    declared=declared,
                )
        for d_index, dim in enumerate(s.dimensions):
            common = [i for i in s.indicators if i.dimension == dim.id and not i.characteristic]
            total = sum(i.weight for i in common)
            if common and not math.isclose(total, s.weights.indicators, abs_tol=_TOLERANCE):
                self.add(
                    "scheme.weights-sum",
                    ("dimensions", d_index),
                    **_over("dimension", name=dim.name),
                    weights=_listed((i.code, i.weight) for i in common),
                    total=total,
                    declared=s.weights.indicators,
                )

    def targets(self) -> None:
        s = self.scheme
        if s.target_year not in s.years:
            self.add(
                "scheme.year-outside",
                ("target_year",),
                year=s.target_year,
                first=s.years.first,
                last=s.years.last,
            )
        for i, ind in enumerate(s.indicators):
            self._target_values(ind, ind.targets, ("indicators", i, "targets"))
        for i, pos in enumerate(s.positionings):
            for ind_id, targets in pos.targets.items():
                ind = s.indicator.get(ind_id)
                if ind is None:
                    continue
                path = ("positionings", i, "targets", ind_id)
                self._target_values(ind, targets, path)
                for year, value in targets.items():
                    base = ind.targets.get(year)
                    if base is not None and not _stricter_or_equal(ind, value, base):
                        self.add(
                            "scheme.target-not-stricter",
                            (*path, str(year)),
                            value=_fmt(value),
                            base=_fmt(base),
                            indicator=ind_id,
                        )

    def _target_values(
        self, ind: Indicator, targets: dict[int, Target], path: tuple[PathKey, ...]
    ) -> None:
        floor = getattr(ind.scoring, "floor", None)
        for year, value in targets.items():
            where = (*path, str(year))  # a mapping key, not a list index
            if floor is not None and not isinstance(value, tuple) and _better(ind, floor, value):
                self.add(
                    "scheme.floor-side",
                    where,
                    floor=_fmt(floor),
                    value=_fmt(value),
                    indicator=ind.id,
                )
            if year not in self.scheme.years:
                self.add(
                    "scheme.year-outside",
                    where,
                    year=year,
                    first=self.scheme.years.first,
                    last=self.scheme.years.last,
                )
            values = value if isinstance(value, tuple) else (value,)
            if isinstance(value, tuple) and ind.direction is not Direction.RANGE:
                self.add("scheme.range-target", where, indicator=ind.id)
            if ind.direction is Direction.RANGE and not isinstance(value, tuple):
                self.add("scheme.range-target", where, indicator=ind.id)
            for v in values:
                if not ind.input.contains(v):
                    self.add(
                        "scheme.target-out-of-range",
                        where,
                        value=_fmt(v),
                        min=_fmt(ind.input.min),
                        max=_fmt(ind.input.max),
                    )

    def coverage(self) -> None:
        """Every dimension keeps an indicator for every positioning, and for every unit level
        of it when some indicators apply to some levels only."""
        s = self.scheme
        limited = any(ind.levels != "all" for ind in s.indicators)
        for i, pos in enumerate(s.positionings):
            for dim in s.dimensions:
                members = [ind for ind in s.indicators if ind.dimension == dim.id]
                if not any(ind.applies_to(pos.id) for ind in members):
                    self.add(
                        "scheme.empty-dimension",
                        ("positionings", i),
                        positioning=pos.id,
                        dimension=dim.id,
                    )
                    continue
                for level in LEVELS if limited else ():
                    if not any(ind.applies_to(pos.id, level) for ind in members):
                        self.add(
                            "scheme.empty-dimension-level",
                            ("positionings", i),
                            positioning=pos.id,
                            level=level,
                            dimension=dim.id,
                        )

    def grades(self) -> None:
        mins = [g.min for g in self.scheme.grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            self.add("scheme.grade-order", ("grades",))
        if mins and min(mins) > 0:
            self.add("scheme.grade-floor", ("grades",), lowest=_fmt(min(mins)))


def _better(ind: Indicator, a: float, b: float) -> bool:
    """Whether `a` is strictly better than `b` in the indicator's direction."""
    return a < b if ind.direction is Direction.LOWER else a > b


def _stricter_or_equal(ind: Indicator, value: Target, base: Target) -> bool:
    if isinstance(value, tuple) or isinstance(base, tuple):
        lo, hi = _pair(value)
        blo, bhi = _pair(base)
        return lo >= blo and hi <= bhi
    if ind.direction is Direction.LOWER:
        return value <= base
    return value >= base


def _pair(value: Target) -> tuple[float, float]:
    return value if isinstance(value, tuple) else (value, value)


def _fmt(value: object) -> str:
    if isinstance(value, Iterable) and not isinstance(value, str):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_scheme(scheme: Scheme, tree: Any, file: str) -> None:
    """Raise `BeautycityError` with every cross-field problem of `scheme`, if there is any."""
    _Checker(scheme, tree, file).run().raise_if_errors()


def _over(key: str, **names: Any) -> dict[str, str]:
    """What a weight sum is over, in both languages (`labels.yaml`, `weights_of`)."""
    zh, en = both(f"weights_of.{key}", "labels", **names)
    return {"what_zh": zh, "what_en": en}


def _listed(weights: Iterable[tuple[str, float]]) -> str:
    """ "A1 30 + A2 20 + …": the weights a sum is made of, so the fix can be found."""
    return " + ".join(f"{code} {_fmt(w)}" for code, w in weights)
