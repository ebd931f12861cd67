"""The report as data: sections of paragraphs, tables, figures and key-value lists.

Sections are built once (:mod:`lca.report.sections`) and rendered by each format
(:mod:`lca.report.html`, :mod:`lca.report.markdown`, :mod:`lca.report.xlsx`), so the
three formats carry the same numbers: a number is a :class:`Value` (float, optional
band) formatted by one function, :func:`fmt`.

Examples
--------
>>> fmt(50892.563017), fmt(0.033526), fmt(7795214.6), fmt(0.0)
('50,890', '0.03353', '7,795,000', '0')
>>> fmt(1.56e-06), fmt(1.0), fmt(360.116)
('1.56e-06', '1', '360.1')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SIGNIFICANT = 4


def fmt(value: float | None, significant: int = SIGNIFICANT) -> str:
    """A number for reading: ``significant`` digits, thousands separated, no exponent
    between 1e-4 and 1e9."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    if not -4 <= magnitude < 9:
        return f"{value:.{significant}g}"
    decimals = significant - 1 - magnitude
    text = f"{round(value, decimals):,.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Value:
    """A result number, with its Monte Carlo band when there is one."""

    value: float
    low: float | None = None
    high: float | None = None

    @property
    def text(self) -> str:
        """``"50,890"`` or ``"50,890 [41,200 – 63,100]"``."""
        if self.low is None or self.high is None:
            return fmt(self.value)
        return f"{fmt(self.value)} [{fmt(self.low)} – {fmt(self.high)}]"


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
    """A table; ``key`` names its sheet in a workbook."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]


@dataclass
class Figure:
    """A chart: ``draw`` returns a matplotlib figure (called only by formats that show it)."""

    caption: str
    draw: Callable[[], Any]


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
        """Every table, in reading order."""
        found: list[Table] = []

        def walk(section: Section) -> None:
            found.extend(b for b in section.blocks if isinstance(b, Table))
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        return found
