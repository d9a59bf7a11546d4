"""Reads filled workbooks back: safe open, habits normalised, every problem located.

`read_submissions` takes files and folders and returns a `ValidationReport`: per file its
problems and, when it has no errors, a typed `Submission`; plus problems across the batch
(duplicates). Scoring takes `report.submissions` only, so nothing unvalidated reaches it.
One `Problems` collector is passed through the reading of each file; an unexpected failure
on one file becomes a problem for that file and the batch goes on. Each file is read into
memory once: a `Submission` carries those bytes, so that what is archived (and hashed) is
what was scored, whatever happens to the file on disk meanwhile.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..cities import Roster
from ..problems import Location, Problem, Problems, Severity
from ..scheme.model import Scheme
from ..workbook.layout import (
    COVER_INPUTS,
    COVER_REQUIRED,
    TEXT_MAX,
    Layout,
    canon,
    cover_ref,
    sheet_names,
    texts,
    unit_text,
)
from .cells import RawCell, bounded, live_formula, read_cell, without_bidi
from .precheck import OTHER_SUFFIXES, precheck
from .safe import Book, Refused, Sheet, ensure_defused, open_book
from .structure import COVER_COLS, COVER_ROWS, check_structure, input_sheet, read_meta, scheme_units


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reported(_Frozen):
    """One reported number, where it came from, and what the officer wrote beside it."""

    value: float | None  # None: no data (allowed for optional indicators only)
    raw: str  # the cell as found, for the audit trail
    source: str = ""  # the data-source cell
    note: str = ""  # the note cell
    location: Location


class Contact(_Frozen):
    department: str = ""
    person: str = ""
    phone: str = ""
    email: str = ""
    filled_on: str = ""


class Submission(_Frozen):
    """A validated workbook: what scoring consumes."""

    city: str
    year: int
    scheme_id: str
    scheme_version: str
    template_version: str
    file: str
    deadline: str
    contact: Contact
    values: dict[str, Reported]  # indicator id → value
    adjustments: dict[str, Reported]  # count-based bonus or deduction id → count
    normalisations: tuple[Problem, ...] = ()  # notes on inputs accepted after normalising
    data: bytes = Field(default=b"", exclude=True, repr=False)  # the file's bytes, as read

    def value(self, indicator_id: str) -> float | None:
        return self.values[indicator_id].value

    def keep(self, folder: Path) -> Path:
        """Write the bytes read, as they were scored, into `folder` under the file's name."""
        path = folder / Path(self.file).name
        folder.mkdir(parents=True)
        path.write_bytes(self.data)
        return path


class FileReport(_Frozen):
    file: str
    city: str | None = None  # as the workbook's metadata claims, once that could be read
    year: int | None = None
    problems: tuple[Problem, ...] = ()
    submission: Submission | None = None

    @property
    def valid(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


class ValidationReport(_Frozen):
    files: tuple[FileReport, ...]
    batch: tuple[Problem, ...] = ()  # across files: duplicates, nothing found

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems] + list(self.batch)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def submissions(self) -> list[Submission]:
        """Valid submissions whose unit and year no other workbook of the batch claims."""
        doubled = {p.location.file for p in self.batch if p.code == "batch.duplicate"}
        return [
            f.submission
            for f in self.files
            if f.submission is not None and f.valid and f.file not in doubled
        ]

    def as_json(self) -> dict:
        return {
            "valid": self.valid,
            "files": [
                {
                    "file": f.file,
                    "valid": f.valid,
                    "city": f.city,
                    "year": f.year,
                    "problems": [p.model_dump(mode="json") for p in f.problems],
                }
                for f in self.files
            ],
            "batch": [p.model_dump(mode="json") for p in self.batch],
        }


