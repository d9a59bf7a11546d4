"""Where a year's collection stands: every unit of the roster against a folder of workbooks.

`submission_status` reads the folder with `read_submissions` (nothing is validated a second
way) and sorts each unit of the roster into valid, invalid, missing, duplicate or wrong year,
with the deadline and the days left from an injectable `today`, and the files the search
passed over (`skipped.skipped_files`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from ..cities import Roster
from ..problems import BeautycityError, Location, Problem, Severity
from ..scheme.model import Scheme, Text
from .read import FileReport, ValidationReport, read_submissions
from .skipped import skipped_files

UnitState = Literal["valid", "invalid", "missing", "duplicate", "wrong_year"]
FileState = Literal["valid", "invalid", "duplicate", "wrong_year", "unassigned"]
UNIT_STATES: tuple[UnitState, ...] = ("valid", "invalid", "missing", "duplicate", "wrong_year")

# Why a file in a folder is not read, as the code of the note that says so.
_DUPLICATE = "batch.duplicate"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileStatus(_Frozen):
    """One workbook read: whose and which year it says it is, and how it fared."""

    file: str
    city: str | None
    year: int | None
    state: FileState
    errors: int
    notes: int
    problems: tuple[Problem, ...]  # its own, and those across the batch that name it


class UnitStatus(_Frozen):
    """One unit of the roster and where its submission stands."""

    id: str
    name: Text
    short: Text
    state: UnitState
    files: tuple[str, ...] = ()  # every workbook claiming this unit, of any year
    errors: int = 0  # of its workbook(s) for the year
    notes: int = 0


class SubmissionStatus(_Frozen):
    folder: str
    year: int | None  # None: neither given nor any workbook read
    year_inferred: bool = False  # not given: the year most workbooks give
    deadline: date | None = None
    today: date
    days_left: int | None = None  # deadline − today; negative when overdue
    units: tuple[UnitStatus, ...]  # in roster order
    files: tuple[FileStatus, ...]
    skipped: tuple[Problem, ...] = ()
    batch: tuple[Problem, ...] = ()  # across the folder, naming no file (nothing found)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def complete(self) -> bool:
        """Every unit of the roster has sent one valid workbook for the year."""
        return all(u.state == "valid" for u in self.units)

    def count(self, state: UnitState) -> int:
        return sum(u.state == state for u in self.units)

    @property
    def unassigned(self) -> list[FileStatus]:
        return [f for f in self.files if f.state == "unassigned"]


def submission_status(
    folder: Path | str,
    scheme: Scheme,
    roster: Roster,
    year: int | None = None,
    deadline: date | None = None,
    today: date | None = None,
) -> SubmissionStatus:
    """Where the submissions in `folder` stand against `roster` for `year` (None: the year
    most workbooks give). Raises only when `folder` is no folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BeautycityError.single("file.missing", Location(file=str(folder)))
    today = today or date.today()
    report = read_submissions([folder], scheme, roster, year=year)
    inferred = False
    if year is None:
        year, inferred = _likely_year(report, roster), True
    files = file_statuses(report, roster, year)
    return SubmissionStatus(
        folder=str(folder),
        year=year,
        year_inferred=inferred and year is not None,
        deadline=deadline,
        today=today,
        days_left=(deadline - today).days if deadline else None,
        units=tuple(_unit(u.id, roster, files) for u in roster),
        files=tuple(files),
        skipped=skipped_files([folder]),
        batch=tuple(p for p in report.batch if p.location.file is None),
    )


def file_statuses(report: ValidationReport, roster: Roster, year: int | None) -> list[FileStatus]:
    """Each workbook of `report` with its state for `year` (None: any year is right)."""
    doubled = {p.location.file for p in report.batch if p.code == _DUPLICATE}
    out = []
    for f in report.files:
        problems = (*f.problems, *(p for p in report.batch if p.location.file == f.file))
        out.append(
            FileStatus(
                file=f.file,
                city=f.city,
                year=f.year,
                state=_file_state(f, roster, year, doubled),
                errors=sum(p.severity is Severity.ERROR for p in problems),
                notes=sum(p.severity is Severity.NOTE for p in problems),
                problems=problems,
            )
        )
    return out


def _file_state(f: FileReport, roster: Roster, year: int | None, doubled: set) -> FileState:
    if f.city is None or f.city not in roster:
        return "unassigned"
    if year is not None and f.year != year:
        return "wrong_year"
    if f.file in doubled:
        return "duplicate"
    return "valid" if f.valid else "invalid"


def _unit(uid: str, roster: Roster, files: list[FileStatus]) -> UnitStatus:
    unit = roster[uid]
    claims = [f for f in files if f.city == uid]
    current = [f for f in claims if f.state != "wrong_year"]
    state: UnitState
    if not claims:
        state = "missing"
    elif not current:
        state = "wrong_year"
    elif len(current) > 1 or any(f.state == "duplicate" for f in current):
        state = "duplicate"
    else:
        state = current[0].state  # type: ignore[assignment]  # valid or invalid
    return UnitStatus(
        id=uid,
        name=unit.name,
        short=unit.short,
        state=state,
        files=tuple(f.file for f in claims),
        errors=sum(f.errors for f in current),
        notes=sum(f.notes for f in current),
    )


def _likely_year(report: ValidationReport, roster: Roster) -> int | None:
    counts = Counter(f.year for f in report.files if f.year is not None and f.city in roster)
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


def check_deadline(deadline: date, year: int) -> None:
    """Refuse a deadline before the assessed year (a typo in the year, or the wrong --year)."""
    if deadline.year < year:
        raise BeautycityError.single(
            "template.deadline-early",
            Location(path="--deadline"),
            deadline=deadline.isoformat(),
            year=year,
        )
