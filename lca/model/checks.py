"""The rules a model's records obey, each broken rule a :class:`~lca.errors.Problem`.

These are the rules that need no unit arithmetic: identifiers, phases, production
amounts, indicator codes, what an exchange may point at, formula syntax, parameter
dependencies, uncertainty fields. :func:`lca.compile.check` runs them, then the rules
that need units (conversions, lifetimes, utilisations), and is what
:func:`~lca.compile.build_matrices` and both readers (YAML and Excel) call: one rule set,
so the readers cannot disagree. A reader only turns its rows or mappings into records and
a problem's place and field into its own location.

Examples
--------
>>> from lca.model.records import Activity, Exchange, FunctionalUnit, Model
>>> m = Model("tiny", functional_unit=FunctionalUnit("job"))
>>> _ = m.add_activity(Activity("job", "job", "trainig", "run", [Exchange("grid", 1, "kWh")]))
>>> for p in record_problems(m, ["GWP"], ["GWP"]).problems:
...     print(p)
activity 'job' phase: 'trainig' is not a life-cycle phase; did you mean 'training'?
activity 'job', exchange 1 (input 'grid') input: no activity, flow or indicator 'grid'
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx

from lca.errors import FormulaError, LcaError, Place, Problem, UnitError, problems_of
from lca.model.formulas import MAX_LENGTH, Formula, is_number
from lca.model.records import MAX_HINTS, PHASES, Exchange, Model, is_link, suggest, suggest_phase
from lca.units import parse_unit

#: In ``unreadable``: some activity code could not be read, so unknown references are not reported.
UNREAD_CODES = "<codes>"
#: Longest formula read (longer ones are refused before parsing).
MAX_FORMULA_LENGTH = MAX_LENGTH


@dataclass
class RecordCheck:
    """What the record rules found.

    Attributes
    ----------
    problems : list of Problem
        Every broken rule, in model order.
    formulas : dict of str to Formula
        Parsed formula of each parameter given by one (broken ones left out).
    order : list of str
        Parameters, each after those it uses (the broken and their dependents left out).
    broken : set of str
        Parameters that cannot be evaluated (their own problem, or one of their inputs').
    skipped : set of tuple
        ``(activity code, exchange index)`` of exchanges not to compile further.
    """

    problems: list[Problem] = field(default_factory=list)
    formulas: dict[str, Formula] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)
    skipped: set[tuple[str, int]] = field(default_factory=set)

    def add(
        self,
        where: Place,
        field_name: str,
        value: Any,
        expected: str,
        message: str = "",
        hint: str = "",
        **kw: Any,
    ) -> None:
        """Record a problem (an :class:`~lca.errors.InventoryError` unless ``error`` says otherwise)."""
        self.problems.append(
            Problem(where, message, field=field_name, value=value, expected=expected, hint=hint, **kw)
        )

    def add_error(self, exc: LcaError, where: Place, field_name: str) -> None:
        """Record the problems of an error raised by a lower layer, at ``where`` and ``field_name``."""
        for p in problems_of(exc):
            self.problems.append(_placed(p, where, field_name))


def _placed(problem: Problem, where: Place, field_name: str) -> Problem:
    from dataclasses import replace

    return replace(problem, where=where, field=problem.field or field_name)


def formula_uncertainty(where: Place | str, distribution: object) -> Problem:
    """The problem of a distribution given on a formula (its spread comes from its parameters)."""
    return Problem(
        where,
        "a formula takes its uncertainty from its parameters; remove its distribution",
        field="distribution",
        value=distribution,
        expected="no distribution on a formula",
    )


def phase_problem(phase: str) -> tuple[str, str]:
    """Message and hint for a phase that is not one of :data:`PHASES` (practitioners' names
    and close spellings suggested, :func:`lca.model.records.suggest_phase`)."""
    guess = suggest_phase(phase)
    return f"'{phase}' is not a life-cycle phase", f"did you mean '{guess}'?" if guess else ""


def record_problems(
    model: Model,
    selected: Collection[str],
    registered: Collection[str],
    unreadable: Collection[str] = (),
) -> RecordCheck:
    """Check every record of ``model`` against the rules that need no unit arithmetic.

    Parameters
    ----------
    model : Model
    selected : collection of str
        Indicator codes the model assesses (its ``indicators``, else the defaults).
    registered : collection of str
        Every registered indicator code (exchanges on the others are not in scope).
    unreadable : collection of str
        Codes or names of records a reader could not build (reported by it): references
        to them are not reported again, and exchanges that use them are skipped;
        ``"<activities>"`` and ``"<functional_unit>"`` when those could not be read;
        ``"<links>"`` when links to a Brightway background are resolved later (a reader);
        :data:`UNREAD_CODES` when some activity's code itself could not be read (a date in a
        code cell): a reference to an unknown activity may then be to that one, and is not
        reported.
    """
    out = RecordCheck()
    _check_parameters(model, out, set(unreadable))
    _check_flows(model, selected, registered, out)
    _check_activities(model, selected, registered, set(unreadable), out)
    _check_functional_unit(model, out, set(unreadable))
    return out


# -- parameters ---------------------------------------------------------------------------------
def _check_parameters(model: Model, out: RecordCheck, unreadable: set[str]) -> None:
    graph = nx.DiGraph()
    for name, par in model.parameters.items():
        where = Place("parameter", name)
        graph.add_node(name)
        if not _identifier(name):
            out.add(
                where,
                "name",
                name,
                "an identifier (letters, digits, _; no spaces)",
                f"'{name}' is not an identifier (letters, digits, _; no spaces)",
            )
            out.broken.add(name)
            continue
        if not _unit(par.unit, where, "unit", out):
            out.broken.add(name)
        if isinstance(par.amount, bool) or not isinstance(par.amount, int | float | str):
            out.add(where, "amount", par.amount, "a number or a formula")
            out.broken.add(name)
            continue
        if is_number(par.amount):
            _check_uncertainty(par.uncertainty, float(par.amount), where, out)
            continue
        formula = parse_formula(par.amount, where, "amount", out)
        if formula is None:
            out.broken.add(name)
            continue
        if par.uncertainty is not None and par.uncertainty.is_uncertain:
            out.problems.append(formula_uncertainty(where, par.uncertainty.name))
        out.formulas[name] = formula
        for dep in sorted(formula.names):
            if dep in model.parameters:
                graph.add_edge(dep, name)
            elif dep in unreadable:
                out.broken.add(name)
            else:
                out.add(
                    where,
                    "amount",
                    par.amount,
                    "a formula over known parameters",
                    f"formula '{par.amount}' uses unknown name '{dep}'",
                    did_you_mean(dep, model.parameters, out),
                    error=FormulaError,
                )
                out.broken.add(name)
    loops = [
        sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1 or graph.has_edge(*[*c] * 2)
    ]
    for cycle in loops:
        text = " -> ".join([*cycle, cycle[0]])
        out.add(
            Place("parameter", cycle[0]),
            "amount",
            model.parameters[cycle[0]].amount,
            "parameters that do not depend on each other in a loop",
            f"parameters depend on each other in a loop: {text}",
            error=FormulaError,
        )
        out.broken.update(cycle)
    in_loop = set().union(*loops)
    for name in nx.lexicographical_topological_sort(graph.subgraph(n for n in graph if n not in in_loop)):
        if any(dep in out.broken for dep in graph.predecessors(name)):
            out.broken.add(name)
        if name not in out.broken:
            out.order.append(name)


def _identifier(name: str) -> bool:
    """A Python identifier that NFKC normalisation leaves unchanged (``ｈｏｕｒｓ`` is refused:
    Python would read it as ``hours`` in a formula)."""
    return name.isidentifier() and unicodedata.normalize("NFKC", name) == name


def parse_formula(text: Any, where: Place, field_name: str, out: RecordCheck) -> Formula | None:
    """The formula ``text`` parsed, or None with its problem recorded."""
    source = str(text)
    if not_finite(source):
        out.add(where, field_name, source.strip(), "a finite number or a formula")
        return None
    # Python's parser reads identifiers NFKC-normalised ('ｈｏｕｒｓ' as 'hours'): look at the text
    odd = [w for w in re.findall(r"\w+", source) if unicodedata.normalize("NFKC", w) != w]
    if odd:
        out.add(
            where,
            field_name,
            source,
            "names written as they are defined",
            f"formula '{source[:80]}' writes a name with compatibility characters ('{odd[0]}')",
            error=FormulaError,
        )
        return None
    try:
        return Formula.parse(source)
    except FormulaError as exc:
        out.add_error(exc, where, field_name)
        return None


def not_finite(text: str) -> bool:
    """True for a number text that is not finite (``nan``, ``inf``, ``1e999``).

    >>> not_finite("nan"), not_finite(" -1e999 "), not_finite("1e308"), not_finite("x")
    (True, True, False, False)
    """
    try:
        return not math.isfinite(float(text))
    except (ValueError, OverflowError):
        return False


def did_you_mean(name: str, known: Any, out: RecordCheck) -> str:
    """The "did you mean" of ``name`` among ``known`` for the first :data:`MAX_HINTS` problems
    (beyond them the search is skipped: thousands of misspelt names stay fast)."""
    return suggest(name, known).removeprefix("; ") if len(out.problems) < MAX_HINTS else ""


def _check_uncertainty(uncertainty: Any, amount: float, where: Place, out: RecordCheck) -> None:
    if uncertainty is None:
        return
    problem = uncertainty.problem(where)
    if problem is not None:
        out.problems.append(problem)


# -- flows and activities -----------------------------------------------------------------------
def _check_flows(
    model: Model, selected: Collection[str], registered: Collection[str], out: RecordCheck
) -> None:
    for flow in model.flows.values():
        where = Place("flow", flow.code)
        if flow.code in registered:
            out.add(
                where,
                "code",
                flow.code,
                "a code that is not an indicator's",
                f"flow '{flow.code}' has the code of an indicator",
            )
        _unit(flow.unit, where, "unit", out)
        for code, factor in flow.factors.items():
            if code not in registered:
                out.add(
                    where,
                    f"factors.{code}",
                    code,
                    "a registered indicator",
                    f"factor for unknown indicator '{code}'",
                    did_you_mean(code, selected, out),
                )
            elif not (is_number(factor) and math.isfinite(float(factor))):
                out.add(where, f"factors.{code}", factor, "a finite number")


def _check_activities(
    model: Model,
    selected: Collection[str],
    registered: Collection[str],
    unreadable: set[str],
    out: RecordCheck,
) -> None:
    if not model.activities and "<activities>" not in unreadable:
        out.add(
            Place("model", model.name),
            "activities",
            None,
            "at least one activity",
            "the model has no activities",
        )
    known = [*model.activities, *model.flows, *selected]
    selected, registered = set(selected), set(registered)
    activities, flows = model.activities, model.flows
    good_units: set[str] = set()
    for act in model.activities.values():
        where = Place("activity", act.code)
        if act.phase is not None and act.phase not in PHASES:
            message, hint = phase_problem(act.phase)
            out.add(where, "phase", act.phase, f"one of {', '.join(PHASES)}", message, hint)
        if not _unit(act.unit, where, "unit", out):
            out.skipped.update(
                (c.code, n)
                for c in model.activities.values()
                for n, e in enumerate(c.exchanges)
                if e.input == act.code
            )
        production = act.production
        if not (is_number(production) and math.isfinite(float(production)) and float(production) != 0):
            out.add(
                where,
                "production",
                production,
                "a finite number other than 0 (negative for a waste treatment)",
            )
        for code in act.missing:
            if code not in registered:
                out.add(
                    where,
                    "missing",
                    code,
                    "indicator codes",
                    f"indicator '{code}' is not registered",
                    did_you_mean(code, registered, out),
                )
        for n, exc in enumerate(act.exchanges):
            inp, uncertainty = exc.input, exc.uncertainty
            if (  # the common valid exchange, checked without a call or its place
                type(exc.amount) is float
                and math.isfinite(exc.amount)
                and exc.lifetime is None
                and exc.utilisation is None
                and (
                    (inp in activities and inp not in flows and inp not in selected)
                    or (inp not in activities and (inp in flows or inp in registered))
                )
                and (not exc.unit or exc.unit in good_units)
                and (uncertainty is None or uncertainty.problem() is None)
            ):
                continue
            _check_exchange(model, act.code, n, exc, known, selected, registered, unreadable, out)
            if exc.unit and _unit_ok(exc.unit):
                good_units.add(exc.unit)


def _check_exchange(
    model: Model,
    consumer: str,
    n: int,
    exc: Exchange,
    known: list[str],
    selected: Collection[str],
    registered: Collection[str],
    unreadable: set[str],
    out: RecordCheck,
) -> None:
    is_activity = exc.input in model.activities
    where = Place("exchange", consumer, n, exc.input)
    before = len(out.problems)
    if is_activity and (exc.input in model.flows or exc.input in selected):
        out.add(
            where,
            "input",
            exc.input,
            "an activity or a flow, not both",
            f"'{exc.input}' is both an activity and a flow; rename one",
        )
    elif not is_activity and exc.input not in model.flows and exc.input not in registered:
        if is_link(exc.input):
            if "<links>" not in unreadable:
                out.add(
                    where,
                    "input",
                    exc.input,
                    "a linked background activity",
                    f"{exc.input} links to a Brightway background that is not linked; name its project "
                    "(brightway: {project: NAME} in the data file, or --project NAME)",
                )
        elif exc.input not in unreadable and UNREAD_CODES not in unreadable:
            out.add(
                where,
                "input",
                exc.input,
                "an activity, a flow or an indicator",
                f"no activity, flow or indicator '{exc.input}'",
                did_you_mean(exc.input, known, out),
            )
        out.skipped.add((consumer, n))
        return
    if isinstance(exc.amount, bool) or not isinstance(exc.amount, int | float | str):
        out.add(where, "amount", exc.amount, "a number, a quantity text or a formula")
    elif not_finite(str(exc.amount)):
        out.add(where, "amount", exc.amount, "a finite number")
    elif not is_number(exc.amount) and exc.uncertainty is not None and exc.uncertainty.is_uncertain:
        out.problems.append(formula_uncertainty(where, exc.uncertainty.name))
    elif is_number(exc.amount):
        _check_uncertainty(exc.uncertainty, float(exc.amount), where, out)
    if exc.unit:
        _unit(exc.unit, where, "unit", out)
    for name in ("lifetime", "utilisation"):
        value = getattr(exc, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | str)):
            out.add(where, name, value, "a number, a quantity text or a formula")
        elif value is not None and not_finite(str(value)):
            out.add(where, name, value, "a finite number")
    if len(out.problems) > before:
        out.skipped.add((consumer, n))


def _check_functional_unit(model: Model, out: RecordCheck, unreadable: set[str]) -> None:
    fu = model.functional_unit
    where = Place("functional_unit")
    if fu is None:
        if "<functional_unit>" not in unreadable:
            out.add(
                where,
                "",
                None,
                "the code of the activity the results answer for",
                "the model has no functional unit; expected {activity: CODE, amount: 1, unit: ...}",
            )
        return
    if fu.activity not in model.activities and not {fu.activity, UNREAD_CODES} & unreadable:
        out.add(
            where,
            "activity",
            fu.activity,
            "an activity of the model",
            f"no activity '{fu.activity}'",
            did_you_mean(fu.activity, model.activities, out),
        )
    if not (is_number(fu.amount) and math.isfinite(float(fu.amount)) and float(fu.amount) > 0):
        out.add(where, "amount", fu.amount, "a number > 0")
    if fu.unit:
        _unit(fu.unit, where, "unit", out)


@lru_cache(maxsize=4096)
def _unit_ok(text: str) -> bool:
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


def _unit(text: str, where: Place, field_name: str, out: RecordCheck) -> bool:
    try:
        parse_unit(text)
    except UnitError as exc:
        out.add_error(exc, where, field_name)
        return False
    return True


# -- what is read but deserves a warning -------------------------------------------------------
def duplicate_exchanges(model: Model) -> list[Problem]:
    """Exchanges that repeat an earlier one of the same activity exactly (input, amount, unit,
    lifetime, utilisation): both are counted, so the amounts add up, which a copied row
    does silently. Readers warn with them (:func:`lca.errors.warn`); they are not errors,
    since two equal uses of one input can be meant.
    """
    found = []
    for act in model.activities.values():
        seen: dict[tuple[str, ...], int] = {}
        for n, exc in enumerate(act.exchanges):
            key = tuple(repr(v) for v in (exc.input, exc.amount, exc.unit, exc.lifetime, exc.utilisation))
            first = seen.setdefault(key, n)
            if first != n:
                found.append(
                    Problem(
                        Place("exchange", act.code, n, exc.input),
                        f"the same input, amount and unit as exchange {first + 1} of '{act.code}'; both "
                        "are counted (their amounts add up): delete one if it is a copy",
                        field="input",
                        value=exc.input,
                    )
                )
    return found
