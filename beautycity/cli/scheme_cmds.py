"""`beautycity scheme check|show` and `beautycity cities`."""

from __future__ import annotations

import json

import click

from ..texts import pick
from .common import cities_option, format_option, handles_problems, lang_option, stdout


@click.group()
def scheme() -> None:
    """Check or show an indicator scheme. 检查或查看指标体系。"""


@scheme.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@cities_option
@lang_option
@format_option
@handles_problems
def check(file: str | None, cities_dir: str | None, lang: str, fmt: str) -> None:
    """Check a scheme FILE (default: the bundled one) and the unit profiles against it."""
    from ..cities import load_roster
    from ..scheme.load import load_scheme

    loaded = load_scheme(file)
    roster = load_roster(cities_dir, loaded)
    if fmt == "json":
        click.echo(json.dumps({"valid": True, "problems": []}))
        return
    stdout().print(
        f"[green]✓[/green] {loaded.name.zh} / {loaded.name.en} v{loaded.version}: "
        f"{len(loaded.dimensions)} dimensions, {len(loaded.indicators)} indicators, "
        f"{len(loaded.positionings)} positionings, {len(roster)} units — no problems / 未发现问题"
    )


@scheme.command("show")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--positioning", "-p", help="Show what a unit of this positioning is scored on.")
@click.option("--unit", "-u", "unit_id", help="Show what this unit is scored on.")
@cities_option
@lang_option
@format_option
@handles_problems
def show(
    file: str | None,
    positioning: str | None,
    unit_id: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Show the indicators, effective weights and targets for one positioning or unit."""
    from rich.table import Table

    from ..cities import load_roster
    from ..scheme.effective import effective_scheme
    from ..scheme.load import load_scheme
    from ..scheme.views import scheme_rows

    loaded = load_scheme(file)
    if positioning and unit_id:
        raise click.UsageError("give --positioning or --unit, not both")
    if unit_id:
        positioning = load_roster(cities_dir, loaded)[unit_id].positioning
    if positioning is None:
        positioning = loaded.positionings[0].id
    if positioning not in loaded.positioning:
        known = ", ".join(loaded.positioning)
        raise click.BadParameter(f"unknown positioning {positioning!r}; known: {known}")
    eff = effective_scheme(loaded, positioning)
    rows = scheme_rows(eff)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    pos = eff.positioning
    title = f"{loaded.name.zh} · {pos.name.zh}  /  {loaded.name.en} · {pos.name.en}"
    table = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    table.add_column("code\n编码", no_wrap=True)
    table.add_column("indicator\n指标", min_width=28, ratio=1)
    table.add_column("unit\n单位", no_wrap=True)
    table.add_column("dir\n方向", justify="center", no_wrap=True)
    table.add_column("weight %\n权重", justify="right", no_wrap=True)
    table.add_column(f"target {loaded.target_year}\n目标", justify="right", no_wrap=True)
    table.add_column("other years\n其他年份", no_wrap=True)
    table.add_column("note\n说明", min_width=12)
    current = None
    for row in rows:
        if row["dimension"] != current:
            current = row["dimension"]
            table.add_row(
                f"[bold]{row['dimension_code']}[/bold]",
                f"[bold]{current}[/bold]",
                "",
                "",
                f"[bold]{row['dimension_weight']:.1f}[/bold]",
                "",
                "",
                "",
            )
        table.add_row(
            row["code"],
            pick(row["name_zh"], row["name_en"], lang, sep="\n"),
            row["unit"],
            row["direction"],
            f"{row['weight']:.2f}",
            row["target"],
            row["other_targets"],
            pick(row["note_zh"], row["note_en"], lang, sep="\n"),
        )
    stdout().print(table)
    stdout().print(f"{pos.description.zh}\n{pos.description.en}", style="dim")


@click.command()
@click.option("--scheme", "scheme_path", default=None, help="Scheme to check positionings against.")
@cities_option
@lang_option
@format_option
@handles_problems
def cities(scheme_path: str | None, cities_dir: str | None, lang: str, fmt: str) -> None:
    """List the assessed units and their positioning. 列出评估单元及其定位。"""
    from rich.table import Table

    from ..cities import load_roster, roster_rows
    from ..scheme.load import load_scheme

    loaded = load_scheme(scheme_path)
    rows = roster_rows(load_roster(cities_dir, loaded), loaded)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(header_style="bold")
    for column in ("id", "名称 name", "代码 code", "定位 positioning"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["id"],
            pick(r["name_zh"], r["name_en"], lang),
            r["code"] or "—",
            pick(r["positioning_zh"], r["positioning_en"], lang),
        )
    stdout().print(table)
