"""Reading submissions: round trips for every unit, and batches of workbooks.

The corpus of broken or awkward single workbooks is in `test_workbook_corpus.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from beautycity.problems import BeautycityError
from beautycity.submission.read import read_submissions

from .fixtures_workbook import (
    CONTACT,
    INPUT,
    YEAR,
    Filled,
    layout_for,
    located,
    roster,
    sample_values,
    scheme,
)

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Filled:
    return Filled(tmp_path_factory.mktemp("filled"))


# ---------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("unit_id", [u.id for u in roster()])
def test_round_trip(unit_id, filled, tmp_path):
    path = filled(unit_id, tmp_path / f"{unit_id}.xlsx")
    report = read_submissions([path], scheme(), roster())
    assert report.problems == []
    [submission] = report.submissions
    layout = layout_for(unit_id)
    expected = sample_values(layout)
    read = {**submission.values, **submission.adjustments}
    assert {k: v.value for k, v in read.items()} == {k: v for k, (_, v) in expected.items()}
    assert (submission.city, submission.year) == (unit_id, YEAR)
    assert (submission.scheme_id, submission.scheme_version) == (scheme().id, scheme().version)
    assert submission.contact.model_dump() == CONTACT
    assert submission.deadline == "2026-03-31"
    first = layout.items[0]
    reported = read[first.id]
    assert reported.source == f"{YEAR}年统计公报" and reported.note == f"note {first.code}"
    assert (reported.location.sheet, reported.location.cell) == (INPUT, first.ref("value"))
    assert reported.location.file == str(path)


# ---------------------------------------------------------------------------- batches


def test_duplicates_are_reported_and_kept_out(filled, tmp_path):
    one = filled("jilin", tmp_path / "jilin.xlsx")
    two = filled("jilin", tmp_path / "jilin-again.xlsx")
    other = filled("siping", tmp_path / "siping.xlsx")
    report = read_submissions([tmp_path], scheme(), roster())
    assert [f.valid for f in report.files] == [True, True, True]
    assert located(report.batch) == [("batch.duplicate", ""), ("batch.duplicate", "")]
    assert {p.location.file for p in report.batch} == {str(one), str(two)}
    assert "jilin.xlsx" in report.batch[0].zh and "jilin-again.xlsx" in report.batch[0].zh
    assert not report.valid
    assert [s.city for s in report.submissions] == ["siping"]
    assert str(other) in {f.file for f in report.files}


def test_folders_are_searched_and_other_files_named(filled, tmp_path):
    (tmp_path / "sub").mkdir()
    filled("baishan", tmp_path / "sub" / "baishan.xlsx")
    (tmp_path / "sub" / "old.xls").write_bytes(OLE)
    (tmp_path / "readme.txt").write_text("not a workbook, and not looked at")
    (tmp_path / "~$baishan.xlsx").write_bytes(b"lock file")
    report = read_submissions([tmp_path], scheme(), roster())
    assert [Path(f.file).name for f in report.files] == ["baishan.xlsx", "old.xls"]
    assert located(report.problems) == [("file.wrong-format", "")]
    assert [s.city for s in report.submissions] == ["baishan"]


def test_nothing_found_and_missing_paths(tmp_path):
    report = read_submissions([tmp_path, tmp_path / "nowhere.xlsx"], scheme(), roster())
    assert [p.code for p in report.batch] == ["file.missing", "batch.no-workbooks"]
    assert report.files == () and not report.valid


def test_an_unexpected_failure_stays_with_its_file(filled, tmp_path, monkeypatch):
    good = filled("tonghua", tmp_path / "a.xlsx")
    bad = filled("yanbian", tmp_path / "b.xlsx")
    import beautycity.submission.read as module

    real = module._read_values

    def explode(book, layout, problems, where):
        if layout.unit.id == "yanbian":
            raise ZeroDivisionError("boom")
        return real(book, layout, problems, where)

    monkeypatch.setattr(module, "_read_values", explode)
    report = read_submissions([good, bad], scheme(), roster())
    assert located(report.problems) == [("file.unreadable", "")]
    assert "ZeroDivisionError: boom" in report.problems[0].en
    assert [s.city for s in report.submissions] == ["tonghua"]


def test_unknown_expected_city_is_the_callers_mistake(tmp_path):

    with pytest.raises(BeautycityError) as info:
        read_submissions([tmp_path], scheme(), roster(), expect_city="atlantis")
    assert info.value.problems[0].code == "cities.unknown-unit"


def test_reading_refuses_without_defusedxml(monkeypatch, tmp_path):
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        read_submissions([tmp_path], scheme(), roster())


def test_defusedxml_is_in_effect():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
