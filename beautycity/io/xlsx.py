"""Workbooks with stable bytes, and plain table sheets for result files."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter


def save_workbook(wb: Workbook, path: Path, when: datetime) -> None:
    """Save `wb` with fixed timestamps, so the same content gives the same bytes.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; both are
    replaced by `when` (a date that belongs to the content, such as the assessed year's end).
    """
    buffer = io.BytesIO()
    wb.properties.created = when
    # openpyxl asks for a full recalculation on opening by default: nothing beautycity writes
    # needs one, and a submission's formulas must never be run on our account.
    wb.calculation.fullCalcOnLoad = False
    wb.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)


_HEAD = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="2F5D50")


def _text(ws: Any, row: int, col: int, value: Any) -> None:
    """Write a cell; text stays text, even when it starts with = + - @ (no formula injection)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def table_sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    """A sheet of `rows` under a bold header row, frozen, printable on landscape pages."""
    ws = wb.create_sheet(title[:31])
    for c, h in enumerate(headers, 1):
        _text(ws, 1, c, h)
        ws.cell(row=1, column=c).font = _HEAD
        ws.cell(row=1, column=c).fill = _HEAD_FILL
        ws.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            _text(ws, r, c, value)
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 32
    for c, h in enumerate(headers, 1):
        cells = [str(r[c - 1] or "") for r in rows[:200] if len(r) >= c]
        longest = max([len(str(h)) // 2] + [len(x) for x in cells])
        ws.column_dimensions[get_column_letter(c)].width = min(max(8, longest + 2), 48)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
