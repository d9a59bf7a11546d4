"""The one place for the charts' fonts, sizes and colours.

Every colour scale is readable by colour-blind readers and in grey print: the sequential scale
runs from light to dark in near-equal steps of lightness (CIE L* ≈ 92, 78, 63, 48, 32, taken
along ColorBrewer's YlGnBu), so classes stay apart when printed in grey; series are told apart
by dash pattern and marker shape as well as by colour (Okabe–Ito hues).
"""

from __future__ import annotations

# fonts-noto-cjk on Debian; Source Han Sans is the same design under Adobe's name.
FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif"

FONT_SIZE = 12.0  # labels
SMALL_SIZE = 10.0  # English beside Chinese, axis ticks, legends
NOTE_SIZE = 8.5  # attribution and notes

TEXT = "#222222"
MUTED = "#555555"  # secondary text (English, notes); 7.5:1 on white
GRID = "#cccccc"
AXIS = "#888888"
WHITE = "#ffffff"

# Five classes, light (low values) to dark (high values).
CLASSES = ("#daf0b3", "#85cfba", "#31a5c2", "#2077b4", "#24459c")

# A continuous scale for heat maps: ColorBrewer YlGnBu stops; 0 → first stop, 100 → last.
HEAT_STOPS = ("#f4fbc4", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494")

# Grades by place, best first: the badge colours of the reports (report.css .grade-N), with a
# warm light tone for the last grade, which the badge draws white with a dashed border.
GRADES = ("#24459c", "#31a5c2", "#daf0b3", "#f4a582", "#f7f7f7")

# A diverging scale for a value against a centre (the provincial mean): ColorBrewer PuOr,
# orange below, purple above, near-white at the centre; safe for colour-blind readers.
DIVERGING = ("#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788")

# Bars: ordinary rows light, the row a report is about in an accent that is darker in grey too.
BAR = "#85cfba"
HIGHLIGHT = "#d55e00"
PREVIOUS = "#c8c8c8"  # the earlier value in before/after comparisons
NO_DATA_HATCH = "#8a8a8a"

# Radar and other multi-series charts: colour, dash pattern (None = solid), marker shape.
SERIES = (
    ("#24459c", None, "circle"),
    ("#d55e00", "6 3", "square"),
    ("#009e73", "2 2.5", "triangle"),
    ("#000000", "8 3 2 3", "diamond"),
)

# Map lines and the marker for units drawn as a point.
BORDER = "#4d4d4d"
OUTLINE = "#1a1a1a"
POINT_MARKER = "#000000"
