"""整改台账: the rectification ledger the office runs over the year, `actions-<year>.xlsx`.

One sheet for the whole province, then one per unit (to hand out). Each action has a stable
ID (`<year>-<unit>-<code>`), its numbers as numbers, a priority and an interim deadline from
the scheme's follow-up rules, blank columns for the unit (responsible person, evidence) and a
progress drop-down (未开始/推进中/已完成/已销号) that next year's `score --previous --ledger`
reads back (`report.ledger_read`). With last year known, a last sheet reviews last year's
actions, with what the office recorded beside what the assessment finds.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from pathlib import Path as FilePath
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..assessment.document import AssessmentDoc, IndicatorResult, UnitResult, doc_moment
from ..assessment.rules import PROGRESS, points_lost
from ..io.atomic import write_atomic
from ..io.xlsx import save_workbook
from ..scheme.model import InputType, Priority, Scheme
from .actions import follow_up, listed, priority
from .formats import bi, texts, tx

# (text key, width in characters, kind): kind says how the column's cells are formatted.
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("ledger.serial", 6, "int"),
    ("ledger.id", 22, "text"),
    ("xlsx.unit", 14, "wrap"),
    ("ledger.dimension", 12, "wrap"),
    ("xlsx.code", 7, "text"),
    ("xlsx.indicator", 26, "wrap"),
    ("xlsx.status", 12, "wrap"),
    ("xlsx.reasons", 20, "wrap"),
    ("xlsx.value", 10, "number"),
    ("xlsx.target", 10, "number"),
    ("ledger.measure", 10, "wrap"),
    ("ledger.lost", 8, "number"),
    ("ledger.priority", 8, "text"),
    ("xlsx.advice", 48, "wrap"),
    ("xlsx.department", 20, "wrap"),
    ("ledger.partners", 24, "wrap"),
    ("ledger.person", 12, "text"),
    ("ledger.deadline", 12, "date"),
    ("ledger.progress", 10, "text"),
    ("ledger.evidence", 24, "wrap"),
    ("ledger.result", 16, "wrap"),
)
ID_COLUMN = COLUMNS.index(("ledger.id", 22, "text")) + 1
PROGRESS_COLUMN = COLUMNS.index(("ledger.progress", 10, "text")) + 1
_FOLLOW = ("ledger.id", "xlsx.unit", "xlsx.code", "xlsx.indicator", "xlsx.previous_status")
_HEAD = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="2F5D50")
_OPEN = PatternFill("solid", fgColor="FFF8E1")  # the columns the unit fills in
_UNIT_FILLS = ("ledger.person", "ledger.progress", "ledger.evidence")


def action_id(year: int, unit_id: str, code: str) -> str:
    """An action's ID in the ledger: readable, and the same wherever the row is copied."""
    return f"{year}-{unit_id}-{code}"


def deadline(doc: AssessmentDoc, scheme: Scheme, level: Priority, r: IndicatorResult) -> date:
    """The interim deadline: the scheme's months for the priority after the assessed year's
    end, never later than the end of the action's milestone year when that is still ahead."""
    months = scheme.follow_up.months[level]
    end = doc_moment(doc).date()
    y, m = divmod(end.month - 1 + months, 12)
    due = date(end.year + y, m + 1, monthrange(end.year + y, m + 1)[1])
    milestone = r.milestone_year
    return min(due, date(milestone, 12, 31)) if milestone and milestone > doc.year else due


def unit_rows(doc: AssessmentDoc, scheme: Scheme, u: UnitResult, lang: str) -> list[list[Any]]:
    """The unit's actions as ledger rows (without the serial number, set per sheet)."""
    words = texts()
    rows = []
    for r in listed(u, scheme):
        ind = scheme.indicator[r.id]
        level = priority(r, ind)
        advice = ind.advice_for(u.positioning, u.id)
        numeric = ind.input.type is not InputType.YESNO
        rows.append(
            [
                action_id(doc.year, u.id, ind.code),
                bi(u.short).line(lang),
                bi(scheme.dimension[ind.dimension].name).line(lang),
                ind.code,
                bi(ind.name).line(lang, "\n"),
                tx(f"status.{r.status}").line(lang),
                "\n".join(tx(f"reason.{k}").line(lang) for k in r.action),
                r.value if numeric else _yesno(r.value, lang),
                r.milestone_target if numeric else _yesno(r.milestone_target, lang),
                bi(ind.unit).line(lang) if numeric else "",
                round(points_lost(r), 2),
                tx(f"priority.{level}").line(lang),
                bi(advice).line(lang, "\n") if advice else "",
                bi(ind.department).line(lang, "\n"),
                "\n".join(bi(p).line(lang) for p in ind.partners),
                None,
                deadline(doc, scheme, level, r),
                words["progress"]["not_started"]["zh"],
                None,
                None,
            ]
        )
    return rows


