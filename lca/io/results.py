"""Results as one tidy table, and the text forms of ``lca run --format table|csv|json|md``.

A tidy table has one row per (scenario,) phase, indicator and statistic, with columns
:data:`COLUMNS` (``scenario`` first when there are scenarios). A deterministic result has
the single statistic ``value``; a Monte Carlo result has ``deterministic``, ``mean``,
``std``, ``sem``, ``median`` and its percentiles (``p2.5``, ``p97.5``). ``complete`` is
False for an indicator the inventory lacks data for (its values are then lower bounds).

CSV and JSON keep full precision: each number is written as the shortest text that reads
back as the same float (Python's ``repr``), so the two carry exactly the same numbers.
A missing value (NaN) is an empty CSV cell and ``null`` in JSON, never 0. The JSON
document (schema: docs/results.schema.json) also says which ``lca`` version, dataset
version, seed and settings produced it.

Examples
--------
>>> import lca
>>> frame = tidy_result(lca.solve(lca.bloom()))
>>> row = frame[(frame.phase == "total") & (frame.indicator == "GWP")].iloc[0]
>>> row.unit, row.statistic, round(float(row.value), 2)
('kg CO2 eq', 'value', 50892.56)
>>> print(to_csv(frame).splitlines()[0])
phase,kind,indicator,unit,statistic,value,complete
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lca.units import format_unit

if TYPE_CHECKING:  # only for annotations: a deterministic run need not import Monte Carlo
    from lca.solve import Result
    from lca.uncertainty.results import MonteCarloResult

#: Columns of a tidy results table (``scenario`` is put first when present).
COLUMNS = ("phase", "kind", "indicator", "unit", "statistic", "value", "complete")
#: The ``format`` field of the JSON document.
JSON_FORMAT = "lca-results/1"


def tidy_result(result: Result) -> pd.DataFrame:
    """One row per phase (and ``total``) and indicator, statistic ``value``.

    A cell with no data is NaN (never 0) and ``complete`` is False where the value is a
    lower bound or missing (:meth:`lca.solve.Result.coverage`).
    """
    table = result.phase_table(units_in_header=False, missing_as_nan=True)
    coverage = result.coverage(list(table.index))
    units = {i.code: format_unit(i.unit) for i in result.matrices.indicators}
    rows = [
        (
            phase,
            "total" if phase == "total" else "phase",
            code,
            units[code],
            "value",
            float(value),
            coverage.loc[phase, code] == "complete",
        )
        for phase, values in table.iterrows()
        for code, value in values.items()
    ]
    return _frame(rows)


def tidy_monte_carlo(result: MonteCarloResult, coverage: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per reported row, indicator and statistic of a Monte Carlo ``result``.

    ``coverage`` is the deterministic result's :meth:`~lca.solve.Result.coverage` of the
    same rows: a row and indicator with no data has NaN statistics, one with some data is
    not ``complete`` (its statistics are lower bounds).
    """
    summary = result.summary()
    statistics = list(summary.columns[4:])
    rows = []
    for r in summary.to_dict("records"):
        state = "complete" if coverage is None else coverage.loc[r["phase"], r["indicator"]]
        for stat in statistics:
            value = math.nan if state == "none" else float(r[stat])
            rows.append((r["phase"], r["kind"], r["indicator"], r["unit"], stat, value, state == "complete"))
    return _frame(rows)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype(float)
    frame["complete"] = frame["complete"].astype(bool)
    return frame.reset_index(drop=True)


