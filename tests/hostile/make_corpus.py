"""The hostile-input corpus of issue 12, and the script that writes it.

Each :class:`Case` is an input that once crashed ``lca``, hung it, exhausted its memory, was
read silently wrong, was refused without a place or replaced a file it should not have,
with what ``lca`` must do now: the exit status, the exact first line it prints on stderr
(located: ``file, place: what; expected``), how many lines, the files it may leave, and
for the valid controls their exact numbers. Families follow the issue's sections; the
inputs are built here, from the small inventory below (solved by hand) and the shipped
cases, so the corpus needs no binary files in the repository.

    python tests/hostile/make_corpus.py OUT [FAMILY...]

writes ``OUT/<case>/`` (the input files) and ``OUT/manifest.json``. ``test_corpus.py``
writes it to a temporary folder and runs it (``hostile_runner.py``).

The cases are built in ``corpus_base.py`` (the small inventory solved by hand, builders of
YAML and workbook inputs) and the families in ``corpus_text.py``, ``corpus_books.py`` and
``corpus_more.py``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus_base import DATASETS, Case  # noqa: E402
from corpus_books import hidden_and_duplicates, locations, rows_and_columns, workbook_damage  # noqa: E402
from corpus_more import controls, datasets, did_you_mean, injection, loops, outputs  # noqa: E402
from corpus_text import formulas, nfkc, uncertainty, units, yaml_numbers, yaml_structure  # noqa: E402

__all__ = ["DATASETS", "FAMILIES", "Case", "cases", "write"]


FAMILIES: dict[str, Callable[[], list[Case]]] = {
    "formulas": formulas,
    "units": units,
    "yaml": yaml_structure,
    "yaml-numbers": yaml_numbers,
    "uncertainty": uncertainty,
    "nfkc": nfkc,
    "workbook": workbook_damage,
    "rows": rows_and_columns,
    "hidden": hidden_and_duplicates,
    "locations": locations,
    "loops": loops,
    "datasets": datasets,
    "did-you-mean": did_you_mean,
    "outputs": outputs,
    "injection": injection,
    "controls": controls,
}


def cases(families: list[str] | None = None) -> list[Case]:
    """The cases of ``families`` (default: all), names unique."""
    found = [c for name, make in FAMILIES.items() if not families or name in families for c in make()]
    names = [c.name for c in found]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    return found


def write(root: Path, found: list[Case]) -> Path:
    """Write the cases' files under ``root`` and the manifest; the manifest's path."""
    for case in found:
        folder = root / case.name
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in case.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(content):
                content(path)
            else:
                path.write_bytes(content)
    manifest = root / "manifest.json"
    manifest.write_text(json.dumps([c.manifest() for c in found], indent=1), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    target = Path(sys.argv[1])
    made = cases(sys.argv[2:] or None)
    write(target, made)
    print(f"{len(made)} cases in {target}")
