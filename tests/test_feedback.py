"""`validate --feedback DIR`: a 校验意见 workbook per unit, cell by cell, and a summary for the
office; and what `validate bad.xlsx > out.txt` keeps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from beautycity.cli import main
from beautycity.problems import catalogue

from .fixtures_workbook import INPUT, YEAR, edit, layout_for, roster
from .test_score import filled

UNITS = ("changchun", "jilin", "siping")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return filled(tmp_path_factory.mktemp("feedback"), YEAR, UNITS)


@pytest.fixture
def inbox(made, tmp_path) -> tuple[Path, str]:
    """Three units' workbooks; Jilin's first value is a word: (folder, that cell)."""
    folder = Path(shutil.copytree(made, tmp_path / "in"))
    ref = layout_for("jilin").items[0].ref("value")
    edit(folder / f"jilin-{YEAR}.xlsx", lambda wb: wb[INPUT].__setitem__(ref, "lots"))
    return folder, ref


def validate(*args: object):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def rows(path: Path, sheet: int) -> list[list[object]]:
    wb = load_workbook(path, read_only=True)
    return [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def test_one_feedback_workbook_per_unit_and_a_summary(inbox, tmp_path):
    folder, ref = inbox
    out = tmp_path / "feedback"
    result = validate(folder, "--year", YEAR, "--feedback", out)
    assert result.exit_code == 1, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [*(f"{u}-{YEAR}-feedback.xlsx" for u in UNITS), f"feedback-summary-{YEAR}.xlsx"]
    )
    for name in names:
        assert str(out / name) in result.stdout

    head, *problems = rows(out / f"jilin-{YEAR}-feedback.xlsx", 1)
    assert head[:3] == ["文件 File", "工作表 Sheet", "单元格 Cell"]
    assert "修改方法（中文） How to fix (Chinese)" in head
    wrong = [r for r in problems if r[2] == ref]
    assert len(wrong) == 1
    file, sheet, _, severity, code, what_zh, what_en, fix_zh, fix_en = wrong[0]
    assert (file, sheet, severity) == (f"jilin-{YEAR}.xlsx", INPUT, "错误 error")
    entry = catalogue()[code]
    assert (fix_zh, fix_en) == (entry.fix_zh, entry.fix_en) and fix_zh and fix_en
    assert what_zh and what_en
    overview = rows(out / f"jilin-{YEAR}-feedback.xlsx", 0)
    jilin = roster()["jilin"].name
    assert overview[1][:6] == [
        f"jilin-{YEAR}.xlsx",
        f"{jilin.zh} {jilin.en}",
        YEAR,
        "已报送，有错误 submitted, has errors",
        1,
        0,
    ]

    # a valid unit's feedback says there is nothing to fix
    _, *none = rows(out / f"changchun-{YEAR}-feedback.xlsx", 1)
    assert len(none) == 1 and none[0][5] == "未发现问题" and none[0][6] == "no problems found"

    head, *summary = rows(out / f"feedback-summary-{YEAR}.xlsx", 0)
    assert head[:4] == ["文件 File", "评估单元 Unit", "年度 Year", "状态 Status"]
    by_file = {Path(r[0]).name: r for r in summary}
    assert set(by_file) == {f"{u}-{YEAR}.xlsx" for u in UNITS}
    assert by_file[f"jilin-{YEAR}.xlsx"][3:5] == ["已报送，有错误 submitted, has errors", 1]
    assert by_file[f"siping-{YEAR}.xlsx"][3:5] == ["已报送，校验通过 submitted, valid", 0]
    _, *every = rows(out / f"feedback-summary-{YEAR}.xlsx", 1)
    assert [r[2] for r in every if r[3] == ref] == [INPUT]


def test_the_summary_names_skipped_files_and_the_same_check_gives_the_same_bytes(inbox, tmp_path):
    folder, _ = inbox
    (folder / "~$jilin-2025.xlsx").write_bytes(b"\x00" * 165)
    one, two = tmp_path / "one", tmp_path / "two"
    validate(folder, "--year", YEAR, "--feedback", one)
    validate(folder, "--year", YEAR, "--feedback", two)
    for path in one.iterdir():
        assert path.read_bytes() == (two / path.name).read_bytes(), path.name
    _, *summary = rows(one / f"feedback-summary-{YEAR}.xlsx", 0)
    lock = [r for r in summary if str(r[0]).endswith("~$jilin-2025.xlsx")]
    assert len(lock) == 1 and lock[0][3] == "已跳过 skipped" and "jilin-2025.xlsx" in lock[0][6]


def test_a_file_naming_no_unit_is_in_the_summary_only(inbox, tmp_path):
    folder, _ = inbox
    (folder / "notes.xlsx").write_text("not a workbook")
    out = tmp_path / "fb"
    shown = validate(folder, "--feedback", out, "--format", "json")
    assert json.loads(shown.stdout)["feedback"][-1] == str(out / f"feedback-summary-{YEAR}.xlsx")
    assert len(list(out.iterdir())) == len(UNITS) + 1
    _, *every = rows(out / f"feedback-summary-{YEAR}.xlsx", 1)
    assert any(str(r[0]).endswith("notes.xlsx") and r[5] == "file.not-workbook" for r in every)


def test_the_problems_go_where_the_output_is_redirected(inbox):
    """`beautycity validate bad.xlsx > out.txt`: out.txt holds every problem and its cell."""
    folder, ref = inbox
    result = validate(folder / f"jilin-{YEAR}.xlsx")
    assert result.exit_code == 1
    assert f"{INPUT}!{ref}" in result.output
    assert f"{INPUT}!{ref}" in result.stdout


def test_feedback_names_the_unit_by_its_roster_name(inbox, tmp_path):
    folder, _ = inbox
    validate(folder, "--feedback", tmp_path / "fb")
    overview = rows(tmp_path / "fb" / f"siping-{YEAR}-feedback.xlsx", 0)
    unit = roster()["siping"]
    assert overview[1][1] == f"{unit.name.zh} {unit.name.en}"
