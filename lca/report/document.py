"""The report as data: sections of paragraphs, tables, figures and key-value lists.

Sections are built once (:mod:`lca.report.sections`) and rendered by each format
(:mod:`lca.report.html`, :mod:`lca.report.markdown`, :mod:`lca.report.xlsx`), so the
three formats carry the same numbers: a number is a :class:`Value` (exact float, optional
band, unit, coverage) and reads through one formatter, :mod:`lca.report.numbers`.

Examples
--------
>>> fmt(50892.563017), fmt(0.033526), fmt(7795214.6), fmt(0.0)
('50,890', '0.03353', '7,795,000', '0')
>>> fmt(1.56e-06), fmt(1.0), fmt(360.116)
('1.56 × 10⁻⁶', '1', '360.1')
>>> Value(50892.56, 41200.0, 63100.0, scale=1e-3).text
'50.89 [41.2 – 63.1]'
>>> Value(0.0, missing=True).text, Value(2534583.0, bound="lower", scale=1e-3).text
('n/a', '>= 2,535')
>>> Value(0.2203, kind="share").text, Value(1082990, kind="input").text
('22.0%', '1,082,990')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lca.report.numbers import LOWER_BOUND, NOT_AVAILABLE, SIGNIFICANT, format_number, format_probability

#: The one number formatter of the reports (:func:`lca.report.numbers.format_number`).
fmt = format_number

#: Kinds of number: a result in a unit, a share (0-1, read as %), a probability (0-1), a
#: ratio, a plain number, a correlation coefficient (-1 to 1), an input as entered (all
#: its digits).
KINDS = ("quantity", "share", "probability", "ratio", "number", "coefficient", "input")


@dataclass(frozen=True)
class Value:
    """A number cell: the exact value, its band, and how to read it.

    Attributes
    ----------
    value : float
        Exact, in the column's unit (workbooks keep it so).
    low, high : float, optional
        Monte Carlo band.
    kind : str
        One of :data:`KINDS`.
    scale : float
        Factor to the unit the column is read in (``1e-3``: kg shown as t); text only.
    missing : bool
        No data (``n/a``): the value is not a result, whatever it holds.
    bound : str
        ``"lower"``: the inventory misses some data, the true value is at least this.
    mark : str
        A footnote sign after the text (``†``), explained in a note beside the table.
    """

    value: float
    low: float | None = None
    high: float | None = None
    kind: str = "quantity"
    scale: float = 1.0
    missing: bool = False
    bound: str = ""
    mark: str = ""

    @property
    def available(self) -> bool:
        """False when the cell has no data."""
        return not self.missing and not (isinstance(self.value, float) and math.isnan(self.value))

    @property
    def text(self) -> str:
        """``"50.89"``, ``"50.89 [41.2 – 63.1]"``, ``">= 2,535"``, ``"22.0%"`` or ``"n/a"``."""
        if not self.available:
            return NOT_AVAILABLE
        text = self._one(self.value)
        if self.low is not None and self.high is not None:
            text += f" [{self._one(self.low)} – {self._one(self.high)}]"
        if self.bound == "lower":
            text = LOWER_BOUND + text
        return text + self.mark

    def _one(self, value: float) -> str:
        if self.kind == "share":
            return f"{value:.1%}"
        if self.kind == "probability":
            return format_probability(value)
        if self.kind == "ratio":
            return fmt(value, 3)
        if self.kind == "coefficient":
            return f"{value:.2f}"
        if self.kind == "input":
            return _entered(value)
        return fmt(value * self.scale, SIGNIFICANT)

    @property
    def number_format(self) -> str:
        """The Excel number format of the exact value (workbooks)."""
        if self.kind in ("share", "probability"):
            return "0.0%"
        prefix = '">= "' if self.bound == "lower" else ""
        return prefix + _excel_format(self.value)


def _entered(value: float) -> str:
    """An input as entered: every digit it has (up to 10), thousands separated, no e-notation."""
    if value == 0 or not math.isfinite(value) or not 1e-4 <= abs(value) < 1e12:
        return fmt(value, 10)
    text = f"{value:.10g}"
    if "e" in text:  # 1e-04 <= |value| < 1e-3, or a whole number past 10 digits
        text = f"{value:.14f}".rstrip("0").rstrip(".")
    sign = "-" if text.startswith("-") else ""
    whole, _, decimals = text.lstrip("-").partition(".")
    return sign + f"{int(whole):,}" + (f".{decimals}" if decimals else "")


def _excel_format(value: float) -> str:
    """A fixed number format showing about 4 significant digits of ``value`` (never E)."""
    if not value or not math.isfinite(value):
        return "#,##0.####"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = min(max(SIGNIFICANT - 1 - magnitude, 0), 12)
    return "#,##0" + ("." + "0" * decimals if decimals else "")


@dataclass(frozen=True)
class Column:
    """A table column: its name and, for numbers, the unit of its exact values and the
    (prefixed) unit it is read in."""

    name: str
    unit: str = ""
    shown: str = ""

    def header(self, exact: bool = False) -> str:
        """``"GWP [t CO2 eq]"`` to read, ``"GWP [kg CO2 eq]"`` for the exact values."""
        unit = self.unit if exact else (self.shown or self.unit)
        return f"{self.name} [{unit}]" if unit else self.name


Cell = str | float | int | Value | None


def cell_text(cell: Cell) -> str:
    """How a cell reads in every format."""
    if cell is None:
        return ""
    if isinstance(cell, Value):
        return cell.text
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return fmt(float(cell))
    return str(cell)


def header_text(column: str | Column, exact: bool = False) -> str:
    """A column's header (with the unit it is read in, or that of its exact values)."""
    return column.header(exact) if isinstance(column, Column) else column


