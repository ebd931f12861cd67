"""A Brightway project for the tests, in a temporary folder (no network, nothing in $HOME).

``BRIGHTWAY2_DIR`` must be set before bw2data is first imported: :func:`brightway_dir` does
that and checks that bw2data took it.

The background database ``bg`` is written here: electricity (FR) and coal supply each
other (a loop), electricity sends ash to a waste treatment (Brightway's negative production
and negative input), steel uses both; the elementary flows are biosphere3 flows, so the
packaged methods characterise them. Amounts carry lognormal, normal, uniform and
triangular uncertainties.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from lca.methods import DEFAULT_METHODS

PROJECT = "lca-tests"
EF_ACID = ("EF v3.1", "acidification", "accumulated exceedance (AE)")
IPCC_GWP100 = DEFAULT_METHODS["GWP"]
CO2 = ("biosphere3", "349b29d1-3e58-4c66-98b9-9d1a076efd2e")  # Carbon dioxide, fossil, air
CH4 = ("biosphere3", "0795345f-c7ae-410c-ad25-1845784c75f5")  # Methane, fossil, air
SO2 = ("biosphere3", "fd7aa71c-508c-480d-81a6-8052aad92646")  # Sulfur dioxide, air
RIVER = ("biosphere3", "8c75e7ab-8ab8-41e4-b394-c166ff5b050d")  # Water, river (resource)
COPPER = ("biosphere3", "a9ac40a0-9bea-4c48-afa7-66aa6eb90624")  # Copper, in ground
COAL = ("biosphere3", "b6d0042d-0ef8-49ed-9162-a07ff1ccf750")  # Coal, hard, unspecified


def brightway_dir(folder: Path):
    """Point bw2data at ``folder`` and import it; returns the bw2data module."""
    os.environ["BRIGHTWAY2_DIR"] = str(folder)
    import bw2data

    base = Path(bw2data.projects._base_data_dir).resolve()
    if base != folder.resolve():  # bw2data was imported before: move it
        bw2data.projects.change_base_directories(folder)
    assert Path(bw2data.projects._base_data_dir).resolve() == folder.resolve()
    return bw2data


def _lognormal(amount: float, gsd: float) -> dict:
    return {
        "uncertainty type": 2,
        "loc": math.log(abs(amount)),
        "scale": math.log(gsd),
        "negative": amount < 0,
    }


def background() -> dict:
    """The ``bg`` database, as bw2data's ``Database.write`` takes it."""
    return {
        ("bg", "elec"): {
            "name": "electricity production",
            "reference product": "electricity",
            "unit": "kilowatt hour",
            "location": "FR",
            "exchanges": [
                {"input": ("bg", "elec"), "amount": 1.0, "type": "production"},
                {"input": ("bg", "coal"), "amount": 0.1, "type": "technosphere", **_lognormal(0.1, 1.2)},
                {"input": ("bg", "ash"), "amount": -0.01, "type": "technosphere", **_lognormal(-0.01, 1.1)},
                {
                    "input": CO2,
                    "amount": 0.05,
                    "type": "biosphere",
                    "uncertainty type": 3,
                    "loc": 0.05,
                    "scale": 0.005,
                },
                {"input": SO2, "amount": 2e-4, "type": "biosphere"},
                {
                    "input": RIVER,
                    "amount": 0.002,
                    "type": "biosphere",
                    "uncertainty type": 5,
                    "loc": 0.002,
                    "minimum": 0.001,
                    "maximum": 0.004,
                },
            ],
        },
        ("bg", "coal"): {
            "name": "hard coal mine operation",
            "reference product": "hard coal",
            "unit": "kilogram",
            "location": "GLO",
            "exchanges": [
                {"input": ("bg", "coal"), "amount": 1.0, "type": "production"},
                {
                    "input": ("bg", "elec"),
                    "amount": 0.2,
                    "type": "technosphere",
                    "uncertainty type": 4,
                    "minimum": 0.15,
                    "maximum": 0.25,
                },
                {"input": COAL, "amount": 1.05, "type": "biosphere"},
                {"input": CH4, "amount": 0.003, "type": "biosphere", **_lognormal(0.003, 1.5)},
                {"input": CO2, "amount": 2.0, "type": "biosphere"},
            ],
        },
        ("bg", "ash"): {
            "name": "treatment of ash, landfill",
            "reference product": "ash",
            "unit": "kilogram",
            "location": "GLO",
            "exchanges": [
                {"input": ("bg", "ash"), "amount": -1.0, "type": "production"},
                {"input": ("bg", "elec"), "amount": 0.05, "type": "technosphere"},
                {"input": CO2, "amount": 0.3, "type": "biosphere"},
            ],
        },
        ("bg", "steel"): {
            "name": "steel production",
            "reference product": "steel",
            "unit": "kilogram",
            "location": "RER",
            "exchanges": [
                {"input": ("bg", "steel"), "amount": 1.0, "type": "production"},
                {"input": ("bg", "elec"), "amount": 3.0, "type": "technosphere", **_lognormal(3.0, 1.1)},
                {"input": ("bg", "coal"), "amount": 0.5, "type": "technosphere"},
                {"input": ("bg", "ash"), "amount": -0.2, "type": "technosphere"},
                {"input": COPPER, "amount": 0.001, "type": "biosphere"},
                {"input": CO2, "amount": 0.4, "type": "biosphere"},
            ],
        },
    }


#: Links a BLOOM foreground makes to the background (added to datasets/cases/bloom.yaml's
#: activities in the tests): (activity, link, amount, unit)
BLOOM_LINKS = [
    ("node_manufacturing", {"database": "bg", "code": "steel"}, 25.0, "kg"),  # chassis steel
    ("node_manufacturing", {"database": "bg", "code": "ash"}, 2.0, "kg"),  # waste sent to treatment
    (
        "training_idle",
        {"name": "electricity production", "reference product": "electricity", "location": "FR"},
        1000.0,
        "kWh",
    ),
]
