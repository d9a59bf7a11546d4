"""Reports for schemes of any shape and units the map cannot place: two dimensions (bars
instead of a radar), one positioning, a group of one, no vetoes or adjustments, hundreds of
indicators, no map; a base map found where the scheme says, and a unit with neither a polygon
nor a point named under the map instead of crashing the overview."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from beautycity.assessment.build import build_doc
from beautycity.assessment.engine import Inputs, assess
from beautycity.cities import Level, Roster, Unit, load_roster
from beautycity.problems import BeautycityError
from beautycity.report import charts
from beautycity.report.basemap import (
    find_map,
    load_map,
    map_problems,
    map_units,
    read_map,
    unplaced,
)
from beautycity.report.city import city_report
from beautycity.report.overview import ROWS_PER_FIGURE, overview
from beautycity.report.pages import PageInput
from beautycity.report.pages.dimensions import dimensions
from beautycity.report.pdf import Renderer
from beautycity.report.render import render_city, render_overview, render_reports
from beautycity.resources import data_dir
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import ReportSpec, Scheme, Text

from .builders import unit

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")
SVG = "{http://www.w3.org/2000/svg}"
JILIN_MAP = data_dir("templates") / "assets" / "jilin-map.json"


def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def split(total: int, parts: int) -> list[int]:
    """`parts` whole weights adding up to `total` exactly."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def scheme_yaml(dims: int, per_dim: int, positionings: tuple[str, ...] = ("core",)) -> str:
    """A scheme of `dims` dimensions of `per_dim` indicators each, all numbers out of 100
    aimed at 80, without vetoes, adjustments or characteristic indicators."""
    lines = [
        "id: shape",
        'version: "1.0"',
        "name: {zh: 形状测试体系, en: Shape test scheme}",
        "description: {zh: 测试用, en: For tests}",
        "years: {first: 2023, last: 2030}",
        "target_year: 2027",
        "dimensions:",
    ]
    for d, weight in enumerate(split(100, dims)):
        code = chr(ord("A") + d)
        lines += [
            f"  - id: d{d}",
            f"    code: {code}",
            f"    name: {{zh: 维度{code}, en: Dimension {code}}}",
            f"    description: {{zh: 维度{code}说明, en: About {code}}}",
            f"    weight: {weight}",
        ]
    lines.append("positionings:")
    for p in positionings:
        lines.append(f"  - {{id: {p}, name: {{zh: 定位{p}, en: Role {p}}}, ")
        lines[-1] += f"description: {{zh: {p}说明, en: About {p}}}}}"
    lines.append("indicators:")
    for d in range(dims):
        code = chr(ord("A") + d)
        for i, weight in enumerate(split(100, per_dim), start=1):
            lines += [
                f"  - id: i{d}_{i}",
                f"    code: {code}{i}",
                f"    name: {{zh: 指标{code}{i}, en: Indicator {code}{i}}}",
                "    unit: {zh: 分, en: points}",
                "    definition: {zh: 定义, en: Definition}",
                "    source: {zh: 年报, en: Yearbook}",
                "    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}",
                f"    dimension: d{d}",
                "    direction: higher",
                "    kind: expected",
                "    targets: {2027: 80}",
                "    scoring: {method: distance_to_target, floor: 0}",
                f"    weight: {weight}",
                "    input: {type: number, min: 0, max: 100, decimals: 1}",
                "    department: {zh: 统计局, en: Statistics bureau}",
            ]
    lines += [
        "grades:",
        "  - {id: good, name: {zh: 良好, en: Good}, min: 80}",
        "  - {id: pass, name: {zh: 合格, en: Pass}, min: 60}",
        "  - {id: fail, name: {zh: 不合格, en: Fail}, min: 0}",
    ]
    return "\n".join(lines) + "\n"


def shaped(tmp_path: Path, dims: int, per_dim: int, units: list[Unit], **kw) -> tuple:
    """A scheme of that shape, and an assessment of `units` under it."""
    path = tmp_path / "shape.yaml"
    path.write_text(scheme_yaml(dims, per_dim, **kw), encoding="utf-8")
    scheme = load_scheme(path)
    values = {
        u.id: {ind.id: 50.0 + (7 * k + 13 * n) % 45 for n, ind in enumerate(scheme.indicators)}
        for k, u in enumerate(units)
    }
    doc = build_doc(assess(scheme, Inputs.build(scheme, 2024, units, values)), "0" * 64)
    return scheme, Roster(units=tuple(units)), doc


# ---------------------------------------------------------------------------- the charts


def test_radar_degrades_to_bars_below_three_dimensions():
    series = [(("本市", "Here"), [70.0, None]), (("平均", "Mean"), [60.0, 65.0])]
    svg = charts.radar([("维度甲", "A"), ("维度乙", "B")], series)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    shown = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "维度甲" in shown and "70.0" in shown and "65.0" in shown and "—" in shown
    assert "本市" in shown and "平均" in shown  # the legend
    one = ET.fromstring(charts.radar([("唯一", "")], [("本市", [55.0])]))
    assert "55.0" in " ".join("".join(t.itertext()) for t in one.iter(f"{SVG}text"))
    with pytest.raises(ValueError):
        charts.radar([("甲", "A"), ("乙", "B")], [("x", [1.0])])


