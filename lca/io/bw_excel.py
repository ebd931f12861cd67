"""Brightway Excel inventories in: a workbook in bw2io's Excel format read into an lca model.

The workbook is the one ``bw2io.ExcelImporter`` reads (:mod:`lca.io.bw_excel_blocks`); it
is parsed here with openpyxl, so the core install needs no Brightway. Each block becomes
lca records and every problem is put on its cell (``file, Sheet!Cell``): the reader's own
(a cell that is not a number, an exchange that links nowhere), and the model rules of
:func:`lca.compile.check` (a unit that does not convert, an unknown parameter in a
formula), each on the row of its record and the column of its field.

What becomes of Brightway's records (bw2io 0.9, bw2data 4.8 semantics):

- **parameters** (``Project parameters``, ``Database parameters``, an activity's
  ``Parameters``) are lca parameters, one set: a name defined twice is refused. Brightway
  does not check units, its parameters are numbers: they are dimensionless in lca (the
  unit text kept in the comment), and an exchange's formula gives a number in the
  exchange's unit, so lca multiplies it by a parameter worth one of that unit (``one_kg``);
- **activities** keep their code (else their name); ``phase`` is read when present (lca's
  export writes it), else the activity is background. The production exchange is the
  activity's production, negative for a waste treatment (Brightway's signs, which lca
  follows), 1 when absent as in bw2data. A ``substitution`` is an input of minus its amount;
- **technosphere links** inside the workbook's database go by name, and by reference
  product, location and categories where both sides give them (a key ``database::code`` in
  an ``input`` column goes by code). An exchange whose unit differs from its supplier's is
  converted (Brightway takes the number as it is). An exchange to another database is a link
  (:mod:`lca.io.bw_links`) resolved in a Brightway project (``--project``);
- **biosphere exchanges** to ``biosphere3`` (or any other database) are elementary flows by
  name and categories (or the UUID of their key), characterised by the methods of
  :mod:`lca.methods`; a flow of the workbook's own database (type ``emission``...) is an lca
  flow without factors (Brightway's methods name it; give it ``factors`` in lca);
- **the functional unit** is the Database block's ``functional_unit.activity`` row (lca's
  export writes it), else the one activity no other uses; ``methods`` and ``indicators``
  rows are read as on an lca workbook's Model sheet.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Collection
from pathlib import Path

from lca.errors import Place, Problem
from lca.indicators import registered_indicators
from lca.io.bw_excel_blocks import (
    DATABASE,
    PROJECT_PARAMETERS,
    Block,
    Blocks,
    Line,
    Table,
    quiet_openpyxl,
    read_blocks,
)
from lca.io.bw_excel_database import functional_unit, model_fields
from lca.io.bw_excel_fields import (
    COLUMN_OF,
    CellProblem,
    brightway_formula,
    exchange_key,
    is_dimensionless,
    negated,
    number,
    one_parameter_name,
    text,
    uncertainty,
    unit_text,
)
from lca.io.bw_excel_links import Links
from lca.io.excel_cells import Problems, check_file, open_book
from lca.io.excel_stream import SheetStream
from lca.model.records import Activity, Exchange, Flow, Model, Parameter

PROCESS_TYPES = {"", "process", "processwithreferenceproduct"}
FLOW_TYPES = {"emission", "natural resource", "inventory indicator", "economic", "social"}
TECHNOSPHERE, SUBSTITUTION, BIOSPHERE, PRODUCTION = "technosphere", "substitution", "biosphere", "production"


def is_brightway_workbook(path: str | os.PathLike[str]) -> bool:
    """True for a bw2io workbook: no ``Model`` sheet, and a ``Database`` (or ``Project
    parameters``) row in column A of some sheet."""
    path = Path(path)
    check_file(path)
    with quiet_openpyxl():
        return _has_database_block(path)


def _has_database_block(path: Path) -> bool:
    book = open_book(path, data_only=True)
    try:
        if any(title.strip().lower() == "model" for title in book.sheetnames):
            return False
        for title in book.sheetnames:
            rows = SheetStream(book, title).rows()
            for row in rows:
                value = row.cells.get(1, (None, ""))[0]
                if isinstance(value, str) and value.strip().lower() in (DATABASE, PROJECT_PARAMETERS):
                    rows.close()
                    return True
    finally:
        book.close()
    return False


def load_brightway_workbook(path: str | os.PathLike[str], activity: str | None = None) -> Model:
    """Read a Brightway Excel workbook (bw2io's format) into a model.

    Parameters
    ----------
    path : path-like
        The ``.xlsx`` workbook.
    activity : str, optional
        Code or name of the activity assessed (default: the Database block's
        ``functional_unit.activity``, else the one activity no other uses).

    Raises
    ------
    InputFileError
        Every problem found, each as ``file, Sheet!Cell: message``.
    """
    from lca.compile import check

    path = Path(path)
    check_file(path)
    problems = Problems(path.name)
    blocks = read_blocks(path, problems)
    if blocks.database is None or problems.incomplete:  # what follows would mislead
        problems.raise_if_any()
    reader = _Reader(blocks, problems, path.name)
    model = reader.model(activity)
    for problem in check(model, reader.unreadable | {"<links>"}):
        problems.items.append(problem.located(f"{path.name}, {reader.cell(problem)}"))
    problems.raise_if_any()
    return model


class _Reader:
    """Blocks -> records, remembering the row of each record to put model problems on cells."""

    def __init__(self, blocks: Blocks, problems: Problems, label: str):
        self.blocks, self.problems, self.label = blocks, problems, label
        assert blocks.database is not None
        self.database = text(blocks.database.value(1))
        self.unreadable: set[str] = set()
        self.rows: dict[Place, tuple[Table, Line]] = {}  # parameter, exchange or flow -> its row
        self.links = Links(self.database, unreadable=self.unreadable)
        self.codes: dict[int, str] = {}  # id(block) -> code
        self.one_units: dict[str, str] = {}  # unit -> name of the parameter worth one of it
        self.formula_rows: set[int] = set()  # id(line) of rows whose amount is a formula

    def add(self, line: Line, column: int | str, message: str, table: Table | None = None) -> None:
        """A problem at ``column`` (a label of ``table``, or an index) of ``line``."""
        if isinstance(column, str):
            coord = table.coord(line, column) if table is not None else line.coord()
        else:
            coord = line.coord(column)
        if (line.sheet, coord) not in self.blocks.bad_cells:  # a cell already reported
            self.problems.add(line.sheet, coord, message)

    # -- the model ------------------------------------------------------------------------------
    def model(self, activity: str | None) -> Model:
        fields = self.blocks.database_fields
        model = Model(self.database, text(fields.get("description", (None, ""))[0]))
        model.parameters = self._parameters()
        for block in self.blocks.activities:
            self._node(block, model)
        for block in self.blocks.activities:
            code = self.codes.get(id(block))
            if code in model.activities:
                self._exchanges(block, model.activities[code], model)
        for unit, name in self.one_units.items():
            model.parameters[name] = Parameter(
                name,
                1.0,
                unit,
                source="lca import of a Brightway workbook",
                comment=f"1 {unit}: a Brightway formula gives a number in its exchange's unit, "
                "multiplied by this it has that unit",
            )
        model.functional_unit = functional_unit(self.blocks, model, activity, self.problems, self.unreadable)
        model_fields(self.blocks, model, self.problems)
        return model

    # -- parameters -----------------------------------------------------------------------------
    def _parameters(self) -> dict[str, Parameter]:
        tables = [*self.blocks.project_parameters, *self.blocks.database_parameters]
        tables += [b.parameters for b in self.blocks.activities if b.parameters is not None]
        rows = [(t, line) for t in tables for line in t.rows]
        names = {text(t.get(line, "name")) for t, line in rows}
        parameters: dict[str, Parameter] = {}
        for table, line in rows:
            name = text(table.get(line, "name"))
            if not name:
                self.add(line, "name", "empty parameter name", table)
                continue
            if name in parameters:
                first = self.rows[Place("parameter", name)]
                self.add(
                    line,
                    "name",
                    f"parameter '{name}' is defined twice (first at {first[1].sheet}!"
                    f"{first[0].coord(first[1], 'name')}); lca's parameters are one set, Brightway's scopes "
                    "are not kept: rename one",
                    table,
                )
                self.unreadable.add(name)
                continue
            parameter = self._parameter(table, line, name, names)
            if parameter is None:
                self.unreadable.add(name)
                continue
            parameters[name] = parameter
            self.rows[Place("parameter", name)] = (table, line)
        return parameters

    def _parameter(self, table: Table, line: Line, name: str, names: set[str]) -> Parameter | None:
        unit = text(table.get(line, "unit"))
        comment = "; ".join(
            p for p in (text(table.get(line, "comment")), unit and f"Brightway unit: {unit}") if p
        )
        try:
            formula = self._formula(table, line, names)
            if formula is not None:
                return Parameter(name, formula, "", None, "", comment)
            amount = number(table.get(line, "amount"), "amount")
            if amount is None:
                raise CellProblem("amount", f"parameter '{name}' has neither an amount nor a formula")
            fields = {c: table.get(line, c) for c in table.columns}
            return Parameter(
                name, amount, "", uncertainty(fields, amount, f"parameter '{name}'"), "", comment
            )
        except CellProblem as exc:
            self.add(line, exc.column, exc.message, table)
            return None

    def _formula(self, table: Table, line: Line, names: Collection[str]) -> str | None:
        """The row's formula as lca's (None when it has none); a formula has no distribution of its own."""
        formula = table.get(line, "formula")
        if formula is None:
            return None
        self.formula_rows.add(id(line))
        spread = number(table.get(line, "uncertainty type"), "uncertainty type")
        if spread not in (None, 0, 1):
            raise CellProblem(
                "uncertainty type",
                "a formula takes its uncertainty from its parameters; remove its uncertainty type",
            )
        return brightway_formula(formula, names)

    # -- activities and own flows ----------------------------------------------------------------
    def _node(self, block: Block, model: Model) -> None:
        name = text(block.name)
        kind = text(block.field("type")).lower()
        code = text(block.field("code")) or name
        if code in model.activities or code in model.flows:
            location = text(block.field("location"))
            code = f"{name} ({location})" if location and not text(block.field("code")) else code
            if code in model.activities or code in model.flows:
                self.add(
                    block.line,
                    1,
                    f"activity code '{code}' is used twice (first at "
                    f"{self.links.cell(code)}); give each activity its own 'code' row",
                )
                self.unreadable.add(code)
                return
        self.codes[id(block)] = code
        self.links.blocks[code] = block
        source = f"Brightway workbook {self.label}, sheet '{block.line.sheet}'"
        if kind in FLOW_TYPES:
            unit = unit_text(block.field("unit"))
            if code in {i.code for i in registered_indicators()}:  # lca's pre-characterised flows
                self.links.indicator_flows[code] = unit
            else:
                model.flows[code] = Flow(code, name, unit, {}, f"{source}, database '{self.database}'")
            return
        if kind not in PROCESS_TYPES:
            self.add(
                block.line,
                1,
                f"activity type '{kind}' is not supported; expected process (or a flow type: "
                f"{', '.join(sorted(FLOW_TYPES))})",
            )
            self.unreadable.add(code)
            return
        unit, production, product = self._production(block)
        if (
            product
            and product != name
            and f"reference product: {product}" not in text(block.field("comment"))
        ):
            comment = "; ".join(
                p for p in (text(block.field("comment")), f"reference product: {product}") if p
            )
        else:
            comment = text(block.field("comment"))
        phase = text(block.field("phase")) or None
        model.activities[code] = Activity(
            code,
            name,
            None if phase == "background" else phase,
            unit,
            [],
            text(block.field("location")),
            production,
            tuple(c.strip() for c in text(block.field("missing")).split(",") if c.strip()),
            source,
            comment,
        )

    def _production(self, block: Block) -> tuple[str, float, str]:
        """The unit, production amount and reference product of an activity block."""
        rows = [r for r in (block.exchanges.rows if block.exchanges else []) if _kind(block, r) == PRODUCTION]
        unit = unit_text(block.field("unit"))
        product = text(block.field("reference product"))
        if not rows:
            if not unit:
                self.add(block.line, 1, f"activity '{block.name}' has no unit row and no production exchange")
            return unit or "unit", 1.0, product
        table, line = block.exchanges, rows[0]
        assert table is not None
        for extra in rows[1:]:
            self.add(
                extra,
                "type",
                f"a second production exchange (the first is on row {line.number}); an lca activity has one "
                "reference product: split the activity",
                table,
            )
        try:
            self._check_own_product(block, table, line)
            if table.get(line, "formula") is not None:
                raise CellProblem(
                    "formula", "a production amount given by a formula is not supported; give it"
                )
            amount = number(table.get(line, "amount"), "amount")
            if amount is None or amount == 0:
                raise CellProblem("amount", f"production {amount}; expected a number other than 0")
            if uncertainty({c: table.get(line, c) for c in table.columns}, amount, "production") is not None:
                raise CellProblem(
                    "uncertainty type", "an uncertain production is not supported; give it fixed"
                )
        except CellProblem as exc:
            self.add(line, exc.column, exc.message, table)
            amount = 1.0
        self.rows[Place("activity", self.codes[id(block)])] = (table, line)
        return (
            unit or unit_text(table.get(line, "unit")) or "unit",
            amount,
            product or text(table.get(line, "name")),
        )

    def _check_own_product(self, block: Block, table: Table, line: Line) -> None:
        key = exchange_key(table.get(line, "input"))
        database = text(table.get(line, "database")) or self.database
        name = text(table.get(line, "name")).lower()
        own = {text(block.name).lower(), text(block.field("reference product")).lower()}
        if (
            (key is not None and key != (self.database, self.codes[id(block)]))
            or database != self.database
            or (name and name not in own)
        ):
            raise CellProblem(
                "name",
                f"a production exchange of '{table.get(line, 'name')}'; the production names the activity "
                f"itself ('{block.name}'): a co-product is not supported",
            )

    # -- exchanges --------------------------------------------------------------------------------
    def _exchanges(self, block: Block, activity: Activity, model: Model) -> None:
        table = block.exchanges
        if table is None:
            return
        for line in table.rows:
            kind = _kind(block, line)
            if kind == PRODUCTION:
                continue
            try:
                if kind not in (TECHNOSPHERE, SUBSTITUTION, BIOSPHERE):
                    raise CellProblem(
                        "type",
                        f"exchange type '{kind}'; expected production, technosphere, substitution or "
                        "biosphere",
                    )
                exchange = self._exchange(block, table, line, kind, model)
            except CellProblem as exc:
                self.add(line, exc.column, exc.message, table)
                continue
            self.rows[Place("exchange", activity.code, len(activity.exchanges))] = (table, line)
            activity.exchanges.append(exchange)

    def _exchange(self, block: Block, table: Table, line: Line, kind: str, model: Model) -> Exchange:
        name = text(table.get(line, "name"))
        what = f"exchange '{name}' of activity '{block.name}'"
        if kind == BIOSPHERE:
            code, supplier_unit = self.links.flow(table, line, model)
            if code not in self.links.blocks:  # an elementary flow: problems on its first row
                self.rows.setdefault(Place("flow", code), (table, line))
        else:
            code, supplier_unit = self.links.supplier(table, line, model)
        unit = unit_text(table.get(line, "unit")) or supplier_unit
        formula = self._formula(table, line, model.parameters)
        sign = -1.0 if kind == SUBSTITUTION else 1.0
        if formula is not None:
            amount: float | str = formula
            if not unit:
                raise CellProblem("unit", f"{what}: empty unit; a formula's number needs the unit it is in")
            if not is_dimensionless(unit):
                one = self.one_units.get(unit) or one_parameter_name(
                    unit, {*model.parameters, *self.one_units.values()}
                )
                self.one_units[unit] = one
                amount = f"{_grouped(amount)} * {one}"
            if sign < 0:
                amount = f"-{_grouped(amount)}"
            return Exchange(code, amount, unit, None, comment=text(table.get(line, "comment")))
        value = number(table.get(line, "amount"), "amount")
        if value is None:
            raise CellProblem("amount", f"{what}: empty amount; expected a number or a formula")
        spread = uncertainty({c: table.get(line, c) for c in table.columns}, value, what)
        return Exchange(
            code,
            sign * value,
            unit,
            negated(spread) if sign < 0 else spread,
            comment=text(table.get(line, "comment")),
        )

    # -- locating the model's problems --------------------------------------------------------------
    def cell(self, problem: Problem) -> str:
        """``Sheet!Cell`` of a model problem: its record's row, its field's column."""
        place, field = problem.where, problem.field
        database = self.blocks.database
        assert database is not None
        if not isinstance(place, Place) or place.kind in ("model", "functional_unit"):
            key = {"methods": "methods", "indicators": "indicators"}.get(field, "functional_unit.activity")
            coord = self.blocks.database_fields.get(key, (None, database.coord(1)))[1]
            return f"{database.sheet}!{coord}"
        if place.kind in ("activity", "flow") and place.key in self.links.blocks:
            block = self.links.blocks[place.key]
            if field == "production" and place in self.rows:
                table, line = self.rows[place]
                return f"{line.sheet}!{table.coord(line, 'amount')}"
            return f"{block.line.sheet}!{block.field_coord(field) if field else block.line.coord(1)}"
        found = self.rows.get(Place(place.kind, place.key, place.index))
        if found is None:
            return f"{database.sheet}!{database.coord()}"
        table, line = found
        column = COLUMN_OF.get(field, field) or "name"
        if column == "amount" and id(line) in self.formula_rows:
            column = "formula"
        if column not in table.columns:
            column = "name"
        return f"{line.sheet}!{table.coord(line, column)}"


def _kind(block: Block, line: Line) -> str:
    assert block.exchanges is not None
    return text(block.exchanges.get(line, "type")).lower()


def _grouped(formula: str) -> str:
    """``formula`` in parentheses unless it is one name, number or call (``a`` and ``f(a)`` stay)."""
    node = ast.parse(formula, mode="eval").body
    return formula if isinstance(node, ast.Name | ast.Constant | ast.Call) else f"({formula})"
