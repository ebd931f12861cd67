"""Entries checked against the published figures they cite (worked examples)."""

from __future__ import annotations

import math

import pytest

import lca
import lca.data
from lca.data.ranges import lognormal_interval
from lca.units import Q_


def gwp(ref: str) -> float:
    return lca.data.entry(ref).impacts["GWP"].amount


def test_bloom_inputs_luccioni_2023():
    # Luccioni, Viguier & Ligozat 2023, section 4.1: A100 150 kg CO2 eq, node 2,500 kg CO2 eq
    assert gwp("hardware/A100-80GB-bloom") == 150
    assert gwp("hardware/HPE-DL345-Gen10-Plus-bloom") == 2500
    # section 4.2: Jean Zay's supply 57 g CO2 eq/kWh; section 5: us-central1 394 g CO2 eq/kWh
    assert lca.data.grid("FR-jean-zay").impacts["GWP"].quantity.to("g CO2 eq/kWh").magnitude == pytest.approx(
        57
    )
    assert lca.data.grid("gcp-us-central1").impacts["GWP"].quantity.to(
        "g CO2 eq/kWh"
    ).magnitude == pytest.approx(394)
    # section 4.2: A100 TDP 400 W (1,082,990 GPU h x 400 W = 433,196 kWh)
    assert lca.data.hardware("A100-80GB").get("tdp").quantity.to("W").magnitude == 400
    # section 4: Jean Zay PUE 1.2
    assert lca.data.datacenter("jean-zay").get("pue").amount == 1.2


def test_nvidia_hgx_h100_pcf():
    # NVIDIA HGX H100 product carbon footprint summary: 164 kg CO2 eq per H100 (1/8 of the board)
    assert gwp("hardware/H100") == 164
    assert lca.data.hardware("H100").get("tdp").amount == 700  # NVIDIA H100 SXM datasheet


def test_a100_spread_covers_bloom_mlca_and_boavizta():
    # BLOOM 150 kg (Luccioni et al. 2023, s4.1), MLCA about 330 kg (Morand et al. 2024), the
    # Boavizta 2.4.1 GPU model about 316 kg: inside the bottom-up range, whose high end is the
    # rule of every GPU row: memory density 0.625 GB/cm2, doubled for the parts left out
    value = lca.data.hardware("A100-80GB").impacts["GWP"]
    high = 2 * (9.14 + 1.97 * 8.26 + 2.20 * 80 / 0.625 + 5.22)  # = 624.5 kg
    assert value.high == pytest.approx(high, rel=1e-3)
    assert value.low <= 150 and value.high > 330


def test_a100_bottom_up_by_hand():
    # Boavizta 2021 factors: 9.14 kg + 1.97 kg/cm2 x 8.26 cm2 (GA100)
    #   + 2.20 kg/cm2 x 80 GB / 1.25 GB/cm2 + 5.22 kg
    by_hand = 9.14 + 1.97 * 8.26 + 2.20 * 80 / 1.25 + 5.22  # = 171.43 kg CO2 eq
    assert gwp("hardware/A100-80GB") == pytest.approx(by_hand, rel=1e-3)
    # PE: 156 MJ + 26.5 MJ/cm2 x 8.26 + 27.3 MJ/cm2 x 64 cm2 + 74 MJ = 2,195.1 MJ
    pe = 156 + 26.5 * 8.26 + 27.3 * 64 + 74
    assert lca.data.hardware("A100-80GB").impacts["PE"].amount == pytest.approx(pe, rel=1e-3)


def test_boavizta_france_and_usa():
    # Boavizta API 2.4.1 data/crowdsourcing/electrical_mix.csv, FRA: gwp 0.098 kg CO2 eq (Scarlat
    # et al. 2022), adpe 4.86e-8 kg Sb eq, pe 11.289 MJ per kWh; USA: gwp 0.37 (Ember 2020)
    fr = lca.data.grid("FR").impacts
    assert (fr["GWP"].amount, fr["ADP"].amount) == (0.098, 4.86e-8)
    assert fr["PE"].amount == pytest.approx(11.3, abs=0.02)
    assert gwp("grid/US") == 0.37
    # EcoLogits data/electricity_mixes.csv (commit 0adc8ab), FRA: wue 3.6737 L/kWh = 3.67e-3 m3/kWh
    assert fr["WATER"].quantity.to("m**3/kWh").magnitude == pytest.approx(3.67e-3, abs=1e-5)


def test_ecologits_france_sets_the_low_bound():
    # EcoLogits electricity_mixes.csv (commit 0adc8ab), FRA: 0.04418 kg CO2 eq/kWh; low bound = 0.9 x it
    assert lca.data.grid("FR").impacts["GWP"].low == pytest.approx(0.9 * 0.04418, rel=1e-3)


