"""What a leader sees: the running footer on every page, the dashboard, trends whose arrows
follow their signs, charts coloured by grade, and chart labels that neither collide nor drop."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from beautycity.assessment.document import ValueSource
from beautycity.cities import load_roster
from beautycity.report.basemap import load_map
from beautycity.report.charts import heatmap
from beautycity.report.context import Edition
from beautycity.report.overview import grade_fill, overview
from beautycity.report.pages import PageInput
from beautycity.report.pages.dashboard import dashboard
from beautycity.report.pages.dimensions import dimensions
from beautycity.report.render import demo_notice, illustrative, render_city, scheme_for
from beautycity.texts import label

from .chart_geometry import outside, overlaps, text_boxes

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


@pytest.fixture(scope="module")
def doc(docs):
    return docs[0]


@pytest.fixture(scope="module")
def scheme(doc):
    return scheme_for(doc)


@pytest.fixture(scope="module")
def views(doc, scheme):
    """The overview's context in each language."""
    roster, map_data = load_roster(), load_map(scheme)
    return {
        lang: overview(doc, scheme, roster, map_data, lang) for lang in ("bilingual", "zh", "en")
    }


def page_texts(data: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


@needs_poppler
def test_every_page_carries_the_status_and_the_caveat(doc, scheme):
    notice = demo_notice()
    data, n = render_city(
        doc, scheme, "songyuan", notice=notice, edition=Edition(status="for_comment")
    )
    pages = page_texts(data)
    assert len(pages) == n > 5
    squashed = [re.sub(r"\s+", "", p) for p in pages]
    for k, page in enumerate(squashed, 1):
        assert re.sub(r"\s+", "", notice.zh) in page, f"page {k} lacks the caveat"
        assert "征求意见稿" in page, f"page {k} lacks the status"
    # Without the caveat, the status alone; once the notice only where it is needed.
    plain = page_texts(render_city(doc, scheme, "songyuan", edition=Edition(status="final"))[0])
    assert all("正式稿" in p for p in plain[1:])
    assert not any(notice.zh in p for p in plain)


def test_sample_data_bring_their_own_caveat(doc):
    assert not illustrative(doc)
    sample = ValueSource(data_source=label("illustrative_source"))
    u = doc.units[0]
    first = u.indicators[0].model_copy(update={"source": sample})
    changed = u.model_copy(update={"indicators": (first, *u.indicators[1:])})
    assert illustrative(doc.model_copy(update={"units": (changed, *doc.units[1:])}))


def test_the_dashboard_agrees_with_the_action_list(doc, scheme):
    for u in doc.units:
        dash = dashboard(PageInput(doc, scheme, u, "bilingual"))
        assert len(dash.rows) == len(scheme.dimensions)
        assert 1 <= len(dash.messages) <= 3
        assert sum(int(n) for _, n in dash.by_priority) == sum(bool(r.action) for r in u.indicators)
        lagging = {scheme.indicator[r.id].dimension for r in u.indicators if r.action}
        for row, d in zip(dash.rows, u.dimensions, strict=True):
            assert (row.light == "green") == (d.id not in lagging)
            if row.trend not in ("", "–"):
                change = float(row.trend.split()[1].replace("−", "-"))
                assert row.trend.startswith("▲" if change > 0 else "▼")
        alone = u.group_size == 1
        assert all((r.group == "—") == alone for r in dash.rows)


def test_trend_arrows_follow_the_sign_of_what_moved(doc, scheme):
    seen = 0
    for u in doc.units:
        trend = dimensions(PageInput(doc, scheme, u, "bilingual")).trend
        for m in trend.movers:
            points = float(m.points.replace("−", "-"))
            assert points != 0 and m.up == (points > 0)
            seen += 1
        for p in trend.projections:
            assert p.status in ("on_track", "off_track") and p.projected.number.zh != "—"
    assert seen


def test_a_rank_lost_to_others_is_explained(doc, scheme):
    """A unit whose score rose while others rose more is told who passed it."""
    u = doc.units[-1]
    prev = u.previous.model_copy(update={"total": u.total - 3.0, "rank": 1})
    fell = u.model_copy(update={"previous": prev})
    units = tuple(fell if x.id == u.id else x for x in doc.units)
    changed = doc.model_copy(update={"units": units})
    note = dimensions(PageInput(changed, scheme, fell, "bilingual")).trend.rank_note
    assert note is not None and "3.0" in note.zh
    passed = [x for x in doc.units if x.previous and x.previous.rank > 1 and x.rank < u.rank]
    assert passed and all(x.short.zh in note.zh for x in passed)


def _bar_fills(svg: str) -> list[str]:
    return re.findall(r'<rect[^>]*fill="(#[0-9a-f]{6})"[^>]*class="bar"', svg)


def test_ranking_bars_are_coloured_by_grade_and_mark_ties(doc, scheme, views):
    svg = "".join(views["bilingual"].bars)
    assert _bar_fills(svg) == [grade_fill(scheme, u.grade) for u in doc.units]
    assert len(set(_bar_fills(svg))) > 1
    tied = sum(bool(u.tied_with) for u in doc.units)
    assert svg.count("≈") == tied > 0


def test_map_classes_are_the_grade_bands(doc, scheme, views):
    svg = views["bilingual"].map
    fills = {
        unit: fill for fill, unit in re.findall(r'fill="(#[0-9a-f]{6})"[^>]*data-unit="(\w+)"', svg)
    }
    assert fills
    for u in doc.units:
        if u.id in fills:  # the class follows the score's band, before any veto's cap
            assert fills[u.id] == grade_fill(scheme, u.grade_by_score), u.id
    for g in scheme.grades:
        assert g.name.zh in svg  # the legend names the grades


@pytest.mark.parametrize("lang", ["bilingual", "zh", "en"])
def test_no_chart_label_collides(doc, scheme, views, lang):
    view = views[lang]
    charts = {
        **{f"bars {i}": svg for i, svg in enumerate(view.bars)},
        **{f"heatmap {i}": svg for i, svg in enumerate(view.heatmap)},
        "groups": view.group_heatmap,
        "grades": view.grades,
        "map": view.map,
    }
    for u in doc.units[:3]:
        charts[f"radar {u.id}"] = dimensions(PageInput(doc, scheme, u, lang)).radar
    for name, svg in charts.items():
        assert overlaps(svg) == [], name
        assert outside(svg) == [], name


def test_the_geometry_check_bites():
    crowded = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40">'
        '<text x="10" y="20" font-size="12">长春 Changchun</text>'
        '<text x="30" y="22" font-size="12">吉林</text>'
        '<text x="95" y="35" font-size="12">延边</text></svg>'
    )
    assert overlaps(crowded) == [("长春 Changchun", "吉林")]
    assert outside(crowded) == ["延边"]


def test_a_long_row_label_keeps_its_english():
    name = ("林海边境生态经济", "Forest-and-border ecological economy")
    svg = heatmap([name, ("全省平均", "Mean")], [("绿色低碳", "Green")], [[80.0], [70.0]])
    shown = " ".join(t for t, _ in text_boxes(svg))
    assert name[0] in shown and name[1] in shown
    assert overlaps(svg) == [] and outside(svg) == []
