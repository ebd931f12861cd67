"""Printing for people on a terminal: control characters escaped, errors on stderr.

An inventory is other people's text: a name holding ESC, OSC, CR or a bidirectional
override would, printed as it is, set the terminal's title, move the cursor or overwrite
the line with a fake success. Every line the command line prints goes through
:func:`printable`, which shows those characters as escapes (``\\x1b``, ``\\r``,
``\\u202e``) and leaves all other text, accents and symbols included, as it is.

Only the standard library is imported here, so that ``lca --help`` stays fast.

Examples
--------
>>> printable("grid\\x1b]0;pwned\\x07 ok\\rwrote report.html")
'grid\\\\x1b]0;pwned\\\\x07 ok\\\\rwrote report.html'
>>> printable("50,890 kg CO2 eq · 6.6 mg Sb eq")
'50,890 kg CO2 eq · 6.6 mg Sb eq'
"""

from __future__ import annotations

import sys

_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}  # C0, DEL, C1
_ESCAPES |= {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
# bidirectional overrides and marks reorder what the terminal shows ("Trojan source")
_ESCAPES |= {
    c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def printable(text: object) -> str:
    """``text`` on one line, with terminal control characters shown as escapes."""
    return str(text).translate(_ESCAPES)


def say(text: object) -> None:
    """Print text for people on stdout, line by line, control characters escaped."""
    print("\n".join(printable(line) for line in str(text).split("\n")))


def warn(line: object) -> None:
    """Print one line on stderr (an error, a note beside machine-readable output)."""
    print(printable(line), file=sys.stderr)


__all__ = ["printable", "say", "warn"]
