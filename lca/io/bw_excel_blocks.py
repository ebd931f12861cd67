"""The blocks of a Brightway Excel workbook, as ``bw2io.ExcelImporter`` finds them, with their cells.

The layout (bw2io 0.9, ``bw2io.importers.excel``), one or more sheets, column A naming
each block::

    Database            | NAME          <- once in the workbook; field/value rows follow
    <field>             | <value>
    Project parameters                  <- a row of column labels, then one row per parameter
    Database parameters
    Activity            | NAME          <- field/value rows, then optionally:
    Parameters          | GROUP         <-   labels, one row per activity parameter
    Exchanges                           <-   labels, one row per exchange

A sheet whose A1 says ``skip`` is skipped; ``cutoff`` in A1 with a number N in B1 keeps the
first N columns. Blank rows end the Database and parameter blocks; an activity block ends
at the next ``Activity``, ``Database``, ``Project parameters`` or ``Database parameters``
row (bw2io ends it at the first three). Text cells are stripped and ``(Unknown)`` is empty,
as bw2io reads them.

The workbook is read once with openpyxl in read-only mode after the checks of
:func:`lca.io.excel_cells.check_file` (size, zip parts, defusedxml); an Excel formula is
read from the value Excel saved with it, and a formula without one is a problem at its
cell. Nothing here knows what the blocks mean: :mod:`lca.io.bw_excel` does.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from lca.io.excel_cells import MAX_CELLS, MAX_ROWS, Problems, open_book
from lca.io.excel_stream import SheetStream, Unreadable

#: Column A texts that start a block (lower case).
DATABASE, PROJECT_PARAMETERS, DATABASE_PARAMETERS = "database", "project parameters", "database parameters"
ACTIVITY, PARAMETERS, EXCHANGES = "activity", "parameters", "exchanges"
_ENDS_ACTIVITY = (ACTIVITY, DATABASE, PROJECT_PARAMETERS, DATABASE_PARAMETERS)
MAX_COLUMNS = 1024  #: columns read per row (bw2io's tables are a few dozen wide)


@dataclass(frozen=True)
class Line:
    """One row of a sheet: its Excel row number and its cell values (column A first)."""

    sheet: str
    number: int
    values: tuple[Any, ...]

    def value(self, column: int) -> Any:
        return self.values[column] if column < len(self.values) else None

    def coord(self, column: int = 0) -> str:
        """``"B17"``, the cell of ``column`` (0 for A) on this row."""
        return f"{get_column_letter(column + 1)}{self.number}"

    @property
    def head(self) -> str:
        """Column A as lower-case text ("" when it is not text)."""
        first = self.value(0)
        return first.strip().lower() if isinstance(first, str) else ""

    @property
    def is_blank(self) -> bool:
        return all(v is None for v in self.values)


@dataclass
class Table:
    """A labelled block: a row of column labels, then one row per record."""

    sheet: str
    header: Line
    columns: dict[str, int]  # label, lower case -> column index
    rows: list[Line] = field(default_factory=list)

    def get(self, line: Line, label: str) -> Any:
        column = self.columns.get(label)
        return None if column is None else line.value(column)

    def coord(self, line: Line, label: str) -> str:
        """The cell of ``label`` on ``line``; column A when the table has no such column."""
        return line.coord(self.columns.get(label, 0))


@dataclass
class Block:
    """An ``Activity`` block: its name, field rows, parameters and exchanges."""

    line: Line
    fields: dict[str, tuple[Any, str]]  # field, lower case -> (value, cell)
    parameters: Table | None = None
    group: str | None = None
    exchanges: Table | None = None

    @property
    def name(self) -> Any:
        return self.line.value(1)

    def field(self, name: str) -> Any:
        return self.fields.get(name, (None, ""))[0]

    def field_coord(self, name: str) -> str:
        """The cell of a field's value; the activity's name cell when it has no such row."""
        return self.fields.get(name, (None, self.line.coord(1)))[1]


@dataclass
class Blocks:
    """Every block of the workbook, in workbook order."""

    database: Line | None = None
    database_fields: dict[str, tuple[Any, str]] = field(default_factory=dict)
    project_parameters: list[Table] = field(default_factory=list)
    database_parameters: list[Table] = field(default_factory=list)
    activities: list[Block] = field(default_factory=list)
    bad_cells: set[tuple[str, str]] = field(default_factory=set)  # (sheet, coord) already reported


def read_blocks(path: Path, problems: Problems) -> Blocks:
    """The blocks of every sheet not marked ``skip`` (problems collected in ``problems``)."""
    blocks = Blocks()
    for sheet, lines in read_lines(path, problems, blocks.bad_cells).items():
        _sheet_blocks(sheet, lines, blocks, problems)
    if blocks.database is None and not problems.incomplete:
        problems.add_file(
            "no Database block: a Brightway Excel workbook names its database in a row 'Database | NAME' "
            "(column A, B)"
        )
    return blocks


# -- cells ----------------------------------------------------------------------------------------
def read_lines(path: Path, problems: Problems, bad: set[tuple[str, str]]) -> dict[str, list[Line]]:
    """The rows of every sheet, Excel formulas replaced by their saved values.

    Every row and column of a sheet part is read (:class:`lca.io.excel_stream.SheetStream`),
    whatever its declared dimension; a cell that cannot be read is a problem at its cell, and
    its place is added to ``bad`` (so that nothing else is said of it).
    """
    formulas: dict[tuple[str, str], str] = {}
    budget = [MAX_CELLS]
    with quiet_openpyxl():
        book = open_book(path, data_only=False)
        try:
            sheets = {
                t: _rows(SheetStream(book, t), problems, formulas, budget, bad) for t in book.sheetnames
            }
        finally:
            book.close()
        if formulas:
            _saved_values(path, sheets, formulas, problems, bad)
    return {title: lines for title, lines in sheets.items() if lines is not None}


@contextmanager
def quiet_openpyxl() -> Iterator[None]:
    """Without openpyxl's warnings on parts it does not keep (``Unknown extension is not supported``):
    they are about formatting and drop-downs, not cells, and bw2io's own examples raise them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        yield


