"""Reading an inventory data file: YAML text -> mappings -> records, every problem located.

The reader only turns mappings into records (:mod:`lca.model.records`), noting where each
record came from (``parameters.lifetime``, ``activities.job.exchanges[2]``); the rules the
records obey are those of :func:`lca.compile.check` (the same for the Excel reader), and
each problem it returns is put on its YAML path from its place and field.

The YAML is read with a safe loader that builds no objects, refuses duplicate keys (the
last would silently win), aliases that expand beyond :data:`MAX_NODES` nodes (an alias
bomb), and nesting deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from lca.errors import InputFileError, LcaError, Place, Problem, problems_of, warn
from lca.io.bw_links import input_text
from lca.model.checks import duplicate_exchanges, formula_uncertainty
from lca.model.formulas import is_number
from lca.model.records import Activity, Exchange, Flow, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import _SPEC_KEYS, Uncertainty

FORMAT = "lca-inventory/1"
#: Why a dataset version given in an inventory is not used (readers warn with it).
PROVENANCE_NOTE = (
    "the dataset version and entries are recorded by lca from the entries the inventory uses; "
    "the value given here is ignored"
)
MAX_NODES = 1_000_000  #: nodes of the document once aliases are expanded
MAX_DEPTH = 200  #: nesting of mappings and lists

_PARAMETER_KEYS = {"amount", "unit", "source", "comment"} | _SPEC_KEYS
_EXCHANGE_KEYS = {"input", "amount", "unit", "lifetime", "utilisation", "source", "comment"} | _SPEC_KEYS
#: Fields of an activity record other than its exchanges (read by the Excel reader too).
ACTIVITY_FIELDS = (
    "code",
    "dataset",
    "name",
    "phase",
    "unit",
    "location",
    "production",
    "missing",
    "source",
    "comment",
)
_ACTIVITY_KEYS = {*ACTIVITY_FIELDS, "exchanges", "energy"}  # energy: lca.io.codecarbon_inventory
_FLOW_KEYS = {"code", "name", "unit", "factors", "source", "categories", "uuid"}
_TOP_KEYS = {
    "format",
    "name",
    "description",
    "functional_unit",
    "indicators",
    "parameters",
    "flows",
    "activities",
    "info",
    "sources",
    "methods",  # impact method categories (lca.methods)
    "brightway",  # {project: NAME}: the Brightway project background links resolve in
}


# -- YAML text ---------------------------------------------------------------------------------------
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when installed
    """PyYAML's safe loader, refusing duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise _YamlProblem(key_node.start_mark, "a key is a list or a mapping; expected a name")
            if key in seen:
                raise _YamlProblem(
                    key_node.start_mark,
                    f"key '{key}' is given twice in the same mapping (first on line {seen[key].line + 1}); "
                    "keep one",
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


class _YamlProblem(Exception):
    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.mark, self.message = mark, message


def parse_yaml(text: str, label: str) -> Any:
    """The document of ``text``, or an :class:`InputFileError` located at its line."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_size(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except _YamlProblem as exc:
        raise InputFileError([Problem(f"{label}, line {exc.mark.line + 1}", message=exc.message)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
        line = text[: exc.position].count("\n") + 1
        raise InputFileError(
            [
                Problem(
                    f"{label}, line {line}",
                    message=f"not valid YAML (character #x{exc.character:04x} is not "
                    "allowed: control characters are not text)",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"{label}, line {mark.line + 1}" if mark else label
        reason = getattr(exc, "problem", None) or exc
        if reason == "exceeded maximum nesting depth":  # libyaml's own limit (1,000 levels)
            message = f"nested more than {MAX_DEPTH} levels deep"
        else:
            message = f"not valid YAML ({reason})"
        raise InputFileError([Problem(place, message=message)]) from None
    except RecursionError:
        raise InputFileError([Problem(label, message=f"nested more than {MAX_DEPTH} levels deep")]) from None


def _check_size(root: yaml.Node) -> None:
    """Refuse a document nested too deep, or whose aliases expand to too many nodes."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if id(node) in sizes and not done:
            continue
        if depth > MAX_DEPTH:
            raise _YamlProblem(node.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        children = _children(node)
        if not done:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
            continue
        size = 1 + sum(sizes.get(id(child), 1) for child in children)
        if size > MAX_NODES:
            raise _YamlProblem(
                node.start_mark,
                f"aliases expand to more than {MAX_NODES:,} values; expected a plain inventory",
            )
        sizes[id(node)] = size


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# -- mappings -> records --------------------------------------------------------------------------------
class YamlReader:
    """Turns the mapping of a data file into a :class:`Model`, remembering each record's path.

    Use :func:`read_model`; ``problems`` are the problems of the mappings themselves
    (wrong kinds, unknown keys), ``unreadable`` the records that could not be built.
    """

    def __init__(self, label: str, folder: Path | None = None):
        self.label = label
        self.folder = folder or Path(".")  # where files named by the inventory are read from
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []  # warnings, issued once the model is read
        self.paths: dict[Place, str] = {}
        self.unreadable: set[str] = set()

    # -- locating -----------------------------------------------------------------------------------
    def at(self, path: str, message: str, field: str = "", value: Any = None, expected: str = "") -> None:
        """Record a problem found at ``path`` (a YAML path such as ``parameters.x.unit``)."""
        where = f"{self.label}, {path}" if path else self.label
        self.problems.append(
            Problem(where, field=field, value=value, expected=expected, message=message, is_located=True)
        )

    def locate(self, problem: Problem) -> Problem:
        """Put a model problem on its YAML path, from its place and field."""
        if problem.is_located:
            return problem
        place = problem.where
        path = self.paths.get(place) if isinstance(place, Place) else None
        if path is None and isinstance(place, Place):
            path = {"model": "", "functional_unit": "functional_unit"}.get(place.kind, "")
        path = path or ""
        field = problem.field
        if field:
            if isinstance(place, Place) and place.kind == "parameter" and field == "name":
                field = ""
            elif path.endswith(".dataset") and field not in ("phase", "production", "missing", "code"):
                field = ""  # an exchange taken from a dataset: the reference is the place
            path = f"{path}.{field}" if path and field else path or field
        return problem.located(f"{self.label}, {path}" if path else self.label)

    def failed(self, exc: LcaError, path: str, field: str = "") -> None:
        """Record the problems of an error raised while building the record at ``path``."""
        for p in problems_of(exc):
            suffix = p.field or field
            self.at(f"{path}.{suffix}" if suffix else path, p.describe(), suffix, p.value, p.expected)

    # -- records --------------------------------------------------------------------------------------
    def read(self, data: Any) -> Model:
        label = self.label
        if not isinstance(data, Mapping):
            raise InputFileError(
                [Problem(label, message="expected a mapping with name, parameters, activities")]
            )
        self._unknown(data, _TOP_KEYS, "")
        if data.get("format", FORMAT) != FORMAT:
            self.at("format", f"'{data.get('format')}' is not '{FORMAT}'", "format", data.get("format"))
        model = Model(_text(data.get("name")) or Path(label).stem, _text(data.get("description")))
        model.info = dict(self._mapping(data.get("info"), "info", "a mapping of field: text"))
        sources = self._mapping(data.get("sources"), "sources", "a mapping of key: reference")
        if sources:
            model.info["sources"] = dict(sources)
        indicators = self._sequence(data.get("indicators"), "indicators")
        if not all(isinstance(code, str) for code in indicators):
            self.at("indicators", f"expected indicator codes such as GWP, got {indicators}", "indicators")
        elif indicators:
            model.info["indicators"] = list(indicators)
        self._interop(data, model)
        for name, spec in self._mapping(data.get("parameters"), "parameters").items():
            self._parameter(model, str(name), spec)
        for n, spec in enumerate(self._sequence(data.get("flows"), "flows")):
            self._flow(model, n, spec)
        activities = self._sequence(data.get("activities"), "activities")
        for n, spec in enumerate(activities):
            self._activity(model, n, spec)
        from lca.io.datafile import record_datasets

        if record_datasets(model, activities, data.get("parameters")):
            self.notes.append(Problem(f"{label}, info.datasets", PROVENANCE_NOTE))
        if any(isinstance(a, Mapping) and "energy" in a for a in activities):  # measured runs (CodeCarbon)
            from lca.io.codecarbon_inventory import energy_items, expand_energy

            expand_energy(model, energy_items(activities, label), self.folder, self.problems)
        self._functional_unit(model, data.get("functional_unit"))
        return model

    def _interop(self, data: Mapping[str, Any], model: Model) -> None:
        """The ``methods`` and ``brightway`` keys, into ``model.info``."""
        if data.get("methods") is not None:
            from lca.methods import read_methods

            try:
                methods = read_methods(data["methods"], f"{self.label}, methods")
                model.info["methods"] = {k: list(v) for k, v in methods.items()}
            except LcaError as exc:
                self.failed(exc, "methods")
        if data.get("brightway") is not None:
            model.info["brightway"] = dict(self._mapping(data["brightway"], "brightway", "{project: NAME}"))

    def _parameter(self, model: Model, name: str, spec: Any) -> None:
        path = f"parameters.{name}"
        self.paths[Place("parameter", name)] = path
        if not isinstance(spec, Mapping):
            spec = {"amount": spec}
        try:
            if "dataset" in spec:  # a value of the reference datasets (lca.data.resolve)
                from lca.data.resolve import dataset_parameter

                par = dataset_parameter(name, spec, f"{self.label}, {path}")
            else:
                par = self._plain_parameter(name, spec, path)
        except LcaError as exc:
            self.failed(exc, path, "dataset" if "dataset" in spec else "")
            self.unreadable.add(name)
            return
        if par is not None:
            model.parameters[name] = par
        else:
            self.unreadable.add(name)

    def _plain_parameter(self, name: str, spec: Mapping[str, Any], path: str) -> Parameter | None:
        self._unknown(spec, _PARAMETER_KEYS, path)
        if "amount" not in spec:
            self.at(path, "missing 'amount' (a number or a formula)", "amount")
            return None
        amount = self._amount(spec["amount"], f"{path}.amount")
        if amount is None:
            return None
        uncertainty = self._uncertainty(spec, amount, path)
        return Parameter(
            name,
            amount,
            _text(spec.get("unit")),
            uncertainty,
            _text(spec.get("source")),
            _text(spec.get("comment")),
        )

    def _flow(self, model: Model, n: int, spec: Any) -> None:
        path = f"flows[{n}]"
        if not isinstance(spec, Mapping) or not spec.get("code"):
            self.at(path, "expected a mapping {code, name, unit, factors}")
            return
        code = str(spec["code"])
        self._unknown(spec, _FLOW_KEYS, path)
        factors_spec = spec.get("factors") or {}
        if not isinstance(factors_spec, Mapping):
            self.at(f"{path}.factors", "expected a mapping of indicator: factor, e.g. {GWP: 28}", "factors")
            factors_spec = {}
        factors = {}
        for key, value in factors_spec.items():
            number = self._number(value, f"{path}.factors.{key}")
            if number is not None:
                factors[str(key)] = number
        if code in model.flows:
            self.at(f"{path}.code", f"flow '{code}' is defined twice", "code", code)
            return
        self.paths[Place("flow", code)] = path
        categories = spec.get("categories") or ()
        if isinstance(categories, str) or not isinstance(categories, list | tuple):
            self.at(
                f"{path}.categories", f"{categories!r} is not a list such as [air, urban air close to ground]"
            )
            categories = ()
        model.flows[code] = Flow(
            code,
            _text(spec.get("name")) or code,
            _text(spec.get("unit")),
            factors,
            _text(spec.get("source")),
            tuple(str(c) for c in categories),
            _text(spec.get("uuid")),
        )

    def _activity(self, model: Model, n: int, spec: Any) -> None:
        path = f"activities[{n}]"
        if not isinstance(spec, Mapping):
            self.at(path, "expected a mapping {code, name, phase, unit, exchanges}")
            return
        if not spec.get("code"):
            self.at(path, "missing 'code'", "code")
            return
        code = str(spec["code"])
        path = f"activities.{code}"
        if code in model.activities or Place("activity", code) in self.paths:
            self.at(f"{path}.code", f"activity code '{code}' is used twice", "code", code)
            return
        self.paths[Place("activity", code)] = path
        self._unknown(spec, _ACTIVITY_KEYS, path)
        exchanges, exchange_paths = [], []
        for k, exc in enumerate(self._sequence(spec.get("exchanges"), f"{path}.exchanges")):
            parsed = self._exchange(exc, f"{path}.exchanges[{k}]")
            if parsed is not None:
                exchanges.append(parsed)
                exchange_paths.append(f"{path}.exchanges[{k}]")
        production = self._number(spec.get("production", 1.0), f"{path}.production")
        if production is None:
            self.unreadable.add(code)
            return
        try:
            if spec.get("dataset"):  # taken from the reference datasets (lca.data.resolve)
                from lca.data.resolve import dataset_activity

                act = dataset_activity({**spec, "production": production}, exchanges, f"{self.label}, {path}")
                exchange_paths = [f"{path}.dataset"] * (len(act.exchanges) - len(exchanges)) + exchange_paths
            else:
                act = Activity(
                    code=code,
                    name=_text(spec.get("name")) or code,
                    phase=None if spec.get("phase") in (None, "", "background") else str(spec["phase"]),
                    unit=_text(spec.get("unit")) or "unit",
                    exchanges=exchanges,
                    location=_text(spec.get("location")),
                    production=production,
                    missing=self._codes(spec.get("missing"), f"{path}.missing"),
                    source=_text(spec.get("source")),
                    comment=_text(spec.get("comment")),
                )
        except LcaError as exc:
            self.failed(exc, path, "dataset")
            self.unreadable.add(code)
            return
        model.activities[code] = act
        for k, exc_path in enumerate(exchange_paths):
            self.paths[Place("exchange", code, k)] = exc_path

    def _exchange(self, spec: Any, path: str) -> Exchange | None:
        if not isinstance(spec, Mapping):
            self.at(path, "expected a mapping {input, amount, unit}")
            return None
        self._unknown(spec, _EXCHANGE_KEYS, path)
        for key in ("input", "amount"):
            if key not in spec:
                self.at(path, f"missing '{key}'", key)
                return None
        amount = self._amount(spec["amount"], f"{path}.amount")
        lifetime = self._optional_amount(spec.get("lifetime"), f"{path}.lifetime")
        utilisation = self._optional_amount(spec.get("utilisation"), f"{path}.utilisation")
        if amount is None or (lifetime is None) != (spec.get("lifetime") is None):
            return None
        if (utilisation is None) != (spec.get("utilisation") is None):
            return None
        uncertainty = self._uncertainty(spec, amount, path)
        return Exchange(
            input_text(spec["input"]),
            amount,
            _text(spec.get("unit")),
            uncertainty,
            lifetime,
            utilisation,
            _text(spec.get("source")),
            _text(spec.get("comment")),
        )

    def _functional_unit(self, model: Model, fu: Any) -> None:
        if fu is None:
            return  # the model rules report a missing functional unit
        if not isinstance(fu, Mapping) or "activity" not in fu:
            self.at("functional_unit", "expected {activity: CODE, amount: 1, unit: ...}", "functional_unit")
            self.unreadable.add("<functional_unit>")
            return
        self._unknown(fu, {"activity", "amount", "unit", "description"}, "functional_unit")
        amount = self._number(fu.get("amount", 1), "functional_unit.amount")
        if amount is None:
            self.unreadable.add("<functional_unit>")
            return
        model.functional_unit = FunctionalUnit(
            str(fu["activity"]), amount, _text(fu.get("unit")), _text(fu.get("description"))
        )

    # -- fields ---------------------------------------------------------------------------------------
    def _unknown(self, spec: Mapping[str, Any], known: set[str], path: str) -> None:
        unknown = sorted(str(k) for k in spec if k not in known)
        if unknown:
            message = f"unknown field(s) {', '.join(unknown)}; expected some of {', '.join(sorted(known))}"
            self.at(path, message, "", unknown)

    def _mapping(
        self, value: Any, path: str, expected: str = "a mapping of name: {amount, unit, ...}"
    ) -> Mapping:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.at(path, f"expected {expected}")
            return {}
        return value

    def _sequence(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.at(path, "expected a list")
            self.unreadable.add(f"<{path}>")
            return []
        return value

    def _amount(self, value: Any, path: str) -> float | str | None:
        if isinstance(value, bool) or value is None or isinstance(value, list | dict):
            self.at(path, f"amount {value!r} is not a number or a formula", "amount", value)
            return None
        if isinstance(value, int | float):
            return self._number(value, path)
        return float(value) if is_number(value) else str(value)  # '1e300': YAML 1.1 reads it as text

    def _optional_amount(self, value: Any, path: str) -> float | str | None:
        return None if value is None else self._amount(value, path)

    def _number(self, value: Any, path: str) -> float | None:
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError
            return float(value)
        except (TypeError, ValueError):
            self.at(path, f"{value!r} is not a number", value=value, expected="a number")
        except OverflowError:
            self.at(
                path,
                f"{str(value)[:20]}... ({len(str(value))} digits) is too large for a float (> 1.8e308)",
                value=value,
                expected="a number below 1.8e308",
            )
        return None

    def _codes(self, value: Any, path: str) -> tuple[str, ...]:
        """Indicator codes listed in a data file (``missing: [WATER]``)."""
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.at(path, f"{value!r} is not a list of indicator codes, e.g. [WATER]", value=value)
            return ()
        return tuple(value)

    def _uncertainty(self, spec: Mapping[str, Any], amount: float | str, path: str) -> Uncertainty | None:
        fields = {k: v for k, v in spec.items() if k in _SPEC_KEYS}
        if not fields:
            return None
        if not isinstance(amount, float):
            if fields.get("distribution") in (None, "fixed", 1) and set(fields) <= {"distribution"}:
                return None
            problem = formula_uncertainty("", fields.get("distribution"))
            self.at(f"{path}.distribution", problem.describe(), "distribution")
            return None
        try:
            return Uncertainty.from_spec(fields, amount)
        except LcaError as exc:
            self.failed(exc, path)
            return None


def read_model(data: Any, label: str = "inventory", folder: Path | None = None) -> Model:
    """Build a :class:`Model` from the mapping of a data file; every problem is located.

    The mappings are read into records, then :func:`lca.compile.check` applies the model's
    rules; each problem is put on its YAML path.

    Raises
    ------
    InputFileError
        Listing every problem, each as ``file, path.field: what was found; expected``.
    """
    from lca.compile import check

    reader = YamlReader(label, folder)
    model = reader.read(data)
    problems = list(reader.problems)
    problems += [reader.locate(p) for p in check(model, reader.unreadable | {"<links>"})]
    if problems:
        raise InputFileError(problems)
    for note in [*reader.notes, *(reader.locate(p) for p in duplicate_exchanges(model))]:
        warn(note)
    return model


def _text(value: Any) -> str:
    return "" if value is None else str(value)