def test_a_unit_with_neither_polygon_nor_point_is_named_under_the_map():
    roster = load_roster()
    hunchun = map_unit("hunchun", "珲春", "Hunchun", code="222404")
    outside = map_unit("faraway", "远方", "Faraway", point=(100.0, 20.0))
    units = [*map_units(roster), hunchun, outside]
    data = read_map(JILIN_MAP)
    assert charts.unplaced(units, data) == ["hunchun", "faraway"]
    assert charts.placement(units[0], data) == "polygon"
    svg = charts.choropleth({u.id: 70.0 + i for i, u in enumerate(units)}, units, data)
    drawn = {el.get("data-unit") for el in ET.fromstring(svg).iter() if el.get("data-unit")}
    assert {"hunchun", "faraway"}.isdisjoint(drawn) and len(drawn) == len(roster)
    assert "未在图中标示：珲春、远方" in svg and "Not on the map: Hunchun, Faraway" in svg
    english = charts.choropleth({}, units, data, lang="en")
    assert "Not on the map: Hunchun, Faraway" in english and "珲春" not in english


def map_unit(uid: str, zh: str, en: str, **extra) -> charts.MapUnit:
    return charts.MapUnit(id=uid, short=(zh, en), name=(zh + "市", en), **extra)


# ------------------------------------------------------------------------------ the map


def with_map(scheme: Scheme, name: str | None) -> Scheme:
    return scheme.model_copy(update={"report": ReportSpec(map=name)})


def test_the_map_is_looked_up_in_the_working_folder_beside_the_scheme_then_assets(
    tmp_path, monkeypatch, mini
):
    assert load_map(mini) is None  # no map named: none
    bundled = with_map(mini, "jilin-map.json")
    assert find_map("jilin-map.json") == JILIN_MAP
    beside, here = tmp_path / "scheme", tmp_path / "work"
    beside.mkdir()
    here.mkdir()
    small = {**json.loads(JILIN_MAP.read_text("utf-8")), "features": []}
    (beside / "jilin-map.json").write_text(json.dumps(small), encoding="utf-8")
    assert find_map("jilin-map.json", beside / "s.yaml") == beside / "jilin-map.json"
    assert load_map(bundled, beside / "s.yaml")["features"] == []
    monkeypatch.chdir(here)
    (here / "maps").mkdir()
    (here / "maps" / "m.json").write_text(json.dumps(small), encoding="utf-8")
    found = find_map("maps/m.json", beside / "s.yaml")
    assert found.resolve() == (here / "maps" / "m.json").resolve()
    with pytest.raises(BeautycityError) as caught:
        find_map("nowhere.json", beside / "s.yaml")
    problem = caught.value.problems[0]
    assert problem.code == "report.map-not-found" and str(beside) in problem.en
    (here / "bad.json").write_text('{"width": 1}', encoding="utf-8")
    (here / "worse.json").write_text("{", encoding="utf-8")
    for name in ("bad.json", "worse.json"):
        with pytest.raises(BeautycityError) as caught:
            load_map(with_map(mini, name))
        assert caught.value.problems[0].code == "report.bad-map"


def test_map_problems_name_the_units_left_off(tmp_path):
    scheme = load_scheme_with_map(tmp_path, "jilin-map.json")
    roster = load_roster()
    hunchun = Unit(
        id="hunchun",
        name=Text(zh="珲春市", en="Hunchun"),
        short=Text(zh="珲春", en="Hunchun"),
        code="222404",
        level=Level.COUNTY,
        positioning="hub",
        statement=Text(zh="定位", en="positioning"),
    )
    more = Roster(units=(*roster.units, hunchun))
    assert unplaced(roster, read_map(JILIN_MAP)) == []
    assert unplaced(more, read_map(JILIN_MAP)) == ["hunchun"]
    assert unplaced(more, None) == []
    found = map_problems(scheme, more)
    assert [(p.code, p.severity) for p in found] == [("report.unit-not-on-map", "note")]
    assert "珲春市" in found[0].zh and "cities/hunchun.yaml" in found[0].fix_en
    assert map_problems(with_map(scheme, "gone.json"), roster)[0].code == "report.map-not-found"


def load_scheme_with_map(tmp_path: Path, name: str) -> Scheme:
    return with_map(shaped(tmp_path, 2, 2, [unit("a", "core")])[0], name)


@needs_poppler
def test_an_overview_with_an_unplaced_unit_renders_and_says_so(tmp_path):
    units = [unit("a", "core"), unit("b", "core"), unit("c", "core")]
    units[0] = units[0].model_copy(update={"code": "220100"})  # Changchun's polygon
    units[1] = units[1].model_copy(update={"point": (126.5, 43.8)})
    scheme, roster, doc = shaped(tmp_path, 3, 2, units)
    scheme = with_map(scheme, "jilin-map.json")
    context = overview(doc, scheme, roster, load_map(scheme))
    assert context.map and 'data-unit="a"' in context.map and 'data-unit="b"' in context.map
    assert 'data-unit="c"' not in context.map
    flat = text_of(render_overview(doc, scheme, roster=roster)[0])
    assert "未在图中标示：c" in flat and "Notonthemap:c" in flat


