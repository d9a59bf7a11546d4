"""Text from workbooks stays text, and names from workbooks stay inside the results folder.

An officer's note or data source that starts with = + - @ must reach `assessment.xlsx` (and
any CSV) as a text cell, never as a formula a spreadsheet would run; a submitted file's name
or a unit id claimed in its metadata must never place a file outside the results folder.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from beautycity.io.names import archive_name
from beautycity.pipeline import score_submissions
from beautycity.submission.read import read_submission
from beautycity.workbook.layout import cover_ref

from .fixtures_workbook import COVER, INPUT, META, edit, fill, layout_for, roster, scheme, template

PAYLOADS = (
    '=HYPERLINK("http://example.com/x","click")',
    "@SUM(A1)",
    "+1+1",
    "-2+3",
    "=cmd|' /C calc'!A0",
)
TRIGGERS = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> Path:
    """Two units scored: one with payloads in notes, sources and contact, one whose file name
    is itself a formula and a Windows device name."""
    base = tmp_path_factory.mktemp("injection")
    inbox, blank = base / "in", base / "blank"
    inbox.mkdir()
    blank.mkdir()
    layout = layout_for("changchun")

    def typed(cell, text: str) -> None:
        # As a spreadsheet stores what is typed into a cell formatted as text: a string.
        cell.value = text
        cell.data_type = "s"

    def inject(wb) -> None:
        for n, payload in enumerate(PAYLOADS):
            it = layout.items[n]
            typed(wb[INPUT][it.ref("note")], payload)
            typed(wb[INPUT][it.ref("source")], payload)
        typed(wb[COVER][cover_ref("department")], PAYLOADS[0])

    filled = fill(template(blank, roster()["changchun"]), inbox / "changchun.xlsx", layout)
    edit(filled, inject)
    fill(template(blank, roster()["jilin"]), inbox / "=1+1.xlsx", layout_for("jilin"))
    fill(template(blank, roster()["siping"]), inbox / "CON.xlsx", layout_for("siping"))
    out = base / "out"
    score_submissions([inbox], out, partial=True)  # three of the eleven units
    return out


def test_payloads_reach_the_results_workbook_as_text(scored):
    wb = load_workbook(scored / "assessment.xlsx")
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    found.add(cell.value)
    assert set(PAYLOADS) <= found
    assert any(v.startswith("=1+1.xlsx") for v in found)  # the file name in a source cell


def test_the_results_workbook_holds_no_formula_at_all(scored):
    with zipfile.ZipFile(scored / "assessment.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_payloads_in_any_csv_are_defused(scored):
    # No command writes CSV today; one that does must defuse payloads like the workbook does.
    for path in scored.rglob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                assert not any(field in PAYLOADS for field in row), path


def test_archived_inputs_keep_safe_names_inside_the_folder(scored):
    archive = scored / "submissions"
    names = sorted(p.name for p in archive.iterdir())
    assert names == ["=1+1.xlsx", "_CON.xlsx", "changchun.xlsx"]
    for path in archive.iterdir():
        assert path.resolve().parent == archive.resolve()


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../evil.xlsx", "_.._evil.xlsx"),
        ("/etc/passwd", "_etc_passwd"),
        ("C:\\Windows\\win.ini", "C__Windows_win.ini"),
        ("..", "_"),
        ("CON.xlsx", "_CON.xlsx"),
        ("nul", "_nul"),
        ("com1.tar.xlsx", "_com1.tar.xlsx"),
        ("LPT9 .xlsx", "_LPT9 .xlsx"),
        ('a<b>:"c"|?*.xlsx', "a_b___c____.xlsx"),
        ("trailing. ", "trailing"),
        ("CONSOLE.xlsx", "CONSOLE.xlsx"),
        ("长春市.xlsx", "长春市.xlsx"),
    ],
)
def test_archive_names_never_leave_the_folder(given, safe, tmp_path):
    name = archive_name(given)
    assert name == safe
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


@pytest.mark.parametrize("claim", ["../x", "../../etc/passwd", "/tmp/x", "CON", "changchun/.."])
def test_a_unit_claimed_in_metadata_must_be_on_the_roster(claim, tmp_path):
    path = fill(
        template(tmp_path, roster()["changchun"]), tmp_path / "x.xlsx", layout_for("changchun")
    )

    def claim_city(wb) -> None:
        for key, value in wb[META].iter_rows(min_col=1, max_col=2):
            if key.value == "city":
                value.value = claim

    edit(path, claim_city)
    report = read_submission(path, scheme(), roster())
    assert [p.code for p in report.problems] == ["structure.unknown-city"]
    assert report.problems[0].location.sheet == META
