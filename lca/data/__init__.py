"""Loading and looking up the shipped reference datasets.

Nothing is read at import; the first lookup loads every file of ``datasets/`` (and the
user folders of ``LCA_DATA_PATH``) into typed records, kept for the session.

Examples
--------
>>> grid("FR").impacts["GWP"].amount
0.098
>>> hardware("A100-80GB-bloom").impacts["GWP"].source.startswith("Luccioni")
True
>>> datacenter("hpc").get("pue").amount
1.2
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from lca.data.catalogue import CATEGORIES, Catalogue, load_catalogue
from lca.data.records import Entry, Value

_CATALOGUE: Catalogue | None = None


def catalogue() -> Catalogue:
    """The loaded catalogue (read on first call, then cached; see :func:`reload`)."""
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = load_catalogue()
    return _CATALOGUE


def reload(folders: Iterable[str | os.PathLike[str]] | None = None) -> Catalogue:
    """Re-read the datasets (after changing ``LCA_DATA_PATH`` or user files)."""
    global _CATALOGUE
    _CATALOGUE = load_catalogue(folders)
    return _CATALOGUE


def version() -> str:
    """The dataset version (``datasets/VERSION``), recorded in every result."""
    return catalogue().version


def entry(ref: str) -> Entry:
    """An entry from ``"category/name"`` (or a bare name found in one dataset)."""
    return catalogue().lookup(ref)


def names(category: str | None = None) -> list[str]:
    """``category/name`` of every entry, or of one category."""
    return catalogue().names(category)


def hardware(name: str) -> Entry:
    """A hardware item: embodied impacts per unit, lifetime, TDP, load power, mass."""
    return catalogue().get("hardware", name)


def grid(code: str) -> Entry:
    """An electricity mix per kWh: ISO country code (``"FR"``) or named supply."""
    return catalogue().get("grid", code)


def datacenter(kind: str) -> Entry:
    """PUE and WUE of a data-centre type (``hyperscale``, ``enterprise``, ``hpc``...)."""
    return catalogue().get("datacenter", kind)


def transport(mode: str) -> Entry:
    """Impacts per t.km of a freight mode (``air``, ``sea``, ``road``, ``rail``)."""
    return catalogue().get("transport", mode)


def route(name: str) -> Entry:
    """A typical shipping leg (distance) for hardware."""
    return catalogue().get("routes", name)


def eol(name: str) -> Entry:
    """End-of-life treatment per kg of electronic waste."""
    return catalogue().get("eol", name)


__all__ = [
    "CATEGORIES",
    "Catalogue",
    "Entry",
    "Value",
    "catalogue",
    "datacenter",
    "entry",
    "eol",
    "grid",
    "hardware",
    "names",
    "reload",
    "route",
    "transport",
    "version",
]
