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

from lca.errors import UncertaintyError
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
    def from_spec(cls, spec: Mapping[str, Any] | None, amount: float, where: str) -> Uncertainty:
        """Build from a data-file mapping and the amount it describes.

        Accepted forms (bounds in the amount's unit)::

            {distribution: lognormal, gsd: 1.2}          # or sigma: 0.18
            {distribution: lognormal, pedigree: [2,3,1,2,4], basic_variance: 0.0006}
            {distribution: normal, sd: 10}
            {distribution: uniform, min: 100, max: 250}
            {distribution: triangular, min: 4, max: 7}   # mode = amount unless given

        Raises
        ------
        UncertaintyError
            Naming ``where`` for an unknown or unsupported distribution, a missing or
            invalid field.

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
        """
        if not spec:
            return cls.fixed(amount)
        unknown = set(spec) - _SPEC_KEYS
        if unknown:
            raise UncertaintyError(
                f"{where}: unknown uncertainty field(s) {', '.join(sorted(unknown))}; "
                f"expected some of {', '.join(sorted(_SPEC_KEYS))}"
            )
        kind = _kind(spec.get("distribution", spec.get("id")), spec, where)
        num = _Numbers(spec, where)
        pedigree, basic = None, math.nan
        if kind in (UNDEFINED, NONE):
            result = cls(kind, loc=float(amount))
        elif kind == LOGNORMAL:
            if "pedigree" in spec:
                pedigree = check_scores(spec["pedigree"], where)
                basic = num.get("basic_variance", 0.0006)
                sigma = pedigree_sigma(pedigree, basic, where)
            elif "gsd" in spec:
                gsd = num.get("gsd")
                if not gsd >= 1:
                    raise UncertaintyError(f"{where}: lognormal gsd is {gsd}, expected >= 1")
                sigma = math.log(gsd)
            else:
                sigma = num.require("sigma", "lognormal needs gsd, sigma or pedigree")
            if not math.isfinite(amount) or amount == 0:
                raise UncertaintyError(f"{where}: a lognormal needs a non-zero amount, got {amount}")
            result = cls(
                LOGNORMAL,
                loc=math.log(abs(amount)),
                scale=sigma,
                negative=amount < 0,
                pedigree=pedigree and tuple(int(s) for s in pedigree),
                basic_variance=basic if pedigree else math.nan,
            )
        elif kind == NORMAL:
            result = cls(NORMAL, loc=float(amount), scale=num.require("sd", "normal needs sd"))
        elif kind == UNIFORM:
            result = cls(
                UNIFORM,
                loc=float(amount),
                minimum=num.require("min", "uniform needs min"),
                maximum=num.require("max", "uniform needs max"),
            )
        else:
            result = cls(
                TRIANGULAR,
                loc=num.get("mode", float(amount)),
                minimum=num.require("min", "triangular needs min"),
                maximum=num.require("max", "triangular needs max"),
            )
        result.validate(where)
        return result

    # -- checks and views -----------------------------------------------------------
    def validate(self, where: str) -> None:
        """Raise :class:`UncertaintyError` naming ``where`` if the fields are inconsistent."""
        name = NAMES.get(self.kind, str(self.kind))
        if self.kind in UNSUPPORTED_IDS:
            raise UncertaintyError(
                f"{where}: distribution id {self.kind} ({UNSUPPORTED_IDS[self.kind]}) is not "
                "supported; use 1 fixed, 2 lognormal, 3 normal, 4 uniform or 5 triangular"
            )
        if self.kind not in NAMES:
            raise UncertaintyError(f"{where}: distribution id {self.kind} is not a stats_arrays id")
        if self.kind == LOGNORMAL and not (self.scale >= 0 and math.isfinite(self.scale)):
            raise UncertaintyError(f"{where}: lognormal sigma is {self.scale}, expected >= 0")
        if self.kind == NORMAL and not (self.scale >= 0 and math.isfinite(self.scale)):
            raise UncertaintyError(f"{where}: normal sd is {self.scale}, expected >= 0")
        if self.kind in (UNIFORM, TRIANGULAR):
            if not self.minimum <= self.maximum:
                raise UncertaintyError(
                    f"{where}: {name} min ({self.minimum:g}) is above max ({self.maximum:g})"
                )
            if self.kind == TRIANGULAR and not self.minimum <= self.loc <= self.maximum:
                raise UncertaintyError(
                    f"{where}: triangular mode ({self.loc:g}) is outside min-max "
                    f"({self.minimum:g} to {self.maximum:g})"
                )
            if self.kind == UNIFORM and not self.minimum <= self.loc <= self.maximum:
                raise UncertaintyError(
                    f"{where}: uniform range {self.minimum:g} to {self.maximum:g} does not "
                    f"contain the amount {self.loc:g}"
                )

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


def _kind(value: Any, spec: Mapping[str, Any], where: str) -> int:
    if value is None:
        return LOGNORMAL if "pedigree" in spec or "gsd" in spec else NONE
    if isinstance(value, int) and not isinstance(value, bool):
        if value in UNSUPPORTED_IDS:
            raise UncertaintyError(
                f"{where}: distribution id {value} ({UNSUPPORTED_IDS[value]}) is not supported; "
                "use 1 fixed, 2 lognormal, 3 normal, 4 uniform or 5 triangular"
            )
        if value in NAMES:
            return value
    text = str(value).strip().lower()
    if text.isdigit() and not isinstance(value, int):  # "2": an id written as text
        return _kind(int(text), spec, where)
    if text in DISTRIBUTION_IDS:
        return DISTRIBUTION_IDS[text]
    raise UncertaintyError(
        f"{where}: distribution '{value}' is not supported; expected one of "
        "fixed, lognormal, normal, uniform, triangular (or stats_arrays ids 1-5)"
    )


class _Numbers:
    """Reads numeric fields of a spec with errors that name the field."""

    def __init__(self, spec: Mapping[str, Any], where: str):
        self.spec, self.where = spec, where

    def get(self, key: str, default: float = math.nan) -> float:
        """The finite number under ``key``, or ``default`` when the key is absent or empty."""
        if key not in self.spec or self.spec[key] is None:
            return default
        value = self.spec[key]
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UncertaintyError(f"{self.where}: {key} is {value!r}, expected a number") from None
        if not math.isfinite(number):
            raise UncertaintyError(f"{self.where}: {key} is {value!r}, expected a finite number")
        return number

    def require(self, key: str, message: str) -> float:
        """The finite number under ``key``; ``message`` says what is missing when it is absent."""
        if key not in self.spec or self.spec[key] is None:
            raise UncertaintyError(f"{self.where}: {message}")
        return self.get(key)
