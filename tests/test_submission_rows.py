"""Rows found by indicator code, and workbooks of another scheme or year: one problem each.

An officer who lifts the sheet protection may insert, delete or re-sort rows; the reader finds
each indicator's row by its code, so that costs one note, not a problem per row. A workbook
made for another scheme version, for the same version edited since, or for another year is
one problem per workbook, never one per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from beautycity.problems import Severity
from beautycity.resources import default_scheme_path
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Scheme
from beautycity.submission.read import read_submission, read_submissions
from beautycity.workbook.layout import COLUMNS

from .fixtures_workbook import (
    INPUT,
    META,
    YEAR,
    Filled,
    edit,
    item,
    layout_for,
    located,
    roster,
    sample_values,
    scheme,
    where,
)

UNIT = "changchun"
PM = "pm25_annual_mean"
UNITS = ("changchun", "meihekou", "changbaishan")  # three positionings


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Filled:
    return Filled(tmp_path_factory.mktemp("filled"))


def row_values(ws, row: int) -> list[object]:
    return [ws[f"{c}{row}"].value for c in COLUMNS.values()]


def put_row(ws, row: int, values: list[object]) -> None:
    for column, value in zip(COLUMNS.values(), values, strict=True):
        ws[f"{column}{row}"] = value


def read_back(path: Path):
    result = read_submission(path, scheme(), roster())
    return result, [(p.code, p.severity) for p in result.problems]


def assert_values_read(result) -> None:
    assert result.submission is not None
    read = {**result.submission.values, **result.submission.adjustments}
    expected = sample_values(layout_for(UNIT))
    assert {k: v.value for k, v in read.items()} == {k: v for k, (_, v) in expected.items()}


# ---------------------------------------------------------------------------- rows by code


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("one-blank-row", lambda ws: ws.insert_rows(10)),
        ("rows-in-three-places", lambda ws: [ws.insert_rows(r, 2) for r in (40, 20, 6)]),
        ("header-row-deleted", lambda ws: ws.delete_rows(3)),
    ],
)
def test_inserted_or_deleted_blank_rows_give_one_note(name, change, filled, tmp_path):
    path = edit(filled(UNIT, tmp_path / "x.xlsx"), lambda wb: change(wb[INPUT]))
    result, codes = read_back(path)
    assert codes == [("structure.rows-moved", Severity.NOTE)]
    assert located(result.problems) == [("structure.rows-moved", INPUT)]
    assert_values_read(result)


def test_the_note_is_in_the_validation_report(filled, tmp_path):
    edit(filled(UNIT, tmp_path / "x.xlsx"), lambda wb: wb[INPUT].insert_rows(10))
    report = read_submissions([tmp_path], scheme(), roster())
    assert report.valid and report.errors == []
    [note] = report.problems
    assert note.code == "structure.rows-moved" and note.severity is Severity.NOTE
    moved = sum(i.row >= 10 for i in layout_for(UNIT).items)
    assert f"so {moved} of" in note.en and "indicator code" in note.en and "指标编码" in note.zh
    assert [p["code"] for p in report.as_json()["files"][0]["problems"]] == [note.code]
    [submission] = report.submissions
    assert note in submission.normalisations
    # each value's location is the row it was read from
    row = item(layout_for(UNIT), PM).row
    assert submission.values[PM].location.cell == f"G{row + 1 if row >= 10 else row}"


def test_re_sorted_rows_give_one_note(filled, tmp_path):
    layout = layout_for(UNIT)
    rows = [i.row for i in layout.items]

    def reverse(wb):
        ws = wb[INPUT]
        contents = [row_values(ws, r) for r in rows]
        for row, values in zip(rows, reversed(contents), strict=True):
            put_row(ws, row, values)

    result, codes = read_back(edit(filled(UNIT, tmp_path / "x.xlsx"), reverse))
    assert codes == [("structure.rows-moved", Severity.NOTE)]
    assert_values_read(result)


def test_a_row_moved_below_the_table_gives_one_note(filled, tmp_path):
    layout = layout_for(UNIT)
    row = item(layout, PM).row
    moved = layout.last_row + 3 - row
    path = edit(
        filled(UNIT, tmp_path / "x.xlsx"),
        lambda wb: wb[INPUT].move_range(f"A{row}:I{row}", rows=moved),
    )
    result, codes = read_back(path)
    assert codes == [("structure.rows-moved", Severity.NOTE)]
    assert "so 1 of its rows" in result.problems[0].en
    assert_values_read(result)


def test_a_deleted_row_is_one_error_naming_the_indicator(filled, tmp_path):
    layout = layout_for(UNIT)
    pm = item(layout, PM)
    path = edit(filled(UNIT, tmp_path / "x.xlsx"), lambda wb: wb[INPUT].delete_rows(pm.row))
    result, codes = read_back(path)
    assert codes == [("structure.row-missing", Severity.ERROR)]
    assert located(result.problems) == [("structure.row-missing", where(layout, PM, "code"))]
    [problem] = result.problems
    assert pm.code in problem.zh and pm.name.zh in problem.zh
    assert pm.code in problem.en and pm.name.en in problem.en
    assert result.submission is None


def test_a_duplicated_row_is_one_error(filled, tmp_path):
    row = item(layout_for(UNIT), PM).row

    def duplicate(wb):
        ws = wb[INPUT]
        values = row_values(ws, row)
        ws.insert_rows(row + 1)
        put_row(ws, row + 1, values)

    result, codes = read_back(edit(filled(UNIT, tmp_path / "x.xlsx"), duplicate))
    assert codes == [("structure.row-duplicate", Severity.ERROR)]
    assert located(result.problems) == [("structure.row-duplicate", f"{INPUT}!A{row + 1}")]
    code = item(layout_for(UNIT), PM).code
    assert f"{code} ({row}, {row + 1})" in result.problems[0].en
    assert result.submission is None


def test_a_copy_of_the_whole_table_pasted_below_is_one_error(filled, tmp_path):
    layout = layout_for(UNIT)

    def paste_copy(wb):
        ws = wb[INPUT]
        for n, it in enumerate(layout.items):
            put_row(ws, layout.last_row + 2 + n, row_values(ws, it.row))

    result, codes = read_back(edit(filled(UNIT, tmp_path / "x.xlsx"), paste_copy))
    assert codes == [("structure.row-duplicate", Severity.ERROR)]
    assert f"(+{len(layout.items) - 5})" in result.problems[0].en


def test_an_edited_unit_on_a_moved_row_is_found_where_it_is(filled, tmp_path):
    row = item(layout_for(UNIT), PM).row + 1

    def change(wb):
        wb[INPUT].insert_rows(6)
        wb[INPUT][f"C{row}"] = "mg/m³"

    result, _ = read_back(edit(filled(UNIT, tmp_path / "x.xlsx"), change))
    assert located(result.problems) == [("structure.changed", f"{INPUT}!C{row}")]


def test_rows_pasted_below_a_moved_table_are_noted_from_its_new_end(filled, tmp_path):
    end = layout_for(UNIT).last_row + 2

    def change(wb):
        wb[INPUT].insert_rows(10, 2)
        wb[INPUT][f"B{end + 1}"] = "汇总"

    result, _ = read_back(edit(filled(UNIT, tmp_path / "x.xlsx"), change))
    assert located(result.problems) == [
        ("structure.rows-moved", INPUT),
        ("structure.rows-below", f"{INPUT}!A{end + 1}"),
    ]
    assert f"ends at row {end}" in result.problems[1].en
    assert_values_read(result)


# ---------------------------------------------------------------------------- scheme, year


def edited_scheme(folder: Path, change: Callable[[dict], None]) -> Scheme:
    """The default scheme with `change` applied to its data, written out and loaded."""
    yaml = YAML(typ="safe")
    data = yaml.load(default_scheme_path().read_text(encoding="utf-8"))
    change(data)
    path = folder / "edited-scheme.yaml"
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return load_scheme(path)


@pytest.fixture
def batch(filled, tmp_path) -> Path:
    folder = tmp_path / "workbooks"
    folder.mkdir()
    for unit_id in UNITS:
        filled(unit_id, folder / f"{unit_id}.xlsx")
    return folder


def one_problem_each(report, code: str) -> list:
    assert [len(f.problems) for f in report.files] == [1] * len(UNITS)
    assert [f.problems[0].code for f in report.files] == [code] * len(UNITS)
    assert report.submissions == [] and report.batch == ()
    return [f.problems[0] for f in report.files]


def test_another_scheme_version_is_one_problem_per_workbook(batch, tmp_path):
    def bump(data):
        data["version"] = "1.2.0"

    newer = edited_scheme(tmp_path, bump)
    report = read_submissions([batch], newer, roster())
    for problem in one_problem_each(report, "structure.other-scheme"):
        assert (problem.location.sheet, problem.location.cell) == (META, "B4")
        assert "jilin_2027 1.1.0" in problem.en and "jilin_2027 1.2.0" in problem.en
        assert "--carry-over" in problem.fix_en and "--carry-over" in problem.fix_zh
    # the claim is still read: whose workbooks they are
    assert sorted(f.city for f in report.files) == sorted(UNITS)


def test_the_same_version_edited_is_one_problem_per_workbook(batch, tmp_path):
    def swap(data):  # moves every row of the first dimension's first two indicators
        data["indicators"][0], data["indicators"][1] = data["indicators"][1], data["indicators"][0]

    edited = edited_scheme(tmp_path, swap)
    assert edited.version == scheme().version
    report = read_submissions([batch], edited, roster())
    for problem in one_problem_each(report, "structure.scheme-edited"):
        assert (problem.location.sheet, problem.location.cell) == (META, "B5")
        assert "without bumping its version" in problem.en and "未更新版本号" in problem.zh
        assert "--carry-over" in problem.fix_en


def test_the_same_content_written_otherwise_reads_as_before(batch, tmp_path):
    # The file re-dumped: comments, order of keys and quoting differ, the content does not.
    same = edited_scheme(tmp_path, lambda data: None)
    assert default_scheme_path().read_text(encoding="utf-8") != (
        tmp_path / "edited-scheme.yaml"
    ).read_text(encoding="utf-8")
    report = read_submissions([batch], same, roster())
    assert report.problems == [] and len(report.submissions) == len(UNITS)


def test_another_year_is_one_problem_located_at_the_file(batch):
    report = read_submissions([batch], scheme(), roster(), year=YEAR + 1)
    for problem in one_problem_each(report, "structure.wrong-year"):
        assert problem.location.file is not None and Path(problem.location.file).parent == batch
        assert (problem.location.sheet, problem.location.cell) == (None, None)
        assert str(YEAR) in problem.en and str(YEAR + 1) in problem.en
    assert read_submissions([batch], scheme(), roster(), year=YEAR).valid


def test_another_year_is_said_before_another_scheme(batch, tmp_path):
    # Last year's workbook of last year's scheme, sent by mistake: carrying its values over
    # into a new template would be the wrong advice.
    def bump(data):
        data["version"] = "1.2.0"

    report = read_submissions([batch], edited_scheme(tmp_path, bump), roster(), year=YEAR + 1)
    one_problem_each(report, "structure.wrong-year")


def test_year_and_expect_year_must_agree(tmp_path):
    with pytest.raises(ValueError, match="disagree"):
        read_submissions([tmp_path], scheme(), roster(), year=YEAR, expect_year=YEAR + 1)
