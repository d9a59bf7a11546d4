"""The charts' own fixed texts (`texts/charts.yaml`) as labels in the report's language."""

from __future__ import annotations

from typing import Any

from ...texts import both
from .svg import Label


def word(key: str, lang: str = "bilingual", **names: Any) -> Label:
    """The text at dotted `key`: one string in "zh" or "en", else (Chinese, English).

    A name given as a (Chinese, English) pair fills each language with its own part.
    """
    zh, en = both(key, "charts", **names)
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return (zh, en)