def test_grid_gwp_bounds_come_from_the_two_datasets():
    # Issue 16: no bound from a seminar slide. Poland: Boavizta 0.805 (Scarlat et al. 2022),
    # EcoLogits 0.61498: 0.9 x 0.61498 = 0.55348 to 1.1 x 0.805 = 0.8855
    value = lca.data.grid("PL").impacts["GWP"]
    assert (value.low, value.high) == pytest.approx((0.9 * 0.61498, 1.1 * 0.805), rel=1e-5)
    assert gwp("grid/PL") == 0.805
    # Austria's 0.264 is Ember's 2020 figure in Boavizta's file, not Scarlat's 2019 one
    assert "Ember data explorer, 2020" in lca.data.grid("AT").impacts["GWP"].source


def test_patterson_2021_gpt3():
    # Patterson et al. 2021, Table 4, GPT-3: 429 g CO2 eq/kWh, PUE 1.1
    assert gwp("grid/US-patterson2021") == 0.429
    assert lca.data.datacenter("patterson2021-gpt3").get("pue").amount == 1.1


def test_strubell_2019():
    # Strubell et al. 2019: 0.954 lb CO2 eq/kWh (US EPA) and PUE 1.58
    pounds = lca.data.grid("US-strubell2019").impacts["GWP"].quantity.to("lb CO2 eq/kWh").magnitude
    assert pounds == pytest.approx(0.954, rel=1e-3)
    assert lca.data.datacenter("strubell2019").get("pue").amount == 1.58


def test_green_algorithms_default_pue():
    # Lannelongue et al. 2021 (Green Algorithms): default PUE 1.67
    assert lca.data.datacenter("on-premises").get("pue").amount == 1.67


def test_datasheet_tdps():
    # NVIDIA datasheets: T4 70 W, L4 72 W, A10 150 W, V100 SXM2 300 W
    for name, watts in (("T4", 70), ("L4", 72), ("A10", 150), ("V100-32GB", 300)):
        assert lca.data.hardware(name).get("tdp").quantity == Q_(watts, "W")


def test_boavizta_gpu_shipping_distances():
    # Boavizta gpu_specs.csv: 19,000 km by boat and 1,000 km by truck per GPU
    assert lca.data.route("gpu-sea-asia-europe").get("distance").amount == 19000
    assert lca.data.route("gpu-road-last-leg").get("distance").amount == 1000


def test_uptime_2023_and_hyperscale_water():
    # Uptime Institute Global Data Center Survey 2023: industry average PUE 1.58
    assert lca.data.datacenter("enterprise").get("pue").amount == 1.58
    # Google: PUE 1.1 (Q2 2021); Microsoft WUE 0.30 L/kWh (FY2023; 0.49 in 2021); AWS 0.25 (2021)
    hyperscale = lca.data.datacenter("hyperscale")
    assert hyperscale.get("pue").amount == 1.10
    wue = hyperscale.get("wue")
    assert wue.amount == 0.30 and all(wue.low <= w <= wue.high for w in (0.49, 0.25, 0.12))


def test_defra_freight_factors():
    # DEFRA 2007 guidelines (Hansard, 4 June 2007): air long haul 0.57 kg CO2/t.km
    # DEFRA/DECC 2012 Annex 7 Table 7e: all artics UK average 0.10700 kg CO2 eq/t.km
    # DEFRA direct factors (FTA Mode Shift Centre): deep-sea container 0.01536, rail 0.03159
    assert {m: lca.data.transport(m).impacts["GWP"].amount for m in ("air", "road", "sea", "rail")} == {
        "air": 0.57,
        "road": 0.107,
        "sea": 0.01536,
        "rail": 0.03159,
    }


# -- issue 16: each corrected factor against its source ------------------------------------


