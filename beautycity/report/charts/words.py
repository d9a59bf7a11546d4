"""The charts' own fixed texts (`texts/charts.yaml`) as labels in the report's language."""

from __future__ import annotations

from typing import Any

from ...texts import texts
from .svg import Label


def word(key: str, lang: str = "bilingual", **names: Any) -> Label:
    """The text at dotted `key`: one string in "zh" or "en", else (Chinese, English).

    A name given as a (Chinese, English) pair fills each language with its own part.
    """
    node: Any = texts("charts")
    for part in key.split("."):
        node = node[part]
    zh = node["zh"].format(**{k: _side(v, 0) for k, v in names.items()})
    en = node["en"].format(**{k: _side(v, 1) for k, v in names.items()})
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return (zh, en)


def _side(name: Any, index: int) -> Any:
    return name[index] if isinstance(name, tuple) else name
