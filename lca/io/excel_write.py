"""Write inventory workbooks (template and export) and results workbooks.

Every write is atomic: the workbook is built in memory, saved to bytes and written with
:func:`lca.io.files.write_atomic`, so an error never leaves a half-written file.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
import pandas as pd
import yaml
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lca.io.excel_layout import (
    COMMON_UNITS,
    DISTRIBUTIONS,
    MODEL_FIELDS,
    PEDIGREE,
    PHASE_CHOICES,
    REQUIRED_SHEETS,
    SHEET_DOCS,
    SHEETS,
    Column,
)
from lca.io.files import write_atomic
from lca.model.records import Exchange, Model, Parameter
from lca.model.uncertainty import Uncertainty
from lca.report.info import INFO_FIELDS

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_REQUIRED_FILL = PatternFill("solid", fgColor="1F3864")
_LISTS = "Lists"
_LIST_COLUMNS = {
    "phase": ("A", PHASE_CHOICES),
    "distribution": ("B", DISTRIBUTIONS),
    "unit": ("C", COMMON_UNITS),
}


# -- inventory workbooks ----------------------------------------------------------------------
def write_template(path: str | os.PathLike[str]) -> None:
    """Write an empty, self-documenting inventory workbook to ``path`` (atomically).

    It holds a README sheet (every sheet and column explained, with an example row), one
    sheet per record type with frozen, styled headers, drop-downs for phase, distribution
    and common units, and a hidden ``Lists`` sheet feeding the drop-downs.
    """
    book = _new_book()
    fields = [{"field": key} for key in MODEL_FIELDS if key != "info.KEY"]
    for sheet, columns in SHEETS.items():
        _table(book, sheet, columns, fields if sheet == "Model" else [])
    _save(book, path)


def write_inventory(model: Model, path: str | os.PathLike[str]) -> None:
    """Write ``model`` as an inventory workbook in the template's layout (atomically).

    :func:`lca.io.excel.load_workbook_model` reads it back into an equal model.
    """
    book = _new_book()
    rows = inventory_rows(model)
    for sheet, columns in SHEETS.items():
        _table(book, sheet, columns, rows[sheet])
    _save(book, path)


def inventory_rows(model: Model) -> dict[str, list[dict[str, Any]]]:
    """The rows of each sheet for ``model``: ``{sheet: [{column: value}]}``."""
    fu = model.functional_unit
    model_rows: list[dict[str, Any]] = [
        {"field": "name", "value": model.name},
        {"field": "description", "value": model.description or None},
    ]
    if fu is not None:
        model_rows += [
            {"field": "functional_unit.activity", "value": fu.activity},
            {"field": "functional_unit.amount", "value": fu.amount},
            {"field": "functional_unit.unit", "value": fu.unit or None},
            {"field": "functional_unit.description", "value": fu.description or None},
        ]
    info = dict(model.info)
    info.pop("datasets", None)  # provenance: recorded again from the entries when the file is read
    sources = info.pop("sources", None) or {}
    indicators = info.pop("indicators", None)
    if indicators:
        model_rows.append({"field": "indicators", "value": ", ".join(indicators)})
    methods = info.pop("methods", None)
    if methods:
        model_rows.append({"field": "methods", "value": _info_cell({k: list(v) for k, v in methods.items()})})
    for key, value in info.items():
        model_rows.append({"field": f"info.{key}", "value": _info_cell(value)})
    flows = [
        {
            "code": f.code,
            "name": f.name,
            "unit": f.unit,
            "indicator": ind,
            "factor": factor,
            "source": f.source,
            "categories": "::".join(f.categories),
            "uuid": f.uuid,
        }
        for f in model.flows.values()
        for ind, factor in (f.factors.items() or [(None, None)])
    ]
    return {
        "Model": model_rows,
        "Parameters": [_parameter_row(p) for p in model.parameters.values()],
        "Activities": [
            {
                "code": a.code,
                "name": a.name,
                "phase": a.phase,
                "unit": a.unit,
                "location": a.location,
                "production": None if a.production == 1 else a.production,
                "missing": ", ".join(a.missing),
                "source": a.source,
                "comment": a.comment,
            }
            for a in model.activities.values()
        ],
        "Exchanges": [_exchange_row(a.code, e) for a in model.activities.values() for e in a.exchanges],
        "Flows": flows,
        "Sources": [{"key": k, "reference": v} for k, v in sources.items()],
    }


def _parameter_row(p: Parameter) -> dict[str, Any]:
    return {
        "name": p.name,
        "amount": p.amount,
        "unit": p.unit,
        **_spec_cells(p.uncertainty),
        "source": p.source,
        "comment": p.comment,
    }


def _exchange_row(activity: str, e: Exchange) -> dict[str, Any]:
    return {
        "activity": activity,
        "input": e.input,
        "amount": e.amount,
        "unit": e.unit,
        "lifetime": e.lifetime,
        "utilisation": e.utilisation,
        **_spec_cells(e.uncertainty),
        "source": e.source,
        "comment": e.comment,
    }


def _spec_cells(uncertainty: Uncertainty | None) -> dict[str, Any]:
    spec = uncertainty.to_spec() if uncertainty is not None else {}
    scores = spec.pop("pedigree", None)
    if scores:
        spec.update(dict(zip(PEDIGREE, scores, strict=True)))
    return spec


def _info_cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()


# -- results workbooks ----------------------------------------------------------------------
def write_results(
    result: Any,
    path: str | os.PathLike[str],
    model: Model | None = None,
    stats: pd.DataFrame | None = None,
    inventory: str = "",
) -> None:
    """Write the results workbook (atomically): the layout of ``lca report --format xlsx``.

    Parameters
    ----------
    result : lca.solve.Result
        A deterministic result.
    path : path-like
        The ``.xlsx`` file to write.
    model : Model, optional
        The inventory solved (its parameters, exchanges, sources and report fields).
    stats : pandas.DataFrame, optional
        Monte Carlo statistics (e.g. mean, median, percentiles per phase and indicator),
        written as given to a ``montecarlo`` sheet; its headers should carry units.
    inventory : str
        Name of the inventory file, for the report sheet.

    See :mod:`lca.report.xlsx` for the sheets, number formats and formula-safe text.
    """
    from lca.report.xlsx import results_workbook

    write_atomic(path, results_workbook(result, model, stats, inventory))


# -- building blocks ----------------------------------------------------------------------------
def _new_book() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    readme = book.active
    readme.title = "README"
    _readme(readme)
    lists = book.create_sheet(_LISTS)
    for letter, values in _LIST_COLUMNS.values():
        for n, value in enumerate(values, start=1):
            lists[f"{letter}{n}"] = value
    lists.sheet_state = "hidden"
    return book


def _readme(ws: Worksheet) -> None:
    lines: list[list[Any]] = [
        ["lca inventory workbook"],
        ["Fill the sheets below, then run:  lca run this_file.xlsx"],
        ["Sheets " + ", ".join(REQUIRED_SHEETS) + " are required; the others are optional."],
        [
            "Header row 1 names the columns; do not rename them. Empty rows are skipped. "
            "Excel formulas are read from their saved values."
        ],
        [
            "Reference data: an activity whose 'dataset' cell names an entry (e.g. grid/FR, as "
            "'lca data list' prints it) takes its unit and factors from the shipped datasets; "
            "a parameter may take one value of an entry ('dataset' datacenter/hpc, 'field' pue)."
        ],
        [],
        ["sheet", "column", "required", "what it holds", "example"],
    ]
    for sheet, columns in SHEETS.items():
        lines.append([sheet, None, None, SHEET_DOCS[sheet]])
        for col in columns:
            lines.append([sheet, col.name, _required(col), col.doc, col.example])
    lines += [[], ["Model sheet fields", None, None, "meaning"]]
    lines += [["Model", name, None, doc] for name, doc in MODEL_FIELDS.items()]
    report_fields = "Report fields (Model sheet rows info.KEY, read by lca report)"
    lines += [[], [report_fields, None, None, "meaning", "example"]]
    lines += [["Model", f"info.{f.key}", None, f"{f.where}: {f.meaning}", f.example] for f in INFO_FIELDS]
    for line in lines:
        ws.append(line)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[7]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (14, 28, 18, 100, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A8"


def _required(col: Column) -> str | None:
    if not col.required:
        return None
    return f"yes, unless {col.unless}" if col.unless else "yes"


def _table(
    book: openpyxl.Workbook, sheet: str, columns: Sequence[Column], rows: list[dict[str, Any]]
) -> None:
    ws = book.create_sheet(sheet)
    header = [c.name for c in columns]
    _table_rows(
        ws, header, ([_cell(r.get(name)) for name in header] for r in rows), [c.width for c in columns]
    )
    for cell, col in zip(ws[1], columns, strict=True):
        if col.required:
            cell.fill = _REQUIRED_FILL
        cell.comment = None
    last = max(ws.max_row, 1) + 1000
    for n, col in enumerate(columns, start=1):
        if col.choices:
            letter, values = _LIST_COLUMNS[col.choices]
            rule = DataValidation(
                type="list",
                formula1=f"{_LISTS}!${letter}$1:${letter}${len(values)}",
                allow_blank=True,
                errorStyle="warning" if col.choices == "unit" else "stop",
                error=f"expected one of the {col.choices} list",
            )
            rule.add(f"{get_column_letter(n)}2:{get_column_letter(n)}{last}")
            ws.add_data_validation(rule)


def _table_rows(ws: Worksheet, header: list[str], rows: Iterable[list[Any]], widths: Sequence[int]) -> None:
    ws.append(header)
    for row in rows:
        ws.append(row)
        for n, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):  # text, not an Excel formula
                ws.cell(ws.max_row, n).data_type = "s"
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n in range(1, len(header) + 1):
        width = widths[n - 1] if n <= len(widths) else max(12, min(40, len(str(header[n - 1])) + 2))
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"


def _cell(value: Any) -> Any:
    """A value openpyxl writes faithfully: text that Excel would take for a formula is quoted."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _save(book: openpyxl.Workbook, path: str | os.PathLike[str]) -> None:
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())
