"""The inventory: parameters, activities, exchanges, flows and the functional unit.

These are plain records (ISO 14044 vocabulary): an :class:`Activity` produces one
reference product and exchanges amounts of other activities' products (technosphere)
and of elementary or pre-characterised flows (biosphere). Amounts are numbers with a
unit or formulas over :class:`Parameter` s. A :class:`Model` gathers them with a
:class:`FunctionalUnit` and can be seen as a networkx graph.

Nothing here converts units or solves anything: that is :mod:`lca.compile` and
:mod:`lca.solve`.

Examples
--------
>>> m = Model("tiny")
>>> _ = m.add_activity(Activity("grid", "electricity, FR", None, "kWh",
...                             exchanges=[Exchange("GWP", 0.057, "kg CO2 eq")]))
>>> _ = m.add_activity(Activity("job", "training job", "training", "run",
...                             exchanges=[Exchange("grid", 100, "kWh")]))
>>> m.functional_unit = FunctionalUnit("job", 1, "run")
>>> sorted(m.graph().edges())
[('GWP', 'grid'), ('grid', 'job')]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx
import numpy as np

from lca.errors import InventoryError
from lca.model.uncertainty import Uncertainty

#: Life-cycle phases, in life-cycle order.
PHASES = ("extraction", "manufacturing", "transport", "training", "deployment", "end_of_life")
#: What practitioners also call the phases (ISO 14044 and PEF life-cycle stages, SimaPro and
#: openLCA project names, ML usage), for "did you mean"; keys are lower case, words apart.
PHASE_SYNONYMS = {
    "raw materials": "extraction",
    "raw material acquisition": "extraction",
    "mining": "extraction",
    "production": "manufacturing",
    "manufacture": "manufacturing",
    "fabrication": "manufacturing",
    "embodied": "manufacturing",
    "distribution": "transport",
    "transportation": "transport",
    "shipping": "transport",
    "logistics": "transport",
    "train": "training",
    "fine tuning": "training",
    "use": "deployment",
    "usage": "deployment",
    "operation": "deployment",
    "inference": "deployment",
    "serving": "deployment",
    "disposal": "end_of_life",
    "end of life": "end_of_life",
    "eol": "end_of_life",
    "waste": "end_of_life",
    "recycling": "end_of_life",
}


def suggest_phase(text: str) -> str | None:
    """The phase a practitioner most likely meant by ``text``, or None.

    Case, ``-``/``_`` and a trailing "phase" or "stage" are ignored; synonyms
    (:data:`PHASE_SYNONYMS`) come before close spellings.

    Examples
    --------
    >>> suggest_phase("use"), suggest_phase("Use phase"), suggest_phase("disposal")
    ('deployment', 'deployment', 'end_of_life')
    >>> suggest_phase("production"), suggest_phase("end-of-life"), suggest_phase("trainig")
    ('manufacturing', 'end_of_life', 'training')
    >>> suggest_phase("banana") is None
    True
    """
    words = " ".join(str(text).casefold().replace("-", " ").replace("_", " ").split()[:8])
    words = re.sub(r"\s+(phase|stage)$", "", words)
    if words.replace(" ", "_") in PHASES:
        return words.replace(" ", "_")
    if words in PHASE_SYNONYMS:
        return PHASE_SYNONYMS[words]
    names = {p.replace("_", " "): p for p in PHASES} | PHASE_SYNONYMS
    close = difflib.get_close_matches(words[:40], list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


#: Label of activities that have no phase of their own (grid mixes, transport modes...):
#: their impacts are attributed to the phases of the activities that use them.
BACKGROUND = "background"

Amount = float | str  # a number (with a unit field) or a formula over parameters


@dataclass
class Parameter:
    """A named, unit-carrying, possibly uncertain quantity.

    Parameters
    ----------
    name : str
        A Python-style identifier used in formulas.
    amount : float or str
        The value (deterministic, central) or a formula over other parameters.
    unit : str
        Its unit, e.g. ``"year"``, ``"W"``, ``"kg CO2 eq"``; empty for dimensionless.
    uncertainty : Uncertainty, optional
        How it varies (bounds in ``unit``); fixed when None.
    source : str
        Where the value comes from (paper, table, page; dataset and version).
    comment : str
        Free text: assumptions, justification of the range.
    pedigree, basic_variance, minimum...: see :class:`Uncertainty`.
    """

    name: str
    amount: Amount
    unit: str = ""
    uncertainty: Uncertainty | None = None
    source: str = ""
    comment: str = ""


@dataclass
class Exchange:
    """An input of an activity, per its production amount.

    Parameters
    ----------
    input : str
        Code of the supplying activity, or of a flow (an indicator code is a
        pre-characterised flow: ``"GWP"`` with unit ``kg CO2 eq``).
    amount : float or str
        Number in ``unit``, or a formula over parameters whose result converts to ``unit``.
    unit : str
        Unit of ``amount``; must convert to the supplier's reference unit (or flow unit).
    uncertainty : Uncertainty, optional
        Spread of a numeric amount (bounds in ``unit``).
    lifetime, utilisation : float or str, optional
        Amortisation of hardware (BLOOM method): when given, the amount is a use time
        and the quantity consumed is ``amount / (lifetime * utilisation)``, a share of
        one item. ``lifetime`` is a formula or quantity text (``"6 year"``);
        ``utilisation`` a formula or number in (0, 1].
    source, comment : str
        Provenance and notes.
    """

    input: str
    amount: Amount
    unit: str = ""
    uncertainty: Uncertainty | None = None
    lifetime: Amount | None = None
    utilisation: Amount | None = None
    source: str = ""
    comment: str = ""

    @property
    def is_amortised(self) -> bool:
        """True when the amount is a use time amortised over a lifetime."""
        return self.lifetime is not None or self.utilisation is not None


@dataclass
class Activity:
    """A process with one reference product.

    Parameters
    ----------
    code : str
        Unique key used by exchanges.
    name : str
        Readable name, e.g. ``"A100 80GB GPU manufacturing"``.
    phase : str or None
        One of :data:`PHASES`, or None for a background activity (grid mix, transport
        mode) whose impacts go to the phases that use it.
    unit : str
        Reference product unit: ``"item"``, ``"kWh"``, ``"run"``, ``"request"``...
    exchanges : list of Exchange
        Inputs per ``production`` units of product.
    location : str
        Geography (ISO country code, cloud region...).
    production : float
        Reference output amount, in ``unit`` (usually 1).
    missing : tuple of str
        Indicator codes this activity's data does not cover: results on those
        indicators are flagged incomplete rather than silently zero.
    """

    code: str
    name: str
    phase: str | None = None
    unit: str = "unit"
    exchanges: list[Exchange] = field(default_factory=list)
    location: str = ""
    production: float = 1.0
    missing: tuple[str, ...] = ()
    source: str = ""
    comment: str = ""

    @property
    def phase_label(self) -> str:
        """The phase, or ``"background"``."""
        return self.phase or BACKGROUND


@dataclass
class Flow:
    """An elementary or pre-characterised flow, with its characterisation factors.

    Parameters
    ----------
    code : str
        Key used by exchanges.
    name : str
        Readable name, e.g. ``"methane, fossil"``.
    unit : str
        Unit of the flow amounts.
    factors : dict of str to float
        Characterisation factor per indicator code, in the indicator's unit per ``unit``.
    categories : tuple of str
        Compartment and sub-compartment of an elementary flow, e.g. ``("air", "urban air
        close to ground")``; with ``name`` (or ``uuid``) it names the flow in impact methods.
    uuid : str
        The ecoinvent / biosphere3 identifier of the elementary flow, when known.
    """

    code: str
    name: str
    unit: str
    factors: dict[str, float] = field(default_factory=dict)
    source: str = ""
    categories: tuple[str, ...] = ()
    uuid: str = ""

    @property
    def is_elementary(self) -> bool:
        """True when the flow names an elementary flow that impact methods characterise."""
        return bool(self.uuid or self.categories)


@dataclass
class FunctionalUnit:
    """The demand a result answers for: ``amount`` ``unit`` of activity ``activity``."""

    activity: str
    amount: float = 1.0
    unit: str = ""
    description: str = ""


@dataclass
class Model:
    """An inventory: activities, parameters, flows and a functional unit.

    ``info`` holds the report's free-text fields (goal, scope, need, second-order
    effects, climate card answers, sources); :mod:`lca.report` reads it.
    """

    name: str
    description: str = ""
    functional_unit: FunctionalUnit | None = None
    activities: dict[str, Activity] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    # -- building --------------------------------------------------------------------
    def add_activity(self, activity: Activity) -> Activity:
        """Add an activity; a duplicate code is an :class:`InventoryError`."""
        if activity.code in self.activities:
            raise InventoryError(f"activity code '{activity.code}' is used twice")
        self.activities[activity.code] = activity
        return activity

    def add_parameter(self, parameter: Parameter) -> Parameter:
        """Add a parameter; a duplicate name is an :class:`InventoryError`."""
        if parameter.name in self.parameters:
            raise InventoryError(f"parameter '{parameter.name}' is defined twice")
        self.parameters[parameter.name] = parameter
        return parameter

    def add_flow(self, flow: Flow) -> Flow:
        """Add a flow; a duplicate code is an :class:`InventoryError`."""
        if flow.code in self.flows:
            raise InventoryError(f"flow '{flow.code}' is defined twice")
        self.flows[flow.code] = flow
        return flow

    def activity(self, code: str) -> Activity:
        """The activity with this code; an unknown code suggests the closest."""
        try:
            return self.activities[code]
        except KeyError:
            raise InventoryError(f"no activity '{code}'{suggest(code, self.activities)}") from None

    # -- views -----------------------------------------------------------------------
    def graph(self) -> nx.DiGraph:
        """The inventory as a directed graph, suppliers -> consumers.

        Nodes are activity codes (``kind="activity"``, with ``name``, ``phase``,
        ``unit``) and flow codes used by exchanges (``kind="flow"``). An edge carries
        the exchange (``amount``, ``unit``, ``exchange``). Loops in the technosphere are
        cycles of this graph.
        """
        graph = nx.DiGraph(name=self.name)
        for act in self.activities.values():
            graph.add_node(
                act.code,
                kind="activity",
                name=act.name,
                phase=act.phase_label,
                unit=act.unit,
                location=act.location,
            )
        for act in self.activities.values():
            for exc in act.exchanges:
                if exc.input not in graph:
                    graph.add_node(exc.input, kind="flow", name=exc.input, phase=None, unit=exc.unit)
                graph.add_edge(exc.input, act.code, amount=exc.amount, unit=exc.unit, exchange=exc)
        return graph

    def phases(self) -> list[str]:
        """Phases that have at least one activity, in life-cycle order."""
        used = {a.phase for a in self.activities.values()}
        return [p for p in PHASES if p in used]


def is_link(text: str) -> bool:
    """True for an exchange input that links to a background activity of a Brightway project
    (the canonical text of ``{database, code}`` or ``{name, reference product, location}``,
    see :mod:`lca.io.bw_links`), resolved by :func:`lca.io.bw_import.link_background`."""
    return isinstance(text, str) and text.startswith("{")


#: Problems of one input that get a "did you mean" (each search looks at every known name).
MAX_HINTS = 100
_FEW = 200  #: up to this many known names, difflib compares the name with each
_EVALUATED = 500  #: at most this many full comparisons per search in a long list


def suggest(name: str, known: Any) -> str:
    """``"; did you mean 'x'?"`` for the closest known name, or ``""``.

    The closest name is difflib's (``get_close_matches(name, known, n=1, cutoff=0.6)``);
    in a long list the names are first ranked by an upper bound of difflib's ratio (the
    characters they share), so that only the few that could be closest are compared.

    Examples
    --------
    >>> suggest("trainnig", ["training", "deployment"])
    "; did you mean 'training'?"
    >>> codes = [f"server_{i:05d}" for i in range(20_000)]
    >>> suggest("servr_01234", codes)
    "; did you mean 'server_01234'?"
    """
    names = tuple(str(k) for k in known)
    word = str(name)
    if len(names) <= _FEW:
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
        return f"; did you mean '{close[0]}'?" if close else ""
    found = _closest(word, _Index.of(names))
    return f"; did you mean '{found}'?" if found else ""


@dataclass(frozen=True)
class _Index:
    """Character counts of many names (code points folded onto 128 columns)."""

    names: tuple[str, ...]
    counts: Any  # numpy int32 array, names x 128
    lengths: Any

    @staticmethod
    @lru_cache(maxsize=4)  # the few lists one check searches (activities, parameters...)
    def of(names: tuple[str, ...]) -> _Index:
        counts = np.zeros((len(names), 128), dtype=np.int32)
        for row, text in enumerate(names):
            counts[row] = _counts(text)
        return _Index(names, counts, counts.sum(axis=1))


def _counts(text: str) -> Any:
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) % 128
    return np.bincount(points, minlength=128)


def _closest(word: str, index: _Index, cutoff: float = 0.6) -> str | None:
    """difflib's closest name of ``index`` to ``word``, comparing names by decreasing bound.

    ``2 x shared characters / total length`` bounds difflib's ratio from above (folding code
    points only raises it), so once the bound of the next name is below the best ratio found,
    no later name can beat it.
    """
    shared = np.minimum(index.counts, _counts(word)).sum(axis=1)
    total = index.lengths + len(word)
    bound = np.where(total > 0, 2.0 * shared / np.maximum(total, 1), 1.0)
    order = np.argsort(-bound, kind="stable")
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for i in order[:_EVALUATED]:
        if bound[i] < cutoff or (best is not None and bound[i] < best[0]):
            break
        matcher.set_seq1(index.names[i])
        score = (matcher.ratio(), index.names[i])
        if score[0] >= cutoff and (best is None or score > best):
            best = score
    return None if best is None else best[1]
