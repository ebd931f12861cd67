"""Read an inventory workbook into a :class:`~lca.model.records.Model`, locating every problem.

Two passes, each collecting problems as ``file, Sheet!Cell: what was found; expected``:

1. cells and rows: sheets and columns present, each cell of the kind its column expects
   (:mod:`lca.io.excel_cells`), required cells filled, codes used once, uncertainty fields
   read by :meth:`~lca.model.uncertainty.Uncertainty.from_spec`; each row becomes a record
   and the reader remembers its row;
2. the model's rules: :func:`lca.compile.check` (the same rules as for a YAML data file)
   returns its problems with their place (which record) and field, and each is put on the
   cell of that record's row and that field's column.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lca.errors import InputFileError, LcaError, Place, Problem, problems_of, warn
from lca.io.datafile import record_datasets
from lca.io.excel_cells import Located, Problems, Row, Sheet, check_file, read_sheets, typed
from lca.io.excel_datasets import DatasetRow, expand_datasets, read_dataset_parameter
from lca.io.excel_layout import MODEL_FIELDS, PEDIGREE, REQUIRED_SHEETS, SHEETS
from lca.io.excel_stream import Unreadable
from lca.io.yaml_read import PROVENANCE_NOTE
from lca.model.checks import UNREAD_CODES, duplicate_exchanges, formula_uncertainty
from lca.model.records import MAX_HINTS, Activity, Exchange, Flow, FunctionalUnit, Model, Parameter, suggest
from lca.model.uncertainty import Uncertainty

#: Uncertainty columns of a row (the stats_arrays fields loc, scale, shape, negative have none).
SPEC_COLUMNS = ("distribution", "gsd", "sigma", "sd", "min", "max", "mode", "basic_variance")
#: The column of a problem's field, where it is not the column of the same name.
_COLUMN_OF = {
    "pedigree": "reliability",
    "loc": "distribution",
    "scale": "distribution",
    "id": "distribution",
    "shape": "distribution",
    "negative": "distribution",
}
#: Model sheet rows of the functional unit's fields.
_FU_ROWS = {
    "activity": "functional_unit.activity",
    "amount": "functional_unit.amount",
    "unit": "functional_unit.unit",
}


def load_workbook_model(path: str | os.PathLike[str]) -> Model:
    """Read an inventory workbook (``.xlsx``) into a model.

    Raises
    ------
    InputFileError
        Listing every problem found, each as ``file, Sheet!Cell: message``.
    """
    from lca.compile import check

    path = Path(path)
    check_file(path)
    problems = Problems(path.name)
    sheets = read_sheets(path, problems)
    if problems.incomplete:
        problems.raise_if_any()
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            problems.add_file(
                f"missing sheet '{name}'; expected sheets {', '.join(REQUIRED_SHEETS)} (see README)"
            )
    if any(name not in sheets or not sheets[name].letters for name in REQUIRED_SHEETS):
        problems.raise_if_any()
    reader = _Reader(sheets, problems, path.parent)
    model = reader.model()
    for problem in check(model, reader.unreadable | {"<links>"}):
        problems.items.append(reader.locate(problem))
    problems.raise_if_any()
    for note in [*problems.notes, *(reader.locate(p) for p in duplicate_exchanges(model))]:
        warn(note)
    return model


class _Reader:
    """Rows -> records, with the row of each record (``places``) for locating problems."""

    def __init__(self, sheets: dict[str, Sheet], problems: Problems, folder: Path = Path(".")):
        self.sheets, self.problems, self.folder = sheets, problems, folder
        self.places: dict[Place, tuple[str, int]] = {}  # record -> (sheet, row)
        self.dataset_cells: dict[str, tuple[str, int]] = {}  # dataset activity -> its row
        self.flow_rows: dict[tuple[str, str], int] = {}  # (flow, indicator) -> Flows row
        self.unreadable: set[str] = set()
        self.dataset_rows: list[DatasetRow] = []  # activities to expand (lca.data.resolve)
        self.dataset_parameters: dict[str, dict[str, Any]] = {}
        self.fu_cells: dict[str, str] = {}

    # -- locating ---------------------------------------------------------------------------------
    def locate(self, problem: Problem) -> Problem:
        """Put a model problem on the cell of its record's row and its field's column."""
        place, field = problem.where, problem.field
        if not isinstance(place, Place):
            return problem
        coord = self._cell(place, field, problem)
        return problem.located(f"{self.problems.label}, {coord}")

    def _cell(self, place: Place, field: str, problem: Problem) -> str:
        if place.kind == "functional_unit":
            key = _FU_ROWS.get(field, "functional_unit.activity")
            return f"Model!{self.fu_cells.get(key, self.fu_cells.get('functional_unit.activity', 'B1'))}"
        if place.kind == "model":
            if field == "activities":
                return "Activities!A2"
            return f"Model!{self.fu_cells.get(field, 'A1')}"
        if place.kind == "flow" and field.startswith("factors."):
            indicator = field.split(".", 1)[1]
            row = self.flow_rows.get((place.key, indicator))
            column = "indicator" if problem.value == indicator else "factor"
            if row is not None:
                return f"Flows!{self.sheets['Flows'].coord(column, row)}"
        found = self.places.get(place)
        if found is None and place.kind == "exchange":
            found = self.dataset_cells.get(place.key)
            field = "dataset"
        if found is None:
            return {"parameter": "Parameters!A1", "activity": "Activities!A1", "flow": "Flows!A1"}.get(
                place.kind, "Exchanges!A1"
            )
        sheet_name, row = found
        sheet = self.sheets[sheet_name]
        column = _COLUMN_OF.get(field, field) or ("name" if place.kind == "parameter" else "code")
        return f"{sheet_name}!{sheet.coord(column, row)}"

    # -- the workbook -----------------------------------------------------------------------------
    def model(self) -> Model:
        """The inventory of the workbook's sheets (problems are collected, not raised)."""
        model = self._model_sheet()
        if "Sources" in self.sheets:
            rows = self._rows_of("Sources", ("key", "reference"))
            sources = {str(k): str(v or "") for k, v in rows if k is not None}
            if sources:
                model.info["sources"] = sources
        params = self._records("Parameters", self._parameter)
        flows = self._flows()
        activities = self._records("Activities", self._activity)
        exchanges = self._records("Exchanges", self._exchange)
        if not self.sheets["Activities"].rows:
            self.problems.add(
                "Activities", "A2", "empty workbook: no activities (one row per activity from row 2)"
            )
            self.unreadable.add("<activities>")
        for r in params:
            self._add(r, model.parameters, "Parameters", "name", "parameter name", "parameter")
        model.flows = flows
        for r in activities:
            self._add(r, model.activities, "Activities", "code", "activity code", "activity")
        self._attach(exchanges, model)
        bad = {str(r.row.value("code")) for r in activities if not r.row.ok}
        self.dataset_rows = expand_datasets(self.dataset_rows, exchanges, model, bad, self.problems)
        for code in bad:  # rows that could not be read, datasets that could not be expanded
            model.activities.pop(code, None)
        self.unreadable |= bad
        for d in self.dataset_rows:
            self.dataset_cells[d.spec["code"]] = ("Activities", d.row.number)
        self._index_exchanges(model, exchanges)
        if record_datasets(model, [d.spec for d in self.dataset_rows], self.dataset_parameters):
            self.problems.note("Model", self.fu_cells.get("info.datasets", "A1"), PROVENANCE_NOTE)
        energy = [
            (
                r.record.code,
                r.row.value("energy"),
                f"{self.problems.label}, Activities!{r.sheet.coord('energy', r.row.number)}",
            )
            for r in activities
            if r.record is not None and r.row.value("energy") and r.record.code in model.activities
        ]
        if energy:  # measured runs of a CodeCarbon file (lca.io.codecarbon_inventory)
            from lca.io.codecarbon_inventory import expand_energy

            expand_energy(model, energy, self.folder, self.problems.items)
        return model

    def _add(self, r: Located, into: dict[str, Any], sheet: str, column: str, what: str, kind: str) -> None:
        """A row's record into the model, a code used twice refused at its cell."""
        cell = r.row.cells.get(column)
        key = None if cell is None else str(cell.value)
        if r.record is None:
            if key is not None:
                self.unreadable.add(key)
            if cell is not None and kind == "activity" and not isinstance(cell.value, str | int | float):
                self.unreadable.add(UNREAD_CODES)  # a date, an error value: which code was meant?
            return
        if key in into or Place(kind, key) in self.places:
            first = self.places.get(Place(kind, key), (sheet, 0))[1]
            first_cell = self.sheets[sheet].coord(column, first)
            self.problems.add(
                sheet, cell.coord, f"{what} '{key}' is used twice (first at {sheet}!{first_cell})"
            )
            self.unreadable.add(key)  # which of the two a reference means is not known
            return
        into[key] = r.record
        self.places[Place(kind, key)] = (sheet, r.row.number)

    def _rows_of(self, sheet_name: str, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
        sheet = self.sheets[sheet_name]
        columns = {c.name: c for c in SHEETS[sheet_name]}
        return [tuple(typed(sheet, row, columns[n], self.problems) for n in names) for row in sheet.rows]

    def _records(self, sheet_name: str, build: Any) -> list[Located]:
        if sheet_name not in self.sheets:
            return []
        sheet = self.sheets[sheet_name]
        columns = SHEETS[sheet_name]
        located = []
        for row in sheet.rows:
            values = {c.name: typed(sheet, row, c, self.problems) for c in columns}
            for c in columns:
                if c.required and c.name not in sheet.letters:
                    row.ok = False  # reported once, at the header
                elif c.required and row.cells.get(c.name) is None and row.cells.get(c.unless or "") is None:
                    self.problems.add(
                        sheet_name, sheet.coord(c.name, row.number), f"empty '{c.name}'; it is required"
                    )
                    row.ok = False
            record = build(values, sheet, row) if row.ok else None
            located.append(Located(record if row.ok else None, sheet, row))
        return located

    def _model_sheet(self) -> Model:
        sheet = self.sheets["Model"]
        fields: dict[str, tuple[Any, str]] = {}
        for row in sheet.rows:
            key_cell, value_cell = row.cells.get("field"), row.cells.get("value")
            unreadable = [
                c for c in (key_cell, value_cell) if c is not None and isinstance(c.value, Unreadable)
            ]
            for cell in unreadable:
                self.problems.add("Model", cell.coord, cell.value.describe())
            if unreadable:
                continue
            if key_cell is None:
                self.problems.add(
                    "Model", sheet.coord("field", row.number), "empty field name beside a value"
                )
                continue
            key = str(key_cell.value).strip()
            if key not in MODEL_FIELDS and not key.startswith("info."):
                known = [k for k in MODEL_FIELDS if k != "info.KEY"]
                self.problems.add(
                    "Model",
                    key_cell.coord,
                    f"unknown field '{key}'{suggest(key, known)}; "
                    f"expected one of {', '.join(known)} or info.KEY",
                )
            elif key in fields:
                self.problems.add("Model", key_cell.coord, f"field '{key}' is given twice")
            else:
                fields[key] = (
                    None if value_cell is None else value_cell.value,
                    sheet.coord("value", row.number),
                )
        end = sheet.rows[-1].number + 1 if sheet.rows else 2
        for key, what in (
            ("name", "the model's name"),
            ("functional_unit.activity", "code of the activity assessed"),
        ):
            if key not in fields:
                self.problems.add("Model", f"A{end}", f"missing field '{key}' ({what})")
            elif fields[key][0] is None:
                self.problems.add("Model", fields[key][1], f"empty value for '{key}'; expected {what}")
        name = fields.get("name", (None, ""))[0]
        model = Model(str(name or ""), str(fields.get("description", ("", ""))[0] or ""))
        self.fu_cells = {k: c for k, (_, c) in fields.items()}
        activity = fields.get("functional_unit.activity", (None, ""))[0]
        if activity is None:
            self.unreadable.add("<functional_unit>")
        else:
            amount = fields.get("functional_unit.amount", (1.0, ""))[0]
            model.functional_unit = FunctionalUnit(
                str(activity).strip(),
                _model_number(amount),
                str(fields.get("functional_unit.unit", ("", ""))[0] or "").strip(),
                str(fields.get("functional_unit.description", ("", ""))[0] or ""),
            )
        if "indicators" in fields:
            codes = [c.strip() for c in str(fields["indicators"][0] or "").split(",") if c.strip()]
            if codes:
                model.info["indicators"] = codes
        if fields.get("methods", (None,))[0] is not None:  # as a data file's methods (lca.methods)
            from lca.methods import read_methods_text

            try:
                methods = read_methods_text(fields["methods"][0], "methods")
                model.info["methods"] = {k: list(v) for k, v in methods.items()}
            except LcaError as exc:
                self.problems.add("Model", fields["methods"][1], str(exc))
        for key, (value, coord) in fields.items():
            if key.startswith("info."):
                model.info[key[5:]] = self._info_value(value, coord)
        return model

    def _info_value(self, value: Any, coord: str) -> Any:
        """A free-text info cell; a list or mapping written in YAML flow style is read as one."""
        if isinstance(value, str) and value[:1] in "[{":
            from lca.io.yaml_read import parse_yaml

            try:
                return parse_yaml(value, self.problems.label)
            except InputFileError:
                return value
        return value

    # -- records ---------------------------------------------------------------------------------
    def _parameter(self, v: dict[str, Any], sheet: Sheet, row: Row) -> Parameter | None:
        if v.get("dataset") is not None:
            par = read_dataset_parameter(v, sheet, row, self.problems)
            if par is not None:
                self.dataset_parameters[par.name] = {"dataset": v["dataset"], "field": v["field"]}
            return par
        if v.get("field") is not None:
            self.problems.add(
                sheet.name, sheet.coord("field", row.number), "'field' without 'dataset'; give both or none"
            )
            row.ok = False
            return None
        uncertainty = self._uncertainty(v, sheet, row)
        if not row.ok:
            return None
        return Parameter(
            v["name"], v["amount"], v["unit"] or "", uncertainty, v["source"] or "", v["comment"] or ""
        )

    def _activity(self, v: dict[str, Any], sheet: Sheet, row: Row) -> Activity | None:
        phase = v["phase"]
        phase = None if phase is None or phase.lower() == "background" else phase
        production = 1.0 if v["production"] is None else v["production"]
        missing = tuple(c.strip() for c in (v["missing"] or "").split(",") if c.strip())
        unit = v["unit"] or "unit"
        if v.get("dataset") is not None:
            record = {**v, "phase": phase, "production": production, "missing": list(missing)}
            self.dataset_rows.append(DatasetRow.of(record, sheet, row))
        return Activity(
            v["code"],
            v["name"] or v["code"],
            phase,
            unit,
            [],
            v["location"] or "",
            production,
            missing,
            v["source"] or "",
            v["comment"] or "",
        )

    def _exchange(self, v: dict[str, Any], sheet: Sheet, row: Row) -> Exchange | None:
        uncertainty = self._uncertainty(v, sheet, row)
        if not row.ok:
            return None
        return Exchange(
            v["input"],
            v["amount"],
            v["unit"] or "",
            uncertainty,
            v["lifetime"],
            v["utilisation"],
            v["source"] or "",
            v["comment"] or "",
        )

    def _uncertainty(self, v: dict[str, Any], sheet: Sheet, row: Row) -> Uncertainty | None:
        """The uncertainty of a row's amount (:meth:`Uncertainty.from_spec`); problems on their cells."""
        spec = {k: v[k] for k in SPEC_COLUMNS if v.get(k) is not None}
        scores = [v.get(p) for p in PEDIGREE]
        if any(s is not None for s in scores):
            if any(s is None for s in scores):
                first = PEDIGREE[scores.index(None)]
                self.problems.add(
                    sheet.name,
                    sheet.coord(first, row.number),
                    f"empty pedigree score '{first}'; give all five scores (1 to 5) or none",
                )
                row.ok = False
                return None
            spec["pedigree"] = scores
        if not spec:
            return None
        if isinstance(spec.get("distribution"), float):
            spec["distribution"] = (
                int(spec["distribution"]) if spec["distribution"].is_integer() else spec["distribution"]
            )
        amount = v["amount"]
        if not isinstance(amount, float):
            if set(spec) == {"distribution"} and str(spec["distribution"]).lower() in ("fixed", "1"):
                return None
            problem = formula_uncertainty("", spec.get("distribution"))
            self.problems.add(sheet.name, sheet.coord("distribution", row.number), problem.describe())
            row.ok = False
            return None
        try:
            return Uncertainty.from_spec(spec, amount)
        except LcaError as exc:
            for p in problems_of(exc):
                column = _COLUMN_OF.get(p.field, p.field) or "distribution"
                if column == "mode" and "mode" not in spec:
                    column = "amount"  # the amount is the mode
                if column not in sheet.letters:
                    column = "distribution"
                self.problems.add(sheet.name, sheet.coord(column, row.number), p.describe())
            row.ok = False
            return None

    def _flows(self) -> dict[str, Flow]:
        flows: dict[str, Flow] = {}
        for located in self._records("Flows", lambda v, s, r: v):
            v, sheet, row = located.record, located.sheet, located.row
            if v is None:
                if row.value("code") is not None:
                    self.unreadable.add(str(row.value("code")))
                continue
            code = v["code"]
            flow = flows.get(code)
            if flow is None:
                categories = tuple(c.strip() for c in (v["categories"] or "").split("::") if c.strip())
                flow = flows[code] = Flow(
                    code,
                    v["name"] or code,
                    v["unit"] or "",
                    {},
                    v["source"] or "",
                    categories,
                    v["uuid"] or "",
                )
                self.places[Place("flow", code)] = ("Flows", row.number)
            elif (v["unit"] or "") != flow.unit:
                first = self.places[Place("flow", code)][1]
                self.problems.add(
                    "Flows",
                    sheet.coord("unit", row.number),
                    f"flow '{code}' has unit '{v['unit']}' here and '{flow.unit}' on row {first}; "
                    "a flow has one unit",
                )
                continue
            if v["indicator"] is not None:
                if v["factor"] is None:
                    self.problems.add(
                        "Flows", sheet.coord("factor", row.number), "empty factor; expected a number"
                    )
                elif v["indicator"] in flow.factors:
                    self.problems.add(
                        "Flows",
                        sheet.coord("indicator", row.number),
                        f"flow '{code}' has two factors for '{v['indicator']}'; keep one",
                    )
                else:
                    flow.factors[v["indicator"]] = v["factor"]
                    self.flow_rows[(code, v["indicator"])] = row.number
        return flows

    # -- exchanges --------------------------------------------------------------------------------
    def _attach(self, exchanges: list[Located], model: Model) -> None:
        """Each exchange row to its consuming activity (an unknown consumer at its cell)."""
        for r in exchanges:
            consumer = r.row.value("activity")
            if r.record is None or consumer is None:
                continue
            consumer = str(consumer)
            if consumer in model.activities:
                model.activities[consumer].exchanges.append(r.record)
            elif consumer not in self.unreadable and UNREAD_CODES not in self.unreadable:
                hint = suggest(consumer, model.activities) if len(self.problems.items) < MAX_HINTS else ""
                self.problems.add(
                    "Exchanges",
                    r.sheet.coord("activity", r.row.number),
                    f"no activity '{consumer}' in the Activities sheet{hint}",
                )

    def _index_exchanges(self, model: Model, exchanges: list[Located]) -> None:
        """The row of each exchange of the model (dataset exchanges point at their activity's row)."""
        rows: dict[int, int] = {id(r.record): r.row.number for r in exchanges if r.record is not None}
        for act in model.activities.values():
            for n, exc in enumerate(act.exchanges):
                if id(exc) in rows:
                    self.places[Place("exchange", act.code, n)] = ("Exchanges", rows[id(exc)])


def _model_number(value: Any) -> Any:
    """A Model sheet number (text '2' read as 2); other text kept for the rules to refuse."""
    if value is None:
        return 1.0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return value
