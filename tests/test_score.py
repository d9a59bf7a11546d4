"""`beautycity score` from workbooks to results: end to end, reproducible, all-or-nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from beautycity.assessment.document import read_doc
from beautycity.cli import main

from .fixtures_workbook import fill, layout_for, roster, template


def filled(folder: Path, year: int, units=None) -> Path:
    out = folder / f"submitted-{year}"
    out.mkdir(parents=True, exist_ok=True)
    blank = folder / f"blank-{year}"
    blank.mkdir(exist_ok=True)
    for unit in roster():
        if units and unit.id not in units:
            continue
        path = template(blank, unit, year)
        fill(path, out / path.name, layout_for(unit.id, year))
    return out


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    base = tmp_path_factory.mktemp("score")
    return base, filled(base, 2024), filled(base, 2025)


def score(*args):
    return CliRunner().invoke(main, ["score", *map(str, args)])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_all_eleven_units_from_workbooks_to_results(workbooks, tmp_path):
    _, _, year2025 = workbooks
    result = score(year2025, "-o", tmp_path / "r")
    assert result.exit_code == 0, result.output
    doc = read_doc(tmp_path / "r" / "assessment.json")
    assert doc.year == 2025
    assert len(doc.units) == 11
    for unit in doc.units:
        for ind in unit.indicators:
            if ind.value is not None:
                cell = ind.source.cell
                assert cell.file == f"{unit.id}-2025.xlsx" and cell.sheet and cell.cell
    # the summary table names every unit
    for unit in roster():
        assert unit.short.zh in result.output


@pytest.mark.slow  # the second run is a fresh interpreter
def test_twice_gives_identical_bytes_and_a_true_manifest(workbooks, tmp_path, elsewhere):
    """Once here and once in another interpreter, with another string-hash seed."""
    _, _, year2025 = workbooks
    assert score(year2025, "-o", tmp_path / "a").exit_code == 0
    argv = ["score", str(year2025), "-o", str(tmp_path / "b")]
    elsewhere(f"from beautycity.cli import main\nmain({argv!r}, prog_name='beautycity')\n")
    for name in ("assessment.json", "assessment.xlsx", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    for name, digest in manifest["outputs"].items():
        assert sha(tmp_path / "a" / name) == digest
    assert len(manifest["inputs"]) == 11
    for name, digest in manifest["inputs"].items():
        archived = tmp_path / "a" / name
        assert sha(archived) == digest == sha(year2025 / archived.name)  # byte for byte


def test_an_invalid_workbook_stops_the_run_and_writes_nothing(workbooks, tmp_path):
    _, _, year2025 = workbooks
    folder = tmp_path / "in"
    folder.mkdir()
    for path in year2025.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "notes.xlsx").write_text("not a workbook")
    result = score(folder, "-o", tmp_path / "r")
    assert result.exit_code == 1
    assert "file.not-workbook" in result.output
    assert not (tmp_path / "r").exists()


def test_previous_year_gives_change_and_status(workbooks, tmp_path):
    _, year2024, year2025 = workbooks
    assert score(year2024, "-o", tmp_path / "r2024").exit_code == 0
    result = score(year2025, "-o", tmp_path / "r2025", "--previous", tmp_path / "r2024")
    assert result.exit_code == 0, result.output
    doc = read_doc(tmp_path / "r2025" / "assessment.json")
    unit = doc.units[0]
    assert unit.previous is not None and unit.previous.year == 2024
    assert any(i.change is not None for i in unit.indicators)
    # an earlier year's results cannot be scored as "previous" of an earlier year
    back = score(year2024, "-o", tmp_path / "x", "--previous", tmp_path / "r2025")
    assert back.exit_code == 1
    assert "score.previous-mismatch" in back.output


def test_mixed_years_are_refused(workbooks, tmp_path):
    _, year2024, year2025 = workbooks
    result = score(year2024, year2025, "-o", tmp_path / "r")
    assert result.exit_code == 1
    assert "score.mixed-years" in result.output


def test_robustness_goes_into_the_results(workbooks, tmp_path):
    _, _, year2025 = workbooks
    result = score(year2025, "-o", tmp_path / "r", "--robustness", "300", "--seed", "7")
    assert result.exit_code == 0, result.output
    doc = read_doc(tmp_path / "r" / "assessment.json")
    assert doc.robustness.replications == 300 and doc.robustness.seed == 7
    assert {u.id for u in doc.robustness.units} == {u.id for u in doc.units}
    assert "5–95%" in result.output


def test_method_overrides_are_recorded(workbooks, tmp_path):
    _, _, year2025 = workbooks
    result = score(
        year2025, "-o", tmp_path / "r", "--aggregation", "geometric", "--weighting", "equal"
    )
    assert result.exit_code == 0, result.output
    doc = read_doc(tmp_path / "r" / "assessment.json")
    assert (doc.params.aggregation, doc.params.weighting) == ("geometric", "equal")


def test_ahp_without_comparisons_is_a_located_problem_not_a_crash(workbooks, tmp_path):
    _, _, year2025 = workbooks
    out = tmp_path / "r"
    result = score(year2025, "-o", out, "--weighting", "ahp")
    assert result.exit_code == 1, result.output
    assert "method.ahp-missing" in result.output and "method.ahp_dimensions" in result.output
    assert "run.internal-error" not in result.output
    assert "jilin-2027.yaml" in result.output  # the scheme file that lacks the matrix
    assert not out.exists()


# ------------------------------------------------------------ units of the roster missing


@pytest.fixture(scope="module")
def without_yanbian(workbooks, tmp_path_factory) -> Path:
    _, _, year2025 = workbooks
    folder = tmp_path_factory.mktemp("partial") / "in"
    folder.mkdir()
    for path in year2025.iterdir():
        if path.name != "yanbian-2025.xlsx":
            (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="module")
def partial(without_yanbian, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("partial-results") / "r"
    return out, score(without_yanbian, "-o", out, "--partial", "--lang", "en")


def test_a_missing_unit_stops_the_run_and_is_named(without_yanbian, tmp_path):
    result = score(without_yanbian, "-o", tmp_path / "r")
    assert result.exit_code == 1
    assert "score.missing-units" in result.output and "yanbian" in result.output
    assert "Yanbian" in result.output and str(without_yanbian) in result.output  # located
    assert not (tmp_path / "r").exists()
    shown = score(without_yanbian, "-o", tmp_path / "r", "--format", "json")
    assert shown.exit_code == 1
    assert [p["code"] for p in json.loads(shown.stdout)] == ["score.missing-units"]


def test_partial_scores_the_rest_and_names_the_missing(partial):
    out, result = partial
    assert result.exit_code == 0, result.output
    doc = read_doc(out / "assessment.json")
    assert doc.missing == ("yanbian",)
    assert len(doc.units) == 10 and "yanbian" not in {u.id for u in doc.units}
    # left out of the means and the counts, since they are not scored
    mean = sum(u.total for u in doc.units) / len(doc.units)
    assert doc.province.total == pytest.approx(mean, abs=0.01)
    assert all("yanbian" not in g.units for g in doc.groups)
    assert sum(doc.grade_counts.values()) == 10
    assert "Yanbian" in result.stdout and "left out of the ranking" in result.stdout


def test_a_complete_run_has_no_missing_units(workbooks, tmp_path):
    _, _, year2025 = workbooks
    assert score(year2025, "-o", tmp_path / "r", "--partial").exit_code == 0
    assert read_doc(tmp_path / "r" / "assessment.json").missing == ()


def test_score_prints_the_ranking_as_json(workbooks, tmp_path):
    _, _, year2025 = workbooks
    result = CliRunner().invoke(
        main, ["score", str(year2025), "-o", str(tmp_path / "r"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    ranking = json.loads(result.stdout)  # progress went to stderr
    doc = read_doc(tmp_path / "r" / "assessment.json")
    assert [u["id"] for u in ranking["units"]] == [u.id for u in doc.units]
    assert [u["rank"] for u in ranking["units"]] == [u.rank for u in doc.units]
    assert ranking["year"] == 2025 and ranking["missing"] == []
    assert str(tmp_path / "r" / "assessment.json") in ranking["written"]


def test_a_workbook_for_another_year_is_refused_with_year(workbooks, tmp_path):
    _, _, year2025 = workbooks
    result = score(year2025, "-o", tmp_path / "r", "--year", "2024")
    assert result.exit_code == 1
    assert "structure.wrong-year" in result.output and "changchun-2025.xlsx" in result.output


@pytest.mark.slow  # renders the overview PDF
def test_the_overview_names_the_missing_unit(partial, tmp_path):
    from beautycity.report.render import render_overview, scheme_for

    out, result = partial
    assert result.exit_code == 0, result.output
    doc = read_doc(out / "assessment.json")
    data, _ = render_overview(doc, scheme_for(doc), roster=roster())
    pdf = tmp_path / "overview.pdf"
    pdf.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    text, packed = " ".join(done.stdout.split()), "".join(done.stdout.split())
    assert "未报送" in packed and roster()["yanbian"].name.zh in packed
    assert "left out of the ranking" in text and "Yanbian" in text


@pytest.mark.slow  # renders one unit's PDF
def test_report_prints_what_it_wrote_as_json(partial, tmp_path):
    out, _ = partial
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(out),
            "-o",
            str(tmp_path / "rep"),
            "--city",
            "changchun",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert [Path(w["path"]).name for w in written] == ["changchun-2025.pdf"]
    assert written[0]["pages"] > 0 and written[0]["size"] > 0
