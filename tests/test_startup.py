"""What the everyday commands load: `validate` and `template` never import pandas, WeasyPrint,
Jinja or the report code, so a data officer's check answers in well under a second; and how
the console script holds the garbage collector off while a command starts."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from beautycity.assessment.document import doc_json
from beautycity.console import FIRST_COLLECTION, hold_first_collection

from .fixtures_assessment import fixture_docs
from .test_score import filled

NEVER = {"pandas", "weasyprint", "jinja2", "beautycity.report"}


def imported(*args: str, cwd: Path | None = None, env: dict | None = None) -> set[str]:
    """The modules a fresh `beautycity ARGS` process imports, from `-X importtime`."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "beautycity", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return {
        line.rpartition("|")[2].strip()
        for line in run.stderr.splitlines()
        if line.startswith("import time:")
    }


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == n or m.startswith(n + ".") for n in NEVER)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("startup")


def test_validate_loads_no_report_or_data_frame_code(folder):
    workbooks = filled(folder, 2025, ("changchun",))
    modules = imported("validate", str(workbooks))
    assert "beautycity.submission.read" in modules  # it did read the workbook
    assert not heavy(modules)


def test_validate_with_its_files_cached_loads_no_yaml_parser_or_table_drawer(folder):
    # ruamel parses only what the cache lacks; rich draws tables and bars, not lines.
    workbooks = filled(folder, 2025, ("jilin",))
    env = {**os.environ, "BEAUTYCITY_CACHE": str(folder / "cache")}
    first = imported("validate", str(workbooks), env=env)
    assert "ruamel.yaml" in first  # an empty cache: every file parsed once
    again = imported("validate", str(workbooks), env=env)
    assert "beautycity.submission.read" in again
    assert not {m for m in again if m.split(".")[0] == "rich" or m.startswith("ruamel.yaml")}


def test_template_with_last_years_values_loads_no_report_code(folder):
    results = folder / "results"
    results.mkdir()
    (results / "assessment.json").write_text(doc_json(fixture_docs()[0]), encoding="utf-8")
    out = folder / "template.xlsx"
    args = ("template", "--city", "changchun", "--year", "2025", "--previous", str(results))
    modules = imported(*args, "-o", str(out))
    assert out.is_file() and "beautycity.workbook.build" in modules
    assert not heavy(modules)


@pytest.mark.parametrize("args", [("--help",), ("validate", "--help"), ("template", "--help")])
def test_help_outside_a_working_folder_loads_no_models(args, folder):
    # What `--help` shows needs click and the texts only: no pydantic, no YAML parser.
    modules = imported(*args, cwd=folder)
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "ruamel", "numpy")}
    assert "beautycity.problems" not in modules and "beautycity.workspace" not in modules


def test_the_first_collection_waits_for_start_up_then_the_thresholds_come_back():
    before, callbacks = gc.get_threshold(), list(gc.callbacks)
    try:
        hold_first_collection()
        assert gc.get_threshold() == (FIRST_COLLECTION, *before[1:])
        gc.collect()  # as the held threshold's end would, once start-up has made its objects
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0  # a long command's objects stay collectable
        gc.set_threshold(5, *before[1:])
        gc.collect()
        assert gc.get_threshold()[0] == 5  # the wait is over: nothing is held again
    finally:
        gc.set_threshold(*before)
        gc.callbacks[:] = callbacks
