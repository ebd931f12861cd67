"""Hardware and energy building blocks: embodied amortisation, power to energy, water.

Formulas (sources in docs/methodology.md):

* Embodied share of a job (Luccioni et al. 2023, section 4.1):
  ``share = E * t / (L * u)`` for an embodied impact E, a use time t, a lifetime L and a
  utilisation rate u in (0, 1].
* Energy from power (Green Algorithms, Lannelongue et al. 2021):
  ``E = (n_gpu * P_gpu * load + n_cpu * P_cpu + P_mem * mem) * t * PUE``.
* On-site water: ``W = E_IT * WUE`` (WUE in L/kWh of IT energy, The Green Grid 2011).

The functions work on pint quantities and return quantities; the builders add the same
formulas to a :class:`~lca.model.records.Model` as activities and exchanges.

Examples
--------
>>> from lca.units import Q_
>>> share = embodied_share(Q_(150, "kg CO2 eq"), Q_(1_082_990, "h"), Q_(6, "year"), 0.85)
>>> round(share.to("t CO2 eq").magnitude, 3)
3.636
"""

from __future__ import annotations

from collections.abc import Mapping

import pint

from lca.errors import InventoryError
from lca.model.records import Activity, Exchange, Model
from lca.units import Q_, conversion_factor, ureg


def check_lifetime(lifetime: pint.Quantity, field: str = "lifetime") -> pint.Quantity:
    """Return ``lifetime`` if it is a positive time, else raise naming ``field``."""
    conversion_factor(lifetime, ureg.year, field)
    if not lifetime.magnitude > 0:
        raise InventoryError(f"{field}: {lifetime:~P} must be > 0")
    return lifetime


def check_fraction(value: float | pint.Quantity, field: str) -> float:
    """Return ``value`` as a float if it lies in (0, 1], else raise naming ``field``."""
    number = float(value.to("dimensionless").magnitude) if isinstance(value, pint.Quantity) else float(value)
    if not 0 < number <= 1:
        raise InventoryError(f"{field}: {number:g} is outside (0, 1]")
    return number


def embodied_share(
    embodied: pint.Quantity, use_time: pint.Quantity, lifetime: pint.Quantity, utilisation: float
) -> pint.Quantity:
    """Share of an embodied impact allocated to a job: ``E * t / (L * u)``.

    Parameters
    ----------
    embodied : Quantity
        Embodied impact of one item (e.g. kg CO2 eq).
    use_time : Quantity
        Time the job uses the item (h); item-hours for several items.
    lifetime : Quantity
        Service life of the item (year), > 0.
    utilisation : float
        Share of its life the item is busy, in (0, 1].
    """
    check_lifetime(lifetime)
    u = check_fraction(utilisation, "utilisation")
    return (embodied * use_time / (lifetime * u)).to(embodied.units)


def use_energy(
    power: pint.Quantity, time: pint.Quantity, pue: float = 1.0, load: float = 1.0
) -> pint.Quantity:
    """Facility energy of a load: ``power * load * time * PUE`` (kWh).

    ``pue`` must be >= 1 and ``load`` in [0, 1].
    """
    if not pue >= 1:
        raise InventoryError(f"PUE: {pue:g} must be >= 1 (facility energy / IT energy)")
    if not 0 <= load <= 1:
        raise InventoryError(f"load: {load:g} is outside [0, 1]")
    return (power * load * time * pue).to("kWh")


def green_algorithms_energy(
    time: pint.Quantity,
    *,
    n_gpu: int = 0,
    gpu_power: pint.Quantity | None = None,
    gpu_load: float = 1.0,
    n_cpu: int = 0,
    cpu_power: pint.Quantity | None = None,
    memory: pint.Quantity | None = None,
    memory_power: pint.Quantity | None = None,
    pue: float = 1.67,
) -> pint.Quantity:
    """Energy in the Green Algorithms form (Lannelongue et al. 2021).

    ``E = (n_gpu * P_gpu * load + n_cpu * P_cpu + P_mem * memory) * t * PUE``; the
    memory power (0.3725 W/GB when None) and PUE (1.67) defaults are theirs.
    """
    gpu_power = Q_(0, "W") if gpu_power is None else gpu_power
    cpu_power = Q_(0, "W") if cpu_power is None else cpu_power
    memory = Q_(0, "GB") if memory is None else memory
    memory_power = Q_(0.3725, "W/GB") if memory_power is None else memory_power
    power = n_gpu * gpu_power * gpu_load + n_cpu * cpu_power + memory_power * memory
    return use_energy(power, time, pue)


def onsite_water(it_energy: pint.Quantity, wue: pint.Quantity) -> pint.Quantity:
    """On-site cooling water: IT energy x WUE (L)."""
    return (it_energy * wue).to("L")


# -- builders: the same formulas as inventory records ----------------------------------------
def add_grid_mix(
    model: Model,
    code: str,
    factors: Mapping[str, pint.Quantity | str],
    location: str = "",
    source: str = "",
    name: str | None = None,
) -> Activity:
    """Add ``electricity, <location>``: 1 kWh with one factor per indicator.

    ``factors`` maps indicator codes to per-kWh quantities, e.g.
    ``{"GWP": Q_(57, "g CO2 eq/kWh")}``.
    """
    exchanges = []
    for indicator, factor in factors.items():
        q = Q_(factor) if isinstance(factor, str) else factor
        per_kwh = q * Q_(1, "kWh")
        exchanges.append(Exchange(indicator, float(per_kwh.magnitude), f"{per_kwh.units}", source=source))
    return model.add_activity(
        Activity(
            code,
            name or f"electricity, {location or code}",
            None,
            "kWh",
            exchanges,
            location=location,
            source=source,
        )
    )


def hardware_use(
    hardware: str,
    use_time: float | str,
    unit: str = "h",
    *,
    lifetime: float | str = "lifetime",
    utilisation: float | str = "utilisation",
    source: str = "",
) -> Exchange:
    """An exchange that amortises one ``hardware`` item over its lifetime and utilisation."""
    return Exchange(hardware, use_time, unit, lifetime=lifetime, utilisation=utilisation, source=source)
