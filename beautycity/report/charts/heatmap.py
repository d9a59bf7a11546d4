"""Heat map of cities × dimensions with the value printed in every cell."""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import style
from .svg import (
    Label,
    attrs,
    document,
    heat_colour,
    inline_label,
    interpolate,
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
    centres: Sequence[float] | None = None,
    centre_label: Label = "",
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

    With `centres` (one per column, e.g. the provincial mean of each dimension) the colour is
    the cell's distance from its column's centre (named by `centre_label`) on a diverging
    scale, symmetric around it and as wide as the largest distance (rounded up to 5 points):
    most cells then differ, where one 0–100 scale would colour nearly all of them alike.
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
    span = _span(matrix, centres) if centres is not None else 0.0

    def shade(value: float, j: int) -> str:
        if centres is None:
            return heat_colour(value, low, high)
        return interpolate(style.DIVERGING, 0.5 + (value - centres[j]) / (2 * span))

    for i, (label, line) in enumerate(zip(rows, matrix, strict=True)):
        y = top + i * CELL_H
        strong = highlight is not None and label == highlight
        body.append(row_label(left - 8, y + CELL_H / 2, label, label_w, "bold" if strong else None))
        for j, value in enumerate(line):
            x = left + j * cell_w
            fill = style.WHITE if value is None else shade(value, j)
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
    if centres is None:
        body.extend(_scale(left, bottom + 14, low, high, decimals, lang))
        return document(width, bottom + 44, body)
    body.extend(_diverging_scale(left, bottom + 14, span, centre_label, lang))
    return document(width, bottom + 56, body)


def _span(matrix: Sequence[Sequence[float | None]], centres: Sequence[float]) -> float:
    far = max(
        [abs(v - centres[j]) for line in matrix for j, v in enumerate(line) if v is not None]
        + [1.0]
    )
    return 5.0 * math.ceil(far / 5.0)


def _diverging_scale(x: float, y: float, span: float, label: Label, lang: str) -> list[str]:
    """The diverging scale from −span to +span around the centre, its ends named, then the
    no-data sign."""
    steps, step_w = 20, 9.0
    out = []
    for k in range(steps):
        fill = interpolate(style.DIVERGING, (k + 0.5) / steps)
        out.append(f"<rect{attrs(x=x + k * step_w, y=y, width=step_w, height=9, fill=fill)}/>")
    for k, value in ((0, -span), (steps // 2, 0.0), (steps, span)):
        shown = "0" if value == 0 else f"{'+' if value > 0 else '−'}{num(abs(value), 0)}"
        out.append(
            text(
                x + k * step_w,
                y + 21,
                shown,
                style.SMALL_SIZE,
                text_anchor="middle",
                fill=style.MUTED,
            )
        )
    out.append(inline_label(x, y + 35, label, style.SMALL_SIZE))  # what the scale measures
    at = x + steps * step_w + 24
    out.append(text(at, y + 9, "—", style.FONT_SIZE, fill=style.MUTED))
    out.append(inline_label(at + 16, y + 9, word("no_data", lang), style.SMALL_SIZE))
    return out


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
