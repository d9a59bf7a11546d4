"""Choropleth map of the assessed units on a simplified base map.

The map takes plain data: the units as `MapUnit`s and the base map as the dict that
scripts/build_map.py writes (the report loads the one its scheme names); its fixed texts are
in texts/charts.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import style
from .geometry import Point, label_point, ring_area
from .maplabels import Box, Labeller
from .svg import (
    Label,
    attrs,
    document,
    fmt_value,
    inline_label,
    label_width,
    marker,
    num,
    text,
    text_width,
    wrap,
    zh_en,
)
from .words import word

PAD = 8.0
LEGEND_W = 190.0  # the legend sits in the frame's south-west corner when that is empty
POINT_R = 6.0


class MapUnit(NamedTuple):
    """One unit as the map draws it."""

    id: str
    short: tuple[str, str]  # (Chinese, English) short name: the label on the map, the notes
    name: tuple[str, str]  # (Chinese, English) full name, for the note on an overlaid unit
    code: str | None = None  # the adcode of its polygon in the map data
    point: tuple[float, float] | None = None  # (longitude, latitude), for a unit with no polygon
    parent: str | None = None  # the unit whose polygon holds this one's


def class_breaks(values: Sequence[float], classes: int = 5, decimals: int = 1) -> list[float]:
    """Equal-width class edges from the lowest value up to at least the highest.

    The width is rounded up to whole units of the last printed decimal, so the legend's
    ranges are exact; equal values fall in the middle class.
    """
    step = 10.0**-decimals
    # rounding before floor/ceil keeps 63.4 from becoming 63.3 through float noise
    low = math.floor(round(min(values) / step, 6))
    high = math.ceil(round(max(values) / step, 6))
    width = max(1, math.ceil(round((high - low) / classes, 6)))
    if high == low:
        low -= classes // 2
    return [round((low + i * width) * step, decimals) for i in range(classes + 1)]


def class_of(value: float, breaks: Sequence[float]) -> int:
    """Index of the class holding `value`: lower edge included, last class closed."""
    for i in range(len(breaks) - 2, -1, -1):
        if value >= breaks[i]:
            return i
    return 0


def placement(unit: MapUnit, map_data: Mapping[str, Any]) -> str | None:
    """How the map shows `unit`: "polygon" (its adcode is on the map), "point" (its profile's
    point lies within the map's frame), or None: it cannot be placed."""
    if unit.code and any(f["adcode"] == unit.code for f in map_data["features"]):
        return "polygon"
    if unit.point is not None:
        x, y = _project(map_data["projection"], unit.point)
        if 0 <= x <= map_data["width"] and 0 <= y <= map_data["height"]:
            return "point"
    return None


def unplaced(units: Sequence[MapUnit], map_data: Mapping[str, Any]) -> list[str]:
    """The ids of the units the map cannot show (see `placement`), in their order."""
    return [u.id for u in units if placement(u, map_data) is None]


def choropleth(
    values: Mapping[str, float | None],
    units: Sequence[MapUnit],
    map_data: Mapping[str, Any],
    *,
    lang: str = "bilingual",
    breaks: Sequence[float] | None = None,
    fills: Sequence[str] | None = None,
    class_names: Sequence[Label] | None = None,
    legend_title: Label | None = None,
    decimals: int = 1,
    width: float = 640.0,
) -> str:
    """Units filled by the class of their value, as an SVG string without a title.

    `values` are keyed by unit id; a unit with a `code` is drawn with the polygon of that
    adcode, one with a `point` (lon, lat) as a triangle coloured by its class. Smaller polygons
    are drawn over larger ones (Meihekou over Tonghua). Five classes of equal width span the
    values unless `breaks` (six edges) are given; the legend lists their ranges and explains
    point units and missing values (hatched, "—"). Each unit carries its short name (English
    in "en", else Chinese: there is room for one) and value at its polygon's pole of
    inaccessibility. A unit with neither (see `placement`) is left off, and a note under the
    map names it. A corner note says the map is schematic and the foot cites the boundary
    data, in `lang`.
    """
    roster = {u.id: u for u in units}
    labels = {u.id: u.short[1] if lang == "en" else u.short[0] for u in units}
    unknown = sorted(set(values) - set(roster))
    if unknown:
        raise ValueError(f"values for units not in the roster: {', '.join(unknown)}")
    present = [v for v in values.values() if v is not None]
    edges = (
        list(breaks)
        if breaks is not None
        else class_breaks(present or [0.0, 100.0], decimals=decimals)
    )
    fills = tuple(fills or style.CLASSES)
    if len(edges) != len(fills) + 1:
        raise ValueError(f"breaks must be {len(fills) + 1} edges, one more than the fills")

    scale = (width - 2 * PAD) / map_data["width"]
    map_h = map_data["height"] * scale

    def fit(p: Sequence[float]) -> Point:
        return PAD + p[0] * scale, PAD + p[1] * scale

    by_code = {f["adcode"]: f for f in map_data["features"]}
    polygons: dict[str, list[list[Point]]] = {}
    points: dict[str, Point] = {}
    for unit in units:
        placed = placement(unit, map_data)
        if placed == "polygon":
            polygons[unit.id] = [[fit(p) for p in ring] for ring in by_code[unit.code]["rings"]]
        elif placed == "point":
            points[unit.id] = fit(_project(map_data["projection"], unit.point))

    def fill_of(unit_id: str) -> str:
        value = values.get(unit_id)
        return "url(#bc-no-data)" if value is None else fills[class_of(value, edges)]

    def klass_of(unit_id: str) -> str:
        value = values.get(unit_id)
        return "no-data" if value is None else f"class-{class_of(value, edges)}"

    order = sorted(polygons, key=lambda u: -sum(ring_area(r) for r in polygons[u]))
    body = [_defs()]
    for unit_id in order:
        path = attrs(
            d=_path(polygons[unit_id]),
            fill=fill_of(unit_id),
            fill_rule="evenodd",
            stroke=style.BORDER,
            stroke_width="0.7",
            stroke_linejoin="round",
            class_=f"unit {klass_of(unit_id)}",
            data_unit=unit_id,
        )
        body.append(f"<path{path}/>")
    outline_rings = [[fit(p) for p in r] for r in map_data["outline"]]
    outline = attrs(
        d=_path(outline_rings),
        fill="none",
        stroke=style.OUTLINE,
        stroke_width="1.4",
        stroke_linejoin="round",
    )
    body.append(f"<path{outline}/>")

    labeller = Labeller((0, 0, width, PAD + map_h + 6), outline_rings)
    missing = any(values.get(u) is None for u in [*polygons, *points])
    legend, legend_boxes = _legend(
        edges, fills, class_names, missing, points, roster, legend_title, decimals, lang
    )
    legend_h = max(b[3] for b in legend_boxes)
    legend_top = PAD + map_h - legend_h
    taken = [
        (x0 + PAD, y0 + legend_top, x1 + PAD, y1 + legend_top) for x0, y0, x1, y1 in legend_boxes
    ]
    below = not all(labeller.clear_of_map(box) for box in taken)
    if below:  # a legend too tall for the empty corner goes under the map instead
        legend_top = PAD + map_h + 10
    else:
        labeller.taken += taken
    note = word("map.schematic", lang)
    note_w = label_width(note, style.FONT_SIZE)
    labeller.taken.append((width - PAD - note_w, PAD, width - PAD, PAD + 18))
    labeller.taken += [
        (x - POINT_R, y - POINT_R, x + POINT_R, y + POINT_R) for x, y in points.values()
    ]
    marks = [(p, POINT_R * 3) for p in points.values()]
    crowded = []
    for unit_id in order:
        name = labels.get(unit_id, unit_id)
        shown = fmt_value(values.get(unit_id), decimals)
        children = [polygons[u.id] for u in units if u.parent == unit_id and u.id in polygons]
        label = labeller.inside(polygons[unit_id], children, marks, name, shown, fill_of(unit_id))
        if label is None:
            crowded.append(unit_id)
        else:
            body.append(label)
    for unit_id, (x, y) in points.items():
        fill = style.WHITE if values.get(unit_id) is None else fill_of(unit_id)
        triangle = marker(
            "triangle",
            x,
            y,
            POINT_R,
            fill=fill,
            stroke=style.POINT_MARKER,
            stroke_width="1.3",
            class_="point",
            data_unit=unit_id,
        )
        shown = f"{labels.get(unit_id, unit_id)} {fmt_value(values.get(unit_id), decimals)}"
        body.append(triangle + labeller.beside_point(x, y, POINT_R + 3, shown))
    for unit_id in crowded:  # too small for a label inside: boxed outside, with a leader line
        anchor, _ = label_point(polygons[unit_id])
        shown = f"{labels.get(unit_id, unit_id)} {fmt_value(values.get(unit_id), decimals)}"
        body.append(labeller.with_leader(anchor, shown))

    body.append(f"<g{attrs(transform=f'translate({num(PAD)} {num(legend_top)})')}>{legend}</g>")
    body.append(
        inline_label(
            width - PAD, PAD + 14, note, style.FONT_SIZE, text_anchor="end", font_weight="bold"
        )
    )
    foot_top = (legend_top + legend_h if below else PAD + map_h) + 12
    left_off = [u for u in units if u.id not in polygons and u.id not in points]
    foot, foot_h = _foot(map_data, roster, left_off, width, lang)
    body.append(f"<g{attrs(transform=f'translate(0 {num(foot_top)})')}>{foot}</g>")
    return document(width, foot_top + foot_h, body, label=" ".join(zh_en(note)).strip())


def _project(projection: Mapping[str, Any], point: Sequence[float]) -> Point:
    """The build script's equirectangular formula, for units placed by (lon, lat)."""
    lon, lat = point
    k, lon0, lat0 = projection["k"], projection["lon0"], projection["lat0"]
    x = projection["x0"] + k * math.cos(math.radians(lat0)) * (lon - lon0)
    return x, projection["y0"] - k * (lat - lat0)


def _path(rings: Sequence[Sequence[Point]]) -> str:
    return " ".join("M" + " L".join(f"{num(x)},{num(y)}" for x, y in ring) + " Z" for ring in rings)


def _defs() -> str:
    """The hatch for units without a value; the id is fixed and its content identical in every
    map, so two maps on one HTML page cannot disagree about it."""
    pattern = attrs(id="bc-no-data", width="6", height="6", patternUnits="userSpaceOnUse")
    lines = attrs(d="M0,6 L6,0", stroke=style.NO_DATA_HATCH, stroke_width="1")
    return (
        f"<defs><pattern{pattern}><rect{attrs(width='6', height='6', fill=style.WHITE)}/>"
        f"<path{lines}/></pattern></defs>"
    )


def _legend(
    edges, fills, names, missing, points, roster, title, decimals, lang
) -> tuple[str, list[Box]]:
    """Class ranges (high to low), then no-data and point-symbol entries.

    Returns the SVG, drawn from (0, 0) down, and the box of each row, so that map labels may
    use the room beside the short rows.
    """
    rows: list[str] = []
    boxes: list[Box] = []
    y = 0.0

    def add(svg: str, row_w: float, row_h: float) -> None:
        nonlocal y
        rows.append(svg)
        boxes.append((0.0, y, row_w, y + row_h))
        y += row_h + 4

    if title is not None:
        lines, w = _lines(0, 11, title, LEGEND_W, font_weight="bold")
        add(_at(y, "".join(lines)), min(w, LEGEND_W), 14 + 13 * (len(lines) - 1))
    swatch = {"width": 20, "height": 13, "stroke": style.BORDER, "stroke_width": "0.5"}
    for i in range(len(fills) - 1, -1, -1):
        span = f"{num(edges[i], decimals)} – {num(edges[i + 1], decimals)}"
        svg = f"<rect{attrs(x=0, y=0, fill=fills[i], **swatch)}/>"
        if names is None:
            svg += text(28, 10.5, span, style.SMALL_SIZE)
            row_w = 28 + text_width(span, style.SMALL_SIZE)
        else:  # a grade band: its name, then its range
            name = inline_label(28, 10.5, names[i], style.SMALL_SIZE)
            name_w = label_width(names[i], style.SMALL_SIZE)
            svg += name + text(34 + name_w, 10.5, span, style.SMALL_SIZE, fill=style.MUTED)
            row_w = 34 + name_w + text_width(span, style.SMALL_SIZE)
        add(_at(y, svg), row_w, 13)
    if missing:
        no_data = word("no_data", lang)
        svg = f"<rect{attrs(x=0, y=0, fill='url(#bc-no-data)', **swatch)}/>"
        svg += inline_label(28, 10.5, no_data, style.SMALL_SIZE)
        add(_at(y, svg), 28 + label_width(no_data, style.SMALL_SIZE), 13)
    for unit_id in points:
        lines, w = _lines(
            28, 10.5, word("map.point", lang, short=roster[unit_id].short), LEGEND_W - 28
        )
        svg = marker(
            "triangle",
            10,
            7,
            POINT_R * 0.85,
            fill=style.WHITE,
            stroke=style.POINT_MARKER,
            stroke_width="1.2",
        )
        svg += "".join(lines)
        add(_at(y, svg), 28 + w, 13 * len(lines))
    return "".join(rows), boxes


def _lines(
    x: float, y: float, label: Label, width: float, **first: object
) -> tuple[list[str], float]:
    """A legend entry: the first language on top (`first` are its attributes), the second
    below it, muted, each wrapped to `width`, 13 apart; returns the lines and their width."""
    main, second = zh_en(label)
    shown = [(line, first) for line in wrap(main, width, style.SMALL_SIZE)]
    if second:
        muted = {"fill": style.MUTED}
        shown += [(line, muted) for line in wrap(second, width, style.SMALL_SIZE)]
    lines = [
        text(x, y + 13 * i, line, style.SMALL_SIZE, **extra)
        for i, (line, extra) in enumerate(shown)
    ]
    return lines, max(text_width(line, style.SMALL_SIZE) for line, _ in shown)


def _at(y: float, svg: str) -> str:
    return f"<g{attrs(transform=f'translate(0 {num(y)})')}>{svg}</g>"


def _foot(
    data, roster: Mapping[str, MapUnit], left_off: Sequence[MapUnit], width: float, lang: str
) -> tuple[str, float]:
    """The units left off the map, attribution and overlay notes under the map; returns the
    SVG and its height."""
    attribution = data["attribution"]
    notes = []
    if left_off:
        names = (
            "、".join(u.short[0] for u in left_off),
            ", ".join(u.short[1] for u in left_off),
        )
        notes.append("".join(zh_en(word("map.unplaced", lang, names=names))))
    notes += [attribution[side] for side in ("zh", "en") if lang in (side, "bilingual")]
    for unit in roster.values():
        if unit.parent and unit.code and any(f["adcode"] == unit.code for f in data["features"]):
            parent = roster[unit.parent].short
            note = word("map.overlay", lang, short=unit.short, name=unit.name, parent=parent)
            notes.append("".join(zh_en(note)))
    out, y = [], 0.0
    for note in notes:
        for line in wrap(note, width - 2 * PAD, style.NOTE_SIZE):
            y += style.NOTE_SIZE * 1.35
            out.append(text(PAD, y, line, style.NOTE_SIZE, fill=style.MUTED))
    return "".join(out), y + 4
