"""`beautycity score`: validate, assess, write the results, print a summary."""

from __future__ import annotations

from pathlib import Path

import click

from ..texts import pick, tr
from .common import (
    MethodChoice,
    cities_option,
    handles_problems,
    lang_option,
    print_problems,
    scheme_option,
    stderr,
    stdout,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o", "--out", required=True, type=click.Path(file_okay=False), help="Results folder."
)
@click.option(
    "--previous",
    type=click.Path(exists=True),
    help="Results folder (or assessment.json) of an earlier year, for change and trends.",
)
@click.option(
    "--weighting",
    type=MethodChoice("weighting"),
    help="Override the scheme's weighting method.",
)
@click.option(
    "--aggregation",
    type=MethodChoice("aggregation"),
    help="Override the scheme's aggregation method.",
)
@click.option(
    "--normalisation",
    type=MethodChoice("normalisation", override=True),
    help="Score every scaled indicator by this data-driven method instead of the scheme's.",
)
@click.option(
    "--missing", type=click.Choice(["renormalise", "zero"]), help="Rule for empty optional values."
)
@click.option(
    "--robustness",
    type=click.IntRange(min=1),
    help="Monte Carlo replications of the method choices (rank intervals, grade odds).",
)
@click.option("--seed", type=int, help="Seed of the robustness analysis (default: the scheme's).")
@scheme_option
@cities_option
@lang_option
@handles_problems
def score(
    paths: tuple[str, ...],
    out: str,
    previous: str | None,
    weighting: str | None,
    aggregation: str | None,
    normalisation: str | None,
    missing: str | None,
    robustness: int | None,
    seed: int | None,
    scheme_path: str | None,
    cities_dir: str | None,
    lang: str,
) -> None:
    """Validate the workbooks in PATHS, score them and write RESULTS. 评分并输出结果。

    Writes assessment.json, assessment.xlsx and manifest.json. Any invalid workbook: every
    problem is listed, nothing is written, exit 1.
    """
    from rich.table import Table

    from ..assessment import rules
    from ..pipeline import score_submissions
    from ..submission.read import ValidationReport

    def validated(report: ValidationReport) -> None:
        stderr().print(tr("score.validated", lang, " / ", n=len(report.files)))
        if report.valid and report.problems:
            print_problems(report.problems, lang)

    with stderr().status(tr("score.scoring", lang, " / ")):
        outcome = score_submissions(
            paths,
            Path(out),
            scheme_path=scheme_path,
            cities_dir=cities_dir,
            previous=previous,
            overrides={
                "weighting": weighting,
                "aggregation": aggregation,
                "normalisation": normalisation,
                "missing": missing,
            },
            validated=validated,
            robustness=robustness,
            seed=seed,
        )
    doc, scheme = outcome.doc, outcome.scheme
    # One name in the title, Chinese unless --lang en: the table below is wide already.
    name = scheme.name.en if lang == "en" else scheme.name.zh
    table = Table(title=f"{name} · {doc.year}", title_justify="left", header_style="bold")
    for column, justify in (
        ("rank", "right"),
        ("unit", "left"),
        ("positioning", "left"),
        ("total", "right"),
        ("grade", "left"),
        ("weakest", "left"),
    ):
        table.add_column(tr(f"score.columns.{column}", lang), justify=justify)  # type: ignore[arg-type]
    intervals = {r.id: r for r in doc.robustness.units} if doc.robustness else {}
    if intervals:
        table.add_column(tr("score.columns.interval", lang), justify="center")
    grades = {g.id: g.name for g in scheme.grades}
    for u in doc.units:
        weakest = scheme.dimension[rules.weakest(u.dimensions)].name
        pos = scheme.positioning[u.positioning].name
        veto = " ⚑" if u.vetoes else ""
        table.add_row(
            str(u.rank),
            pick(u.short.zh, u.short.en, lang),
            pick(pos.zh, pos.en, lang),
            f"{u.total:.1f}",
            pick(grades[u.grade].zh, grades[u.grade].en, lang) + veto,
            pick(weakest.zh, weakest.en, lang),
            *([f"{intervals[u.id].p5:.0f}–{intervals[u.id].p95:.0f}"] if intervals else []),
        )
    stdout().print(table)
    if any(u.vetoes for u in doc.units):
        stdout().print(f"⚑ {tr('score.veto', lang, ' / ')}", style="dim")
    for path in outcome.written:
        stdout().print(f"[green]✓[/green] {path}")
