"""Bilingual labels for output tables, read from `texts/labels.yaml`."""

from __future__ import annotations

from functools import cache
from importlib import resources

from ruamel.yaml import YAML

from .scheme import Text


@cache
def labels() -> dict[str, Text]:
    text = resources.files("beautycity").joinpath("texts/labels.yaml").read_text("utf-8")
    return {k: Text.model_validate(v) for k, v in YAML(typ="safe").load(text).items()}


def label(key: str, lang: str = "bilingual") -> str:
    t = labels()[key]
    return t.zh if lang == "zh" else t.en if lang == "en" else f"{t.zh} {t.en}"
