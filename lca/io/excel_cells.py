"""Reading the cells of an inventory workbook safely: file checks, sheets, typed cells.

Workbooks come from other people, so the file is checked before openpyxl sees it (suffix,
zip signature, size, uncompressed size, parts) and at most :data:`MAX_ROWS` rows and
:data:`MAX_CELLS` cells are read. openpyxl reads in read-only mode and, with ``defusedxml``
installed (a dependency of ``lca``), parses the XML parts without entity expansion. Excel
formulas are never evaluated: their cached values are used, and a formula without one is
a located problem.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from lca.errors import InputFileError, Problem
from lca.io.excel_layout import AMOUNT, NUMBER, SCORE, SHEETS, Column
from lca.io.files import file_problem
from lca.model.records import suggest

MAX_BYTES = 20 * 1024 * 1024  #: largest workbook file accepted
MAX_UNZIPPED = 200 * 1024 * 1024  #: largest total size of its uncompressed parts
MAX_ROWS = 100_000  #: rows read per sheet
MAX_CELLS = 2_000_000  #: cells read in the whole workbook
_ZIP_MAGIC = b"PK\x03\x04"
_COMMA_NUMBER = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-+]?\d+,\d+$")
_FREE_TEXT = {"source", "comment", "reference"}  #: kept as typed (codes and units are trimmed)


@dataclass
class Cell:
    """A value read from ``sheet!coord`` (an Excel formula replaced by its cached value)."""

    value: Any
    coord: str


@dataclass
class Row:
    """One data row: ``cells[column name]`` for the columns the header has."""

    number: int
    cells: dict[str, Cell]
    ok: bool = True

    def value(self, name: str) -> Any:
        """The value of column ``name`` on this row (None if the sheet has no such column)."""
        cell = self.cells.get(name)
        return None if cell is None else cell.value


@dataclass
class Located:
    """A record and the sheet row it came from (``record`` is None for a broken row)."""

    record: Any
    sheet: Sheet
    row: Row


@dataclass
class Sheet:
    """A table sheet: header columns (name -> letter) and its non-empty data rows."""

    name: str
    letters: dict[str, str]
    rows: list[Row] = field(default_factory=list)

    def coord(self, column: str, row: int) -> str:
        """``"D14"``: the cell of ``column`` on ``row`` (the header row if the column is absent)."""
        letter = self.letters.get(column)
        return f"{letter}{row}" if letter else f"{row}:{row}"


class Problems:
    """Collects located problems for one workbook file."""

    def __init__(self, label: str):
        self.label = label
        self.items: list[Problem] = []

    def add(self, sheet: str, coord: str, message: str) -> None:
        """Record a problem at ``sheet!coord`` (e.g. ``"Exchanges", "D14"``)."""
        self.items.append(Problem(f"{self.label}, {sheet}!{coord}", message))

    def add_file(self, message: str) -> None:
        """Record a problem of the whole file (not of one cell)."""
        self.items.append(Problem(self.label, message))

    def raise_if_any(self) -> None:
        """Raise an :class:`InputFileError` listing every problem recorded, if any."""
        if self.items:
            raise InputFileError(self.items)


# -- file ---------------------------------------------------------------------------------------
def check_file(path: Path) -> None:
    """Refuse what is not a reasonable ``.xlsx`` workbook, before parsing it."""
    label = path.name
    problem = file_problem(path)
    if problem:
        raise InputFileError([Problem(str(path), problem)])
    if path.suffix.lower() != ".xlsx":
        raise InputFileError([Problem(label, f"'{path.suffix}' is not .xlsx; save the workbook as .xlsx")])
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputFileError(
            [Problem(label, f"file is {size / 2**20:.1f} MiB, larger than {MAX_BYTES // 2**20} MiB")]
        )
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:  # no permission to read it...
        raise InputFileError([Problem(label, f"cannot be read ({exc.strerror})")]) from None
    if magic != _ZIP_MAGIC:
        what = "an old .xls (OLE) file" if magic == b"\xd0\xcf\x11\xe0" else "not a zip container"
        raise InputFileError([Problem(label, f"not an xlsx workbook ({what}); save it as .xlsx from Excel")])
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InputFileError([Problem(label, f"not an xlsx workbook (damaged zip: {exc})")]) from None
    if "xl/workbook.xml" not in names:
        raise InputFileError([Problem(label, "not an xlsx workbook (no xl/workbook.xml part)")])
    if unzipped > MAX_UNZIPPED:
        raise InputFileError(
            [
                Problem(
                    label,
                    f"workbook expands to {unzipped / 2**20:.0f} MiB, more than {MAX_UNZIPPED // 2**20} MiB",
                )
            ]
        )


def open_book(path: Path, data_only: bool) -> Any:
    """openpyxl in read-only mode; any parse failure is a clear problem."""
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise InputFileError(
            [Problem(path.name, f"cannot read the workbook ({type(exc).__name__}: {exc})")]
        ) from None


def read_sheets(path: Path, problems: Problems) -> dict[str, Sheet]:
    """Read every known sheet's header and rows; Excel formulas get their cached values."""
    book = open_book(path, data_only=False)
    sheets: dict[str, Sheet] = {}
    formulas: dict[str, list[Cell]] = {}
    budget = [MAX_CELLS]
    try:
        actual = {title.strip().lower(): title for title in book.sheetnames}
        for name, columns in SHEETS.items():
            title = actual.get(name.lower())
            if title is not None:
                # Excel sheet references ignore case: problems use the canonical name
                sheets[name] = _read_sheet(book[title], name, columns, problems, formulas, budget)
    finally:
        book.close()
    if formulas:
        _cached_values(path, formulas, problems, actual)
    return sheets


