"""What a run reads, archives and prints cannot be turned against the evaluator: the archive
holds the very bytes scored, names are printed escaped, pipes are refused, a full disk is a
problem, and `report` renders only the assessment `score` wrote."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from beautycity import pipeline
from beautycity.assessment.document import read_doc
from beautycity.cli import main
from beautycity.io.names import printable
from beautycity.problems import SHOWN, make_problem
from beautycity.submission.read import read_submission, read_submissions

from .fixtures_workbook import Filled, roster, scheme
from .hostile_round2 import ODD_NAME
from .test_score import filled

RAW = ("\x1b", "\x01", "\u202e")  # what must never reach a terminal unescaped


@pytest.fixture(scope="module")
def year2025(tmp_path_factory) -> Path:
    return filled(tmp_path_factory.mktemp("hardening"), 2025)


@pytest.fixture(scope="module")
def results(tmp_path_factory, year2025) -> Path:
    out = tmp_path_factory.mktemp("results") / "r"
    pipeline.score_submissions([year2025], out)
    return out


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_archive_and_manifest_hold_the_bytes_that_were_scored(year2025, tmp_path):
    inbox = tmp_path / "in"
    shutil.copytree(year2025, inbox)
    changed = inbox / "changchun-2025.xlsx"
    scored = changed.read_bytes()
    other = (inbox / "jilin-2025.xlsx").read_bytes()

    def swap(_report) -> None:  # after validation, before archiving: another valid workbook
        changed.write_bytes(other)

    out = tmp_path / "out"
    outcome = pipeline.score_submissions([inbox], out, validated=swap)
    assert changed.read_bytes() == other  # the file did change on disk
    archived = out / "submissions" / changed.name
    assert archived.read_bytes() == scored
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][f"submissions/{changed.name}"] == sha(scored)
    changchun = next(u for u in outcome.doc.units if u.id == "changchun")
    assert changchun.indicators[0].source.cell.file == changed.name
    assert {p.name for p in (out / "submissions").iterdir()} == {p.name for p in inbox.iterdir()}


def test_odd_names_are_printed_escaped_scored_or_listed_as_skipped(year2025, tmp_path):
    inbox = tmp_path / "in"
    shutil.copytree(year2025, inbox)
    (inbox / "songyuan-2025.xlsx").rename(inbox / ODD_NAME)
    checked = run("validate", inbox)
    assert checked.exit_code == 0, checked.output
    assert printable(ODD_NAME) in checked.output
    assert not any(c in checked.output for c in RAW)
    for odd in ("~$jilin-2025.xlsx", ".jilin-2025.xlsx", "jilin-2025.xlsx ", "x.xlsx.zip"):
        (inbox / odd).write_bytes(b"not read")
    out = tmp_path / "out"
    scored = run("score", inbox, "-o", out)
    assert scored.exit_code == 0, scored.output
    assert not any(c in scored.output for c in RAW)
    for code in ("lock", "hidden", "name", "archive"):  # listed, not dropped unsaid
        assert f"submission.skipped-{code}" in scored.output
    doc = read_doc(out / "assessment.json")
    songyuan = next(u for u in doc.units if u.id == "songyuan")
    assert songyuan.indicators[0].source.cell.file == printable(ODD_NAME)
    assert "odd-name-_[2J-\u202e-_.xlsx" in {p.name for p in (out / "submissions").iterdir()}


def test_a_problem_quotes_values_clipped_and_escaped():
    problem = make_problem("structure.unknown-city", value="x" * 10**6 + "\x1b[2J")
    assert f"'{'x' * (SHOWN - 1)}…'" in problem.en
    listed = make_problem("batch.duplicate", city="\x1b[31m", city_en="", year=2025, files="a")
    assert "\x1b" not in listed.zh + listed.en and "\\x1b[31m" in listed.zh


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_is_refused_by_name_and_listed_as_skipped_in_a_folder(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlsx")
    report = read_submission(tmp_path / "pipe.xlsx", scheme(), roster())  # must not block
    assert [p.code for p in report.problems] == ["file.not-regular"]
    assert read_submissions([tmp_path], scheme(), roster()).files == ()
    shown = run("validate", tmp_path)
    assert "submission.skipped-special" in shown.output


def test_a_full_disk_is_a_problem_not_a_bug(year2025, tmp_path, monkeypatch):
    def full(folder, *args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "assessment.xlsx"))

    monkeypatch.setattr(pipeline, "write_results", full)
    result = run("score", year2025, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "run.no-space" in result.output and "internal" not in result.output
    assert not (tmp_path / "out").exists()


def tampered(results: Path, folder: Path) -> Path:
    copy = folder / "r"
    shutil.copytree(results, copy)
    doc = copy / "assessment.json"
    doc.write_bytes(doc.read_bytes().replace(b'"total": ', b'"total": 1', 1))
    return copy


def test_report_refuses_an_assessment_changed_after_scoring(results, tmp_path):
    copy = tampered(results, tmp_path)
    changed = run("report", copy, "-o", tmp_path / "reports")
    assert changed.exit_code == 1 and "report.tampered" in changed.output
    (copy / "manifest.json").write_text("{}", encoding="utf-8")
    unlisted = run("report", copy, "-o", tmp_path / "reports")
    assert unlisted.exit_code == 1 and "report.bad-manifest" in unlisted.output
    assert not (tmp_path / "reports").exists()


@pytest.mark.slow  # renders two reports
def test_report_renders_unverified_or_unlisted_assessments_when_asked_or_noted(results, tmp_path):
    copy = tampered(results, tmp_path)
    one = ["--city", "changchun", "--jobs", "1"]
    asked = run("report", copy, "-o", tmp_path / "a", "--unverified", *one)
    assert asked.exit_code == 0, asked.output
    assert (tmp_path / "a" / "changchun-2025.pdf").exists()
    (copy / "manifest.json").unlink()
    alone = run("report", copy, "-o", tmp_path / "b", *one)
    assert alone.exit_code == 0, alone.output
    assert "beautycity score" in alone.output  # the note: no manifest to check against
    assert (tmp_path / "b" / "changchun-2025.pdf").exists()


def test_workbooks_beautycity_writes_ask_for_no_recalculation(tmp_path):
    made = Filled(tmp_path).source("changchun")
    with zipfile.ZipFile(made) as archive:
        book = archive.read("xl/workbook.xml")
    assert b'fullCalcOnLoad="1"' not in book


def test_a_file_one_may_not_read_is_a_problem_not_a_bug(year2025, tmp_path, monkeypatch):
    def denied(path=None):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "indicators/x.yaml")

    monkeypatch.setattr(pipeline, "load_scheme", denied)
    result = run("score", year2025, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "run.no-access" in result.output and "x.yaml" in result.output
    assert "internal" not in result.output
