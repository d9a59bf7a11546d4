"""The context of the overview of every unit: ranking, map, dimension heat map, groups, grades."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..assessment.document import AssessmentDoc
from ..cities import Roster
from ..scheme.model import Scheme
from .actions import follow_up, unit_actions
from .basemap import map_units
from .charts import bar_ranking, choropleth, grade_distribution, heatmap, rank_intervals, style
from .city import as_of, footer, meta
from .context import Bi, Edition, GroupRow, Overview, RankRow
from .formats import bi, chart_label, grade_class, grade_name, score, stricter, tx
from .naming import issuer, overview_title, region

# Rows of a bar chart or heat-map that fit one page below its heading, with the caption.
ROWS_PER_FIGURE = 35


def grade_fill(scheme: Scheme, grade_id: str | None) -> str:
    """The colour of a grade by its place among the scheme's grades (best first)."""
    if grade_id is None:
        return style.BAR
    place = [g.id for g in scheme.grades].index(grade_id)
    return style.GRADES[min(place, len(style.GRADES) - 1)]


def grade_bands(scheme: Scheme, totals: list[float], lang: str) -> dict[str, Any]:
    """The map's classes: the scheme's grade bands, lowest first, in the grades' colours."""
    bands = sorted(scheme.grades, key=lambda g: g.min)
    top = max([100.0, *totals])
    low = min([bands[0].min, *totals])
    return {
        "breaks": [low, *(g.min for g in bands[1:]), top],
        "fills": [grade_fill(scheme, g.id) for g in bands],
        "class_names": [chart_label(bi(g.name), lang) for g in bands],
        "decimals": 0,
    }


def overview(
    doc: AssessmentDoc,
    scheme: Scheme,
    roster: Roster,
    map_data: dict[str, Any] | None,
    lang: str = "bilingual",
    notice: Bi | None = None,
    edition: Edition | None = None,
) -> Overview:
    """The overview's context; `map_data` is the scheme's base map (`basemap.load_map`), None
    for none: the overview then has no map."""
    title = overview_title(scheme, doc.year)
    area = region(scheme)
    mean = chart_label(tx("radar.province", region=area), lang)
    dims = [bi(d.name) for d in scheme.dimensions]
    short = {u.id: bi(u.short) for u in doc.units}
    best = doc.units[0]
    has_previous = any(u.previous for u in doc.units)
    ranking = []
    actions_total = closed_total = listed_total = 0
    for u in doc.units:
        actions = unit_actions(u, scheme)
        reviewed = follow_up(u, scheme)
        closed = sum(f.outcome == "closed" for f in reviewed)
        actions_total += len(actions)
        closed_total += closed
        listed_total += len(reviewed)
        ranking.append(
            RankRow(
                rank=str(u.rank),
                unit=bi(u.name),
                positioning=bi(scheme.positioning[u.positioning].name),
                total=score(u.total),
                grade=grade_name(scheme, u.grade),
                grade_class=grade_class(scheme, u.grade),
                group_rank=f"{u.group_rank}/{u.group_size}",
                change=_rank_change(u.previous.rank - u.rank) if u.previous else "",
                veto=bool(u.vetoes),
                tied=bool(u.tied_with),
                stricter=stricter(scheme, u.positioning, area) is not None,
                actions=str(len(actions)),
                closed=str(closed) if has_previous else "",
            )
        )
    on_map = {u.id for u in roster}
    edition = edition or Edition()
    return Overview(
        meta=meta(doc, scheme, title, lang),
        footer=footer(edition, notice),
        status=tx(f"edition.{edition.status}"),
        issued=edition.issued,
        title=title,
        issuer=issuer(scheme),
        region=area,
        year=str(doc.year),
        scheme=bi(doc.scheme.name),
        scheme_version=doc.scheme.version,
        as_of=as_of(doc),
        notice=notice,
        units=str(len(doc.units)),
        mean=score(doc.province.total),
        best=short[best.id],
        best_total=score(best.total),
        ranking=tuple(ranking),
        has_previous=has_previous,
        bars=_bars(doc, scheme, short, mean, lang),
        map=choropleth(
            {u.id: u.total for u in doc.units if u.id in on_map},
            map_units(roster),
            map_data,
            lang=lang,
            legend_title=chart_label(tx("overview.map_legend"), lang),
            **grade_bands(scheme, [u.total for u in doc.units], lang),
        )
        if map_data is not None
        else None,
        heatmap=tuple(
            heatmap(
                [chart_label(short[u.id], lang) for u in part],
                [chart_label(d, lang) for d in dims],
                [[d.score for d in u.dimensions] for u in part],
                centres=[doc.province.dimensions[d.id] for d in scheme.dimensions],
                centre_label=chart_label(tx("overview.heat_centre", region=area), lang),
                lang=lang,
            )
            for part in _per_figure(doc.units)
        ),
        groups=tuple(_group_rows(doc, scheme)),
        group_heatmap=heatmap(
            [chart_label(bi(scheme.positioning[g.positioning].name), lang) for g in doc.groups]
            + [mean],
            [chart_label(d, lang) for d in dims],
            [list(g.dimensions.values()) for g in doc.groups]
            + [list(doc.province.dimensions.values())],
            highlight=mean,
            centres=[doc.province.dimensions[d.id] for d in scheme.dimensions],
            centre_label=chart_label(tx("overview.heat_centre", region=area), lang),
            lang=lang,
        ),
        grades=grade_distribution(
            {chart_label(bi(g.name), lang): doc.grade_counts.get(g.id, 0) for g in scheme.grades}
        ),
        robustness=_robustness(doc, short, lang),
        robustness_note=tx(
            "overview.robustness_note",
            n=doc.robustness.replications,
            seed=doc.robustness.seed,
        )
        if doc.robustness
        else None,
        actions_total=str(actions_total),
        closed_total=str(closed_total),
        listed_total=str(listed_total),
        missing=_missing(doc, roster, area),
    )


