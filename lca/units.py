"""The one pint registry of ``lca``, with the indicator units and exact conversion factors.

Indicator units are given their own dimensions so that a kilogram of CO2 eq can never be
added to a kilogram of antimony eq: ``kg CO2 eq`` is ``kilogram * CO2eq`` with dimension
``[mass] * [global_warming]``. Spellings such as ``kg CO2-eq``, ``kg CO2e`` and
``kg Sb eq`` are normalised before parsing.

Information has its own dimension (pint makes ``bit`` dimensionless): ``kg CO2 eq/GB``
never converts to ``kg CO2 eq``, and ``TB`` converts to ``GB`` (1000) and ``GiB``.

Counts (``item``, ``request``, ``run``, ``unit``) are dimensionless, as in pint and in
Brightway: ``gpu_hours / (lifetime * utilisation)`` is then a number of GPUs.

A ``year`` is 365 days (8,760 h), the convention of the BLOOM study and of hardware
lifetimes in LCA; pint's 365.25-day year stays available as ``julian_year``.

Conversion factors are computed directly between the two units, exactly
(:func:`conversion_factor`): each unit is expanded into its definitions as fractions
(``kWh`` = 1000 x 3600 J), so the factor from ``kWh`` to ``MWh`` is the float nearest 1/1000
and from ``g CO2 eq/kWh`` to ``kg CO2 eq/MWh`` exactly 1. Going through SI base units, as
pint's quantities do, gives 1 kWh -> J -> kWh = 0.9999999999999999.

Examples
--------
>>> format_unit(Q_(57, "g CO2 eq/kWh").to("kg CO2eq/MWh").units)
'kg CO2 eq/MWh'
>>> float(Q_(1, "year").to("h").magnitude)
8760.0
>>> float(Q_(1.0, "kWh").to("J").to("kWh").magnitude)
0.9999999999999999
>>> conversion_factor(parse_unit("g CO2 eq/kWh"), parse_unit("kg CO2 eq/MWh"))
1.0
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pint

from lca.errors import Problem, UnitError

_SPELLINGS = (
    (re.compile(r"CO2[\s_-]*(?:eq\.?|e)(?![A-Za-z])"), "CO2eq"),
    (re.compile(r"Sb[\s_-]*eq\.?(?![A-Za-z])"), "Sbeq"),
)
#: Longest unit text read; longer texts are refused before pint sees them.
MAX_UNIT_LENGTH = 100
#: A power in a unit text must have a small exponent (``m**3``, ``s^-1``, ``m**(-2)``).
_POWER = re.compile(r"\*\*|\^")
_EXPONENT = re.compile(r"\s*(\(\s*)?([-+]?[\w.]*)")  #: what follows ** or ^: the whole number token
_SMALL_EXPONENT = re.compile(r"[-+]?\d{1,2}(?:\.\d{1,3})?")
_LONG_NUMBER = re.compile(r"\d{7,}")


def _normalise(text: str) -> str:
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    return text


def _definitions() -> list[str]:
    """pint's default definitions, with information as a dimension of its own."""
    folder = Path(pint.__file__).parent
    text = (folder / "default_en.txt").read_text(encoding="utf-8")
    text = text.replace("@import constants_en.txt", (folder / "constants_en.txt").read_text(encoding="utf-8"))
    if "\nbit = []" not in text:  # pragma: no cover - a pint release that changed its file
        raise RuntimeError("pint's definitions no longer define 'bit = []'; update lca.units")
    return text.replace("\nbit = []", "\nbit = [information]").splitlines()


def _build_registry() -> pint.UnitRegistry:
    reg = pint.UnitRegistry(None, preprocessors=[_normalise], on_redefinition="ignore")
    reg.load_definitions(_definitions())
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


def parse_unit(text: str, field: str = "") -> pint.Unit:
    """Parse a unit (each text is parsed once), raising :class:`UnitError` that names the field.

    Parameters
    ----------
    text : str
        The unit as written, e.g. ``"kg CO2 eq"``; empty means dimensionless.
    field : str
        Where the unit was read, for the error message (a caller that knows the record
        puts its own place on the error's problem instead).

    Examples
    --------
    >>> parse_unit("kWh", "exchange 'power'")
    <Unit('kilowatt_hour')>
    """
    unit = _PARSED.get(text) if isinstance(text, str) else None
    if unit is not None:
        return unit
    text = "" if text is None else str(text).strip()
    try:
        return _parse(text)
    except UnitError as exc:
        raise UnitError(replace(exc.problems[0], where=field)) from None


