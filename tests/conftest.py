"""Shared fixtures: small inventories solved by hand."""

from __future__ import annotations

import pytest

from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter


def grid_and_job(kwh: float = 1000.0, factor_g: float = 57.0) -> Model:
    """A job using ``kwh`` of a grid mix emitting ``factor_g`` g CO2 eq/kWh."""
    model = Model("grid and job")
    model.add_parameter(Parameter("energy", kwh, "kWh", source="test"))
    model.add_activity(Activity("grid", "electricity", None, "kWh", [Exchange("GWP", factor_g, "g CO2 eq")]))
    model.add_activity(Activity("job", "job", "training", "run", [Exchange("grid", "energy", "kWh")]))
    model.functional_unit = FunctionalUnit("job", 1, "run")
    return model


@pytest.fixture
def tiny() -> Model:
    return grid_and_job()


@pytest.fixture(scope="module")
def dask_client():
    """A Dask cluster of 2 worker processes on this computer (loopback only, no dashboard), one per module."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
