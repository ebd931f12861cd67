"""Data quality: every input as entered, with its source, distribution and pedigree.

Also :func:`skewed_inputs`, the inputs whose entered amount is not the median of their
distribution: the usual reason why a deterministic value lies outside its own Monte Carlo
interval, which the results note names.
"""

from __future__ import annotations

import math

from lca.model.records import Model
from lca.model.uncertainty import LOGNORMAL, NAMES, TRIANGULAR, UNIFORM, Uncertainty
from lca.report.document import Paragraph, Section, Table, Value, fmt

#: Source label of an exchange that only links two activities (one unit of the other).
LINK = "structural link (one unit of another activity)"


def data_quality(data) -> Section:
    """Every parameter and exchange with its value, source, distribution and pedigree."""
    model = data.model
    rows = [
        [
            p.name,
            _amount(p.amount),
            p.unit or "",
            *_spread(p.uncertainty),
            p.source
            or ("formula over the parameters above" if isinstance(p.amount, str) else "not provided"),
        ]
        for p in model.parameters.values()
    ]
    columns = ["input", "amount", "unit", "distribution", "pedigree (R,C,T,G,Tech)", "source"]
    exchanges = []
    for act in model.activities.values():
        for exc in act.exchanges:
            source = exc.source or act.source or ("see parameters" if isinstance(exc.amount, str) else "")
            if not source and exc.input in model.activities and exc.amount == 1 and exc.uncertainty is None:
                source = LINK
            exchanges.append(
                [
                    f"{act.code} <- {exc.input}",
                    _amount(exc.amount),
                    exc.unit or "",
                    *_spread(exc.uncertainty),
                    source or "not provided",
                ]
            )
    unsourced = sum(1 for r in rows + exchanges if r[-1] == "not provided")
    links = sum(1 for r in exchanges if r[-1] == LINK)
    section = Section("data-quality", "Data quality")
    section.blocks.append(
        Paragraph(
            f"{len(rows)} parameters and {len(exchanges)} exchanges ({links} of them structural links "
            f"carrying no data); {unsourced} without a source. Inputs are shown as entered. "
            "Pedigree scores are (reliability, completeness, temporal, geographical, technological "
            "correlation), 1 best to 5 worst (Weidema et al. 2013)."
        )
    )
    section.blocks.append(Table("parameters", "Parameters", columns, rows))
    section.blocks.append(
        Table("exchanges", "Exchanges (activity <- input)", columns, exchanges, collapsed=True)
    )
    return section


def _amount(amount: float | str) -> Value | str:
    """An input as entered: a formula as its text, a number with all its digits."""
    return amount if isinstance(amount, str) else Value(float(amount), kind="input")


def _spread(u) -> list[str]:
    if u is None:
        return ["fixed", ""]
    name = NAMES.get(u.kind, str(u.kind))
    if name == "lognormal":
        name += f" (GSD {u.gsd:.3g})"
    elif name in ("uniform", "triangular"):
        name += f" ({fmt(u.minimum)} to {fmt(u.maximum)})"
    elif name == "normal":
        name += f" (sd {fmt(u.scale)})"
    return [name, "(" + ", ".join(str(s) for s in u.pedigree) + ")" if u.pedigree else ""]


def skewed_inputs(model: Model, limit: int = 6) -> list[str]:
    """Inputs whose entered amount is not the median of their distribution (with why).

    Examples
    --------
    >>> from lca.model.records import Model, Parameter
    >>> m = Model("m")
    >>> spec = {"distribution": "triangular", "min": 100, "max": 650}
    >>> m.parameters["gpu"] = Parameter("gpu", 150, "kg", Uncertainty.from_spec(spec, 150, "gpu"))
    >>> skewed_inputs(m)  # mode below the midpoint 375: 650 - sqrt(550 x 500 / 2) = 279.2
    ['gpu (triangular 100 to 650, mode 150: median 279.2)']
    """
    found = []
    amounts = [(p.name, p.amount, p.uncertainty) for p in model.parameters.values()]
    amounts += [
        (f"{a.code} <- {e.input}", e.amount, e.uncertainty)
        for a in model.activities.values()
        for e in a.exchanges
    ]
    for name, amount, u in amounts:
        if u is None or isinstance(amount, str) or not u.is_uncertain:
            continue
        median = _median(u, float(amount))
        if math.isfinite(median) and abs(median - amount) > 1e-6 * max(abs(amount), abs(median)):
            found.append(f"{name} ({_spread_text(u, float(amount))}: median {fmt(median)})")
    return found[:limit] + ([f"and {len(found) - limit} more"] if len(found) > limit else [])


def _median(u: Uncertainty, amount: float) -> float:
    if u.kind == TRIANGULAR:
        a, c, b = u.minimum, u.loc if math.isfinite(u.loc) else amount, u.maximum
        if c >= (a + b) / 2:
            return a + math.sqrt((b - a) * (c - a) / 2)
        return b - math.sqrt((b - a) * (b - c) / 2)
    if u.kind == UNIFORM:
        return (u.minimum + u.maximum) / 2
    return u.median() if u.kind == LOGNORMAL else math.nan


def _spread_text(u: Uncertainty, amount: float) -> str:
    name = NAMES.get(u.kind, str(u.kind))
    if u.kind == TRIANGULAR:
        mode = u.loc if math.isfinite(u.loc) else amount
        return f"{name} {fmt(u.minimum)} to {fmt(u.maximum)}, mode {fmt(mode)}"
    if u.kind == UNIFORM:
        return f"{name} {fmt(u.minimum)} to {fmt(u.maximum)}"
    return f"{name} (GSD {u.gsd:.3g})" if u.kind == LOGNORMAL else name