def _read_sheet(
    ws: Any,
    name: str,
    columns: Sequence[Column],
    problems: Problems,
    formulas: dict[str, list[Cell]],
    budget: list[int],
) -> Sheet:
    known = {c.name: c for c in columns}
    rows = ws.iter_rows(min_row=1, max_col=len(columns) + 20)
    header = [getattr(c, "value", None) for c in next(rows, ())]
    letters: dict[str, str] = {}
    positions: list[tuple[int, str]] = []
    for n, text in enumerate(header, start=1):
        if text is None or str(text).strip() == "":
            continue
        key = str(text).strip().lower()
        coord = f"{get_column_letter(n)}1"
        if key not in known:
            problems.add(
                name,
                coord,
                f"unknown column '{text}'{suggest(key, known)}; expected one of {', '.join(known)}",
            )
        elif key in letters:
            problems.add(name, coord, f"column '{key}' appears twice (first in column {letters[key]})")
        else:
            letters[key] = get_column_letter(n)
            positions.append((n - 1, key))
    for col in columns:
        if col.required and col.name not in letters:
            problems.add(name, "1:1", f"missing required column '{col.name}'")
    sheet = Sheet(name, letters)
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            problems.add(name, f"{number}:{number}", f"more than {MAX_ROWS} rows; split the inventory")
            break
        cells: dict[str, Cell] = {}
        for index, key in positions:
            xl = row[index] if index < len(row) else None
            value = getattr(xl, "value", None)
            if isinstance(value, str) and value.strip() == "":
                value = None
            if value is None:
                continue
            cell = Cell(value, f"{letters[key]}{number}")
            if getattr(xl, "data_type", None) == "f":  # an Excel formula: its saved value is read
                formulas.setdefault(name, []).append(cell)
            cells[key] = cell
        if not cells:
            continue
        budget[0] -= len(cells)
        if budget[0] < 0:
            problems.add(name, f"{number}:{number}", f"more than {MAX_CELLS} cells in the workbook")
            break
        sheet.rows.append(Row(number, cells))
    return sheet


def _cached_values(
    path: Path, formulas: dict[str, list[Cell]], problems: Problems, titles: dict[str, str]
) -> None:
    """Replace Excel formulas by the values Excel saved with them."""
    texts = {(name, c.coord): str(c.value) for name, cells in formulas.items() for c in cells}
    book = open_book(path, data_only=True)
    try:
        for name, cells in formulas.items():
            wanted = {c.coord: c for c in cells}
            last = max(int("".join(ch for ch in c.coord if ch.isdigit())) for c in cells)
            for row in book[titles[name.lower()]].iter_rows(min_row=2, max_row=last):
                for xl in row:
                    coord = getattr(xl, "coordinate", None)
                    if coord in wanted:
                        wanted[coord].value = xl.value
    finally:
        book.close()
    for name, cells in formulas.items():
        for cell in cells:
            if cell.value is None or cell.value == texts[(name, cell.coord)]:
                problems.add(
                    name,
                    cell.coord,
                    f"Excel formula '{texts[(name, cell.coord)]}' has no saved value; open and save the file "
                    "in Excel, or type the value",
                )
                cell.value = _BAD


_BAD = object()  #: a cell already reported


# -- typed cells ------------------------------------------------------------------------------
def typed(sheet: Sheet, row: Row, column: Column, problems: Problems) -> Any:
    """The cell's value as its column's kind; a problem (and None, row marked bad) otherwise."""
    cell = row.cells.get(column.name)
    if cell is None:
        return None
    value = cell.value
    if value is _BAD:
        row.ok = False
        return None
    expected = {NUMBER: "a number", SCORE: "a whole number from 1 to 5", AMOUNT: "a number or an lca formula"}
    if isinstance(value, dt.datetime | dt.date | dt.time) and column.kind != "text":
        return _bad(
            sheet,
            row,
            cell,
            problems,
            f"a date ({value}) in column '{column.name}'; expected {expected.get(column.kind, 'text')}",
        )
    if column.kind in (NUMBER, SCORE):
        number = _number(value)
        if number is None:
            return _bad(
                sheet,
                row,
                cell,
                problems,
                f"{_show(value)} in number column '{column.name}'; expected {expected[column.kind]}",
            )
        if column.kind == SCORE:
            if number not in (1, 2, 3, 4, 5):
                return _bad(
                    sheet,
                    row,
                    cell,
                    problems,
                    f"pedigree score {number:g}; expected a whole number from 1 to 5",
                )
            return int(number)
        return number
    if column.kind == AMOUNT:
        number = _number(value)
        if number is not None:
            return number
        if isinstance(value, str) and _COMMA_NUMBER.match(value.strip()):
            return _bad(
                sheet,
                row,
                cell,
                problems,
                f"text '{value}' looks like a number written with a comma; type the number itself "
                "(1082990 or 0.85)",
            )
        if isinstance(value, str):
            return value.strip()
        return _bad(sheet, row, cell, problems, f"{_show(value)}; expected {expected[AMOUNT]}")
    if isinstance(value, bool):
        return _bad(sheet, row, cell, problems, f"{value} in text column '{column.name}'")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if column.name in _FREE_TEXT else str(value).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"text '{value}'"
    return f"{type(value).__name__} {value!r}"


def _bad(sheet: Sheet, row: Row, cell: Cell, problems: Problems, message: str) -> None:
    problems.add(sheet.name, cell.coord, message)
    row.ok = False
    return None
