"""Standard impact methods over elementary flows, as bw2io packages them (no project needed).

bw2io ships the ecoinvent 3.9 LCIA implementation (``data/lcia/lcia_39_ecoinvent.zip``,
762 method categories: EF v3.0 and v3.1, IPCC 2021, Cumulative Energy Demand, ReCiPe
2016...) and the ecoinvent 3.9 elementary flow list (``data/lci/ecoinvent elementary flows
3.9.xml``, the EcoSpold2 master file that ``bw2io.create_default_biosphere3`` reads). This
module reads both from the installed bw2io package, lazily and without importing bw2data
(so nothing is written to a Brightway folder): nothing of them is copied into ``lca``.

A method category is named as in Brightway, a tuple such as ``("IPCC 2021", "climate
change", "global warming potential (GWP100)")``; its factors are per reference unit of
each elementary flow (biosphere3 UUID). The four default indicators characterise
elementary flows with one category each (:data:`DEFAULT_METHODS`).

Examples
--------
>>> DEFAULT_METHODS["GWP"]
('IPCC 2021', 'climate change', 'global warming potential (GWP100)')
>>> indicator_unit_text("kg CO2-Eq"), indicator_unit_text("MJ-Eq")
('kg CO2 eq', 'MJ')
"""

from __future__ import annotations

import difflib
import functools
import importlib.metadata
import importlib.util
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lca.errors import DataNotFound, InventoryError, LcaError, UnitError
from lca.indicators import Indicator, register_indicator
from lca.model.records import Flow, Model
from lca.units import conversion_factor, parse_unit, ureg

MethodName = tuple[str, ...]

#: The method category each default indicator characterises elementary flows with
#: (ecoinvent 3.9 LCIA implementation, as packaged in bw2io):
#: GWP: IPCC 2021 (AR6, Forster et al. 2021, table 7.SM.7) GWP100, all climate-change flows;
#: ADP: EF 3.1 (EC JRC 2022) abiotic depletion of elements, ultimate reserves (CML-IA);
#: PE: Cumulative Energy Demand (Frischknecht et al. 2007, ecoinvent report 3), total, HHV;
#: WATER: EN 15804+A2 inventory indicator "use of net fresh water" (withdrawn minus
#: returned fresh water, i.e. consumption), in m3, reported in L.
DEFAULT_METHODS: dict[str, MethodName] = {
    "GWP": ("IPCC 2021", "climate change", "global warming potential (GWP100)"),
    "ADP": (
        "EF v3.1",
        "material resources: metals/minerals",
        "abiotic depletion potential (ADP): elements (ultimate reserves)",
    ),
    "PE": ("Cumulative Energy Demand (CED)", "total", "energy content (HHV)"),
    "WATER": ("EN15804", "inventory indicators ISO21930", "use of net fresh water"),
}

#: Brightway / ecoinvent unit names -> pint unit texts of :mod:`lca.units`.
BRIGHTWAY_UNITS: dict[str, str] = {
    "kilogram": "kg",
    "gram": "g",
    "ton": "t",  # a metric tonne in Brightway (pint's 'ton' is the short ton)
    "kilo Becquerel": "kBq",
    "megajoule": "MJ",
    "kilojoule": "kJ",
    "kilowatt hour": "kWh",
    "watt hour": "Wh",
    "cubic meter": "m**3",
    "standard cubic meter": "m**3",
    "Sm3": "m**3",
    "litre": "L",
    "liter": "L",
    "square meter": "m**2",
    "square meter-year": "m**2*year",
    "cubic meter-year": "m**3*year",
    "meter-year": "m*year",
    "m2": "m**2",
    "m3": "m**3",
    "m2*year": "m**2*year",
    "m3*year": "m**3*year",
    "ton kilometer": "t*km",
    "person kilometer": "km",
    "vehicle kilometer": "km",
    "kilometer": "km",
    "meter": "m",
    "hour": "h",
    "kilowatt": "kW",
    "unit": "unit",
    "dimensionless": "",
    # method units
    "kg CO2-Eq": "kg CO2 eq",
    "kg Sb-Eq": "kg Sb eq",
    "MJ-Eq": "MJ",
    "MJ, net calorific value": "MJ",
}
_LCIA_FILE = ("data", "lcia", "lcia_39_ecoinvent.zip")
_FLOWS_FILE = ("data", "lci", "ecoinvent elementary flows 3.9.xml")
_NS = "{http://www.EcoInvent.org/EcoSpold02}"


