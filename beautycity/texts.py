"""The one loader of user-facing text: every zh/en string lives in `texts/*.yaml`.

`texts(name)` reads `texts/<name>.yaml` once; `bilingual(node, lang)` picks a language of a
{zh, en} pair the way every output does (Chinese first when both); `label` reads the short
labels of output tables. The problem catalogue lives in `texts/problems/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from ruamel.yaml import YAML

LANGS = ("bilingual", "zh", "en")


class Text(BaseModel):
    """Every human-facing text is bilingual."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    zh: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def line(self, lang: str = "bilingual", sep: str = " ") -> str:
        return pick(self.zh, self.en, lang, sep)


def _folder() -> Traversable:
    return resources.files("beautycity").joinpath("texts")


def _load(entry: Traversable) -> Any:
    return YAML(typ="safe").load(entry.read_text("utf-8"))


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


def tr(key: str, lang: str = "bilingual", sep: str = " ", group: str = "cli", **params: Any) -> str:
    """The text at dotted `key` of `texts/<group>.yaml` in `lang`, {placeholders} filled."""
    node: Any = texts(group)
    for part in key.split("."):
        node = node[part]
    return pick(node["zh"].format(**params), node["en"].format(**params), lang, sep)


@cache
def labels() -> dict[str, Text]:
    return {k: Text.model_validate(v) for k, v in texts("labels").items()}


def label(key: str, lang: str = "bilingual") -> str:
    return labels()[key].line(lang)
