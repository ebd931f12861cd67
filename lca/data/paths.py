"""Where the shipped datasets are."""

from __future__ import annotations

import sys
from pathlib import Path


def datasets_dir() -> Path:
    """The ``datasets/`` folder: beside the package in a source tree (editable install),
    or ``<prefix>/share/lca/datasets`` after a wheel install."""
    here = Path(__file__).resolve().parent.parent
    installed = Path(sys.prefix) / "share" / "lca" / "datasets"
    for candidate in (here.parent / "datasets", here / "datasets", installed):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the lca datasets folder is missing from this installation")
