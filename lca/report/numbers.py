"""Numbers a person reads: the one formatter of every output (report, charts, command line).

* :func:`format_number`: 4 significant digits, thousands separated, never e-notation
  (``1.56 × 10⁻⁶`` beyond 1e-4 and 1e9).
* :func:`display_unit`: the prefixed unit that reads best for a magnitude, per indicator
  unit (``kg CO2 eq`` -> ``t CO2 eq``, ``kg Sb eq`` -> ``mg Sb eq``, ``MJ`` -> ``GJ``,
  ``L`` -> ``m³``); :func:`format_quantity` uses it.
* :func:`format_table`: a phase x indicator table as text cells, one display unit per
  column (in its header), ``n/a`` where there is no data and ``>= x`` for a lower bound.

Only the text is rounded: tables keep their exact floats, and CSV, JSON and workbook cells
hold them in full precision.

Examples
--------
>>> format_number(50892.563017), format_number(0.033526), format_number(1.56e-06)
('50,890', '0.03353', '1.56 × 10⁻⁶')
>>> format_quantity(50892.563, "kg CO2 eq"), format_quantity(6.597e-06, "kg Sb eq")
('50.89 t CO2 eq', '6.597 mg Sb eq')
>>> format_quantity(float("nan"), "MJ"), format_quantity(19123.4, "kg CO2 eq", bound="lower")
('n/a', '>= 19.12 t CO2 eq')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

#: Significant digits of every number a person reads.
SIGNIFICANT = 4
#: What a cell with no data reads (never 0).
NOT_AVAILABLE = "n/a"
#: Marks a total that misses some data: the true value is at least this.
LOWER_BOUND = ">= "

# Each ladder: the unit texts of one quantity and their size in the ladder's first unit.
_LADDERS: tuple[tuple[tuple[str, float], ...], ...] = (
    (("µg", 1e-9), ("mg", 1e-6), ("g", 1e-3), ("kg", 1.0), ("t", 1e3), ("kt", 1e6), ("Mt", 1e9)),
    (("J", 1e-6), ("kJ", 1e-3), ("MJ", 1.0), ("GJ", 1e3), ("TJ", 1e6), ("PJ", 1e9)),
    (("Wh", 1e-3), ("kWh", 1.0), ("MWh", 1e3), ("GWh", 1e6), ("TWh", 1e9)),
    (("mL", 1e-3), ("L", 1.0), ("m³", 1e3)),
)
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(value: float | None, significant: int = SIGNIFICANT) -> str:
    """A number for reading: ``significant`` digits, thousands separated, no e-notation.

    Between 1e-4 and 1e9 the number is written out (``0.0001234``, ``123,400,000``); beyond,
    as a power of ten (``1.23 × 10¹²``). ``None`` and NaN read ``n/a``.

    Examples
    --------
    >>> format_number(7795214.6), format_number(0.0), format_number(1.0), format_number(360.116)
    ('7,795,000', '0', '1', '360.1')
    >>> format_number(-0.5), format_number(2.5e12, 3), format_number(None), format_number(float("inf"))
    ('-0.5', '2.5 × 10¹²', 'n/a', '∞')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    rounded = round(value, significant - 1 - magnitude)
    if rounded and math.floor(math.log10(abs(rounded))) != magnitude:  # 9.9996 -> 10.00
        magnitude += 1
    if not -4 <= magnitude < 9:
        mantissa = _trim(f"{rounded / 10**magnitude:.{significant - 1}f}")
        return f"{mantissa} × 10{str(magnitude).translate(_SUPERSCRIPT)}"
    decimals = max(significant - 1 - magnitude, 0)
    return _trim(f"{rounded:,.{decimals}f}")


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_probability(value: float) -> str:
    """A probability as a percentage: whole percents, but 0.1% steps near 0 and 1.

    Examples
    --------
    >>> format_probability(0.7349), format_probability(0.9996), format_probability(1.0)
    ('73%', '100.0%', '100%')
    """
    if 0.01 <= value <= 0.99 or value in (0.0, 1.0):
        return f"{value:.0%}"
    return f"{value:.1%}"  # 99.96% reads 100.0%, not a certain 100%


