"""`beautycity template` and `beautycity validate`: thin commands over the library."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from beautycity.cli import main
from beautycity.submission.read import read_submissions

from .fixtures_workbook import (
    INPUT,
    YEAR,
    edit,
    fill,
    item,
    layout_for,
    roster,
    scheme,
    template,
)


@pytest.fixture
def run():
    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_template_for_one_unit(run, tmp_path):
    out = tmp_path / "cc.xlsx"
    result = run("template", "--city", "changchun", "--year", str(YEAR), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists() and str(out) in result.output


def test_template_into_a_folder(run, tmp_path):
    result = run(
        "template", "--city", "jilin", "--year", str(YEAR), "-o", str(tmp_path), "--format", "json"
    )
    assert result.exit_code == 0
    assert json.loads(result.output) == [str(tmp_path / f"jilin-{YEAR}.xlsx")]


def test_template_for_all_units(run, tmp_path):
    result = run(
        "template", "--all", "--year", str(YEAR), "-o", str(tmp_path / "all"), "--format", "json"
    )
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == sorted(
        f"{u.id}-{YEAR}.xlsx" for u in roster()
    )


@pytest.mark.parametrize(
    "args",
    [
        ["template", "--year", "2025", "-o", "x.xlsx"],
        ["template", "--all", "--city", "jilin", "--year", "2025", "-o", "x"],
        ["template", "--city", "jilin", "-o", "x.xlsx"],
        ["validate"],
        ["validate", "no-such-file.xlsx"],
    ],
)
def test_usage_errors_exit_2(run, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(*args).exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["template", "--city", "atlantis", "--year", "2025", "-o", "x.xlsx"],
        ["validate", ".", "--city", "atlantis"],
    ],
)
def test_an_unknown_unit_is_a_problem_that_lists_the_known(run, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 1
    assert "cities.unknown-unit" in result.output and "changchun" in result.output


def test_a_unit_is_found_by_its_chinese_name_and_a_deadline_is_a_date(run, tmp_path):
    made = run("template", "--city", "松原市", "--year", "2025", "-o", str(tmp_path))
    assert made.exit_code == 0 and (tmp_path / "songyuan-2025.xlsx").is_file()
    wrong = run("template", "--city", "松原", "--year", "2025", "--deadline", "3月31日", "-o", "x")
    assert wrong.exit_code == 2 and "2026-03-31" in wrong.output
    early = run(
        "template", "--city", "jilin", "--year", "2025", "--deadline", "2024-03-31", "-o", "x"
    )
    assert early.exit_code == 1 and "template.deadline-early" in early.output
    folder = run("template", "--all", "--year", "2025", "-o", str(tmp_path / "t6.xlsx"))
    assert folder.exit_code == 1 and "run.output-file-name" in folder.output
    assert not (tmp_path / "t6.xlsx").exists()


def test_template_year_outside_the_scheme_exits_1(run, tmp_path):
    result = run("template", "--city", "jilin", "--year", "2050", "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two filled workbooks, one of them with two broken cells and one normalised cell."""
    out = tmp_path_factory.mktemp("submitted")
    for unit_id in ("siping", "baicheng"):
        path = template(out, roster()[unit_id])
        fill(path, path, layout_for(unit_id))
    layout = layout_for("baicheng")

    def spoil(wb):
        ws = wb[INPUT]
        ws[item(layout, "pm25_annual_mean").ref("value")] = "约35"
        ws[item(layout, "good_air_days_ratio").ref("value")] = "#DIV/0!"
        ws[item(layout, "non_fossil_energy_share").ref("value")] = "８５"

    edit(out / f"baicheng-{YEAR}.xlsx", spoil)
    return out


def test_validate_json_is_the_library_report(run, folder):
    result = run("validate", str(folder), "--format", "json")
    assert result.exit_code == 1
    printed = json.loads(result.output)
    assert printed == read_submissions([folder], scheme(), roster()).as_json()
    [siping, baicheng] = sorted(printed["files"], key=lambda f: f["city"] != "siping")
    assert siping["valid"] and siping["problems"] == []
    assert not baicheng["valid"]
    codes = [(p["code"], p["location"]["cell"]) for p in baicheng["problems"]]
    layout = layout_for("baicheng")
    assert codes == [
        ("cell.fullwidth", item(layout, "non_fossil_energy_share").ref("value")),
        ("cell.not-a-number", item(layout, "pm25_annual_mean").ref("value")),
        ("cell.excel-error", item(layout, "good_air_days_ratio").ref("value")),
    ]


def test_validate_text_groups_by_file_with_cells(run, folder):
    result = run("validate", str(folder), "--lang", "zh")
    assert result.exit_code == 1
    pm25 = item(layout_for("baicheng"), "pm25_annual_mean").ref("value")
    assert f"{INPUT}!{pm25}" in result.output and "cell.not-a-number" in result.output
    assert "baicheng-2025.xlsx" in result.output and "✓" in result.output
    assert "约35" in result.output


def test_validate_all_valid_exits_0(run, folder):
    result = run(
        "validate", str(folder / f"siping-{YEAR}.xlsx"), "--city", "siping", "--year", str(YEAR)
    )
    assert result.exit_code == 0, result.output
    assert "siping" in result.output


def test_validate_expected_unit(run, folder):
    result = run(
        "validate", str(folder / f"siping-{YEAR}.xlsx"), "--city", "jilin", "--format", "json"
    )
    assert result.exit_code == 1
    [problem] = json.loads(result.output)["files"][0]["problems"]
    assert problem["code"] == "structure.wrong-city"


def test_commands_have_help(run):
    for name in ("template", "validate"):
        result = run(name, "--help")
        assert result.exit_code == 0 and len(result.output) > 200


def test_template_shows_last_years_values_from_results(run, tmp_path):
    from openpyxl import load_workbook

    from beautycity.assessment.document import doc_json

    from .fixtures_assessment import fixture_docs

    doc, _ = fixture_docs()
    results = tmp_path / "results"
    results.mkdir()
    (results / "assessment.json").write_text(doc_json(doc), encoding="utf-8")
    out = tmp_path / "cc.xlsx"
    result = run(
        "template",
        "--city",
        "changchun",
        "--year",
        str(doc.year + 1),
        "--previous",
        str(results),
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    pm25 = next(
        i.value
        for u in doc.units
        if u.id == "changchun"
        for i in u.indicators
        if i.id == "pm25_annual_mean"
    )
    cell = item(layout_for("changchun", doc.year + 1), "pm25_annual_mean").ref("previous")
    shown = load_workbook(out)[INPUT][cell].value
    assert float(shown) == pytest.approx(pm25)
