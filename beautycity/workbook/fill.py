"""Filling a template the way a city officer does: values, data sources, notes and contact.

Used by `demo` to turn the embedded sample into workbooks exactly as a city would submit
them; they then go through the same reader as any other submission.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from ..io.atomic import write_atomic
from ..io.xlsx import save_workbook
from ..scheme.model import InputType
from .layout import COVER_INPUTS, Layout, cover_ref, sheet_names, texts


def fill_workbook(
    template: Path,
    out: Path,
    layout: Layout,
    values: Mapping[str, float | None],
    *,
    sources: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    contact: Mapping[str, str] | None = None,
    when: datetime | None = None,
) -> Path:
    """Write `values` (by indicator or adjustment id) into the input cells of `template`.

    A yes/no value is typed as 是 or 否, as the drop-down list offers; None leaves the cell
    empty (no data). Items without a value stay empty too, so the reader reports them.
    """
    cover, input_sheet, _ = sheet_names()
    wb = load_workbook(template)
    sheet = wb[input_sheet]
    words = texts()["yesno"]
    for item in layout.items:
        if item.id not in values:
            continue
        value = values[item.id]
        if value is not None and item.spec.type is InputType.YESNO:
            value = words["yes"] if value else words["no"]
        elif value is not None and item.spec.type is InputType.COUNT:
            value = int(value)
        sheet[item.ref("value")] = value
        if sources and item.id in sources:
            sheet[item.ref("source")] = sources[item.id]
        if notes and item.id in notes:
            sheet[item.ref("note")] = notes[item.id]
    for field in COVER_INPUTS:
        if contact and contact.get(field):
            wb[cover][cover_ref(field)] = contact[field]
    stamp = when or datetime(layout.year + 1, 1, 31)
    write_atomic(out, lambda p: save_workbook(wb, p, stamp))
    return out
