"""Jinja templates to PDF through WeasyPrint: one renderer per process of a run, fonts and styles
loaded once.

Everything a report shows comes from a typed context and is autoescaped; charts are SVG strings
the chart functions have escaped. WeasyPrint fetches through `fetch`, which serves files under
the templates folder and refuses everything else, so text from a workbook can never make the
renderer read a local file or reach the network.
"""

from __future__ import annotations

import gc
import mimetypes
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

from ..problems import BeautycityError, make_problem
from ..resources import data_dir
from .fonts import cjk_family
from .formats import fill, texts, tx


class BlockedUrl(Exception):
    """A URL outside the templates folder; it stops the rendering."""


class Resource(NamedTuple):
    url: str
    data: bytes
    mime_type: str


def templates_root() -> Path:
    return data_dir("templates").resolve()


def fetch(url: str) -> Resource:
    """What WeasyPrint may load: files under `templates/` only; no network, no other file."""
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if path.is_relative_to(templates_root()) and path.is_file():
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return Resource(path.as_uri(), path.read_bytes(), mime)
    raise BlockedUrl(url)


@cache
def _fetcher_class() -> type:
    """WeasyPrint's fetcher with `fetch` as its only source (WeasyPrint is imported late)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplatesOnly(URLFetcher):
        def __init__(self, blocked: list[str]) -> None:
            # A refused URL is fatal: the report would otherwise silently lack the resource.
            super().__init__(fail_on_errors=True)
            self.blocked = blocked

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                found = fetch(url)
            except BlockedUrl:
                self.blocked.append(url)
                raise
            return URLFetcherResponse(found.url, found.data, {"Content-Type": found.mime_type})

    return TemplatesOnly


def css_content(template: str) -> str:
    """A text with {page} and {pages} as a CSS `content` value of strings and counters."""
    out = []
    for piece in re.split(r"(\{pages?\})", template):
        if piece in ("{page}", "{pages}"):
            out.append(f"counter({piece[1:-1]})")
        elif piece:
            out.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(out)


class Renderer:
    """Renders report templates in one language; reuse it for every PDF of a run."""

    def __init__(self, lang: str = "bilingual") -> None:
        # WeasyPrint is imported here: `beautycity` commands that make no PDF stay fast.
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.lang = lang
        self.family = cjk_family()
        self.base_url = (templates_root() / "report").as_uri() + "/"
        self.env = Environment(
            loader=FileSystemLoader(templates_root() / "report"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(T=texts(), lang=lang)
        self.env.filters["fill"] = fill
        self.blocked: list[str] = []
        self.fetcher = _fetcher_class()(self.blocked)
        self.font_config = FontConfiguration()
        page = tx("meta.page", page="{page}", pages="{pages}")
        shown = page.line(lang, "　")
        css = self.env.get_template("report.css").render(font=self.family, page=css_content(shown))
        self.css = CSS(
            string=css,
            base_url=self.base_url,
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )

    def html(self, template: str, context: BaseModel) -> str:
        return self.env.get_template(template).render(r=context)

    def pdf(self, template: str, context: BaseModel) -> tuple[bytes, int]:
        """The PDF of `template` filled with `context` and its page count; raises if the
        document tried to fetch a URL."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        self.blocked.clear()
        # WeasyPrint allocates millions of objects that live until the PDF is written: the
        # cyclic collector would scan them again and again, a sixth of the rendering time.
        # What they leave is collected once it runs again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            document = HTML(
                string=self.html(template, context),
                base_url=self.base_url,
                url_fetcher=self.fetcher,
            ).render(stylesheets=[self.css], font_config=self.font_config)
            return document.write_pdf(), len(document.pages)
        except FatalURLFetchingError:
            problems = [make_problem("report.blocked-url", url=u) for u in self.blocked]
            raise BeautycityError(problems) from None
        finally:
            if collecting:
                gc.enable()
