"""The inventory data file: YAML, one record per parameter, activity and flow.

The format (``format: lca-inventory/1``) is documented in docs/inventory-format.md. It is
read with ``yaml.safe_load`` (no object construction, nothing executed) and every problem
found is reported with its place in the file, all at once.

Uncertainty fields sit beside the amount they describe, flat, in the amount's unit::

    lifetime: {amount: 6, unit: year, distribution: triangular, min: 4, max: 7,
               source: "Luccioni et al. 2023, section 4.1"}
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml

from lca.errors import InputFileError, LcaError, OutputError, Problem
from lca.io.bw_links import input_text, is_link, link_spec
from lca.model.records import Activity, Exchange, Flow, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import _SPEC_KEYS, Uncertainty

FORMAT = "lca-inventory/1"
MAX_BYTES = 20 * 1024 * 1024
T = TypeVar("T")

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
_ACTIVITY_KEYS = {*ACTIVITY_FIELDS, "exchanges"}
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


def load_model(path: str | os.PathLike[str]) -> Model:
    """Read an inventory data file.

    Raises
    ------
    InputFileError
        Listing every problem, each with ``file, place``.
    """
    path = Path(path)
    label = path.name
    problem = file_problem(path)
    if problem:
        raise InputFileError([Problem(str(path), problem)])
    if path.stat().st_size > MAX_BYTES:
        raise InputFileError([Problem(label, f"file is larger than {MAX_BYTES // 2**20} MiB")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        place = f"{label}, line {where.line + 1}" if where else label
        raise InputFileError([Problem(place, f"not valid YAML ({getattr(exc, 'problem', exc)})")]) from None
    except OSError as exc:  # no permission to read it...
        raise InputFileError([Problem(label, f"cannot be read ({exc.strerror})")]) from None
    return model_from_dict(data, label)


def model_from_dict(data: Any, label: str = "inventory") -> Model:
    """Build a :class:`Model` from the mapping of a data file; all problems are collected."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise InputFileError([Problem(label, "expected a mapping with name, parameters, activities")])
    _unknown_keys(data, _TOP_KEYS, label, problems)
    if data.get("format", FORMAT) != FORMAT:
        problems.append(Problem(f"{label}, format", f"'{data.get('format')}' is not '{FORMAT}'"))
    model = Model(str(data.get("name") or Path(label).stem), str(data.get("description") or ""))
    model.info = dict(_mapping(data.get("info"), f"{label}, info", problems, "a mapping of field: text"))
    sources = _mapping(data.get("sources"), f"{label}, sources", problems, "a mapping of key: reference")
    if sources:
        model.info["sources"] = dict(sources)
    indicators = _sequence(data.get("indicators"), f"{label}, indicators", problems)
    if not all(isinstance(code, str) for code in indicators):
        problems.append(
            Problem(f"{label}, indicators", f"expected indicator codes such as GWP, got {indicators}")
        )
    elif indicators:
        model.info["indicators"] = list(indicators)

    _record(f"{label}, methods", problems, _interop, data, model, f"{label}, methods")
    for name, spec in _mapping(data.get("parameters"), f"{label}, parameters", problems).items():
        where = f"{label}, parameters.{name}"
        par = _record(where, problems, _parameter, str(name), spec, where)
        if par is not None:
            _record(where, problems, model.add_parameter, par)
    for n, spec in enumerate(_sequence(data.get("flows"), f"{label}, flows", problems)):
        where = f"{label}, flows[{n}]"
        flow = _record(where, problems, _flow, spec, where)
        if flow is not None:
            _record(where, problems, model.add_flow, flow)
    activities = _sequence(data.get("activities"), f"{label}, activities", problems)
    if not activities:
        problems.append(Problem(f"{label}, activities", "no activities"))
    for n, spec in enumerate(activities):
        where = f"{label}, activities[{n}]"
        if isinstance(spec, Mapping) and spec.get("code"):
            where = f"{label}, activities.{spec['code']}"
        act = _record(where, problems, _activity, spec, where, problems)
        if act is not None:
            _record(where, problems, model.add_activity, act)
    record_datasets(model, activities, data.get("parameters"))
    fu = data.get("functional_unit")
    if not isinstance(fu, Mapping) or "activity" not in fu:
        expected = "expected {activity: CODE, amount: 1, unit: ...}"
        problems.append(Problem(f"{label}, functional_unit", expected))
    else:
        where = f"{label}, functional_unit"
        amount = _record(where, problems, _number, fu.get("amount", 1), "amount")
        model.functional_unit = FunctionalUnit(
            str(fu["activity"]),
            1.0 if amount is None else amount,
            str(fu.get("unit") or ""),
            str(fu.get("description") or ""),
        )
    if problems:
        raise InputFileError(problems)
    return model


