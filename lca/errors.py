"""The exception hierarchy: one base class, a few specific errors.

Every error says what is wrong, where (file, sheet, row, field, formula) and what was
expected. Each is also a built-in exception of the matching kind, so ``except ValueError``
keeps working for callers that do not know ``lca``.
"""

from __future__ import annotations

from dataclasses import dataclass


class LcaError(Exception):
    """Base class of every error raised by ``lca`` for a user's mistake."""


class UnitError(LcaError, ValueError):
    """A unit is unknown, or cannot convert to the unit a field expects."""


class FormulaError(LcaError, ValueError):
    """A formula is not arithmetic over known parameters, or cannot be evaluated."""


class InventoryError(LcaError, ValueError):
    """An inventory is inconsistent: unknown activity, bad phase, invalid value..."""


class UncertaintyError(LcaError, ValueError):
    """An uncertainty description is invalid (bounds, spread, unsupported distribution)."""


class OutputError(LcaError, OSError):
    """An output file cannot be written where asked (no such folder, a folder, no permission).

    The message starts with the output path, so the CLI prints it as it is.
    """


class DataNotFound(LcaError, KeyError):
    """A name was looked up in the shipped data or an inventory and is not there."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    Parameters
    ----------
    where : str
        Location, e.g. ``"bloom.xlsx, Exchanges!D14"`` or ``"bloom.yaml, parameters.lifetime"``.
    message : str
        What was found and what was expected.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class InputFileError(LcaError, ValueError):
    """An input file has one or more located problems; all are listed.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, in file order.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
