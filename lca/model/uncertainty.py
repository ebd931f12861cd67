"""Uncertainty descriptions, in the stats_arrays convention of Brightway.

An :class:`Uncertainty` describes how an amount (a parameter or an exchange) varies.
Its fields follow stats_arrays: ``kind`` is the distribution id, ``loc``, ``scale``,
``shape``, ``minimum`` and ``maximum`` are in the amount's own unit, except for the
lognormal, whose ``loc`` is ln(median) and ``scale`` is sigma of ln(x) (so GSD = exp(sigma)),
and ``negative`` flips its sign.

Ids: 0 undefined, 1 no uncertainty, 2 lognormal, 3 normal, 4 uniform, 5 triangular.
Ids 6-12 (Bernoulli, discrete uniform, Weibull, gamma, beta, GEV, Student's t) are
recognised and refused with a clear error rather than treated as fixed.

Examples
--------
>>> u = Uncertainty.from_spec({"distribution": "lognormal", "gsd": 1.2}, 150.0, "gpu")
>>> u.kind, round(u.median(), 6), round(u.gsd, 6)
(2, 150.0, 1.2)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from lca.errors import Place, Problem, UncertaintyError
from lca.model.pedigree import check_scores, pedigree_sigma

UNDEFINED, NONE, LOGNORMAL, NORMAL, UNIFORM, TRIANGULAR = 0, 1, 2, 3, 4, 5

#: stats_arrays ids by name, the six supported first.
DISTRIBUTION_IDS: dict[str, int] = {
    "undefined": UNDEFINED,
    "fixed": NONE,
    "none": NONE,
    "lognormal": LOGNORMAL,
    "normal": NORMAL,
    "uniform": UNIFORM,
    "triangular": TRIANGULAR,
}
UNSUPPORTED_IDS = {
    6: "Bernoulli",
    7: "discrete uniform",
    8: "Weibull",
    9: "gamma",
    10: "beta",
    11: "generalised extreme value",
    12: "Student's t",
}
NAMES = {
    UNDEFINED: "undefined",
    NONE: "fixed",
    LOGNORMAL: "lognormal",
    NORMAL: "normal",
    UNIFORM: "uniform",
    TRIANGULAR: "triangular",
}

_SPEC_KEYS = {
    "distribution",
    "id",
    "gsd",
    "sigma",
    "sd",
    "min",
    "max",
    "mode",
    "pedigree",
    "basic_variance",
    "loc",
    "scale",
    "shape",
    "negative",
}


@dataclass(frozen=True)
class Uncertainty:
    """How an amount varies (stats_arrays fields, in the amount's unit).

    Parameters
    ----------
    kind : int
        stats_arrays distribution id (0-5 supported).
    loc : float
        Fixed: the amount; normal: mean; triangular: mode; lognormal: ln(|median|).
    scale : float
        Normal: standard deviation; lognormal: sigma of ln(x), dimensionless.
    minimum, maximum : float
        Uniform and triangular bounds (NaN when unused).
    negative : bool
        Lognormal only: the amount is negative (the distribution of -x is lognormal).
    pedigree : tuple of 5 ints or None
        Data-quality scores this spread came from, kept for reports.
    """

    kind: int = NONE
    loc: float = math.nan
    scale: float = math.nan
    shape: float = math.nan
    minimum: float = math.nan
    maximum: float = math.nan
    negative: bool = False
    pedigree: tuple[int, int, int, int, int] | None = None
    basic_variance: float = math.nan

    # -- construction -------------------------------------------------------------
    @classmethod
    def fixed(cls, amount: float) -> Uncertainty:
        """No uncertainty: always ``amount``."""
        return cls(NONE, loc=float(amount))

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any] | None, amount: float, where: Place | str = "") -> Uncertainty:
        """Build from a data-file mapping and the amount it describes (the one rule set).

        Accepted forms (bounds in the amount's unit)::

            {distribution: lognormal, gsd: 1.2}          # or sigma: 0.18
            {distribution: lognormal, pedigree: [2,3,1,2,4], basic_variance: 0.0006}
            {distribution: normal, sd: 10}
            {distribution: uniform, min: 100, max: 250}
            {distribution: triangular, min: 4, max: 7}   # mode = amount unless given

        The stats_arrays fields are read with their meaning: ``id`` is the distribution
        id, ``loc`` is ln(median) of a lognormal (the mean of a normal, the mode of a
        triangular), ``scale`` is sigma of a lognormal (the sd of a normal) and
        ``negative`` says that a lognormal amount is negative. A field the distribution
        does not read, or two fields that disagree (``loc`` and the amount, ``id`` and
        ``distribution``, ``gsd`` and ``sigma``), is refused: a field is never silently
        dropped.

        Raises
        ------
        UncertaintyError
            With a :class:`~lca.errors.Problem` naming ``where`` and the field at fault.

        Examples
        --------
        A triangular lifetime of 4 to 7 years, 6 years most likely (mode = amount):

        >>> u = Uncertainty.from_spec({"distribution": "triangular", "min": 4, "max": 7}, 6.0, "lifetime")
        >>> (u.minimum, u.loc, u.maximum)
        (4.0, 6.0, 7.0)

        A lognormal of GSD 1.5 around 150 kg: median 150, sigma = ln 1.5 = 0.405:

        >>> u = Uncertainty.from_spec({"distribution": "lognormal", "gsd": 1.5}, 150.0, "gpu")
        >>> round(u.median(), 6), round(u.scale, 3)
        (150.0, 0.405)

        Brightway's fields: loc = ln(median), scale = sigma:

        >>> u = Uncertainty.from_spec({"id": 2, "loc": math.log(150.0), "scale": 0.405}, 150.0, "gpu")
        >>> round(u.median(), 6), u.scale
        (150.0, 0.405)
        """
        if not spec:
            return cls.fixed(amount)
        return _Spec(spec, float(amount), where).build()

    # -- checks and views -----------------------------------------------------------
    def validate(self, where: Place | str = "") -> None:
        """Raise :class:`UncertaintyError` naming ``where`` and the field if inconsistent."""
        problem = self.problem(where)
        if problem is not None:
            raise UncertaintyError(problem)

    def problem(self, where: Place | str = "") -> Problem | None:
        """The first inconsistency of the fields, as a :class:`~lca.errors.Problem` (None if none)."""
        name = NAMES.get(self.kind, str(self.kind))

        def bad(field: str, value: Any, expected: str, message: str = "") -> Problem:
            return Problem(
                where, field=field, value=value, expected=expected, message=message, error=UncertaintyError
            )

        if self.kind in UNSUPPORTED_IDS:
            return bad(
                "distribution",
                self.kind,
                "1 fixed, 2 lognormal, 3 normal, 4 uniform or 5 triangular",
                f"distribution id {self.kind} ({UNSUPPORTED_IDS[self.kind]}) is not supported; "
                "use 1 fixed, 2 lognormal, 3 normal, 4 uniform or 5 triangular",
            )
        if self.kind not in NAMES:
            return bad("distribution", self.kind, "a stats_arrays id 0-5")
        if self.kind == LOGNORMAL and not (self.scale >= 0 and math.isfinite(self.scale)):
            return bad("sigma", self.scale, ">= 0")
        if self.kind == NORMAL and not (self.scale >= 0 and math.isfinite(self.scale)):
            return bad("sd", self.scale, ">= 0")
        if self.kind in (UNIFORM, TRIANGULAR):
            if not self.minimum <= self.maximum:
                return bad(
                    "min",
                    self.minimum,
                    f"<= max ({self.maximum:g})",
                    f"{name} min ({self.minimum:g}) is above max ({self.maximum:g})",
                )
            if self.kind == TRIANGULAR and not self.minimum <= self.loc <= self.maximum:
                return bad(
                    "mode",
                    self.loc,
                    f"between min and max ({self.minimum:g} to {self.maximum:g})",
                    f"triangular mode ({self.loc:g}) is outside min-max "
                    f"({self.minimum:g} to {self.maximum:g})",
                )
            if self.kind == UNIFORM and not self.minimum <= self.loc <= self.maximum:
                return bad(
                    "min",
                    self.minimum,
                    f"a range that contains the amount {self.loc:g}",
                    f"uniform range {self.minimum:g} to {self.maximum:g} does not contain "
                    f"the amount {self.loc:g}",
                )
        return None

    @property
    def name(self) -> str:
        """Distribution name: fixed, lognormal, normal, uniform or triangular."""
        return NAMES[self.kind]

    @property
    def is_uncertain(self) -> bool:
        """False for fixed and undefined, and for zero-width distributions."""
        if self.kind in (UNDEFINED, NONE):
            return False
        if self.kind in (LOGNORMAL, NORMAL):
            return self.scale > 0
        return self.maximum > self.minimum

    @property
    def gsd(self) -> float:
        """Geometric standard deviation of a lognormal, exp(sigma)."""
        return math.exp(self.scale) if self.kind == LOGNORMAL else math.nan

    def median(self) -> float:
        """The lognormal's median (signed); other kinds: NaN."""
        if self.kind != LOGNORMAL:
            return math.nan
        return -math.exp(self.loc) if self.negative else math.exp(self.loc)

    def scaled(self, factor: float) -> Uncertainty:
        """The same distribution for the amount multiplied by ``factor`` > 0 (a unit change)."""
        if self.kind == LOGNORMAL:
            return replace(self, loc=self.loc + math.log(factor))
        return replace(
            self,
            loc=self.loc * factor,
            scale=self.scale * factor,
            minimum=self.minimum * factor,
            maximum=self.maximum * factor,
        )

    def to_spec(self) -> dict[str, Any]:
        """The data-file mapping that :meth:`from_spec` reads back (amount kept apart)."""
        if self.kind in (UNDEFINED, NONE):
            return {}
        spec: dict[str, Any] = {"distribution": self.name}
        if self.kind == LOGNORMAL:
            if self.pedigree is not None:
                spec["pedigree"] = list(self.pedigree)
                spec["basic_variance"] = self.basic_variance
            else:
                spec["sigma"] = self.scale
        elif self.kind == NORMAL:
            spec["sd"] = self.scale
        else:
            spec.update({"min": self.minimum, "max": self.maximum})
            if self.kind == TRIANGULAR:
                spec["mode"] = self.loc
        return spec


#: Fields each distribution reads, beside the amount (stats_arrays names where they exist).
_READS = {
    UNDEFINED: {"loc"},
    NONE: {"loc"},
    LOGNORMAL: {"gsd", "sigma", "scale", "loc", "negative", "pedigree", "basic_variance"},
    NORMAL: {"sd", "scale", "loc", "negative"},
    UNIFORM: {"min", "max", "loc", "negative"},
    TRIANGULAR: {"min", "max", "mode", "loc", "negative"},
}
_REL = 1e-9  # agreement asked of two fields that say the same thing (loc and the amount...)


class _Spec:
    """Reads one uncertainty mapping; every problem names its field."""

    def __init__(self, spec: Mapping[str, Any], amount: float, where: Place | str):
        self.spec, self.amount, self.where = spec, amount, where

    def fail(self, field: str, expected: str, message: str = "") -> UncertaintyError:
        value = self.spec.get(field)
        return UncertaintyError(
            Problem(
                self.where,
                field=field,
                value=value,
                expected=expected,
                message=message,
                error=UncertaintyError,
            )
        )

    def given(self, key: str) -> bool:
        return key in self.spec and self.spec[key] is not None

    def build(self) -> Uncertainty:
        unknown = set(self.spec) - _SPEC_KEYS
        if unknown:
            first = sorted(unknown)[0]
            message = (
                f"unknown uncertainty field(s) {', '.join(sorted(unknown))}; "
                f"expected some of {', '.join(sorted(_SPEC_KEYS))}"
            )
            raise self.fail(first, "a known field", message)
        kind = self.kind()
        unused = sorted(
            k
            for k in self.spec
            if self.given(k) and k not in ("distribution", "id") and k not in _READS[kind]
        )
        if unused:
            name = NAMES[kind]
            raise self.fail(
                unused[0],
                f"only the fields of distribution '{name}'",
                f"{unused[0]} is not read by distribution '{name}'; clear it or choose the distribution it "
                "belongs to",
            )
        self.check_negative(kind)
        build = {
            UNDEFINED: self.fixed,
            NONE: self.fixed,
            LOGNORMAL: self.lognormal,
            NORMAL: self.normal,
            UNIFORM: self.uniform,
            TRIANGULAR: self.triangular,
        }[kind]
        result = build(kind)
        result.validate(self.where)
        return result

    # -- fields -------------------------------------------------------------------------
    def kind(self) -> int:
        named = self.spec.get("distribution")
        number = self.spec.get("id")
        if named is None and number is None:
            spreads = {"pedigree", "gsd", "sigma"} & {k for k in self.spec if self.given(k)}
            return LOGNORMAL if spreads else NONE
        kinds = [
            (f, _kind(v, self, f)) for f, v in (("distribution", named), ("id", number)) if v is not None
        ]
        if len(kinds) == 2 and kinds[0][1] != kinds[1][1]:
            raise self.fail(
                "id",
                f"the id of '{named}' ({kinds[0][1]})",
                f"id {number} ({NAMES.get(kinds[1][1])}) differs from distribution '{named}'; "
                "give one of them",
            )
        return kinds[0][1]

    def number(self, key: str, default: float = math.nan) -> float:
        """The finite number under ``key``, or ``default`` when absent or empty."""
        if not self.given(key):
            return default
        value = self.spec[key]
        shown = (
            repr(value)
            if len(repr(value)) <= 40
            else f"{repr(value)[:20]}... ({len(repr(value))} characters)"
        )
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(key, "a number", f"{shown} is not a number")
        try:
            number = float(value)
        except OverflowError:
            raise self.fail(key, "a number below 1.8e308", f"{shown} is too large for a float") from None
        except (TypeError, ValueError):
            raise self.fail(key, "a number", f"{shown} is not a number") from None
        if not math.isfinite(number):
            raise self.fail(key, "a finite number", f"{shown} is not a finite number")
        return number

    def one_of(self, keys: tuple[str, ...], message: str) -> tuple[str, float]:
        """The one field of ``keys`` given (two that disagree are refused)."""
        present = [k for k in keys if self.given(k)]
        if not present:
            raise self.fail(keys[0], f"one of {', '.join(keys)}", message)
        values = {k: self.number(k) for k in present}
        if "gsd" in values:
            values["gsd"] = self.gsd_sigma(values["gsd"])
        first = present[0]
        for other in present[1:]:
            if not math.isclose(values[other], values[first], rel_tol=_REL, abs_tol=0.0):
                raise self.fail(
                    other,
                    f"the value {first} says",
                    f"{other} is given beside {first} and they disagree; give one of {', '.join(keys)}",
                )
        return first, values[first]

    def gsd_sigma(self, gsd: float) -> float:
        if not gsd >= 1:
            raise self.fail("gsd", ">= 1", f"{gsd:g}; expected a geometric standard deviation >= 1")
        return math.log(gsd)

    def check_loc(self, expected: float, what: str) -> None:
        if self.given("loc"):
            loc = self.number("loc")
            if not math.isclose(loc, expected, rel_tol=_REL, abs_tol=1e-12):
                raise self.fail(
                    "loc",
                    f"{what} = {expected:.10g}",
                    f"{loc:.10g} is {what} and disagrees with the amount {self.amount:g}; "
                    "the amount is the central value: leave loc out or make them agree",
                )

    def check_negative(self, kind: int) -> None:
        if not self.given("negative"):
            return
        value = self.spec["negative"]
        if not isinstance(value, bool):
            raise self.fail("negative", "true or false", f"{value!r} is not true or false")
        if value != (self.amount < 0):
            sign = "negative" if self.amount < 0 else "not negative"
            raise self.fail(
                "negative",
                f"{str(self.amount < 0).lower()} (the amount is {sign})",
                f"{str(value).lower()}, but the amount {self.amount:g} is {sign}",
            )

    # -- distributions ------------------------------------------------------------------
    def fixed(self, kind: int) -> Uncertainty:
        self.check_loc(self.amount, "the amount")
        return Uncertainty(kind, loc=self.amount)

    def lognormal(self, kind: int) -> Uncertainty:
        if not math.isfinite(self.amount) or self.amount == 0:
            raise self.fail(
                "distribution", "a non-zero amount", f"a lognormal needs a non-zero amount, got {self.amount}"
            )
        pedigree, basic = None, math.nan
        if self.given("pedigree"):
            if any(self.given(k) for k in ("gsd", "sigma", "scale")):
                other = next(k for k in ("gsd", "sigma", "scale") if self.given(k))
                raise self.fail(
                    other, "one spread", f"{other} is given beside pedigree; give one of pedigree, gsd, sigma"
                )
            pedigree = check_scores(self.spec["pedigree"], self.where)
            basic = self.number("basic_variance", 0.0006)
            sigma = pedigree_sigma(pedigree, basic, self.where)
        else:
            if self.given("basic_variance"):
                raise self.fail(
                    "basic_variance",
                    "pedigree scores beside it",
                    "basic_variance is added to pedigree variances; give the pedigree scores too",
                )
            _, sigma = self.one_of(("gsd", "sigma", "scale"), "a lognormal needs gsd, sigma or pedigree")
        self.check_loc(math.log(abs(self.amount)), "ln(median)")
        return Uncertainty(
            LOGNORMAL,
            loc=math.log(abs(self.amount)),
            scale=sigma,
            negative=self.amount < 0,
            pedigree=pedigree,
            basic_variance=basic,
        )

    def normal(self, kind: int) -> Uncertainty:
        _, sd = self.one_of(("sd", "scale"), "a normal needs sd")
        self.check_loc(self.amount, "the mean")
        return Uncertainty(NORMAL, loc=self.amount, scale=sd)

    def uniform(self, kind: int) -> Uncertainty:
        low = self.required("min", "a uniform needs min")
        high = self.required("max", "a uniform needs max")
        self.check_loc(self.amount, "the amount")
        return Uncertainty(UNIFORM, loc=self.amount, minimum=low, maximum=high)

    def triangular(self, kind: int) -> Uncertainty:
        low = self.required("min", "a triangular needs min")
        high = self.required("max", "a triangular needs max")
        if (
            self.given("mode")
            and self.given("loc")
            and not math.isclose(self.number("mode"), self.number("loc"), rel_tol=_REL)
        ):
            raise self.fail("loc", "the mode", "loc is the mode of a triangular and disagrees with mode")
        mode = self.number("mode", self.number("loc", self.amount))
        return Uncertainty(TRIANGULAR, loc=mode, minimum=low, maximum=high)

    def required(self, key: str, message: str) -> float:
        if not self.given(key):
            raise self.fail(key, "a number", message)
        return self.number(key)


def _kind(value: Any, spec: _Spec, field: str) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        if number in UNSUPPORTED_IDS:
            raise spec.fail(
                field,
                "a supported distribution",
                f"distribution id {number} ({UNSUPPORTED_IDS[number]}) is not supported; "
                "use 1 fixed, 2 lognormal, 3 normal, 4 uniform or 5 triangular",
            )
        if number in NAMES:
            return number
    text = str(value).strip().lower()
    if text.isdigit() and not isinstance(value, int | float):  # "2": an id written as text
        return _kind(int(text), spec, field)
    if text in DISTRIBUTION_IDS and field == "distribution":
        return DISTRIBUTION_IDS[text]
    raise spec.fail(
        field,
        "fixed, lognormal, normal, uniform, triangular (or stats_arrays ids 1-5)",
        f"distribution '{value}' is not supported; expected one of "
        "fixed, lognormal, normal, uniform, triangular (or stats_arrays ids 1-5)",
    )
