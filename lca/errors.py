"""The exception hierarchy, and the problems that errors carry.

Every error says what is wrong, where (file, sheet, row, field, formula) and what was
expected. An error raised for a user's mistake carries :class:`Problem` records: the
*place* (which record of the model, or a located place in a file), the *field* at fault,
the *value* found and what was *expected*; its message is built from them, as pint builds
"Cannot convert from 'meter' ([length]) to 'second' ([time])" from its fields. Readers put
a problem on a YAML path or a ``Sheet!Cell`` from its place and field, never by reading
its text.

Each error class is also a built-in exception of the matching kind, so ``except
ValueError`` keeps working for callers that do not know ``lca``.

Examples
--------
>>> p = Problem(Place("exchange", "job", 0, "grid"), "'kWhh' is not a unit", field="unit", value="kWhh",
...             expected="a unit", hint="did you mean 'kWh'?", error=UnitError)
>>> str(p)
"activity 'job', exchange 1 (input 'grid') unit: 'kWhh' is not a unit; did you mean 'kWh'?"
>>> str(p.located("job.yaml, activities.job.exchanges[0].unit"))
"job.yaml, activities.job.exchanges[0].unit: 'kWhh' is not a unit; did you mean 'kWh'?"
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any


class LcaError(Exception):
    """Base class of every error raised by ``lca`` for a user's mistake.

    Parameters
    ----------
    message : str, Problem or sequence of Problem
        A plain message, or the problems found (the message lists them, one per line).
    """

    def __init__(self, message: str | Problem | Sequence[Problem] = ""):
        if isinstance(message, Problem):
            problems = [message]
        elif isinstance(message, list | tuple):
            problems = list(message)
        else:
            problems = []
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems) if problems else message)


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


class OptionError(LcaError, ValueError):
    """A command-line option's value cannot be used (the message starts with the option)."""


class DataNotFound(LcaError, KeyError):
    """A name was looked up in the shipped data or an inventory and is not there."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


class InputFileError(LcaError, ValueError):
    """An input file has one or more located problems; all are listed.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, in file order, each located (``file, place``).
    """

    def __init__(self, problems: Sequence[Problem]):
        super().__init__(list(problems))


class LcaWarning(UserWarning):
    """A result is computed but deserves attention (a negative supply from a loop...).

    The command line prints each as one ``warning: ...`` line; :func:`warn` issues one.
    """


def warn(message: str | Problem) -> None:
    """Issue an :class:`LcaWarning`: ``message`` starts with its place (``bloom.xlsx,
    Exchanges!5:5: ...``), as an error line does.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("bloom.xlsx, Exchanges!5:5: row 5 is hidden; it is read")
    >>> str(caught[0].message)
    'bloom.xlsx, Exchanges!5:5: row 5 is hidden; it is read'
    """
    warnings.warn(LcaWarning(str(message)), stacklevel=2)


#: Kinds of model record a :class:`Place` names.
PLACE_KINDS = ("model", "functional_unit", "parameter", "activity", "exchange", "flow")


@dataclass(frozen=True)
class Place:
    """Which record of a model a problem is about.

    Parameters
    ----------
    kind : str
        One of :data:`PLACE_KINDS`.
    key : str
        Parameter name, activity code (the consuming activity for an exchange) or flow code.
    index : int, optional
        An exchange's position in its activity's list (0-based).
    input : str
        An exchange's input code (for messages only; not part of the identity).
    """

    kind: str
    key: str = ""
    index: int | None = None
    input: str = dataclasses.field(default="", compare=False)

    def __str__(self) -> str:
        if self.kind == "exchange":
            return f"activity '{self.key}', exchange {(self.index or 0) + 1} (input '{self.input}')"
        if self.kind == "functional_unit":
            return "functional unit"
        if self.kind == "model":
            return f"model '{self.key}'" if self.key else "model"
        return f"{self.kind} '{self.key}'"


@dataclass(frozen=True)
class Problem:
    """One problem: where, which field, the value found and what was expected.

    Parameters
    ----------
    where : Place or str
        The model record (rules on a model) or a located place in a file
        (``"bloom.xlsx, Exchanges!D14"``, ``"bloom.yaml, parameters.lifetime.unit"``).
    message : str
        What is wrong, in words, when "VALUE; expected EXPECTED" does not say it well.
    field : str
        The field at fault: ``"unit"``, ``"amount"``, ``"lifetime"``, ``"phase"``,
        ``"gsd"``, ``"factors.GWP"``... (empty for a problem of the whole record).
    value : object
        The value found.
    expected : str
        What was expected, in words.
    hint : str
        A suggestion: ``"did you mean 'kWh'?"``.
    units, dimensions : tuple of str
        For a unit that does not convert: the two units and their dimensions.
    error : type
        The :class:`LcaError` subclass raised for it.
    is_located : bool
        True once a reader has put it on a file's place (``where`` is that place and
        already names the field).
    """

    where: Place | str
    message: str = ""
    field: str = ""
    value: Any = None
    expected: str = ""
    hint: str = ""
    units: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    error: type[LcaError] = dataclasses.field(default=InventoryError, compare=False, repr=False)
    is_located: bool = dataclasses.field(default=False, compare=False, repr=False)

    def describe(self) -> str:
        """What is wrong and what was expected, without the place."""
        text = self.message or f"{_show(self.value)}; expected {self.expected}"
        return f"{text}; {self.hint}" if self.hint else text

    def located(self, where: str) -> Problem:
        """The same problem put on a file's place (which names the field itself)."""
        return replace(self, where=where, is_located=True)

    def __str__(self) -> str:
        place = str(self.where)
        if self.field and not self.is_located:
            place = f"{place} {self.field}" if place else self.field
        return f"{place}: {self.describe()}" if place else self.describe()


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def problems_of(exc: LcaError, where: Place | str = "") -> list[Problem]:
    """The problems an error carries, or one problem of its message at ``where``."""
    if exc.problems:
        return list(exc.problems)
    return [Problem(where, str(exc), error=type(exc))]
