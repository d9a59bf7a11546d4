"""`beautycity template` and `beautycity validate`: hand out workbooks and check what comes back."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..texts import tr
from .common import (
    cities_option,
    format_option,
    handles_problems,
    lang_option,
    print_problems,
    scheme_option,
    stdout,
)

if TYPE_CHECKING:
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
@click.option("--deadline", help="Deadline shown on the cover, e.g. 2026-03-31. 报送截止日期。")
@click.option(
    "--previous",
    type=click.Path(exists=True, path_type=Path),
    help="Last year's results folder: its values are shown as last year's. 上年评估结果。",
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
    deadline: str | None,
    previous: Path | None,
    scheme_path: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Generate the Excel template(s) a unit fills in for YEAR. 生成填报模板。"""
    from ..assessment.document import load_assessment, previous_values
    from ..cities import load_roster
    from ..scheme.load import load_scheme
    from ..workbook.build import template_name, write_template, write_templates

    if bool(city_id) == all_units:
        raise click.UsageError(tr("template.city_or_all", lang, " / "))
    loaded = load_scheme(scheme_path)
    roster = load_roster(cities_dir, loaded)
    last = previous_values(load_assessment(previous)) if previous else {}
    if all_units:
        if output.exists() and not output.is_dir():
            raise click.BadParameter(tr("template.all_needs_folder", lang, " / "), param_hint="-o")
        written = write_templates(output, loaded, roster, year, deadline=deadline, previous=last)
    else:
        assert city_id is not None
        if city_id not in roster:
            known = ", ".join(u.id for u in roster)
            shown = tr("unknown_unit", lang, " / ", value=city_id, known=known)
            raise click.BadParameter(shown, param_hint="--city")
        unit = roster[city_id]
        target = output / template_name(unit, year) if output.is_dir() else output
        written = [
            write_template(
                target, loaded, unit, year, deadline=deadline, previous=last.get(unit.id)
            )
        ]
    if fmt == "json":
        click.echo(json.dumps([str(p) for p in written], ensure_ascii=False, indent=2))
        return
    for path in written:
        stdout().print(f"[green]✓[/green] {path}")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--city", "expect_city", help="Every workbook must be for this unit. 应属单元。")
@click.option("--year", "expect_year", type=int, help="Every workbook must be for this year.")
@scheme_option
@cities_option
@lang_option
@format_option
@handles_problems
def validate(
    paths: tuple[Path, ...],
    expect_city: str | None,
    expect_year: int | None,
    scheme_path: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Check filled workbooks (files or folders); list every problem. 检查填报的工作簿。

    Exit status: 0 all valid, 1 problems found, 2 wrong usage.
    """
    from ..cities import load_roster
    from ..scheme.load import load_scheme
    from ..submission.read import read_submissions

    loaded = load_scheme(scheme_path)
    roster = load_roster(cities_dir, loaded)
    if expect_city is not None and expect_city not in roster:
        known = ", ".join(u.id for u in roster)
        shown = tr("unknown_unit", lang, " / ", value=expect_city, known=known)
        raise click.BadParameter(shown, param_hint="--city")
    report = read_submissions(
        paths, loaded, roster, expect_city=expect_city, expect_year=expect_year
    )
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(report, lang)
    sys.exit(0 if report.valid else 1)


def _print_report(report: ValidationReport, lang: str) -> None:

    print_problems(report.problems, lang)
    for f in report.files:
        if f.valid and f.submission is not None:
            s = f.submission
            values = tr("validate.values", lang, " / ", n=len(s.values))
            stdout().print(f"[green]✓[/green] {f.file}: {s.city} {s.year}, {values}")
    n, files = len(report.errors), len(report.files)
    if n:
        stdout().print(f"[red]{tr('validate.problems', lang, ' / ', n=n, files=files)}[/red]")
    else:
        stdout().print(f"[green]{tr('validate.valid', lang, ' / ', files=files)}[/green]")
