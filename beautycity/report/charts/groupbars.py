"""Grouped horizontal bars of dimension scores: what the radar chart becomes for a scheme with
fewer than three dimensions, which no radar can show."""

from __future__ import annotations

from collections.abc import Sequence

from . import style
from .bars import _grid, _ticks
from .svg import (
    Label,
    attrs,
    document,
    flowed_legend,
    label_column,
    marker,
    num,
    row_label,
    text,
    zh_en,
)

Series = tuple[Label, Sequence[float | None]]
BAR_H = 12.0
GAP = 3.0
GROUP_GAP = 14.0


def dimension_bars(
    dimensions: Sequence[tuple[str, str]],
    series: Sequence[Series],
    *,
    decimals: int = 1,
    width: float = 640.0,
) -> str:
    """Scores (0–100) of several series, one group of bars per dimension, as an SVG string.

    Takes what `radar` takes: (Chinese, English) dimension labels and (name, values) series,
    one value per dimension (None where there is none, shown as "—"). Series differ by colour
    and by the marker shape at the end of each bar, as in the radar; the first is printed
    bold. A legend above names the series.
    """
    n = len(dimensions)
    if n == 0:
        raise ValueError("no dimensions to draw")
    if len(series) > len(style.SERIES):
        raise ValueError(f"at most {len(style.SERIES)} series")
    for name, values in series:
        if len(values) != n:
            raise ValueError(f"series {zh_en(name)[0]!r} has {len(values)} values for {n} bars")
    labels: list[Label] = [(zh, en) if en else zh for zh, en in dimensions]
    left, label_w = label_column(labels, width)
    scale = (width - left - 48) / 100.0
    legend, legend_h = _legend(series, left, 12, width - left)
    top = 12 + legend_h + 6
    group_h = max(1, len(series)) * (BAR_H + GAP) - GAP
    bottom = top + n * (group_h + GROUP_GAP) - GROUP_GAP + 6
    body = [legend, *_grid(left, scale, top - 4, bottom, 100.0)]
    for i, label in enumerate(labels):
        y0 = top + i * (group_h + GROUP_GAP)
        body.append(row_label(left - 8, y0 + group_h / 2, label, label_w, weight="bold"))
        for k, (_, values) in enumerate(series):
            colour, _, shape = style.SERIES[k]
            y, value = y0 + k * (BAR_H + GAP), values[i]
            if value is None:
                body.append(text(left + 4, y + BAR_H - 2, "—", style.SMALL_SIZE))
                continue
            w = max(0.0, min(100.0, value)) * scale
            bar = attrs(x=left, y=y, width=w, height=BAR_H, fill=colour, fill_opacity=_opacity(k))
            body.append(f"<rect{bar}/>")
            body.append(
                marker(shape, left + w, y + BAR_H / 2, 3.4, fill=colour, stroke=style.WHITE)
            )
            body.append(
                text(
                    left + w + 7,
                    y + BAR_H - 2,
                    num(value, decimals),
                    style.SMALL_SIZE,
                    font_weight="bold" if k == 0 else None,
                )
            )
    body += _ticks(left, scale, bottom, 100.0)
    return document(width, bottom + 20, body)


def _opacity(k: int) -> str | None:
    return None if k == 0 else "0.45"


def _legend(series: Sequence[Series], x: float, y: float, width: float) -> tuple[str, float]:
    """The series as their bar colour and marker."""

    def key(k: int, col: float, row_y: float) -> str:
        colour, _, shape = style.SERIES[k]
        box = attrs(x=col, y=row_y - 5, width=18, height=10, fill=colour, fill_opacity=_opacity(k))
        dot = marker(shape, col + 18, row_y, 3.4, fill=colour, stroke=style.WHITE)
        return f"<rect{box}/>{dot}"

    return flowed_legend([name for name, _ in series], x, y, width, key, 28)
