"""How template cells look and behave: fonts and fills, protection, printing, data validation.

Shared by the cover and the input sheet. Row heights are computed here because Excel does not
grow a row to fit wrapped text on its own.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..scheme.model import InputSpec, InputType
from .layout import TEXT_MAX, Item, plain, range_text, texts

FONT = "Microsoft YaHei"  # 微软雅黑: on every Chinese Windows, with Latin glyphs too
LINE_PT = 13.5  # one line of 10-point 微软雅黑 (its line spacing is 1.32 em)
_thin = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # yellow: "type here"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
BODY = Font(name=FONT, size=10)
BOLD = Font(name=FONT, size=10, bold=True)
HEADER_FONT = Font(name=FONT, size=10, bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
UNLOCKED = Protection(locked=False)
# Excel's limits on data-validation texts; longer ones make Excel call the file damaged.
TITLE_MAX, PROMPT_MAX, ERROR_MAX = 32, 255, 225


def value_validation(item: Item) -> DataValidation:
    v = texts()["validation"]
    spec = item.spec
    params = {"unit_zh": item.unit.zh, "unit_en": item.unit.en, "range": range_text(spec)}
    if spec.type is InputType.YESNO:
        yes, no = texts()["yesno"]["yes"], texts()["yesno"]["no"]
        rule = DataValidation(type="list", formula1=f'"{yes},{no}"')
        prompt, error = v["yesno_prompt"], v["yesno_error"]
    else:
        whole = spec.type is InputType.COUNT
        rule = DataValidation(type="whole" if whole else "decimal", **_bounds(spec))
        prompt = v["count_prompt" if whole else "number_prompt"]
        error = v["count_error" if whole else "number_error"]
    prompt_text = _both(prompt, params)
    if not item.required:
        prompt_text += "\n" + _both(v["blank_hint"], params)
    _messages(
        rule,
        v["prompt_title"].format(code=item.code),
        prompt_text,
        v["error_title"],
        _both(error, params),
    )
    rule.add(item.ref("value"))
    return rule


def _bounds(spec: InputSpec) -> dict[str, str]:
    if spec.min is not None and spec.max is not None:
        return {"operator": "between", "formula1": plain(spec.min), "formula2": plain(spec.max)}
    if spec.min is not None:
        return {"operator": "greaterThanOrEqual", "formula1": plain(spec.min)}
    if spec.max is not None:
        return {"operator": "lessThanOrEqual", "formula1": plain(spec.max)}
    return {"operator": "between", "formula1": "-1E+300", "formula2": "1E+300"}


def text_validation() -> DataValidation:
    v = texts()["validation"]
    rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(TEXT_MAX))
    params = {"max": TEXT_MAX}
    _messages(
        rule,
        v["text_title"],
        _both(v["text_prompt"], params),
        v["error_title"],
        _both(v["text_error"], params),
    )
    return rule


def _messages(rule: DataValidation, title: str, prompt: str, error_title: str, error: str):
    rule.allow_blank = True
    rule.showInputMessage = True
    rule.showErrorMessage = True
    rule.errorStyle = "stop"
    rule.promptTitle = title[:TITLE_MAX]
    rule.prompt = prompt[:PROMPT_MAX]
    rule.errorTitle = error_title[:TITLE_MAX]
    rule.error = error[:ERROR_MAX]


def _both(text: dict[str, str], params: Mapping[str, object]) -> str:
    return f"{text['zh'].format(**params)}\n{text['en'].format(**params)}"


def put(
    ws: Worksheet, ref: str, value, font: Font, align: Alignment, fill: PatternFill | None = None
) -> None:
    cell = ws[ref]
    cell.value = value
    cell.font = font
    cell.alignment = align
    cell.border = BORDER
    if fill is not None:
        cell.fill = fill


def protect(ws: Worksheet, password: str) -> None:
    ws.protection.sheet = True
    # Excel's legacy 16-bit hash: weak, which is fine for a password printed on the cover, and
    # the one kind LibreOffice keeps when it re-saves the file.
    ws.protection.password = password
    # Officers may still widen columns and rows to read long texts.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def print_setup(ws: Worksheet, area: str, *, landscape: bool, title_rows: int | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_area = area
    if title_rows:
        ws.print_title_rows = f"{title_rows}:{title_rows}"
    ws.oddFooter.center.text = texts()["input"]["footer"]


def row_height(cells: list[tuple[str, float]], font: Font) -> float:
    """Row height that shows every wrapped text in full: Excel does not grow rows itself."""
    scale = (font.size or 10) / 10
    lines = 1
    for text, width in cells:
        # A column of width w holds about w Latin or w/2 Chinese characters of 10-point text.
        capacity = max(width / scale - 1, 1)
        need = sum(max(1, math.ceil(display_width(part) / capacity)) for part in text.split("\n"))
        lines = max(lines, need)
    return round(lines * LINE_PT * scale + 4, 1)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
