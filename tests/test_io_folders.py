"""Output folders are published whole: the previous complete set or the new one, never a mix."""

from __future__ import annotations

import errno
import os

import pytest

from beautycity.io import folders
from beautycity.io.folders import output_folder
from beautycity.problems import BeautycityError


def files(path):
    return {p.name: p.read_text() for p in sorted(path.iterdir())}


def test_first_publish_creates_the_folder(tmp_path):
    target = tmp_path / "results"
    with output_folder(target) as stage:
        (stage / "a.txt").write_text("one")
    assert files(target) == {"a.txt": "one"}
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []


def test_a_partial_run_keeps_the_other_files_and_replaces_its_own(tmp_path):
    target = tmp_path / "results"
    with output_folder(target) as stage:
        (stage / "a.txt").write_text("one")
        (stage / "b.txt").write_text("two")
    with output_folder(target) as stage:
        (stage / "b.txt").write_text("TWO")
    assert files(target) == {"a.txt": "one", "b.txt": "TWO"}


def test_a_failed_run_leaves_the_previous_files(tmp_path):
    target = tmp_path / "results"
    with output_folder(target) as stage:
        (stage / "a.txt").write_text("one")
    with pytest.raises(RuntimeError), output_folder(target) as stage:
        (stage / "a.txt").write_text("half-written")
        raise RuntimeError("killed")
    assert files(target) == {"a.txt": "one"}
    assert not any("staging" in p.name for p in tmp_path.iterdir())


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    target = tmp_path / "results"
    with output_folder(target), pytest.raises(BeautycityError) as info, output_folder(target):
        pass
    assert info.value.problems[0].code == "run.locked"


def test_without_an_atomic_exchange_the_next_run_repairs_an_interrupted_swap(tmp_path, monkeypatch):
    target = tmp_path / "results"
    with output_folder(target) as stage:
        (stage / "a.txt").write_text("one")
    # the state a kill between the two renames leaves: the old folder aside, none in place
    os.rename(target, tmp_path / ".results.old")
    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    with output_folder(target) as stage:
        assert files(stage) == {"a.txt": "one"}  # recovered before the run began
        (stage / "b.txt").write_text("two")
    assert files(target) == {"a.txt": "one", "b.txt": "two"}
    assert not (tmp_path / ".results.old").exists()


def test_published_results_are_not_private(tmp_path):
    from beautycity.io.atomic import write_atomic

    old = os.umask(0o022)
    try:
        target = tmp_path / "results"
        with output_folder(target) as stage:
            write_atomic(stage / "a.txt", lambda p: p.write_text("one"))
        assert target.stat().st_mode & 0o777 == 0o755
        assert (target / "a.txt").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def refused(target) -> str:
    with pytest.raises(BeautycityError) as info, output_folder(target):
        pass
    (problem,) = info.value.problems
    return problem.code


@pytest.mark.parametrize("name", ["results.xlsx", "report.PDF", "assessment.json"])
def test_a_name_like_a_file_is_refused(tmp_path, name):
    assert refused(tmp_path / name) == "run.output-file-name"
    assert not (tmp_path / name).exists()


def test_an_existing_file_is_refused(tmp_path):
    (tmp_path / "results").write_text("mine")
    assert refused(tmp_path / "results") == "run.output-is-file"
    assert (tmp_path / "results").read_text() == "mine"


def test_a_folder_of_workbooks_and_its_direct_subfolders_are_refused(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "changchun-2025.xlsx").write_bytes(b"")
    assert refused(inbox) == "run.output-among-workbooks"
    assert refused(inbox / "results") == "run.output-among-workbooks"
    assert not (inbox / "results").exists()
    with output_folder(tmp_path / "results"):  # beside the inbox: fine
        pass


def test_outputs_lock_files_and_hidden_files_are_no_submissions(tmp_path):
    target = tmp_path / "reports"
    target.mkdir()
    for name in ("assessment.xlsx", "actions-2025.xlsx", "~$changchun.xlsx", ".hidden.xlsx"):
        (target / name).write_bytes(b"")
    with output_folder(target) as stage:
        (stage / "a.txt").write_text("one")
    with output_folder(target / "again"):  # its parent holds only outputs
        pass


def test_a_protected_folder_is_refused_at_any_depth_while_protected(tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()  # empty: only the protection refuses it
    with folders.protect(submissions):
        assert refused(submissions) == "run.output-in-submissions"
        assert refused(submissions / "2025" / "results") == "run.output-in-submissions"
        with output_folder(tmp_path / "results"):
            pass
    with output_folder(submissions / "2025" / "results"):
        pass


def checked(target, inputs=()) -> str:
    with pytest.raises(BeautycityError) as info:
        folders.check_target(target, swap=True, inputs=inputs)
    return info.value.problems[0].code


def test_the_working_folder_and_the_folders_holding_it_are_checked(tmp_path, monkeypatch):
    here = tmp_path / "work" / "here"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    assert checked(here) == checked(here.parent) == "run.output-working-folder"
    assert checked(tmp_path / "work" / "." / "here") == "run.output-working-folder"
    folders.check_target(here / "results", swap=True)  # below it: fine
    folders.check_target(here)  # written file by file (templates), not swapped: fine


def test_a_folder_holding_the_inputs_is_checked(tmp_path):
    inputs = tmp_path / "in" / "2025"
    inputs.mkdir(parents=True)
    assert checked(tmp_path / "in", [inputs]) == "run.output-holds-inputs"
    assert checked(tmp_path, [inputs / "x.xlsx"]) == "run.output-holds-inputs"
    folders.check_target(tmp_path / "out", swap=True, inputs=[inputs])


def test_a_symlinked_output_folder_is_refused_and_left_alone(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(BeautycityError) as info, output_folder(tmp_path / "link"):
        pass
    assert info.value.problems[0].code == "run.output-symlink"
    assert (tmp_path / "link").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_links_and_pipes_inside_an_output_folder_are_checked(tmp_path):
    target = tmp_path / "results"
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "etc").symlink_to("/etc")
    assert checked(target) == "run.output-odd-entry"
    (target / "sub" / "etc").unlink()
    os.mkfifo(target / "pipe")
    assert checked(target) == "run.output-odd-entry"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (errno.ENOSPC, "run.no-space"),
        (errno.EROFS, "run.not-writable"),
        (errno.EACCES, "run.not-writable"),
    ],
)
def test_a_full_disk_or_an_unwritable_folder_is_a_problem_and_keeps_the_results(
    tmp_path, number, code
):
    target = tmp_path / "results"
    with output_folder(target) as stage:
        (stage / "a.txt").write_text("one")
    with pytest.raises(BeautycityError) as info, output_folder(target) as stage:
        raise OSError(number, os.strerror(number), str(stage / "a.txt"))
    assert [p.code for p in info.value.problems] == [code]
    assert files(target) == {"a.txt": "one"}
    assert not any("staging" in p.name for p in tmp_path.iterdir())


def test_a_refused_read_elsewhere_is_no_matter_of_the_output_folder(tmp_path):
    with pytest.raises(PermissionError), output_folder(tmp_path / "results"):
        raise PermissionError(13, "Permission denied", "/somewhere/else/font.ttf")
