"""The `beautycity` command: a thin shell over the library, one module per group of commands."""

from __future__ import annotations

import click

from .common import Main, handles_problems, use_workspace, workspace_option

# Each command and where it is: its module is imported when the command runs.
COMMANDS = {
    "scheme": "scheme_cmds:scheme",
    "cities": "scheme_cmds:cities",
    "template": "workbook_cmds:template",
    "validate": "workbook_cmds:validate",
    "status": "status_cmds:status",
    "score": "score_cmds:score",
    "report": "report_cmds:report",
    "doctor": "report_cmds:doctor",
    "demo": "demo_cmds:demo",
    "init": "demo_cmds:init",
    "serve": "serve_cmds:serve",
}


@click.group(
    cls=Main,
    lazy=COMMANDS,
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
