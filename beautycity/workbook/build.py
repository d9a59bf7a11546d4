"""Builds a unit's Excel template for a year from the scheme: what the city fills in.

Everything shown comes from the scheme, the unit profile and `texts/workbook.yaml`, so a
changed scheme gives changed templates without a code change. Only the input cells are
unlocked; each carries data validation with a bilingual prompt. A very hidden `_meta` sheet of
plain strings records what the workbook is for (scheme id, version and content hash, unit,
year), with a checksum over it. Every sheet is protected with a password printed on the cover.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from ..cities import Roster, Unit
from ..io.atomic import write_atomic
from ..io.xlsx import save_workbook
from ..problems import BeautycityError
from ..scheme.model import Direction, InputType, Scheme
from .cover import write_cover
from .layout import (
    CHECKSUM_KEY,
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    HINT_ROW,
    SUBTITLE_ROW,
    TITLE_ROW,
    WIDTHS,
    Item,
    Layout,
    plain,
    plan,
    sheet_names,
    texts,
    unit_text,
)
from .style import (
    BODY,
    BOLD,
    CENTRE,
    FONT,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_FILL,
    LINE_PT,
    SECTION_FILL,
    TOP_CENTRE,
    UNLOCKED,
    WRAP,
    print_setup,
    protect,
    put,
    row_height,
    text_validation,
    value_validation,
)


def build_template(
    scheme: Scheme,
    unit: Unit,
    year: int,
    *,
    deadline: str | None = None,
    previous: Mapping[str, float | None] | None = None,
) -> Workbook:
    """The template `unit` fills in for `year`; `previous` maps item ids to last year's values."""
    if year not in scheme.years:
        raise BeautycityError.single(
            "scheme.year-outside", year=year, first=scheme.years.first, last=scheme.years.last
        )
    layout = plan(scheme, unit, year)
    cover_name, input_name, meta_name = sheet_names()
    wb = Workbook()
    cover = wb.active
    assert cover is not None  # a new workbook always has one sheet
    cover.title = cover_name
    write_cover(cover, layout, deadline)
    _input_sheet(wb.create_sheet(input_name), layout, previous or {})
    _meta(wb.create_sheet(meta_name), layout)
    # The password is printed on the cover: protection guards against slips, not intent, and
    # the reader finds rows by code, so even inserted rows do no harm.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.security.workbookPassword = layout.password
    wb.properties.creator = "beautycity"
    wb.properties.title = f"{unit.name.zh} {year} {scheme.name.zh}"
    return wb


def write_template(path: Path | str, scheme: Scheme, unit: Unit, year: int, **options) -> Path:
    """Write the template atomically, dated 1 January of `year`: the same inputs give the
    same bytes."""
    target = Path(path)
    wb = build_template(scheme, unit, year, **options)
    write_atomic(target, lambda p: save_workbook(wb, p, datetime(year, 1, 1)))
    return target


def template_name(unit: Unit, year: int) -> str:
    return f"{unit.id}-{year}.xlsx"


def write_templates(
    folder: Path | str,
    scheme: Scheme,
    units: Roster | Iterable[Unit],
    year: int,
    *,
    deadline: str | None = None,
    previous: Mapping[str, Mapping[str, float | None]] | None = None,
) -> list[Path]:
    """One template per unit in `folder`; `previous` maps unit id → item id → last year's value."""
    out = Path(folder)
    return [
        write_template(
            out / template_name(u, year),
            scheme,
            u,
            year,
            deadline=deadline,
            previous=(previous or {}).get(u.id),
        )
        for u in units
    ]


def _input_sheet(ws: Worksheet, layout: Layout, previous: Mapping[str, float | None]) -> None:
    t = texts()["input"]
    fmt = layout.text_params()
    last = COLUMNS["note"]
    total_width = sum(WIDTHS.values())
    for key, letter in COLUMNS.items():
        ws.column_dimensions[letter].width = WIDTHS[key]

    for row, text, font in (
        (TITLE_ROW, t["title"], Font(name=FONT, size=14, bold=True)),
        (SUBTITLE_ROW, t["subtitle"], BODY),
        (HINT_ROW, t["hint"], Font(name=FONT, size=10, bold=True, color="9C5700")),
    ):
        ws.merge_cells(f"A{row}:{last}{row}")
        value = f"{text['zh'].format(**fmt)}    {text['en'].format(**fmt)}"
        put(ws, f"A{row}", value, font, Alignment(vertical="center", wrap_text=True))
        ws.row_dimensions[row].height = row_height([(value, total_width)], font)

    header_cells = []
    for key, letter in COLUMNS.items():
        label = t["columns"][key]
        text = f"{label['zh']}\n{label['en']}"
        put(ws, f"{letter}{HEADER_ROW}", text, HEADER_FONT, CENTRE, HEADER_FILL)
        header_cells.append((text, WIDTHS[key]))
    ws.row_dimensions[HEADER_ROW].height = row_height(header_cells, HEADER_FONT)

    for section in layout.sections:
        ws.merge_cells(f"A{section.row}:{last}{section.row}")
        prefix = f"{section.code} " if section.code else ""
        put(
            ws,
            f"A{section.row}",
            f"{prefix}{section.name.zh}    {section.name.en}",
            BOLD,
            Alignment(vertical="center"),
            SECTION_FILL,
        )
        ws.row_dimensions[section.row].height = 1.4 * LINE_PT

    text_rule = text_validation()
    ws.add_data_validation(text_rule)
    for item in layout.items:
        _item_row(ws, item, layout, previous.get(item.id))
        ws.add_data_validation(value_validation(item))
        for column in ("source", "note"):
            text_rule.add(item.ref(column))

    ws.freeze_panes = f"C{FIRST_ROW}"
    protect(ws, layout.password)
    print_setup(ws, f"A1:{last}{layout.last_row}", landscape=True, title_rows=HEADER_ROW)


