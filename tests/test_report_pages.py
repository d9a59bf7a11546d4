"""The pages of a unit's report: each registered once in `report/pages/`, found without a list,
built as its own typed model, laid out by its own template at the place its order gives it."""

from __future__ import annotations

import re
from typing import get_type_hints

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

from beautycity.report import pages as registry
from beautycity.report.city import city_report, unit_of
from beautycity.report.context import Ctx
from beautycity.report.pages import PageInput, page, pages
from beautycity.report.pdf import Renderer, templates_root
from beautycity.report.render import scheme_for

PAGES = ("summary", "dimensions", "indicators", "actions", "data", "method")


@pytest.fixture(scope="module")
def scheme(docs):
    return scheme_for(docs[0])


def sections(html: str) -> list[str]:
    """The first class of the report's sections (the page's name), in the order they are
    printed; "continued" says only that a section need not start a page."""
    return re.findall(r'<section class="([^" ]*)[^"]*">', html)


def test_every_page_is_found_in_order():
    found = pages()
    assert tuple(p.name for p in found) == PAGES
    orders = [p.order for p in found]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    for p in found:
        assert p.template == f"city/{p.name}.html"
        assert (templates_root() / "report" / p.template).is_file()


@pytest.mark.parametrize("year", [0, 1], ids=["with last year", "first year"])
def test_each_builder_returns_its_model(docs, scheme, year):
    doc = docs[year]
    src = PageInput(doc, scheme, unit_of(doc, "changchun"), "bilingual")
    for p in pages():
        model = get_type_hints(p.build)["return"]
        assert issubclass(model, Ctx), p.name
        assert type(p.build(src)) is model, p.name


def test_the_report_holds_the_pages_in_order(docs, scheme):
    report = city_report(docs[0], scheme, "changchun")
    assert tuple(item.name for item in report.pages) == PAGES
    assert [item.template for item in report.pages] == [p.template for p in pages()]


def test_a_page_is_registered_once_at_a_free_place(monkeypatch):
    pages()  # the real pages first
    monkeypatch.setattr(registry, "_PAGES", dict(registry._PAGES))
    with pytest.raises(RuntimeError, match="twice"):
        page("summary", 99)(lambda src: None)
    with pytest.raises(RuntimeError, match="'summary'"):
        page("another", 10)(lambda src: None)


class Note(Ctx):
    text: str


def test_a_new_page_needs_only_its_builder_and_template(docs, scheme, tmp_path, monkeypatch):
    """A page registered here, with its template in a folder of its own, is printed between
    the pages its order falls between, and the others stay as they were."""
    renderer = Renderer("bilingual")
    before = renderer.html("city.html", city_report(docs[0], scheme, "changchun"))

    pages()  # the real pages first; the registry is restored when the test ends
    monkeypatch.setattr(registry, "_PAGES", dict(registry._PAGES))

    @page("note", 35)  # after the indicators (30), before the actions (40)
    def note(src: PageInput) -> Note:
        return Note(text=f"{src.unit.id} <&> {src.doc.year}")

    (tmp_path / "city").mkdir()
    (tmp_path / "city" / "note.html").write_text(
        '<section class="note">{{ page.text }} {{ t(T.summary.heading) }}</section>\n',
        encoding="utf-8",
    )
    renderer.env.loader = ChoiceLoader([FileSystemLoader(tmp_path), renderer.env.loader])
    html = renderer.html("city.html", city_report(docs[0], scheme, "changchun"))

    expected = ["cover", "summary", "dimensions", "indicators", "note", "actions"]
    assert sections(html)[:6] == expected
    assert '<section class="note">changchun &lt;&amp;&gt; 2024 一页摘要' in html  # escaped
    # Without the new section, the report is the one of the registered pages alone.
    assert re.sub(r'\n\n<section class="note">.*?</section>', "", html) == before
