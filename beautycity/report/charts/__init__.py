"""Charts and the map for the reports, as SVG strings built in pure Python.

Every function returns a complete `<svg>` element with width, height and viewBox, ready to be
embedded in the report's HTML; the same input always gives the same string.
"""

from __future__ import annotations

from .bars import bar_ranking, grade_distribution, rank_intervals, trend_bars
from .heatmap import heatmap
from .map import choropleth, class_breaks, load_map_data
from .radar import radar

__all__ = [
    "bar_ranking",
    "choropleth",
    "class_breaks",
    "grade_distribution",
    "heatmap",
    "load_map_data",
    "radar",
    "rank_intervals",
    "trend_bars",
]
