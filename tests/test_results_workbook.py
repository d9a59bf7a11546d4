"""`assessment.xlsx` streamed by XlsxWriter: the same bytes every time, dated by the
assessment, every sheet an office reads, text never a formula."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook

from beautycity.assessment.document import doc_moment
from beautycity.outputs.workbook import write_results_workbook
from beautycity.scheme.load import load_scheme


def test_same_bytes_dated_by_the_assessment(docs, tmp_path):
    doc, scheme = docs[0], load_scheme()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_results_workbook(a, doc, scheme)
    write_results_workbook(b, doc, scheme)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 31, 0, 0, 0)}
    stamp = doc_moment(doc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core


def test_every_sheet_with_every_unit(docs, tmp_path):
    doc, scheme = docs[0], load_scheme()
    path = tmp_path / "r.xlsx"
    write_results_workbook(path, doc, scheme)
    wb = load_workbook(path, read_only=True)
    assert len(wb.sheetnames) == 3 + len(scheme.dimensions)  # ranking, dimensions, detail, method
    ranking = list(wb.worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in ranking[1:]] == [u.rank for u in doc.units]
    detail = list(wb.worksheets[1 + len(scheme.dimensions)].iter_rows(values_only=True))
    assert len(detail) - 1 == sum(len(u.indicators) for u in doc.units)
