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
import itertools
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from lca.errors import InputFileError, Problem
from lca.io.excel_layout import AMOUNT, NUMBER, SCORE, SHEETS, Column
from lca.io.excel_stream import SheetStream, StreamedRow, Unreadable
from lca.io.files import file_problem
from lca.model.checks import not_finite
from lca.model.records import suggest

MAX_BYTES = 20 * 1024 * 1024  #: largest workbook file accepted
MAX_UNZIPPED = 200 * 1024 * 1024  #: largest total size of its uncompressed parts
MAX_ROWS = 100_000  #: rows read per sheet
MAX_CELLS = 2_000_000  #: cells read in the whole workbook
MAX_PARTS = 10_000  #: files in the zip container (a workbook has a few dozen)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  #: Compound File Binary (an .xls, or an encrypted .xlsx)
_COMMA_NUMBER = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-+]?\d+,\d+$")
_FREE_TEXT = {"source", "comment", "reference"}  #: kept as typed (codes and units are trimmed)
_PROSE = {*_FREE_TEXT, "name", "description"}  #: text columns where a date is read as text


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
    """Collects located problems (and notes, warnings once it is read) for one workbook file."""

    def __init__(self, label: str):
        self.label = label
        self.items: list[Problem] = []
        self.notes: list[Problem] = []
        self.incomplete = False  # a sheet was not read to its end: what follows would mislead

    def add(self, sheet: str, coord: str, message: str) -> None:
        """Record a problem at ``sheet!coord`` (e.g. ``"Exchanges", "D14"``)."""
        self.items.append(Problem(f"{self.label}, {sheet}!{coord}", message))

    def note(self, sheet: str, coord: str, message: str) -> None:
        """Record a note (a warning) at ``sheet!coord``, or on the whole sheet without ``coord``."""
        where = f"{self.label}, {sheet}!{coord}" if coord else f"{self.label}, {sheet}"
        self.notes.append(Problem(where, message))

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
    if magic == _OLE_MAGIC and _encrypted(path):
        raise InputFileError(
            [
                Problem(
                    label,
                    "the workbook is password-protected (encrypted); remove the password in Excel "
                    "(File > Info > Protect Workbook) and save it as .xlsx",
                )
            ]
        )
    if magic != _ZIP_MAGIC:
        what = "an old .xls (OLE) file" if magic == _OLE_MAGIC else "not a zip container"
        raise InputFileError([Problem(label, f"not an xlsx workbook ({what}); save it as .xlsx from Excel")])
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InputFileError([Problem(label, f"not an xlsx workbook (damaged zip: {exc})")]) from None
    if len(names) > MAX_PARTS:
        message = f"workbook has {len(names):,} parts, more than {MAX_PARTS:,}; expected an inventory"
        raise InputFileError([Problem(label, message)])
    declared = _declarations(path)
    if declared:
        raise InputFileError(
            [
                Problem(
                    label,
                    f"part {declared} declares a DOCTYPE or XML entities; a workbook saved by Excel has none "
                    "(entities are never expanded): save it again from Excel",
                )
            ]
        )
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


def _declarations(path: Path) -> str:
    """The first XML part whose prolog declares a DOCTYPE or an entity ('' if none).

    The parsers never expand entities (defusedxml refuses them, lxml leaves them unresolved),
    so this only makes the refusal the same whichever is installed, and clear. A declaration
    can only come before the root element: the first 64 KiB of a part are read.
    """
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                with archive.open(info) as part:
                    head = part.read(65536)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    return info.filename
    return ""


def _encrypted(path: Path) -> bool:
    """True for an OLE file holding an encrypted Office package (what Excel writes for a
    workbook with a password to open): its directory names the ``EncryptedPackage`` stream."""
    try:
        return "EncryptedPackage".encode("utf-16-le") in path.read_bytes()
    except OSError:
        return False


def open_book(path: Path, data_only: bool) -> Any:
    """openpyxl in read-only mode; any parse failure is a clear problem."""
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        root = exc
        while root.__cause__ or root.__context__:  # openpyxl wraps the parser's error in its own
            root = root.__cause__ or root.__context__
        reason = str(root).strip().splitlines()[0] if str(root).strip() else ""
        raise InputFileError(
            [Problem(path.name, f"cannot read the workbook ({type(root).__name__}: {reason})")]
        ) from None


