"""`beautycity template` and `beautycity validate`: hand out workbooks and check what comes back."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..texts import tr
from .common import (
    IsoDate,
    cities_option,
    format_option,
    handles_problems,
    lang_option,
    scheme_option,
)
from .output import echo, mark, print_problems, shown_path

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..problems import Problem
    from ..submission.read import ValidationReport


@click.command()
@click.option("--city", "city_id", help="Unit id (see `beautycity cities`). 评估单元。")
@click.option("--all", "all_units", is_flag=True, help="One template for every unit. 全部单元。")
@click.option("--year", type=int, required=True, help="Assessment year. 评估年度。")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The .xlsx file (--city) or a folder (--all). 输出文件或目录。",
)
@click.option(
    "--deadline", type=IsoDate(), help="Deadline on the cover, e.g. 2026-03-31. 报送截止日期。"
)
@click.option(
    "--previous",
    type=click.Path(exists=True, path_type=Path),
    help="Last year's results folder: its values are shown as last year's. 上年评估结果。",
)
@click.option(
    "--carry-over",
    "carry",
    type=click.Path(exists=True, path_type=Path),
    help="A workbook (--city) or folder of workbooks (--all) filled in for this year under an "
    "older scheme version: its unchanged values are filled in. 按旧版填报表带入数值。",
)
@click.option(
    "--old-scheme",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The scheme those workbooks were made for (default: carry by code and unit). 旧版体系。",
)
@scheme_option
@cities_option
@lang_option
@format_option
@handles_problems
def template(
    city_id: str | None,
    all_units: bool,
    year: int,
    output: Path,
    deadline: date | None,
    previous: Path | None,
    carry: Path | None,
    old_scheme: Path | None,
    scheme_path: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Generate the Excel template(s) a unit fills in for YEAR. 生成填报模板。"""
    from ..assessment.document import load_assessment, previous_values
    from ..cities import load_roster
    from ..io.folders import check_target
    from ..problems import Location
    from ..scheme.load import load_scheme
    from ..submission.carry import carry_into
    from ..submission.status import check_deadline
    from ..workbook.build import template_name, write_template, write_templates

    if bool(city_id) == all_units:
        raise click.UsageError(tr("template.city_or_all", lang, " / "))
    if deadline is not None:
        check_deadline(deadline, year)
    shown_deadline = deadline.isoformat() if deadline else None
    loaded = load_scheme(scheme_path)
    roster = load_roster(cities_dir, loaded)
    last = previous_values(load_assessment(previous)) if previous else {}
    if all_units:
        if output.exists() and not output.is_dir():
            raise click.BadParameter(tr("template.all_needs_folder", lang, " / "), param_hint="-o")
        check_target(output)  # a folder: never one named t6.xlsx, never among submissions
        written = write_templates(
            output, loaded, roster, year, deadline=shown_deadline, previous=last
        )
        units = list(roster)
    else:
        assert city_id is not None
        unit = roster.find(city_id, Location(path="--city"))
        units = [unit]
        target = output / template_name(unit, year) if output.is_dir() else output
        written = [
            write_template(
                target, loaded, unit, year, deadline=shown_deadline, previous=last.get(unit.id)
            )
        ]
    old = load_scheme(old_scheme) if old_scheme else None
    carried = carry_into(written, units, carry, old, loaded, roster, year) if carry else []
    if fmt == "json":
        click.echo(json.dumps([str(p) for p in written], ensure_ascii=False, indent=2))
        return
    for path in written:
        echo(f"{mark('ok')} {shown_path(path)}")
    for c in carried:
        echo(tr("carry.summary", lang, " / ", group="scheme_tools", **c.summary()))
        if c.problems:
            print_problems(c.problems, lang)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--city", "expect_city", help="Every workbook must be for this unit. 应属单元。")
@click.option("--year", "expect_year", type=int, help="Every workbook must be for this year.")
@click.option(
    "--feedback",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a feedback workbook per unit and a summary into this folder. 校验意见目录。",
)
@scheme_option
@cities_option
@lang_option
@format_option
@handles_problems
def validate(
    paths: tuple[Path, ...],
    expect_city: str | None,
    expect_year: int | None,
    feedback: Path | None,
    scheme_path: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Check filled workbooks (files or folders); list every problem. 检查填报的工作簿。

    Files a folder holds that are not read (lock files, hidden files, misnamed workbooks,
    archives, other files) are listed, each with the reason. With --feedback, the problems
    go into one 校验意见 workbook per unit, to send back, and a summary for the office.
    Exit status: 0 all valid, 1 problems found, 2 wrong usage.
    """
    from ..cities import load_roster
    from ..problems import Location
    from ..scheme.load import load_scheme
    from ..submission.read import read_submissions
    from ..submission.skipped import skipped_files

    loaded = load_scheme(scheme_path)
    roster = load_roster(cities_dir, loaded)
    if expect_city is not None:
        expect_city = roster.find(expect_city, Location(path="--city")).id
    report = read_submissions(
        paths, loaded, roster, expect_city=expect_city, expect_year=expect_year
    )
    skipped = skipped_files(paths)
    written: list[Path] = []
    if feedback is not None:
        from ..outputs.feedback import write_feedback

        written = write_feedback(feedback, report, roster, year=expect_year, skipped=skipped)
    if fmt == "json":
        # The library's report, and what this command adds only when there is any.
        shown = report.as_json()
        if skipped:
            shown["skipped"] = [p.model_dump(mode="json") for p in skipped]
        if feedback is not None:
            shown["feedback"] = [str(p) for p in written]
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        _print_report(report, skipped, lang)
        for path in written:
            echo(f"{mark('ok')} {shown_path(path)}")
    sys.exit(0 if report.valid else 1)


def _print_report(report: ValidationReport, skipped: Sequence[Problem], lang: str) -> None:
    print_problems([*report.problems, *skipped], lang)
    for f in report.files:
        if f.valid and f.submission is not None:
            s = f.submission
            values = tr("validate.values", lang, " / ", n=len(s.values))
            echo(f"{mark('ok')} {shown_path(f.file)}: {s.city} {s.year}, {values}")
    n, files = len(report.errors), len(report.files)
    if n:
        echo(tr("validate.problems", lang, " / ", n=n, files=files), fg="red")
    else:
        echo(tr("validate.valid", lang, " / ", files=files), fg="green")
