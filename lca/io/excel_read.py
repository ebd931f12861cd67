"""Read an inventory workbook into a :class:`~lca.model.records.Model`, locating every problem.

Three passes, each collecting problems as ``file, Sheet!Cell: what was found; expected``:

1. cells: sheets and columns present, each cell of the kind its column expects
   (:mod:`lca.io.excel_cells`);
2. records: duplicate codes, unknown activities and indicators, phases, distributions;
3. compilation: parameters, units, formulas, lifetimes and utilisations are checked row by
   row with :func:`lca.compile.compile_parameters` and :func:`lca.compile.compile_exchange`
   (the rules of :func:`lca.compile.build_matrices`, not a copy of them), and each error is
   put back on the cell of the field at fault.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from lca.errors import LcaError
from lca.indicators import default_indicators, registered_indicators
from lca.io.datafile import record_datasets
from lca.io.excel_cells import Problems, Row, Sheet, check_file, read_sheets, typed
from lca.io.excel_check import AT, Located, check_exchanges, check_parameters, read_uncertainty, strip_where
from lca.io.excel_datasets import DatasetRow, expand_datasets, read_dataset_parameter
from lca.io.excel_layout import MODEL_FIELDS, PHASE_CHOICES, REQUIRED_SHEETS, SHEETS
from lca.model.formulas import is_number
from lca.model.records import PHASES, Activity, Exchange, Flow, FunctionalUnit, Model, Parameter, suggest
from lca.units import parse_unit


def load_workbook_model(path: str | os.PathLike[str]) -> Model:
    """Read an inventory workbook (``.xlsx``) into a model.

    Raises
    ------
    InputFileError
        Listing every problem found, each as ``file, Sheet!Cell: message``.
    """
    path = Path(path)
    check_file(path)
    problems = Problems(path.name)
    sheets = read_sheets(path, problems)
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            problems.add_file(
                f"missing sheet '{name}'; expected sheets {', '.join(REQUIRED_SHEETS)} (see README)"
            )
    if any(name not in sheets or not sheets[name].letters for name in REQUIRED_SHEETS):
        problems.raise_if_any()
    return _Reader(sheets, problems, path.parent).model()


class _Reader:
    def __init__(self, sheets: dict[str, Sheet], problems: Problems, folder: Path = Path(".")):
        self.sheets, self.problems, self.folder = sheets, problems, folder
        self.dataset_rows: list[DatasetRow] = []  # activities to expand (lca.data.resolve)
        self.dataset_parameters: dict[str, dict[str, Any]] = {}
        # as lca.compile: the model's listed indicators, else the default ones
        self.registered = {i.code: i.unit_text for i in registered_indicators()}
        self.indicator_units = {i.code: i.unit_text for i in default_indicators()}

    def model(self) -> Model:
        """The inventory of the workbook's sheets (problems are collected, not raised)."""
        model = self._model_sheet()
        if model.info.get("indicators"):
            listed = model.info["indicators"]
            self.indicator_units = {c: self.registered[c] for c in listed if c in self.registered}
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
        self._unique(params, "Parameters", "name", "parameter name")
        self._unique(activities, "Activities", "code", "activity code")
        self.bad_parameters = {str(p.row.value("name")) for p in params if not p.row.ok}
        for p in params:
            if p.row.ok and p.record.name not in model.parameters:
                model.parameters[p.record.name] = p.record
        model.flows = {f.code: f for f in flows}
        for a in activities:
            if a.record is not None and a.record.code not in model.activities:
                model.activities[a.record.code] = a.record
        self.bad_activities = {str(r.row.value("code")) for r in activities if not r.row.ok}
        self._attach(exchanges, model)
        self.dataset_rows = expand_datasets(
            self.dataset_rows, exchanges, model, self.bad_activities, self.problems
        )
        record_datasets(model, [d.spec for d in self.dataset_rows], self.dataset_parameters)
        energy = [
            (
                a.record.code,
                a.row.value("energy"),
                f"{self.problems.label}, Activities!{a.sheet.coord('energy', a.row.number)}",
            )
            for a in activities
            if a.record is not None and a.row.value("energy")
        ]
        if energy:  # measured runs of a CodeCarbon file (lca.io.codecarbon_inventory)
            from lca.io.codecarbon_inventory import expand_energy

            expand_energy(model, energy, self.folder, self.problems.items)
        self._check_functional_unit(model)
        failed = set(self.bad_parameters)
        compiled = check_parameters(params, model, failed, self.problems)
        check_exchanges(exchanges, model, compiled, failed, self.indicator_units, self.problems)
        self.problems.raise_if_any()
        return model

    # -- sheets --------------------------------------------------------------------------------
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
            if not row.ok:
                located.append(Located(None, sheet, row))
                continue
            record = build(values, sheet, row)
            located.append(Located(record, sheet, row))
        return located

    def _model_sheet(self) -> Model:
        sheet = self.sheets["Model"]
        fields: dict[str, tuple[Any, str]] = {}
        for row in sheet.rows:
            key_cell, value_cell = row.cells.get("field"), row.cells.get("value")
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
        if activity is not None:
            amount, coord = fields.get("functional_unit.amount", (1.0, ""))
            if amount is None or not is_number(amount) or float(amount) <= 0:
                self.problems.add("Model", coord, f"functional unit amount {amount!r}; expected a number > 0")
                amount = 1.0
            model.functional_unit = FunctionalUnit(
                str(activity).strip(),
                float(amount),
                str(fields.get("functional_unit.unit", ("", ""))[0] or "").strip(),
                str(fields.get("functional_unit.description", ("", ""))[0] or ""),
            )
        if "indicators" in fields:
            value, coord = fields["indicators"]
            codes = [c.strip() for c in str(value or "").split(",") if c.strip()]
            for code in codes:
                if code not in self.registered:
                    self.problems.add(
                        "Model",
                        coord,
                        f"indicator '{code}' is not registered{suggest(code, self.registered)}",
                    )
            if codes:
                model.info["indicators"] = codes
        for key, (value, _) in fields.items():
            if key.startswith("info."):
                model.info[key[5:]] = _info_value(value)
        return model

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
        uncertainty = read_uncertainty(v, sheet, row, self.problems)
        return Parameter(
            v["name"], v["amount"], v["unit"] or "", uncertainty, v["source"] or "", v["comment"] or ""
        )

    def _activity(self, v: dict[str, Any], sheet: Sheet, row: Row) -> Activity | None:
        phase = v["phase"]
        if phase is not None and phase.lower() not in PHASE_CHOICES:
            self.problems.add(
                sheet.name,
                sheet.coord("phase", row.number),
                f"phase '{phase}' is not one of {', '.join(PHASE_CHOICES)}{suggest(phase, PHASE_CHOICES)}",
            )
            row.ok = False
        production = 1.0 if v["production"] is None else v["production"]
        if not production > 0:
            self.problems.add(
                sheet.name,
                sheet.coord("production", row.number),
                f"production {production:g}; expected a number > 0",
            )
            row.ok = False
        missing = tuple(c.strip() for c in (v["missing"] or "").split(",") if c.strip())
        for code in missing:
            if code not in self.indicator_units:
                self.problems.add(
                    sheet.name,
                    sheet.coord("missing", row.number),
                    f"indicator '{code}' is not registered{suggest(code, self.indicator_units)}",
                )
                row.ok = False
        unit = v["unit"] or "unit"
        try:
            parse_unit(unit, "")
        except LcaError as exc:
            self.problems.add(sheet.name, sheet.coord("unit", row.number), strip_where(exc, ""))
            row.ok = False
        phase = None if phase is None or phase.lower() not in PHASES else phase.lower()
        if v.get("dataset") is not None and row.ok:
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
        uncertainty = read_uncertainty(v, sheet, row, self.problems)
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

    def _flows(self) -> list[Flow]:
        flows: dict[str, Flow] = {}
        for located in self._records("Flows", lambda v, s, r: v):
            if not located.row.ok:
                continue
            v, sheet, row = located.record, located.sheet, located.row
            flow = flows.setdefault(
                v["code"], Flow(v["code"], v["name"] or v["code"], v["unit"] or "", {}, v["source"] or "")
            )
            if v["code"] in self.indicator_units:
                self.problems.add(
                    "Flows",
                    sheet.coord("code", row.number),
                    f"flow '{v['code']}' has the code of an indicator",
                )
            try:
                parse_unit(flow.unit, "")
            except LcaError as exc:
                self.problems.add("Flows", sheet.coord("unit", row.number), strip_where(exc, ""))
            if v["indicator"] is not None:
                if v["indicator"] not in self.indicator_units:
                    self.problems.add(
                        "Flows",
                        sheet.coord("indicator", row.number),
                        f"indicator '{v['indicator']}' is not registered"
                        f"{suggest(v['indicator'], self.indicator_units)}",
                    )
                elif v["factor"] is None:
                    self.problems.add(
                        "Flows", sheet.coord("factor", row.number), "empty factor; expected a number"
                    )
                else:
                    flow.factors[v["indicator"]] = v["factor"]
        return list(flows.values())

    # -- checks across records -----------------------------------------------------------------
    def _unique(self, located: list[Located], sheet_name: str, column: str, what: str) -> None:
        seen: dict[str, str] = {}
        for r in located:
            cell = r.row.cells.get(column)
            if cell is None or r.record is None:
                continue
            key = str(cell.value)
            if key in seen:
                self.problems.add(
                    sheet_name,
                    cell.coord,
                    f"{what} '{key}' is used twice (first at {sheet_name}!{seen[key]})",
                )
                r.row.ok = False
            else:
                seen[key] = cell.coord
        for r in located:
            if r.record is not None and isinstance(r.record, Parameter) and not r.record.name.isidentifier():
                self.problems.add(
                    sheet_name,
                    r.sheet.coord("name", r.row.number),
                    f"parameter name '{r.record.name}' is not an identifier (letters, digits, _; no spaces)",
                )
                r.row.ok = False

    def _attach(self, exchanges: list[Located], model: Model) -> None:
        known = list(model.activities) + list(model.flows) + list(self.indicator_units)
        for r in exchanges:
            if r.record is None:
                continue
            consumer = str(r.row.value("activity"))
            exc: Exchange = r.record
            if consumer in self.bad_activities:
                r.row.ok = False
            elif consumer not in model.activities:
                self.problems.add(
                    "Exchanges",
                    r.sheet.coord("activity", r.row.number),
                    f"no activity '{consumer}' in the Activities sheet{suggest(consumer, model.activities)}",
                )
                r.row.ok = False
            if exc.input in self.bad_activities:
                r.row.ok = False
            elif exc.input not in known:
                self.problems.add(
                    "Exchanges",
                    r.sheet.coord("input", r.row.number),
                    f"'{exc.input}' is not an activity, a flow or an indicator{suggest(exc.input, known)}",
                )
                r.row.ok = False
            elif exc.input in model.activities and (
                exc.input in model.flows or exc.input in self.indicator_units
            ):
                self.problems.add(
                    "Exchanges",
                    r.sheet.coord("input", r.row.number),
                    f"'{exc.input}' is both an activity and a flow; rename one",
                )
                r.row.ok = False
            if consumer in model.activities:
                model.activities[consumer].exchanges.append(exc)

    def _check_functional_unit(self, model: Model) -> None:
        fu = model.functional_unit
        if fu is None:
            return
        coord = self.fu_cells.get("functional_unit.activity", "B1")
        if fu.activity not in model.activities and fu.activity not in self.bad_activities:
            self.problems.add(
                "Model",
                coord,
                f"functional unit activity '{fu.activity}' is not in the Activities sheet"
                f"{suggest(fu.activity, model.activities)}",
            )
        elif fu.unit and fu.activity in model.activities:
            try:
                from lca.units import conversion_factor

                conversion_factor(
                    parse_unit(fu.unit, AT), parse_unit(model.activities[fu.activity].unit, AT), AT
                )
            except LcaError as exc:
                self.problems.add("Model", self.fu_cells["functional_unit.unit"], strip_where(exc, AT))


def _info_value(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            return value
    return value
