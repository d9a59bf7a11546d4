"""Bar charts: the ranking of totals, before/after comparisons, grade counts, rank intervals."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import style
from .svg import (
    Label,
    attrs,
    document,
    fmt_value,
    inline_label,
    label_column,
    label_width,
    marker,
    num,
    row_label,
    text,
    text_on,
    text_width,
    zh_en,
)
from .words import word

ROW = 22.0  # row pitch of horizontal bar charts
BAR = 14.0


def bar_ranking(
    rows: Sequence[tuple[Label, float | None, str]],
    *,
    highlight: Label | None = None,
    reference: tuple[float, Label] | None = None,
    fills: Sequence[str] | None = None,
    tied: Sequence[bool] | None = None,
    max_value: float = 100.0,
    decimals: int = 1,
    width: float = 640.0,
) -> str:
    """Horizontal bars of totals, one row per city in the order given (best first).

    `fills` colours each bar (e.g. by its grade); `tied` marks with "≈" the rows that cannot
    be told apart from a neighbour.

    Each row is (label, value, grade label); the value is printed at the bar's end and the grade
    after it; a missing value shows "—". The row whose label equals `highlight` is drawn in the
    accent colour with a bold label. `reference` = (value, label) adds a dashed vertical line,
    e.g. the provincial mean.
    """
    left, label_w = label_column([r[0] for r in rows], width)
    right = max(
        [text_width(f"{fmt_value(v, decimals)}  {g}", style.FONT_SIZE) for _, v, g in rows] + [60]
    )
    plot_w = width - left - right - 12
    top = 26.0 if reference else 8.0
    height = top + ROW * len(rows)
    scale = plot_w / max_value
    body = _grid(left, scale, top, height, max_value)
    notes = []  # drawn last, over the reference line, on white so that lines never cross them
    for i, (label, value, grade) in enumerate(rows):
        mid = top + i * ROW + ROW / 2
        strong = highlight is not None and label == highlight
        weight = "bold" if strong else None
        body.append(row_label(left - 8, mid, label, label_w, weight))
        end = left
        if value is not None:
            w = max(0.0, min(value, max_value)) * scale
            fill = style.HIGHLIGHT if strong else (fills[i] if fills else style.BAR)
            bar = attrs(
                x=left,
                y=mid - BAR / 2,
                width=w,
                height=BAR,
                fill=fill,
                stroke=style.BORDER if fills else None,
                stroke_width="0.5" if fills else None,
                class_="bar",
            )
            body.append(f"<rect{bar}/>")
            end = left + w
        mark = " ≈" if tied and tied[i] else ""
        note = f"{fmt_value(value, decimals)}  {grade}{mark}".rstrip()
        back = attrs(
            x=end + 2,
            y=mid - 8,
            width=text_width(note, style.FONT_SIZE) + 6,
            height=16,
            fill=style.WHITE,
        )
        notes.append(f"<rect{back}/>")
        notes.append(text(end + 5, mid + 4.3, note, style.FONT_SIZE, font_weight=weight))
    if reference is not None:
        body.append(_reference(left + reference[0] * scale, top, height, reference[1]))
    body.extend(notes)
    body.extend(_ticks(left, scale, height, max_value))
    return document(width, height + 20, body)


def trend_bars(
    rows: Sequence[tuple[Label, float | None, float | None]],
    *,
    previous_label: Label | None = None,
    current_label: Label | None = None,
    max_value: float = 100.0,
    decimals: int = 1,
    width: float = 640.0,
    lang: str = "bilingual",
) -> str:
    """Previous against current value for a few indicators on one 0..`max_value` scale.

    Each row is (label, previous, current): a thin grey bar for the previous value above a
    full bar for the current one, both with their values, and the change at the right. The
    legend says "previous" and "current" in `lang` unless given its labels.
    """
    if previous_label is None:
        previous_label = word("bars.previous", lang)
    if current_label is None:
        current_label = word("bars.current", lang)
    left, label_w = label_column([r[0] for r in rows], width)
    right = 64.0
    plot_w = width - left - right - 40
    scale = plot_w / max_value
    pitch = ROW + 10
    top = 28.0
    height = top + pitch * len(rows)
    body = [_swatch(left, 8, style.PREVIOUS, previous_label)]
    body.append(
        _swatch(
            left + 30 + label_width(previous_label, style.SMALL_SIZE), 8, style.BAR, current_label
        )
    )
    body += _grid(left, scale, top, height, max_value)
    for i, (label, before, now) in enumerate(rows):
        y = top + i * pitch + 4
        body.append(row_label(left - 8, y + pitch / 2 - 2, label, label_w))
        for value, fill, h, dy in ((before, style.PREVIOUS, 8.0, 0.0), (now, style.BAR, 14.0, 9.0)):
            if value is None:
                body.append(text(left + 4, y + dy + h - 1, "—", style.SMALL_SIZE))
                continue
            w = max(0.0, min(value, max_value)) * scale
            body.append(f"<rect{attrs(x=left, y=y + dy, width=w, height=h, fill=fill)}/>")
            size = style.SMALL_SIZE if h < 10 else style.FONT_SIZE
            body.append(text(left + w + 4, y + dy + h - 1, num(value, decimals), size))
        if before is not None and now is not None:
            change = now - before
            sign = "+" if change > 0 else "−" if change < 0 else "±"
            body.append(
                text(
                    width - 8,
                    y + 20,
                    f"{sign}{num(abs(change), decimals)}",
                    style.FONT_SIZE,
                    text_anchor="end",
                    font_weight="bold",
                )
            )
    body.extend(_ticks(left, scale, height, max_value))
    return document(width, height + 20, body)


def grade_distribution(counts: Mapping[Label, int], *, width: float = 640.0) -> str:
    """How many units got each grade: one stacked bar, best grade (listed first) darkest, in
    the grade colours the ranking bars and the map use.

    Segments wide enough carry their count; the legend below lists every grade with its count,
    zeros included.
    """
    total = sum(counts.values())
    last = len(style.GRADES) - 1
    colours = [style.GRADES[min(i, last)] for i in range(len(counts))]
    body = []
    x, bar_w = 8.0, width - 16
    for (_, count), colour in zip(counts.items(), colours, strict=True):
        if count <= 0 or total == 0:
            continue
        w = bar_w * count / total
        body.append(
            f"<rect{attrs(x=x, y=8, width=w, height=26, fill=colour, stroke=style.WHITE)}/>"
        )
        if w >= 22:
            body.append(
                text(
                    x + w / 2,
                    26,
                    str(count),
                    style.FONT_SIZE,
                    text_anchor="middle",
                    fill=text_on(colour),
                    font_weight="bold",
                )
            )
        x += w
    if total == 0:
        body.append(
            f"<rect{attrs(x=8, y=8, width=bar_w, height=26, fill='none', stroke=style.GRID)}/>"
        )
    col, row_y = 8.0, 54.0
    for (grade, count), colour in zip(counts.items(), colours, strict=True):
        entry = _swatch(col, row_y, colour, grade, f"  {count}")
        entry_w = (
            24
            + label_width(grade, style.SMALL_SIZE)
            + text_width(f"  {count}", style.SMALL_SIZE)
            + 22
        )
        if col > 8 and col + entry_w > width:
            col, row_y = 8.0, row_y + 20
            entry = _swatch(col, row_y, colour, grade, f"  {count}")
        body.append(entry)
        col += entry_w
    return document(width, row_y + 12, body)


def rank_intervals(
    rows: Sequence[tuple[Label, float, float, float, float]],
    *,
    width: float = 640.0,
    lang: str = "bilingual",
) -> str:
    """How stable each city's rank is when the weights vary (robustness analysis).

    Each row is (label, median rank, 5th percentile, 95th percentile, nominal rank). Rows are
    ordered by nominal rank (then median); the bar spans the 5–95 % interval, a tick marks
    the median and a dot the nominal rank. Rank 1 (best) is at the left. The legend and the
    axis are labelled in `lang`.
    """
    ordered = sorted(rows, key=lambda r: (r[4], r[1]))
    n = max([len(rows)] + [math.ceil(max(r[1:])) for r in rows])
    left, label_w = label_column([r[0] for r in ordered], width)
    plot_w = width - left - 20
    step = plot_w / max(n - 1, 1)
    top = 30.0
    height = top + ROW * len(ordered)

    def x_of(rank: float) -> float:
        return left + (rank - 1) * step

    body = [f"<g{attrs(stroke=style.GRID, stroke_width='0.6')}>"]
    for rank in range(1, n + 1):
        body.append(f"<line{attrs(x1=x_of(rank), y1=top, x2=x_of(rank), y2=height)}/>")
    body.append("</g>")
    body.extend(_rank_legend(left, 10, lang))
    for i, (label, median, p5, p95, nominal) in enumerate(ordered):
        mid = top + i * ROW + ROW / 2
        body.append(row_label(left - 8, mid, label, label_w))
        x1, x2 = x_of(min(p5, p95)), x_of(max(p5, p95))
        box = attrs(x=x1 - 3, y=mid - 5, width=x2 - x1 + 6, height=10, rx=5, fill=style.CLASSES[1])
        body.append(f"<rect{box}/>")
        xm = x_of(median)
        tick = attrs(x1=xm, y1=mid - 7, x2=xm, y2=mid + 7, stroke=style.TEXT, stroke_width="2")
        body.append(f"<line{tick}/>")
        body.append(
            marker("circle", x_of(nominal), mid, 3.6, fill=style.HIGHLIGHT, stroke=style.WHITE)
        )
    for rank in range(1, n + 1):
        body.append(
            text(
                x_of(rank),
                height + 14,
                str(rank),
                style.SMALL_SIZE,
                text_anchor="middle",
                fill=style.MUTED,
            )
        )
    caption = word("bars.rank_axis", lang)
    body.append(
        inline_label(
            left + plot_w / 2,
            height + 30,
            caption,
            style.SMALL_SIZE,
            text_anchor="middle",
            fill=style.MUTED,
        )
    )
    return document(width, height + 36, body)


def _rank_legend(x: float, y: float, lang: str) -> list[str]:
    interval, median = word("bars.interval", lang), word("bars.median", lang)
    box = attrs(x=x, y=y - 5, width=26, height=10, rx=5, fill=style.CLASSES[1])
    out = [f"<rect{box}/>", inline_label(x + 32, y + 4, interval, style.SMALL_SIZE)]
    x += 32 + label_width(interval, style.SMALL_SIZE) + 18
    out.append(
        f"<line{attrs(x1=x, y1=y - 7, x2=x, y2=y + 7, stroke=style.TEXT, stroke_width='2')}/>"
    )
    out.append(inline_label(x + 6, y + 4, median, style.SMALL_SIZE))
    x += 6 + label_width(median, style.SMALL_SIZE) + 18
    out.append(marker("circle", x, y, 3.6, fill=style.HIGHLIGHT, stroke=style.WHITE))
    out.append(inline_label(x + 7, y + 4, word("bars.nominal", lang), style.SMALL_SIZE))
    return out


def _grid(left: float, scale: float, top: float, bottom: float, max_value: float) -> list[str]:
    out = [f"<g{attrs(stroke=style.GRID, stroke_width='0.6')}>"]
    for tick in _tick_values(max_value):
        x = left + tick * scale
        out.append(f"<line{attrs(x1=x, y1=top, x2=x, y2=bottom)}/>")
    out.append("</g>")
    return out


def _ticks(left: float, scale: float, bottom: float, max_value: float) -> list[str]:
    return [
        text(
            left + t * scale,
            bottom + 13,
            f"{round(t, 9):g}",
            style.SMALL_SIZE,
            text_anchor="middle",
            fill=style.MUTED,
        )
        for t in _tick_values(max_value)
    ]


def _tick_values(max_value: float) -> list[float]:
    """At most six round ticks from 0 to `max_value`."""
    magnitude = 10.0 ** math.floor(math.log10(max_value / 6)) if max_value > 0 else 1.0
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if max_value / (m * magnitude) <= 6)
    return [i * step for i in range(int(max_value / step + 1e-9) + 1)]


def _reference(x: float, top: float, bottom: float, label: Label) -> str:
    line = attrs(
        x1=x,
        y1=top - 4,
        x2=x,
        y2=bottom,
        stroke=style.TEXT,
        stroke_width="1",
        stroke_dasharray="4 3",
    )
    return f"<line{line}/>" + inline_label(
        x, top - 8, label, style.SMALL_SIZE, text_anchor="middle"
    )


def _swatch(x: float, y: float, fill: str, label: Label, suffix: str = "") -> str:
    box = attrs(x=x, y=y - 6, width=18, height=12, fill=fill, stroke=style.AXIS, stroke_width="0.5")
    zh, en = zh_en(label)
    shown: Label = (zh, en + suffix) if en else zh + suffix
    return f"<rect{box}/>" + inline_label(x + 24, y + 4, shown, style.SMALL_SIZE)
