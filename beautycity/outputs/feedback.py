"""Feedback to send back (校验意见): one workbook per unit, and a summary for the office.

A unit's workbook lists its workbook(s) and every problem and note, cell by cell, with what
is wrong and how to fix it in Chinese and in English; the summary has one row per workbook
(and per file skipped) and every problem of the batch. Headers are bilingual, timestamps fixed
by the year (the same check gives the same bytes), and each file is written atomically.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ..cities import Roster
from ..io.atomic import write_atomic
from ..io.xlsx import save_workbook, table_sheet
from ..problems import Problem, Severity
from ..submission.read import ValidationReport
from ..submission.status import FileStatus, file_statuses
from ..texts import both, tr

_PROBLEM_COLUMNS = (
    "sheet",
    "cell",
    "severity",
    "code",
    "what_zh",
    "what_en",
    "fix_zh",
    "fix_en",
)
_FILE_COLUMNS = ("file", "unit", "year", "state", "errors", "notes", "remark")
_BECAUSE = {"duplicate": "batch.duplicate", "wrong_year": "structure.wrong-year"}


def feedback_name(unit_id: str, year: int | None) -> str:
    """`<unit id>-<year>-feedback.xlsx`, the file sent back to a unit."""
    return f"{unit_id}-{year}-feedback.xlsx" if year is not None else f"{unit_id}-feedback.xlsx"


def summary_name(year: int | None) -> str:
    return f"feedback-summary-{year}.xlsx" if year is not None else "feedback-summary.xlsx"


def write_feedback(
    folder: Path | str,
    report: ValidationReport,
    roster: Roster,
    *,
    year: int | None = None,
    skipped: Iterable[Problem] = (),
) -> list[Path]:
    """Write into `folder` one feedback workbook per unit that sent a workbook (named with
    `year`, else the workbook's), then the summary; return their paths."""
    folder = Path(folder)
    files = file_statuses(report, roster, year)
    by_unit: dict[tuple[str, int | None], list[FileStatus]] = defaultdict(list)
    for f in files:
        if f.city is not None and f.city in roster:
            by_unit[(f.city, year if year is not None else f.year)].append(f)
    written = []
    for (uid, y), group in sorted(by_unit.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        wb = _book()
        table_sheet(
            wb, _title("unit_sheet"), _heads(_FILE_COLUMNS), _file_rows(group, roster, full=False)
        )
        problems = [(f, p) for f in group for p in f.problems]
        rows = [[Path(f.file).name, *_problem_cells(p)] for f, p in problems] or [_none_row()]
        table_sheet(wb, _title("problem_sheet"), _heads(("file", *_PROBLEM_COLUMNS)), rows)
        written.append(_save(wb, folder / feedback_name(uid, y), y))
    skipped = list(skipped)
    wb = _book()
    rows = _file_rows(files, roster, full=True) + [_skipped_row(p) for p in skipped]
    table_sheet(wb, _title("summary_sheet"), _heads(_FILE_COLUMNS), rows)
    every = [(f.file, f.city, p) for f in files for p in f.problems]
    every += [(p.location.file or "", None, p) for p in skipped]
    every += [(p.location.file or "", None, p) for p in report.batch if p.location.file is None]
    table_sheet(
        wb,
        _title("all_sheet"),
        _heads(("file", "unit", *_PROBLEM_COLUMNS)),
        [[file, _unit(city, roster), *_problem_cells(p)] for file, city, p in every]
        or [_none_row(2)],
    )
    years = [f.year for f in files if f.year is not None]
    when = year if year is not None else max(years, default=None)
    written.append(_save(wb, folder / summary_name(when), when))
    return written


def _book() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _save(wb: Workbook, path: Path, year: int | None) -> Path:
    # The date belongs to the content, never the clock: the same check, the same bytes.
    when = datetime(year, 12, 31) if year is not None else datetime(2000, 1, 1)
    write_atomic(path, lambda p: save_workbook(wb, p, when))
    return path


def _say(key: str, **params: Any) -> str:
    return tr(f"feedback.{key}", "bilingual", " ", group="status", **params)


def _title(key: str) -> str:
    return _say(key)


def _heads(columns: Iterable[str]) -> list[str]:
    return [_say(f"columns.{c}") for c in columns]


def _unit(city: str | None, roster: Roster) -> str:
    if city is None or city not in roster:
        return city or ""
    name = roster[city].name
    return f"{name.zh} {name.en}"


def _file_rows(files: Iterable[FileStatus], roster: Roster, full: bool) -> list[list[Any]]:
    return [
        [
            f.file if full else Path(f.file).name,
            _unit(f.city, roster),
            f.year,
            tr(f"state.{f.state}", "bilingual", group="status"),
            f.errors,
            f.notes,
            _remark(f),
        ]
        for f in files
    ]


def _remark(f: FileStatus) -> str:
    """Why a workbook is a duplicate or for the wrong year, in its problem's words."""
    code = _BECAUSE.get(f.state)
    return next((p.text() for p in f.problems if p.code == code), "")


def _skipped_row(p: Problem) -> list[Any]:
    state = tr("state.skipped", "bilingual", group="status")
    return [p.location.file or "", "", None, state, 0, 1, p.text()]


def _problem_cells(p: Problem) -> list[Any]:
    severity = _say(f"severity.{'error' if p.severity is Severity.ERROR else 'note'}")
    loc = p.location
    return [loc.sheet or "", loc.cell or "", severity, p.code, p.zh, p.en, p.fix_zh, p.fix_en]


def _none_row(before: int = 1) -> list[Any]:
    zh, en = both("feedback.none", group="status")
    return [*([""] * before), "", "", "", "", zh, en, "", ""]