def _rows(
    stream: SheetStream,
    problems: Problems,
    formulas: dict[tuple[str, str], str],
    budget: list[int],
    bad: set[tuple[str, str]],
) -> list[Line] | None:
    """A sheet's rows (None when its A1 says skip), up to :data:`MAX_ROWS` rows and the cell budget."""
    title, lines = stream.title, []
    rows = stream.rows()
    for row in rows:
        if row.number > MAX_ROWS and row.cells:
            problems.add(
                title, f"{row.number}:{row.number}", f"row {row.number:,} is past the {MAX_ROWS:,}-row limit"
            )
            problems.incomplete = True
            break
        budget[0] -= len(row.cells)
        if budget[0] < 0:
            problems.add(
                title, f"{row.number}:{row.number}", f"more than {MAX_CELLS:,} cells in the workbook"
            )
            problems.incomplete = True
            break
        lines.extend(Line(title, n, ()) for n in range(len(lines) + 1, row.number))  # rows not written
        lines.append(Line(title, row.number, _values(title, row.number, row.cells, problems, formulas, bad)))
        if row.number == 1 and lines[0].head == "skip":
            rows.close()
            return None
    rows.close()
    if stream.damage:
        after = stream.last
        problems.add(
            title,
            f"{after + 1}:{after + 1}",
            f"the sheet's XML is damaged after row {after} ({stream.damage}); open and save the file in "
            "Excel",
        )
        problems.incomplete = True
    return lines