def test_a100_adp_covers_the_boavizta_gpu_model_ecologits_and_mlca():
    # Boavizta API 2.4.1 GPU model (data/factors.yml, gpu, ADPe per unit) on the gpu_specs.csv row
    # 'NVIDIA A100 SXM4 40GB' (casing 0.09 kg, heatsink 1.25 kg, PWB 105 cm2, die 1798 mm2, 1.56 kg),
    # 80 GB of memory at 15.5 mm2/GB:
    boavizta = (
        0.09 * 4.0835e-4  # casing, per kg
        + 1.25 * 1.8669e-3  # heatsink, per kg
        + 105.0 * 1.2707e-5  # printed wiring board, per cm2
        + 1798.0 * 1.5550e-8  # GPU die, per mm2
        + 80 * 15.5 * 5.0731e-9  # VRAM dies, per mm2
        + 1.56 * 1.0196e-8  # upstream transport, per kg
    )  # = 3.7389e-3 kg Sb eq
    assert boavizta == pytest.approx(3.7389e-3, rel=1e-4)
    ecologits = 5.09e-3  # EcoLogits methodology, LLM inference: A100 80GB ADPe
    mlca = 0.027  # Morand, Névéol & Ligozat 2024 (MLCA), A100
    adp = lca.data.hardware("A100-80GB").impacts["ADP"]
    # median: the geometric mean of the two GPU models, sqrt(3.7389e-3 x 0.027) = 1.0047e-2
    assert adp.amount == pytest.approx((boavizta * mlca) ** 0.5, rel=1e-4)
    assert (adp.low, adp.high) == pytest.approx((boavizta, mlca), rel=1e-4)
    u = adp.uncertainty("A100 ADP")
    low, high = lognormal_interval(u, 95)
    assert low <= boavizta * 1.0001 and ecologits < high and mlca <= high * 1.0001
    # the old value applied a CPU package base (2.04e-2 kg Sb eq) to a GPU: no longer the central value
    assert adp.amount < 0.0204
    assert lca.data.hardware("A100-80GB-bloom").impacts["ADP"].amount == adp.amount


def test_bloom_node_adp_is_the_bottom_up_of_its_components():
    # BLOOM's node (BigScience BLOOM model card: 2 AMD EPYC 7543, 512 GB) with Boavizta 2021 factors:
    # chassis, board, PSUs, assembly 0.07353 + 2 CPUs x 0.02041 + 512 GB x 5.04e-5 + 16 DIMMs x 1.69e-3
    by_hand = 0.07353 + 2 * 0.02041 + 512 * 5.04e-5 + 16 * 1.69e-3  # = 0.167195 kg Sb eq
    node = lca.data.hardware("HPE-DL345-Gen10-Plus-bloom")
    assert node.impacts["ADP"].amount == pytest.approx(by_hand, rel=1e-3)
    # MLCA's node 0.169 (Morand et al. 2024) inside; EcoLogits' p5.48xlarge without GPUs 0.37 is the high end;
    # the chassis alone (hardware/server-node-no-gpu) is the low end, above NegaOctet's whole server 0.0378
    adp = node.impacts["ADP"]
    low, high = lognormal_interval(adp.uncertainty("node"), 95)
    assert low <= 0.07353 * 1.0001 and high > 0.169 and high >= 0.37
    assert adp.low == lca.data.hardware("server-node-no-gpu").impacts["ADP"].amount > 0.0378
    # PE of the same bottom-up: 5,210 + 2 x 437.4 + 512 x 21.84 + 16 x 74 = 18,450.9 MJ
    assert node.impacts["PE"].amount == pytest.approx(5210 + 2 * 437.4 + 512 * 21.84 + 16 * 74, rel=1e-4)


def test_weee_treatment_is_boaviztas_per_kg_end_of_life_factor():
    # Boavizta API 2.4.1 data/factors.yml, gpu end_of_life: 1.5062 kg CO2 eq, 3.7140e-6 kg Sb eq,
    # 22.348 MJ per kg (the GPU model multiplies them by the card's weight): used as given, not
    # divided by 1.56 kg again (the 2026.11 figures were 36% low)
    weee = lca.data.eol("weee-treatment").impacts
    assert weee["GWP"].quantity.to("kg CO2 eq/kg").magnitude == pytest.approx(1.5062)
    assert weee["ADP"].quantity.to("kg Sb eq/kg").magnitude == pytest.approx(3.714e-6)
    assert weee["PE"].quantity.to("MJ/kg").magnitude == pytest.approx(22.348)


def test_primary_energy_is_total_primary_energy_on_every_row():
    # One definition (issue 16): PE = total primary energy, renewable and non-renewable (CED-like).
    # A kWh delivered holds 3.6 MJ: no grid PE may be below it (Norway's bound was 0.139, Brazil's
    # 1.77, Austria's 2.84 MJ/kWh: fossil resource use alone)
    for ref in lca.data.names("grid"):
        pe = lca.data.entry(ref).impacts.get("PE")
        if pe is not None:
            assert pe.low >= 3.6 and pe.amount > 3.6, ref
    # Norway: Boavizta's pe = ADPf 0.138646 / (1 - 0.972 renewable) = 4.952 MJ/kWh
    assert lca.data.grid("NO").impacts["PE"].amount == pytest.approx(0.138646 / (1 - 0.972), rel=1e-3)
    # NegaOctet gives fossil resource use only: its server has no PE rather than a PE of another kind
    assert "PE" not in lca.data.hardware("server-negaoctet").impacts
    for ref in lca.data.names():
        for code, value in lca.data.entry(ref).impacts.items():
            if code == "PE":
                assert "fossil resource use (ADPf)" not in value.source or "low" in value.source, ref


