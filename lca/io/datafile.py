"""The inventory data file: YAML, one record per parameter, activity and flow.

The format (``format: lca-inventory/1``) is documented in docs/inventory-format.md. It is
read by :mod:`lca.io.yaml_read` (a safe loader: no object construction, nothing executed)
and every problem found is reported with its place in the file, all at once.

Uncertainty fields sit beside the amount they describe, flat, in the amount's unit::

    lifetime: {amount: 6, unit: year, distribution: triangular, min: 4, max: 7,
               source: "Luccioni et al. 2023, section 4.1"}
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from lca.errors import InputFileError, LcaError, Problem
from lca.io.bw_links import is_link, link_spec
from lca.io.files import file_problem, write_atomic
from lca.io.yaml_read import ACTIVITY_FIELDS, FORMAT, parse_yaml, read_model
from lca.model.records import Model
from lca.model.uncertainty import Uncertainty

__all__ = ["ACTIVITY_FIELDS", "FORMAT", "dump_model", "load_model", "model_from_dict", "model_to_dict"]

MAX_BYTES = 20 * 1024 * 1024


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
        raise InputFileError([Problem(str(path), message=problem)])
    if path.stat().st_size > MAX_BYTES:
        raise InputFileError([Problem(label, message=f"file is larger than {MAX_BYTES // 2**20} MiB")])
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")  # a byte-order mark (some editors write one) is dropped
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            [
                Problem(
                    f"{label}, line {line}",
                    message=f"not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason}); "
                    "save the file as UTF-8",
                )
            ]
        ) from None
    except OSError as exc:  # no permission to read it...
        raise InputFileError([Problem(label, message=f"cannot be read ({exc.strerror})")]) from None
    return model_from_dict(parse_yaml(text, label), label, path.parent)


def model_from_dict(data: Any, label: str = "inventory", folder: Path | None = None) -> Model:
    """Build a :class:`Model` from the mapping of a data file; all problems are collected.

    See :func:`lca.io.yaml_read.read_model`; ``folder`` is where files the inventory names
    (``energy: {codecarbon: FILE}``) are read from (default: the working folder).
    """
    return read_model(data, label, folder)


def record_datasets(model: Model, activities: list[Any], parameters: Any) -> bool:
    """Record the dataset version and the entries used in ``model.info["datasets"]``.

    ``activities`` are records (mappings) and ``parameters`` a mapping of name to record, as
    in a data file; those with a ``dataset`` key are listed, with, under ``local``, those
    read from a folder of ``LCA_DATA_PATH`` (:class:`lca.data.catalogue.LocalEntry`: file
    and hash). The Excel reader passes its rows in the same form.

    Returns True when the inventory gave ``info.datasets`` itself: it is dropped, since a
    provenance field is lca's to write (the reader warns).
    """
    given = model.info.pop("datasets", None) is not None
    records = list(activities) + (list(parameters.values()) if isinstance(parameters, Mapping) else [])
    refs = sorted({str(r["dataset"]) for r in records if isinstance(r, Mapping) and r.get("dataset")})
    if refs:
        from lca.data import catalogue

        found = catalogue()
        model.info["datasets"] = {"version": found.version, "entries": refs}
        local = [vars(found.local[r]) for r in _refs(found, refs) if r in found.local]
        if local:
            model.info["datasets"]["local"] = local
    return given


def _refs(found: Any, refs: list[str]) -> list[str]:
    """``category/name`` of each reference that names an entry (a bare name is looked up)."""
    out = []
    for ref in refs:
        try:
            out.append(found.lookup(ref).ref)
        except LcaError:
            continue  # reported where the reference is read
    return out


# -- writing ---------------------------------------------------------------------------------
def model_to_dict(model: Model) -> dict[str, Any]:
    """The data-file mapping of ``model`` (``load`` of its dump gives an equal model)."""
    info = dict(model.info)
    info.pop("datasets", None)  # provenance: recorded again from the entries when the file is read
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


def _spec(uncertainty: Uncertainty | None) -> dict[str, Any]:
    return uncertainty.to_spec() if uncertainty is not None else {}


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "", [], {})}
