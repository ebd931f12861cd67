"""datasets/cases/bloom-full.yaml: BLOOM's inventory (Luccioni, Viguier & Ligozat 2023) plus
what the paper leaves out, each addition its own activity, checked by hand.

Hand calculations use the shares of hardware life the training used, as the paper does for
the embodied impacts (section 4.1): 1,082,990 GPU h / (6 year x 8,760 h x 0.85) = 24.2410
GPUs and 24.2410 / 8 = 3.03012 nodes.
"""

from __future__ import annotations

import pytest

import lca

INDICATORS = ("GWP", "ADP", "PE", "WATER")
#: the paper's components: activity codes shared with bloom.yaml
PAPER = ("a100_manufacturing", "node_manufacturing", "training_dynamic", "training_idle", "bloom_deployment")
GPUS = 1_082_990 / (6 * 8760 * 0.85)  # 24.2410 A100s' worth of life
NODES = GPUS / 8
AIR, ROAD = 0.57, 0.107  # kg CO2 eq/t.km: DEFRA 2007 air long haul, DEFRA/DECC 2012 articulated lorry
AIR_KM, ROAD_KM = 9400, 1000  # Taipei-Frankfurt great circle; Boavizta gpu_specs.csv truck distance
GPU_KG = 1.56  # Boavizta gpu_specs.csv, A100 SXM4
NODE_KG = 110.5  # NVIDIA DGX A100 datasheet, 123 kg, minus 8 x 1.56 kg of GPUs = 110.52 kg, rounded
WEEE = 1.5062  # kg CO2 eq/kg, Boavizta API 2.4.1 factors.yml, gpu end_of_life


@pytest.fixture(scope="module")
def cases():
    full = lca.load(lca.datasets_dir() / "cases" / "bloom-full.yaml")
    paper = lca.bloom()
    return paper, full, lca.solve(paper), lca.solve(full)


def gwp(result, code):
    return result.activity_total(code, "GWP").to("kg CO2 eq").magnitude


def test_the_papers_components_are_reproduced_exactly(cases):
    paper, full, r_paper, r_full = cases
    for code in PAPER:
        for indicator in INDICATORS:
            assert r_full.activity_total(code, indicator).magnitude == pytest.approx(
                r_paper.activity_total(code, indicator).magnitude, rel=1e-12
            ), (code, indicator)
    # the same parameters, with the same values and distributions
    for name, parameter in paper.parameters.items():
        assert full.parameters[name] == parameter, name
    # Luccioni et al. 2023: 11.2 t embodied, 24.69 t dynamic, 14.6 t idle, 360 kg deployment (914 kWh x 394 g)
    assert gwp(r_full, "a100_manufacturing") + gwp(r_full, "node_manufacturing") == pytest.approx(
        11_211.45, rel=1e-5
    )
    assert gwp(r_full, "training_dynamic") == pytest.approx(433_196 * 0.057)
    assert gwp(r_full, "bloom_deployment") == pytest.approx(914 * 0.394)


def test_transport_of_the_gpus_and_nodes_by_hand(cases):
    *_, r_full = cases
    # per A100: 1.56 kg x (9,400 km x 0.57 + 1,000 km x 0.107) / 1000 = 8.5254 kg CO2 eq
    per_gpu = GPU_KG / 1000 * (AIR_KM * AIR + ROAD_KM * ROAD)
    assert gwp(r_full, "a100_delivery") == pytest.approx(per_gpu * GPUS, rel=1e-9)  # 206.7 kg
    # per node: 110.5 kg x (9,400 x 0.57 + 1,000 x 0.107) / 1000 = 603.88 kg
    per_node = NODE_KG / 1000 * (AIR_KM * AIR + ROAD_KM * ROAD)
    assert gwp(r_full, "node_delivery") == pytest.approx(per_node * NODES, rel=1e-9)  # 1,829.8 kg
    assert r_full.by_phase()["transport"]["GWP"].magnitude == pytest.approx(2036.5, rel=1e-3)


def test_end_of_life_with_the_per_kg_factor_by_hand(cases):
    *_, r_full = cases
    # 1.56 kg x 1.5062 x 24.2410 = 56.96 kg; 110.5 kg x 1.5062 x 3.03012 = 504.3 kg
    assert gwp(r_full, "a100_end_of_life") == pytest.approx(GPU_KG * WEEE * GPUS, rel=1e-9)
    assert gwp(r_full, "node_end_of_life") == pytest.approx(NODE_KG * WEEE * NODES, rel=1e-9)
    # ADP: 3.714e-6 kg Sb eq/kg x (1.56 x 24.2410 + 110.5 x 3.03012) = 1.384e-3 kg Sb eq
    adp = r_full.by_phase()["end_of_life"]["ADP"].magnitude
    assert adp == pytest.approx(3.714e-6 * (GPU_KG * GPUS + NODE_KG * NODES), rel=1e-9)


