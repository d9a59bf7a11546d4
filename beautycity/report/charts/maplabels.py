"""Placing the map's unit labels: inside each polygon where they fit, otherwise boxed outside
the province with a leader line, never over another label or the legend.

At national scale a map holds thousands of point units: the boxes already taken sit in a
grid (`Taken`), so finding free room asks only the boxes near it, and a polygon's label
search is given only the markers that can reach it. Both return what checking everything
would, so small maps come out exactly as before.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from . import style
from .geometry import Point, Ring, inside, label_point, ring_area
from .svg import attrs, text, text_on, text_width

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Leader labels try these directions (degrees, y down), nearest first: sideways reads best.
_DIRECTIONS = (180, 0, 225, 135, 315, 45, 270, 90)
_DISTANCES = (10.0, 22.0, 36.0, 52.0, 70.0, 90.0)
_CELL = 40.0  # grid step of `Taken`, about a label's width


class Taken:
    """The boxes already taken, indexed by the grid cells they cover."""

    def __init__(self) -> None:
        self._boxes: list[Box] = []
        self._grid: defaultdict[tuple[int, int], list[Box]] = defaultdict(list)

    def append(self, box: Box) -> None:
        self._boxes.append(box)
        for cell in _cells(box):
            self._grid[cell].append(box)

    def __iadd__(self, boxes: Iterable[Box]) -> Taken:
        for box in boxes:
            self.append(box)
        return self

    def __iter__(self) -> Iterator[Box]:
        return iter(self._boxes)

    def __len__(self) -> int:
        return len(self._boxes)

    def overlaps(self, box: Box) -> bool:
        """Whether `box` overlaps any box taken."""
        return any(
            _overlap(box, other) for cell in _cells(box) for other in self._grid.get(cell, ())
        )


def _cells(box: Box) -> Iterator[tuple[int, int]]:
    for i in range(math.floor(box[0] / _CELL), math.floor(box[2] / _CELL) + 1):
        for j in range(math.floor(box[1] / _CELL), math.floor(box[3] / _CELL) + 1):
            yield i, j


class Labeller:
    """Keeps the boxes already taken and finds free room for the next label."""

    def __init__(self, frame: Box, outline: Sequence[Ring]) -> None:
        self.frame = frame
        self.outline = outline
        self.taken = Taken()

    def free(self, box: Box) -> bool:
        x0, y0, x1, y1 = self.frame
        if box[0] < x0 or box[1] < y0 or box[2] > x1 or box[3] > y1:
            return False
        return not self.taken.overlaps(box)

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
            near = _reaching(rings, marks, max(1.0, w / h))
            (x, y), r = label_point(rings, avoid, near, aspect=w / h)
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


def _reaching(
    rings: Sequence[Ring], marks: Sequence[tuple[Point, float]], aspect: float
) -> list[tuple[Point, float]]:
    """The markers that can change `label_point`'s distances over the polygon `rings`.

    The search measures points of the outer ring's box, its grid cells (as wide as the box's
    shorter side) reaching at most one cell beyond it, with x shrunk by `aspect`. Inside the
    polygon a distance is at most half that side; outside it is negative. So a marker of
    radius r farther than r + half a side from that area never gives the smallest distance,
    and leaving it out changes nothing.
    """
    outer = max(rings, key=ring_area)
    x0, x1 = min(p[0] for p in outer), max(p[0] for p in outer)
    y0, y1 = min(p[1] for p in outer), max(p[1] for p in outer)
    side = min(x1 - x0, y1 - y0)
    out = []
    for (mx, my), r in marks:
        dx = max(x0 - mx, mx - (x1 + side), 0.0) / aspect
        dy = max(y0 - my, my - (y1 + side), 0.0)
        if math.hypot(dx, dy) <= r + side / 2:
            out.append(((mx, my), r))
    return out


def _box_size(shown: str) -> tuple[float, float]:
    return text_width(shown, style.SMALL_SIZE) + 8, style.SMALL_SIZE + 6


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