def read_sheets(path: Path, problems: Problems) -> dict[str, Sheet]:
    """Read every known sheet's header and rows; Excel formulas get their cached values.

    Every row and column of a sheet part is read (:mod:`lca.io.excel_stream`), whatever its
    ``<dimension>`` says; a hidden sheet or hidden rows that hold data are read, with a note.
    """
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
                stream = SheetStream(book, title)
                sheets[name] = _read_sheet(stream, name, columns, problems, formulas, budget)
    finally:
        book.close()
    if formulas:
        _cached_values(path, formulas, problems, actual)
    return sheets


def _read_sheet(
    stream: SheetStream,
    name: str,
    columns: Sequence[Column],
    problems: Problems,
    formulas: dict[str, list[Cell]],
    budget: list[int],
) -> Sheet:
    streamed = stream.rows()
    first = next(streamed, None)
    rows: Iterator[StreamedRow] = streamed
    if first is not None and first.number != 1:
        rows = itertools.chain([first], streamed)  # row 1 is empty: no header
        first = None
    header = Header(name, columns, {} if first is None else first.cells, problems)
    sheet = Sheet(name, header.letters)
    hidden: list[int] = []
    for row in rows:
        if row.number > MAX_ROWS + 1 and row.cells:
            problems.add(
                name,
                f"{row.number}:{row.number}",
                f"row {row.number:,} is past the {MAX_ROWS:,}-row limit; split the inventory",
            )
            problems.incomplete = True
            break
        cells = header.cells(row, formulas)
        if not cells:
            continue
        budget[0] -= len(cells)
        if budget[0] < 0:
            problems.add(name, f"{row.number}:{row.number}", f"more than {MAX_CELLS:,} cells in the workbook")
            problems.incomplete = True
            break
        if row.hidden:
            hidden.append(row.number)
        sheet.rows.append(Row(row.number, cells))
    streamed.close()
    if stream.damage:
        after = stream.last
        where = f"after row {after}" if after else "before its first row"
        problems.add(
            name,
            f"{after + 1}:{after + 1}",
            f"the sheet's XML is damaged {where} ({stream.damage}); "
            "open and save the file in Excel to repair it",
        )
        problems.incomplete = True
        if not after:
            return sheet  # not even the header was read
    header.finish(stream.merged)
    _notes(stream, name, sheet, hidden, problems)
    return sheet