def read_submissions(
    paths: Iterable[Path | str],
    scheme: Scheme,
    roster: Roster,
    year: int | None = None,
    *,
    expect_city: str | None = None,
    expect_year: int | None = None,
) -> ValidationReport:
    """Read every workbook in `paths` (files, or folders searched recursively).

    With `year` (or `expect_year`, its name for `validate --year`), a workbook made for
    another year is one `structure.wrong-year` problem, located at its file.
    """
    ensure_defused()
    if expect_city is not None:
        roster[expect_city]  # an unknown unit is the caller's mistake: raise it now
    if None not in (year, expect_year) and year != expect_year:
        raise ValueError(f"year={year} and expect_year={expect_year} disagree")
    wanted = year if year is not None else expect_year
    batch = Problems()
    files = discover(paths, batch)
    reports = [
        read_submission(f, scheme, roster, expect_city=expect_city, expect_year=wanted)
        for f in files
    ]
    if not files:
        batch.add("batch.no-workbooks")
    _duplicates(reports, roster, batch)
    return ValidationReport(files=tuple(reports), batch=tuple(batch))


def discover(paths: Iterable[Path | str], problems: Problems) -> list[Path]:
    """The workbooks named, and those inside folders (also ones in other formats, to say so).
    What a folder's search passes over is listed by `skipped.skipped_files`."""
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            found.extend(
                p
                for p in sorted(given.rglob("*"))
                if p.is_file()
                and (p.suffix.lower() == ".xlsx" or p.suffix.lower() in OTHER_SUFFIXES)
                # Excel's and LibreOffice's lock files, and hidden files
                and not p.name.startswith(("~$", "."))
            )
        elif given.exists():
            found.append(given)  # a pipe or a device named is refused by `precheck`
        else:
            problems.add("file.missing", Location(file=str(given)))
    return list(dict.fromkeys(found))


def read_submission(
    path: Path | str,
    scheme: Scheme,
    roster: Roster,
    *,
    expect_city: str | None = None,
    expect_year: int | None = None,
) -> FileReport:
    """Read one workbook; never raises for anything wrong with the file itself."""
    ensure_defused()
    if expect_city is not None:
        roster[expect_city]  # an unknown unit is the caller's mistake: raise it now
    path = Path(path)
    problems = Problems()
    where = Location(file=str(path))
    claim: tuple[str, int] | None = None
    submission = None
    try:
        data = precheck(path, problems, where)
        if data is not None:
            with _open(data) as book:
                meta = read_meta(book, problems, where, roster)
                if meta is not None:
                    claim = (meta.city, meta.year)
                    layout = check_structure(
                        book, meta, problems, where, scheme, roster, expect_city, expect_year
                    )
                    if layout is not None:
                        submission = _read_values(book, layout, problems, where).model_copy(
                            update={"data": data}
                        )
    except Refused as exc:
        problems.add(exc.code, where, **exc.params)
        claim, submission = None, None  # the file as a whole was not read
    except Exception as exc:  # one bad file must not stop the batch, nor show a traceback
        problems.add("file.unreadable", where, reason=f"{type(exc).__name__}: {exc}"[:200])
        submission = None
    if problems.errors:
        submission = None
    return FileReport(
        file=str(path),
        city=claim[0] if claim else None,
        year=claim[1] if claim else None,
        problems=tuple(problems),
        submission=submission,
    )


def _open(data: bytes) -> Book:
    # Values as computed when saved; the formulas only if the input sheet has any. No links
    # are followed, no macros kept; XML is parsed by defusedxml, within bounds.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unsupported extensions (e.g. from LibreOffice)
        return open_book(data)


def _live_formulas(sheet: Sheet | None, problems: Problems, where: Location) -> set[str]:
    """The cells of `sheet` (the formulas of a sheet read, if any) whose formula reaches
    outside the workbook, each a problem: recalculated by whoever opens the file (or its
    archived copy), it would call a program, a share or the network."""
    found: set[str] = set()
    for ref, cell in (sheet.cells if sheet is not None else {}).items():
        if cell.data_type != "f":
            continue
        finding = live_formula(getattr(cell.value, "text", None) or str(cell.value))
        if finding is not None:
            at = where.model_copy(update={"sheet": sheet.title, "cell": ref})
            problems.add(finding.code, at, **finding.params)
            found.add(ref)
    return found