@dataclass(frozen=True)
class ElementaryFlow:
    """One elementary flow of the ecoinvent 3.9 list (biosphere3)."""

    uuid: str
    name: str
    categories: tuple[str, ...]
    unit: str  # as in ecoinvent, e.g. "kg", "m2*year"

    @property
    def label(self) -> str:
        """``name (compartment, sub-compartment) [unit]``."""
        return f"{self.name} ({', '.join(self.categories)}) [{self.unit}]"


@dataclass(frozen=True)
class ImpactCategory:
    """One category of an impact method: a factor per elementary flow (biosphere3 UUID).

    ``unit`` is the result unit as Brightway writes it (``"kg CO2-Eq"``); a factor is in
    ``unit`` per reference unit of its flow.
    """

    name: MethodName
    unit: str
    factors: Mapping[str, float]
    source: str

    @property
    def unit_text(self) -> str:
        """The result unit as an :mod:`lca.units` text (its own dimension if unknown)."""
        return indicator_unit_text(self.unit)

    def label(self) -> str:
        """``'IPCC 2021 | climate change | global warming potential (GWP100)'``."""
        return " | ".join(self.name)


# -- the packaged data ---------------------------------------------------------------------
def _bw2io_file(parts: Iterable[str]) -> Path:
    spec = importlib.util.find_spec("bw2io")
    if spec is None or spec.origin is None:
        raise LcaError(
            "impact methods over elementary flows need bw2io (its packaged ecoinvent LCIA data): "
            "pip install 'lca[brightway]'"
        )
    path = Path(spec.origin).parent.joinpath(*parts)
    if not path.is_file():
        raise LcaError(f"bw2io {bw2io_version()} does not ship {'/'.join(parts)}; expected bw2io 0.9.17")
    return path


def bw2io_version() -> str:
    """The installed bw2io version, quoted with every method category it provides."""
    try:
        return importlib.metadata.version("bw2io")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@functools.cache
def _packaged_categories() -> dict[MethodName, tuple[str, list[dict[str, Any]]]]:
    with zipfile.ZipFile(_bw2io_file(_LCIA_FILE)) as archive, archive.open("data.json") as handle:
        data = json.load(handle)
    return {tuple(m["name"]): (m["unit"], m["exchanges"]) for m in data}


@functools.cache
def elementary_flows() -> dict[str, ElementaryFlow]:
    """The ecoinvent 3.9 elementary flows shipped by bw2io, by UUID (4,709 flows)."""
    from defusedxml import ElementTree

    root = ElementTree.parse(_bw2io_file(_FLOWS_FILE)).getroot()
    flows = {}
    for node in root.iter(f"{_NS}elementaryExchange"):
        comp = node.find(f"{_NS}compartment")
        categories = tuple(
            c.text or "" for c in (comp.find(f"{_NS}compartment"), comp.find(f"{_NS}subcompartment"))
        )
        if categories[-1] == "unspecified":  # as bw2io's drop_unspecified_subcategories
            categories = categories[:-1]
        uuid = node.get("id")
        flows[uuid] = ElementaryFlow(
            uuid, node.findtext(f"{_NS}name"), categories, node.findtext(f"{_NS}unitName")
        )
    return flows


@functools.cache
def _flows_by_name() -> dict[tuple[str, tuple[str, ...]], ElementaryFlow]:
    return {(f.name.lower(), f.categories): f for f in elementary_flows().values()}


def method_names() -> list[MethodName]:
    """Every method category bw2io packages, in its order."""
    return list(_packaged_categories())


def search_methods(text: str = "") -> list[MethodName]:
    """Categories whose name contains every word of ``text`` (case-insensitive).

    Examples
    --------
    >>> ef_gwp = ("EF v3.1", "climate change", "global warming potential (GWP100)")
    >>> ef_gwp in search_methods("ef v3.1 climate")
    True
    """
    words = text.lower().split()
    return [n for n in method_names() if all(w in " | ".join(n).lower() for w in words)]


