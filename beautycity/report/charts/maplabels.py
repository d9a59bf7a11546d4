"""Placing the map's unit labels: inside each polygon where they fit, otherwise boxed outside
the province with a leader line, never over another label or the legend."""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import style
from .geometry import Point, Ring, inside, label_point
from .svg import attrs, text, text_on, text_width

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Leader labels try these directions (degrees, y down), nearest first: sideways reads best.
_DIRECTIONS = (180, 0, 225, 135, 315, 45, 270, 90)
_DISTANCES = (10.0, 22.0, 36.0, 52.0, 70.0, 90.0)


class Labeller:
    """Keeps the boxes already taken and finds free room for the next label."""

    def __init__(self, frame: Box, outline: Sequence[Ring]) -> None:
        self.frame = frame
        self.outline = outline
        self.taken: list[Box] = []

    def free(self, box: Box) -> bool:
        x0, y0, x1, y1 = self.frame
        if box[0] < x0 or box[1] < y0 or box[2] > x1 or box[3] > y1:
            return False
        return not any(_overlap(box, other) for other in self.taken)

    def inside(
        self,
        rings: Sequence[Ring],
        avoid: Sequence[Sequence[Ring]],
        marks: Sequence[tuple[Point, float]],
        name: str,
        value: str,
        fill: str,
    ) -> str | None:
        """Name over value at the polygon's most spacious point, in the largest size that fits;
        None when even the smallest does not."""
        for size in (style.FONT_SIZE, style.SMALL_SIZE):
            w = max(text_width(name, size), text_width(value, size))
            h = size * 2.3
            (x, y), r = label_point(rings, avoid, marks, aspect=w / h)
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if r >= h * 0.62 and self.free(box):
                self.taken.append(box)
                out = ""
                if fill.startswith("url"):  # a hatched unit: the text needs a plain ground
                    frame = attrs(
                        x=box[0] - 3, y=box[1], width=w + 6, height=h, rx="2", fill=style.WHITE
                    )
                    out, fill = f"<rect{frame}/>", style.WHITE
                colour = text_on(fill)
                out += text(x, y - 0.1 * size, name, size, text_anchor="middle", fill=colour)
                return out + text(
                    x,
                    y + 1.05 * size,
                    value,
                    size,
                    text_anchor="middle",
                    fill=colour,
                    font_weight="bold",
                )
        return None

    def beside_point(self, x: float, y: float, gap: float, shown: str) -> str:
        """A boxed label right, left, below or above a point marker, whichever is free first."""
        w, h = _box_size(shown)
        candidates = [
            (x + gap, y - h / 2),
            (x - gap - w, y - h / 2),
            (x - w / 2, y + gap),
            (x - w / 2, y - gap - h),
        ]
        for bx, by in candidates:
            if self.free((bx, by, bx + w, by + h)):
                break
        else:
            bx, by = candidates[0]
        return self._boxed(bx, by, w, h, shown)

    def with_leader(self, anchor: Point, shown: str) -> str:
        """A boxed label outside the province, joined to `anchor` by a thin line."""
        w, h = _box_size(shown)
        ax, ay = anchor
        for distance in _DISTANCES:
            for degrees in _DIRECTIONS:
                dx, dy = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
                cx, cy = ax + dx * distance, ay + dy * distance
                bx = cx - w if dx < -0.3 else cx if dx > 0.3 else cx - w / 2
                by = cy - h if dy < -0.3 else cy if dy > 0.3 else cy - h / 2
                box = (bx, by, bx + w, by + h)
                if self.free(box) and self.clear_of_map(box):
                    ex = min(max(ax, bx), bx + w)
                    ey = min(max(ay, by), by + h)
                    line = attrs(x1=ax, y1=ay, x2=ex, y2=ey, stroke=style.TEXT, stroke_width="0.8")
                    dot = attrs(
                        cx=ax,
                        cy=ay,
                        r="1.8",
                        fill=style.TEXT,
                        stroke=style.WHITE,
                        stroke_width="0.6",
                    )
                    return f"<line{line}/><circle{dot}/>" + self._boxed(bx, by, w, h, shown)
        return self.beside_point(ax, ay, 4.0, shown)

    def clear_of_map(self, box: Box) -> bool:
        """Whether the box lies outside the province (checked at its corners, sides, centre)."""
        x0, y0, x1, y1 = box
        samples = [(x, y) for x in (x0, (x0 + x1) / 2, x1) for y in (y0, (y0 + y1) / 2, y1)]
        return not any(inside(p, self.outline) for p in samples)

    def _boxed(self, bx: float, by: float, w: float, h: float, shown: str) -> str:
        self.taken.append((bx, by, bx + w, by + h))
        frame = attrs(
            x=bx,
            y=by,
            width=w,
            height=h,
            rx="2",
            fill=style.WHITE,
            stroke=style.AXIS,
            stroke_width="0.5",
        )
        return f"<rect{frame}/>" + text(
            bx + 4, by + h - 4.5, shown, style.SMALL_SIZE, font_weight="bold"
        )


def _box_size(shown: str) -> tuple[float, float]:
    return text_width(shown, style.SMALL_SIZE) + 8, style.SMALL_SIZE + 6


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