def _height(row: list[Any]) -> float:
    """Points for a row whose wrapped cells show every line (Excel and WPS do not grow a row
    for wrapped text they did not lay out themselves)."""
    lines = 1
    for value, (_key, width, kind) in zip(row, COLUMNS, strict=True):
        if kind == "wrap" and isinstance(value, str):
            lines = max(lines, sum(_lines(part, width) for part in value.split("\n")))
    return 15.0 * lines


def _lines(text: str, width: int) -> int:
    """Lines `text` takes in a column `width` characters wide (a CJK character counts two)."""
    units = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)
    return max(1, -(-units // max(width - 1, 1)))


def _yesno(value: float | None, lang: str) -> str:
    if value is None:
        return ""
    return tx("words.yes" if value else "words.no").line(lang)


def _sheet(wb: Workbook, title: str, rows: list[list[Any]], lang: str) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    ws.append([tx(key).line(lang, "\n") for key, _w, _k in COLUMNS])
    for c, (_key, width, _kind) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=c)
        cell.font, cell.fill = _HEAD, _FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    for n, row in enumerate(rows, 1):
        ws.append([n, *row])
        for c, (key, _w, kind) in enumerate(COLUMNS, 1):
            cell = ws.cell(row=n + 1, column=c)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even "=…" (no formula injection)
            cell.alignment = Alignment(wrap_text=kind == "wrap", vertical="top")
            if kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif kind == "number" and isinstance(cell.value, float):
                cell.number_format = "0.00" if key == "ledger.lost" else "General"
            if key in _UNIT_FILLS:
                cell.fill = _OPEN
    for n, row in enumerate(rows, 2):
        ws.row_dimensions[n].height = _height([None, *row])
    ws.row_dimensions[1].height = 36
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    ws.freeze_panes = "G2"  # the header, and each row's ID, unit and indicator
    choices = ",".join(texts()["progress"][p]["zh"] for p in PROGRESS)
    valid = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    valid.promptTitle = tx("ledger.progress").line(lang)[:32]
    valid.prompt = tx("ledger.progress_prompt").line(lang)
    valid.showInputMessage = valid.showErrorMessage = True
    column = get_column_letter(PROGRESS_COLUMN)
    valid.add(f"{column}2:{column}{max(len(rows) + 1, 2) + 200}")  # room for rows added
    ws.add_data_validation(valid)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    return ws


def ledger_workbook(doc: AssessmentDoc, scheme: Scheme, lang: str = "bilingual") -> Workbook:
    """The ledger: the province's sheet, one sheet per unit, and last year's follow-up."""
    wb = Workbook()
    wb.remove(wb.active)
    per_unit = {u.id: unit_rows(doc, scheme, u, lang) for u in doc.units}
    _sheet(
        wb,
        tx("ledger.province_sheet").line(lang),
        [row for rows in per_unit.values() for row in rows],
        lang,
    )
    for u in doc.units:
        _sheet(wb, bi(u.short).line(lang), per_unit[u.id], lang)
    if any(u.previous for u in doc.units):
        _follow_sheet(wb, doc, scheme, lang)
    return wb


def _follow_sheet(wb: Workbook, doc: AssessmentDoc, scheme: Scheme, lang: str) -> None:
    """Last year's actions: the status then and now, what the office recorded, the outcome."""
    ws = wb.create_sheet(tx("xlsx.follow_sheet").line(lang)[:31])
    heads = [*_FOLLOW, "xlsx.this_year", "ledger.recorded", "xlsx.outcome"]
    ws.append([tx(k).line(lang, "\n") for k in heads])
    for c in range(1, len(heads) + 1):
        cell = ws.cell(row=1, column=c)
        cell.font, cell.fill = _HEAD, _FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = (22, 14, 7, 30, 14, 14, 14, 28)[c - 1]
    prev_year = next(u.previous.year for u in doc.units if u.previous)
    for u in doc.units:
        for f in follow_up(u, scheme):
            ws.append(
                [
                    action_id(prev_year, u.id, f.code),
                    bi(u.short).line(lang),
                    f.code,
                    f.name.line(lang),
                    tx(f"status.{f.previous_status}").line(lang),
                    tx(f"status.{f.status}").line(lang),
                    tx(f"progress.{f.recorded}").line(lang) if f.recorded else "",
                    f.verdict.line(lang),
                ]
            )
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(ws.max_row, 2)}"
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"


def write_ledger(doc: AssessmentDoc, scheme: Scheme, folder: FilePath, lang: str) -> FilePath:
    """`actions-<year>.xlsx` in `folder`, written atomically with the assessment's date."""
    path = folder / f"actions-{doc.year}.xlsx"
    wb = ledger_workbook(doc, scheme, lang)
    write_atomic(path, lambda p: save_workbook(wb, p, doc_moment(doc)))
    return path
