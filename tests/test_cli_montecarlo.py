"""`lca run --iterations N --seed S`: the phase x indicator table with bands."""

import re

from terminal import Terminal

import lca
from lca.cli import main
from lca.progress import ProgressBar

EXAMPLE = lca.datasets_dir() / "examples" / "bloom_parametric.yaml"


def test_run_with_iterations_prints_bands_seed_and_iterations(capsys):
    args = ["run", str(EXAMPLE), "--iterations", "2000", "--seed", "7", "--activity", "dynamic"]
    assert main(args) == 0
    out = capsys.readouterr()
    assert "of 2,000 iterations (random sampling), seed 7" in out.out
    lines = {line.split()[0]: line for line in out.out.splitlines() if line.strip()}
    for row in ("manufacturing", "training", "dynamic", "total"):
        assert re.search(r"\[[\d.,]+ – [\d.,]+\]", lines[row]), lines[row]  # mean [p2.5 – p97.5]
    assert out.err == ""  # no progress bar when stderr is not a terminal
    # the same seed prints the same table
    assert main(args) == 0
    assert capsys.readouterr().out == out.out


def test_run_refuses_an_unknown_activity_with_exit_status_2(capsys):
    assert main(["run", str(EXAMPLE), "--iterations", "10", "--seed", "1", "--activity", "dynamc"]) == 2
    assert "no activity 'dynamc'" in capsys.readouterr().err


def test_progress_bar_shows_rate_and_time_left_on_a_terminal():
    stream = Terminal()
    with ProgressBar(stream, delay=0.0, mininterval=0.0) as bar:
        bar(2_500, 10_000)
        bar(5_000, 10_000)
    assert " 50%" in stream.text and "5000/10000" in stream.text
    assert " iterations/s]" in stream.text  # the rate
    assert "<00:" in stream.text  # elapsed<remaining
    assert stream.text.endswith("\r")  # erased at the end, the table prints on a clean line


def test_run_with_iterations_flags_incomplete_indicators(capsys):
    # the GPT-3 case (Patterson et al. 2021) has no ADP, PE or WATER data: bands of 0 must
    # come with a note, as in the deterministic table
    gpt3 = lca.datasets_dir() / "cases" / "gpt3.yaml"
    assert main(["run", str(gpt3), "--iterations", "100", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "note: WATER is incomplete: no data for electricity_msft, gpt3_training" in out
