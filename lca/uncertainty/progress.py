"""A tiny progress bar for long Monte Carlo runs, on stderr, only for a terminal.

Examples
--------
>>> import io
>>> bar = ProgressBar(io.StringIO(), delay=0.0)   # not a terminal: prints nothing
>>> bar(50, 100); bar(100, 100)
>>> bar.stream.getvalue()
''
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Callable ``(done, total)`` that draws ``[#####.....] 50%`` on a terminal.

    Parameters
    ----------
    stream : text stream, optional
        Where to draw (default: ``sys.stderr``); nothing is drawn unless it is a terminal.
    delay : float
        Seconds before the bar appears, so that short runs stay silent.
    width : int
        Characters of the bar.
    """

    def __init__(self, stream: TextIO | None = None, delay: float = 0.5, width: int = 30):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.delay = delay
        self.width = width
        self.started = time.perf_counter()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.started < self.delay:
            return
        filled = int(self.width * done / max(total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {100 * done / max(total, 1):3.0f}% {done:,}/{total:,} iterations")
        self.drawn = True
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
