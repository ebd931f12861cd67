"""Moved: the progress bar of long runs is :class:`lca.progress.ProgressBar` (tqdm).

This name stays importable for code written against release 0.1.0.
"""

from lca.progress import ProgressBar

__all__ = ["ProgressBar"]
