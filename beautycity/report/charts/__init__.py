"""Charts and the map for the reports, as SVG strings built in pure Python.

Every function returns a complete `<svg>` element with width, height and viewBox, ready to be
embedded in the report's HTML; the same input always gives the same string. Charts take plain
data (labels already in the report's language, the map's units as `MapUnit`s); their own fixed
texts come from `texts/charts.yaml` in the `lang` they are given.
"""

from __future__ import annotations

from .bars import bar_ranking, grade_distribution, rank_intervals, trend_bars
from .heatmap import heatmap
from .map import MapUnit, choropleth, class_breaks, placement, unplaced
from .radar import radar

__all__ = [
    "MapUnit",
    "bar_ranking",
    "choropleth",
    "class_breaks",
    "grade_distribution",
    "heatmap",
    "placement",
    "radar",
    "rank_intervals",
    "trend_bars",
    "unplaced",
]
