"""`score --previous --ledger`: the progress the office recorded in last year's ledger reaches
this year's results, end to end through the command line."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from beautycity.assessment.document import read_doc
from beautycity.cli import main
from beautycity.report.ledger import ID_COLUMN, PROGRESS_COLUMN, write_ledger
from beautycity.report.render import scheme_for

from .test_score import filled


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_score_reads_the_ledger_office_filled(tmp_path):
    units = ("changchun", "songyuan", "tonghua")
    before, now = filled(tmp_path, 2024, units), filled(tmp_path, 2025, units)
    assert run("score", before, "-o", tmp_path / "r2024", "--partial").exit_code == 0
    last = read_doc(tmp_path / "r2024" / "assessment.json")
    ledger = write_ledger(last, scheme_for(last), tmp_path, "bilingual")
    wb = load_workbook(ledger)
    ws = wb.worksheets[0]
    ids = [ws.cell(r, ID_COLUMN).value for r in range(2, ws.max_row + 1)]
    assert ids
    for r in range(2, ws.max_row + 1):
        ws.cell(r, PROGRESS_COLUMN).value = "已销号"
    wb.save(ledger)
    # Without last year's results the ledger cannot be matched: a problem, nothing written.
    alone = run("score", now, "-o", tmp_path / "x", "--partial", "--ledger", ledger)
    assert alone.exit_code == 1 and "score.ledger-needs-previous" in alone.output
    result = run(
        "score", now, "-o", tmp_path / "r2025", "--partial",
        "--previous", tmp_path / "r2024", "--ledger", ledger,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = read_doc(tmp_path / "r2025" / "assessment.json")
    reviewed = [r for u in doc.units for r in u.indicators if r.follow_up is not None]
    assert len(reviewed) == len(ids)
    assert all(r.progress == "closed" for r in reviewed)
