"""`scheme export`: the scoring rules as a workbook, read back with openpyxl."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from beautycity.cities import load_roster
from beautycity.cli import main
from beautycity.outputs.scheme_export import write_scheme_export
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme
from beautycity.texts import both

SHEETS = ["cover", "indicators", "dimensions", "positionings", "adjustments", "vetoes", "grades"]


def title(key: str) -> str:
    zh, en = both(f"export.sheets.{key}", "scheme_tools")
    return f"{zh} {en}"[:31]


def column(key: str) -> str:
    zh, en = both(f"export.columns.{key}", "scheme_tools")
    return f"{zh}\n{en}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "rules.xlsx"
    result = CliRunner().invoke(main, ["scheme", "export", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    return out


@pytest.fixture(scope="module")
def book(exported):
    return load_workbook(exported)


def rows(ws) -> list[dict[str, object]]:
    """The sheet's rows as dicts by header."""
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_sheets_in_order(book):
    assert book.sheetnames == [title(k) for k in SHEETS]


def test_one_row_per_indicator_with_bilingual_headers(book):
    scheme = load_scheme()
    ws = book[title("indicators")]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == [column(k) for k in ("code", "indicator", "dimension", "definition")]
    assert "编码\nCode" in headers and "全省目标值\nProvincial targets" in headers
    assert ws.max_row - 1 == len(scheme.indicators) == 46
    assert [r[column("code")] for r in rows(ws)] == [i.code for i in scheme.indicators]
    assert ws.freeze_panes == "B2"
    assert ws["D2"].alignment.wrap_text and ws.column_dimensions["D"].width <= 40


def test_known_targets_and_tightened_ones(book):
    by_code = {r[column("code")]: r for r in rows(book[title("indicators")])}
    a1, b1 = by_code["A1"], by_code["B1"]
    assert a1[column("targets")] == "2030: 20"
    assert a1[column("positioning_targets")] == "—"
    assert "Non-fossil share of total energy consumption" in a1[column("indicator")]
    assert "floor = 5" in a1[column("parameters")]
    # the showcase units' PM2.5 targets are tightened from 27 to 22 (2027) and 20 (2035)
    assert "高标准示范" in b1[column("positioning_targets")]
    assert "2027: 22, 2035: 20" in b1[column("positioning_targets")]


def test_effective_weights_per_positioning_sum_to_100(book):
    scheme = load_scheme()
    table = rows(book[title("indicators")])
    for p in scheme.positionings:
        header = f"权重%（{p.name.zh}）\nWeight % ({p.name.en})"
        shares = [r[header] for r in table if isinstance(r[header], int | float)]
        assert sum(shares) == pytest.approx(100, abs=0.05), p.id
        eff = effective_scheme(scheme, p.id)
        assert len(shares) == len(eff.indicators)
    showcase = {r[column("code")]: r for r in table}["A10"]
    assert showcase["权重%（高标准示范）\nWeight % (High-standard showcase)"] == "—"


def test_cover_adjustments_vetoes_grades(book):
    scheme = load_scheme()
    cover = {r[0]: r[1] for r in book[title("cover")].iter_rows(min_row=2, values_only=True)}
    assert cover["版本\nVersion"] == scheme.version
    assert cover["目标年\nTarget year"] == scheme.target_year
    assert scheme.name.zh in cover["指标体系\nScheme"]
    adjustments = rows(book[title("adjustments")])
    assert [r[column("code")] for r in adjustments] == [a.code for a in scheme.adjustments]
    vetoes = rows(book[title("vetoes")])
    assert [r[column("code")] for r in vetoes] == [i.code for i in scheme.indicators if i.veto]
    grades = rows(book[title("grades")])
    assert [r[column("min")] for r in grades] == [g.min for g in scheme.grades]
    units = {r[column("id")]: r[column("units")] for r in rows(book[title("positionings")])}
    assert "长春市" in units["hub"]


def test_the_same_scheme_gives_the_same_bytes(exported, tmp_path):
    scheme = load_scheme()
    again = write_scheme_export(tmp_path / "again.xlsx", scheme, load_roster(scheme=scheme))
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (exported, again)]
    assert digest[0] == digest[1]


def test_an_unwritable_output_is_a_problem_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["scheme", "export", "-o", str(blocker / "rules.xlsx")])
    assert result.exit_code == 1
    assert "scheme.export-unwritable" in result.output
    assert "Traceback" not in result.output
