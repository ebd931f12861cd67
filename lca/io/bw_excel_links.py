"""Where the exchanges of a Brightway Excel workbook point: its own activities and flows, biosphere3,
other databases.

- An exchange of the workbook's database goes to the one activity (or flow) of that name whose
  reference product, location and categories agree with the exchange's where both give them
  (several: an error naming them; a key ``database::code`` in an ``input`` column goes by code).
  bw2io links by a hash of all five fields, so a practitioner calls ``match_database(fields=...)``
  for what it leaves unlinked; this is that rule, with the fields both sides give.
- A biosphere exchange of ``biosphere3`` (the default) or of another database is an elementary
  flow, by name and categories or by the UUID of its key, characterised by :mod:`lca.methods`.
- A technosphere exchange of another database is a link (:mod:`lca.io.bw_links`), resolved in a
  Brightway project when the model is assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lca.io.bw_excel_blocks import Block, Line, Table
from lca.io.bw_excel_fields import CellProblem, categories, exchange_key, text, unit_text
from lca.io.bw_links import background_code, link_text
from lca.model.records import Flow, Model, suggest

BIOSPHERE_DB = "biosphere3"


@dataclass
class Links:
    """The workbook's nodes by code, for the exchanges to find."""

    database: str
    blocks: dict[str, Block] = field(default_factory=dict)  # activity or own flow code -> its block
    indicator_flows: dict[str, str] = field(default_factory=dict)  # emission nodes named by an indicator
    unreadable: set[str] = field(default_factory=set)

    def supplier(self, table: Table, line: Line, model: Model) -> tuple[str, str]:
        """The code of the activity a technosphere exchange takes (or a link) and its unit."""
        key = exchange_key(table.get(line, "input"))
        database = key[0] if key else text(table.get(line, "database")) or self.database
        if database != self.database:
            spec = {"database": database, "code": key[1]} if key else _search(table, line, database)
            return link_text(spec), ""
        code = key[1] if key else self.by_name(table, line, model.activities, "activity")
        if code not in model.activities:
            if code in model.flows or code in self.indicator_flows:
                raise CellProblem(
                    "name", f"'{code}' is a flow of this database; a technosphere exchange takes an activity"
                )
            if code not in self.unreadable:
                raise CellProblem(
                    "input",
                    f"no activity with code '{code}' in '{database}'{suggest(code, model.activities)}",
                )
        supplier = model.activities.get(code)
        return code, supplier.unit if supplier else ""

    def flow(self, table: Table, line: Line, model: Model) -> tuple[str, str]:
        """The code of a biosphere exchange's flow (an elementary one added to the model) and its unit."""
        key = exchange_key(table.get(line, "input"))
        database = key[0] if key else text(table.get(line, "database")) or BIOSPHERE_DB
        if database == self.database:
            code = key[1] if key else self.by_name(table, line, {*model.flows, *self.indicator_flows}, "flow")
            if code in self.indicator_flows:
                return code, self.indicator_flows[code]
            if code not in model.flows and code not in self.unreadable:
                raise CellProblem("name", f"no flow '{code}' in '{database}'{suggest(code, model.flows)}")
            return code, model.flows[code].unit if code in model.flows else ""
        name, compartments = text(table.get(line, "name")), categories(table.get(line, "categories"))
        unit = unit_text(table.get(line, "unit"))
        if not unit:
            raise CellProblem("unit", f"biosphere exchange '{name}': empty unit; expected the flow's unit")
        if key is None and not (name and compartments):
            raise CellProblem(
                "categories",
                f"biosphere exchange '{name}': an elementary flow is named by name and categories "
                "(air::urban air close to ground) or a key biosphere3::UUID in an input column",
            )
        code = background_code(*key) if key else f"{name} ({', '.join(compartments)})"
        if code not in model.flows:
            uuid = key[1] if key else ""
            source = f"Brightway database '{database}'"
            model.flows[code] = Flow(code, name or code, unit, {}, source, compartments, uuid)
        return code, model.flows[code].unit

    def by_name(self, table: Table, line: Line, records: object, what: str) -> str:
        """The one node of ``records`` (codes) with this name and the fields both sides give."""
        name = text(table.get(line, "name"))
        if not name:
            raise CellProblem("name", "empty name; expected the name of the activity or flow it takes")
        own = [code for code in self.blocks if code in records]  # type: ignore[operator]
        found = [code for code in own if text(self.blocks[code].name).lower() == name.lower()]
        named = bool(found)
        for label in ("reference product", "location", "categories"):
            wanted = text(table.get(line, label)).lower()
            if wanted:
                found = [c for c in found if text(self.blocks[c].field(label)).lower() in ("", wanted)]
        if len(found) == 1:
            return found[0]
        if found:
            cells = ", ".join(self.cell(c) for c in found)
            raise CellProblem(
                "name",
                f"'{name}' matches {len(found)} activities ({cells}); add its location or an input key",
            )
        if named:
            raise CellProblem(
                "name", f"'{name}' of this database differs in reference product, location or categories"
            )
        names = [text(self.blocks[c].name) for c in own]
        raise CellProblem("name", f"no {what} '{name}' in '{self.database}'{suggest(name, names)}")

    def cell(self, code: str) -> str:
        """``Sheet!B12``: the name cell of a node's block."""
        line = self.blocks[code].line
        return f"{line.sheet}!{line.coord(1)}"


def _search(table: Table, line: Line, database: str) -> dict[str, str]:
    """A link by name (with reference product and location when given) to another database."""
    spec = {"database": database, "name": text(table.get(line, "name"))}
    for label in ("reference product", "location"):
        if text(table.get(line, label)):
            spec[label] = text(table.get(line, label))
    if not spec["name"]:
        raise CellProblem("name", f"an exchange of database '{database}' needs a name or an input key")
    return spec
