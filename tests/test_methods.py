"""Impact methods over elementary flows: bw2io's packaged ecoinvent 3.9 LCIA implementation.

The factors quoted below are those of the ecoinvent 3.9 LCIA implementation as bw2io 0.9.17
ships it; each test reads them back from that data before using them, so the hand
calculation and the data it relies on are both checked.
"""

from __future__ import annotations

import math

import pytest

pytest.importorskip("bw2io")

import lca
from lca.errors import DataNotFound, InputFileError
from lca.io.datafile import model_from_dict, model_to_dict
from lca.methods import (
    DEFAULT_METHODS,
    elementary_flows,
    impact_category,
    method_names,
    read_methods,
    search_methods,
)

EF_ACID = ("EF v3.1", "acidification", "accumulated exceedance (AE)")
IPCC_GWP100 = ("IPCC 2021", "climate change", "global warming potential (GWP100)")
IPCC_GWP20 = ("IPCC 2021", "climate change", "global warming potential (GWP20)")
#: biosphere3 UUIDs of the flows used (ecoinvent 3.9 elementary flow list)
SO2_AIR = "fd7aa71c-508c-480d-81a6-8052aad92646"  # Sulfur dioxide, air, unspecified
NH3_AIR = "87883a4e-1e3e-4c9d-90c0-f1bea36f8014"  # Ammonia, air, unspecified
CH4_AIR = "0795345f-c7ae-410c-ad25-1845784c75f5"  # Methane, fossil, air, unspecified
CO2_AIR = "349b29d1-3e58-4c66-98b9-9d1a076efd2e"  # Carbon dioxide, fossil, air, unspecified
N2O_AIR = "20185046-64bb-4c09-a8e7-e8a9e144ca98"  # Dinitrogen monoxide, air, unspecified
WATER_RIVER = "8c75e7ab-8ab8-41e4-b394-c166ff5b050d"  # Water, river, natural resource, in water
WATER_OUT = "db4566b1-bd88-427d-92da-2d25879063b9"  # Water, emission to surface water


def test_the_packaged_data_holds_the_762_categories_and_4709_flows():
    assert len(method_names()) == 762
    assert len(elementary_flows()) == 4709
    for name in DEFAULT_METHODS.values():
        assert name in method_names()


def test_factors_read_back_as_published():
    # IPCC AR6 WG1 (Forster et al. 2021) table 7.15: GWP100 CH4 fossil 29.8, N2O 273
    gwp = impact_category(IPCC_GWP100)
    assert (gwp.factors[CO2_AIR], gwp.factors[CH4_AIR], gwp.factors[N2O_AIR]) == (1.0, 29.8, 273.0)
    assert gwp.unit == "kg CO2-Eq"
    # EF 3.1 acidification (accumulated exceedance, Seppälä et al. 2006; Posch et al. 2008)
    acid = impact_category(EF_ACID)
    assert (acid.factors[SO2_AIR], acid.factors[NH3_AIR]) == (1.31, 3.02)
    assert acid.unit == "mol H+-Eq"


def _model(flows, exchanges, methods=None):
    data = {
        "name": "hand",
        "functional_unit": {"activity": "plant", "amount": 1},
        "flows": flows,
        "activities": [
            {"code": "plant", "name": "plant", "phase": "deployment", "unit": "item", "exchanges": exchanges}
        ],
    }
    if methods is not None:
        data["methods"] = methods
    return model_from_dict(data)


HAND_FLOWS = [
    {"code": "so2", "name": "Sulfur dioxide", "unit": "g", "categories": ["air"]},
    {"code": "nh3", "name": "ammonia", "unit": "kg", "categories": ["air"]},  # matched case-insensitively
    {"code": "ch4", "name": "Methane, fossil", "unit": "kg", "uuid": CH4_AIR},
    {"code": "n2o", "name": "Dinitrogen monoxide", "unit": "kg", "uuid": N2O_AIR},
    {"code": "river", "name": "Water, river", "unit": "m**3", "uuid": WATER_RIVER},
    {"code": "release", "name": "Water", "unit": "L", "uuid": WATER_OUT},
]
HAND_EXCHANGES = [
    {"input": "so2", "amount": 500, "unit": "g"},
    {"input": "nh3", "amount": 0.2, "unit": "kg"},
    {"input": "ch4", "amount": 2, "unit": "kg"},
    {"input": "n2o", "amount": 100, "unit": "g"},
    {"input": "river", "amount": 3, "unit": "m**3"},
    {"input": "release", "amount": 2500, "unit": "L"},
    {"input": "GWP", "amount": 10, "unit": "kg CO2 eq"},  # pre-characterised, still valid
]


