"""Where a computation ran, as the grid mix of the shipped datasets.

Two small tables beside the datasets (``datasets/countries.csv``: ISO 3166-1 alpha-2,
alpha-3 and name, from the Debian ``iso-codes`` 4.15.0 package; ``datasets/cloud_regions.csv``:
cloud provider regions with their country, and the grid entry when the datasets hold one
for that region, each row with its source) turn what a tool such as CodeCarbon records
(an ISO code, a cloud provider and region) into the name of a ``grid`` entry. A code or
region that is not known, or a country that the datasets have no grid for, is an error
that says so and suggests the closest names: never a silent world average.

Examples
--------
>>> country("FRA").alpha_2, country("fr").name
('FR', 'France')
>>> grid_of_country("DEU")
'DE'
>>> grid_of_cloud("gcp", "europe-west1"), grid_of_cloud("gcp", "us-central1")
('BE', 'gcp-us-central1')
>>> grid_of_country("FRX")
Traceback (most recent call last):
lca.errors.DataNotFound: country code 'FRX' is not an ISO 3166-1 code; did you mean 'FRO' or 'FRA'?
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache

from lca.data import catalogue
from lca.data.paths import datasets_dir
from lca.errors import DataNotFound
from lca.model.records import suggest


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country: ``alpha_2`` (``FR``), ``alpha_3`` (``FRA``) and name."""

    alpha_2: str
    alpha_3: str
    name: str


@dataclass(frozen=True)
class CloudRegion:
    """A cloud provider's region, its country (ISO alpha-2) and, if any, its own grid entry."""

    provider: str
    region: str
    country: str
    grid: str
    location: str
    source: str


@cache
def _countries() -> dict[str, Country]:
    with (datasets_dir() / "countries.csv").open(newline="", encoding="utf-8") as handle:
        rows = [Country(r["alpha_2"], r["alpha_3"], r["name"]) for r in csv.DictReader(handle)]
    return {code: c for c in rows for code in (c.alpha_2, c.alpha_3)}


@cache
def _cloud_regions() -> dict[tuple[str, str], CloudRegion]:
    with (datasets_dir() / "cloud_regions.csv").open(newline="", encoding="utf-8") as handle:
        rows = [CloudRegion(**row) for row in csv.DictReader(handle)]
    return {(r.provider, r.region): r for r in rows}


def country(code: str) -> Country:
    """The country of an ISO 3166-1 alpha-2 or alpha-3 code (any case).

    Raises
    ------
    DataNotFound
        For a code that is neither, with the closest codes.
    """
    table = _countries()
    key = str(code).strip().upper()
    if key in table:
        return table[key]
    same_kind = [c for c in table if len(c) == len(key)] or list(table)
    close = difflib.get_close_matches(key, same_kind, n=3, cutoff=0.6)
    hint = "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""
    raise DataNotFound(f"country code '{code}' is not an ISO 3166-1 code{hint}")


def grid_of_country(code: str) -> str:
    """The name of the ``grid`` entry of a country (its alpha-2 code), checked to exist.

    Raises
    ------
    DataNotFound
        An unknown code, or a country the datasets hold no grid mix for.
    """
    place = country(code)
    grids = catalogue().entries["grid"]
    if place.alpha_2 in grids:
        return place.alpha_2
    raise DataNotFound(
        f"no grid mix for {place.name} ({place.alpha_3}) in the datasets (`lca data list grid` lists "
        "them); add one in a folder of LCA_DATA_PATH, or name the grid to use"
    )


def cloud_region(provider: str, region: str) -> CloudRegion:
    """A region of ``provider`` (``aws``, ``gcp``, ``azure``) from ``cloud_regions.csv``.

    Raises
    ------
    DataNotFound
        An unknown provider or region, with the closest names.
    """
    table = _cloud_regions()
    key = (str(provider).strip().lower(), str(region).strip().lower())
    if key in table:
        return table[key]
    providers = sorted({p for p, _ in table})
    if key[0] not in providers:
        raise DataNotFound(
            f"cloud provider '{provider}' is not known{suggest(key[0], providers)} "
            f"(expected one of {', '.join(providers)})"
        )
    regions = [r for p, r in table if p == key[0]]
    raise DataNotFound(
        f"no {key[0]} region '{region}' in datasets/cloud_regions.csv{suggest(key[1], regions)}"
    )


def grid_of_cloud(provider: str, region: str) -> str:
    """The ``grid`` entry of a cloud region: its own if the datasets hold one, else its country's."""
    place = cloud_region(provider, region)
    return place.grid or grid_of_country(place.country)
