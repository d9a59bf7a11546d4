"""The cover sheet of a template: who fills it in, by when, how, and what the units mean.

Chinese in column A with English beside it in B; column C holds the values, and the contact
cells there are the only ones the officer fills in.
"""

from __future__ import annotations

from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from .layout import (
    COVER_FIELDS,
    COVER_INPUTS,
    COVER_REQUIRED,
    COVER_VALUE,
    COVER_WIDTHS,
    FIELD_ROW,
    SUBTITLE_ROW,
    TITLE_ROW,
    Layout,
    texts,
    unit_name,
    unit_text,
)
from .style import (
    BODY,
    BOLD,
    FONT,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_FILL,
    LINE_PT,
    UNLOCKED,
    WRAP,
    print_setup,
    protect,
    put,
    row_height,
    text_validation,
)


def write_cover(ws: Worksheet, layout: Layout, deadline: str | None) -> None:
    t = texts()["cover"]
    fmt = layout.text_params()
    for letter, width in COVER_WIDTHS.items():
        ws.column_dimensions[letter].width = width

    def pair(row: int, text: dict[str, str], font: Font = BODY, fill: PatternFill | None = None):
        zh, en = text["zh"].format(**fmt), text["en"].format(**fmt)
        for ref, value in ((f"A{row}", zh), (f"B{row}", en)):
            put(ws, ref, value, font, WRAP, fill)
        if fill is not None:  # a heading bar spans the value column too
            put(ws, f"{COVER_VALUE}{row}", None, font, WRAP, fill)
        ws.row_dimensions[row].height = row_height(
            [(zh, COVER_WIDTHS["A"]), (en, COVER_WIDTHS["B"])], font
        )

    title = Font(name=FONT, size=14, bold=True)
    pair(TITLE_ROW, t["title"], title)
    pair(SUBTITLE_ROW, t["subtitle"], Font(name=FONT, size=12, bold=True))
    pair(FIELD_ROW - 1, t["fields_header"], HEADER_FONT, HEADER_FILL)

    scheme, unit = layout.scheme, layout.unit
    pos = scheme.positioning[unit.positioning]
    unset = t["deadline_unset"]
    fixed = {
        "unit": unit_name(unit),
        "positioning": f"{pos.name.zh} / {pos.name.en}",
        "year": str(layout.year),
        "scheme": f"{scheme.name.zh}（{scheme.version}）",
        "deadline": deadline or f"{unset['zh']} / {unset['en']}",
    }
    text_rule = text_validation()
    ws.add_data_validation(text_rule)
    for offset, field in enumerate(COVER_FIELDS):
        row = FIELD_ROW + offset
        label = t["fields"][field]
        mark = t["required_mark"] if field in COVER_REQUIRED else {"zh": "", "en": ""}
        put(ws, f"A{row}", label["zh"] + mark["zh"], BOLD, WRAP)
        put(ws, f"B{row}", label["en"] + mark["en"], BODY, WRAP)
        ref = f"{COVER_VALUE}{row}"
        if field in COVER_INPUTS:
            put(ws, ref, None, BODY, WRAP, INPUT_FILL)
            ws[ref].protection = UNLOCKED
            ws[ref].number_format = "@"
            text_rule.add(ref)
            ws.row_dimensions[row].height = 2 * LINE_PT
        else:
            put(ws, ref, fixed[field], BOLD, WRAP)
            ws.row_dimensions[row].height = row_height([(fixed[field], COVER_WIDTHS["C"])], BOLD)

    row = FIELD_ROW + len(COVER_FIELDS) + 1
    pair(row, t["steps_header"], HEADER_FONT, HEADER_FILL)
    for number, step in enumerate(t["steps"], start=1):
        row += 1
        pair(row, {k: f"{number}. {v}" for k, v in step.items()})
    row += 2
    pair(row, t["units_header"], HEADER_FONT, HEADER_FILL)
    for line in _unit_lines(layout):
        row += 1
        pair(row, line)

    protect(ws, layout.password)
    print_setup(ws, f"A1:C{row}", landscape=False, title_rows=None)


def _unit_lines(layout: Layout) -> list[dict[str, str]]:
    """One line per unit of measure on the sheet, naming it where its symbol does not."""
    t = texts()["cover"]
    lines: dict[str, dict[str, str]] = {}
    for item in layout.items:
        symbol, unit = unit_text(item.unit), item.unit
        if symbol in lines:
            continue
        if symbol == "%":
            lines[symbol] = t["percent_line"]
        elif unit.zh != symbol or unit.en != symbol:
            lines[symbol] = {
                lang: t["unit_line"][lang].format(symbol=symbol, name=name)
                if name != symbol
                else symbol
                for lang, name in (("zh", unit.zh), ("en", unit.en))
            }
    return list(lines.values())
