"""The hostile-input corpus of issue 12: every case gives its located refusal (exit 2, one
exact first line, no traceback) or, for a valid control, its exact numbers; none hangs, none
exhausts memory, none leaves a file behind or changes one it should not.

Each family runs in one subprocess (``hostile_runner.py``) with an address-space limit and
a timeout; the runner also stops a case at its own time bound and measures how much it
raised the peak resident memory. The cases and their expectations are in ``make_corpus.py``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402

#: Address space of the process that runs a family: the imports take about 0.8 GiB; an alias
#: bomb or a power tower would take all the machine has, and is stopped here instead.
ADDRESS_SPACE = 3 * 1024**3


def _limits() -> None:  # in the child, before it runs Python
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_family(manifest: Path, cases: list[make_corpus.Case]) -> tuple[dict[str, dict], str]:
    """Results by case name, and what went wrong with the runner itself ("" if nothing)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.pop("LCA_DATA_PATH", None)
    timeout = sum(c.seconds for c in cases) + 60
    process = subprocess.Popen(
        [sys.executable, str(HERE / "hostile_runner.py"), str(manifest), *(c.name for c in cases)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_limits,
        cwd=manifest.parent,
    )
    try:
        out, err = process.communicate(timeout=timeout)
        trouble = "" if process.returncode == 0 else f"runner exited {process.returncode}: {err[-2000:]}"
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        trouble = f"runner killed after {timeout:.0f} s"
    results, started = {}, None
    for line in out.splitlines():
        if line.startswith("START "):
            started = line[6:]
        elif line.startswith("RESULT "):
            result = json.loads(line[7:])
            results[result["name"]] = result
    if started and started not in results:
        trouble += f"; case {started} started and never finished (a hang or a crash of the process)"
    return results, trouble


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder``: kind, and its content hash or link target (links not followed)."""
    found = {}
    for root, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            path = Path(root) / name
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                found[str(path.relative_to(folder))] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                found[str(path.relative_to(folder))] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                found[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode),)
    return found


def totals(stdout: str) -> dict[str, float]:
    """Indicator -> total of ``lca run --format csv`` output."""
    rows = csv.DictReader(io.StringIO(stdout))
    return {
        r["indicator"]: float(r["value"] or "nan")  # an empty value: no data
        for r in rows
        if r["phase"] == "total" and r["statistic"] == "value"
    }


def problems_of(
    case: make_corpus.Case, result: dict | None, before: dict[str, tuple], folder: Path
) -> list[str]:
    """What is wrong with one case's result (empty when it did what it must)."""
    if result is None:
        return ["did not run (see the runner's trouble)"]
    wrong = []
    lines = result["stderr"].splitlines()
    first = lines[0] if lines else ""
    want = case.first.replace("{dir}", str(folder))
    if result["status"] != case.status:
        wrong.append(f"exit status {result['status']}, expected {case.status}")
    if "Traceback" in result["stderr"]:
        wrong.append("a traceback: " + result["stderr"][-600:])
    if first != want:
        wrong.append(f"first line\n      {first[:500]!r}\n    expected\n      {want[:500]!r}")
    if case.lines is not None and len(lines) != case.lines:
        wrong.append(f"{len(lines)} lines on stderr, expected {case.lines}: {lines[:4]}")
    if result["seconds"] > case.seconds:
        wrong.append(f"took {result['seconds']:.1f} s, more than {case.seconds} s")
    if result["megabytes"] > case.megabytes:
        wrong.append(f"raised the peak memory by {result['megabytes']:.0f} MB, more than {case.megabytes}")
    after = snapshot(folder)
    changed = [n for n in before if after.get(n) != before[n]]
    allowed = [o.rstrip("/") for o in case.outputs]
    added = sorted(
        n for n in set(after) - set(before) if not any(n == o or n.startswith(o + "/") for o in allowed)
    )
    missing = [n for n in allowed if n not in after] if case.status == 0 else []
    if changed or added or missing:
        wrong.append(f"files: changed {changed}, left behind {added}, not written {missing}")
    if case.totals:
        got = totals(result["stdout"]) if result["status"] == 0 else {}
        for code, value in case.totals.items():
            if code not in got or abs(got[code] - value) > case.rel * max(abs(value), 1e-300):
                wrong.append(f"{code} total {got.get(code)}, expected {value} (rel {case.rel})")
    wrong += [f"stdout lacks {text!r}" for text in case.contains if text not in result["stdout"]]
    if case.check and result["status"] == 0:
        wrong += CHECKS[case.check](folder, result)
    return wrong


# -- what an output must (not) hold -------------------------------------------------------------------
def _no_formula(folder: Path, result: dict) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(folder / "r.xlsx")  # not data_only: formulas stay formulas
    live = [
        f"{ws.title}!{c.coordinate}"
        for ws in book
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    texts = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    wrong = [f"live formulas at {live[:5]}"] if live else []
    if not any(t.startswith("=HYPERLINK") or t.startswith("=cmd") for t in texts):
        wrong.append("the payload is not in the workbook as text (nothing was tested)")
    return wrong


def _no_raw_html(folder: Path, result: dict) -> list[str]:
    page = next(folder.glob("r.*")).read_text(encoding="utf-8")
    wrong = [f"raw {tag!r} in the page" for tag in ("<script>alert", "<img src=x") if tag in page]
    if "alert(1)" not in page:
        wrong.append("the payload is not in the page at all (nothing was tested)")
    return wrong


def _provenance(folder: Path) -> str:
    digest = hashlib.sha256((folder / "data" / "grid.csv").read_bytes()).hexdigest()
    return f"grid/FR (replaces the shipped entry; {folder / 'data' / 'grid.csv'}, sha256 {digest[:16]})"


def _provenance_md(folder: Path, result: dict) -> list[str]:
    text = (folder / "r.md").read_text(encoding="utf-8")
    return (
        []
        if f"from LCA_DATA_PATH: {_provenance(folder)}" in text
        else ["the report does not name grid/FR's file"]
    )


def _provenance_xlsx(folder: Path, result: dict) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(folder / "r.xlsx", read_only=True)
    texts = [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v]
    found = any(f"from LCA_DATA_PATH: {_provenance(folder)}" in t for t in texts)
    return [] if found else ["the results workbook does not name grid/FR's file"]


def _provenance_json(folder: Path, result: dict) -> list[str]:
    document = json.loads(result["stdout"])
    digest = hashlib.sha256((folder / "data" / "grid.csv").read_bytes()).hexdigest()
    expected = [
        {"ref": "grid/FR", "file": str(folder / "data" / "grid.csv"), "sha256": digest, "replaces": True}
    ]
    wrong = [] if document["datasets_local"] == expected else [f"datasets_local {document['datasets_local']}"]
    if not document["dataset_version"].endswith("+local"):
        wrong.append(f"dataset_version {document['dataset_version']}")
    return wrong


def _version_not_local(folder: Path, result: dict) -> list[str]:
    version = json.loads(result["stdout"])["dataset_version"]
    shipped = (make_corpus.DATASETS / "VERSION").read_text(encoding="utf-8").strip()
    return [] if version == shipped else [f"dataset_version {version}, expected {shipped}"]


CHECKS = {
    "xlsx-no-formula": _no_formula,
    "no-raw-html": _no_raw_html,
    "provenance-md": _provenance_md,
    "provenance-xlsx": _provenance_xlsx,
    "provenance-json": _provenance_json,
    "version-not-local": _version_not_local,
}


# -- the corpus ---------------------------------------------------------------------------------------
def test_the_corpus_covers_every_family_with_enough_cases():
    found = make_corpus.cases()
    families = {c.family for c in found}
    assert families == set(make_corpus.FAMILIES)
    assert len(found) >= 200
    assert sum(c.status == 0 for c in found) >= 30  # valid controls beside the refusals
    assert all(c.status == 0 or c.first.startswith("error: ") for c in found)


@pytest.mark.parametrize("family", list(make_corpus.FAMILIES))
def test_family(family, tmp_path):
    found = make_corpus.cases([family])
    manifest = make_corpus.write(tmp_path, found)
    before = {c.name: snapshot(tmp_path / c.name) for c in found}
    results, trouble = run_family(manifest, found)
    report = [
        f"{c.name}: " + "; ".join(w)
        for c in found
        if (w := problems_of(c, results.get(c.name), before[c.name], tmp_path / c.name))
    ]
    assert not trouble and not report, "\n".join([trouble, *report])
