"""Plane geometry for the map: ring areas, point-in-polygon and label positions."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence

Point = tuple[float, float]
Ring = Sequence[Point]


def ring_area(ring: Ring) -> float:
    """Unsigned area (shoelace)."""
    n = len(ring)
    return (
        abs(
            sum(
                ring[i][0] * ring[(i + 1) % n][1] - ring[(i + 1) % n][0] * ring[i][1]
                for i in range(n)
            )
        )
        / 2
    )


def inside(point: Point, rings: Sequence[Ring]) -> bool:
    """Even–odd rule over all rings, so holes count as outside."""
    x, y = point
    result = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % n]
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                result = not result
    return result


# An edge from (ax, ay) to (bx, by) as (ax, ay, by, bx - ax, by - ay, squared length), prepared
# once per polygon: a label search measures a thousand points or more against the same edges.
Edge = tuple[float, float, float, float, float, float]


def edges(rings: Sequence[Ring]) -> list[Edge]:
    out = []
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (ax, ay), (bx, by) = ring[i], ring[(i + 1) % n]
            dx, dy = bx - ax, by - ay
            out.append((ax, ay, by, dx, dy, dx * dx + dy * dy))
    return out


def signed_distance(point: Point, shape: list[Edge]) -> float:
    """Distance to the nearest edge of `shape` (see `edges`), positive inside the polygon
    (even–odd rule, as `inside`) and negative outside."""
    px, py = point
    best = math.inf
    within = False
    for ax, ay, by, dx, dy, length2 in shape:
        if (ay > py) != (by > py) and px < ax + (py - ay) * dx / dy:
            within = not within
        t = 0.0 if length2 == 0 else ((px - ax) * dx + (py - ay) * dy) / length2
        t = 0.0 if t <= 0.0 else 1.0 if t >= 1.0 else t
        d = math.hypot(px - ax - t * dx, py - ay - t * dy)
        if d < best:
            best = d
    return best if within else -best


def label_point(
    rings: Sequence[Ring],
    avoid: Sequence[Sequence[Ring]] = (),
    avoid_points: Sequence[tuple[Point, float]] = (),
    aspect: float = 1.0,
    precision: float = 0.5,
) -> tuple[Point, float]:
    """The point of the polygon farthest from its edges, and that distance.

    This is the "pole of inaccessibility" search of Mapbox's polylabel (a best-first quadtree
    search), where a good place for a label is deep inside the shape rather than at a centroid
    that may fall outside it or near an edge. `avoid` are polygons drawn on top (a county
    inside its prefecture) and `avoid_points` are (point, radius) markers; both count as
    outside. With `aspect` > 1 the search favours room for a label that many times wider than
    tall (distances are measured with x shrunk by `aspect`; below 1 it is taken as 1, which
    keeps the search's distance bound valid).
    """
    aspect = max(1.0, aspect)

    def distance(p: Point) -> float:
        q = (p[0] / aspect, p[1])
        d = signed_distance(q, scaled)
        for other in scaled_avoid:
            d = min(d, -signed_distance(q, other))
        for (ax, ay), r in avoid_points:
            d = min(d, math.hypot(q[0] - ax / aspect, q[1] - ay) - r)
        return d

    scaled = edges([[(x / aspect, y) for x, y in ring] for ring in rings])
    scaled_avoid = [edges([[(x / aspect, y) for x, y in ring] for ring in poly]) for poly in avoid]
    outer = max(rings, key=ring_area)
    xs = [p[0] for p in outer]
    ys = [p[1] for p in outer]
    return _search(distance, min(xs), min(ys), max(xs), max(ys), precision, _centroid(outer))


def _search(
    distance: Callable[[Point], float],
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    precision: float,
    start: Point,
) -> tuple[Point, float]:
    size = min(x1 - x0, y1 - y0)
    if size <= 0:
        return start, 0.0
    half = size / 2
    queue: list[tuple[float, int, float, float, float, float]] = []
    counter = 0  # breaks ties in the heap so the search order never depends on float noise

    def push(x: float, y: float, h: float) -> None:
        nonlocal counter
        d = distance((x, y))
        heapq.heappush(queue, (-(d + h * math.sqrt(2)), counter, x, y, h, d))
        counter += 1

    x = x0
    while x < x1:
        y = y0
        while y < y1:
            push(x + half, y + half, half)
            y += size
        x += size
    best_point, best_d = start, distance(start)
    while queue:
        neg_max, _, x, y, h, d = heapq.heappop(queue)
        if d > best_d:
            best_point, best_d = (x, y), d
        if -neg_max - best_d <= precision:
            continue
        h /= 2
        for dx in (-h, h):
            for dy in (-h, h):
                push(x + dx, y + dy, h)
    return best_point, best_d


def _centroid(ring: Ring) -> Point:
    n = len(ring)
    a = cx = cy = 0.0
    for i in range(n):
        (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % n]
        f = x1 * y2 - x2 * y1
        a += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    if a == 0:
        return ring[0]
    return cx / (3 * a), cy / (3 * a)
