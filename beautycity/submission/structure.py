"""Is this workbook the template it claims to be? Metadata and structure checks.

A workbook's hidden `_meta` sheet says which scheme (id, version, content hash), unit and year
it was made for. A workbook made for another scheme, version, year or unit is one problem, as
is hidden data that no longer matches its checksum: nothing in such a workbook is read, so
none of it is blamed cell by cell. Otherwise the reader finds each indicator's row by its code,
so that rows inserted, deleted or re-sorted on the sheet cost one note, not a problem per row:
a value is only ever read from the row that carries its indicator's code and unit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    scheme_hash,
    sheet_names,
    unit_name,
    unit_text,
)
from .cells import bounded, measure_keys
from .safe import Book, Sheet

META_ROWS = 100  # far more than the template's metadata rows
COVER_ROWS = FIELD_ROW + len(COVER_FIELDS) - 1  # the fields; the guidance below is not read
COVER_COLS = 3
INPUT_COLS = len(COLUMNS)
# Rows read below the template's table, where rows inserted above it push indicators. Far more
# than anyone inserts by hand; a row pushed further is reported missing.
ROOM = 100
_SHOWN_CODES = 5  # duplicated codes named in full; the rest are counted


@dataclass(frozen=True)
class Meta:
    """What a workbook claims to be, read from its `_meta` sheet."""

    values: dict[str, str]
    rows: dict[str, int]  # key → row on the meta sheet, to point at it
    city: str
    year: int


def read_meta(book: Book, problems: Problems, where: Location, roster: Roster) -> Meta | None:
    """The workbook's claim, when it is a readable beautycity template for a known unit."""
    _, _, meta_name = sheet_names()
    if meta_name not in book.sheetnames:
        problems.add("structure.no-meta", where)
        return None
    values: dict[str, str] = {}
    rows: dict[str, int] = {}
    # Only the rows a template fills: a hostile workbook may put a row at 1,048,576.
    sheet = book.sheet(meta_name, META_ROWS, 2)
    for row in range(1, META_ROWS + 1):
        key = canon(bounded(sheet[f"A{row}"].value))
        if key and key not in values:
            values[key], rows[key] = canon(bounded(sheet[f"B{row}"].value)), row
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
    if values["city"] not in roster:
        problems.add("structure.unknown-city", _cell(at, rows, "city"), value=values["city"])
        return None
    return Meta(values=values, rows=rows, city=values["city"], year=int(values["year"]))


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
    """The layout to read values by, each item in the row its code is in; else None.

    A workbook that is not the one expected, or not made from this very scheme, gets one
    problem and no more: its cells would only repeat it.
    """
    if not _as_expected(meta, problems, where, scheme, roster, expect_city, expect_year):
        return None
    cover_name, input_name, meta_name = sheet_names()
    layout = plan(scheme, roster[meta.city], meta.year)
    if meta.values[CHECKSUM_KEY] != layout.checksum():
        at = _cell(where.model_copy(update={"sheet": meta_name}), meta.rows, CHECKSUM_KEY)
        problems.add("structure.checksum", at)
        return None
    missing = [name for name in (cover_name, input_name) if name not in book.sheetnames]
    for name in missing:
        problems.add("structure.missing-sheet", where, sheet=name)
    if missing:
        return None
    cover = book.sheet(cover_name, COVER_ROWS, COVER_COLS)
    intact = True
    for _, ref, text in layout.cover_cells():
        found = canon(bounded(cover[ref].value))
        if found != canon(text):
            at = where.model_copy(update={"sheet": cover_name, "cell": ref})
            problems.add("structure.changed", at, expected=text, found=found)
            intact = False
    sheet = input_sheet(book, layout)
    located = _locate_rows(sheet, layout, problems, where)
    if not intact or located is None:
        return None
    # What the reader never parses, noted so that nothing is ignored unsaid: officers' own
    # sheets, and rows pasted below the table.
    for name in book.sheetnames:
        if name not in (cover_name, input_name, meta_name):
            problems.add(
                "structure.extra-sheet", where.model_copy(update={"sheet": name}), sheet=name
            )
    end = located.last_row
    below = next((r for r in range(end + 1, sheet.rows + 1) if _filled(sheet, r)), sheet.below)
    if below is not None:
        at = where.model_copy(update={"sheet": input_name, "cell": f"A{below}"})
        problems.add("structure.rows-below", at, sheet=input_name, row=below, last=end)
    return located