def display_unit(unit: str, magnitude: float) -> tuple[str, float]:
    """The unit in which ``magnitude`` (in ``unit``) reads best, and the factor to it.

    The prefix is chosen so that ``magnitude`` reads between 1 and 1,000 where the unit's
    ladder allows it; a unit outside the ladders (``mol H+ eq``, ``item``) is kept.
    Multiply a value by the factor to express it in the display unit.

    Examples
    --------
    >>> display_unit("kg CO2 eq", 50892.56)
    ('t CO2 eq', 0.001)
    >>> display_unit("kg Sb eq", 6.597e-06), display_unit("MJ", 8.015e6), display_unit("L", 2.535e6)
    (('mg Sb eq', 1000000.0), ('TJ', 1e-06), ('m³', 0.001))
    >>> display_unit("kg CO2 eq", 360.1), display_unit("item", 3e7), display_unit("kg", 0)
    (('kg CO2 eq', 1.0), ('item', 1.0), ('kg', 1.0))
    """
    head, _, rest = unit.partition(" ")
    ladder = next((steps for steps in _LADDERS if head in dict(steps)), None)
    if ladder is None or not magnitude or not math.isfinite(magnitude):
        return unit, 1.0
    size = dict(ladder)[head]
    amount = abs(magnitude) * size  # in the ladder's first unit
    name, step = ladder[0]
    for candidate, candidate_size in ladder:
        if amount / candidate_size >= 1 - 1e-12:
            name, step = candidate, candidate_size
    factor = _ratio(size, step)
    return (f"{name} {rest}" if rest else name), factor


def _ratio(size: float, step: float) -> float:
    """``size / step`` for two powers of ten, as the exact decimal (1e-3, not 0.0010000000000000002)."""
    return float(f"1e{round(math.log10(size / step))}")


def format_quantity(
    value: float | None,
    unit: str,
    significant: int = SIGNIFICANT,
    *,
    reference: float | None = None,
    bound: str = "",
) -> str:
    """``value`` (in ``unit``) with the unit prefix that reads best.

    ``reference`` chooses the prefix (default: ``value``), so that numbers compared with
    each other share one unit. ``bound="lower"`` marks an incomplete total (``>= ...``).

    Examples
    --------
    >>> format_quantity(360.116, "kg CO2 eq", reference=50892.56)
    '0.3601 t CO2 eq'
    >>> format_quantity(0.001561, "kg CO2 eq"), format_quantity(2.535e6, "L")
    ('1.561 g CO2 eq', '2,535 m³')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    shown, factor = display_unit(unit, value if reference is None else reference)
    text = f"{format_number(value * factor, significant)} {shown}".rstrip()
    return (LOWER_BOUND + text) if bound == "lower" else text


def column_scale(values: Any, unit: str) -> tuple[str, float]:
    """One display unit for a column of values: chosen from its largest magnitude."""
    finite = [abs(float(v)) for v in values if v is not None and math.isfinite(float(v))]
    return display_unit(unit, max(finite, default=0.0))


def format_cell(value: float | None, factor: float = 1.0, coverage: str = "complete") -> str:
    """A table cell: ``n/a`` without data, ``>= x`` for a lower bound, else the number.

    Examples
    --------
    >>> format_cell(0.0, coverage="none"), format_cell(2535000.0, 1e-3, "partial"), format_cell(360.1)
    ('n/a', '>= 2,535', '360.1')
    """
    if coverage == "none" or value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    text = format_number(value * factor)
    return LOWER_BOUND + text if coverage == "partial" else text


def format_table(
    frame: pd.DataFrame,
    units: Mapping[str, str],
    coverage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A rows x indicators table as text, one display unit per column, in its header.

    Parameters
    ----------
    frame : pandas.DataFrame
        Exact values, one column per indicator code (``Result.phase_table(units_in_header=False)``).
    units : dict
        Indicator code -> unit text of its column.
    coverage : pandas.DataFrame, optional
        Same shape, ``"complete"``, ``"partial"`` or ``"none"`` (``Result.coverage()``): a
        cell without data reads ``n/a`` and a partial one ``>= x``. NaN cells read ``n/a``
        in any case.

    Returns
    -------
    pandas.DataFrame
        Text cells; columns ``"GWP [t CO2 eq]"``... Print it, or write its cells as CSV or Markdown.

    Examples
    --------
    >>> frame = pd.DataFrame({"GWP": [11211.45, 360.12, 11571.57], "ADP": [0.0, 0.0, 0.0]},
    ...                      index=pd.Index(["manufacturing", "deployment", "total"], name="phase"))
    >>> cover = pd.DataFrame({"GWP": ["complete"] * 3, "ADP": ["none"] * 3}, index=frame.index)
    >>> print(format_table(frame, {"GWP": "kg CO2 eq", "ADP": "kg Sb eq"}, cover))
    ... # doctest: +NORMALIZE_WHITESPACE
                  GWP [t CO2 eq] ADP [kg Sb eq]
    phase
    manufacturing          11.21            n/a
    deployment            0.3601            n/a
    total                  11.57            n/a
    """
    columns = {}
    for code in frame.columns:
        unit = units.get(code, "")
        cover = coverage[code] if coverage is not None and code in coverage else None
        values = frame[code].to_numpy(dtype=float)
        usable = [v for k, v in enumerate(values) if cover is None or cover.iloc[k] != "none"]
        shown, factor = column_scale(usable, unit)
        header = f"{code} [{shown}]" if shown else str(code)
        columns[header] = [
            format_cell(v, factor, "complete" if cover is None else cover.iloc[k])
            for k, v in enumerate(values)
        ]
    return pd.DataFrame(columns, index=frame.index)


