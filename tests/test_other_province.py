"""Another province, entirely from its own YAML: a scheme of two dimensions and five indicators
with its own `report:` titles and issuing body and no map, three units in a cities folder;
templates are written, filled, validated and scored, and the reports rendered by the command.
Nothing of Jilin may reach them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from beautycity.cities import load_roster
from beautycity.cli import main
from beautycity.pipeline import score_submissions
from beautycity.scheme.load import load_scheme
from beautycity.workbook.build import write_template
from beautycity.workbook.fill import fill_workbook
from beautycity.workbook.layout import plan

pytestmark = [
    pytest.mark.slow,  # the whole chain, and four PDFs
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]
YEAR = 2025
JILIN = ("吉林", "Jilin", "长春", "Changchun", "cnmaps")

SCHEME = """\
id: binhai_2030
version: "0.9.0"
name: {zh: 滨海省美丽城市评估指标体系, en: Binhai beautiful-city scheme}
description: {zh: 滨海省的评估体系, en: The scheme of Binhai province}
report:
  issuer: {zh: 滨海省生态环境厅, en: Binhai Department of Ecology and Environment}
  region: {zh: 滨海省, en: Binhai province}
  city_title: {zh: "{unit}{year}年度美丽滨海评估报告", en: "{unit}: Beautiful Binhai review {year}"}
  overview_title: {zh: "{year}年度美丽滨海评估总览", en: "Beautiful Binhai review {year}: overview"}
years: {first: 2024, last: 2030}
target_year: 2030
dimensions:
  - id: blue
    code: A
    name: {zh: 碧海蓝天, en: Blue sea and sky}
    description: {zh: 海洋与大气, en: Sea and air}
    weight: 55
  - id: green
    code: B
    name: {zh: 绿色发展, en: Green growth}
    description: {zh: 资源与能源, en: Resources and energy}
    weight: 45
positionings:
  - id: port
    name: {zh: 港口城市, en: Port city}
    description: {zh: 沿海港口城市, en: A coastal port}
  - id: hills
    name: {zh: 山区县, en: Hill county}
    description: {zh: 山区生态县, en: An ecological hill county}
    targets:
      forest: {2030: 70}
indicators:
  - id: sea_quality
    code: A1
    name: {zh: 近岸海域优良水质比例, en: Good coastal water share}
    unit: {zh: "%", en: "%", symbol: "%"}
    definition: {zh: 优良水质面积占比, en: Share of coastal waters rated good}
    source: {zh: 海洋环境公报, en: Marine bulletin}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: blue
    direction: higher
    kind: binding
    targets: {2027: 85, 2030: 90}
    scoring: {method: distance_to_target, floor: 50}
    weight: 50
    input: {type: percent, min: 0, max: 100, decimals: 1}
    department: {zh: 海洋局, en: Ocean bureau}
    advice: {zh: 整治入海排污口, en: Clean up outfalls to the sea}
  - id: pm25
    code: A2
    name: {zh: 细颗粒物年均浓度, en: PM2.5 annual mean}
    unit: {zh: 微克/立方米, en: μg/m³, symbol: μg/m³}
    definition: {zh: 年均浓度, en: Annual mean}
    source: {zh: 环境状况公报, en: Environment bulletin}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: blue
    direction: lower
    kind: binding
    targets: {2027: 25, 2030: 22}
    scoring: {method: distance_to_target, floor: 45}
    weight: 50
    input: {type: number, min: 0, max: 200, decimals: 1}
    department: {zh: 生态环境厅, en: Ecology department}
  - id: forest
    code: B1
    name: {zh: 森林覆盖率, en: Forest cover}
    unit: {zh: "%", en: "%", symbol: "%"}
    definition: {zh: 森林面积占比, en: Share of land under forest}
    source: {zh: 林业年报, en: Forestry yearbook}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: green
    direction: higher
    kind: expected
    targets: {2030: 45}
    scoring: {method: distance_to_target, floor: 20}
    weight: 40
    input: {type: percent, min: 0, max: 100, decimals: 1}
    department: {zh: 林业局, en: Forestry bureau}
  - id: energy
    code: B2
    name: {zh: 单位产值能耗下降率, en: Fall in energy per unit of output}
    unit: {zh: "%", en: "%", symbol: "%"}
    definition: {zh: 较基年下降, en: Fall since the base year}
    source: {zh: 统计年鉴, en: Statistical yearbook}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: green
    direction: higher
    kind: expected
    targets: {2030: 15}
    scoring: {method: distance_to_target, floor: 0}
    weight: 40
    input: {type: percent, min: -50, max: 100, decimals: 1}
    department: {zh: 发展改革委, en: Development commission}
  - id: green_plan
    code: B3
    name: {zh: 是否出台绿色发展规划, en: Green growth plan adopted}
    unit: {zh: 是/否, en: yes/no}
    definition: {zh: 是否印发, en: Whether one was issued}
    source: {zh: 政府文件, en: Government papers}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: green
    direction: higher
    kind: expected
    targets: {2030: 1}
    scoring: {method: yesno}
    weight: 20
    input: {type: yesno, min: 0, max: 1, decimals: 0}
    department: {zh: 发展改革委, en: Development commission}