def _as_expected(
    meta: Meta,
    problems: Problems,
    where: Location,
    scheme: Scheme,
    roster: Roster,
    expect_city: str | None,
    expect_year: int | None,
) -> bool:
    """Whether the workbook is for the unit and year asked for, made from this very scheme:
    its id, version and content."""
    at = where.model_copy(update={"sheet": sheet_names()[2]})
    # A workbook of the wrong year or unit was sent by mistake: said first, since the advice
    # for another scheme (carry its values over) would be wrong for it.
    wrong = False
    if expect_year is not None and expect_year != meta.year:
        problems.add("structure.wrong-year", where, found=meta.year, expected=expect_year)
        wrong = True
    if expect_city is not None and expect_city != meta.city:
        found, expected = unit_name(roster[meta.city]), unit_name(roster[expect_city])
        problems.add("structure.wrong-city", where, found=found, expected=expected)
        wrong = True
    if wrong:
        return False
    found = f"{meta.values['scheme_id']} {meta.values['scheme_version']}"
    expected = f"{scheme.id} {scheme.version}"
    if found != expected:
        problems.add(
            "structure.other-scheme",
            _cell(at, meta.rows, "scheme_version"),
            found=found,
            expected=expected,
        )
        return False
    if meta.values["scheme_hash"] != scheme_hash(scheme):
        problems.add("structure.scheme-edited", _cell(at, meta.rows, "scheme_hash"), scheme=found)
        return False
    if meta.year not in scheme.years:
        problems.add(
            "structure.year-outside",
            _cell(at, meta.rows, "year"),
            year=meta.year,
            first=scheme.years.first,
            last=scheme.years.last,
        )
        return False
    return True


def _locate_rows(
    sheet: Sheet, layout: Layout, problems: Problems, where: Location
) -> Layout | None:
    """`layout` with each item in the row that carries its code; None when one is missing,
    doubled or its unit edited (each of these a problem)."""
    at = where.model_copy(update={"sheet": sheet.title})
    code_column = COLUMNS["code"]
    wanted = {item.code for item in layout.items}
    found: dict[str, list[int]] = {}
    for row in range(1, sheet.rows + 1):
        code = canon(bounded(sheet[f"{code_column}{row}"].value))
        if code in wanted:
            found.setdefault(code, []).append(row)
    intact = True
    items = []
    for item in layout.items:
        rows = found.get(item.code, [])
        if not rows:
            problems.add(
                "structure.row-missing",
                at.model_copy(update={"cell": item.ref("code")}),
                item=item.code,
                name=item.name.zh,
                name_en=item.name.en,
                row=item.row,
            )
            intact = False
        elif len(rows) == 1:
            moved = replace(item, row=rows[0])
            expected, written = unit_text(item.unit), canon(bounded(sheet[moved.ref("unit")].value))
            if written != canon(expected):
                cell = at.model_copy(update={"cell": moved.ref("unit")})
                problems.add("structure.changed", cell, expected=expected, found=written)
                intact = False
            items.append(moved)
    doubled = {code: rows for code, rows in found.items() if len(rows) > 1}
    if doubled:
        first = next(iter(doubled.values()))
        cell = at.model_copy(update={"cell": f"{code_column}{first[1]}"})
        problems.add("structure.row-duplicate", cell, codes=_rows_text(doubled))
        intact = False
    if not intact:
        return None
    moved_count = sum(a.row != b.row for a, b in zip(layout.items, items, strict=True))
    if moved_count:
        problems.add("structure.rows-moved", at, moved=moved_count)
    return replace(layout, items=tuple(items))


def _rows_text(doubled: dict[str, list[int]]) -> str:
    shown = [f"{code} ({', '.join(map(str, rows))})" for code, rows in doubled.items()]
    rest = len(shown) - _SHOWN_CODES
    return "; ".join(shown[:_SHOWN_CODES]) + (f"; … (+{rest})" if rest > 0 else "")


def _filled(sheet: Sheet, row: int) -> bool:
    return any(canon(bounded(sheet[f"{column}{row}"].value)) for column in COLUMNS.values())


def input_sheet(book: Book, layout: Layout) -> Sheet:
    """The input sheet down to ROOM rows below the template's table: rows further down are
    never parsed. Read once: later calls get the same cells."""
    return book.sheet(sheet_names()[1], layout.last_row + ROOM, INPUT_COLS)


def scheme_units(scheme: Scheme) -> frozenset[str]:
    """Every spelling of every unit in the scheme, to tell a wrong unit from stray text."""
    measures = [i.unit for i in scheme.indicators]
    measures += [a.unit for a in scheme.adjustments if a.unit is not None]
    return frozenset().union(*(measure_keys(m) for m in measures))


def _cell(at: Location, rows: dict[str, int], key: str) -> Location:
    return at.model_copy(update={"cell": f"B{rows[key]}"}) if key in rows else at
