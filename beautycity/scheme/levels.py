"""The levels of assessed units, known to the scheme layer as well as to the roster.

An indicator may apply to some levels only (`Indicator.levels`); the scheme checks need the
known level ids, and `scheme` comes before `cities` in the package's flow, so the levels live
here and `cities` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    PREFECTURE = "prefecture"  # 地级市 / 自治州
    COUNTY = "county"  # 县 / 县级市 / 区
    ZONE = "zone"  # a management zone with no administrative code (长白山保护开发区)


LEVELS: tuple[str, ...] = tuple(level.value for level in Level)
