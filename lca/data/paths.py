"""Where the shipped datasets are."""

from __future__ import annotations

from pathlib import Path


def datasets_dir() -> Path:
    """The ``datasets/`` folder: beside the package in a source tree, inside it in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "datasets", here / "datasets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the lca datasets folder is missing from this installation")