_PARSED: dict[str, pint.Unit] = {}  #: unit texts already parsed, as written


def _parse(text: str) -> pint.Unit:
    unit = _PARSED.get(text)
    if unit is None:
        if len(_PARSED) > 100_000:  # bounded, whatever the input
            _PARSED.clear()
        unit = _PARSED[text] = _parse_new(text)
    return unit


def _parse_new(text: str) -> pint.Unit:
    if text in ("", "-", "dimensionless"):
        return ureg.dimensionless
    refused = _refused(text)
    if refused:
        raise UnitError(
            Problem(
                "",
                field="",
                value=text,
                expected="a unit such as kWh, kg CO2 eq or t*km",
                message=refused,
                error=UnitError,
            )
        )
    try:
        return ureg.Unit(text)
    except (pint.errors.UndefinedUnitError, AttributeError, ValueError, TypeError):
        raise UnitError(
            Problem(
                "",
                field="",
                value=text,
                expected="a unit",
                message=f"unit '{text}' is not a unit",
                hint=_suggest_unit(text),
                error=UnitError,
            )
        ) from None
    except Exception as exc:  # pint's parser raises several kinds on garbage
        message = f"unit '{text}' cannot be parsed ({exc})"
        raise UnitError(
            Problem("", field="", value=text, expected="a unit", message=message, error=UnitError)
        ) from None


def _refused(text: str) -> str:
    """Why a unit text is refused before pint parses it (pint computes powers exactly)."""
    if len(text) > MAX_UNIT_LENGTH:
        return f"unit text is {len(text)} characters long; expected at most {MAX_UNIT_LENGTH}"
    if _LONG_NUMBER.search(text):
        return f"unit '{text}' holds a number of 7 or more digits; expected a unit such as kWh or t*km"
    for match in _POWER.finditer(text):
        rest = text[match.end() :]
        exponent = _EXPONENT.match(rest)
        after = rest[exponent.end() :].lstrip()  # a power of a power, or 1e308, 1_000, 0x10, nan...
        if (
            not _SMALL_EXPONENT.fullmatch(exponent.group(2))
            or after.startswith(("**", "^"))
            or (exponent.group(1) and not after.startswith(")"))
        ):
            return f"unit '{text}' has a power that is not a small number; expected e.g. m**3 or s**-1"
    return ""


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
    return f"did you mean '{close[0]}'?" if close else ""


def quantity(amount: float, unit: str, field: str) -> pint.Quantity:
    """Build a quantity from an amount and a unit text, naming ``field`` on error."""
    return Q_(amount, parse_unit(unit, field))


# -- exact conversion factors ------------------------------------------------------------------
class _Inexact(Exception):
    """A unit whose definition is not a plain scale (an offset, a logarithm)."""


def _fraction(scale: float | int) -> Fraction:
    """The exact value a definition's scale was written as (``1e-3`` is 1/1000)."""
    if isinstance(scale, int):
        return Fraction(scale)
    value = Fraction(repr(float(scale)))
    if len(value.denominator.__str__()) > 15:  # written as a ratio: 1/36 stored as 0.0277...
        close = Fraction(scale).limit_denominator(10**9)
        if float(close) == scale:
            return close
    return value


