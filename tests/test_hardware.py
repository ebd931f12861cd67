"""Hardware and energy building blocks against published figures."""

import pytest

from lca.errors import InventoryError, UnitError
from lca.hardware import embodied_share, green_algorithms_energy, onsite_water, use_energy
from lca.units import Q_


def test_embodied_share_bloom_gpus():
    # Luccioni et al. 2023, 4.1: 150 kg x 1,082,990 h / (6 x 8,760 h x 0.85) = 3,636 kg
    share = embodied_share(Q_(150, "kg CO2 eq"), Q_(1_082_990, "h"), Q_(6, "year"), 0.85)
    assert share.to("kg CO2 eq").magnitude == pytest.approx(150 * 1_082_990 / (6 * 8760 * 0.85))
    # the paper quotes 0.003 kg per GPU-hour: 150 / (6 x 8,760 x 0.85) = 0.00336
    per_hour = embodied_share(Q_(150, "kg CO2 eq"), Q_(1, "h"), Q_(6, "year"), 0.85)
    assert per_hour.magnitude == pytest.approx(0.0034, abs=5e-4)


@pytest.mark.parametrize("lifetime", [Q_(-6, "year"), Q_(0, "year")])
def test_lifetime_must_be_positive(lifetime):
    with pytest.raises(InventoryError, match="lifetime.*must be > 0"):
        embodied_share(Q_(150, "kg CO2 eq"), Q_(1, "h"), lifetime, 0.85)


def test_lifetime_must_be_a_time():
    with pytest.raises(UnitError, match="lifetime"):
        embodied_share(Q_(150, "kg CO2 eq"), Q_(1, "h"), Q_(6, "kg"), 0.85)


@pytest.mark.parametrize("utilisation", [0.0, 1.2, -0.5])
def test_utilisation_must_be_a_fraction(utilisation):
    with pytest.raises(InventoryError, match=r"utilisation.*outside \(0, 1\]"):
        embodied_share(Q_(150, "kg CO2 eq"), Q_(1, "h"), Q_(6, "year"), utilisation)


def test_strubell_bert_base():
    # Strubell et al. 2019, table 3: 1.58 x 79 h x 12,041.51 W / 1000 = 1,503 kWh (paper: 1,507),
    # x 0.954 lb CO2/kWh = 1,434 lb (paper: 1,438 lb)
    energy = use_energy(Q_(12_041.51, "W"), Q_(79, "h"), pue=1.58)
    assert energy.magnitude == pytest.approx(1507, rel=0.01)
    co2 = (energy * Q_(0.954, "lb CO2 eq/kWh")).to("lb CO2 eq")
    assert co2.magnitude == pytest.approx(1438, rel=0.01)


def test_strubell_transformer_big():
    # 1.58 x 84 h x 1,515.43 W / 1000 = 201 kWh -> 192 lb
    energy = use_energy(Q_(1_515.43, "W"), Q_(84, "h"), pue=1.58)
    assert energy.magnitude == pytest.approx(201, rel=0.01)
    assert (energy * Q_(0.954, "lb CO2 eq/kWh")).to("lb CO2 eq").magnitude == pytest.approx(192, rel=0.01)


def test_pue_below_one_is_refused():
    with pytest.raises(InventoryError, match="PUE"):
        use_energy(Q_(1, "kW"), Q_(1, "h"), pue=0.9)


def test_green_algorithms_form():
    # (2 GPUs x 300 W x 0.5 + 4 cores x 10 W + 0.3725 W/GB x 64 GB) x 10 h x 1.67
    # = (300 + 40 + 23.84) W x 10 h x 1.67 = 6.0761 kWh
    energy = green_algorithms_energy(
        Q_(10, "h"),
        n_gpu=2,
        gpu_power=Q_(300, "W"),
        gpu_load=0.5,
        n_cpu=4,
        cpu_power=Q_(10, "W"),
        memory=Q_(64, "GB"),
    )
    assert energy.magnitude == pytest.approx(363.84 * 10 * 1.67 / 1000)


def test_onsite_water():
    # 1,000 kWh x 1.8 L/kWh = 1,800 L
    assert onsite_water(Q_(1000, "kWh"), Q_(1.8, "L/kWh")).magnitude == pytest.approx(1800)