def _item_row(ws: Worksheet, item: Item, layout: Layout, previous: float | None) -> None:
    t = texts()["input"]
    if item.indicator is not None:
        ind = item.indicator.indicator
        definition, source = ind.definition, ind.source
    else:
        assert item.adjustment is not None
        definition, source = item.adjustment.definition, item.adjustment.source
    prefix = t["source_prefix"]
    described_zh = definition.zh + (f"（{prefix['zh']}：{source.zh}）" if source else "")
    described_en = definition.en + (f" ({prefix['en']}: {source.en})" if source else "")
    name = f"{item.name.zh}\n{item.name.en}"
    if not item.required:
        name += f"\n（{t['optional']['zh']} / {t['optional']['en']}）"
    cells = {
        "code": item.code,
        "name": name,
        "unit": unit_text(item.unit),
        "definition": f"{described_zh}\n{described_en}",
        "target": _target_text(item, layout.year),
        "previous": _previous_text(item, previous),
        "value": None,
        "source": None,
        "note": None,
    }
    for key, value in cells.items():
        ref = item.ref(key)
        editable = key in ("value", "source", "note")
        align = TOP_CENTRE if key in ("code", "unit", "target", "previous") else WRAP
        put(
            ws, ref, value, BOLD if key == "code" else BODY, align, INPUT_FILL if editable else None
        )
        if editable:
            ws[ref].protection = UNLOCKED
            ws[ref].number_format = "General" if key == "value" else "@"
    ws[item.ref("value")].alignment = Alignment(vertical="top", horizontal="right")
    ws.row_dimensions[item.row].height = row_height(
        [(str(v), WIDTHS[k]) for k, v in cells.items() if v is not None], BODY
    )


def _target_text(item: Item, year: int) -> str:
    t = texts()["input"]
    if item.adjustment is not None:
        adj = item.adjustment
        rule = t["adjustment_rule"]["each" if adj.per == 1 else "per"]
        params = {
            "sign": t["sign"][adj.kind.value],
            "per": plain(adj.per),
            "points": plain(adj.points),
            "cap": plain(adj.cap),
            "unit_zh": item.unit.zh,
            "unit_en": item.unit.en,
        }
        return f"{rule['zh'].format(**params)}\n{rule['en'].format(**params)}"
    assert item.indicator is not None
    milestone = item.indicator.milestone(year)
    if milestone is None:
        return "—"
    target_year, target = milestone
    ind = item.indicator.indicator
    if isinstance(target, tuple):
        text = f"{plain(target[0])}–{plain(target[1])}"
    elif ind.input.type is InputType.YESNO:
        text = texts()["yesno"]["yes" if target >= 0.5 else "no"]
    else:
        text = ("≤ " if ind.direction is Direction.LOWER else "≥ ") + plain(target)
    if target_year in item.indicator.tightened:
        text += "*"
    return t["target_year"].format(target=text, year=target_year)


def _previous_text(item: Item, previous: float | None) -> str | None:
    if previous is None or (isinstance(previous, float) and math.isnan(previous)):
        return None
    if item.spec.type is InputType.YESNO:
        return texts()["yesno"]["yes" if previous >= 0.5 else "no"]
    return plain(previous)


def _meta(ws: Worksheet, layout: Layout) -> None:
    # Strings only: a spreadsheet program re-saving the file keeps strings exactly, while it
    # may turn numbers into floats.
    rows = [*layout.meta().items(), (CHECKSUM_KEY, layout.checksum())]
    for row, (key, value) in enumerate(rows, start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    ws.sheet_state = "veryHidden"
    protect(ws, layout.password)