def format_result(result: Any) -> pd.DataFrame:
    """The phase table of a :class:`lca.solve.Result` as text: what ``lca run`` prints.

    Deterministic values; ``n/a`` where there is no data, ``>= x`` for a lower bound.

    Examples
    --------
    >>> import lca
    >>> print(format_result(lca.solve(lca.bloom())))  # doctest: +NORMALIZE_WHITESPACE
                  GWP [t CO2 eq] ADP [g Sb eq] PE [TJ] WATER [m³]
    phase
    manufacturing          11.21         750.2  0.1091        n/a
    training               39.32         33.53   7.788      2,534
    deployment            0.3601       0.09012 0.01038      2.863
    total                  50.89         783.8   7.907   >= 2,537
    """
    from lca.units import format_unit

    units = {i.code: format_unit(i.unit) for i in result.matrices.indicators}
    return format_table(result.phase_table(units_in_header=False), units, result.coverage())


def format_summary(
    summary: pd.DataFrame, coverage: pd.DataFrame | None = None, statistic: str = "mean"
) -> pd.DataFrame:
    """A Monte Carlo summary (``MonteCarloResult.summary()``) as ``mean [low – high]`` text cells.

    One row per result row (phase, activity, total), one column per indicator in the unit
    that reads best; ``coverage`` (``Result.coverage(rows)``) marks ``n/a`` and ``>=``.
    The interval is that of the lowest and highest percentile columns (``p2.5``, ``p97.5``).

    Examples
    --------
    >>> summary = pd.DataFrame({"phase": ["training", "total"], "indicator": ["GWP", "GWP"],
    ...     "unit": ["kg CO2 eq"] * 2, "mean": [45700.0, 65890.0], "p2.5": [29360.0, 46050.0],
    ...     "p97.5": [68090.0, 91660.0]})
    >>> print(format_summary(summary))  # doctest: +NORMALIZE_WHITESPACE
                     GWP [t CO2 eq]
    phase
    training  45.7 [29.36 – 68.09]
    total    65.89 [46.05 – 91.66]
    """
    percentiles = [c for c in summary.columns if c.startswith("p") and c[1:].replace(".", "").isdigit()]
    low, high = (percentiles[0], percentiles[-1]) if percentiles else (None, None)
    rows = list(dict.fromkeys(summary["phase"]))
    columns = {}
    for code in dict.fromkeys(summary["indicator"]):
        part = summary[summary["indicator"] == code].set_index("phase")
        cover = coverage[code] if coverage is not None and code in coverage else None
        usable = [v for row, v in part[statistic].items() if cover is None or cover.get(row) != "none"]
        shown, factor = column_scale(usable, str(part["unit"].iloc[0]))
        cells = []
        for row in rows:
            state = "complete" if cover is None else cover.get(row, "complete")
            text = format_cell(part.loc[row, statistic], factor, state)
            if low is not None and state != "none":
                band = (format_number(part.loc[row, side] * factor) for side in (low, high))
                text += " [{} – {}]".format(*band)
            cells.append(text)
        columns[f"{code} [{shown}]"] = cells
    return pd.DataFrame(columns, index=pd.Index(rows, name="phase"))


__all__ = [
    "LOWER_BOUND",
    "NOT_AVAILABLE",
    "SIGNIFICANT",
    "column_scale",
    "display_unit",
    "format_cell",
    "format_number",
    "format_probability",
    "format_quantity",
    "format_result",
    "format_summary",
    "format_table",
]
