"""Write a report document's tables to an Excel workbook (openpyxl).

One sheet per table (its ``key``), numbers as numbers: a :class:`Value` cell keeps its
exact float, and its band, when there is one, goes to two extra columns ``low``/``high``
after the table. A first sheet ``report`` holds the title and the key-value sections.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from lca.report.document import Document, Items, Section, Table, Value, cell_text


def render_xlsx(document: Document) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    cover = book.active
    cover.title = "report"
    cover.append([document.title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([document.subtitle])
    for section in document.sections:
        _items(cover, section)
    used: set[str] = {"report"}
    for table in document.tables():
        name = _sheet_name(table.key, used)
        sheet = book.create_sheet(name)
        _table(sheet, table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _items(sheet, section: Section) -> None:
    for block in section.blocks:
        if isinstance(block, Items):
            sheet.append([])
            sheet.append([section.title])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            for k, (label, text) in enumerate(block.pairs, start=1):
                sheet.append([f"{k}. {label}" if block.numbered else label, text])
    for sub in section.subsections:
        _items(sheet, sub)


def _table(sheet, table: Table) -> None:
    banded = [
        k
        for k in range(len(table.columns))
        if any(isinstance(r[k], Value) and r[k].low is not None for r in table.rows)
    ]
    sheet.append([table.caption])
    sheet["A1"].font = Font(bold=True)
    header = list(table.columns) + [f"{table.columns[k]} {side}" for k in banded for side in ("low", "high")]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        values = [_value(c) for c in row]
        for k in banded:
            cell = row[k]
            values.extend([cell.low, cell.high] if isinstance(cell, Value) else [None, None])
        sheet.append(values)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in list(column)[1:]) if sheet.max_row > 1 else 10
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def _value(cell):
    if isinstance(cell, Value):
        return cell.value
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return float(cell)
    return cell_text(cell)


def _sheet_name(key: str, used: set[str]) -> str:
    name = key[:31]
    n = 2
    while name in used:
        name = f"{key[:28]}_{n}"
        n += 1
    used.add(name)
    return name