def test_an_ef_and_an_ipcc_category_characterise_hand_made_flows():
    model = _model(HAND_FLOWS, HAND_EXCHANGES, [list(EF_ACID), list(IPCC_GWP20)])
    result = lca.solve(model)
    # EF v3.1 acidification: 0.5 kg SO2 x 1.31 + 0.2 kg NH3 x 3.02 = 0.655 + 0.604 mol H+ eq
    assert result.total("acidification").magnitude == pytest.approx(0.5 * 1.31 + 0.2 * 3.02, rel=1e-12)
    # GWP (IPCC 2021 GWP100 by default): 2 kg CH4 x 29.8 + 0.1 kg N2O x 273 + 10 pre-characterised
    assert result.total("GWP").to("kg CO2 eq").magnitude == pytest.approx(
        2 * 29.8 + 0.1 * 273 + 10, rel=1e-12
    )
    # IPCC 2021 GWP20 (AR6 table 7.15: CH4 fossil 82.5, N2O 273), read from the data first
    gwp20 = impact_category(IPCC_GWP20)
    assert (gwp20.factors[CH4_AIR], gwp20.factors[N2O_AIR]) == (82.5, 273.0)
    assert result.total("climate change").magnitude == pytest.approx(2 * 82.5 + 0.1 * 273, rel=1e-12)
    # WATER (EN 15804 net fresh water, m3 -> L): 3 m3 withdrawn - 2.5 m3 returned = 500 L
    assert result.total("WATER").to("L").magnitude == pytest.approx(500.0, rel=1e-12)
    # each category is an indicator of every table, named by the second part of its name
    assert [str(c).split(" [")[0] for c in result.phase_table().columns][-2:] == [
        "acidification",
        "climate change",
    ]


def test_a_default_indicator_can_be_mapped_to_another_category():
    ef_gwp = ("EF v3.1", "climate change", "global warming potential (GWP100)")
    model = _model(HAND_FLOWS[2:4], HAND_EXCHANGES[2:4], {"GWP": list(ef_gwp)})
    ef = impact_category(ef_gwp)
    expected = 2 * ef.factors[CH4_AIR] + 0.1 * ef.factors[N2O_AIR]
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(expected, rel=1e-12)
    indicator = next(i for i in lca.build_matrices(model).indicators if i.code == "GWP")
    assert indicator.method.startswith("EF v3.1: climate change")


def test_methods_round_trip_through_the_data_file():
    model = _model(HAND_FLOWS, HAND_EXCHANGES, [list(EF_ACID)])
    data = model_to_dict(model)
    assert data["methods"] == {"acidification": list(EF_ACID)}
    assert data["flows"][0]["categories"] == ["air"]
    again = model_from_dict(data)
    assert lca.solve(again).total("acidification").magnitude == pytest.approx(0.655 + 0.604, rel=1e-12)


def test_read_methods_codes_are_unique():
    codes = read_methods([list(IPCC_GWP100), list(EF_ACID), ["EF v3.1", "climate change", "x"]], "m")
    assert list(codes) == [" | ".join(IPCC_GWP100), "acidification", "EF v3.1 | climate change | x"]


def test_search_finds_categories():
    found = search_methods("cumulative energy total")
    assert DEFAULT_METHODS["PE"] in found and len(found) == 1


def test_unknown_method_suggests_the_closest():
    with pytest.raises(
        DataNotFound, match=r"did you mean 'EF v3.1 \| acidification \| accumulated exceedance \(AE\)'"
    ):
        impact_category(("EF v3.1", "acidificaton", "accumulated exceedance (AE)"))
    # in a data file: located at its methods (the one rule set runs when the file is read)
    with pytest.raises(
        InputFileError, match=r"^inventory, methods: impact method .* did you mean 'EF v3.1 \|"
    ):
        _model(
            HAND_FLOWS[:1], HAND_EXCHANGES[:1], [["EF v3.1", "acidificaton", "accumulated exceedance (AE)"]]
        )


def test_a_method_that_is_not_a_list_is_located():
    with pytest.raises(InputFileError, match=r"hand, methods\[0\]|methods\[0\]"):
        model_from_dict(
            {
                "name": "x",
                "methods": ["EF v3.1"],
                "functional_unit": {"activity": "a"},
                "activities": [{"code": "a"}],
            },
            "hand",
        )


def test_unknown_flow_suggests_the_closest():
    flows = [{"code": "so2", "name": "Sulphur dioxide", "unit": "kg", "categories": ["air"]}]
    with pytest.raises(
        InputFileError,
        match=r"^inventory, flows\[0\].name: flow 'so2'.*did you mean 'Sulfur dioxide \(air\) \[kg\]'",
    ):
        _model(flows, [{"input": "so2", "amount": 1, "unit": "kg"}])


def test_a_flow_unit_that_cannot_convert_is_named():
    flows = [{"code": "ch4", "name": "Methane, fossil", "unit": "MJ", "uuid": CH4_AIR}]
    # the method's flow is in kg: a flow in MJ is refused at its unit
    with pytest.raises(InputFileError, match=r"^inventory, flows\[0\].unit: cannot convert 'MJ' .* to 'kg'"):
        _model(flows, [{"input": "ch4", "amount": 1, "unit": "MJ"}])


def test_an_uncharacterised_flow_has_no_factor():
    # Water to air is not in the IPCC 2021 category: it adds nothing to GWP
    flows = [{"code": "vapour", "name": "Water", "unit": "m**3", "categories": ["air"]}]
    result = lca.solve(_model(flows, [{"input": "vapour", "amount": 1, "unit": "m**3"}]))
    assert result.total("GWP").magnitude == 0.0
    assert not math.isnan(result.total("PE").magnitude)
