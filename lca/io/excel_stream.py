"""Streaming the rows of one worksheet, whatever its size claims and whatever its cells hold.

openpyxl's read-only worksheet trusts the ``<dimension>`` a sheet part declares (rows and
columns past a stale one are silently dropped) and raises on the first cell whose value
it cannot cast (a 5,000-digit number, ``<v>NaN</v>``, a bad ``t="d"`` date, a shared string
index out of range), which ends the whole read. This module drives openpyxl's own sheet
parser directly instead:

- every ``<row>`` of the part is read with all its cells, whatever the dimension says;
- a cell openpyxl cannot cast, and an Excel error value (``#NAME?``, ``#DIV/0!``), becomes
  an :class:`Unreadable` value that the reader reports at its cell;
- XML that cannot be parsed (a truncated part, invalid UTF-8, an entity declaration refused
  by defusedxml) ends the sheet with :attr:`SheetStream.damage`, which says after which row;
- hidden rows, the sheet's state (hidden, very hidden) and its merged ranges are kept, for
  the reader to warn about or refuse.

Examples
--------
>>> Unreadable("9" * 5000, "not a number Excel can store").describe()
"'99999999999999999999...' (5000 characters), not a number Excel can store"
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import coordinate_to_tuple
from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser

_SHOWN = 20  #: characters of a damaged cell's text quoted in a message
_WHY = {
    "n": "not a number Excel can store",
    "s": "a shared string that is not in the workbook",
    "d": "not a date Excel can store",
    "b": "not a true/false value",
}


@dataclass(frozen=True)
class Unreadable:
    """The value of a cell that cannot be read as what it claims to be: ``text`` as written
    in the file, ``why`` it cannot be read."""

    text: str
    why: str

    def describe(self) -> str:
        """``'NaN', not a number Excel can store`` (a long text shortened, with its length)."""
        shown = (
            f"'{self.text}'"
            if len(self.text) <= _SHOWN
            else f"'{self.text[:_SHOWN]}...' ({len(self.text)} characters)"
        )
        return f"{shown}, {self.why}"

    def __str__(self) -> str:
        return self.text


@dataclass
class StreamedRow:
    """One ``<row>``: its number, ``column -> (value, data_type)`` (1-based columns), and
    whether it is hidden."""

    number: int
    cells: dict[int, tuple[Any, str]]
    hidden: bool = False


@dataclass
class SheetStream:
    """What streaming a sheet found besides its rows (filled as :meth:`rows` runs).

    Attributes
    ----------
    state : str
        ``visible``, ``hidden`` or ``veryHidden`` (the workbook's sheet state).
    damage : str
        Why the sheet's XML stopped being readable (empty when it was read to its end).
    merged : list of str
        Merged ranges (``A1:C1``), known once every row has been read.
    last : int
        Number of the last row read (0 before the first).
    """

    book: Any
    title: str
    state: str = "visible"
    damage: str = ""
    last: int = 0
    merged: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[StreamedRow]:
        """Every row of the sheet part, in file order (cells as openpyxl casts them)."""
        ws = self.book[self.title]
        self.state = getattr(ws, "sheet_state", "visible") or "visible"
        parser = _Parser(
            ws._get_source(),
            ws._shared_strings,
            data_only=self.book.data_only,
            epoch=self.book.epoch,
            date_formats=self.book._date_formats,
            timedelta_formats=self.book._timedelta_formats,
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl's notes on parts it drops (extensions...)
                for number, cells, hidden in parser.parse():
                    self.last = number
                    yield StreamedRow(number, cells, hidden)
        except Exception as exc:  # damaged XML, a refused entity, a bad CRC while inflating...
            self.damage = f"{type(exc).__name__}: {exc}"
        finally:
            parser.source.close()
        ranges = getattr(parser.merged_cells, "mergeCell", None) or []
        self.merged = [str(r.ref) for r in ranges]


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, keeping going past a cell it cannot cast."""

    def parse_row(self, row: Any) -> tuple[int, dict[int, tuple[Any, str]], bool]:
        try:
            number, cells = super().parse_row(row)
        except (ValueError, TypeError):  # a row number that is not a number
            self.row_counter += 1
            number, cells = self.row_counter, []
        hidden = str(row.get("hidden", "")).lower() in ("1", "true")
        return number, {c["column"]: (c["value"], c["data_type"]) for c in cells}, hidden

    def parse_cell(self, element: Any) -> dict[str, Any]:
        try:
            cell = super().parse_cell(element)
        except Exception as exc:  # openpyxl casts while it reads: int("NaN"), shared_strings[99]...
            return self._unreadable(element, exc)
        if cell["data_type"] == "e" and cell["value"] is not None:
            cell["value"] = Unreadable(str(cell["value"]), "an Excel error value")
        return cell

    def _unreadable(self, element: Any, exc: Exception) -> dict[str, Any]:
        kind = element.get("t", "n")
        try:
            row, column = coordinate_to_tuple(element.get("r") or "")
        except (ValueError, TypeError):
            row, column = self.row_counter, self.col_counter + 1
        self.col_counter = column
        text = element.findtext(VALUE_TAG, "") or ""
        why = _WHY.get(kind, f"a value of type '{kind}' that cannot be read ({type(exc).__name__})")
        return {"row": row, "column": column, "value": Unreadable(text, why), "data_type": "x", "style_id": 0}


__all__ = ["SheetStream", "StreamedRow", "Unreadable"]
