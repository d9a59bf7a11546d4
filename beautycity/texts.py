"""The one loader of user-facing text: every zh/en string lives in `texts/*.yaml`.

`texts(name)` reads `texts/<name>.yaml` once; `pick(zh, en, lang)` picks a language of a
{zh, en} pair the way every output does (Chinese first when both); `label` reads the short
labels of output tables. The problem catalogue lives in `texts/problems/`. This module needs
nothing beyond the standard library until a text is read, so the command line starts fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

LANGS = ("bilingual", "zh", "en")


def _folder() -> Traversable:
    return resources.files("beautycity").joinpath("texts")


def _load(entry: Traversable) -> Any:
    from .io.parsecache import parsed

    def parse(text: str) -> Any:
        # Imported here: the command line starts without a YAML parser until it needs a text.
        from ruamel.yaml import YAML

        return YAML(typ="safe").load(text)

    return parsed(entry.read_text("utf-8"), parse)


@cache
def texts(name: str) -> dict[str, Any]:
    """The texts of `texts/<name>.yaml`, e.g. "report", "workbook", "cli", "charts"."""
    return _load(_folder().joinpath(f"{name}.yaml"))


def text_files(group: str) -> Iterator[tuple[str, Any]]:
    """Every `texts/<group>/*.yaml` in name order, as (file name, content)."""
    for entry in sorted(_folder().joinpath(group).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            yield entry.name, _load(entry)


def pick(zh: str, en: str, lang: str = "bilingual", sep: str = " ") -> str:
    """The text in the chosen language, or both (Chinese first) when bilingual."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh}{sep}{en}".strip()


def both(key: str, group: str = "cli", **params: Any) -> tuple[str, str]:
    """The (Chinese, English) text at dotted `key` of `texts/<group>.yaml`, filled in.

    A parameter with `zh` and `en` attributes (a scheme `Text`, a report `Bi`) or a
    (Chinese, English) pair fills each language with its own text.
    """
    node: Any = texts(group)
    for part in key.split("."):
        node = node[part]
    zh = node["zh"].format(**{k: _side(v, 0) for k, v in params.items()})
    en = node["en"].format(**{k: _side(v, 1) for k, v in params.items()})
    return zh, en


def tr(key: str, lang: str = "bilingual", sep: str = " ", group: str = "cli", **params: Any) -> str:
    """The text at dotted `key` of `texts/<group>.yaml` in `lang` (see `both`)."""
    return pick(*both(key, group, **params), lang, sep)


def _side(value: Any, index: int) -> Any:
    if isinstance(value, tuple):
        return value[index]
    if hasattr(value, "zh") and hasattr(value, "en"):
        return value.zh if index == 0 else value.en
    return value


def label(key: str, lang: str = "bilingual") -> str:
    """A short label of the output tables (`texts/labels.yaml`) in `lang`."""
    node = texts("labels")[key]
    return pick(node["zh"], node["en"], lang)
