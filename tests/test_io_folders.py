"""Output folders are published whole: the previous complete set or the new one, never a mix."""

from __future__ import annotations

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