grades:
  - {id: excellent, name: {zh: 优秀, en: Excellent}, min: 90}
  - {id: good, name: {zh: 良好, en: Good}, min: 75}
  - {id: pass, name: {zh: 合格, en: Pass}, min: 60}
  - {id: fail, name: {zh: 不合格, en: Fail}, min: 0}
"""

UNITS = {
    "haizhou": """\
id: haizhou
name: {zh: 海州市, en: Haizhou}
short: {zh: 海州, en: Haizhou}
code: "990100"
level: prefecture
positioning: port
statement: {zh: 建设美丽港城, en: A beautiful port city}
""",
    "yanwan": """\
id: yanwan
name: {zh: 雁湾市, en: Yanwan}
short: {zh: 雁湾, en: Yanwan}
level: prefecture
positioning: port
statement: {zh: 建设滨海花园城市, en: A seaside garden city}
point: [121.5, 30.2]
""",
    "qingshan": """\
id: qingshan
name: {zh: 青山县, en: Qingshan County}
short: {zh: 青山, en: Qingshan}
level: county
positioning: hills
statement: {zh: 建设山区生态样板, en: A model of hill ecology}
""",
}

VALUES = {
    "haizhou": {"sea_quality": 88.5, "pm25": 24.1, "forest": 38.0, "energy": 12.0, "green_plan": 1},
    "yanwan": {"sea_quality": 79.0, "pm25": 29.6, "forest": 41.5, "energy": 16.5, "green_plan": 0},
    "qingshan": {"sea_quality": 91.0, "pm25": 19.8, "forest": 66.0, "energy": 9.0, "green_plan": 1},
}
CONTACT = {
    "department": "生态环境局",
    "person": "李明",
    "phone": "0999-1234567",
    "email": "li@example.cn",
    "filled_on": "2026-02-10",
}


def flat(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    """The working folder: scheme, cities, templates, filled workbooks, results, reports."""
    base = tmp_path_factory.mktemp("binhai")
    (base / "scheme.yaml").write_text(SCHEME, encoding="utf-8")
    (base / "cities").mkdir()
    for uid, text in UNITS.items():
        (base / "cities" / f"{uid}.yaml").write_text(text, encoding="utf-8")
    scheme = load_scheme(base / "scheme.yaml")
    roster = load_roster(base / "cities", scheme)
    for folder in ("templates", "filled"):
        (base / folder).mkdir()
    for unit in roster:
        blank = write_template(
            base / "templates" / f"{unit.id}-{YEAR}.xlsx", scheme, unit, YEAR, deadline="2026-03-31"
        )
        fill_workbook(
            blank,
            base / "filled" / blank.name,
            plan(scheme, unit, YEAR),
            VALUES[unit.id],
            sources={k: "2025年统计公报" for k in VALUES[unit.id]},
            contact=CONTACT,
        )
    given = ["--scheme", str(base / "scheme.yaml"), "--cities", str(base / "cities")]
    run = CliRunner().invoke(main, ["validate", str(base / "filled"), *given])
    assert run.exit_code == 0, run.output
    paths = sorted((base / "filled").glob("*.xlsx"))
    outcome = score_submissions(
        paths,
        base / "results",
        scheme_path=base / "scheme.yaml",
        cities_dir=base / "cities",
        partial=False,
    )
    assert [u.id for u in outcome.doc.units] and not outcome.doc.missing
    run = CliRunner().invoke(
        main, ["report", str(base / "results"), "-o", str(base / "reports"), *given, "--jobs", "1"]
    )
    assert run.exit_code == 0, run.output
    return base


def test_every_report_is_written(province):
    names = sorted(p.name for p in (province / "reports").iterdir())
    expected = [f"{uid}-{YEAR}.pdf" for uid in UNITS] + [f"overview-{YEAR}.pdf"]
    assert names == sorted([*expected, f"actions-{YEAR}.xlsx"])


def test_no_word_of_jilin(province):
    for pdf in sorted((province / "reports").glob("*.pdf")):
        text = flat(pdf)
        assert text, pdf.name
        found = [word for word in JILIN if word in text]
        assert found == [], pdf.name


def test_the_reports_carry_the_schemes_own_titles_and_issuer(province):
    for uid, name in (("haizhou", "海州市"), ("qingshan", "青山县")):
        text = flat(province / "reports" / f"{uid}-{YEAR}.pdf")
        assert f"{name}{YEAR}年度美丽滨海评估报告" in text
        assert "滨海省生态环境厅" in text and "BinhaiDepartmentofEcologyandEnvironment" in text
        assert "滨海省排名" in text and "Rank(Binhaiprovince)" in text
        assert "条形图" in text  # two dimensions: bars, not a radar
    overview = flat(province / "reports" / f"overview-{YEAR}.pdf")
    assert f"{YEAR}年度美丽滨海评估总览" in overview
    assert "BeautifulBinhaireview2025:overview" in overview
    assert "滨海省生态环境厅" in overview and "滨海省概览" in overview
    assert "综合得分空间分布" not in overview  # the scheme names no map
    for name in ("海州", "雁湾", "青山"):
        assert name in overview
