"""Report fields read from ``info`` of the wrong kind: a clear error, never a traceback."""

from __future__ import annotations

import copy

import pytest

from lca.cli import main
from lca.errors import LcaError
from lca.io.datafile import dump_model
from lca.report import build_document, render
from lca.report.sections import ReportInput

DATE = "2026-01-01"


def with_info(model, **fields):
    other = copy.deepcopy(model)
    other.info.update(fields)
    return other


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # was AttributeError: 'str' object has no attribute 'get'
        (
            {"excluded_phases": "transport"},
            "info.excluded_phases is 'transport'; expected a mapping of phase",
        ),
        # was TypeError: unhashable type: 'list'
        ({"training_activity": ["bloom_training"]}, "info.training_activity is ['bloom_training']; expected"),
    ],
)
def test_info_field_of_the_wrong_kind_is_named(bloom_model, bloom_result, fields, expected):
    with pytest.raises(LcaError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        build_document(ReportInput(with_info(bloom_model, **fields), bloom_result, date=DATE))


def test_a_single_effect_given_as_a_number_is_listed(bloom_model, bloom_result):
    # second_order_effects: 5 was TypeError: 'int' object is not iterable; it is listed as one item
    model = with_info(bloom_model, second_order_effects=5)
    page = render(build_document(ReportInput(model, bloom_result, date=DATE)), "md").decode()
    assert "| stated |  | 5 |" in page


def test_cli_report_names_the_info_field_and_writes_nothing(bloom_model, tmp_path, capsys):
    path = tmp_path / "inv.yaml"
    dump_model(with_info(bloom_model, excluded_phases="transport"), path)
    out = tmp_path / "r.html"
    assert main(["report", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {path}: info.excluded_phases is 'transport'; expected a mapping of phase: reason, "
        "e.g. {transport: not reported}"
    ]
    assert not out.exists()
