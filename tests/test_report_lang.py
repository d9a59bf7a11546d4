"""One language at a time: `--lang en` prints no Chinese beyond the names the scheme, the roster
and the reporting units give only in Chinese, and `--lang zh` no English label; checked on the
overview, a city report, the charts and the terminal. And no Chinese text is left in Python.

What may appear is built from the data, never listed here: the English texts of the scheme and
the roster (a Chinese section number in a provenance), and in a city report what the reporting
unit typed (data sources, notes, sheet names), which a report prints as written.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from beautycity.cities import load_roster
from beautycity.cli import main
from beautycity.report import charts
from beautycity.report.basemap import map_units
from beautycity.report.render import render_city, render_overview, scheme_for
from beautycity.scheme.load import load_scheme
from beautycity.texts import texts

from .fixtures_assessment import fixture_docs
from .fixtures_workbook import fill, layout_for, roster, template
from .test_charts import load_map_data

pytestmark = pytest.mark.slow  # renders reports in two languages

PACKAGE = Path(__file__).resolve().parent.parent / "beautycity"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
CITY = "changchun"  # its sources hold Chinese notes and markup the report prints as typed

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


# ------------------------------------------------------------------------------ the data


def pairs(tree: Any) -> Iterator[tuple[str, str]]:
    """Every (Chinese, English) text in a model or a texts file: objects or mappings with
    string `zh` and `en`."""
    if isinstance(tree, BaseModel):
        if isinstance(getattr(tree, "zh", None), str) and isinstance(
            getattr(tree, "en", None), str
        ):
            yield tree.zh, tree.en
        for name in type(tree).model_fields:
            yield from pairs(getattr(tree, name))
    elif isinstance(tree, dict):
        if isinstance(tree.get("zh"), str) and isinstance(tree.get("en"), str):
            yield tree["zh"], tree["en"]
        for value in tree.values():
            yield from pairs(value)
    elif isinstance(tree, list | tuple):
        for value in tree:
            yield from pairs(value)


def strings(tree: Any) -> Iterator[str]:
    """Every string in a model."""
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, BaseModel):
        for name in type(tree).model_fields:
            yield from strings(getattr(tree, name))
    elif isinstance(tree, list | tuple):
        for value in tree:
            yield from strings(value)


def given_only_in_chinese() -> list[str]:
    """The English texts of the scheme and the roster: any Chinese in them is a name (or a
    section number) the data give only in Chinese."""
    return [en for _, en in pairs(load_scheme())] + [en for _, en in pairs(load_roster())]


def typed_by_the_unit(doc, unit_id: str) -> list[str]:
    """What the reporting unit wrote in its workbook, printed as written: every string of the
    value sources (file, sheet, cell, data source, note, normalisations)."""
    unit = next(u for u in doc.units if u.id == unit_id)
    return [s for r in unit.indicators for s in strings(r.source)]


def stray_chinese(text: str, allowed: Iterable[str]) -> list[str]:
    """Runs of Chinese characters in `text` found in no allowed text (a run may be cut where a
    line wraps, so a part of an allowed run counts)."""
    runs = {run for a in allowed for run in HAN.findall(a)}
    return sorted({r for r in HAN.findall(text) if not any(r in run for run in runs)})


def english_labels(*sources: Any) -> set[str]:
    """The English side of every (Chinese, English) text of `sources`, cut at {placeholders},
    each piece trimmed of punctuation; pieces the Chinese side also holds (PM2.5, TOPSIS,
    assessment.json) are not labels."""
    found = [pair for source in sources for pair in pairs(source)]
    chinese = "\n".join(zh for zh, _ in found)
    out = set()
    for zh, en in found:
        if zh == en:
            continue
        for piece in re.split(r"\{[^}]*\}", en):
            piece = piece.strip(" \t\n,.:;!?—–-·/()…\"'“”*")
            if re.search(r"[A-Za-z]{2}", piece) and not _word_in(piece, chinese):
                out.add(piece)
    return out


def _word_in(piece: str, text: str) -> bool:
    """`piece` in `text` as whole words, spaces and line breaks alike."""
    pattern = (
        r"(?<![A-Za-z0-9_])" + r"\s+".join(map(re.escape, piece.split())) + r"(?![A-Za-z0-9_])"
    )
    return re.search(pattern, text) is not None


def stray_english(text: str, labels: Iterable[str], allowed: Iterable[str] = ()) -> list[str]:
    allowed_text = "\n".join(allowed)
    return sorted(
        label for label in labels if _word_in(label, text) and not _word_in(label, allowed_text)
    )


# --------------------------------------------------------------------------- the reports


def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return out.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def doc():
    return fixture_docs()[0]


@pytest.fixture(scope="module")
def reports(doc):
    """The overview and one city report as text, in English and in Chinese."""
    scheme = scheme_for(doc)
    out = {}
    for lang in ("en", "zh"):
        out["overview", lang] = text_of(render_overview(doc, scheme, lang=lang)[0])
        out[CITY, lang] = text_of(render_city(doc, scheme, CITY, lang=lang)[0])
    return out


def report_labels() -> set[str]:
    roster_names = [(u.short, u.name) for u in load_roster()]
    scheme = load_scheme()
    names = [scheme.dimensions, scheme.grades, scheme.positionings, scheme.indicators]
    return english_labels(
        texts("report"), texts("charts"), load_map_data()["attribution"], roster_names, names
    )


@needs_poppler
@pytest.mark.parametrize("kind", ["overview", CITY])
def test_english_reports_have_no_chinese_but_names(doc, reports, kind):
    text = reports[kind, "en"]
    assert "Schematic map" in text if kind == "overview" else "Indicator results" in text
    allowed = given_only_in_chinese() + (typed_by_the_unit(doc, CITY) if kind == CITY else [])
    assert stray_chinese(text, allowed) == []


@needs_poppler
@pytest.mark.parametrize("kind", ["overview", CITY])
def test_chinese_reports_have_no_english_labels(doc, reports, kind):
    text = reports[kind, "zh"]
    assert "示意图" in text if kind == "overview" else "指标得分明细" in text
    allowed = typed_by_the_unit(doc, CITY) if kind == CITY else []
    labels = report_labels()
    assert {"no data", "Schematic map", "Total score", "Changbaishan"} <= labels  # the check bites
    assert stray_english(text, labels, allowed) == []


def test_the_checks_catch_what_they_are_for():
    assert stray_chinese("Total score 无数据 Yanbian", ["Yanbian"]) == ["无数据"]
    assert stray_chinese("section 二(四)", ["Beautiful Jilin plan, section 二(四)"]) == []
    assert stray_english("长春 no data", {"no data"}) == ["no data"]
    assert stray_english("monitoring 85 μg/m³", {"no", "data"}) == []


# ------------------------------------------------------------------------------ the charts


def every_chart(lang: str) -> dict[str, str]:
    """Every chart in one language, its labels given in that language as the report does."""
    side = 1 if lang == "en" else 0
    dims = [("绿色低碳", "Green"), ("环境优美", "Clean"), ("生态宜居", "Livable")]
    dims = [(d[side], "") for d in dims]
    units = map_units(load_roster())
    return {
        "map": charts.choropleth(
            {u.id: 70.0 + i for i, u in enumerate(units) if u.id != "siping"},
            units,
            load_map_data(),
            lang=lang,
        ),
        "heatmap": charts.heatmap([units[0].short[side]], dims, [[None, 50, 60]], lang=lang),
        "radar": charts.radar(dims, [(units[0].short[side], [50, 60, 70])]),
        "rank_intervals": charts.rank_intervals(
            [(u.short[side], 1.0, 1, 2, 1) for u in units[:2]], lang=lang
        ),
        "trend_bars": charts.trend_bars([(dims[0][0], 50.0, 60.0)], lang=lang),
    }


def test_charts_speak_the_language_they_are_given():
    allowed = given_only_in_chinese()
    for name, svg in every_chart("en").items():
        assert stray_chinese(svg, allowed) == [], name
    labels = english_labels(texts("charts"), load_map_data()["attribution"])
    labels |= {en for u in load_roster() for en in (u.short.en, u.name.en)}
    for name, svg in every_chart("zh").items():
        assert stray_english(svg, labels) == [], name
    assert "no data" in every_chart("en")["map"] and "无数据" in every_chart("zh")["heatmap"]


# ---------------------------------------------------------------------------- the terminal


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def submitted(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("lang")
    out, blank = base / "submitted", base / "blank"
    out.mkdir()
    blank.mkdir()
    for unit in roster():
        if unit.id in ("changchun", "siping", "changbaishan"):
            path = template(blank, unit, 2024)
            fill(path, out / path.name, layout_for(unit.id, 2024))
    return out


def terminal_labels() -> set[str]:
    return english_labels(texts("cli"), texts("labels"), [(u.short, u.name) for u in load_roster()])


def test_scheme_and_cities_commands_speak_one_language():
    positioning = load_scheme().positionings[-1].id
    for args in (["scheme", "show", "-p", positioning], ["scheme", "check"], ["cities"]):
        english = invoke(*args, "--lang", "en")
        assert stray_chinese(english, given_only_in_chinese()) == [], args
        chinese = invoke(*args, "--lang", "zh")
        assert stray_english(chinese, terminal_labels()) == [], args
        assert HAN.search(invoke(*args)) and re.search("[A-Za-z]{4}", invoke(*args))


def test_score_speaks_one_language(submitted, tmp_path):
    english = invoke(
        "score", str(submitted), "-o", str(tmp_path / "en"), "--lang", "en", "--partial"
    )
    assert "Changchun" in english and "Validated 3 workbook(s)" in english
    assert stray_chinese(english, given_only_in_chinese()) == []
    chinese = invoke(
        "score", str(submitted), "-o", str(tmp_path / "zh"), "--lang", "zh", "--partial"
    )
    assert "长春" in chinese and "已校验 3 份填报表" in chinese
    chinese = chinese.replace(str(tmp_path), "")  # the folder is named after this test
    assert stray_english(chinese, terminal_labels()) == []


# -------------------------------------------------------------------------------- the code


def chinese_literals(path: Path) -> list[str]:
    """String constants holding Chinese characters, other than docstrings and the help texts
    of command-line options (`help=`: read when the command line starts, which must not need
    a YAML parser; like the commands' docstrings, they are the `--help` text)."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = body[0] if body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))
        if isinstance(node, ast.keyword) and node.arg == "help":
            exempt.update(id(n) for n in ast.walk(node.value))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in exempt
        and HAN.search(node.value)
    ]


def test_no_chinese_text_left_in_python():
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in chinese_literals(path)]
    assert found == [], "Chinese text belongs in beautycity/texts/*.yaml:\n" + "\n".join(found)