def _values(
    title: str,
    number: int,
    cells: dict[int, tuple[Any, str]],
    problems: Problems,
    formulas: dict[tuple[str, str], str],
    bad: set[tuple[str, str]],
) -> tuple[Any, ...]:
    """A row's values, column A first (1-based columns of ``cells``)."""
    values: dict[int, Any] = {}
    for column, (value, kind) in cells.items():
        coord = f"{get_column_letter(column)}{number}"
        if column > MAX_COLUMNS:
            if value is not None:
                problems.add(
                    title,
                    coord,
                    f"a value past column {get_column_letter(MAX_COLUMNS)}; bw2io tables are narrower",
                )
                bad.add((title, coord))
            continue
        if isinstance(value, Unreadable):
            problems.add(title, coord, f"{value.describe()}")
            bad.add((title, coord))
            value = None
        elif kind == "f":
            formulas[(title, coord)] = str(value)
        values[column - 1] = _clean(value)
    width = max((c for c, v in values.items() if v is not None), default=-1) + 1
    return tuple(values.get(c) for c in range(width))


def _clean(value: Any) -> Any:
    """A cell as bw2io reads it: text stripped, empty text and ``(Unknown)`` empty."""
    if isinstance(value, str):
        value = value.strip()
        return None if value in ("", "(Unknown)") else value
    return value


def _saved_values(
    path: Path,
    sheets: dict[str, list[Line] | None],
    formulas: dict[tuple[str, str], str],
    problems: Problems,
    bad: set[tuple[str, str]],
) -> None:
    """Put the value Excel saved with each formula in its place (a formula without one is a problem)."""
    saved: dict[tuple[str, str], Any] = {}
    book = open_book(path, data_only=True)
    try:
        for sheet in {s for s, _ in formulas if sheets.get(s) is not None}:
            rows = SheetStream(book, sheet).rows()
            for row in rows:
                for column, (value, _kind) in row.cells.items():
                    key = (sheet, f"{get_column_letter(column)}{row.number}")
                    if key in formulas:
                        saved[key] = value
            rows.close()
    finally:
        book.close()
    for (sheet, coord), text in formulas.items():
        lines = sheets.get(sheet)
        if lines is None:
            continue
        value = saved.get((sheet, coord))
        if value is None or isinstance(value, Unreadable) or value == text:
            problems.add(
                sheet,
                coord,
                f"Excel formula '{text}' has no saved value; open and save the file in Excel, or type the "
                "value",
            )
            bad.add((sheet, coord))
            value = None
        letters, number = coordinate_from_string(coord)
        column = column_index_from_string(letters) - 1
        line = lines[number - 1]
        values = list(line.values) + [None] * (column + 1 - len(line.values))
        values[column] = _clean(value)
        lines[number - 1] = Line(sheet, number, tuple(values))


# -- blocks ---------------------------------------------------------------------------------------
def _sheet_blocks(sheet: str, lines: list[Line], blocks: Blocks, problems: Problems) -> None:
    if not lines:
        return
    first = lines[0]
    if not isinstance(first.value(0), str):
        if any(not line.is_blank for line in lines):
            problems.add(
                sheet,
                "A1",
                "A1 is empty: bw2io skips a sheet whose A1 is not text, so its blocks would not reach "
                "Brightway; write 'skip' in A1 to skip the sheet, or start it in A1",
            )
        return
    if first.head == "cutoff":
        cutoff = first.value(1)
        if not isinstance(cutoff, int | float) or isinstance(cutoff, bool) or cutoff < 1 or cutoff % 1:
            problems.add(sheet, "B1", f"cutoff {cutoff!r}; expected the number of columns to keep (1, 2...)")
            return
        lines = [Line(sheet, line.number, line.values[: int(cutoff)]) for line in lines]
    for index, line in enumerate(lines):
        head = line.head
        if head == DATABASE:
            _database(line, lines[index + 1 :], blocks, problems)
        elif head == PROJECT_PARAMETERS:
            blocks.project_parameters.append(_table(lines[index + 1 :], problems, sheet, line))
        elif head == DATABASE_PARAMETERS and all(v is None for v in line.values[1:]):
            blocks.database_parameters.append(_table(lines[index + 1 :], problems, sheet, line))
        elif head == ACTIVITY and isinstance(line.value(1), str):
            end = next(
                (k for k in range(index + 1, len(lines)) if lines[k].head in _ENDS_ACTIVITY), len(lines)
            )
            blocks.activities.append(_activity(line, lines[index + 1 : end], problems))


