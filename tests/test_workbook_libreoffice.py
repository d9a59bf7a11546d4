"""Workbooks re-saved by a real spreadsheet program (LibreOffice) still read back exactly.

LibreOffice turns very hidden sheets into hidden ones, numbers into floats and rewrites
styles; the metadata and checksum are built to survive that. One soffice call converts all
units' workbooks, since each start of LibreOffice takes seconds.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils.protection import hash_password

from beautycity.submission.read import read_submissions

from .fixtures_workbook import fill, layout_for, roster, sample_values, scheme, template

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice (soffice) is not installed: re-save round trip not run"
    ),
    pytest.mark.slow,  # LibreOffice starts in seconds
]


def soffice(tmp_path, convert_to: str, files: list, out) -> None:
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            convert_to,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def resaved(tmp_path_factory):
    base = tmp_path_factory.mktemp("libreoffice")
    filled_dir, out = base / "filled", base / "resaved"
    filled_dir.mkdir()
    files = []
    for unit in roster():
        path = template(base, unit)
        files.append(fill(path, filled_dir / path.name, layout_for(unit.id)))
    soffice(base, "xlsx", files, out)
    return out


def test_every_unit_round_trips_through_libreoffice(resaved):
    paths = sorted(resaved.glob("*.xlsx"))
    assert len(paths) == len(roster())
    with zipfile.ZipFile(paths[0]) as archive:  # really written by LibreOffice
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    report = read_submissions([resaved], scheme(), roster())
    assert report.problems == []
    assert len(report.submissions) == len(roster())
    for submission in report.submissions:
        read = {**submission.values, **submission.adjustments}
        expected = sample_values(layout_for(submission.city))
        assert {k: v.value for k, v in read.items()} == {k: v for k, (_, v) in expected.items()}
        assert submission.contact.person and submission.deadline == "2026-03-31"


def test_sheet_protection_and_its_password_survive_libreoffice(resaved):
    # LibreOffice drops the workbook's structure lock, but keeps each sheet's password.
    wb = load_workbook(sorted(resaved.glob("*.xlsx"))[0])
    for ws in wb.worksheets:
        assert ws.protection.sheet
        assert ws.protection.password.upper() == hash_password(scheme().id).upper()
