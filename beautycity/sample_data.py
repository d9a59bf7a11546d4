"""The embedded demo samples: what Jilin's units would submit for 2023 and 2024, per level.

The data ship with the package as `beautycity/sample/jilin-sample.yaml` (the 11 prefecture-
level units; its header documents the layout) and `beautycity/sample/jilin-county-sample.yaml`
(the county-level units of `cities/county/`, in the same layout). A few prefecture figures are
real and cite a published source; every other value is illustrative. `Sample.provenance`
tells which is which.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from .io.yamlfile import located, validate_tree

SAMPLE_RESOURCE = ("sample", "jilin-sample.yaml")
COUNTY_SAMPLE_RESOURCE = ("sample", "jilin-county-sample.yaml")
# The packaged sample of each level the demo runs: the prefecture scheme's, the county scheme's.
SAMPLES = {"prefecture": SAMPLE_RESOURCE, "county": COUNTY_SAMPLE_RESOURCE}
ILLUSTRATIVE = "illustrative"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A published document that real figures are copied from."""

    id: str
    title: str  # the original report or bulletin (and the news report that carried it)
    publisher: str
    date: str  # YYYY-MM-DD
    quote: str  # the published sentence(s), one per line
    note: str = ""


class Figure(_Model):
    value: float
    source: str | None = None  # a `Source.id` for a real figure; None: illustrative


class Contact(_Model):
    department: str
    person: str
    phone: str
    email: str
    illustrative: bool = True  # person, phone and email are placeholders


class UnitYear(_Model):
    values: dict[str, Figure]  # indicator id -> reported value
    adjustments: dict[str, float] = {}  # count-based adjustment id -> count
    notes: dict[str, str] = {}  # indicator id -> the officer's note


class UnitSample(_Model):
    """One unit: its contact and, keyed by year, what it submits (`2023:` beside `contact:`)."""

    contact: Contact
    years: dict[int, UnitYear]

    @model_validator(mode="before")
    @classmethod
    def _gather_years(cls, data: Any) -> Any:
        # In the file the years sit beside `contact`; every key but `contact` is a year.
        if isinstance(data, dict) and "years" not in data:
            return {
                "contact": data.get("contact"),
                "years": {k: v for k, v in data.items() if k != "contact"},
            }
        return data


class Sample(_Model):
    sources: tuple[Source, ...]
    province: dict[int, dict[str, Figure]]
    units: dict[str, UnitSample]

    @property
    def source(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @property
    def years(self) -> list[int]:
        return sorted({y for unit in self.units.values() for y in unit.years})

    def figure(self, unit: str, year: int, indicator: str) -> Figure:
        """The figure of `unit` ("province" for the province) in `year`; KeyError if none."""
        if unit == "province":
            return self.province[year][indicator]
        return self.units[unit].years[year].values[indicator]

    def provenance(self, unit: str, year: int, indicator: str) -> str:
        """The citation id of a real figure, or "illustrative"; KeyError if not reported."""
        return self.figure(unit, year, indicator).source or ILLUSTRATIVE

    def submitted(self, unit: str, year: int) -> dict[str, float | None]:
        """What `unit` fills in for `year`: each indicator's value and each count."""
        entry = self.units[unit].years[year]
        return {**{k: f.value for k, f in entry.values.items()}, **dict(entry.adjustments)}

    def data_sources(self, unit: str, year: int, illustrative: str) -> dict[str, str]:
        """The data-source cells of `unit` in `year`: the citation of a real figure, else the
        `illustrative` mark."""
        cited = self.source
        return {
            k: cited[f.source].title if f.source else illustrative
            for k, f in self.units[unit].years[year].values.items()
        }


def load_sample(path: Path | str | None = None, level: str = "prefecture") -> Sample:
    """Load a sample: the file `path`, else the packaged sample of `level` ("prefecture" or
    "county"); raises `BeautycityError` with lines."""
    if path is not None:
        return _read(Path(path))
    resource = resources.files("beautycity").joinpath(*SAMPLES[level])
    with resources.as_file(resource) as file:
        return _read(file)


def _read(file: Path) -> Sample:
    return located(lambda parse: validate_tree(Sample, parse(file), str(file)))
