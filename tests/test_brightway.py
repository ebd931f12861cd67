"""Brightway 2.5 interop: lca's results equal bw2calc's on the same project.

The project lives in a temporary folder (tests/bw_cases.py); biosphere3 and the few method
categories used are written once for the module, from the data bw2io ships (no network).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("bw2calc")

from bw_cases import BLOOM_LINKS, CO2, EF_ACID, IPCC_GWP100, PROJECT, background, brightway_dir

import lca
import lca.io.bw_import
from lca.errors import DataNotFound, UncertaintyError, UnitError
from lca.io.bw_links import link_text
from lca.methods import DEFAULT_METHODS
from lca.model.records import Exchange

FLOAT32 = 2e-7  # Brightway stores amounts as float32


@pytest.fixture(scope="module")
def bw(tmp_path_factory):
    bd = brightway_dir(tmp_path_factory.mktemp("brightway"))
    from lca.io.bw_project import setup_project

    setup_project(PROJECT, [*DEFAULT_METHODS.values(), EF_ACID])
    bd.Database("bg").write(background())
    return bd


def _bw_score(bd, demand: dict, method) -> float:
    import bw2calc as bc

    lca_ = bc.LCA(
        {bd.get_node(database=db, code=code): amount for (db, code), amount in demand.items()}, method
    )
    lca_.lci()
    lca_.lcia()
    return float(lca_.score)


def _linked(links, methods=None, name="links"):
    """A one-activity foreground with ``links`` (link mapping, amount, unit)."""
    model = lca.Model(name)
    model.add_activity(
        lca.Activity(
            "use", "use", "deployment", "item", [Exchange(link_text(spec), a, u) for spec, a, u in links]
        )
    )
    model.functional_unit = lca.FunctionalUnit("use", 1, "item")
    if methods:
        model.info["methods"] = methods
    return model


def test_bw2setup_workaround_writes_the_packaged_methods(bw):
    # bw2io 0.9.17's create_default_lcia_methods fails on bw2data 4.8 (flow keys as lists)
    import bw2io

    with pytest.raises(ValueError, match="Can't understand elementary flow identifier"):
        bw2io.create_default_lcia_methods()
    method = bw.Method(IPCC_GWP100)
    assert method.metadata["unit"] == "kg CO2-Eq"
    factors = dict(
        (tuple(bw.get_node(id=k).key) if isinstance(k, int) else tuple(k), v) for k, v in method.load()
    )
    assert factors[CO2] == 1.0


@pytest.mark.parametrize("code", ["elec", "coal", "ash", "steel"])
def test_background_activities_equal_bw2calc(bw, code):
    # every background activity on the project's own IPCC 2021 and EF 3.1 methods
    model = _linked([({"database": "bg", "code": code}, 1.0, "")], {"acidification": list(EF_ACID)})
    model.activities["use"].exchanges[0].unit = {"elec": "kWh"}.get(code, "kg")
    lca.io.bw_import.link_background(model, PROJECT)
    result = lca.solve(model)
    # Brightway demands -1 of a waste treatment (negative production); lca treats 1 kg
    amount = -1.0 if code == "ash" else 1.0
    assert result.total("GWP").magnitude == pytest.approx(
        _bw_score(bw, {("bg", code): amount}, IPCC_GWP100), rel=FLOAT32
    )
    assert result.total("acidification").magnitude == pytest.approx(
        _bw_score(bw, {("bg", code): amount}, EF_ACID), rel=FLOAT32
    )
    water_m3 = _bw_score(bw, {("bg", code): amount}, DEFAULT_METHODS["WATER"])
    assert result.total("WATER").to("L").magnitude == pytest.approx(1000 * water_m3, rel=FLOAT32)


def test_elec_by_hand(bw):
    # The loop solved by hand (GWP, kg CO2 eq): e = 0.05 + 0.1 c - 0.01 (-a) ... with
    # c = 2 + 0.003 x 29.8 + 0.2 e and treating 1 kg of ash a = 0.3 + 0.05 e:
    # e = 0.05 + 0.1 (2.0894 + 0.2 e) + 0.01 (0.3 + 0.05 e)  =>  e (1 - 0.02 - 0.0005) = 0.26194
    e = (0.05 + 0.1 * (2.0 + 0.003 * 29.8) + 0.01 * 0.3) / (1 - 0.1 * 0.2 - 0.01 * 0.05)
    model = _linked([({"database": "bg", "code": "elec"}, 1.0, "kWh")])
    lca.io.bw_import.link_background(model, PROJECT)
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(e, rel=FLOAT32)


def _bloom(bw):
    model = lca.bloom()
    for code, spec, amount, unit in BLOOM_LINKS:
        model.activities[code].exchanges.append(Exchange(link_text(spec), amount, unit))
    return lca.io.bw_import.link_background(model, PROJECT)


def test_bloom_linked_round_trip_through_brightway(bw):
    from lca.io.bw_export import export_model

    model = _bloom(bw)
    result = lca.solve(model)
    info = export_model(model, PROJECT, "bloom", overwrite=True)
    assert info["formulas"] > 0 and info["activities"] == len(
        [a for a in model.activities if not a.startswith("bg:")]
    )
    fu = model.functional_unit.activity
    for indicator in result.matrices.indicators:
        score = _bw_score(bw, {("bloom", fu): 1.0}, ("lca", "bloom", indicator.code))
        assert score == pytest.approx(result.total(indicator.code).magnitude, rel=FLOAT32), indicator.code
    # the background adds to BLOOM's 50,890 kg (Luccioni et al. 2023 total, lca's shipped case)
    assert result.total("GWP").magnitude > lca.solve(lca.bloom()).total("GWP").magnitude
    node = bw.get_node(database="bloom", code="training_idle")
    assert node["phase"] == "training"
    assert {e.input.key for e in node.technosphere()} >= {("bg", "elec")}


def test_monte_carlo_means_agree_with_bw2calc(bw):
    import bw2calc as bc

    iterations = 10_000
    model = _linked([({"database": "bg", "code": "steel"}, 1.0, "kg")])
    lca.io.bw_import.link_background(model, PROJECT)
    ours = lca.monte_carlo(model, iterations, seed=7).samples("GWP")
    mc = bc.LCA(
        {bw.get_node(database="bg", code="steel"): 1}, IPCC_GWP100, use_distributions=True, seed_override=7
    )
    mc.lci()
    mc.lcia()
    theirs = np.array([mc.score] + [(next(mc), mc.score)[1] for _ in range(iterations - 1)])
    se = math.sqrt(ours.var() / iterations + theirs.var() / iterations)
    assert abs(ours.mean() - theirs.mean()) < 3 * se
    assert ours.std() == pytest.approx(theirs.std(), rel=0.1)  # the spread too, within sampling error
    assert ours.std() > 0.01 * ours.mean()  # the background's uncertainty is drawn


# -- bad input -------------------------------------------------------------------------------
def test_unknown_project_suggests_the_closest(bw):
    model = _linked([({"database": "bg", "code": "elec"}, 1.0, "kWh")])
    with pytest.raises(DataNotFound, match="project 'lca-test' does not exist; did you mean 'lca-tests'"):
        lca.io.bw_import.link_background(model, "lca-test")


def test_unknown_database_suggests_the_closest(bw):
    model = _linked([({"database": "bgg", "code": "elec"}, 1.0, "kWh")])
    with pytest.raises(DataNotFound, match="no database 'bgg'; did you mean 'bg'"):
        lca.io.bw_import.link_background(model, PROJECT)


def test_unknown_key_suggests_the_closest(bw):
    model = _linked([({"database": "bg", "code": "stel"}, 1.0, "kg")])
    with pytest.raises(DataNotFound, match="no activity or flow with code 'stel'; did you mean 'steel'"):
        lca.io.bw_import.link_background(model, PROJECT)


def test_unknown_name_suggests_the_closest(bw):
    spec = {"name": "electricity productoin", "reference product": "electricity", "location": "FR"}
    with pytest.raises(
        DataNotFound, match=r"did you mean 'electricity production' \(electricity, FR\) \[bg:elec\]"
    ):
        lca.io.bw_import.link_background(_linked([(spec, 1.0, "kWh")]), PROJECT)


def test_a_link_without_project_says_how_to_name_it(bw):
    with pytest.raises(DataNotFound, match="name the project"):
        lca.io.bw_import.link_background(_linked([({"database": "bg", "code": "elec"}, 1.0, "kWh")]))


def test_a_unit_lca_cannot_read_is_named_with_its_activity(bw):
    bw.Database("odd").write(
        {
            ("odd", "hotel"): {
                "name": "hotel stay",
                "unit": "guest night",
                "exchanges": [{"input": CO2, "amount": 10.0, "type": "biosphere"}],
            }
        }
    )
    with pytest.raises(UnitError, match=r"activity 'hotel stay' \[odd:hotel\]: unit 'guest night'"):
        lca.io.bw_import.link_background(_linked([({"database": "odd", "code": "hotel"}, 1.0, "")]), PROJECT)


def test_an_unsupported_uncertainty_is_named_with_its_activity(bw):
    weibull = {"uncertainty type": 8, "loc": 1.0, "scale": 1.0, "shape": 2.0}
    bw.Database("odd2").write(
        {
            ("odd2", "x"): {
                "name": "x process",
                "unit": "kilogram",
                "exchanges": [{"input": CO2, "amount": 1.0, "type": "biosphere", **weibull}],
            }
        }
    )
    with pytest.raises(
        UncertaintyError,
        match=r"activity 'x process' \[odd2:x\], flow 'Carbon dioxide, fossil'.*type 8 \(Weibull\)",
    ):
        lca.io.bw_import.link_background(_linked([({"database": "odd2", "code": "x"}, 1.0, "kg")]), PROJECT)


def test_a_foreground_unit_that_does_not_convert_is_named(bw):
    model = _linked([({"database": "bg", "code": "steel"}, 1.0, "kWh")])
    lca.io.bw_import.link_background(model, PROJECT)
    with pytest.raises(UnitError, match=r"activity 'use', exchange 1 \(input 'bg:steel'\).*cannot convert"):
        lca.solve(model)


# -- files, commands and the report ----------------------------------------------------------
def test_a_data_file_links_by_key_and_names_its_project(bw, tmp_path):
    import yaml

    from lca.cli import main

    data = {
        "name": "linked",
        "brightway": {"project": PROJECT},
        "methods": [list(EF_ACID)],
        "functional_unit": {"activity": "use", "amount": 1},
        "activities": [
            {
                "code": "use",
                "phase": "deployment",
                "unit": "item",
                "exchanges": [{"input": {"database": "bg", "code": "steel"}, "amount": 2, "unit": "kg"}],
            }
        ],
    }
    path = tmp_path / "linked.yaml"
    path.write_text(yaml.safe_dump(data))
    model = lca.load(path)  # linked when read: the model names its project
    assert "bg:steel" in model.activities and model.activities["bg:steel"].phase is None
    gwp = lca.solve(model).total("GWP").magnitude
    assert gwp == pytest.approx(2 * _bw_score(bw, {("bg", "steel"): 1.0}, IPCC_GWP100), rel=FLOAT32)
    # the report names the methods and their versions in its goal and scope
    from lca.report.commands import write_report

    out = write_report(model, tmp_path / "report.md")
    text = out.read_text()
    assert "IPCC 2021: climate change, global warming potential (GWP100)" in text
    assert "EF v3.1: acidification, accumulated exceedance (AE)" in text
    assert "bw2io 0.9.17" in text
    # and it exports to Brightway from the command line
    assert (
        main(["export", str(path), "--format", "brightway", "--project", PROJECT, "--database", "cli"]) == 0
    )
    score = _bw_score(bw, {("cli", "use"): 1.0}, ("lca", "cli", "acidification"))
    assert score == pytest.approx(lca.solve(model).total("acidification").magnitude, rel=FLOAT32)
    assert (
        main(["export", str(path), "--format", "brightway", "--project", PROJECT, "--database", "cli"]) == 2
    )


def test_run_takes_the_project_on_the_command_line(bw, tmp_path, capsys):
    import yaml

    from lca.cli import main

    data = {
        "name": "unnamed",
        "functional_unit": {"activity": "use"},
        "activities": [
            {
                "code": "use",
                "phase": "deployment",
                "exchanges": [{"input": {"name": "steel production"}, "amount": 1, "unit": "kg"}],
            }
        ],
    }
    path = tmp_path / "unnamed.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["run", str(path), "--project", PROJECT]) == 0
    gwp = _bw_score(bw, {("bg", "steel"): 1.0}, IPCC_GWP100)
    assert f"{gwp:.4g}" in capsys.readouterr().out


def test_methods_command_lists_and_suggests(capsys):
    from lca.cli import main

    assert main(["methods", "IPCC 2021", "GWP100"]) == 0
    out = capsys.readouterr().out
    assert "IPCC 2021 | climate change | global warming potential (GWP100)" in out
    assert main(["methods", "EF v3.1 acidifcation"]) == 2
    assert "did you mean" in capsys.readouterr().err
