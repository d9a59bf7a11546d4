"""The `beautycity` command: a thin shell over the library, one module per group of commands."""

from __future__ import annotations

import click

from .common import Main, handles_problems, use_workspace, workspace_option
from .demo_cmds import demo, init
from .report_cmds import doctor, report
from .scheme_cmds import cities, scheme
from .scheme_tools_cmds import diff, export
from .score_cmds import score
from .serve_cmds import serve
from .status_cmds import status
from .workbook_cmds import template, validate


@click.group(
    cls=Main,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="beautycity", prog_name="beautycity")
@workspace_option
@click.pass_context
@handles_problems
def main(ctx: click.Context, workspace: str | None) -> None:
    """beautycity — 美丽城市评估 / beautiful-city assessment for Jilin province.

    Yearly workflow: edit the scheme → `template --all` → collect workbooks →
    `validate` → `score` → `report`. Inside a folder made by `init` (or with --workspace),
    every command takes its scheme, units, year, deadline and language from beautycity.toml.
    """
    use_workspace(ctx, workspace)


scheme.add_command(diff)
scheme.add_command(export)
main.add_command(scheme)
main.add_command(cities)
main.add_command(template)
main.add_command(validate)
main.add_command(status)
main.add_command(score)
main.add_command(report)
main.add_command(doctor)
main.add_command(demo)
main.add_command(init)
main.add_command(serve)
