"""The rectification ledger (整改台账): what the office can run, and what comes back next year."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook

from beautycity.assessment.document import doc_json
from beautycity.assessment.judge import with_progress
from beautycity.problems import BeautycityError
from beautycity.report.actions import follow_up, unit_actions
from beautycity.report.ledger import ID_COLUMN, PROGRESS_COLUMN, write_ledger
from beautycity.report.ledger_read import read_ledger
from beautycity.report.render import scheme_for


@pytest.fixture(scope="module")
def scheme(docs):
    return scheme_for(docs[0])


def test_the_ledger_is_a_table_the_office_can_run(docs, scheme, tmp_path, elsewhere):
    doc = docs[0]
    doc = doc.model_copy(
        update={
            "units": tuple(
                u.model_copy(update={"short": u.short.model_copy(update={"zh": "=HYPERLINK(1)"})})
                for u in doc.units
            )
        }
    )
    path = write_ledger(doc, scheme, tmp_path, "bilingual")
    assert path.name == "actions-2024.xlsx"
    wb = load_workbook(path)
    province, *units, follow = wb.worksheets
    assert len(units) == len(doc.units)
    expected = sum(len(unit_actions(u, scheme)) for u in doc.units)
    assert province.max_row - 1 == expected
    assert sum(ws.max_row - 1 for ws in units) == expected
    assert province.auto_filter.ref == f"A1:U{expected + 1}"
    assert province.freeze_panes == "G2"
    assert province.print_title_rows == "$1:$1"
    heads = [c.value.split("\n")[0] for c in province[1]]
    assert heads[:3] == ["序号", "编号", "评估单元"]
    col = {h: i + 1 for i, h in enumerate(heads)}
    rows = list(province.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(range(1, expected + 1))  # serial numbers, numeric
    assert all(isinstance(r[col["失分"] - 1], int | float) for r in rows)
    assert any(isinstance(r[col["现状值"] - 1], float) for r in rows)
    assert all(isinstance(r[col["整改时限"] - 1], datetime) for r in rows)
    # An interim deadline within the next two years, never the scheme's target year as text.
    assert {r[col["整改时限"] - 1].year for r in rows} <= {2025, 2026}
    assert all(r[col["责任人"] - 1] is None for r in rows)  # blank for the unit to fill
    assert province.cell(2, col["整改建议"]).alignment.wrap_text
    (valid,) = province.data_validations.dataValidation
    assert valid.type == "list" and valid.formula1 == '"未开始,推进中,已完成,已销号"'
    assert str(valid.sqref).startswith(f"S2:S{expected + 1 + 200}")
    assert col["进展状态"] == PROGRESS_COLUMN and col["编号"] == ID_COLUMN
    assert province.cell(2, 3).value.startswith("=HYPERLINK")
    assert province.cell(2, 3).data_type == "s"
    closed = sum(f.outcome == "closed" for u in doc.units for f in follow_up(u, scheme))
    outcomes = [follow.cell(r, 8).value for r in range(2, follow.max_row + 1)]
    assert sum(o.startswith("已销号") for o in outcomes) == closed > 0
    # The same bytes from another interpreter, with another string-hash seed.
    (tmp_path / "doc.json").write_text(doc_json(doc), encoding="utf-8")
    again = tmp_path / "again"
    elsewhere(
        "from pathlib import Path\n"
        "from beautycity.assessment.document import read_doc\n"
        "from beautycity.report.ledger import write_ledger\n"
        "from beautycity.report.render import scheme_for\n"
        f"doc = read_doc(Path({str(tmp_path / 'doc.json')!r}))\n"
        f"write_ledger(doc, scheme_for(doc), Path({str(again)!r}), 'bilingual')\n"
    )
    assert (again / path.name).read_bytes() == path.read_bytes()


def _filled(docs, scheme, tmp_path, progress: dict[int, str], sheet: int = 0):
    """Last year's ledger with the progress the office typed into the rows of one sheet (the
    province's, unless told)."""
    path = write_ledger(docs[1], scheme, tmp_path, "bilingual")
    wb = load_workbook(path)
    ws = wb.worksheets[sheet]
    for row, value in progress.items():
        ws.cell(row, PROGRESS_COLUMN).value = value
    wb.save(path)
    return path


def test_recorded_progress_comes_back_next_year(docs, scheme, tmp_path):
    """The office marks last year's actions; next year's follow-up reads them, and says where
    the ledger calls done what the assessment still finds lagging."""
    now, before = docs
    last_rows = sum(len(unit_actions(u, scheme)) for u in before.units)
    typed = {r: "已完成" for r in range(3, last_rows + 2)}
    path = _filled(docs, scheme, tmp_path, {2: " 已销号 ", **typed})  # spaces, as typed
    recorded = read_ledger(path, before, scheme)
    assert len(recorded) == last_rows
    assert set(recorded.values()) == {"done", "closed"}
    doc = with_progress(now, recorded)
    reviewed = [f for u in doc.units for f in follow_up(u, scheme)]
    assert reviewed and all(f.recorded in ("done", "closed") for f in reviewed)
    still_open = [f for f in reviewed if f.outcome != "closed"]
    assert still_open and all("台账记为" in f.verdict.zh for f in still_open)
    closed = [f for f in reviewed if f.outcome == "closed"]
    assert closed and all(f.verdict.zh == "已销号" for f in closed)
    # Without a ledger, the follow-up says only what the assessment finds.
    assert all(f.recorded is None for u in now.units for f in follow_up(u, scheme))


def test_progress_recorded_on_a_units_own_sheet_counts(docs, scheme, tmp_path):
    """The unit's sheet is the one handed out: what it records beats the province's sheet's
    untouched "not started", which every row is written with."""
    before = docs[1]
    unit = next(u for u in before.units if unit_actions(u, scheme))
    sheet = 1 + [u.id for u in before.units].index(unit.id)
    rows = len(unit_actions(unit, scheme))
    path = _filled(docs, scheme, tmp_path, {r: "推进中" for r in range(2, rows + 2)}, sheet)
    recorded = read_ledger(path, before, scheme)
    mine = {k: v for k, v in recorded.items() if k[0] == unit.id}
    assert len(mine) == rows and set(mine.values()) == {"in_progress"}
    assert set(recorded.values()) == {"not_started", "in_progress"}


def test_a_progress_off_the_list_is_located(docs, scheme, tmp_path):
    path = _filled(docs, scheme, tmp_path, {3: "差不多"})
    with pytest.raises(BeautycityError) as caught:
        read_ledger(path, docs[1], scheme)
    (problem,) = caught.value.problems
    assert problem.code == "score.ledger-unknown-progress"
    assert (problem.location.sheet, problem.location.cell) == ("全省 Province", "S3")
