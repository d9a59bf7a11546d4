"""`beautycity scheme diff` and `beautycity scheme export`, attached to the `scheme` group."""

from __future__ import annotations

import json

import click

from ..texts import tr
from .common import cities_option, format_option, handles_problems, lang_option, scheme_option


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@lang_option
@format_option
@handles_problems
def diff(old: str, new: str, lang: str, fmt: str) -> None:
    """List what changed from scheme file OLD to NEW: indicators, weights, targets, rules.
    比较两个指标体系文件的差异。A difference is information: the exit code is 0."""
    from ..scheme.diff import diff_lines, diff_schemes
    from ..scheme.load import load_scheme

    found = diff_schemes(load_scheme(old), load_scheme(new))
    if fmt == "json":
        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(diff_lines(found, lang)))


@click.command("export")
@scheme_option
@cities_option
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["xlsx"]),
    default="xlsx",
    show_default=True,
    help="File format of the scoring rules.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="File to write. 输出文件。",
)
@lang_option
@handles_problems
def export(
    scheme_path: str | None, cities_dir: str | None, out_format: str, output: str, lang: str
) -> None:
    """Write the scheme's scoring rules (打分细则) as a workbook to circulate: indicators,
    targets, scoring, weights per positioning, bonuses, deductions, vetoes and grades."""
    from ..cities import load_roster
    from ..outputs.scheme_export import write_scheme_export
    from ..scheme.load import load_scheme

    loaded = load_scheme(scheme_path)
    written = write_scheme_export(output, loaded, load_roster(cities_dir, loaded))
    click.echo(tr("export.written", lang, " / ", group="scheme_tools", file=written))