def _missing(doc: AssessmentDoc, roster: Roster, area: Bi) -> Bi | None:
    """The line naming the units that sent no workbook (`score --partial`)."""
    if not doc.missing:
        return None
    names = [roster[uid].name if uid in roster else Bi.same(uid) for uid in doc.missing]
    units = Bi(zh="、".join(n.zh for n in names), en=", ".join(n.en for n in names))
    return tx("overview.missing", n=len(names), units=units, region=area)


def _rank_change(delta: int) -> str:
    return f"▲{delta}" if delta > 0 else f"▼{-delta}" if delta < 0 else "–"


def _group_rows(doc: AssessmentDoc, scheme: Scheme) -> list[GroupRow]:
    names = {u.id: bi(u.short) for u in doc.units}
    rows = []
    for g in doc.groups:
        pos = scheme.positioning[g.positioning]
        rows.append(
            GroupRow(
                name=bi(pos.name),
                units=Bi(
                    zh="、".join(names[i].zh for i in g.units),
                    en=", ".join(names[i].en for i in g.units),
                ),
                total=score(g.total),
                description=bi(pos.description),
            )
        )
    return rows


def _robustness(doc: AssessmentDoc, short: dict[str, Bi], lang: str) -> str | None:
    if doc.robustness is None:
        return None
    return rank_intervals(
        [
            (chart_label(short[r.id], lang), r.median_rank, r.p5, r.p95, r.nominal_rank)
            for r in doc.robustness.units
        ],
        lang=lang,
    )


def _per_figure(rows: Sequence[Any]) -> list[Sequence[Any]]:
    """`rows` cut into runs of even size, none over ROWS_PER_FIGURE: a chart taller than a
    page would leave its heading alone on one page and its caption on another."""
    parts = max(1, -(-len(rows) // ROWS_PER_FIGURE))
    size = max(1, -(-len(rows) // parts))
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [rows]


def _bars(doc: AssessmentDoc, scheme: Scheme, short: dict, mean: Any, lang: str) -> tuple[str, ...]:
    """The ranking bars, one figure per page-sized run of units."""
    return tuple(
        bar_ranking(
            [
                (chart_label(short[u.id], lang), u.total, grade_name(scheme, u.grade).line(lang))
                for u in part
            ],
            reference=(doc.province.total, mean),
            fills=[grade_fill(scheme, u.grade) for u in part],
            tied=[bool(u.tied_with) for u in part],
        )
        for part in _per_figure(doc.units)
    )