def _parameter(name: str, spec: Any, where: str) -> Parameter:
    if not isinstance(spec, Mapping):
        spec = {"amount": spec}
    if "dataset" in spec:  # a value of the reference datasets (lca.data.resolve)
        from lca.data.resolve import dataset_parameter

        return dataset_parameter(name, spec, where)
    _unknown_keys(spec, _PARAMETER_KEYS, where)
    if "amount" not in spec:
        raise LcaError("missing 'amount' (a number or a formula)")
    amount = _amount(spec["amount"])
    uncertainty = _uncertainty(spec, amount, where)
    return Parameter(
        name,
        amount,
        str(spec.get("unit") or ""),
        uncertainty,
        str(spec.get("source") or ""),
        str(spec.get("comment") or ""),
    )


def _exchange(spec: Any, where: str) -> Exchange:
    if not isinstance(spec, Mapping):
        raise LcaError("expected a mapping {input, amount, unit}")
    _unknown_keys(spec, _EXCHANGE_KEYS, where)
    for key in ("input", "amount"):
        if key not in spec:
            raise LcaError(f"missing '{key}'")
    amount = _amount(spec["amount"])
    return Exchange(
        input_text(spec["input"]),
        amount,
        str(spec.get("unit") or ""),
        _uncertainty(spec, amount, where),
        _optional_amount(spec.get("lifetime")),
        _optional_amount(spec.get("utilisation")),
        str(spec.get("source") or ""),
        str(spec.get("comment") or ""),
    )


def _activity(spec: Any, where: str, problems: list[Problem]) -> Activity:
    if not isinstance(spec, Mapping):
        raise LcaError("expected a mapping {code, name, phase, unit, exchanges}")
    _unknown_keys(spec, _ACTIVITY_KEYS, where)
    if not spec.get("code"):
        raise LcaError("missing 'code'")
    exchanges = []
    for n, exc in enumerate(_sequence(spec.get("exchanges"), f"{where}.exchanges", problems)):
        exc_where = f"{where}.exchanges[{n}]"
        parsed = _record(exc_where, problems, _exchange, exc, exc_where)
        if parsed is not None:
            exchanges.append(parsed)
    if spec.get("dataset"):  # taken from the reference datasets (lca.data.resolve)
        from lca.data.resolve import dataset_activity

        return dataset_activity(spec, exchanges, where)
    phase = spec.get("phase")
    return Activity(
        code=str(spec["code"]),
        name=str(spec.get("name") or spec["code"]),
        phase=None if phase in (None, "", "background") else str(phase),
        unit=str(spec.get("unit") or "unit"),
        exchanges=exchanges,
        location=str(spec.get("location") or ""),
        production=_number(spec.get("production", 1.0), f"{where}.production"),
        missing=_codes(spec.get("missing"), f"{where}.missing"),
        source=str(spec.get("source") or ""),
        comment=str(spec.get("comment") or ""),
    )


def record_datasets(model: Model, activities: list[Any], parameters: Any) -> None:
    """Record the dataset version and the entries used in ``model.info["datasets"]``.

    ``activities`` are records (mappings) and ``parameters`` a mapping of name to record, as
    in a data file; those with a ``dataset`` key are listed. The Excel reader passes its rows
    in the same form.
    """
    records = list(activities) + (list(parameters.values()) if isinstance(parameters, Mapping) else [])
    refs = sorted({str(r["dataset"]) for r in records if isinstance(r, Mapping) and r.get("dataset")})
    if refs:
        from lca.data import version

        model.info["datasets"] = {"version": version(), "entries": refs}


