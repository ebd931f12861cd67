"""Write a report document to an Excel workbook (openpyxl): the one results workbook.

``lca report --format xlsx`` and ``lca export --results`` both write it
(:func:`results_workbook`). Its layout:

* ``report``: the title, what the numbers are, and every key-value part of the report
  (scope, model card, frugality answers);
* one sheet per table of the report (its ``key``), plus the tables too long for a page
  (every activity's contributions, Monte Carlo statistics): a caption in row 1, headers
  with units in row 2 (the unit of the exact values: ``GWP [kg CO2 eq]``), frozen panes
  and an autofilter; numbers are numbers, at full precision, with a number format
  (``0.0%`` for shares, ``">= "#,##0`` for a lower bound); a cell without data reads
  ``n/a``; a Monte Carlo band goes to two columns ``low`` and ``high`` after the table;
  the table's notes follow it.

Text is formula-safe: a text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return) is stored as text with Excel's quote prefix, so no inventory or dataset
text (``=HYPERLINK(...)``, a DDE payload) ever becomes a live formula.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lca.report.document import Document, Items, Section, Table, Value, cell_text, header_text

#: Text that a spreadsheet would read as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")


def render_xlsx(document: Document) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    cover = book.active
    cover.title = "report"
    _write(cover, 1, 1, document.title).font = Font(bold=True, size=14)
    _write(cover, 2, 1, document.subtitle)
    for section in document.sections:
        _items(cover, section)
    cover.column_dimensions["A"].width = 48
    cover.column_dimensions["B"].width = 100
    used: set[str] = {"report"}
    for table in document.tables():
        _table(book.create_sheet(_sheet_name(table.key, used)), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def results_workbook(
    result: Any,
    model: Any = None,
    stats: pd.DataFrame | None = None,
    inventory: str = "",
) -> bytes:
    """The results workbook of ``result`` (what ``lca export --results`` writes).

    The same layout as the report's workbook, from the same document; ``stats`` (Monte
    Carlo statistics, headers with units) is added as a sheet ``montecarlo``.
    """
    from lca.model.records import Model
    from lca.report.build import build_document
    from lca.report.sections import ReportInput

    data = ReportInput(
        model if model is not None else Model(result.matrices.model_name), result, source=inventory
    )
    document = build_document(data)
    if stats is not None:
        frame = stats.reset_index() if any(n is not None for n in stats.index.names) else stats
        document.sections[-1].blocks.append(frame_table("montecarlo", "Monte Carlo statistics", frame))
    return render_xlsx(document)


def frame_table(key: str, caption: str, frame: pd.DataFrame) -> Table:
    """A workbook-only table from a data frame (numbers kept exact)."""
    rows = [[_plain(v) for v in row] for row in frame.itertuples(index=False)]
    return Table(key, caption, [str(c) for c in frame.columns], rows, in_page=False)


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return "n/a" if math.isnan(value) else str(value)
    return value


def _items(sheet: Worksheet, section: Section) -> None:
    for block in section.blocks:
        if isinstance(block, Items):
            row = sheet.max_row + 2
            _write(sheet, row, 1, section.title).font = Font(bold=True)
            for k, (label, text) in enumerate(block.pairs, start=1):
                _write(sheet, row + k, 1, f"{k}. {label}" if block.numbered else label)
                _write(sheet, row + k, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    for sub in section.subsections:
        _items(sheet, sub)


def _table(sheet: Worksheet, table: Table) -> None:
    banded = [
        k
        for k in range(len(table.columns))
        if any(isinstance(r[k], Value) and r[k].low is not None for r in table.rows if k < len(r))
    ]
    _write(sheet, 1, 1, table.caption).font = Font(bold=True)
    header = [header_text(c, exact=True) for c in table.columns]
    header += [f"{header[k]} {side}" for k in banded for side in ("low", "high")]
    for n, text in enumerate(header, start=1):
        cell = _write(sheet, 2, n, text)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=3):
        for n, cell in enumerate(row, start=1):
            _value(sheet, r, n, cell)
        for j, k in enumerate(banded):
            cell = row[k] if k < len(row) else None
            for side, bound in enumerate(("low", "high")):
                value = getattr(cell, bound) if isinstance(cell, Value) and cell.available else None
                target = sheet.cell(r, len(table.columns) + 1 + 2 * j + side)
                if value is not None:
                    target.value = float(value)
                    target.number_format = Value(value).number_format
    last_row = 2 + len(table.rows)
    if table.rows:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(header))}{last_row}"
    sheet.freeze_panes = "B3"
    for k, note in enumerate(table.notes):
        _write(sheet, last_row + 2 + k, 1, note)
    for n in range(1, len(header) + 1):
        texts = [str(header[n - 1])] + [_shown(row[n - 1]) for row in table.rows if n - 1 < len(row)]
        width = max(len(t) for t in texts)
        sheet.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 10), 60)


def _shown(cell: Any) -> str:
    return cell.text if isinstance(cell, Value) else cell_text(cell)


def _value(sheet: Worksheet, row: int, column: int, cell: Any) -> None:
    """One cell: an exact number with its format, ``n/a``, or formula-safe text."""
    if isinstance(cell, Value):
        if not cell.available:
            _write(sheet, row, column, "n/a")
            return
        target = sheet.cell(row, column)
        target.value = float(cell.value)
        target.number_format = cell.number_format
        return
    if isinstance(cell, bool) or cell is None:
        _write(sheet, row, column, "" if cell is None else str(cell))
        return
    if isinstance(cell, float | int):
        target = sheet.cell(row, column)
        if isinstance(cell, float) and not math.isfinite(cell):
            _write(sheet, row, column, "n/a" if math.isnan(cell) else str(cell))
            return
        target.value = cell
        target.number_format = Value(float(cell)).number_format
        return
    _write(sheet, row, column, cell_text(cell))


def _write(sheet: Worksheet, row: int, column: int, text: Any) -> Any:
    """Write text as text: never a formula, whatever it starts with."""
    cell = sheet.cell(row, column)
    if text in (None, ""):
        return cell
    text = str(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _sheet_name(key: str, used: set[str]) -> str:
    name = key[:31]
    n = 2
    while name in used:
        name = f"{key[:28]}_{n}"
        n += 1
    used.add(name)
    return name
