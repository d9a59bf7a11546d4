"""Heat map of cities × dimensions with the value printed in every cell."""

from __future__ import annotations

from collections.abc import Sequence

from . import style
from .svg import (
    Label,
    attrs,
    document,
    heat_colour,
    inline_label,
    label_column,
    num,
    row_label,
    stacked_label,
    text,
    text_on,
)
from .words import word

CELL_H = 24.0


def heatmap(
    rows: Sequence[Label],
    columns: Sequence[Label],
    matrix: Sequence[Sequence[float | None]],
    *,
    highlight: Label | None = None,
    low: float = 0.0,
    high: float = 100.0,
    decimals: int = 1,
    width: float = 640.0,
    lang: str = "bilingual",
) -> str:
    """Scores of each row (city) in each column (dimension), as coloured cells with values.

    Cell colour runs from light (`low`) to dark (`high`) on one fixed scale, so charts of
    different reports compare; the printed value carries the information in grey print too, in
    dark or white text, whichever contrasts more. A missing value (None) is a blank cell with
    "—". The row equal to `highlight` gets a bold label and an outline. The scale's no-data
    sign is explained in `lang`.
    """
    if len(matrix) != len(rows) or any(len(line) != len(columns) for line in matrix):
        raise ValueError(f"matrix must be {len(rows)} rows × {len(columns)} columns")
    left, label_w = label_column(rows, width)
    cell_w = (width - left - 8) / max(len(columns), 1)

    header, header_h = [], 0.0
    for j, column in enumerate(columns):
        svg, h = stacked_label(
            left + (j + 0.5) * cell_w, style.FONT_SIZE, column, cell_w - 6, text_anchor="middle"
        )
        header.append(svg)
        header_h = max(header_h, h)
    top = header_h + 8
    body = header
    for i, (label, line) in enumerate(zip(rows, matrix, strict=True)):
        y = top + i * CELL_H
        strong = highlight is not None and label == highlight
        body.append(row_label(left - 8, y + CELL_H / 2, label, label_w, "bold" if strong else None))
        for j, value in enumerate(line):
            x = left + j * cell_w
            fill = style.WHITE if value is None else heat_colour(value, low, high)
            cell = attrs(
                x=x,
                y=y,
                width=cell_w,
                height=CELL_H,
                fill=fill,
                stroke=style.WHITE,
                stroke_width="1.5",
            )
            body.append(f"<rect{cell}/>")
            shown = "—" if value is None else num(value, decimals)
            colour = style.MUTED if value is None else text_on(fill)
            body.append(
                text(
                    x + cell_w / 2,
                    y + CELL_H / 2 + 4.3,
                    shown,
                    style.FONT_SIZE,
                    text_anchor="middle",
                    fill=colour,
                )
            )
        if strong:
            box = attrs(
                x=left,
                y=y,
                width=cell_w * len(columns),
                height=CELL_H,
                fill="none",
                stroke=style.TEXT,
                stroke_width="1.5",
            )
            body.append(f"<rect{box}/>")
    bottom = top + CELL_H * len(rows)
    body.extend(_scale(left, bottom + 14, low, high, decimals, lang))
    return document(width, bottom + 44, body)


def _scale(x: float, y: float, low: float, high: float, decimals: int, lang: str) -> list[str]:
    """The colour scale as 20 steps with ticks, then the no-data sign."""
    steps, step_w = 20, 9.0
    out = []
    for k in range(steps):
        colour = heat_colour(low + (high - low) * (k + 0.5) / steps, low, high)
        out.append(f"<rect{attrs(x=x + k * step_w, y=y, width=step_w, height=9, fill=colour)}/>")
    for k in range(0, steps + 1, 4):
        value = low + (high - low) * k / steps
        out.append(
            text(
                x + k * step_w,
                y + 21,
                num(value, 0),
                style.SMALL_SIZE,
                text_anchor="middle",
                fill=style.MUTED,
            )
        )
    at = x + steps * step_w + 24
    out.append(text(at, y + 9, "—", style.FONT_SIZE, fill=style.MUTED))
    out.append(inline_label(at + 16, y + 9, word("no_data", lang), style.SMALL_SIZE))
    return out