def _flow(spec: Any, where: str) -> Flow:
    if not isinstance(spec, Mapping) or not spec.get("code"):
        raise LcaError("expected a mapping {code, name, unit, factors}")
    _unknown_keys(spec, _FLOW_KEYS, where)
    factors = {str(k): _number(v, f"{where}.factors.{k}") for k, v in (spec.get("factors") or {}).items()}
    return Flow(
        str(spec["code"]),
        str(spec.get("name") or spec["code"]),
        str(spec.get("unit") or ""),
        factors,
        str(spec.get("source") or ""),
        tuple(str(c) for c in spec.get("categories") or ()),
        str(spec.get("uuid") or ""),
    )


def _interop(data: Mapping[str, Any], model: Model, where: str) -> None:
    """The ``methods`` and ``brightway`` keys, into ``model.info``."""
    from lca.methods import read_methods

    if data.get("methods") is not None:
        model.info["methods"] = {k: list(v) for k, v in read_methods(data["methods"], where).items()}
    if data.get("brightway") is not None:
        model.info["brightway"] = dict(_mapping(data["brightway"], where, [], "{project: NAME}"))


# -- writing ---------------------------------------------------------------------------------
def model_to_dict(model: Model) -> dict[str, Any]:
    """The data-file mapping of ``model`` (``load`` of its dump gives an equal model)."""
    info = dict(model.info)
    data: dict[str, Any] = {"format": FORMAT, "name": model.name, "description": model.description}
    if "indicators" in info:
        data["indicators"] = info.pop("indicators")
    if "sources" in info:
        data["sources"] = info.pop("sources")
    for key in ("methods", "brightway"):
        if key in info:
            data[key] = info.pop(key)
    if info:
        data["info"] = info
    fu = model.functional_unit
    if fu is not None:
        data["functional_unit"] = _clean(
            {"activity": fu.activity, "amount": fu.amount, "unit": fu.unit, "description": fu.description}
        )
    data["parameters"] = {
        p.name: _clean(
            {
                "amount": p.amount,
                "unit": p.unit,
                **_spec(p.uncertainty),
                "source": p.source,
                "comment": p.comment,
            }
        )
        for p in model.parameters.values()
    }
    if model.flows:
        data["flows"] = [
            _clean(
                {
                    "code": f.code,
                    "name": f.name,
                    "unit": f.unit,
                    "factors": dict(f.factors),
                    "source": f.source,
                    "categories": list(f.categories),
                    "uuid": f.uuid,
                }
            )
            for f in model.flows.values()
        ]
    data["activities"] = [
        _clean(
            {
                "code": a.code,
                "name": a.name,
                "phase": a.phase,
                "unit": a.unit,
                "location": a.location,
                "production": None if a.production == 1 else a.production,
                "missing": list(a.missing),
                "source": a.source,
                "comment": a.comment,
                "exchanges": [
                    _clean(
                        {
                            "input": link_spec(e.input) if is_link(e.input) else e.input,
                            "amount": e.amount,
                            "unit": e.unit,
                            "lifetime": e.lifetime,
                            "utilisation": e.utilisation,
                            **_spec(e.uncertainty),
                            "source": e.source,
                            "comment": e.comment,
                        }
                    )
                    for e in a.exchanges
                ],
            }
        )
        for a in model.activities.values()
    ]
    return data


def dump_model(model: Model, path: str | os.PathLike[str]) -> None:
    """Write ``model`` as a data file, atomically (temporary file, then rename)."""
    text = yaml.safe_dump(model_to_dict(model), sort_keys=False, allow_unicode=True, width=100)
    write_atomic(path, text.encode("utf-8"))


def file_problem(path: Path) -> str | None:
    """What is wrong with an input ``path`` that should be a readable file (None if nothing).

    Examples
    --------
    >>> file_problem(Path("."))
    'is a folder; expected a file'
    """
    try:
        if path.is_file():
            return None
        return "is a folder; expected a file" if path.is_dir() else "no such file"
    except OSError as exc:  # a name too long, a loop of links...
        return f"cannot be read ({exc.strerror})"


