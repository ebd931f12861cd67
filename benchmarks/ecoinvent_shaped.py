"""A synthetic background database shaped like ecoinvent, with BLOOM's foreground linked to it.

Generated reproducibly from a seed (nothing is shipped): the *shape* of ecoinvent 3.x, not its
data. Every number of the background is synthetic; the foreground's parameters are those of the
shipped BLOOM case (``datasets/cases/bloom.yaml``, Luccioni, Viguier & Ligozat 2023).

Shape (defaults, 20,000 activities):

- **three parts**: upstream activities (extraction and basic supply: they use only upstream
  activities before them, so they are acyclic), a strongly connected **core** (electricity,
  transport, heat, metals and chemicals supplying each other; 6,000 activities) and downstream
  activities (products that nothing in the core uses: they use the core, upstream activities
  and downstream activities before them);
- the core is made of **sectors** of about 60 activities (each a cycle, plus random inputs
  inside the sector and from its neighbouring sectors) and about 1% **hubs** (markets such as
  electricity and transport) used by almost every activity, each hub buying from many
  sectors: every activity reaches every other, so the core is one strongly connected block;
- about **15 technosphere inputs** (upstream 8, core 16, downstream 17 on average) and **30
  biosphere flows** per activity, drawn from a few thousand elementary flows with a skewed
  popularity (a few flows, such as CO2, in almost every activity);
- coefficients ``T[i, j] = w[i, j] s[j] / s[i]``: ``s`` a per-activity scale spread over
  orders of magnitude (as amounts are in physical units) and ``w`` value shares whose column
  sums (inputs per unit of output, in value) are between 0.3 and 0.9. ``T`` is similar to
  ``w`` (``D^-1 w D``), so its spectral radius is that of ``w``, below 1: the Neumann series
  ``I + T + T^2 + ...`` converges geometrically, as in real databases;
- a lognormal uncertainty on every exchange, GSD between 1.05 and 2 (``ln GSD`` uniform);
- about 50 distinct unit texts: each exchange is written in a unit that converts to its
  supplier's reference unit (``g``, ``t``, ``MWh``, ``GJ``, ``L``, ``ha``, ``kg*km``...);
- the foreground: BLOOM's activities and parameters (amortised GPU and node, dynamic and idle
  training energy, deployment, requests) with its electricity taken from two core hubs
  (``electricity_fr``, ``electricity_us``) and its GPU and node pulled from two downstream
  hardware activities (``gpu_production``, ``server_production``).

Examples
--------
>>> model = build_model(activities=300, core=120, seed=1)
>>> background = [a for a in model.activities.values() if a.phase is None]
>>> len(model.activities), len(background) >= 300
(308, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lca.model.records import Activity, Exchange, Flow, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import LOGNORMAL, Uncertainty

INDICATORS = ("GWP", "ADP", "PE", "WATER")
SECTOR = 60  # activities per core sector
WINDOW = 40  # suppliers of an acyclic activity are among the WINDOW activities before it
#: Reference units of the activities and the unit texts their exchanges may be written in
#: (each converts to its reference unit). 50 texts in all.
UNIT_TEXTS = {
    "kg": ("kg", "g", "t", "mg", "tonne", "lb", "kilogram", "ug", "ng"),
    "kWh": ("kWh", "MWh", "Wh", "GWh", "kW*h", "W*h"),
    "MJ": ("MJ", "GJ", "kJ", "TJ"),
    "m**3": ("m**3", "L", "dm**3", "cm**3", "mL", "m^3", "hL"),
    "m**2": ("m**2", "km**2", "ha", "cm**2", "dm**2"),
    "t*km": ("t*km", "kg*km", "tonne*km", "t*mi", "kg*mi"),
    "unit": ("unit", "item", "dimensionless"),
    "km": ("km", "m", "mi", "cm"),
    "m**2*year": ("m**2*year", "ha*year", "m**2*day", "km**2*year"),
}
FLOW_UNITS = {"kg": ("kg", "g", "mg"), "m**3": ("m**3", "L"), "MJ": ("MJ",), "kBq": ("kBq", "Bq", "MBq")}
_REF_UNITS = tuple(UNIT_TEXTS)
_FACTOR = {  # exact conversion factors of each text to its reference unit
    "g": 1e-3, "t": 1e3, "mg": 1e-6, "tonne": 1e3, "lb": 0.45359237, "ug": 1e-9, "ng": 1e-12,
    "MWh": 1e3, "Wh": 1e-3, "GWh": 1e6, "W*h": 1e-3, "GJ": 1e3, "kJ": 1e-3, "TJ": 1e6,
    "L": 1e-3, "dm**3": 1e-3, "cm**3": 1e-6, "mL": 1e-6, "hL": 0.1, "km**2": 1e6, "ha": 1e4,
    "cm**2": 1e-4, "dm**2": 1e-2, "kg*km": 1e-3, "t*mi": 1.609344, "kg*mi": 1.609344e-3,
    "m": 1e-3, "mi": 1.609344, "cm": 1e-5, "ha*year": 1e4, "m**2*day": 1 / 365,
    "km**2*year": 1e6, "Bq": 1e-3, "MBq": 1e3,
}  # fmt: skip


@dataclass(frozen=True)
class Background:
    """The background as arrays (canonical units: each supplier's reference unit, flow units).

    ``tech_*`` are the technosphere inputs (``amount`` of product ``row`` used per unit of
    activity ``col``, positive), ``bio_*`` the elementary flows; ``*_gsd`` their geometric
    standard deviations; ``characterisation`` is indicators x flows.
    """

    codes: tuple[str, ...]
    units: tuple[str, ...]
    core: np.ndarray  # indices of the strongly connected core
    tech_rows: np.ndarray
    tech_cols: np.ndarray
    tech_amounts: np.ndarray
    tech_gsd: np.ndarray
    tech_texts: np.ndarray  # index into the unit texts of the supplier's reference unit
    bio_rows: np.ndarray
    bio_cols: np.ndarray
    bio_amounts: np.ndarray
    bio_gsd: np.ndarray
    bio_texts: np.ndarray
    flow_codes: tuple[str, ...]
    flow_units: tuple[str, ...]
    characterisation: np.ndarray


def background_arrays(activities: int = 20000, core: int = 6000, seed: int = 0) -> Background:
    """The ecoinvent-shaped background (no foreground), reproducible from ``seed``."""
    if not 2 * SECTOR <= core < activities:
        raise ValueError(f"core is {core}, expected {2 * SECTOR} <= core < activities ({activities})")
    rng = np.random.default_rng(seed)
    n = activities
    n_up = (n - core) // 4
    up = np.arange(n_up)
    mid = np.arange(n_up, n_up + core)
    n_hubs = max(4, core // 100)
    hubs = mid[:n_hubs]
    members = mid[n_hubs:]
    n_sectors = max(2, len(members) // SECTOR)
    sector = np.arange(len(members)) * n_sectors // len(members)
    start = np.searchsorted(sector, np.arange(n_sectors))
    size = np.diff(np.append(start, len(members)))

    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []

    def add(consumer: np.ndarray, supplier: np.ndarray) -> None:
        rows.append(np.asarray(supplier, dtype=np.int64))
        cols.append(np.asarray(consumer, dtype=np.int64))

    def pick(consumers: np.ndarray, mean: float, low: np.ndarray, high: np.ndarray) -> None:
        """Poisson(mean) suppliers per consumer, uniform in [low, high) of an index range."""
        count = rng.poisson(mean, len(consumers))
        consumer = np.repeat(consumers, count)
        lo, hi = np.repeat(low, count), np.repeat(high, count)
        ok = hi > lo
        supplier = lo + np.floor(rng.random(len(consumer)) * (hi - lo)).astype(np.int64)
        add(consumer[ok], supplier[ok])

    hub_popularity = 1.0 / (np.arange(n_hubs) + 1.0)  # a few hubs (electricity) used by most
    hub_popularity /= hub_popularity.sum()

    def use_hubs(consumers: np.ndarray, mean: float) -> None:
        count = rng.poisson(mean, len(consumers))
        add(np.repeat(consumers, count), rng.choice(hubs, size=int(count.sum()), p=hub_popularity))

    # upstream: acyclic, from the WINDOW upstream activities before each (supply chains)
    pick(up[1:], 8.0, np.maximum(up[1:] - WINDOW, 0), up[1:])
    # core: every activity buys from hubs (markets such as electricity and transport); the
    # other activities form sectors, each a supply chain (members buy from earlier members of
    # the sector and of earlier sectors); each sector sells to hubs: every loop goes through
    # a hub, and every activity is in the loop (the core is strongly connected)
    use_hubs(mid, 4.0)
    s_of = sector
    first = members[0] + start[s_of]
    pos = members - first
    chained = pos > 0
    add(members[chained], members[chained] - 1)  # the sector's chain
    pick(members[chained], 4.0, first[chained], members[chained])
    earlier = np.maximum(s_of - 3, 0)
    pick(members, 2.0, members[0] + start[earlier], first)
    place = (np.arange(core) * n_up) // core
    pick(mid, 3.0, np.maximum(place - WINDOW, 0), np.maximum(place, 1))
    last = members[0] + start + size - 1
    add(hubs[np.arange(n_sectors) % n_hubs], last)
    pick(hubs, 20.0, np.full(n_hubs, members[0]), np.full(n_hubs, members[-1] + 1))
    # downstream: acyclic; hubs, one sector of the core, upstream and downstream activities
    # just before each (product chains)
    down = np.arange(n_up + core, n)
    use_hubs(down, 4.0)
    home = np.minimum(
        ((down - down[0]) * n_sectors) // len(down) + rng.integers(0, 2, len(down)), n_sectors - 1
    )
    pick(down, 4.0, members[0] + start[home], members[0] + start[home] + size[home])
    place = ((down - down[0]) * n_up) // len(down)
    pick(down, 3.0, np.maximum(place - WINDOW, 0), np.maximum(place, 1))
    pick(down, 6.0, np.maximum(down - WINDOW, n_up + core), down)

    tech_rows = np.concatenate(rows)
    tech_cols = np.concatenate(cols)
    keep = tech_rows != tech_cols
    pairs = np.unique(tech_cols[keep] * n + tech_rows[keep])  # one exchange per (consumer, supplier)
    tech_cols, tech_rows = pairs // n, pairs % n
    units = [_REF_UNITS[k] for k in rng.choice(len(_REF_UNITS), size=n, p=_unit_weights())]
    units[int(hubs[0])] = units[int(hubs[1])] = "kWh"  # the electricity markets
    units[-2] = units[-1] = "unit"  # the GPU and the server
    tech_amounts = _coefficients(rng, n, tech_rows, tech_cols)
    tech_gsd = _gsd(rng, len(tech_rows))
    tech_texts = np.array([_text(rng, units[i]) for i in tech_rows.tolist()])

    flow_codes, flow_units, characterisation, popularity = _flows(rng, max(50, 3 * n // 20))
    per = rng.poisson(34.0, n) + 1
    bio_cols = np.repeat(np.arange(n), per)
    bio_rows = rng.choice(len(flow_codes), size=len(bio_cols), p=popularity)
    pairs = np.unique(bio_cols * len(flow_codes) + bio_rows)
    bio_cols, bio_rows = pairs // len(flow_codes), pairs % len(flow_codes)
    scale = np.exp(rng.normal(0.0, 2.0, n))  # per-activity magnitude of its emissions
    bio_amounts = scale[bio_cols] * np.exp(rng.normal(-4.0, 2.0, len(bio_cols)))
    bio_gsd = _gsd(rng, len(bio_cols))
    bio_texts = np.array([_text(rng, flow_units[k], FLOW_UNITS) for k in bio_rows.tolist()])
    codes = _codes(n, n_up, core, hubs)
    return Background(
        codes, tuple(units), mid, tech_rows, tech_cols, tech_amounts, tech_gsd, tech_texts,
        bio_rows, bio_cols, bio_amounts, bio_gsd, bio_texts, flow_codes, flow_units, characterisation,
    )  # fmt: skip


def _codes(n: int, n_up: int, core: int, hubs: np.ndarray) -> tuple[str, ...]:
    codes = [f"up{j}" for j in range(n_up)] + [f"core{j}" for j in range(core)]
    codes += [f"down{j}" for j in range(n - n_up - core)]
    codes[int(hubs[0])], codes[int(hubs[1])] = "electricity_fr", "electricity_us"
    codes[-2], codes[-1] = "gpu_production", "server_production"
    return tuple(codes)


def _coefficients(rng: np.random.Generator, n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``T[i, j] = w[i, j] s[j] / s[i]``: value shares with column sums in [0.3, 0.9]."""
    scale = np.exp(rng.normal(0.0, 1.2, n))
    raw = rng.lognormal(0.0, 1.0, len(rows))
    total = np.bincount(cols, weights=raw, minlength=n)
    share = rng.uniform(0.3, 0.9, n)
    w = raw / total[cols] * share[cols]
    return w * scale[cols] / scale[rows]


def _unit_weights() -> np.ndarray:
    weights = np.array([40, 10, 12, 8, 5, 6, 12, 3, 4], dtype=float)  # kg most common
    return weights / weights.sum()


def _gsd(rng: np.random.Generator, count: int) -> np.ndarray:
    return np.exp(rng.uniform(math.log(1.05), math.log(2.0), count))


def _text(rng: np.random.Generator, ref: str, table: dict[str, tuple[str, ...]] = UNIT_TEXTS) -> int:
    """Index of a unit text for an amount in ``ref``: the reference text half of the time."""
    texts = table[ref]
    return 0 if rng.random() < 0.5 else int(rng.integers(len(texts)))


def _flows(
    rng: np.random.Generator, count: int
) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray, np.ndarray]:
    """Elementary flows, their characterisation factors and their popularity (Zipf-like)."""
    kinds = rng.choice(4, size=count, p=[0.75, 0.1, 0.1, 0.05])
    units = tuple(("kg", "m**3", "MJ", "kBq")[k] for k in kinds)
    codes = tuple(f"flow{k}" for k in range(count))
    c = np.zeros((len(INDICATORS), count))
    mass = kinds == 0
    ghg = mass & (rng.random(count) < 0.05)
    c[0, ghg] = rng.lognormal(2.0, 2.0, int(ghg.sum()))
    c[0, 0] = 1.0  # flow0 is CO2-like, the most common flow
    res = mass & (rng.random(count) < 0.1)
    c[1, res] = rng.lognormal(-8.0, 3.0, int(res.sum()))
    c[2, kinds == 2] = 1.0
    water = kinds == 1
    c[3, water] = 1000.0 * rng.uniform(0.1, 1.0, int(water.sum()))  # L per m3
    popularity = 1.0 / (np.arange(count) + 5.0) ** 1.2
    return codes, units, c, popularity / popularity.sum()