class Header:
    """The header row of a sheet: which column holds which field, and the problems it has."""

    def __init__(
        self, sheet: str, columns: Sequence[Column], cells: dict[int, tuple[Any, str]], problems: Problems
    ):
        self.sheet, self.columns, self.problems = sheet, columns, problems
        known = {c.name for c in columns}
        self.letters: dict[str, str] = {}
        self.positions: dict[int, str] = {}  # column number -> field
        self.named: set[int] = set()  # columns with a header, known or not
        for n, (text, _kind) in sorted(cells.items()):
            if text is None or str(text).strip() == "":
                continue
            self.named.add(n)
            key = str(text).strip().lower()
            coord = f"{get_column_letter(n)}1"
            if key not in known:
                problems.add(
                    sheet,
                    coord,
                    f"unknown column '{text}'{suggest(key, known)}; expected one of {', '.join(known)}",
                )
            elif key in self.letters:
                problems.add(
                    sheet, coord, f"column '{key}' appears twice (first in column {self.letters[key]})"
                )
            else:
                self.letters[key] = get_column_letter(n)
                self.positions[n] = key
        self.unnamed: dict[int, int] = {}  # column without a header -> first row with a value

    def cells(self, row: StreamedRow, formulas: dict[str, list[Cell]]) -> dict[str, Cell]:
        """The row's cells of known columns (a value under no header is a problem)."""
        cells: dict[str, Cell] = {}
        for n, (value, kind) in row.cells.items():
            if value is None or (isinstance(value, str) and value.strip() == ""):
                continue
            key = self.positions.get(n)
            if key is None:
                if n not in self.named:
                    self.unnamed.setdefault(n, row.number)
                continue
            cell = Cell(value, f"{self.letters[key]}{row.number}")
            if kind == "f":  # an Excel formula: its saved value is read
                formulas.setdefault(self.sheet, []).append(cell)
            cells[key] = cell
        return cells

    def finish(self, merged: list[str]) -> None:
        """Problems known once the sheet is read: merged header cells, missing columns."""
        in_header = [r for r in merged if _first_row(r) == 1]
        for ref in merged:
            if ref in in_header:
                self.problems.add(
                    self.sheet, ref, f"header cells {ref} are merged; give each column its own header cell"
                )
            else:
                self.problems.add(
                    self.sheet,
                    ref,
                    f"cells {ref} are merged: only the first holds a value, the others read as empty; "
                    "unmerge them and fill each cell",
                )
        if in_header:
            return  # the missing columns are those the merge hides
        missing = [c.name for c in self.columns if c.required and c.name not in self.letters]
        unnamed = [get_column_letter(n) for n in sorted(self.unnamed)]
        for name in missing:
            held = f" (column {', '.join(unnamed)} holds values under no header)" if unnamed else ""
            self.problems.add(self.sheet, "1:1", f"missing required column '{name}'{held}")
        if missing:
            return
        for n, first in sorted(self.unnamed.items()):
            letter = get_column_letter(n)
            self.problems.add(
                self.sheet,
                f"{letter}{first}",
                f"a value in column {letter}, which has no header in row 1; "
                "name the column or clear its cells",
            )


def _first_row(ref: str) -> int:
    digits = "".join(ch for ch in ref.split(":")[0] if ch.isdigit())
    return int(digits) if digits else 0


def _notes(stream: SheetStream, name: str, sheet: Sheet, hidden: list[int], problems: Problems) -> None:
    """Warnings for data the workbook hides: a hidden sheet, hidden rows (both are read)."""
    if not sheet.rows:
        return
    if stream.state != "visible":
        how = "very hidden (only a macro can show it)" if stream.state == "veryHidden" else "hidden"
        problems.note(name, "", f"the sheet is {how}; its {len(sheet.rows):,} rows are read")
    if hidden:
        shown = ", ".join(str(n) for n in hidden[:10]) + (
            f" and {len(hidden) - 10:,} more" if len(hidden) > 10 else ""
        )
        what = f"row {shown} is hidden; it is" if len(hidden) == 1 else f"rows {shown} are hidden; they are"
        problems.note(name, f"{hidden[0]}:{hidden[0]}", f"{what} read (unhide to see what counts)")


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
            rows = SheetStream(book, titles[name.lower()]).rows()
            for row in rows:
                if row.number > last:
                    break
                for n, (value, _kind) in row.cells.items():
                    cell = wanted.get(f"{get_column_letter(n)}{row.number}")
                    if cell is not None:
                        cell.value = value
            rows.close()
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
    if isinstance(value, Unreadable):
        return _bad(sheet, row, cell, problems, f"{value.describe()} in column '{column.name}'")
    expected = {NUMBER: "a number", SCORE: "a whole number from 1 to 5", AMOUNT: "a number or an lca formula"}
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and column.kind in expected
        and _too_large(value)
    ):
        digits = str(abs(value))  # openpyxl reads at most 4,300 digits into an int
        return _bad(
            sheet,
            row,
            cell,
            problems,
            f"the number {digits[:20]}... ({len(digits)} digits) in column '{column.name}' is too large "
            "for a float (> 1.8e308)",
        )
    if isinstance(value, dt.datetime | dt.date | dt.time) and column.name not in _PROSE:
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
        if isinstance(value, str) and not_finite(value):
            return _bad(
                sheet,
                row,
                cell,
                problems,
                f"text '{value.strip()}' in column '{column.name}' is not a finite number",
            )
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


def _too_large(value: int) -> bool:
    try:
        float(value)
    except OverflowError:
        return True
    return False


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