@lru_cache(maxsize=4096)
def _root(name: str) -> tuple[Fraction, tuple[tuple[str, int], ...]]:
    """A unit name as an exact factor times base dimensions (dimensionless bases dropped)."""
    if name == "dimensionless":
        return Fraction(1), ()
    if name in ureg._units:  # 'unit' is a unit, not micro-nit
        prefix, unit_name = "", name
    else:
        prefix, unit_name, _suffix = ureg.parse_unit_name(name)[0]
    factor = _fraction(ureg._prefixes[prefix].converter.scale) if prefix else Fraction(1)
    definition = ureg._units[unit_name]
    converter = definition.converter
    if type(converter).__name__ != "ScaleConverter":
        raise UnitError(
            Problem(
                "",
                field="",
                value=name,
                expected="a multiplicative unit (K, not degC)",
                message=f"unit '{name}' has an offset or is logarithmic; "
                "expected a multiplicative unit such as K",
                error=UnitError,
            )
        )
    factor *= _fraction(converter.scale)
    if definition.is_base:
        dims = tuple((d, int(e)) for d, e in definition.reference.items() if d != "[]")
        return factor, dims
    sub_factor, dims = _expand(tuple(definition.reference.items()))
    return factor * sub_factor, dims


def _expand(items: tuple[tuple[str, float], ...]) -> tuple[Fraction, tuple[tuple[str, int], ...]]:
    factor = Fraction(1)
    dims: dict[str, int] = {}
    for name, exponent in items:
        if float(exponent) != int(exponent):
            raise _Inexact(name)
        sub, sub_dims = _root(name)
        factor *= sub ** int(exponent)
        for d, e in sub_dims:
            dims[d] = dims.get(d, 0) + e * int(exponent)
    return factor, tuple(sorted((d, e) for d, e in dims.items() if e))


@lru_cache(maxsize=16384)
def _factor(source: pint.Unit, target: pint.Unit) -> float | None:
    """The exact factor from ``source`` to ``target``; None when the dimensions differ."""
    try:
        src, src_dims = _expand(tuple(source._units.items()))
        dst, dst_dims = _expand(tuple(target._units.items()))
    except _Inexact:
        try:
            return float(Q_(1.0, source).to(target).magnitude)
        except pint.errors.DimensionalityError:
            return None
    if src_dims != dst_dims:
        return None
    return float(src / dst)


def conversion_factor(source: pint.Unit | pint.Quantity, target: pint.Unit, field: str = "") -> float:
    """Factor that converts a magnitude in ``source`` units into ``target`` units, exactly.

    Raises :class:`UnitError` naming ``field``, both units and both dimensions when they do
    not convert.

    Examples
    --------
    >>> conversion_factor(ureg.Unit("t"), ureg.Unit("kg"), "x")
    1000.0
    >>> conversion_factor(ureg.Unit("kWh"), ureg.Unit("MWh"), "x") == 1e-3
    True
    >>> conversion_factor(ureg.Unit("TB"), ureg.Unit("GB"), "x")
    1000.0
    """
    unit = source.units if isinstance(source, pint.Quantity) else source
    factor = _factor(unit, target)
    if factor is None:
        raise UnitError(unit_mismatch(field, "", unit, target))
    return factor


def unit_mismatch(where: object, field: str, source: pint.Unit, target: pint.Unit, what: str = "") -> Problem:
    """The problem of a unit that does not convert: both units and both dimensions, as fields."""
    src, dst = format_unit(source), format_unit(target)
    src_dim, dst_dim = str(Q_(1, source).dimensionality), str(Q_(1, target).dimensionality)
    text = what or f"cannot convert '{src}' ({src_dim}) to '{dst}' ({dst_dim})"
    return Problem(
        where,
        field=field,
        value=src,
        expected=f"a unit that converts to '{dst}'",
        message=text,
        units=(src, dst),
        dimensions=(src_dim, dst_dim),
        error=UnitError,
    )


def same_dimension(a: pint.Unit, b: pint.Unit) -> bool:
    """True when ``a`` converts to ``b`` (cached, exact)."""
    return _factor(a, b) is not None


def format_unit(unit: pint.Unit | str) -> str:
    """A short, readable unit text: ``kg CO2 eq``, ``g CO2 eq/kWh``, ``kg Sb eq``, ``L``.

    Examples
    --------
    >>> format_unit("g CO2 eq/kWh")
    'g CO2 eq/kWh'
    """
    return _format(unit if isinstance(unit, pint.Unit) else ureg.Unit(unit) if str(unit) != "" else "")


@lru_cache(maxsize=4096)
def _format(unit: pint.Unit | str) -> str:
    text = f"{unit:~P}".replace("l", "L") if str(unit) != "" else ""
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
