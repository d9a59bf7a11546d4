"""`beautycity demo` (the whole chain on the embedded sample) and `beautycity init`."""

from __future__ import annotations

from pathlib import Path

import click

from ..texts import pick
from .common import handles_problems, jobs_option, lang_option, stderr, stdout

STAGES = {
    "workbooks": (
        "填报表：生成并按示例数据填写",
        "Workbooks: generated and filled with the sample",
    ),
    "score": ("校验并评分", "Validated and scored"),
    "reports": ("报告", "Reports"),
}


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
    """Run the whole chain on the embedded Jilin sample (2023 and 2024). 演示完整流程。

    Templates, workbooks filled as cities submit them, validation, scoring with trends and a
    robustness analysis, and the reports — all into OUT. Sample data are largely
    illustrative; see docs/sample-data.md for the real figures and their sources.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..pipeline import run_demo

    folder = Path(out)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr()) as bar:
        tasks = {
            stage: bar.add_task(pick(zh, en, lang), total=None, start=False)
            for stage, (zh, en) in STAGES.items()
        }

        def progress(stage: str, done: int, total: int) -> None:
            bar.start_task(tasks[stage])
            bar.update(tasks[stage], completed=done, total=total)

        outcome = run_demo(folder, lang=lang, progress=progress, jobs=jobs)
    table = Table(title=pick("已写入", "Written", lang), title_justify="left", header_style="bold")
    table.add_column(pick("内容", "what", lang))
    table.add_column(pick("位置", "where", lang))
    table.add_column(pick("数量", "files", lang), justify="right")
    for what, where, n in (
        (("填报模板", "templates"), folder / "templates", len(outcome.workbooks)),
        (("已填报的工作簿", "filled workbooks"), folder / "workbooks", len(outcome.workbooks)),
        (("评分结果", "results"), folder / "results", len(outcome.docs)),
        (("报告与整改清单", "reports and action list"), folder / "reports", len(outcome.reports)),
    ):
        table.add_row(pick(*what, lang), str(where), str(n))
    stdout().print(table)
    latest = outcome.docs[max(outcome.docs)]
    for u in latest.units[:3]:
        stdout().print(f"  {u.rank}. {pick(u.short.zh, u.short.en, lang)}  {u.total:.1f}")
    stdout().print(
        pick("示例数据大部分为虚构，仅供演示。", "The sample data are largely illustrative.", lang),
        style="dim",
    )


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@handles_problems
def init(folder: str) -> None:
    """Create an evaluator's working folder with the scheme and units to edit. 初始化工作目录。"""
    from ..workspace import init_workspace

    for path in init_workspace(Path(folder)):
        stdout().print(f"[green]✓[/green] {path}")
    stdout().print(f"README: {Path(folder) / 'README.md'}")