def _database(line: Line, rest: list[Line], blocks: Blocks, problems: Problems) -> None:
    if blocks.database is not None:
        first = blocks.database
        problems.add(
            line.sheet,
            line.coord(),
            f"a second Database block (the first is at {first.sheet}!{first.coord()}); a workbook is one "
            "database",
        )
        return
    if not isinstance(line.value(1), str | int | float):
        problems.add(line.sheet, line.coord(1), "empty database name; expected 'Database | NAME'")
    blocks.database = line
    blocks.database_fields = _fields(_until_blank(rest), problems)


def _until_blank(lines: list[Line]) -> list[Line]:
    end = next((k for k, line in enumerate(lines) if line.is_blank), len(lines))
    return lines[:end]


def _fields(lines: list[Line], problems: Problems) -> dict[str, tuple[Any, str]]:
    """Field/value rows (column A names the field, column B holds its value)."""
    fields: dict[str, tuple[Any, str]] = {}
    for line in lines:
        key = line.value(0)
        if key is None:
            continue
        name = str(key).strip().lower()
        if name in fields:
            problems.add(
                line.sheet, line.coord(), f"field '{key}' is given twice (first at {fields[name][1]})"
            )
            continue
        fields[name] = (line.value(1), line.coord(1))
    return fields


def _table(lines: list[Line], problems: Problems, sheet: str, title: Line) -> Table:
    """A labelled block from its label row up to the first blank row."""
    rows = _until_blank(lines)
    if not rows:
        problems.add(sheet, title.coord(), f"'{title.value(0)}' has no row of column labels below it")
        return Table(sheet, title, {})
    return _labelled(rows[0], rows[1:], problems)


def _labelled(header: Line, rows: list[Line], problems: Problems) -> Table:
    columns: dict[str, int] = {}
    for n, label in enumerate(header.values):
        if label is None:
            problems.add(
                header.sheet,
                header.coord(n),
                "empty column label between labels; bw2io needs a label over every column it reads",
            )
            continue
        key = str(label).strip().lower()
        if key in columns:
            problems.add(
                header.sheet,
                header.coord(n),
                f"column '{label}' appears twice (first in {header.coord(columns[key])})",
            )
            continue
        columns[key] = n
    return Table(header.sheet, header, columns, [r for r in rows if not r.is_blank])


def _activity(line: Line, body: list[Line], problems: Problems) -> Block:
    """An activity block; blank rows inside it are ignored, as bw2io does."""
    body = [b for b in body if not b.is_blank]
    marks: dict[str, int] = {}
    for k, row in enumerate(body):
        if row.head in (PARAMETERS, EXCHANGES):
            if row.head in marks:
                first = body[marks[row.head]]
                problems.add(
                    row.sheet,
                    row.coord(),
                    f"a second '{row.value(0)}' section in activity '{line.value(1)}' (first at "
                    f"{first.coord()})",
                )
                continue
            marks[row.head] = k
    ends = sorted(marks.values()) + [len(body)]
    block = Block(line, _fields(body[: ends[0]], problems))
    for head, start in marks.items():
        stop = min(e for e in ends if e > start)
        section = body[start + 1 : stop]
        if not section:
            problems.add(
                line.sheet, body[start].coord(), f"'{body[start].value(0)}' has no labels row below it"
            )
            continue
        table = _labelled(section[0], section[1:], problems)
        if head == PARAMETERS:
            block.parameters = table
            group = body[start].value(1)
            block.group = None if group is None else str(group)
        else:
            block.exchanges = table
    return block
