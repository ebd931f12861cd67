"""Run corpus cases through ``lca.cli.main`` in this process, one after the other.

``python hostile_runner.py MANIFEST NAME...`` runs the named cases of the manifest (written
by :mod:`make_corpus`), each in its own folder, with stdout and stderr captured, and prints
for each a ``START name`` line, then a ``RESULT {json}`` line: exit status, stdout, stderr,
wall time, how much the peak resident memory rose, and the files left in its folder. The
caller runs this script in a subprocess with a timeout and an address-space limit, so a
hang or a memory exhaustion kills only this process and the last ``START`` names the case.

A case that raises out of ``main`` (what the console script shows as a traceback, exit 1)
is recorded with status 1 and the traceback as its stderr. A case that runs past its time
bound is stopped by a timer (``SIGALRM``) when Python regains control.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path


class CaseTimeout(BaseException):
    """Raised by the timer when a case runs past its time bound."""


def _alarm(signum, frame):
    raise CaseTimeout


def files_in(folder: Path) -> list[str]:
    """Every entry under ``folder`` (relative paths; links and FIFOs included, not followed)."""
    found = []
    for root, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            found.append(str((Path(root) / name).relative_to(folder)))
    return sorted(found)


def run_case(case: dict, root: Path) -> dict:
    """Run one case in ``root / case['name']``; its result as a mapping."""
    import lca.data
    from lca.cli import main

    folder = root / case["name"]
    env = {k: v.replace("{dir}", str(folder)) for k, v in case.get("env", {}).items()}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    if env or getattr(run_case, "dirty", False):  # the catalogue read LCA_DATA_PATH: read it again
        lca.data._CATALOGUE = None
        run_case.dirty = bool(env)
    out, err = io.StringIO(), io.StringIO()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cwd = os.getcwd()
    os.chdir(folder)
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, float(case["seconds"]))
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(case["argv"])
            except SystemExit as exc:  # argparse
                status = exc.code if isinstance(exc.code, int) else 2
            except CaseTimeout:
                status = "timeout"
            except BaseException:  # what the console script would show as a traceback
                status = 1
                err.write(traceback.format_exc())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - start
        os.chdir(cwd)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "name": case["name"],
        "status": status,
        "stdout": out.getvalue(),
        "stderr": err.getvalue(),
        "seconds": elapsed,
        "megabytes": (after - before) / 1024,  # ru_maxrss is in KiB on Linux
        "files": files_in(folder),
    }


def main(argv: list[str]) -> int:
    manifest = Path(argv[0])
    cases = {c["name"]: c for c in json.loads(manifest.read_text(encoding="utf-8"))}
    for name in argv[1:]:
        print(f"START {name}", flush=True)
        result = run_case(cases[name], manifest.parent)
        print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
