"""Links from a foreground exchange to a Brightway activity or flow, as the model holds them.

An exchange's ``input`` is an activity or flow code. A data file may instead give a
Brightway key or a search, as a mapping::

    input: {database: ecoinvent-3.10-cutoff, code: 0a1b...}
    input: {name: market for electricity, medium voltage, reference product: electricity,
            medium voltage, location: FR}          # database optional

The reader keeps such a mapping as its canonical text (JSON with sorted keys), so that the
model stays plain records; :func:`lca.io.bw_import.link_background` later replaces it by
the code of the imported background activity (``database:code``). Nothing here needs
Brightway installed.

Examples
--------
>>> text = link_text({"database": "bg", "code": "heat"})
>>> text, is_link(text), link_spec(text)["code"]
('{"code": "heat", "database": "bg"}', True, 'heat')
>>> background_code("bg", "heat")
'bg:heat'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lca.errors import LcaError
from lca.model.records import is_link

__all__ = ["background_code", "input_text", "is_link", "link_spec", "link_text"]

LINK_KEYS = ("database", "code", "name", "reference product", "location", "unit")


def link_text(spec: Mapping[str, Any]) -> str:
    """The canonical text of a link mapping; a mapping that is not a link is an error."""
    unknown = sorted(str(k) for k in spec if k not in LINK_KEYS)
    if unknown:
        raise LcaError(f"unknown link field(s) {', '.join(unknown)}; expected some of {', '.join(LINK_KEYS)}")
    if "code" in spec and "database" not in spec:
        raise LcaError("a link by code needs its database: {database: ..., code: ...}")
    if "code" not in spec and "name" not in spec:
        raise LcaError("a link needs {database, code} or {name, reference product, location}")
    return json.dumps({str(k): str(v) for k, v in spec.items()}, sort_keys=True)


def input_text(value: Any) -> str:
    """An exchange ``input`` as the model holds it: a code, or the text of a link mapping."""
    return link_text(value) if isinstance(value, Mapping) else str(value)


def link_spec(text: str) -> dict[str, str]:
    """The mapping of a link text (for writing it back to a data file)."""
    return json.loads(text)


def background_code(database: str, code: str) -> str:
    """The code an imported Brightway activity or flow gets in an lca model."""
    return f"{database}:{code}"
