"""The inventory records, their graph view and the YAML data file."""

import networkx as nx
import pytest

import lca
from lca.io.datafile import dump_model, load_model, model_from_dict, model_to_dict
from lca.model.uncertainty import Uncertainty
from tests.test_solve import loop_model


def test_graph_of_bloom():
    graph = lca.bloom().graph()
    assert graph.nodes["training_dynamic"]["phase"] == "training"
    assert graph.nodes["electricity_jean_zay"]["phase"] == "background"
    assert graph.nodes["GWP"]["kind"] == "flow"
    # suppliers -> consumers: the GPUs feed the training run, which feeds the life cycle
    assert nx.has_path(graph, "a100_manufacturing", "bloom_life_cycle")
    assert graph.edges["a100_manufacturing", "bloom_training"]["amount"] == "gpu_hours"
    assert nx.is_directed_acyclic_graph(graph)


def test_graph_shows_loops():
    graph = loop_model(0.5, 0.4, 1.0, 1.0).graph()
    assert sorted(nx.find_cycle(graph)) == [("X", "Y"), ("Y", "X")]


def test_phases_in_life_cycle_order():
    assert lca.bloom().phases() == ["manufacturing", "training", "deployment"]


def test_data_file_round_trip(tmp_path):
    model = lca.bloom()
    model.parameters["lifetime"].uncertainty = Uncertainty.from_spec(
        {"distribution": "triangular", "min": 4, "max": 7}, 6.0, "lifetime"
    )
    model.parameters["gpu_embodied"].uncertainty = Uncertainty.from_spec(
        {"pedigree": [2, 3, 1, 2, 4], "basic_variance": 0.3}, 150.0, "gpu_embodied"
    )
    path = tmp_path / "bloom.yaml"
    dump_model(model, path)
    again = load_model(path)
    assert model_to_dict(again) == model_to_dict(model)
    assert again.parameters["gpu_embodied"].uncertainty == model.parameters["gpu_embodied"].uncertainty
    assert lca.solve(again).phase_table().equals(lca.solve(model).phase_table())


def test_dict_round_trip_keeps_every_field():
    model = lca.bloom()
    data = model_to_dict(model)
    again = model_from_dict(data)
    assert again.activities == model.activities
    assert again.parameters == model.parameters
    assert again.functional_unit == model.functional_unit
    # info.datasets is provenance, recorded by the reader from the dataset entries an inventory
    # names; the dump holds their expanded records (each activity's source names its entry)
    assert again.info == {k: v for k, v in model.info.items() if k != "datasets"}


def test_duplicate_codes_are_refused():
    model = lca.bloom()
    with pytest.raises(lca.InventoryError, match="activity code 'bloom_training' is used twice"):
        model.add_activity(model.activities["bloom_training"])


def test_written_files_have_ordinary_permissions(tmp_path):
    import os

    from lca.io.files import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.yaml", b"x: 1\n")
    finally:
        os.umask(old)
    # 0666 less the umask 022 = 0644, not the 0600 of a temporary file
    assert (tmp_path / "out.yaml").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]  # no temporary file left


def test_every_dataset_file_is_packaged_for_a_wheel_install():
    # pyproject's data-files must list every file of datasets/, or a non-editable install
    # (pip install .) would miss it: compare the globs with the tree
    import glob
    import tomllib

    root = lca.datasets_dir().parent
    config = tomllib.loads((root / "pyproject.toml").read_text())
    packaged = set()
    for patterns in config["tool"]["setuptools"]["data-files"].values():
        for pattern in patterns:
            packaged.update(glob.glob(str(root / pattern)))
    shipped = {str(p) for p in (root / "datasets").rglob("*") if p.is_file()}
    assert shipped - packaged == set()
