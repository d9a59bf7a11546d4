"""Radar (spider) chart of dimension scores; grouped bars for fewer than three dimensions."""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import style
from .groupbars import dimension_bars
from .svg import (
    Label,
    attrs,
    document,
    flowed_legend,
    marker,
    num,
    stacked_label,
    text,
    zh_en,
)

Series = tuple[Label, Sequence[float | None]]


def radar(
    dimensions: Sequence[tuple[str, str]],
    series: Sequence[Series],
    *,
    radius: float = 120.0,
    show_values: bool = True,
    decimals: int = 1,
) -> str:
    """Scores (0–100) of several series on one axis per dimension, as an SVG string.

    `dimensions` are (Chinese, English) axis labels, clockwise from the top. `series` are
    (name, values) pairs, one value per dimension (None where there is none): typically the
    unit, the mean of all units and the mean of its positioning group. Series differ by
    colour, dash pattern and marker shape; only the first is shaded. Gridlines sit at 20, 40,
    60, 80 and 100. With `show_values`, the first series' value is printed under each axis
    label. A legend below names the series. With fewer than three dimensions, which span no
    radar, the same data are drawn as grouped bars (`dimension_bars`).
    """
    n = len(dimensions)
    if n < 3:
        return dimension_bars(dimensions, series, decimals=decimals)
    if len(series) > len(style.SERIES):
        raise ValueError(f"at most {len(style.SERIES)} series")
    for name, values in series:
        if len(values) != n:
            raise ValueError(f"series {zh_en(name)[0]!r} has {len(values)} values for {n} axes")

    label_w = 132.0  # room for an axis label beside the plot, English wrapped to it
    width = 2 * radius + 2 * label_w + 40
    cx = width / 2
    cy = radius + 10  # moved down below once the labels above the plot are measured

    def at(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(100.0, value)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = [f"<g{attrs(fill='none', stroke=style.GRID, stroke_width='0.8')}>"]
    for level in (20, 40, 60, 80, 100):
        points = " ".join(f"{num(x)},{num(y)}" for x, y in (at(i, level) for i in range(n)))
        body.append(f"<polygon{attrs(points=points)}/>")
    for i in range(n):
        x, y = at(i, 100)
        body.append(f"<line{attrs(x1=cx, y1=cy, x2=x, y2=y, stroke=style.AXIS)}/>")
    body.append("</g>")
    for k, (_, values) in enumerate(series):
        colour, dash, shape = style.SERIES[k]
        body.append(_series_path(values, at, colour, dash, shaded=k == 0))
        for i, v in enumerate(values):
            if v is not None:
                x, y = at(i, v)
                body.append(marker(shape, x, y, 3.2, fill=colour, stroke=style.WHITE))

    for level in (20, 40, 60, 80, 100):  # beside the top axis, over the series on a light box
        x, y = at(0, level)
        box = attrs(x=x - 19, y=y - 4, width=15, height=9, fill=style.WHITE, fill_opacity="0.8")
        body.append(f"<rect{box}/>")
        body.append(
            text(x - 5, y + 3, str(level), style.NOTE_SIZE, text_anchor="end", fill=style.MUTED)
        )

    upper, bottom = cy - radius, cy + radius
    for i, (zh, en) in enumerate(dimensions):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        dx, dy = math.cos(angle), math.sin(angle)
        x = cx + (radius + 10) * dx
        y = cy + (radius + 10) * dy
        anchor = "middle" if abs(dx) < 0.3 else "start" if dx > 0 else "end"
        first = series[0][1][i] if series and show_values else None
        lines, height = _axis_label(x, 0, (zh, en), anchor, label_w, first, decimals)
        if dy < -0.3:  # above the plot: grow upwards
            top = y - height
        elif dy > 0.3:  # below the plot
            top = y + 4
        else:
            top = y - height / 2
        body.append(f"<g{attrs(transform=f'translate(0 {num(top)})')}>{lines}</g>")
        upper, bottom = min(upper, top), max(bottom, top + height)

    shift = 6 - upper
    body = [f"<g{attrs(transform=f'translate(0 {num(shift)})')}>", *body, "</g>"]
    bottom += shift
    legend, legend_height = _legend(series, 20, bottom + 18, width - 40)
    body.append(legend)
    return document(width, bottom + 18 + legend_height + 6, body)


def _series_path(values, at, colour: str, dash: str | None, shaded: bool) -> str:
    """The series outline; a missing value breaks the line instead of dropping to zero."""
    n = len(values)
    present = [v is not None for v in values]
    if all(present):
        d = "M" + " L".join(
            f"{num(x)},{num(y)}" for x, y in (at(i, v) for i, v in enumerate(values))
        )
        d += " Z"
    else:
        parts = []
        for i in range(n):
            j = (i + 1) % n
            if present[i] and present[j]:
                (x1, y1), (x2, y2) = at(i, values[i]), at(j, values[j])
                parts.append(f"M{num(x1)},{num(y1)} L{num(x2)},{num(y2)}")
        d = " ".join(parts)
        shaded = False
    if not d:
        return ""
    fill, opacity = (colour, "0.14") if shaded else ("none", None)
    line = attrs(
        d=d,
        fill=fill,
        fill_opacity=opacity,
        stroke=colour,
        stroke_width="2",
        stroke_dasharray=dash,
        stroke_linejoin="round",
    )
    return f"<path{line}/>"


def _axis_label(x, y, label, anchor, width, value, decimals) -> tuple[str, float]:
    body, height = stacked_label(x, y + style.FONT_SIZE, label, width, text_anchor=anchor)
    if value is not None:
        height += 4 + style.FONT_SIZE
        body += text(
            x,
            y + height,
            num(value, decimals),
            style.FONT_SIZE,
            text_anchor=anchor,
            font_weight="bold",
            fill=style.SERIES[0][0],
        )
    return body, height + 3


def _legend(series: Sequence[Series], x: float, y: float, width: float) -> tuple[str, float]:
    """The series as their line and marker."""

    def key(k: int, col: float, row_y: float) -> str:
        colour, dash, shape = style.SERIES[k]
        line = attrs(
            x1=col, y1=row_y, x2=col + 28, y2=row_y, stroke=colour, stroke_width="2",
            stroke_dasharray=dash,
        )  # fmt: skip
        dot = marker(shape, col + 14, row_y, 3.2, fill=colour, stroke=style.WHITE)
        return f"<line{line}/>{dot}"

    return flowed_legend([name for name, _ in series], x, y, width, key, 34)