@dataclass
class Paragraph:
    """Plain text; ``note=True`` marks a caveat (rendered apart)."""

    text: str
    note: bool = False


@dataclass
class Items:
    """A list of (label, text) pairs, e.g. the model card; ``numbered`` keeps their order."""

    pairs: list[tuple[str, str]]
    numbered: bool = False


@dataclass
class Table:
    """A table; ``key`` names its sheet in a workbook and its id in a page.

    ``notes`` explain the table's marks (``†``) and bounds; every format prints them
    beside it.
    """

    key: str
    caption: str
    columns: list[str | Column]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    #: Folded in a page (``<details>``), shown in full in the other formats.
    collapsed: bool = False
    #: False for a table only a workbook holds (too long to read in a page).
    in_page: bool = True


@dataclass
class Figure:
    """A chart: ``draw`` returns a matplotlib figure (called only by formats that show it).

    ``alt`` says in words what the chart shows (its numbers), for readers who cannot see
    it; ``key`` names its file beside a Markdown report.
    """

    caption: str
    draw: Callable[[], Any]
    alt: str = ""
    key: str = "figure"
    #: Folded in a page (``<details>``) behind ``summary`` (default: the caption).
    collapsed: bool = False
    summary: str = ""


@dataclass
class Tree:
    """An indented list: ``(depth, text)`` lines, e.g. the contribution paths."""

    caption: str
    lines: list[tuple[int, str]]


@dataclass
class Link:
    """A citation: a reference text and the address of the cited work."""

    text: str
    url: str


Block = Paragraph | Items | Table | Figure | Tree | Link


@dataclass
class Section:
    """One section: ``key`` is its stable anchor (``goal-scope``, ``results``...)."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Document:
    """The whole report."""

    title: str
    subtitle: str
    sections: list[Section]

    def tables(self) -> list[Table]:
        """Every table, in reading order (workbook-only tables included)."""
        found: list[Table] = []

        def walk(section: Section) -> None:
            found.extend(b for b in section.blocks if isinstance(b, Table))
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        return found