# -- the model ------------------------------------------------------------------------------
def build_model(activities: int = 20000, core: int = 6000, seed: int = 0, uncertain: str = "all") -> Model:
    """The background as :class:`~lca.model.records.Model` activities (phase None) and BLOOM on top.

    Parameters
    ----------
    activities, core : int
        Number of background activities and of the strongly connected core among them.
    seed : int
        Everything is drawn from it: the same seed gives the same system.
    uncertain : {"all", "foreground"}
        ``"all"``: a lognormal on every background exchange and BLOOM's parameter
        distributions; ``"foreground"``: the background's exchanges are fixed.
    """
    if uncertain not in ("all", "foreground"):
        raise ValueError(f"uncertain is '{uncertain}', expected 'all' or 'foreground'")
    bg = background_arrays(activities, core, seed)
    model = Model(f"ecoinvent-shaped-{activities}-{core}-seed{seed}")
    model.info["indicators"] = list(INDICATORS)
    for k, code in enumerate(bg.flow_codes):
        factors = {ind: float(bg.characterisation[i, k]) for i, ind in enumerate(INDICATORS)}
        model.add_flow(Flow(code, f"elementary flow {k}", bg.flow_units[k], factors))
    exchanges: list[list[Exchange]] = [[] for _ in bg.codes]
    with_unc = uncertain == "all"
    _exchanges(exchanges, bg.codes, bg.tech_rows, bg.tech_cols, bg.tech_amounts, bg.tech_gsd,
               [UNIT_TEXTS[bg.units[i]][t] for i, t in zip(bg.tech_rows.tolist(), bg.tech_texts.tolist(), strict=True)],
               with_unc)  # fmt: skip
    _exchanges(exchanges, bg.flow_codes, bg.bio_rows, bg.bio_cols, bg.bio_amounts, bg.bio_gsd,
               [FLOW_UNITS[bg.flow_units[k]][t] for k, t in zip(bg.bio_rows.tolist(), bg.bio_texts.tolist(), strict=True)],
               with_unc)  # fmt: skip
    for j, code in enumerate(bg.codes):
        model.add_activity(Activity(code, f"background activity {code}", None, bg.units[j], exchanges[j]))
    _foreground(model)
    return model


