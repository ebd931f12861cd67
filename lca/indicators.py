"""The indicator registry: characterised impact categories and their units.

The four default indicators are those of the AFNOR SPEC 2314 multi-criteria assessment
and of the Boavizta and EcoLogits tools: climate change (GWP100), abiotic depletion of
minerals and metals (ADP), primary energy (PE) and water consumption. Users may register
more (e.g. particulate matter) without touching the package.

Examples
--------
>>> get_indicator("GWP").unit_text
'kg CO2 eq'
>>> [i.code for i in default_indicators()]
['GWP', 'ADP', 'PE', 'WATER']
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pint

from lca.errors import DataNotFound
from lca.units import format_unit, parse_unit


@dataclass(frozen=True)
class Indicator:
    """A characterised impact category.

    Parameters
    ----------
    code : str
        Short identifier used in inventories and tables, e.g. ``"GWP"``.
    name : str
        Long name, e.g. ``"Climate change, GWP100"``.
    unit_text : str
        Unit of results, e.g. ``"kg CO2 eq"``.
    method : str
        The characterisation method or source.
    """

    code: str
    name: str
    unit_text: str
    method: str = ""

    @property
    def unit(self) -> pint.Unit:
        """The pint unit of this indicator's results."""
        return parse_unit(self.unit_text, f"indicator {self.code}")


_DEFAULTS = (
    Indicator(
        "GWP",
        "Climate change, global warming potential (GWP100)",
        "kg CO2 eq",
        "GWP100 in kg CO2 eq; the shipped factors mix bases (IPCC AR5 life-cycle factors, CO2-only "
        "freight factors, bases their sources do not state): each dataset entry states its gwp_basis; "
        "elementary flows: IPCC 2021, climate change, global warming potential (GWP100), ecoinvent 3.9 "
        "LCIA implementation",
    ),
    Indicator(
        "ADP",
        "Abiotic depletion potential, minerals and metals",
        "kg Sb eq",
        "CML-IA ultimate reserves, as used by EF 3.1 (ADPe); elementary flows: EF v3.1, material "
        "resources: metals/minerals, ecoinvent 3.9 LCIA implementation",
    ),
    Indicator(
        "PE",
        "Primary energy consumption",
        "MJ",
        "Total primary energy (cumulative energy demand), renewable and non-renewable; elementary "
        "flows: Cumulative Energy Demand (CED), total, energy content (HHV), ecoinvent 3.9 LCIA "
        "implementation",
    ),
    Indicator(
        "WATER",
        "Water consumption",
        "L",
        "Consumed (not returned) fresh water, on-site and off-site; elementary flows: EN15804, "
        "use of net fresh water, ecoinvent 3.9 LCIA implementation",
    ),
)

_REGISTRY: dict[str, Indicator] = {i.code: i for i in _DEFAULTS}


def default_indicators() -> list[Indicator]:
    """The indicators every result reports, in display order."""
    return list(_DEFAULTS)


def register_indicator(indicator: Indicator) -> Indicator:
    """Add (or replace) an indicator in the registry; its unit is checked."""
    indicator.unit  # noqa: B018 - parse now so a bad unit fails here, not in a result
    _REGISTRY[indicator.code] = indicator
    return indicator


def get_indicator(code: str) -> Indicator:
    """Look up an indicator by code; an unknown code suggests the closest one."""
    try:
        return _REGISTRY[code]
    except KeyError:
        close = difflib.get_close_matches(code, list(_REGISTRY), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DataNotFound(
            f"indicator '{code}' is not registered{hint} (known: {', '.join(_REGISTRY)})"
        ) from None


def registered_indicators() -> list[Indicator]:
    """Every registered indicator, defaults first."""
    return list(_REGISTRY.values())


def unit_label(indicator: Indicator) -> str:
    """The indicator's unit as printed in tables."""
    return format_unit(indicator.unit)
