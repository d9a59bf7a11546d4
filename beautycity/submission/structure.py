"""Is this workbook the template it claims to be? Metadata and structure checks.

A workbook's hidden `_meta` sheet says which scheme, unit and year it was made for. From that
claim the reader rebuilds the expected layout, and checks the stored checksum and every
structural cell against it before reading a single value: a workbook whose rows moved
would otherwise put numbers under the wrong indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cities import Roster
from ..problems import Location, Problems
from ..scheme.model import Scheme
from ..workbook.layout import (
    CHECKSUM_KEY,
    COLUMNS,
    COVER_FIELDS,
    FIELD_ROW,
    MARK,
    META_KEYS,
    TEMPLATE_VERSION,
    Layout,
    canon,
    plan,
    sheet_names,
    unit_name,
)
from .cells import measure_keys
from .safe import Book, Sheet

META_ROWS = 100  # far more than the template's metadata rows
COVER_ROWS = FIELD_ROW + len(COVER_FIELDS) - 1  # the fields; the guidance below is not read
COVER_COLS = 3
INPUT_COLS = len(COLUMNS)


@dataclass(frozen=True)
class Meta:
    """What a workbook claims to be, read from its `_meta` sheet."""

    values: dict[str, str]
    rows: dict[str, int]  # key → row on the meta sheet, to point at it
    city: str
    year: int


def read_meta(
    book: Book, problems: Problems, where: Location, scheme: Scheme, roster: Roster
) -> Meta | None:
    """The workbook's claim, when it is a beautycity template of this scheme for a known unit."""
    _, _, meta_name = sheet_names()
    if meta_name not in book.sheetnames:
        problems.add("structure.no-meta", where)
        return None
    values: dict[str, str] = {}
    rows: dict[str, int] = {}
    # Only the rows a template fills: a hostile workbook may put a row at 1,048,576.
    sheet = book.sheet(meta_name, META_ROWS, 2)
    for row in range(1, META_ROWS + 1):
        key = canon(sheet[f"A{row}"].value)
        if key and key not in values:
            values[key], rows[key] = canon(sheet[f"B{row}"].value), row
    at = where.model_copy(update={"sheet": meta_name})
    if values.get("mark") != MARK:
        problems.add("structure.no-meta", where)
        return None
    if values.get("template_version") != TEMPLATE_VERSION:
        problems.add(
            "structure.template-version",
            _cell(at, rows, "template_version"),
            found=values.get("template_version") or "—",
            expected=TEMPLATE_VERSION,
        )
        return None
    missing = [k for k in (*META_KEYS, CHECKSUM_KEY) if not values.get(k)]
    if not values.get("year", "").isdigit():
        missing.append("year")
    for key in dict.fromkeys(missing):
        problems.add("structure.meta-invalid", _cell(at, rows, key), key=key)
    if missing:
        return None
    found = f"{values['scheme_id']} {values['scheme_version']}"
    expected = f"{scheme.id} {scheme.version}"
    if found != expected:
        problems.add(
            "structure.other-scheme",
            _cell(at, rows, "scheme_version"),
            found=found,
            expected=expected,
        )
        return None
    city, year = values["city"], int(values["year"])
    if city not in roster:
        problems.add("structure.unknown-city", _cell(at, rows, "city"), value=city)
        return None
    if year not in scheme.years:
        problems.add(
            "structure.year-outside",
            _cell(at, rows, "year"),
            year=year,
            first=scheme.years.first,
            last=scheme.years.last,
        )
        return None
    return Meta(values=values, rows=rows, city=city, year=year)


def check_structure(
    book: Book,
    meta: Meta,
    problems: Problems,
    where: Location,
    scheme: Scheme,
    roster: Roster,
    expect_city: str | None,
    expect_year: int | None,
) -> Layout | None:
    """The layout to read values by, when the workbook still has it; else None."""
    unit = roster[meta.city]
    if expect_city is not None and expect_city != meta.city:
        expected = roster[expect_city]
        problems.add(
            "structure.wrong-city", where, found=unit_name(unit), expected=unit_name(expected)
        )
    if expect_year is not None and expect_year != meta.year:
        problems.add("structure.wrong-year", where, found=meta.year, expected=expect_year)
    cover_name, input_name, meta_name = sheet_names()
    missing = [name for name in (cover_name, input_name) if name not in book.sheetnames]
    for name in missing:
        problems.add("structure.missing-sheet", where, sheet=name)
    if missing:
        return None
    layout = plan(scheme, unit, meta.year)
    sheets = {
        cover_name: book.sheet(cover_name, COVER_ROWS, COVER_COLS),
        input_name: input_sheet(book, layout),
    }
    intact = True
    if meta.values[CHECKSUM_KEY] != layout.checksum():
        at = _cell(where.model_copy(update={"sheet": meta_name}), meta.rows, CHECKSUM_KEY)
        problems.add("structure.checksum", at)
        intact = False
    for sheet, ref, text in layout.structural_cells():
        found = canon(sheets[sheet][ref].value)
        if found != canon(text):
            at = where.model_copy(update={"sheet": sheet, "cell": ref})
            problems.add("structure.changed", at, expected=text, found=found)
            intact = False
    if not intact:
        return None
    # What the reader never parses, noted so that nothing is ignored unsaid: officers' own
    # sheets, and rows pasted below the table.
    for name in book.sheetnames:
        if name not in (cover_name, input_name, meta_name):
            problems.add(
                "structure.extra-sheet", where.model_copy(update={"sheet": name}), sheet=name
            )
    below = sheets[input_name].below
    if below is not None:
        at = where.model_copy(update={"sheet": input_name, "cell": f"A{below}"})
        problems.add("structure.rows-below", at, sheet=input_name, row=below, last=layout.last_row)
    return layout


def input_sheet(book: Book, layout: Layout) -> Sheet:
    """The input sheet down to the table's last row: rows pasted below it are never parsed."""
    return book.sheet(sheet_names()[1], layout.last_row, INPUT_COLS)


def scheme_units(scheme: Scheme) -> frozenset[str]:
    """Every spelling of every unit in the scheme, to tell a wrong unit from stray text."""
    measures = [i.unit for i in scheme.indicators]
    measures += [a.unit for a in scheme.adjustments if a.unit is not None]
    return frozenset().union(*(measure_keys(m) for m in measures))


def _cell(at: Location, rows: dict[str, int], key: str) -> Location:
    return at.model_copy(update={"cell": f"B{rows[key]}"}) if key in rows else at
