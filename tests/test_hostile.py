"""Hostile workbooks (`hostile.py`): each refused with its own clear problem, in bounded time,
while the other workbooks of the same batch are still read.

Time is asserted only against a generous bound, for slow CI machines; the benchmark
`scripts/bench_hostile.py` measures seconds and peak memory per case in fresh processes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from beautycity.problems import Severity, catalogue
from beautycity.submission.read import FileReport, read_submission, read_submissions
from beautycity.workbook.layout import texts

from .fixtures_workbook import Filled, roster, scheme
from .hostile import Hostile
from .hostile_round2 import ALL, BATCHES, write_every

SECONDS = 10
MESSAGE = 1_000  # characters of one problem's texts: values are quoted clipped


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return write_every(folder / "corpus", Filled(folder))


def check(case: Hostile, report: FileReport) -> None:
    errors = [p for p in report.problems if p.severity is Severity.ERROR]
    for problem in report.problems:
        texts_ = problem.zh + problem.en + problem.fix_zh + problem.fix_en
        assert len(texts_) < MESSAGE and texts_.isprintable()
    if case.code is None:
        assert errors == [] and report.submission is not None
        assert case.note is None or case.note in {p.code for p in report.problems}
        return
    if case.many:
        assert {p.code for p in errors} == {case.code} and len(errors) > 1
    else:
        assert [p.code for p in errors] == [case.code]
    assert report.submission is None
    for problem in errors:
        assert problem.code in catalogue()
        assert problem.location.file == report.file
        assert problem.zh and problem.en and problem.fix_zh and problem.fix_en
        assert "{" not in problem.zh + problem.en + problem.fix_zh + problem.fix_en
        if case.code.startswith("cell."):
            assert problem.location.sheet and problem.location.cell
    if case.reason:
        reason = texts()["reasons"][case.reason]
        assert reason["zh"] in errors[0].zh and reason["en"] in errors[0].en


@pytest.mark.slow  # the whole hostile corpus, built and read
@pytest.mark.parametrize("cases", BATCHES, ids=["round-1", "round-2"])
def test_one_batch_refuses_each_hostile_file_and_reads_the_others(corpus, cases):
    report = read_submissions([corpus[c.name] for c in cases], scheme(), roster())
    by_file = {f.file: f for f in report.files}
    assert len(by_file) == len(cases)
    for case in cases:
        check(case, by_file[str(corpus[case.name])])
    assert report.batch == ()
    readable = {c.file_name for c in cases if c.code is None}
    assert {Path(s.file).name for s in report.submissions} == readable


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_each_case_alone_within_bounds(case, corpus):
    start = time.perf_counter()
    report = read_submission(corpus[case.name], scheme(), roster())
    assert time.perf_counter() - start < SECONDS
    check(case, report)
