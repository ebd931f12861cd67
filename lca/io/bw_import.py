"""Brightway 2.5 databases in: a background of lca records, linked to the foreground.

The background is read from the *processed datapackages* that bw2data writes for each
database (``Database(name).datapackage()``): the technosphere and biosphere entries are
there as arrays (matrix indices, float32 amounts, ``flip`` signs, stats_arrays
distributions), exactly what bw2calc computes with, with bw2data's implicit production
exchanges added. One SQL query per database then gives each node's name, reference
product, location, unit and categories. No exchange is read one at a time, so 20,000
activities and 400,000 exchanges read in seconds (benchmarks/brightway_read.py).

Brightway's sign conventions, and what becomes of them here:

- the diagonal entry (``production``, or bw2data's implicit production of 1) is the
  activity's production; a technosphere input (type ``technosphere``, positive amount,
  ``flip`` true) is an lca exchange of that amount; an off-diagonal entry without ``flip``
  (``substitution``, a co-product) is an lca exchange of minus its amount;
- a **waste treatment** has a negative production (ecoinvent: -1 kg of waste) and the
  activities that send it waste have negative technosphere amounts. It is read as a
  *treatment service*: its production and every entry of its row change sign together
  (the solution of A s = f does not change when a row of A and of f is multiplied by
  -1), so a foreground sends 0.5 kg of waste to it with a positive amount of 0.5 kg.
  Brightway's demand of -1 on a waste treatment is lca's demand of 1.

The background's activities get the code ``database:code`` and no phase: their impacts go
to the phases of the foreground activities that pull them. Elementary flows become
:class:`~lca.model.records.Flow` records with their name, categories, unit and UUID, and are
characterised by the model's method categories (:mod:`lca.methods`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from lca.errors import DataNotFound, InventoryError, UncertaintyError, UnitError
from lca.io.bw_links import background_code, is_link, link_spec
from lca.io.bw_project import brightway, check_database, open_project
from lca.methods import brightway_unit
from lca.model.records import Activity, Exchange, Flow, Model
from lca.model.uncertainty import LOGNORMAL, NAMES, UNIFORM, UNSUPPORTED_IDS, Uncertainty
from lca.units import parse_unit

PROCESS_TYPES = {"process", "processwithreferenceproduct"}
#: The stats_arrays fields of a datapackage's ``distributions`` resource.
DISTRIBUTION = np.dtype(
    [("uncertainty_type", np.uint8)]
    + [(f, np.float64) for f in ("loc", "scale", "shape", "minimum", "maximum")]
    + [("negative", bool)]
)


@dataclass(frozen=True)
class Node:
    """One Brightway node (activity or elementary flow), as its database row holds it."""

    id: int
    database: str
    code: str
    name: str
    product: str
    location: str
    unit: str
    type: str
    categories: tuple[str, ...]

    @property
    def lca_code(self) -> str:
        return background_code(self.database, self.code)

    @property
    def label(self) -> str:
        """``'name' (reference product, location) [database:code]``."""
        detail = ", ".join(p for p in (self.product, self.location) if p)
        return f"'{self.name}' ({detail}) [{self.lca_code}]" if detail else f"'{self.name}' [{self.lca_code}]"

    @property
    def is_flow(self) -> bool:
        return self.type not in PROCESS_TYPES


@dataclass(frozen=True)
class Entries:
    """Matrix entries of one or more databases: ids, amounts, flip signs, distributions."""

    rows: np.ndarray
    cols: np.ndarray
    data: np.ndarray
    flip: np.ndarray
    distributions: np.ndarray

    @classmethod
    def concat(cls, parts: list[Entries]) -> Entries:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls.__dataclass_fields__))


# -- reading ---------------------------------------------------------------------------------
def dependencies(names: Iterable[str]) -> list[str]:
    """``names`` and every database they depend on, in the current project."""
    bd = brightway()
    seen: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        check_database(name)
        seen.append(name)
        todo.extend(bd.databases[name].get("depends", []))
    return seen


def read_nodes(databases: Iterable[str]) -> dict[int, Node]:
    """Every node of ``databases`` by its bw2data id (one query per database)."""
    from bw2data.backends import ActivityDataset as AD

    nodes = {}
    for name in databases:
        query = AD.select(AD.id, AD.database, AD.code, AD.name, AD.product, AD.location, AD.type, AD.data)
        for id_, db, code, act_name, product, location, kind, data in query.where(
            AD.database == name
        ).tuples():
            nodes[id_] = Node(
                id_,
                db,
                code,
                act_name or "",
                product or data.get("reference product") or "",
                location or "",
                str(data.get("unit") or ""),
                kind or "",
                tuple(data.get("categories") or ()),
            )
    return nodes


def read_entries(databases: Iterable[str]) -> tuple[Entries, Entries]:
    """Technosphere and biosphere entries of ``databases``, from their processed datapackages."""
    bd = brightway()
    tech, bio = [], []
    for name in databases:
        db = bd.Database(name)
        if bd.databases[name].get("dirty"):
            db.process()  # bw2data's own cache is stale: rebuild it as bw2calc would need
        package = db.datapackage()
        for matrix, into in (("technosphere_matrix", tech), ("biosphere_matrix", bio)):
            resources = {
                r["name"].rsplit(".", 1)[1]: r["name"] for r in package.resources if r.get("matrix") == matrix
            }
            if "indices" not in resources:
                continue
            indices = package.get_resource(resources["indices"])[0]
            data = package.get_resource(resources["data"])[0]
            flip = (
                package.get_resource(resources["flip"])[0]
                if "flip" in resources
                else np.zeros(len(data), dtype=bool)
            )
            distributions = np.zeros(len(data), dtype=DISTRIBUTION)
            if "distributions" in resources:
                stored = package.get_resource(resources["distributions"])[0]
                for name in DISTRIBUTION.names:
                    distributions[name] = stored[name]
            into.append(
                Entries(
                    indices["row"].astype(np.int64),
                    indices["col"].astype(np.int64),
                    data.astype(float),
                    flip.astype(bool),
                    distributions,
                )
            )
    empty = Entries(*(np.zeros(0, dtype=t) for t in (np.int64, np.int64, float, bool, DISTRIBUTION)))
    return (Entries.concat(tech) if tech else empty), (Entries.concat(bio) if bio else empty)


# -- the background as records ---------------------------------------------------------------
def supply_chain(roots: Iterable[int], tech: Entries) -> set[int]:
    """Ids of ``roots`` and every activity they pull, directly or not (loops included)."""
    ids = np.unique(np.concatenate([tech.rows, tech.cols, np.fromiter(roots, dtype=np.int64)]))
    root_pos = np.searchsorted(ids, np.fromiter(roots, dtype=np.int64))
    n = len(ids)
    graph = sp.csr_matrix(
        (
            np.ones(len(tech.rows) + len(root_pos)),
            (
                np.concatenate([np.searchsorted(ids, tech.cols), np.full(len(root_pos), n)]),
                np.concatenate([np.searchsorted(ids, tech.rows), root_pos]),
            ),
        ),
        shape=(n + 1, n + 1),
    )
    order = breadth_first_order(graph, n, directed=True, return_predecessors=False)
    return {int(ids[k]) for k in order if k < n}


def background_records(
    activity_ids: set[int], nodes: dict[int, Node], tech: Entries, bio: Entries, source: str
) -> tuple[list[Activity], list[Flow]]:
    """lca records of ``activity_ids`` (a closed supply chain) and of the flows they emit."""
    keep_t = np.isin(tech.cols, np.fromiter(activity_ids, dtype=np.int64))
    keep_b = np.isin(bio.cols, np.fromiter(activity_ids, dtype=np.int64))
    t_rows, t_cols, t_data, t_flip = (a[keep_t] for a in (tech.rows, tech.cols, tech.data, tech.flip))
    t_dist = tech.distributions[keep_t]
    values = np.where(t_flip, -t_data, t_data)  # the matrix entries, as bw2calc builds them
    diagonal = t_rows == t_cols
    production: dict[int, float] = {}
    for j, value, k in zip(t_cols[diagonal], values[diagonal], np.flatnonzero(diagonal), strict=True):
        production[int(j)] = production.get(int(j), 0.0) + float(value)
        if t_dist[k]["uncertainty_type"] > 1:
            raise UncertaintyError(
                f"Brightway activity {nodes[int(j)].label}: an uncertain production amount is not "
                "supported; expected a fixed production"
            )
    activities: dict[int, Activity] = {}
    for j in sorted(activity_ids):
        node = nodes[j]
        amount = production.get(j, 0.0)
        if amount == 0.0:
            raise InventoryError(
                f"Brightway activity {node.label}: production is 0; expected a reference product"
            )
        comment = f"reference product: {node.product}" if node.product else ""
        if amount < 0:
            comment += f"; waste treatment (Brightway production {amount:g}), read as a treatment service"
        activities[j] = Activity(
            node.lca_code,
            node.name,
            None,
            _unit(node, "unit"),
            [],
            node.location,
            abs(amount),
            (),
            source,
            comment.strip("; "),
        )
    sign = {j: (1.0 if production[j] > 0 else -1.0) for j in activities}
    off = np.flatnonzero(~diagonal)
    kinds = t_dist["uncertainty_type"][off].tolist()
    stored = t_data[off].tolist()
    for k, i, j, value, kind, amount_stored in zip(
        off.tolist(),
        t_rows[off].tolist(),
        t_cols[off].tolist(),
        values[off].tolist(),
        kinds,
        stored,
        strict=True,
    ):
        supplier = activities.get(i)
        if supplier is None:
            raise InventoryError(
                f"Brightway activity {nodes[j].label}: input id {i} is not an activity of the project"
            )
        amount = -value * sign[i]  # lca: A[i, j] = -amount; a waste row is turned over
        unc = None
        if kind > 1:
            where = f"Brightway activity {nodes[j].label}, input {nodes[i].label}"
            unc = _uncertainty(t_dist[k], amount / amount_stored if amount_stored else 1.0, amount, where)
        activities[j].exchanges.append(Exchange(supplier.code, amount, supplier.unit, unc))
    flows: dict[int, Flow] = {}
    b_rows, b_cols, b_data, b_flip = (a[keep_b] for a in (bio.rows, bio.cols, bio.data, bio.flip))
    b_dist = bio.distributions[keep_b]
    b_kinds = b_dist["uncertainty_type"].tolist()
    for k, (i, j, value, flip, kind) in enumerate(
        zip(b_rows.tolist(), b_cols.tolist(), b_data.tolist(), b_flip.tolist(), b_kinds, strict=True)
    ):
        flow = flows.get(i)
        if flow is None:
            flow = flows[i] = _flow(nodes[i], source)
        amount = -value if flip else value
        unc = None
        if kind > 1:
            where = f"Brightway activity {nodes[j].label}, flow {nodes[i].label}"
            unc = _uncertainty(b_dist[k], -1.0 if flip else 1.0, amount, where)
        activities[j].exchanges.append(Exchange(flow.code, amount, flow.unit, unc))
    return list(activities.values()), list(flows.values())


def _unit(node: Node, field: str) -> str:
    text = brightway_unit(node.unit)
    try:
        parse_unit(text, field)
    except UnitError:
        raise UnitError(
            f"Brightway {'flow' if node.is_flow else 'activity'} {node.label}: unit '{node.unit}' does "
            "not convert to any unit lca knows; expected a physical unit such as kilogram or kilowatt hour"
        ) from None
    return text


def _flow(node: Node, source: str) -> Flow:
    uuid = node.code if node.database.startswith("biosphere") else ""
    return Flow(node.lca_code, node.name, _unit(node, "unit"), {}, source, node.categories, uuid)


def _uncertainty(row: Any, sign: float, amount: float, where: str) -> Uncertainty | None:
    """The stats_arrays row of a Brightway exchange, for the lca amount ``sign`` x its amount."""
    kind = int(row["uncertainty_type"])
    if kind in (0, 1):
        return None
    if kind in UNSUPPORTED_IDS or kind not in NAMES:
        name = UNSUPPORTED_IDS.get(kind, "not a stats_arrays id")
        raise UncertaintyError(
            f"{where}: uncertainty type {kind} ({name}) is not supported; "
            "expected 0-1 fixed, 2 lognormal, 3 normal, 4 uniform or 5 triangular"
        )
    fields = {f: float(row[f]) for f in ("loc", "scale", "shape", "minimum", "maximum")}
    unc = Uncertainty(
        kind, fields["loc"], fields["scale"], fields["shape"], fields["minimum"], fields["maximum"]
    )
    if kind == LOGNORMAL:
        unc = Uncertainty(kind, unc.loc, unc.scale, negative=bool(row["negative"]) != (sign < 0))
    elif kind == UNIFORM:
        unc = Uncertainty(kind, amount * sign, minimum=unc.minimum, maximum=unc.maximum)
    if sign < 0 and kind != LOGNORMAL:
        unc = Uncertainty(kind, -unc.loc, unc.scale, unc.shape, -unc.maximum, -unc.minimum)
    unc.validate(where)
    return unc


# -- linking a foreground ----------------------------------------------------------------------
def link_background(model: Model, project: str | None = None) -> Model:
    """Resolve ``model``'s links to Brightway activities and flows, adding their supply chain.

    Parameters
    ----------
    model : Model
        A model whose exchanges may link to Brightway (see :mod:`lca.io.bw_links`); changed
        in place and returned.
    project : str, optional
        The Brightway project (default: ``model.info["brightway"]["project"]``).

    Raises
    ------
    DataNotFound
        An unknown project, database, key or activity, with the closest names.
    """
    links = {e.input for a in model.activities.values() for e in a.exchanges if is_link(e.input)}
    if not links:
        return model
    project = project or (model.info.get("brightway") or {}).get("project")
    if not project:
        raise DataNotFound(
            f"model '{model.name}' links to Brightway activities; name the project "
            "(--project NAME, or brightway: {project: NAME} in the model)"
        )
    open_project(project)
    specs = {text: link_spec(text) for text in links}
    wanted = {s["database"] for s in specs.values() if "database" in s}
    bd = brightway()
    searched = wanted or set(bd.databases)
    databases = dependencies(sorted(searched))
    nodes = read_nodes(databases)
    by_key = {(n.database, n.code): n for n in nodes.values()}
    resolved = {text: _resolve(spec, nodes, by_key, searched) for text, spec in specs.items()}
    tech, bio = read_entries(databases)
    roots = {n.id for n in resolved.values() if not n.is_flow}
    chain = supply_chain(roots, tech) if roots else set()
    source = f"Brightway project '{project}', databases {', '.join(databases)}"
    activities, flows = background_records(chain, nodes, tech, bio, source)
    for flow_node in (n for n in resolved.values() if n.is_flow):
        if all(f.code != flow_node.lca_code for f in flows):
            flows.append(_flow(flow_node, source))
    for act in activities:
        if act.code not in model.activities:
            model.add_activity(act)
    for flow in flows:
        if flow.code not in model.flows:
            model.add_flow(flow)
    for act in list(model.activities.values()):
        for exc in act.exchanges:
            if is_link(exc.input):
                exc.input = resolved[exc.input].lca_code
    model.info.setdefault("brightway", {})["project"] = project
    model.info["brightway"]["databases"] = databases
    return model


def _resolve(
    spec: dict[str, str], nodes: dict[int, Node], by_key: dict[tuple[str, str], Node], databases: set[str]
) -> Node:
    if "code" in spec:
        if (spec["database"], spec["code"]) in by_key:
            return by_key[spec["database"], spec["code"]]
        codes = [n.code for n in nodes.values() if n.database == spec["database"]]
        close = difflib.get_close_matches(spec["code"], codes, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DataNotFound(
            f"Brightway database '{spec['database']}' has no activity or flow "
            f"with code '{spec['code']}'{hint}"
        )
    fields = (("name", "name"), ("reference product", "product"), ("location", "location"))
    found = [
        n
        for n in nodes.values()
        if n.database in databases and all(spec.get(k) in (None, getattr(n, a)) for k, a in fields)
    ]
    wanted = " | ".join(spec.get(k, "*") for k, _ in fields)
    if len(found) == 1:
        return found[0]
    if found:
        raise DataNotFound(
            f"Brightway link {wanted} matches {len(found)} activities "
            f"({', '.join(n.label for n in found[:5])}); add its reference product, location or database"
        )
    labels = {
        " | ".join((n.name, n.product, n.location)): n for n in nodes.values() if n.database in databases
    }
    close = difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(labels[c].label for c in close)}?" if close else ""
    raise DataNotFound(f"no Brightway activity {wanted} in {', '.join(sorted(databases))}{hint}")
