"""The boxes of an SVG chart's texts, measured as the charts measure them, to check that no two
labels overlap and none leaves the chart."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from beautycity.report.charts.svg import text_width

Box = tuple[float, float, float, float]
_NS = "{http://www.w3.org/2000/svg}"
_TRANSLATE = re.compile(r"translate\(\s*([-\d.]+)[ ,]+([-\d.]+)\s*\)")


def text_boxes(svg: str) -> list[tuple[str, Box]]:
    """Each `<text>` of `svg` with its box: width from its runs (a `<tspan>` keeps its own
    size), height from its largest size, moved by the `translate` of its groups."""
    root = ET.fromstring(svg)
    out: list[tuple[str, Box]] = []

    def walk(node: ET.Element, dx: float, dy: float) -> None:
        moved = _TRANSLATE.search(node.get("transform", ""))
        if moved:
            dx, dy = dx + float(moved.group(1)), dy + float(moved.group(2))
        if node.tag == f"{_NS}text":
            out.append(_box(node, dx, dy))
            return
        for child in node:
            walk(child, dx, dy)

    walk(root, 0.0, 0.0)
    return out


def _box(node: ET.Element, dx: float, dy: float) -> tuple[str, Box]:
    size = float(node.get("font-size", "12"))
    runs = [(node.text or "", size)]
    for span in node:
        runs.append((span.text or "", float(span.get("font-size", size))))
        runs.append((span.tail or "", size))
    width = sum(text_width(t, s) for t, s in runs if t)
    tallest = max(s for t, s in runs if t) if any(t for t, _ in runs) else size
    x, y = float(node.get("x", "0")) + dx, float(node.get("y", "0")) + dy
    anchor = node.get("text-anchor", "start")
    x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    content = "".join(t for t, _ in runs)
    return content, (x0, y - 0.8 * tallest, x0 + width, y + 0.2 * tallest)


def overlaps(svg: str, slack: float = 0.5) -> list[tuple[str, str]]:
    """The pairs of texts whose boxes overlap by more than `slack` in both directions."""
    boxes = [(t, b) for t, b in text_boxes(svg) if t.strip()]
    found = []
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1 :]:
            if (
                min(p[2], q[2]) - max(p[0], q[0]) > slack
                and min(p[3], q[3]) - max(p[1], q[1]) > slack
            ):
                found.append((a, b))
    return found


def outside(svg: str, slack: float = 1.0) -> list[str]:
    """The texts that leave the chart's width."""
    width = float(ET.fromstring(svg).get("viewBox", "0 0 0 0").split()[2])
    return [t for t, b in text_boxes(svg) if t.strip() and (b[0] < -slack or b[2] > width + slack)]