# -- machine-readable ---------------------------------------------------------------------------
def to_csv(frame: pd.DataFrame) -> str:
    """The tidy table as CSV: numbers at full precision, empty for a missing value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = list(frame.columns)
    writer.writerow(columns)
    for record in frame.itertuples(index=False):
        writer.writerow(_csv_cell(v) for v in record)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def to_json(frame: pd.DataFrame, metadata: Mapping[str, Any]) -> str:
    """A JSON document: ``metadata`` (version, seed, datasets...) and the tidy ``rows``."""
    rows = [
        {k: _json_value(v) for k, v in zip(frame.columns, record, strict=True)}
        for record in frame.itertuples(index=False)
    ]
    document = {"format": JSON_FORMAT, **metadata, "rows": rows}
    return json.dumps(document, indent=2, allow_nan=False, ensure_ascii=True) + "\n"


def _json_value(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def metadata(
    model,
    result: Result,
    *,
    inventory: str,
    demand: Mapping[str, float] | None = None,
    settings: Mapping[str, str] | None = None,
    monte_carlo: MonteCarloResult | None = None,
) -> dict[str, Any]:
    """What produced a result: versions, inventory, functional unit, seed, settings.

    ``result`` is the deterministic result (its indicators and missing data); the
    seed, iterations, sampling and percentiles come from ``monte_carlo`` when given.
    """
    from lca._version import __version__
    from lca.data import version as dataset_version

    fu = model.functional_unit
    used = model.info.get("datasets")
    entries = used.get("entries", []) if isinstance(used, dict) else []
    mc = monte_carlo
    return {
        "lca_version": __version__,
        "dataset_version": dataset_version(),
        "datasets_used": [str(e) for e in entries],
        "datasets_local": list(used.get("local", [])) if isinstance(used, dict) else [],
        "model": model.name,
        "inventory": inventory,
        "functional_unit": None
        if fu is None
        else {"activity": fu.activity, "amount": fu.amount, "unit": fu.unit, "description": fu.description},
        "demand": dict(demand) if demand else None,
        "settings": dict(settings or {}),
        "seed": None if mc is None else mc.seed,
        "iterations": 0 if mc is None else mc.iterations,
        "sampling": None if mc is None else mc.sampling,
        "percentiles": [] if mc is None else list(mc.percentiles),
        "indicators": [
            {"code": i.code, "name": i.name, "unit": format_unit(i.unit)} for i in result.matrices.indicators
        ],
        "incomplete": {k: list(v) for k, v in result.missing().items()},
    }


# -- for people ---------------------------------------------------------------------------------
def human_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Phase x indicator cells as text: ``value``, or ``mean [low – high]`` with Monte Carlo.

    Numbers go through the one formatter of every output (:mod:`lca.report.numbers`): 4
    significant digits, thousands separators, one unit prefix per indicator column, ``n/a``
    for no data and ``>= x`` for a lower bound. CSV and JSON keep full precision.
    """
    from lca.report.numbers import column_scale, format_cell, format_number

    index = ["scenario", "phase"] if "scenario" in frame.columns else ["phase"]
    stats = list(dict.fromkeys(frame["statistic"]))
    central = "value" if stats == ["value"] else "mean"
    band = [s for s in stats if s.startswith("p")][-2:] if central == "mean" else []
    keys = list(dict.fromkeys(map(tuple, frame[index].to_numpy())))
    columns = {}
    for code in dict.fromkeys(frame["indicator"]):
        part = frame[frame["indicator"] == code]
        wide = part.pivot_table(index=index, columns="statistic", values="value", sort=False, dropna=False)
        complete = part.groupby(index, sort=False)["complete"].all()
        wide = wide.reindex(keys if len(index) > 1 else [k[0] for k in keys])
        complete = complete.reindex(wide.index)
        values = wide[central].to_numpy(dtype=float)
        shown, factor = column_scale([v for v in values if not math.isnan(v)], str(part["unit"].iloc[0]))
        cells = []
        for k, value in enumerate(values):
            state = "none" if math.isnan(value) else "complete" if complete.iloc[k] else "partial"
            text = format_cell(value, factor, state)
            if band and state != "none":
                low, high = (format_number(wide[p].iloc[k] * factor) for p in band)
                text += f" [{low} – {high}]"
            cells.append(text)
        columns[f"{code} [{shown}]"] = cells
    table = pd.DataFrame(columns, index=wide.index)
    table.columns.name = None
    return table


def to_text(frame: pd.DataFrame) -> str:
    """The human table aligned in columns, as ``lca run`` prints it."""
    return human_table(frame).to_string()


def to_markdown(frame: pd.DataFrame) -> str:
    """The human table as a Markdown (GFM) table; names are escaped (no raw HTML)."""
    table = human_table(frame).reset_index()
    lines = ["| " + " | ".join(escape_markdown(c) for c in table.columns) + " |"]
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    lines += [
        "| " + " | ".join(escape_markdown(v) for v in row) + " |" for row in table.itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


def escape_markdown(value: Any) -> str:
    """Text for a Markdown table cell or line: no raw HTML, no cell break, one line.

    Examples
    --------
    >>> escape_markdown("<img src=x onerror=alert(1)> | x")
    '&lt;img src=x onerror=alert(1)&gt; \\\\| x'
    """
    return html.escape(str(value), quote=False).replace("|", "\\|").replace("\n", " ")


__all__ = [
    "COLUMNS",
    "escape_markdown",
    "human_table",
    "metadata",
    "tidy_monte_carlo",
    "tidy_result",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_text",
]