def write_atomic(path: str | os.PathLike[str], payload: bytes) -> None:
    """Write ``payload`` to ``path`` via a temporary file in the same folder, then rename.

    The file gets the permissions of an ordinary new file (0666 less the umask), not the
    private 0600 of the temporary file.
    """
    path = Path(path)
    check_output_path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in folder '{path.parent}' ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write it ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_output_path(path: str | os.PathLike[str]) -> None:
    """Refuse an output path that cannot be written, before any work is done for it.

    Raises
    ------
    OutputError
        When ``path`` is a folder, or its folder does not exist.

    Examples
    --------
    >>> check_output_path("nodir/report.html")
    Traceback (most recent call last):
    lca.errors.OutputError: nodir/report.html: folder 'nodir' does not exist; create it first
    """
    path = Path(path)
    try:
        is_dir, folder_exists = path.is_dir(), path.parent.is_dir()
    except OSError as exc:  # a name too long...
        raise OutputError(f"{path}: cannot write it ({exc.strerror})") from None
    if is_dir:
        raise OutputError(f"{path}: is a folder; expected a file name")
    if not folder_exists:
        raise OutputError(f"{path}: folder '{path.parent}' does not exist; create it first")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- helpers ---------------------------------------------------------------------------------
def _record(where: str, problems: list[Problem], build: Callable[..., T], *args: Any) -> T | None:
    """Call ``build(*args)``; a problem it raises is collected under ``where``."""
    try:
        return build(*args)
    except InputFileError as exc:
        problems.extend(exc.problems)
    except LcaError as exc:
        message = str(exc)
        rest = message.removeprefix(where)
        if rest.startswith(".") and ": " in rest:  # already located in a field: where.production
            field, message = rest.split(": ", 1)
            problems.append(Problem(where + field, message))
        else:
            problems.append(Problem(where, message.removeprefix(f"{where}: ")))
    return None


def _unknown_keys(
    spec: Mapping[str, Any], known: set[str], where: str, problems: list[Problem] | None = None
) -> None:
    unknown = sorted(str(k) for k in spec if k not in known)
    if not unknown:
        return
    message = f"unknown field(s) {', '.join(unknown)}; expected some of {', '.join(sorted(known))}"
    if problems is None:
        raise LcaError(message)
    problems.append(Problem(where, message))


def _mapping(
    value: Any, where: str, problems: list[Problem], expected: str = "a mapping of name: {amount, unit, ...}"
) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(Problem(where, f"expected {expected}"))
        return {}
    return value


def _sequence(value: Any, where: str, problems: list[Problem]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(where, "expected a list"))
        return []
    return value


def _amount(value: Any) -> float | str:
    if isinstance(value, bool) or value is None:
        raise LcaError(f"amount {value!r} is not a number or a formula")
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def _optional_amount(value: Any) -> float | str | None:
    return None if value is None else _amount(value)


def _codes(value: Any, where: str) -> tuple[str, ...]:
    """Indicator codes listed in a data file (``missing: [WATER]``)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise LcaError(f"{where}: {value!r} is not a list of indicator codes, e.g. [WATER]")
    return tuple(value)


def _number(value: Any, where: str) -> float:
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    except (TypeError, ValueError):
        raise LcaError(f"{where}: {value!r} is not a number") from None


def _uncertainty(spec: Mapping[str, Any], amount: float | str, where: str) -> Uncertainty | None:
    fields = {k: v for k, v in spec.items() if k in _SPEC_KEYS}
    if not fields:
        return None
    central = amount if isinstance(amount, float) else float("nan")
    if not isinstance(amount, float) and fields.get("distribution") not in (None, "fixed", 1):
        raise LcaError("a formula amount takes its uncertainty from its parameters; remove its distribution")
    return Uncertainty.from_spec(fields, central, where)


def _spec(uncertainty: Uncertainty | None) -> dict[str, Any]:
    return uncertainty.to_spec() if uncertainty is not None else {}


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "", [], {})}