def suggest_method(name: Iterable[str]) -> str:
    """``"; did you mean 'A | B | C'?"`` for the closest packaged category, or ``""``."""
    labels = [" | ".join(n) for n in method_names()]
    close = difflib.get_close_matches(" | ".join(name), labels, n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""


@functools.cache
def impact_category(name: MethodName) -> ImpactCategory:
    """The packaged category ``name``; an unknown name suggests the closest.

    Raises
    ------
    DataNotFound
        ``name`` is not one of :func:`method_names`.
    """
    name = tuple(name)
    packaged = _packaged_categories()
    if name not in packaged:
        raise DataNotFound(
            f"impact method {list(name)} is not in the ecoinvent 3.9 LCIA implementation of bw2io "
            f"{bw2io_version()}{suggest_method(name)} (lca methods SEARCH lists them)"
        )
    unit, exchanges = packaged[name]
    factors: dict[str, float] = {}
    for cf in exchanges:
        uuid = cf["input"][1]
        factors[uuid] = factors.get(uuid, 0.0) + float(cf["amount"])
    source = (
        "ecoinvent 3.9 LCIA implementation (LCIA_Implementation_3.9.xlsx), "
        f"as packaged in bw2io {bw2io_version()}"
    )
    return ImpactCategory(name, unit, factors, source)


# -- units -----------------------------------------------------------------------------------
def brightway_unit(text: str) -> str:
    """The :mod:`lca.units` text of a Brightway unit name (``"ton kilometer"`` -> ``"t*km"``)."""
    return BRIGHTWAY_UNITS.get(text, text)


def indicator_unit_text(text: str) -> str:
    """A Brightway method unit as an lca unit text; an unknown one becomes its own dimension.

    ``"mol H+-Eq"`` becomes the unit ``mol_H_Eq`` of dimension ``[mol_H_Eq]``: a result in
    it can never be added to another category's.
    """
    if text in BRIGHTWAY_UNITS:
        return BRIGHTWAY_UNITS[text]
    ident = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_") or "impact"
    if not ident[0].isalpha():
        ident = f"u_{ident}"
    if ident not in ureg:
        ureg.define(f"{ident} = [{ident}]")
    return ident


# -- a model's methods -----------------------------------------------------------------------
def read_methods(value: Any, where: str) -> dict[str, MethodName]:
    """The ``methods`` of a data file as ``{indicator code: category name}``.

    A list of names gets codes from the category (its second part, or the whole name when
    two listed categories share it); a mapping gives the codes (``GWP: [EF v3.1, ...]``
    maps a default indicator to another category).

    Examples
    --------
    >>> read_methods([["EF v3.1", "acidification", "accumulated exceedance (AE)"]], "m")
    {'acidification': ('EF v3.1', 'acidification', 'accumulated exceedance (AE)')}
    """

    def name_of(item: Any, at: str) -> MethodName:
        if isinstance(item, str) or not isinstance(item, list | tuple) or not item:
            raise LcaError(
                f"{at}: {item!r} is not a method name; expected a list such as {list(DEFAULT_METHODS['GWP'])}"
            )
        return tuple(str(part) for part in item)

    if value is None:
        return {}
    if isinstance(value, Mapping):
        return {str(code): name_of(item, f"{where}.{code}") for code, item in value.items()}
    if not isinstance(value, list):
        raise LcaError(f"{where}: expected a list of method names, e.g. [{list(DEFAULT_METHODS['GWP'])}]")
    names = [name_of(item, f"{where}[{n}]") for n, item in enumerate(value)]
    seconds = [n[1] if len(n) > 1 else n[0] for n in names]
    return {(s if seconds.count(s) == 1 else " | ".join(n)): n for s, n in zip(seconds, names, strict=True)}


def model_methods(model: Model) -> dict[str, MethodName]:
    """The categories a model names (``model.info["methods"]``), by indicator code."""
    return {code: tuple(name) for code, name in (model.info.get("methods") or {}).items()}


def category_indicator(code: str, name: MethodName) -> Indicator:
    """The :class:`Indicator` of a packaged category, registered under ``code``."""
    category = impact_category(name)
    return register_indicator(
        Indicator(code, ", ".join(name[1:]) or name[0], category.unit_text, method_text(category))
    )


def method_text(category: ImpactCategory) -> str:
    """``'IPCC 2021: climate change, ... (ecoinvent 3.9 LCIA implementation, bw2io 0.9.17)'``."""
    return f"{category.name[0]}: {', '.join(category.name[1:])} ({category.source})"


# -- characterisation ------------------------------------------------------------------------
def match_flow(flow: Flow) -> ElementaryFlow:
    """The ecoinvent elementary flow a model flow names (UUID, else name and categories).

    Raises
    ------
    InventoryError
        Naming the flow, with the closest known flow.
    """
    known = elementary_flows()
    if flow.uuid:
        if flow.uuid in known:
            return known[flow.uuid]
    else:
        found = _flows_by_name().get((flow.name.lower(), tuple(flow.categories)))
        if found is not None:
            return found
    labels = {f.label: f for f in known.values()}
    wanted = f"{flow.name} ({', '.join(flow.categories)})"
    close = difflib.get_close_matches(wanted, list(labels), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}' (uuid {labels[close[0]].uuid})?" if close else ""
    what = f"uuid '{flow.uuid}'" if flow.uuid else f"'{wanted}'"
    raise InventoryError(f"flow '{flow.code}': {what} is not an ecoinvent 3.9 elementary flow{hint}")


def characterise(flow: Flow, category: ImpactCategory, indicator: Indicator) -> float:
    """The factor of ``flow`` in ``category``, in ``indicator``'s unit per ``flow.unit``.

    Raises
    ------
    UnitError
        The flow's unit does not convert to the elementary flow's, or the category's unit
        to the indicator's.
    """
    elementary = match_flow(flow)
    per_reference = _per_reference(
        flow.unit.strip(), elementary.unit, f"flow '{flow.code}' ({elementary.label})"
    )
    factor = category.factors.get(elementary.uuid, 0.0)
    if factor == 0.0:
        return 0.0
    return (
        factor
        * per_reference
        * _to_indicator(category.unit_text, indicator.unit_text, category.label(), indicator.code)
    )


@functools.lru_cache(maxsize=1024)
def _per_reference(unit: str, reference: str, where: str) -> float:
    """Factor from a flow's unit to its elementary flow's reference unit."""
    if unit == reference or brightway_unit(unit) == brightway_unit(reference):
        return 1.0
    target = _parse_brightway_unit(reference, where)
    if target is None:
        raise UnitError(
            f"{where}: unit '{unit}' differs from the elementary flow's '{reference}', which does not convert"
        )
    return conversion_factor(parse_unit(brightway_unit(unit), f"{where} unit"), target, f"{where} unit")


@functools.lru_cache(maxsize=1024)
def _to_indicator(unit: str, indicator_unit: str, label: str, code: str) -> float:
    return conversion_factor(
        parse_unit(unit, f"method {label} unit"),
        parse_unit(indicator_unit, f"indicator {code} unit"),
        f"method {label} for indicator {code}",
    )


def _parse_brightway_unit(text: str, where: str) -> Any:
    try:
        return parse_unit(brightway_unit(text), where)
    except UnitError:
        return None


def categories_for(
    indicators: Iterable[Indicator], methods: Mapping[str, MethodName]
) -> dict[str, ImpactCategory]:
    """The category that characterises elementary flows for each indicator that has one."""
    names = {code: methods.get(code, DEFAULT_METHODS.get(code)) for code in (i.code for i in indicators)}
    return {code: impact_category(name) for code, name in names.items() if name is not None}


def model_indicators(base: list[Indicator], methods: Mapping[str, MethodName]) -> list[Indicator]:
    """``base`` indicators with a model's method categories: a default one remapped, others added.

    A default indicator's ``method`` then names the category and the bw2io version it comes from.
    """
    result = [
        replace(i, method=method_text(impact_category(DEFAULT_METHODS[i.code])))
        if i.code in DEFAULT_METHODS and i.code not in methods
        else i
        for i in base
    ]
    position = {ind.code: n for n, ind in enumerate(result)}
    for code, name in methods.items():
        category = impact_category(name)
        if code in position:
            indicator = result[position[code]]
            _to_indicator(category.unit_text, indicator.unit_text, category.label(), code)  # units agree
            result[position[code]] = replace(indicator, method=method_text(category))
        else:
            result.append(category_indicator(code, name))
    return result


def characterised_flow(
    flow: Flow, indicators: list[Indicator], categories: Mapping[str, ImpactCategory]
) -> Flow:
    """``flow`` with factors from ``categories``; a factor the flow states itself is kept."""
    factors = {}
    for indicator in indicators:
        if indicator.code in categories:
            value = characterise(flow, categories[indicator.code], indicator)
            if value:
                factors[indicator.code] = value
    factors.update(flow.factors)
    return replace(flow, factors=factors)


def read_methods_text(value: Any, where: str) -> dict[str, MethodName]:
    """``methods`` written in a workbook cell: YAML flow text, read as :func:`read_methods` reads a list.

    Examples
    --------
    >>> read_methods_text("[[EF v3.1, acidification, accumulated exceedance (AE)]]", "Model!B9")
    {'acidification': ('EF v3.1', 'acidification', 'accumulated exceedance (AE)')}
    """
    if isinstance(value, str):
        from lca.io.yaml_read import parse_yaml

        value = parse_yaml(value, where)
    return read_methods(value, where)
