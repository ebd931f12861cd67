"""Reading the reference datasets (CSV) into :class:`~lca.data.records.Entry` records.

Layout of ``datasets/`` (documented in docs/data.md):

* ``schema.csv``: one row per value field of each category, with its unit and the
  indicator it feeds (``category,field,unit,indicator,meaning``);
* ``<category>.csv``: one row per entry; columns ``name, description, unit, method, year,
  comment``, any text attribute (``kind``, ``region``...), and for each value field ``F``
  of the schema the five columns ``F, F_low, F_high, F_distribution, F_source``
  (``F_distribution`` says how the range is read: ``lognormal 95%``, ``triangular``,
  ``uniform``; see :mod:`lca.data.ranges`);
* ``VERSION``: the version of the whole dataset, recorded in results.

Users add or override entries without editing the package: folders listed in the
``LCA_DATA_PATH`` environment variable (or passed to :func:`load_catalogue`) may hold
files with the same names; their rows add entries, or replace the shipped entry of the
same name. Nothing is read at import: the catalogue loads on first use.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lca.data.paths import datasets_dir
from lca.data.ranges import parse_distribution
from lca.data.records import Entry, Value
from lca.data.search import described_as
from lca.errors import DataNotFound, InputFileError, LcaError, Problem, UnitError, warn
from lca.units import parse_unit

#: Dataset categories, each read from ``<category>.csv``.
CATEGORIES = ("hardware", "grid", "datacenter", "transport", "routes", "eol")
#: Columns every dataset file has besides its value columns.
BASE_COLUMNS = ("name", "description", "unit", "method", "year", "comment")
VALUE_SUFFIXES = ("", "_low", "_high", "_distribution", "_source")
#: Text attributes a value field may have besides its value columns (``gwp_basis``).
ATTRIBUTE_SUFFIXES = ("_basis",)
ENV_VAR = "LCA_DATA_PATH"
MAX_BYTES = 5 * 1024 * 1024  #: largest dataset file read (the shipped ones are below 100 KB)


@dataclass(frozen=True)
class LocalEntry:
    """An entry read from a user folder (``LCA_DATA_PATH``): where from, and what it did.

    ``sha256`` is the hash of the whole file, so that a report names the exact data used.
    """

    ref: str
    file: str
    sha256: str
    replaces: bool

    def describe(self) -> str:
        """``grid/FR (replaces the shipped entry; /data/grid.csv, sha256 3f2a...)``."""
        what = "replaces the shipped entry" if self.replaces else "added"
        return f"{self.ref} ({what}; {self.file}, sha256 {self.sha256[:16]})"


@dataclass(frozen=True)
class FieldSpec:
    """One value field of a category, from ``schema.csv``."""

    category: str
    field: str
    unit: str
    indicator: str
    meaning: str


@dataclass
class Catalogue:
    """Every entry of every category, with the dataset version.

    Attributes
    ----------
    version : str
        Content of ``datasets/VERSION`` (``+local`` appended when user folders override).
    entries : dict of str to dict of str to Entry
        Category -> name -> entry.
    schema : dict of str to dict of str to FieldSpec
        Category -> field -> spec.
    local : dict of str to LocalEntry
        ``category/name`` -> where it was read, for the entries of user folders.
    """

    version: str
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    schema: dict[str, dict[str, FieldSpec]] = field(default_factory=dict)
    local: dict[str, LocalEntry] = field(default_factory=dict)

    def names(self, category: str | None = None) -> list[str]:
        """``category/name`` of every entry (of one category when given)."""
        cats = [self._category(category)] if category else list(self.entries)
        return [f"{c}/{n}" for c in cats for n in self.entries.get(c, {})]

    def get(self, category: str, name: str) -> Entry:
        """The entry ``name`` of ``category``; a case-insensitive match is accepted.

        Raises
        ------
        DataNotFound
            Naming the entry and suggesting the closest names.
        """
        table = self.entries.get(self._category(category), {})
        if name in table:
            return table[name]
        folded = [n for n in table if n.casefold() == str(name).casefold()]
        if len(folded) == 1:
            return table[folded[0]]
        hint = (
            _suggest(name, table) or described_as(name, table) or f" (`lca data list {category}` lists them)"
        )
        raise DataNotFound(f"no {category} entry '{name}'{hint}")

    def lookup(self, ref: str) -> Entry:
        """An entry from ``"category/name"``, or from a bare name found in one category."""
        category, slash, name = str(ref).partition("/")
        if slash and category in CATEGORIES:
            return self.get(category, name)
        if slash:
            raise DataNotFound(
                f"dataset '{ref}': no category '{category}'{_suggest(category, CATEGORIES)} "
                f"(expected one of {', '.join(CATEGORIES)})"
            )
        hits = [
            e for table in self.entries.values() for n, e in table.items() if n.casefold() == ref.casefold()
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise DataNotFound(f"'{ref}' is in several datasets: {', '.join(e.ref for e in hits)}; say which")
        every = [n for table in self.entries.values() for n in table]
        hint = _suggest(ref, every + self.names()) or " (`lca data list` lists them)"
        raise DataNotFound(f"no dataset entry '{ref}'{hint}")

    def _category(self, category: str) -> str:
        if category not in CATEGORIES:
            hint = _suggest(category, CATEGORIES)
            raise DataNotFound(f"no dataset '{category}'{hint} (expected one of {', '.join(CATEGORIES)})")
        return category


def load_catalogue(folders: Iterable[str | os.PathLike[str]] | None = None) -> Catalogue:
    """Read the shipped datasets, then the user folders that add or override entries.

    Parameters
    ----------
    folders : iterable of paths, optional
        Extra folders (default: those of the ``LCA_DATA_PATH`` environment variable,
        separated by ``os.pathsep``). A file there named like a shipped one
        (``grid.csv``...) adds its rows; a row with a shipped name replaces it.

    Raises
    ------
    InputFileError
        Listing every malformed row (file and line) at once.
    """
    base = datasets_dir()
    if folders is None:
        folders = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    folders = [Path(f) for f in folders]
    for folder in folders:
        if not folder.is_dir():
            warn(f"{ENV_VAR}: '{folder}' is not a folder; no dataset entry is read from it")
    version = (base / "VERSION").read_text(encoding="utf-8").strip()
    problems: list[Problem] = []
    schema = read_schema(base / "schema.csv")
    catalogue = Catalogue(version, {c: {} for c in CATEGORIES}, schema)
    for folder in [base, *(f for f in folders if f.is_dir())]:
        for category in CATEGORIES:
            path = folder / f"{category}.csv"
            if folder is not base and not path.is_file():
                continue
            entries = read_entries(path, category, schema.get(category, {}), problems)
            digest = _sha256(path) if folder is not base and entries else ""
            for entry in entries:
                if folder is not base:
                    shipped = entry.ref not in catalogue.local and entry.name in catalogue.entries[category]
                    catalogue.local[entry.ref] = LocalEntry(entry.ref, str(path), digest, shipped)
                catalogue.entries[category][entry.name] = entry
    if problems:
        raise InputFileError(problems)
    if catalogue.local:
        catalogue.version += "+local"
    return catalogue


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_schema(path: Path) -> dict[str, dict[str, FieldSpec]]:
    """``schema.csv`` as category -> field -> :class:`FieldSpec`."""
    schema: dict[str, dict[str, FieldSpec]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spec = FieldSpec(row["category"], row["field"], row["unit"], row["indicator"], row["meaning"])
            schema.setdefault(spec.category, {})[spec.field] = spec
    return schema


def read_entries(
    path: Path, category: str, fields: dict[str, FieldSpec], problems: list[Problem]
) -> list[Entry]:
    """The rows of one dataset file as entries; malformed rows go to ``problems``."""
    value_columns = {f"{f}{s}" for f in fields for s in VALUE_SUFFIXES}
    entries: list[Entry] = []
    seen: set[str] = set()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.append(
                Problem(str(path), f"file is {size / 2**20:.1f} MiB, larger than {MAX_BYTES // 2**20} MiB")
            )
            return []
        with path.open(newline="", encoding="utf-8-sig") as handle:  # Excel's "CSV UTF-8" has a BOM
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            lacking = [c for c in ("name", "unit") if c not in header]
            if lacking:
                problems.append(Problem(str(path), f"missing column(s) {', '.join(lacking)}"))
                return []
            extra = [c for c in header if c not in value_columns and c not in BASE_COLUMNS]
            misspelt = [_column_problem(c, fields, value_columns) for c in extra]
            if any(misspelt):
                problems.extend(Problem(f"{path.name}, line 1", m) for m in misspelt if m)
                return []
            for line, row in enumerate(reader, start=2):
                where = f"{path.name}, line {line}"
                cells = (
                    len(row) - 1 + len(row[None]) if None in row else sum(v is not None for v in row.values())
                )
                if cells != len(header):
                    problems.append(
                        Problem(where, f"{cells} cells, but the header has {len(header)} columns")
                    )
                    continue
                try:
                    entry = _entry(row, category, fields, extra, where, str(path))
                except ValueError as exc:
                    problems.append(Problem(where, str(exc)))
                    continue
                if entry.name in seen:
                    problems.append(Problem(where, f"name '{entry.name}' is used twice"))
                seen.add(entry.name)
                entries.append(entry)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(str(path), f"cannot be read as a UTF-8 CSV file ({_reason(exc)})"))
        return []
    return entries


def _column_problem(column: str, fields: dict[str, FieldSpec], value_columns: set[str]) -> str:
    """Why an extra column looks like a misspelt value or base column ('' if it is an attribute).

    A column ``F_x`` of a value field ``F`` must be one of its value columns (or ``F_basis``);
    another column close to a value or base column (``gwpp``, ``yaer``) is refused too, since
    it would silently become a text attribute.
    """
    known = sorted(value_columns | set(BASE_COLUMNS))
    # 0.74: a swap in a 4-letter name ('yaer', 0.75) is caught, routes' 'destination' (0.73
    # from 'description') and 'mode' (0.6 from 'method') are attributes
    close = difflib.get_close_matches(column, known, n=1, cutoff=0.74)
    field_name = column.partition("_")[0]
    attribute = field_name in fields and column.removeprefix(field_name) in ATTRIBUTE_SUFFIXES
    if attribute or (not close and field_name not in fields):
        return ""
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return (
        f"column '{column}' is not a column of this dataset{hint} (a value field F has F, F_low, "
        "F_high, F_distribution, F_source)"
    )


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)


def _entry(
    row: dict[str, str],
    category: str,
    fields: dict[str, FieldSpec],
    extra: list[str],
    where: str,
    origin: str,
) -> Entry:
    name = (row.get("name") or "").strip()
    if not name:
        raise ValueError("empty name")
    unit = (row.get("unit") or "").strip()
    if unit:
        try:
            parse_unit(unit)
        except UnitError as exc:
            raise ValueError(f"column unit: {exc.problems[0].describe()}") from None
    values: dict[str, Value] = {}
    for field_name, spec in fields.items():
        text = (row.get(field_name) or "").strip()
        if not text:
            continue
        value_unit = f"{spec.unit} / ({unit})" if spec.indicator and unit else spec.unit
        values[field_name] = _value(row, field_name, _number(text, field_name), value_unit)
    year = _year((row.get("year") or "").strip())
    return Entry(
        category=category,
        name=name,
        description=(row.get("description") or "").strip(),
        unit=unit,
        method=(row.get("method") or "").strip(),
        year=year,
        values=values,
        attributes={c: (row.get(c) or "").strip() for c in extra},
        comment=(row.get("comment") or "").strip(),
        origin=origin,
        indicator_fields={f: s.indicator for f, s in fields.items() if s.indicator},
    )


def _value(row: dict[str, str], field_name: str, amount: float, unit: str) -> Value:
    """One value with its range and distribution, checked so that drawing it cannot fail."""
    column = f"{field_name}_distribution"
    distribution, coverage = parse_distribution(row.get(column), column)
    value = Value(
        amount,
        unit,
        _number(row.get(f"{field_name}_low"), f"{field_name}_low"),
        _number(row.get(f"{field_name}_high"), f"{field_name}_high"),
        (row.get(f"{field_name}_source") or "").strip(),
        distribution,
        coverage,
    )
    low, high = value.low, value.high
    if math.isfinite(low) != math.isfinite(high):
        given, other = ("low", "high") if math.isfinite(low) else ("high", "low")
        raise ValueError(
            f"column {field_name}_{given} is given without {field_name}_{other}; give both or none"
        )
    if low > high:
        raise ValueError(f"column {field_name}_low {low:g} is above {field_name}_high {high:g}")
    if distribution not in ("", "fixed") and not value.has_range:
        raise ValueError(f"column {column}: '{distribution}' needs {field_name}_low < {field_name}_high")
    if value.has_range and value.contains_central:
        try:
            value.uncertainty(f"column {column}")
        except (ValueError, LcaError) as exc:
            raise ValueError(str(exc)) from None
    return value


def _number(text: str | None, column: str) -> float:
    text = (text or "").strip()
    if not text:
        return math.nan
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"column {column}: '{text}' is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"column {column}: '{text}' is not a finite number")
    return number


def _year(text: str) -> int | None:
    if not text:
        return None
    number = _number(text, "year")
    if not number.is_integer():
        raise ValueError(f"column year: '{text}' is not a whole year")
    return int(number)


def _suggest(name: str, known: Iterable[str]) -> str:
    known = list(known)
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(str(name).casefold(), list(by_fold), n=3, cutoff=0.5)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{by_fold[c]}'" for c in close) + "?"