def _read_values(book: Book, layout: Layout, problems: Problems, where: Location) -> Submission:
    cover_name, input_name, _ = sheet_names()
    sheet = input_sheet(book, layout)  # as the structure check read it: rows by code
    cover = book.sheet(cover_name, COVER_ROWS, COVER_COLS)
    formula_sheet = book.formulas(input_name)
    live = _live_formulas(formula_sheet, problems, where)
    _live_formulas(book.formulas(cover_name), problems, where)
    others = scheme_units(layout.scheme)
    read: dict[str, dict[str, Reported]] = {"indicator": {}, "adjustment": {}}
    for item in layout.items:
        ref = item.ref("value")
        cell = sheet[ref]
        formula = None
        if formula_sheet is not None and formula_sheet[ref].data_type == "f" and ref not in live:
            written = formula_sheet[ref].value
            formula = getattr(written, "text", None) or str(written)
        raw = RawCell(cell.value, cell.number_format, cell.data_type == "e", formula)
        value = bounded(cell.value)
        reading = read_cell(raw, item.spec, item.unit, required=item.required, other_units=others)
        at = where.model_copy(update={"sheet": input_name, "cell": ref})
        context = {
            "item": item.code,
            "name": item.name.zh,
            "name_en": item.name.en,
            "unit": unit_text(item.unit),
        }
        if reading.error is not None:
            problems.add(reading.error.code, at, **context, **reading.error.params)
        for note in reading.notes:
            problems.add(note.code, at, **context, **note.params)
        read[item.kind][item.id] = Reported(
            value=reading.value,
            raw=canon(formula if formula and value is None else value),
            source=_cell_text(sheet, item.ref("source"), problems, where),
            note=_cell_text(sheet, item.ref("note"), problems, where),
            location=at,
        )

    contact = {f: _cell_text(cover, cover_ref(f), problems, where) for f in COVER_INPUTS}
    labels = texts()["cover"]["fields"]
    for field in COVER_REQUIRED:
        if not contact[field]:
            at = where.model_copy(update={"sheet": cover_name, "cell": cover_ref(field)})
            problems.add(
                "cell.missing-contact", at, field=labels[field]["zh"], field_en=labels[field]["en"]
            )
    meta = layout.meta()
    return Submission(
        city=layout.unit.id,
        year=layout.year,
        scheme_id=meta["scheme_id"],
        scheme_version=meta["scheme_version"],
        template_version=meta["template_version"],
        file=where.file or "",
        deadline=_cell_text(cover, cover_ref("deadline"), problems, where),
        contact=Contact(**contact),
        values=read["indicator"],
        adjustments=read["adjustment"],
        normalisations=tuple(problems.notes),
    )


def _cell_text(sheet: Sheet, ref: str, problems: Problems, where: Location) -> str:
    # Texts go on into result files and reports: no longer than the template lets one type,
    # and without controls that would display them in another order than they are stored.
    value = sheet[ref].value
    at = where.model_copy(update={"sheet": sheet.title, "cell": ref})
    text, controls = without_bidi(canon(bounded(value)))
    if controls:
        problems.add("cell.bidi-controls", at, count=controls)
    if len(text) > TEXT_MAX:
        length = len(value) if isinstance(value, str) else len(text)
        problems.add("cell.text-too-long", at, length=length, max=TEXT_MAX)
        return text[:TEXT_MAX]
    return text


def _duplicates(reports: list[FileReport], roster: Roster, batch: Problems) -> None:
    claims: dict[tuple[str, int], list[FileReport]] = defaultdict(list)
    for report in reports:
        if report.city is not None and report.year is not None:
            claims[(report.city, report.year)].append(report)
    for (city, year), group in claims.items():
        if len(group) < 2:
            continue
        names = ", ".join(Path(r.file).name for r in group)
        unit = roster[city]
        for report in group:
            batch.add(
                "batch.duplicate",
                Location(file=report.file),
                city=unit.name.zh,
                city_en=unit.name.en,
                year=year,
                files=names,
            )
