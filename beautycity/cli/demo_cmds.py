"""`beautycity demo` (the whole chain on the embedded sample) and `beautycity init`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..texts import both, pick, tr
from .common import handles_problems, jobs_option, lang_option
from .output import echo, mark, progress, shown_path, stdout

STAGES = ("workbooks", "score", "reports")  # as `run_demo` reports progress; texts in cli.yaml


@click.command()
@click.option(
    "-o",
    "--out",
    default="demo-output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for everything the demo writes.",
)
@lang_option
@jobs_option
@handles_problems
def demo(out: str, lang: str, jobs: int | None) -> None:
    """Run the whole chain on the embedded Jilin samples (2023 and 2024). 演示完整流程。

    Templates, workbooks filled as cities submit them, validation, scoring with trends and a
    robustness analysis, and the reports — for the prefecture-level units into OUT, and for
    the county-level units (their own scheme) into OUT/county. Sample data are largely
    illustrative; see docs/sample-data.md for the real figures and their sources.
    """
    from rich.table import Table

    from ..demo import run_demo

    folder = Path(out)
    with progress({stage: tr(f"demo.stages.{stage}", lang) for stage in STAGES}) as tell:
        outcome = run_demo(folder, lang=lang, progress=tell, jobs=jobs)
    table = Table(title=tr("demo.written", lang), title_justify="left", header_style="bold")
    table.add_column(tr("column", lang, group="levels"))
    table.add_column(tr("demo.what", lang))
    table.add_column(tr("demo.where", lang))
    table.add_column(tr("demo.files", lang), justify="right")
    for lv in outcome.levels:
        name = tr(f"names.{lv.level}", lang, group="levels")
        for what, n in (
            ("templates", len(lv.workbooks)),
            ("workbooks", len(lv.workbooks)),
            ("results", len(lv.docs)),
            ("reports", len(lv.reports)),
        ):
            table.add_row(name, tr(f"demo.outputs.{what}", lang), str(lv.folder / what), str(n))
            name = ""
        table.add_section()
    stdout().print(table)
    for lv in outcome.levels:
        level = both(f"names.{lv.level}", "levels")
        echo(tr("top", lang, group="levels", level=level))
        for u in lv.docs[max(lv.docs)].units[:3]:
            echo(f"  {u.rank}. {pick(u.short.zh, u.short.en, lang)}  {u.total:.1f}")
    echo(tr("demo.illustrative", lang), dim=True)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=lambda: date.today().year,
    show_default="this year",
    help="The year assessed first; beautycity.toml keeps it. 评估年度。",
)
@handles_problems
def init(folder: str, year: int) -> None:
    """Create an evaluator's working folder with the scheme and units to edit. 初始化工作目录。

    Commands run inside FOLDER then take their defaults from FOLDER/beautycity.toml; its
    README lists the steps of the first year and the next.
    """
    from ..workspace import init_workspace

    for path in init_workspace(Path(folder), year):
        echo(f"{mark('ok')} {shown_path(path)}")
    echo(f"README: {shown_path(Path(folder) / 'README.md')}")