# ---------------------------------------------------------------------------- the shapes


@needs_poppler
def test_two_dimensions_one_positioning_no_map(tmp_path):
    units = [unit("a", "core"), unit("b", "core"), unit("c", "core")]
    scheme, roster, doc = shaped(tmp_path, 2, 2, units)
    page = dimensions(PageInput(doc, scheme, doc.units[0], "bilingual"))
    assert page.chart == "dimension-bars" and "条形图" in page.caption.zh
    assert "同类" in page.caption.zh  # three units share the positioning
    renderer = Renderer("bilingual")
    city, pages = render_city(doc, scheme, "a", renderer=renderer)
    flat = text_of(city)
    assert pages >= 3
    assert "形状测试体系：a2024年评估报告" in flat  # the title derived from the scheme's name
    assert "全部单元排名" in flat and "全省" not in flat and "吉林" not in flat
    assert "指标体系未设加分或扣分" in flat and "未对本单元的指标设否决" in flat
    data, _ = render_overview(doc, scheme, roster=roster, renderer=renderer)
    flat = text_of(data)
    assert "形状测试体系：2024年总览" in flat and "全部单元概览" in flat
    assert "综合得分空间分布" not in flat and "示意图" not in flat  # no map, no map section
    assert "全省" not in flat and "吉林" not in flat


def test_a_group_of_one_has_no_group_line(tmp_path):
    units = [unit("a", "solo"), unit("b", "pair"), unit("c", "pair")]
    scheme, _, doc = shaped(tmp_path, 4, 1, units, positionings=("solo", "pair"))
    alone = dimensions(PageInput(doc, scheme, next(u for u in doc.units if u.id == "a"), "zh"))
    paired = dimensions(PageInput(doc, scheme, next(u for u in doc.units if u.id == "b"), "zh"))
    assert alone.chart == paired.chart == "radar"
    assert "同类平均" not in alone.radar and "同类平均" in paired.radar
    assert "同类" not in alone.caption.zh and "4 个维度" in alone.caption.zh


@pytest.mark.slow  # a report of hundreds of indicators
@needs_poppler
def test_four_hundred_indicators(tmp_path):
    units = [unit("a", "core"), unit("b", "core")]
    scheme, roster, doc = shaped(tmp_path, 5, 80, units)
    assert len(scheme.indicators) == 400
    report = city_report(doc, scheme, "a")
    assert sum(len(g.rows) for g in report.pages[2].page.groups) == 400
    renderer = Renderer("bilingual")
    data, pages = render_city(doc, scheme, "a", renderer=renderer)
    assert pages > 10 and "E80" in text_of(data)
    data, _ = render_overview(doc, scheme, roster=roster, renderer=renderer)
    assert "形状测试体系：2024年总览" in text_of(data)


def test_a_missing_map_stops_the_run_before_anything_is_rendered(tmp_path, monkeypatch):
    import beautycity.report.render as render

    units = [unit("a", "core"), unit("b", "core")]
    scheme, _, doc = shaped(tmp_path, 2, 1, units)
    rendered: list[str] = []
    monkeypatch.setattr(render, "render_city", lambda d, s, uid, **kw: rendered.append(uid))
    with pytest.raises(BeautycityError) as caught:
        render_reports(doc, tmp_path / "out", scheme=with_map(scheme, "gone.json"), jobs=1)
    assert caught.value.problems[0].code == "report.map-not-found"
    assert rendered == [] and not (tmp_path / "out").exists()


@needs_poppler
def test_a_long_ranking_is_cut_into_page_sized_figures(tmp_path):
    units = [unit(f"u{i:02d}", "core") for i in range(60)]
    scheme, roster, doc = shaped(tmp_path, 3, 2, units)
    view = overview(doc, scheme, roster, None)
    rows = [svg.count('class="bar"') for svg in view.bars]
    assert rows == [30, 30]  # even figures, none over a page
    assert max(rows) <= ROWS_PER_FIGURE
    assert [len(re.findall(r">u\d\d<", svg)) for svg in view.heatmap] == [30, 30]
    data, _ = render_overview(doc, scheme, roster=roster)
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    pages = out.stdout.decode("utf-8").split("\f")
    headed = [p for p in pages if re.search(r"^\s*综合排名(（续）)? Ranking", p, re.M)]
    assert len(headed) >= 3  # the bars, continued, then the table
    for page in headed:  # a ranking heading never stands alone on its page
        assert len(re.findall(r"\bu\d\d\b", page)) >= 20, page[:300]
    assert any("综合排名（续）" in p and "Ranking (continued)" in p for p in pages)
    assert any("各单元维度得分（续）" in p for p in pages)
    for caption in ("按综合排名排列", "虚线为"):  # a caption ends its chart's page
        page = next(p for p in pages if caption in p)
        assert len(re.findall(r"\bu\d\d\b", page)) >= 20, page[:300]
