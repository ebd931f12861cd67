"""The one pint registry of ``lca``, with the indicator units.

Indicator units are given their own dimensions so that a kilogram of CO2 eq can never be
added to a kilogram of antimony eq: ``kg CO2 eq`` is ``kilogram * CO2eq`` with dimension
``[mass] * [global_warming]``. Spellings such as ``kg CO2-eq``, ``kg CO2e`` and
``kg Sb eq`` are normalised before parsing.

Counts (``item``, ``request``, ``run``, ``unit``) are dimensionless, as in pint and in
Brightway: ``gpu_hours / (lifetime * utilisation)`` is then a number of GPUs.

A ``year`` is 365 days (8,760 h), the convention of the BLOOM study and of hardware
lifetimes in LCA; pint's 365.25-day year stays available as ``julian_year``.

Examples
--------
>>> format_unit(Q_(57, "g CO2 eq/kWh").to("kg CO2eq/MWh").units)
'kg CO2 eq/MWh'
>>> float(Q_(1, "year").to("h").magnitude)
8760.0
"""

from __future__ import annotations

import re

import pint

from lca.errors import UnitError

_SPELLINGS = (
    (re.compile(r"CO2[\s_-]*(?:eq\.?|e)(?![A-Za-z])"), "CO2eq"),
    (re.compile(r"Sb[\s_-]*eq\.?(?![A-Za-z])"), "Sbeq"),
)


def _normalise(text: str) -> str:
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    return text


def _build_registry() -> pint.UnitRegistry:
    reg = pint.UnitRegistry(preprocessors=[_normalise], on_redefinition="ignore")
    for definition in (
        "year = 365 * day = yr = a",
        "CO2eq = [global_warming]",
        "Sbeq = [abiotic_depletion]",
        "item = count",
        "request = count",
        "run = count",
        "unit = count",
    ):
        reg.define(definition)
    reg.formatter.default_format = "~P"
    return reg


ureg: pint.UnitRegistry = _build_registry()
pint.set_application_registry(ureg)
Q_ = ureg.Quantity
Quantity = pint.Quantity


def parse_unit(text: str, field: str) -> pint.Unit:
    """Parse a unit, raising :class:`UnitError` that names the field.

    Parameters
    ----------
    text : str
        The unit as written, e.g. ``"kg CO2 eq"``; empty means dimensionless.
    field : str
        Where the unit was read, for the error message.

    Examples
    --------
    >>> parse_unit("kWh", "exchange 'power'")
    <Unit('kilowatt_hour')>
    """
    text = "" if text is None else str(text).strip()
    if text in ("", "-", "dimensionless"):
        return ureg.dimensionless
    try:
        return ureg.Unit(text)
    except (pint.errors.UndefinedUnitError, AttributeError, ValueError, TypeError):
        hint = _suggest_unit(text)
        raise UnitError(f"{field}: unit '{text}' is not a unit{hint}") from None
    except Exception as exc:  # pint's parser raises several kinds on garbage
        raise UnitError(f"{field}: unit '{text}' cannot be parsed ({exc})") from None


def _suggest_unit(text: str) -> str:
    import difflib

    known = [
        "kWh",
        "MWh",
        "GWh",
        "Wh",
        "W",
        "kW",
        "MW",
        "h",
        "day",
        "year",
        "kg",
        "g",
        "t",
        "kg CO2 eq",
        "g CO2 eq",
        "t CO2 eq",
        "kg Sb eq",
        "MJ",
        "L",
        "m**3",
        "item",
        "request",
        "run",
        "km",
        "t*km",
        "GB",
        "TB",
        "percent",
    ]
    close = difflib.get_close_matches(text, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def quantity(amount: float, unit: str, field: str) -> pint.Quantity:
    """Build a quantity from an amount and a unit text, naming ``field`` on error."""
    return Q_(amount, parse_unit(unit, field))


def conversion_factor(source: pint.Unit | pint.Quantity, target: pint.Unit, field: str) -> float:
    """Factor that converts a magnitude in ``source`` units into ``target`` units.

    Raises :class:`UnitError` naming ``field`` and both units when they do not convert.

    Examples
    --------
    >>> conversion_factor(ureg.Unit("t"), ureg.Unit("kg"), "x")
    1000.0
    """
    src = Q_(1.0, source.units if isinstance(source, pint.Quantity) else source)
    try:
        return float(src.to(target).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"{field}: cannot convert '{format_unit(src.units)}' "
            f"({src.dimensionality}) to '{format_unit(target)}' "
            f"({Q_(1, target).dimensionality})"
        ) from None


def format_unit(unit: pint.Unit | str) -> str:
    """A short, readable unit text: ``kg CO2 eq``, ``g CO2 eq/kWh``, ``kg Sb eq``, ``L``.

    Examples
    --------
    >>> format_unit("g CO2 eq/kWh")
    'g CO2 eq/kWh'
    """
    text = f"{ureg.Unit(unit):~P}".replace("l", "L") if str(unit) != "" else ""
    if text in ("", "dimensionless"):
        return "dimensionless"
    text = re.sub(r"(?<![A-Za-z])L(?=[A-Za-z])", "l", text)  # only the litre symbol is upper
    for marker, label in (("CO2eq", "CO2 eq"), ("Sbeq", "Sb eq")):
        if marker not in text:
            continue
        text = text.replace(f"{marker}·", "").replace(f"·{marker}", "").replace(marker, "")
        numerator, slash, denominator = text.partition("/")
        numerator = numerator or "1"
        text = f"{numerator} {label}{slash}{denominator}"
    return text
