"""Brightway Excel workbooks for the tests, written with openpyxl in bw2io's layout.

``case_rows()`` is a small database ``case`` in which every convention shows:

- database parameters with a formula (``elec_per_item = hours * draw``), and uncertainties;
- ``elec`` (1 kWh) emits CO2 and SO2 of biosphere3, named by name and categories;
- ``landfill``, a waste treatment: production -1 kg, as in ecoinvent;
- ``item`` takes electricity by a formula, sends 0.2 kg of waste to landfill (a negative
  technosphere amount), credits 0.1 kWh of recovered electricity (a substitution), emits CO2;
  its exchanges are lognormal, normal, uniform and triangular.

By hand (IPCC 2021 GWP100: CO2 fossil 1 kg CO2 eq/kg; the SO2 factor is 0 there):
electricity e = 0.5 kg CO2/kWh; landfill l = 0.05 + 0.01 e per kg treated;
item = elec_per_item e - 0.1 e + 0.2 l + 0.3 with elec_per_item = 2 h x 1.5 kW = 3 kWh:
3 x 0.5 - 0.05 + 0.2 (0.05 + 0.005) + 0.3 = 1.761 kg CO2 eq.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from bw_cases import _lognormal as lognormal

EXCHANGE_LABELS = ["name", "amount", "unit", "database", "categories", "location", "type", "formula"]
EXCHANGE_LABELS += ["uncertainty type", "loc", "scale", "minimum", "maximum", "negative", "comment"]
ITEM_GWP = 3 * 0.5 - 0.1 * 0.5 + 0.2 * (0.05 + 0.01 * 0.5) + 0.3


def exchange(name, amount, unit, kind, database="case", categories=None, location=None, formula=None, **unc):
    """One row of an Exchanges table, in :data:`EXCHANGE_LABELS` order."""
    fields = [unc.get(k) for k in ("uncertainty type", "loc", "scale", "minimum", "maximum", "negative")]
    return [name, amount, unit, database, categories, location, kind, formula, *fields, unc.get("comment")]


def case_rows() -> list[list]:
    """The rows of the ``case`` workbook (one sheet)."""
    bio = "biosphere3"
    return [
        ["Database", "case"],
        ["description", "a test database in bw2io's Excel layout"],
        [],
        ["Database parameters"],
        ["name", "amount", "unit", "formula", "uncertainty type", "minimum", "maximum", "comment"],
        ["hours", 2, "hour", None, 4, 1.5, 2.5, "use per item"],
        ["draw", 1.5, "kilowatt", None, 0, None, None, None],
        ["elec_per_item", 3, "kilowatt hour", "hours * draw", None, None, None, None],
        [],
        ["Activity", "electricity"],
        ["code", "elec"],
        ["unit", "kilowatt hour"],
        ["location", "FR"],
        ["Exchanges"],
        EXCHANGE_LABELS,
        exchange("electricity", 1, "kilowatt hour", "production", location="FR"),
        exchange("Carbon dioxide, fossil", 0.5, "kilogram", "biosphere", bio, "air", **lognormal(0.5, 1.2)),
        exchange("Sulfur dioxide", 0.002, "kilogram", "biosphere", bio, "air"),
        [],
        ["Activity", "treatment of waste, landfill"],
        ["code", "landfill"],
        ["unit", "kilogram"],
        ["reference product", "waste"],
        ["Exchanges"],
        EXCHANGE_LABELS,
        exchange("treatment of waste, landfill", -1, "kilogram", "production"),
        exchange("electricity", 0.01, "kilowatt hour", "technosphere", location="FR"),
        exchange("Carbon dioxide, fossil", 0.05, "kilogram", "biosphere", bio, "air"),
        [],
        ["Activity", "item"],
        ["code", "item"],
        ["unit", "unit"],
        ["Exchanges"],
        EXCHANGE_LABELS,
        exchange("item", 1, "unit", "production"),
        exchange("electricity", 3, "kilowatt hour", "technosphere", formula="elec_per_item"),
        exchange(
            "treatment of waste, landfill",
            -0.2,
            "kilogram",
            "technosphere",
            **{"uncertainty type": 5, "loc": -0.2, "minimum": -0.3, "maximum": -0.15},
        ),
        exchange(
            "electricity",
            0.1,
            "kilowatt hour",
            "substitution",
            **{"uncertainty type": 4, "minimum": 0.05, "maximum": 0.15},
        ),
        exchange(
            "Carbon dioxide, fossil",
            0.3,
            "kilogram",
            "biosphere",
            bio,
            "air",
            **{"uncertainty type": 3, "loc": 0.3, "scale": 0.03},
        ),
    ]


def write_workbook(path: Path, rows: list[list], sheet: str = "case") -> Path:
    """Write ``rows`` to one sheet of a new workbook at ``path``."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def edited(rows: list[list], first: str, column: int, value) -> list[list]:
    """``rows`` with the cell ``column`` (0 for A) of the first row starting ``first`` set to ``value``."""
    rows = [list(r) for r in rows]
    for row in rows:
        if row and row[0] == first:
            row.extend([None] * (column + 1 - len(row)))
            row[column] = value
            return rows
    raise KeyError(first)
