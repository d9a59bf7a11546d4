"""Carrying a city's values over from a workbook made for an older scheme version.

When the scheme changes after templates went out, a city should not type everything again:
the values of indicators that still mean the same (same id; same definition, unit, direction
and input type: `scheme.diff.same_meaning`) are read from its old workbook and prefilled in
the new template; new and redefined indicators stay empty. The old workbook is opened as any
submission is (`precheck`, then the bounded reader of `safe`), its structure checked against
the scheme it was made for, and each value read by the submission reader's cell rules, so a
value that would be refused is not carried either.

Without the older scheme the meaning cannot be compared: values are matched by indicator
code, and only where the unit shown beside them is still the same, and a note says so.

This sits with the reader, not with the template builder: it reads a submitted workbook, and
the layer order lets the reader use the workbook layout, not the other way round.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..cities import Roster, Unit
from ..problems import BeautycityError, Location, Problem, Problems
from ..scheme.diff import same_meaning
from ..scheme.model import InputSpec, Measure, Scheme
from ..workbook.fill import fill_workbook
from ..workbook.layout import (
    COLUMNS,
    FIRST_ROW,
    TEXT_MAX,
    Item,
    Layout,
    canon,
    plan,
    sheet_names,
    unit_text,
)
from .cells import RawCell, read_cell
from .precheck import precheck
from .safe import Book, Refused, Sheet, ensure_defused, open_book
from .structure import (
    INPUT_COLS,
    Meta,
    check_structure,
    input_sheet,
    read_meta,
    scheme_units,
)

SCAN_ROWS = 500  # rows of the input sheet searched for codes when the old scheme is unknown
Skip = Literal["new", "changed", "empty", "out_of_range"]


class Carried(BaseModel):
    """What an old workbook gives the new template, and why the rest is not carried."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    city: str
    year: int
    scheme_id: str  # the scheme the old workbook was made for
    scheme_version: str
    values: dict[str, float]  # item id (indicator or counted adjustment) → value carried
    sources: dict[str, str] = {}  # of the values carried
    notes: dict[str, str] = {}
    skipped: dict[str, Skip] = {}  # items of the new template not carried, and why
    problems: tuple[Problem, ...] = ()  # notes only: errors are raised

    def summary(self) -> dict[str, object]:
        """What `texts/scheme_tools.yaml` `carry.summary` names."""
        return {
            "file": self.file,
            "scheme": self.scheme_id,
            "version": self.scheme_version,
            "year": self.year,
            "carried": len(self.values),
            "skipped": len(self.skipped),
        }


def carry_over(
    old_workbook: Path | str, scheme: Scheme, roster: Roster, old_scheme: Scheme | None = None
) -> dict[str, float | None]:
    """The values of `old_workbook` to prefill in `scheme`'s template, by item id."""
    return dict(read_carried(old_workbook, scheme, roster, old_scheme).values)


def read_carried(
    old_workbook: Path | str, scheme: Scheme, roster: Roster, old_scheme: Scheme | None = None
) -> Carried:
    """Read `old_workbook` (a template filled in under `old_scheme`, or an unknown older
    version when None) for `scheme`. Raises `BeautycityError` when it cannot be read."""
    ensure_defused()
    path = Path(old_workbook)
    where = Location(file=str(path))
    problems = Problems()
    data = precheck(path, problems, where)
    if data is None:
        problems.raise_if_errors()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions (e.g. from LibreOffice)
            book = open_book(data)
        with book:
            carried = _read(book, path, scheme, roster, old_scheme, problems, where)
    except Refused as exc:
        raise BeautycityError.single(exc.code, where, **exc.params) from None
    except BeautycityError:
        raise
    except Exception as exc:  # a broken file, as the reader says of any submission
        reason = f"{type(exc).__name__}: {exc}"[:200]
        raise BeautycityError.single("file.unreadable", where, reason=reason) from None
    problems.raise_if_errors()
    assert carried is not None  # no errors: it was read
    return carried.model_copy(update={"problems": tuple(problems)})


def _read(
    book: Book,
    path: Path,
    scheme: Scheme,
    roster: Roster,
    old_scheme: Scheme | None,
    problems: Problems,
    where: Location,
) -> Carried | None:
    meta = read_meta(book, problems, where, roster)
    if meta is None:
        return None
    found = (meta.values["scheme_id"], meta.values["scheme_version"])
    if old_scheme is not None and found != (old_scheme.id, old_scheme.version):
        expected = f"{old_scheme.id} {old_scheme.version}"
        problems.add("carry.other-scheme", where, found=" ".join(found), expected=expected)
        return None
    if old_scheme is None and found == (scheme.id, scheme.version):
        old_scheme = scheme  # made for this very version: read it as a submission
    if old_scheme is None:
        return _by_code(book, path, meta, scheme, roster, problems, where)
    old = check_structure(book, meta, problems, where, old_scheme, roster, None, None)
    if old is None:
        return None
    new = plan(scheme, roster[meta.city], meta.year)
    before = {i.id: i for i in old.items}
    reader = _Cells(book, old)
    out = _Collect()
    for item in new.items:
        was = before.get(item.id)
        if was is None:
            out.skip(item.id, "new")
        elif not same_meaning(_model(was), _model(item)):
            out.skip(item.id, "changed")
        else:
            out.take(item, reader, was.row, was.spec, was.unit)
    return out.result(path, meta, found)