def test_freight_pe_and_adp_describe_the_fuel_burn_of_the_central_gwp():
    # Air: DEFRA 2007 long haul 0.57 kg CO2/t.km; Boavizta's plane factor burns 29.5 MJ and emits
    # 2.11 kg CO2 eq per t.km (data/factors.yml, transport_plane, x1000): PE = 29.5 x 0.57 / 2.11
    air = lca.data.transport("air").impacts
    assert air["PE"].amount == pytest.approx(29.5 * 0.57 / 2.11, rel=1e-4)  # 7.969 MJ/t.km, not 29.5
    assert air["ADP"].amount == pytest.approx(8.31e-8 * 0.57 / 2.11, rel=1e-4)
    assert air["PE"].amount / air["GWP"].amount == pytest.approx(29.5 / 2.11, rel=1e-4)
    # road: DEFRA/DECC 2012 0.107 kg CO2 eq/t.km; Boavizta truck 0.704 MJ for 0.0504 kg
    road = lca.data.transport("road").impacts
    assert road["PE"].amount == pytest.approx(0.704 * 0.107 / 0.0504, rel=1e-4)


def test_transport_basic_variance_follows_the_projects_rule():
    # ecoinvent v3 basic variances from v2's basic uncertainty factors: (ln U / 2)^2 (Weidema et al.
    # 2013); transport services U = 2.0: (ln 2 / 2)^2 = 0.1201
    from lca.model.pedigree import BASIC_VARIANCES

    # 0.1201, rounded to 0.12 as energy's 0.000595 is to 0.0006
    assert BASIC_VARIANCES["transport"] == pytest.approx((math.log(2.0) / 2) ** 2, rel=1e-3)
    assert BASIC_VARIANCES["energy"] == pytest.approx((math.log(1.05) / 2) ** 2, rel=1e-2)


def test_year_columns_give_the_oldest_central_figure():
    # DEFRA 2007 (air, Hansard) and DEFRA/DECC 2012 (road); ADEME Base IMPACTS 2011 for grid ADP and PE
    assert lca.data.transport("air").year == 2007
    assert lca.data.transport("road").year == 2012
    for ref in lca.data.names("grid"):
        entry = lca.data.entry(ref)
        if "ADEME Base IMPACTS, 2011" in (entry.impacts.get("ADP") or lca.data.Value(0, "")).source:
            assert entry.year == 2011, ref


def test_every_gwp_states_its_basis():
    # issue 16: the data mix IPCC bases and CO2-only freight factors; each entry says which
    for category in ("hardware", "grid", "transport", "eol"):
        for ref in lca.data.names(category):
            entry = lca.data.entry(ref)
            if "GWP" in entry.impacts:
                assert entry.attributes.get("gwp_basis"), ref
    assert lca.data.transport("air").attributes["gwp_basis"].startswith("CO2 only")
    assert "AR5" in lca.data.grid("US").attributes["gwp_basis"]  # Ember 2020: IPCC AR5 factors per fuel


def test_gpu_masses_come_from_boaviztas_gpu_specs_or_are_absent():
    # Boavizta API 2.4.1 data/crowdsourcing/gpu_specs.csv: A100 SXM4 40GB 1.56 kg, H100 SXM 80GB 1.69 kg,
    # L4 0.142 kg; it has no T4, A10 or H200 row (the H200 takes the H100's, said as a proxy)
    masses = {n: lca.data.hardware(n).get("mass") for n in ("A100-80GB", "H100", "L4", "H200", "T4", "A10")}
    assert {n: m.amount for n, m in masses.items() if m} == {
        "A100-80GB": 1.56,
        "H100": 1.69,
        "L4": 0.142,
        "H200": 1.69,
    }
    assert "proxy" in masses["H200"].source


def test_no_source_cites_documents_a_user_does_not_have():
    for ref in lca.data.names():
        entry = lca.data.entry(ref)
        texts = [v.source for v in entry.values.values()] + [entry.comment]
        for text in texts:
            assert "design.md" not in text and "002 slides" not in text and "seed 002" not in text, ref


def test_bloom_idle_energy_range_covers_mlca_and_jean_zay():
    # MLCA (Morand et al. 2024): 19.8 t idle at 51.28 g/kWh = 386,115 kWh; Jean Zay's measurements
    # (Luccioni et al. 2023, figure 1): 433,196 kWh x (27 + 64) / 109 = 361,659 kWh
    idle = lca.bloom().parameters["idle_energy"]
    low, high = lognormal_interval(idle.uncertainty, 95)
    assert idle.uncertainty.median() == pytest.approx(256_646)
    for kwh in (19_800 / 0.05128, 433_196 * (27 + 64) / 109):
        assert low < kwh <= high * 1.000001
