"""Assessed units (cities, prefectures, counties, zones) and the roster, loaded from `cities/`."""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from .io.compat import Table, upgrade
from .io.yamlfile import Parse, line_of, located_with_notes, validate_tree
from .problems import BeautycityError, Location, Problem, Problems, make_problem
from .resources import default_cities_dir
from .scheme.levels import Level  # re-exported: `cities.Level` is the units' level
from .scheme.model import Id, Model, Scheme, Text


class Unit(Model):
    """One assessed unit and its positioning (城市定位), as the plan states it."""

    id: Id
    name: Text
    short: Text  # the name as tables and charts show it (长春 / Changchun)
    code: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None  # GB/T 2260
    level: Level
    parent: Id | None = None
    positioning: Id
    statement: Text  # the plan's positioning sentence for this unit
    point: tuple[float, float] | None = None  # (longitude, latitude) for units without a polygon


class Roster(Model):
    units: tuple[Unit, ...]

    @cached_property
    def _by_id(self) -> dict[str, Unit]:
        # Looked up once per workbook and per unit of every table: thousands at national scale.
        first: dict[str, Unit] = {}
        for u in self.units:
            first.setdefault(u.id, u)
        return first

    def __getitem__(self, unit_id: str) -> Unit:
        unit = self._by_id.get(unit_id)
        if unit is not None:
            return unit
        raise BeautycityError.single(
            "cities.unknown-unit", value=unit_id, known=", ".join(u.id for u in self.units)
        )

    def find(self, text: str, where: Location | None = None) -> Unit:
        """The unit `text` names: its id, or its Chinese or English name or short name
        (`songyuan`, `松原市`, `松原`, `Songyuan`); else a problem at `where` listing the ids."""
        wanted = text.strip()
        if wanted in self:
            return self[wanted]
        folded = wanted.casefold()
        matches = [
            u
            for u in self.units
            if folded in {n.casefold() for n in (u.name.zh, u.name.en, u.short.zh, u.short.en)}
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(u.id for u in matches)
            raise BeautycityError.single("cities.ambiguous-unit", where, value=text, matches=ids)
        known = ", ".join(u.id for u in self.units)
        raise BeautycityError.single("cities.unknown-unit", where, value=text, known=known)

    def __contains__(self, unit_id: object) -> bool:
        return isinstance(unit_id, str) and unit_id in self._by_id

    def __iter__(self):  # type: ignore[override]  # iterate units, not pydantic fields
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)


def load_roster(folder: Path | str | None = None, scheme: Scheme | None = None) -> Roster:
    """Load every `*.yaml` unit profile in `folder`; with `scheme`, check their positionings.

    Every problem of every file is reported at once.
    """
    return load_roster_with_notes(folder, scheme)[0]


def load_roster_with_notes(
    folder: Path | str | None = None, scheme: Scheme | None = None, moved: Table | None = None
) -> tuple[Roster, list[Problem]]:
    """`load_roster`, with the notes of reading it: one per key a file writes as an older
    beautycity did (`compat.moved-key`, located at that key). `moved` stands in for the unit
    keys of `texts/moved.yaml`."""
    directory = Path(folder) if folder else default_cities_dir()
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise BeautycityError.single("data.no-files", Location(file=str(directory)))
    return located_with_notes(lambda parse: _roster(files, scheme, moved, parse))


def _roster(
    files: list[Path], scheme: Scheme | None, moved: Table | None, parse: Parse
) -> tuple[Roster, list[Problem]]:
    problems = Problems()
    units: list[tuple[Unit, Path, object]] = []
    for file in files:
        try:
            tree = parse(file)
            problems.extend(upgrade(tree, "unit", str(file), moved))
            problems.extend(_unquoted_code(file, tree))
            units.append((validate_tree(Unit, tree, str(file)), file, tree))
        except BeautycityError as exc:
            problems.extend(exc.problems)
    counts = Counter(u.id for u, _, _ in units)
    ids = ", ".join(sorted(counts))
    for unit, file, tree in units:
        if counts[unit.id] > 1:
            problems.extend([_at("data.duplicate-id", file, tree, "id", value=unit.id)])
        if unit.parent is not None and unit.parent not in counts:
            problems.extend(
                [_at("cities.unknown-parent", file, tree, "parent", value=unit.parent, known=ids)]
            )
        if scheme is not None and unit.positioning not in scheme.positioning:
            known = ", ".join(scheme.positioning)
            problems.extend(
                [
                    _at(
                        "cities.unknown-positioning",
                        file,
                        tree,
                        "positioning",
                        value=unit.positioning,
                        known=known,
                    )
                ]
            )
    problems.raise_if_errors()
    return Roster(units=tuple(u for u, _, _ in units)), problems.notes


def _unquoted_code(file: Path, tree: object) -> list[Problem]:
    """`code: 220184` without quotes is read as a number; say to quote it, and read it as
    the text it was meant to be, so that pydantic does not add "should be a valid string"."""
    if not isinstance(tree, dict):
        return []
    code = tree.get("code")
    if not isinstance(code, int) or isinstance(code, bool):
        return []
    tree["code"] = str(code)
    return [_at("cities.code-not-quoted", file, tree, "code", value=code)]


def _at(code: str, file: Path, tree: object, key: str, **params: object) -> Problem:
    return make_problem(
        code, Location(file=str(file), line=line_of(tree, [key]), path=key), **params
    )


def roster_rows(roster: Roster, scheme: Scheme) -> list[dict[str, Any]]:
    return [
        {
            "id": u.id,
            "name_zh": u.name.zh,
            "name_en": u.name.en,
            "code": u.code,
            "level": u.level.value,
            "positioning": u.positioning,
            "positioning_zh": scheme.positioning[u.positioning].name.zh,
            "positioning_en": scheme.positioning[u.positioning].name.en,
        }
        for u in roster
    ]