def test_deployment_pue_and_hardware_by_hand(cases):
    *_, r_full = cases
    # Google's PUE 1.1 on the paper's 914 kWh of IT energy: 914 x 0.1 x 0.394 = 36.01 kg
    assert gwp(r_full, "deployment_facility_overhead") == pytest.approx(914 * 0.1 * 0.394, rel=1e-9)
    # 16 A100 x 18 days = 6,912 GPU h: 150 kg x 6,912 / 44,676 = 23.21 kg; nodes of 8: 2,500 kg x 864 / 44,676 = 48.35 kg
    life = 6 * 8760 * 0.85
    assert gwp(r_full, "deployment_gpu_manufacturing") == pytest.approx(150 * 16 * 18 * 24 / life, rel=1e-9)
    assert gwp(r_full, "deployment_node_manufacturing") == pytest.approx(
        2500 * 16 * 18 * 24 / 8 / life, rel=1e-9
    )


def test_on_site_cooling_water_by_hand(cases):
    *_, r_full = cases
    # Jean Zay: (433,196 + 256,646) kWh / PUE 1.2 x 0.245 L/kWh (the midpoint of 0 and 0.49) = 140,843 L
    water = r_full.activity_total("training_cooling_water", "WATER").to("L").magnitude
    assert water == pytest.approx((433_196 + 256_646) / 1.2 * 0.245, rel=1e-5)
    # the deployment: 914 kWh x 0.30 L/kWh (hyperscale WUE, Microsoft FY2023) = 274.2 L
    assert r_full.activity_total("deployment_cooling_water", "WATER").to("L").magnitude == pytest.approx(
        914 * 0.3
    )


def test_info_names_each_addition_and_the_total_is_the_paper_plus_them(cases):
    paper, full, r_paper, r_full = cases
    additions = full.info["additions"]
    added = set(full.activities) - set(paper.activities)
    wrappers = {
        "bloom_training_full",
        "bloom_deployment_full",
        "freight_air",
        "freight_road",
        "weee_treatment",
    }
    assert set(additions) == added - wrappers
    for indicator in INDICATORS:
        extra = sum(r_full.activity_total(code, indicator).magnitude for code in additions)
        assert r_full.total(indicator).magnitude == pytest.approx(
            r_paper.total(indicator).magnitude + extra, rel=1e-9
        ), indicator
    # 50,892.6 + 2,036.5 + 561.3 + 36.0 + 23.2 + 48.3 = 53,597.9 kg CO2 eq
    assert r_full.total("GWP").magnitude == pytest.approx(53_597.9, rel=1e-5)


def test_per_request_includes_the_whole_deployment(cases):
    _, full, _, _ = cases
    result = lca.solve(full, {"bloom_request": 1})
    # (360.12 + 36.01 + 23.21 + 48.35) kg / 230,768 requests = 2.027 g CO2 eq
    deployment = 914 * 0.394 * 1.1 + (150 + 2500 / 8) * 16 * 18 * 24 / (6 * 8760 * 0.85)
    assert result.total("GWP").to("g CO2 eq").magnitude == pytest.approx(
        deployment / 230_768 * 1000, rel=1e-9
    )


def test_the_report_states_each_addition_separately(cases, tmp_path):
    from lca.report import render
    from lca.report.build import build_document
    from lca.report.sections import ReportInput

    _, full, _, result = cases
    document = build_document(ReportInput(full, result, date="2026-12-01"))
    section = next(s for s in document.sections if s.key == "results")
    table = next(b for b in section.blocks if getattr(b, "key", "") == "additions")
    additions = full.info["additions"]
    assert [row[1] for row in table.rows] == list(additions)  # one row per addition, in order
    for row in table.rows:
        # each cell is the addition's own attributed contribution, exactly (kg CO2 eq first)
        assert row[2].value == result.activity_total(row[1], "GWP").magnitude
        assert row[0] == additions[row[1]]
    # the freight of the nodes by hand: 3.03012 nodes x 110.5 kg = 334.8 kg = 0.3348 t;
    # 0.3348 t x (0.57 x 9,400 + 0.107 x 1,000) kg CO2 eq/t.km = 1,830 kg
    node_freight = next(r for r in table.rows if r[1] == "node_delivery")[2].value
    assert node_freight == pytest.approx(NODES * NODE_KG / 1000 * (AIR * AIR_KM + ROAD * ROAD_KM), rel=1e-3)
    page = render(document, "html").decode()
    assert "Added to the published inventory" in page and "air freight of the nodes" in page