def _by_code(
    book: Book,
    path: Path,
    meta: Meta,
    scheme: Scheme,
    roster: Roster,
    problems: Problems,
    where: Location,
) -> Carried:
    """Values matched by code, where the unit shown beside them is unchanged."""
    new = plan(scheme, roster[meta.city], meta.year)
    reader = _Cells(book, None)
    rows: dict[str, int] = {}
    for row in range(FIRST_ROW, SCAN_ROWS + 1):
        rows.setdefault(canon(reader.sheet[f"{COLUMNS['code']}{row}"].value), row)
    out = _Collect()
    for item in new.items:
        row = rows.get(item.code)
        if row is None:
            out.skip(item.id, "new")
        elif canon(reader.sheet[f"{COLUMNS['unit']}{row}"].value) != canon(unit_text(item.unit)):
            out.skip(item.id, "changed")
        else:
            out.take(item, reader, row, item.spec, item.unit)
    found = (meta.values["scheme_id"], meta.values["scheme_version"])
    problems.add("carry.by-code", where, found=" ".join(found), carried=len(out.values))
    return out.result(path, meta, found)


def _model(item: Item) -> BaseModel:
    model = item.indicator.indicator if item.indicator is not None else item.adjustment
    assert model is not None
    return model


class _Cells:
    """The old workbook's input sheet (values, and formulas when it has any)."""

    def __init__(self, book: Book, layout: Layout | None) -> None:
        name = sheet_names()[1]
        self.sheet: Sheet = (
            input_sheet(book, layout) if layout else book.sheet(name, SCAN_ROWS, INPUT_COLS)
        )
        self.formulas = book.formulas(name)
        self.others = scheme_units(layout.scheme) if layout else frozenset()

    def value(self, row: int, spec: InputSpec, unit: Measure) -> float | None:
        ref = f"{COLUMNS['value']}{row}"
        cell, formula = self.sheet[ref], None
        if self.formulas is not None and self.formulas[ref].data_type == "f":
            written = self.formulas[ref].value
            formula = getattr(written, "text", None) or str(written)
        raw = RawCell(cell.value, cell.number_format, cell.data_type == "e", formula)
        reading = read_cell(raw, spec, unit, required=False, other_units=self.others)
        return reading.value if reading.ok else None

    def text(self, row: int, column: str) -> str:
        return canon(self.sheet[f"{COLUMNS[column]}{row}"].value)[:TEXT_MAX]


class _Collect:
    def __init__(self) -> None:
        self.values: dict[str, float] = {}
        self.sources: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.skipped: dict[str, Skip] = {}

    def skip(self, item_id: str, reason: Skip) -> None:
        self.skipped[item_id] = reason

    def take(self, item: Item, cells: _Cells, row: int, spec: InputSpec, unit: Measure) -> None:
        value = cells.value(row, spec, unit)
        if value is None:
            self.skip(item.id, "empty")
        elif not item.spec.contains(value):
            self.skip(item.id, "out_of_range")
        else:
            self.values[item.id] = value
            for column, into in (("source", self.sources), ("note", self.notes)):
                text = cells.text(row, column)
                if text:
                    into[item.id] = text

    def result(self, path: Path, meta: Meta, found: tuple[str, str]) -> Carried:
        return Carried(
            file=str(path),
            city=meta.city,
            year=meta.year,
            scheme_id=found[0],
            scheme_version=found[1],
            values=self.values,
            sources=self.sources,
            notes=self.notes,
            skipped=self.skipped,
        )


def carry_into(
    templates: Sequence[Path],
    units: Sequence[Unit],
    source: Path,
    old_scheme: Scheme | None,
    scheme: Scheme,
    roster: Roster,
    year: int,
) -> list[Carried]:
    """Fill each freshly written template (of `units`, in order) with what its unit's old
    workbook carries over: `source` is that workbook, or a folder holding them."""
    if source.is_dir():
        found = {}
        for path in sorted(source.glob("*.xlsx")):
            carried = read_carried(path, scheme, roster, old_scheme)
            found.setdefault(carried.city, carried)
    else:
        carried = read_carried(source, scheme, roster, old_scheme)
        found = {carried.city: carried}
    out = []
    for template, unit in zip(templates, units, strict=True):
        carried = found.get(unit.id)
        if carried is None:
            raise BeautycityError.single(
                "template.carry-no-workbook",
                Location(file=str(source)),
                unit=unit.id,
                folder=str(source),
            )
        if carried.year != year:
            raise BeautycityError.single(
                "template.carry-other-year",
                Location(file=carried.file),
                found=carried.year,
                year=year,
            )
        layout = plan(scheme, unit, year)
        fill_workbook(
            template, template, layout, carried.values, sources=carried.sources,
            notes=carried.notes,
        )  # fmt: skip
        out.append(carried)
    return out
