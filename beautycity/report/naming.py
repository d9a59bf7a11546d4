"""How a report names itself: its titles, its issuing body and the area it covers, all from the
scheme's `report:` block (`ReportSpec`); what the block leaves out is derived from the scheme's
own name, so that no province's wording is ever assumed."""

from __future__ import annotations

from ..scheme.model import Scheme, Text
from .context import Bi
from .formats import bi, tx


def region(scheme: Scheme) -> Bi:
    """What the overview and the means cover: the scheme's region (吉林省 / Jilin province),
    else the neutral 全部单元 / all units."""
    given = scheme.report.region
    return bi(given) if given else tx("words.all_units")


def issuer(scheme: Scheme) -> Bi | None:
    """The issuing body (发布机关) printed on the covers, when the scheme names one."""
    given = scheme.report.issuer
    return bi(given) if given else None


def author(scheme: Scheme) -> Bi:
    """The PDF's author: the issuing body, else the scheme."""
    return issuer(scheme) or bi(scheme.name)


def city_title(scheme: Scheme, unit: Bi, year: int) -> Bi:
    """The title of a unit's report: the scheme's `city_title`, else derived from its name."""
    given = scheme.report.city_title
    if given is None:
        return tx("meta.city_title", scheme=bi(scheme.name), unit=unit, year=year)
    return _placed(given, unit=unit, year=year)


def overview_title(scheme: Scheme, year: int) -> Bi:
    """The title of the overview: the scheme's `overview_title`, else derived from its name."""
    given = scheme.report.overview_title
    if given is None:
        return tx("meta.overview_title", scheme=bi(scheme.name), year=year)
    return _placed(given, year=year)


def _placed(title: Text, **params: Bi | int) -> Bi:
    """A title of the scheme with its {unit} and {year} filled in; any other brace a user typed
    stays as typed (a scheme's text is data, never a format string)."""

    def fill(text: str, side: int) -> str:
        for name, value in params.items():
            shown = value if isinstance(value, int) else (value.zh, value.en)[side]
            text = text.replace("{" + name + "}", str(shown))
        return text

    return Bi(zh=fill(title.zh, 0), en=fill(title.en, 1))
