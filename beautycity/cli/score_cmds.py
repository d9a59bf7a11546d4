"""`beautycity score`: validate, assess, write the results, print a summary."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..texts import pick, tr
from .common import (
    MethodChoice,
    cities_option,
    format_option,
    handles_problems,
    lang_option,
    scheme_option,
)
from .output import echo, mark, print_problems, shown_path, stdout, working


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
    "--ledger",
    type=click.Path(exists=True, dir_okay=False),
    help="That year's rectification ledger (actions-<year>.xlsx) with the progress the office "
    "recorded, for the follow-up; needs --previous.",
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
    # The bounds of `RobustnessSpec.replications` (a test keeps the two equal); not imported,
    # so that loading the command line stays fast.
    type=click.IntRange(min=100, max=1_000_000),
    help="Monte Carlo replications of the method choices (rank intervals, grade odds).",
)
@click.option("--seed", type=int, help="Seed of the robustness analysis (default: the scheme's).")
@click.option("--year", type=int, help="Every workbook must be for this year. 评估年度。")
@click.option(
    "--partial",
    is_flag=True,
    help="Score even when units of the roster sent no workbook; the results name them.",
)
@scheme_option
@cities_option
@lang_option
@format_option
@handles_problems
def score(
    paths: tuple[str, ...],
    out: str,
    previous: str | None,
    ledger: str | None,
    weighting: str | None,
    aggregation: str | None,
    normalisation: str | None,
    missing: str | None,
    robustness: int | None,
    seed: int | None,
    year: int | None,
    partial: bool,
    scheme_path: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Validate the workbooks in PATHS, score them and write RESULTS. 评分并输出结果。

    Writes assessment.json, assessment.xlsx and manifest.json. Any invalid workbook, or a
    unit of the roster without one (unless --partial): every problem is listed, nothing is
    written, exit 1.
    """
    from rich.table import Table

    from ..assessment import rules
    from ..io.folders import check_target
    from ..pipeline import score_submissions
    from ..submission.read import ValidationReport
    from ..submission.skipped import skipped_files

    def validated(report: ValidationReport) -> None:
        echo(tr("score.validated", lang, " / ", n=len(report.files)), err=True)
        # What the folders' search passed over is said, never dropped; JSON: stdout is the
        # ranking. An invalid batch's problems are printed with the refusal.
        shown = [*(report.problems if report.valid else ()), *skipped_files(paths)]
        if shown and fmt != "json":
            print_problems(shown, lang)

    check_target(Path(out), swap=True, inputs=paths)  # refused now, not after scoring
    with working(tr("score.scoring", lang, " / ")):
        outcome = score_submissions(
            paths,
            Path(out),
            scheme_path=scheme_path,
            cities_dir=cities_dir,
            previous=previous,
            ledger=ledger,
            overrides={
                "weighting": weighting,
                "aggregation": aggregation,
                "normalisation": normalisation,
                "missing": missing,
            },
            validated=validated,
            robustness=robustness,
            seed=seed,
            year=year,
            partial=partial,
        )
    if fmt == "json":
        click.echo(
            json.dumps(outcome.ranking().model_dump(mode="json"), ensure_ascii=False, indent=2)
        )
        return
    doc, scheme = outcome.doc, outcome.scheme
    # One name in the title, Chinese unless --lang en: the table below is wide already.
    name = scheme.name.en if lang == "en" else scheme.name.zh
    table = Table(title=f"{name} · {doc.year}", title_justify="left", header_style="bold")
    for column, justify in (
        ("rank", "right"),
        ("unit", "left"),
        ("positioning", "left"),
        ("group_rank", "right"),
        ("total", "right"),
        ("grade", "left"),
        ("weakest", "left"),
    ):
        table.add_column(tr(f"score.columns.{column}", lang), justify=justify)  # type: ignore[arg-type]
    intervals = {r.id: r for r in doc.robustness.units} if doc.robustness else {}
    if intervals:
        table.add_column(tr("score.columns.odds", lang), justify="right")
        table.add_column(tr("score.columns.interval", lang), justify="center")
    grades = {g.id: g.name for g in scheme.grades}
    stricter = {p.id for p in scheme.positionings if p.targets}
    for u in doc.units:
        weakest = scheme.dimension[rules.weakest(u.dimensions)].name
        pos = scheme.positioning[u.positioning].name
        grade = grades[u.grade] if u.grade else None
        r = intervals.get(u.id)
        table.add_row(
            f"{u.rank}{'≈' if u.tied_with else ''}",
            pick(u.short.zh, u.short.en, lang),
            pick(pos.zh, pos.en, lang) + (" *" if u.positioning in stricter else ""),
            f"{u.group_rank}/{u.group_size}",
            f"{u.total:.1f}",
            (pick(grade.zh, grade.en, lang) if grade else "—") + (" ⚑" if u.vetoes else ""),
            pick(weakest.zh, weakest.en, lang),
            *(
                [
                    f"{100 * r.grade_probability.get(u.grade or '', 0.0):.0f}%",
                    f"{r.p5:.0f}–{r.p95:.0f}",
                ]
                if r
                else []
            ),
        )
    stdout().print(table)
    notes = [
        ("≈", "tied", any(u.tied_with for u in doc.units)),
        ("*", "stricter", any(u.positioning in stricter for u in doc.units)),
        ("⚑", "veto", any(u.vetoes for u in doc.units)),
    ]
    for sign, key, shown in notes:
        if shown:
            echo(f"{sign} {tr(f'score.{key}', lang, ' / ')}", dim=True)
    if doc.comparison and not doc.comparison.same_scheme:
        c = doc.comparison
        echo(
            tr(
                "score.other_scheme",
                lang,
                " / ",
                year=c.year,
                version=c.scheme.version,
                n=len(c.excluded),
            ),
            fg="yellow",
        )
    if doc.missing:
        units = [outcome.roster[uid].short for uid in doc.missing]
        names = ("、".join(u.zh for u in units), ", ".join(u.en for u in units))
        shown = tr("score.partial", lang, " / ", group="status", n=len(units), units=names)
        echo(shown, fg="yellow")
    for path in outcome.written:
        echo(f"{mark('ok')} {shown_path(path)}")
