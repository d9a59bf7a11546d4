"""`beautycity status`: every unit of the roster against a folder of workbooks, and the deadline;
files a folder search passes over are named with the reason (also by `validate`)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from beautycity.cli import main
from beautycity.submission.skipped import skip_reason, skipped_files
from beautycity.submission.status import submission_status

from .fixtures_workbook import INPUT, edit, layout_for, roster, scheme
from .test_score import filled

DEADLINE = "2026-03-31"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path]:
    """Every unit's filled workbook for 2025, and Yanbian's for 2024."""
    base = tmp_path_factory.mktemp("status")
    return filled(base, 2025), filled(base, 2024, ("yanbian",))


@pytest.fixture
def inbox(made, tmp_path) -> Path:
    """A fresh copy of the complete 2025 folder, to break in one way."""
    return Path(shutil.copytree(made[0], tmp_path / "submissions"))


def status(*args: object):
    return CliRunner().invoke(main, ["status", *map(str, args)])


def as_json(folder: Path, *args: object) -> tuple[int, dict]:
    result = status(folder, "--year", 2025, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def states(found: dict) -> dict[str, str]:
    return {u["id"]: u["state"] for u in found["units"]}


def test_every_unit_valid_exits_0_with_the_days_left(inbox):
    result = status(inbox, "--year", 2025, "--deadline", DEADLINE, "--today", "2026-03-20")
    assert result.exit_code == 0, result.output
    assert "11 day(s) left" in result.stdout and "2026-03-31" in result.stdout
    assert "11 unit(s): 11 valid" in result.stdout


def test_a_missing_unit_is_listed_and_exits_1(inbox):
    (inbox / "yanbian-2025.xlsx").unlink()
    code, found = as_json(inbox, "--deadline", DEADLINE, "--today", "2026-04-02")
    assert code == 1
    assert states(found)["yanbian"] == "missing"
    assert sum(s == "valid" for s in states(found).values()) == 10
    assert found["complete"] is False
    assert (found["deadline"], found["today"], found["days_left"]) == (DEADLINE, "2026-04-02", -2)
    text = status(inbox, "--year", 2025, "--deadline", DEADLINE, "--today", "2026-04-02")
    assert text.exit_code == 1
    assert "Yanbian" in text.stdout and "1 missing" in text.stdout
    assert "2 day(s) overdue" in text.stdout


def test_two_workbooks_for_one_unit_are_a_duplicate(inbox):
    shutil.copy(inbox / "jilin-2025.xlsx", inbox / "jilin-again.xlsx")
    code, found = as_json(inbox)
    assert code == 1
    jilin = next(u for u in found["units"] if u["id"] == "jilin")
    assert jilin["state"] == "duplicate" and len(jilin["files"]) == 2
    assert sum(s == "valid" for s in states(found).values()) == 10


def test_a_workbook_for_another_year_is_the_wrong_year(inbox, made):
    (inbox / "yanbian-2025.xlsx").unlink()
    shutil.copy(made[1] / "yanbian-2024.xlsx", inbox)
    code, found = as_json(inbox)
    assert code == 1
    assert states(found)["yanbian"] == "wrong_year"
    yanbian = next(f for f in found["files"] if f["city"] == "yanbian")
    assert yanbian["year"] == 2024
    assert [p["code"] for p in yanbian["problems"]] == ["structure.wrong-year"]


def test_an_invalid_workbook_counts_its_errors(inbox):
    ref = layout_for("baishan").items[0].ref("value")
    edit(inbox / "baishan-2025.xlsx", lambda wb: wb[INPUT].__setitem__(ref, "lots"))
    code, found = as_json(inbox)
    assert code == 1
    baishan = next(u for u in found["units"] if u["id"] == "baishan")
    assert baishan["state"] == "invalid" and baishan["errors"] == 1


def test_a_file_naming_no_unit_is_shown_apart(inbox):
    (inbox / "notes.xlsx").write_text("not a workbook")
    code, found = as_json(inbox)
    assert code == 0  # every unit has its valid workbook; the stray file is shown
    assert [(Path(f["file"]).name, f["state"]) for f in found["files"] if not f["city"]] == [
        ("notes.xlsx", "unassigned")
    ]
    text = status(inbox, "--year", 2025)
    assert "notes.xlsx" in text.stdout


def skipped_into(folder: Path) -> dict[str, str]:
    """A file of each kind a folder search passes over; name → the code expected for it."""
    shutil.move(folder / "siping-2025.xlsx", folder / "siping-2025.xlsx ")
    shutil.copy(folder / "jilin-2025.xlsx", folder / ".jilin-2025.xlsx")
    shutil.copy(folder / "baishan-2025.xlsx", folder / "tonghua-2025.xlsx.zip")
    (folder / "~$changchun-2025.xlsx").write_bytes(b"\x00" * 165)
    (folder / "readme.txt").write_text("收到的报表")
    return {
        "siping-2025.xlsx ": "submission.skipped-name",
        ".jilin-2025.xlsx": "submission.skipped-hidden",
        "tonghua-2025.xlsx.zip": "submission.skipped-archive",
        "~$changchun-2025.xlsx": "submission.skipped-lock",
        "readme.txt": "submission.skipped-other",
    }


def test_skipped_files_are_named_with_the_reason(inbox):
    expected = skipped_into(inbox)
    code, found = as_json(inbox)
    assert code == 1  # Siping's only workbook is misnamed: Siping is missing
    assert states(found)["siping"] == "missing"
    assert {Path(p["location"]["file"]).name: p["code"] for p in found["skipped"]} == expected
    assert all(p["severity"] == "note" and p["fix_en"] for p in found["skipped"])
    text = status(inbox, "--year", 2025, "--lang", "en")
    for name in expected:
        assert name.strip() in text.stdout
    assert "changchun-2025.xlsx' is open" in text.stdout  # the lock file names its workbook


def test_validate_says_which_files_it_skipped(inbox):
    expected = skipped_into(inbox)
    result = CliRunner().invoke(main, ["validate", str(inbox)])
    assert result.exit_code == 0, result.output  # notes only: the workbooks read are valid
    for code in expected.values():
        assert code in result.output
    shown = CliRunner().invoke(main, ["validate", str(inbox), "--format", "json"])
    found = json.loads(shown.stdout)
    assert sorted(p["code"] for p in found["skipped"]) == sorted(expected.values())


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("~$a.xlsx", "lock"),
        (".~lock.a.xlsx#", "lock"),
        (".a.xlsx", "hidden"),
        ("a.xlsx ", "name"),
        ("a.XLSX.", "name"),
        ("a.xlsx.zip", "archive"),
        ("a.rar", "archive"),
        ("a.pdf", "other"),
    ],
)
def test_skip_reasons(name, reason):
    assert skip_reason(Path(name)) == reason


def test_nothing_a_search_reads_is_called_skipped(inbox):
    (inbox / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # read, refused
    assert skipped_files([inbox]) == ()
    assert skipped_files([inbox / "jilin-2025.xlsx"]) == ()  # a file named is read


def test_the_library_counts_days_from_the_today_given(inbox):
    found = submission_status(inbox, scheme(), roster(), today=date(2026, 3, 31))
    assert found.year == 2025 and found.year_inferred  # from the workbooks
    assert found.days_left is None and found.complete
    found = submission_status(
        inbox, scheme(), roster(), 2025, deadline=date(2026, 3, 31), today=date(2026, 3, 31)
    )
    assert found.days_left == 0 and not found.year_inferred
    assert [u.id for u in found.units] == [u.id for u in roster()]


def test_the_default_folder_is_submissions_here(inbox, monkeypatch):
    monkeypatch.chdir(inbox.parent)
    result = status("--year", 2025, "--format", "json")
    assert result.exit_code == 0, result.output
    assert Path(json.loads(result.stdout)["folder"]).name == "submissions"


def test_no_such_folder_is_a_problem_not_a_crash(tmp_path):
    result = status(tmp_path / "nowhere", "--year", 2025)
    assert result.exit_code == 1
    assert "file.missing" in result.output and "run.internal-error" not in result.output


def test_a_bad_deadline_is_a_usage_error(inbox):
    assert status(inbox, "--deadline", "31/03/2026").exit_code == 2
