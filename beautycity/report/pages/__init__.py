"""The pages of a unit's report, each registered once in its own module of this package.

A page is a module here with one `@page(name, order)` builder: it takes the `PageInput` and
returns the page's typed context (a pydantic model on `report.context.Ctx`), which the template
`templates/report/city/<name>.html` lays out as one `<section>`. The modules are found by
listing this package, so adding a page edits no list: its `order` places it among the others
(summary 10, dimensions 20, indicators 30, actions 40, then the annexes: data 50, method 60).
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import TypeVar

from ...assessment.document import AssessmentDoc, UnitResult
from ...scheme.model import Scheme
from ..context import Ctx, ReportPage

Model = TypeVar("Model", bound=Ctx)


@dataclass(frozen=True)
class PageInput:
    """What every page builder reads: the assessment, its scheme, the unit and the language."""

    doc: AssessmentDoc
    scheme: Scheme
    unit: UnitResult
    lang: str  # "zh", "en" or "bilingual"; the charts are drawn in it


@dataclass(frozen=True)
class Page:
    name: str
    order: int
    template: str  # under templates/report/
    build: Callable[[PageInput], Ctx]


_PAGES: dict[str, Page] = {}


def page(
    name: str, order: int
) -> Callable[[Callable[[PageInput], Model]], Callable[[PageInput], Model]]:
    """Register the decorated function as the builder of page `name`, laid out by
    `city/<name>.html` and placed by `order` (lowest first; two pages never share one)."""

    def decorate(build: Callable[[PageInput], Model]) -> Callable[[PageInput], Model]:
        if name in _PAGES:
            raise RuntimeError(f"report page {name!r} is registered twice")
        taken = next((p.name for p in _PAGES.values() if p.order == order), None)
        if taken:
            raise RuntimeError(f"report page {name!r} has the order {order} of {taken!r}")
        _PAGES[name] = Page(name, order, f"city/{name}.html", build)
        return build

    return decorate


@cache
def _discover() -> None:
    """Import every module of this package once: each registers its pages."""
    for module in pkgutil.iter_modules(__path__):
        import_module(f"{__name__}.{module.name}")


def pages() -> tuple[Page, ...]:
    """The registered pages, in their order."""
    _discover()
    return tuple(sorted(_PAGES.values(), key=lambda p: p.order))


def build_pages(src: PageInput) -> tuple[ReportPage, ...]:
    """Every page's context for one unit, in page order, each with the template that lays it out."""
    return tuple(ReportPage(name=p.name, template=p.template, page=p.build(src)) for p in pages())
