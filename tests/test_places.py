"""Where a run happened, as a grid entry: ISO 3166 codes and cloud regions."""

import csv

import pytest

from lca import places
from lca.data import catalogue
from lca.data.paths import datasets_dir
from lca.errors import DataNotFound


@pytest.mark.parametrize("code", ["FRA", "FR", "fra", " fr "])
def test_alpha_3_and_alpha_2_codes(code):
    assert places.grid_of_country(code) == "FR"


def test_every_grid_country_is_a_known_code():
    # the grid entries named by a country code are reachable from their alpha-3 code
    for name, entry in catalogue().entries["grid"].items():
        if len(name) == 2:
            assert places.country(entry.attributes["region"]).alpha_2 == name


def test_unknown_codes_and_regions_suggest_the_closest():
    with pytest.raises(DataNotFound, match="'FRX' is not an ISO 3166-1 code; did you mean .*'FRA'"):
        places.country("FRX")
    with pytest.raises(DataNotFound, match=r"no grid mix for Mexico \(MEX\)"):
        places.grid_of_country("MX")
    with pytest.raises(
        DataNotFound, match="no aws region 'eu-west-9' in datasets/cloud_regions.csv; did you mean 'eu-west-"
    ):
        places.cloud_region("aws", "eu-west-9")
    with pytest.raises(DataNotFound, match="cloud provider 'gpc' is not known; did you mean 'gcp'"):
        places.cloud_region("gpc", "us-central1")


def test_cloud_regions_table():
    with (datasets_dir() / "cloud_regions.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len({(r["provider"], r["region"]) for r in rows}) == len(rows)  # unique
    grids = catalogue().entries["grid"]
    for row in rows:
        assert row["source"], row
        assert places.country(row["country"]).alpha_2 == row["country"]
        assert not row["grid"] or row["grid"] in grids
    # AWS us-east-1 is in Northern Virginia: the US grid; Azure francecentral: the French one
    assert places.grid_of_cloud("aws", "us-east-1") == "US"
    assert places.grid_of_cloud("azure", "francecentral") == "FR"
