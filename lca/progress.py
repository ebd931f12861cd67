"""The progress bar of long runs (Monte Carlo, scenarios), drawn by tqdm on stderr.

tqdm shows the count, the rate and the time left (``1,200/10,000 [00:02<00:15, 580
iterations/s]``), redraws at most ten times a second, and draws nothing when stderr is not
a terminal, so pipelines and logs get no control characters. The bar appears only after
half a second, so that short runs stay silent, and is erased when the run ends.

Examples
--------
>>> import io
>>> with ProgressBar(io.StringIO(), delay=0.0) as bar:   # not a terminal: draws nothing
...     bar(50, 100); bar(100, 100)
>>> bar.stream.getvalue()
''
"""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    """Callable ``(done, total)`` that draws a tqdm bar with rate and time left.

    Parameters
    ----------
    stream : text stream, optional
        Where to draw (default: ``sys.stderr``); nothing is drawn unless it is a terminal.
    delay : float
        Seconds before the bar appears.
    unit : str
        What is counted (``iterations``, ``scenarios``).
    description : str
        Text before the bar.
    mininterval : float
        Least seconds between two redraws.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        delay: float = 0.5,
        unit: str = "iterations",
        description: str = "",
        mininterval: float = 0.1,
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.unit = unit
        self.description = description
        self.mininterval = mininterval
        self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                file=self.stream,
                disable=None,  # None: off when the stream is not a terminal
                delay=self.delay,
                mininterval=self.mininterval,
                unit=f" {self.unit}",
                desc=self.description or None,
                leave=False,
                dynamic_ncols=True,
            )
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        """Erase the bar (also when the run fails)."""
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


__all__ = ["ProgressBar"]