def _exchanges(
    out: list[list[Exchange]],
    inputs: tuple[str, ...],
    rows: np.ndarray,
    cols: np.ndarray,
    amounts: np.ndarray,
    gsd: np.ndarray,
    texts: list[str],
    uncertain: bool,
) -> None:
    """Exchanges written in their unit text, the amount converted so the matrix holds ``amounts``."""
    for i, j, value, g, text in zip(
        rows.tolist(), cols.tolist(), amounts.tolist(), gsd.tolist(), texts, strict=True
    ):
        amount = value / _FACTOR.get(text, 1.0)
        unc = Uncertainty(LOGNORMAL, loc=math.log(amount), scale=math.log(g)) if uncertain else None
        out[j].append(Exchange(inputs[i], amount, text, unc))


def _foreground(model: Model) -> None:
    """BLOOM's activities, with electricity and hardware from the background."""
    import lca

    bloom = lca.bloom()
    for name in ("gpu_hours", "gpus_per_node", "lifetime", "utilisation", "gpu_tdp", "idle_energy",
                 "idle_ratio", "deployment_energy", "requests"):  # fmt: skip
        p = bloom.parameters[name]
        model.add_parameter(Parameter(p.name, p.amount, p.unit, p.uncertainty, p.source))
    fg = [
        Activity("a100_manufacturing", "A100 GPU, from the background", "manufacturing", "item",
                 [Exchange("gpu_production", 1, "unit")]),
        Activity("node_manufacturing", "node without GPUs, from the background", "manufacturing", "item",
                 [Exchange("server_production", 1, "unit")]),
        Activity("training_dynamic", "training, dynamic energy", "training", "run",
                 [Exchange("electricity_fr", "gpu_hours * gpu_tdp", "kWh")]),
        Activity("training_idle", "training, idle and infrastructure energy", "training", "run",
                 [Exchange("electricity_fr", "gpu_hours * gpu_tdp * idle_ratio", "kWh")]),
        Activity("bloom_training", "BLOOM training run", "training", "run", [
            Exchange("training_dynamic", 1, "run"), Exchange("training_idle", 1, "run"),
            Exchange("a100_manufacturing", "gpu_hours", "h", lifetime="lifetime", utilisation="utilisation"),
            Exchange("node_manufacturing", "gpu_hours / gpus_per_node", "h", lifetime="lifetime",
                     utilisation="utilisation"),
        ]),
        Activity("bloom_deployment", "BLOOM API deployment, 18 days", "deployment", "unit",
                 [Exchange("electricity_us", "deployment_energy", "kWh")]),
        Activity("bloom_request", "one request (deployment share)", "deployment", "request",
                 [Exchange("bloom_deployment", "1 / requests", "unit")]),
        Activity("bloom_life_cycle", "BLOOM trained once and served for 18 days", None, "unit",
                 [Exchange("bloom_training", 1, "run"), Exchange("bloom_deployment", 1, "unit")]),
    ]  # fmt: skip
    for activity in fg:
        model.add_activity(activity)
    model.functional_unit = FunctionalUnit("bloom_life_cycle", 1, "unit")
