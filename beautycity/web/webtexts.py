"""The web pages' texts, from `texts/web.yaml` through the one text loader.

Templates get `t` and the user's `role`: `{{ t.nav.board }}` shows the Chinese with the
English beside it (as HTML, each language marked), `{{ t.nav.board.plain }}` the two as plain
text for attributes, `.zh` and `.en` each alone. Views format texts with parameters through `say`.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html

from ..texts import both, texts


class Bi:
    """One text in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en

    def __html__(self) -> str:
        return format_html('{} <span class="en" lang="en">{}</span>', self.zh, self.en)

    def __str__(self) -> str:
        return self.__html__()

    @property
    def plain(self) -> str:
        return f"{self.zh} / {self.en}"


class Node(dict):
    """A branch of web.yaml: its leaves {zh, en} come out as `Bi`."""

    def __getitem__(self, key: str) -> Any:
        value = dict.__getitem__(self, key)
        if isinstance(value, dict) and set(value) == {"zh", "en"}:
            return Bi(value["zh"], value["en"])
        return Node(value) if isinstance(value, dict) else value


def say(key: str, group: str = "web", **params: Any) -> Bi:
    """The text at dotted `key` of texts/<group>.yaml, filled in with `params`."""
    return Bi(*both(key, group, **params))


def context(request: Any) -> dict[str, Any]:
    from .roles import role

    user = getattr(request, "user", None)
    return {"t": Node(texts("web")), "role": role(user) if user is not None else None}
