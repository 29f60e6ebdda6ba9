"""Yearly program figures, read from the CSV files in ``thresholds/``.

Each figure is one file, ``thresholds/<name>.csv``, with the columns
``effective`` (YYYY-MM), ``value``, ``status``, ``source`` and ``note``; a figure that
differs by state (the 1619(b) charted thresholds) adds a ``key`` column.
A row holds from its ``effective`` month until the next row's.
``thresholds/figures.csv`` says what each figure is: its ``label``, ``unit`` and a
``description`` in plain words, and its usual ``source``, which a row with an empty
``source`` takes (:meth:`Thresholds.about`).

Months in a year after the last row are flagged as projected, so every output that uses
them can say so (only for figures re-issued every year; a rule constant such as the 9 TWP
months holds until the rule changes). By default an indexed figure (TWL, SGA, the SSI benefit
rate, the student exclusion limits) gets its value there by its own indexing rule
(:mod:`iwp_widgets.projection`); ``with_projection(Projection("carry_forward"))`` repeats the
last value instead. A row in ``thresholds/`` always wins over a projection. Rows stored with
status ``carried_forward`` (a year whose figure was not found) are flagged the same way; for an
indexed figure they are projected instead, as they are not published figures.

Reforms (analyst what-ifs) are data too: ``Thresholds.default().with_overrides(...)``
returns a new set of figures without touching the files.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Iterable, Mapping, TypeVar

import numpy as np
import pandas as pd

from .errors import PlanError
from .projection import (COLA, PROJECTED_STATUS, RULES, WAGE_INDEX, Indices, Projection, project,
                         source_text)

DATA_DIR = Path(__file__).resolve().parent.parent / "thresholds"
STATUSES = ("official", "derived", "single_source", "carried_forward")
COLUMNS = ("effective", "value", "status", "source", "note")
ABOUT_FILE = "figures.csv"  # one row per figure: what it is, in words, and its usual source
ABOUT_COLUMNS = ("figure", "label", "unit", "description", "source")
UNITS = ("dollars a month", "dollars a year", "months", "hours a month", "share", "number",
         "years of age", "yes or no")
CACHE_LIMIT = 1024  # derived lookups kept per set of figures (see Thresholds.cached)
UNPICKLED_LIMIT = 8  # sets of figures a process keeps for the next time it unpickles them
T = TypeVar("T")


class ThresholdError(PlanError):
    """An unknown figure, or a month before a figure's first row."""


@dataclass(frozen=True)
class Figure:
    """One figure's value for one month, with where it came from."""

    name: str
    month: pd.Period
    value: float
    status: str
    source: str
    effective: pd.Period
    projected: bool  # a year after the data (indexed or carried), or stored as carried_forward


@dataclass(frozen=True)
class FigureInfo:
    """What a figure is, in words a beneficiary can read (from ``thresholds/figures.csv``)."""

    name: str
    label: str        # "Trial Work Level"
    unit: str         # one of UNITS: "dollars a month", "months", "share", ...
    description: str  # one or two plain sentences
    source: str       # the usual source; a row with its own source overrides it

    @classmethod
    def unknown(cls, name: str) -> "FigureInfo":
        """A figure with no row in figures.csv (a reform's new figure): its name in words."""
        return cls(name, name.replace("_", " "), "", "", "")


def read_about(path: Path) -> dict[str, FigureInfo]:
    """Read ``figures.csv``: figure name -> :class:`FigureInfo`."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ABOUT_COLUMNS if c not in frame.columns]
    if missing:
        raise ThresholdError(f"{path.name}: missing columns {missing}")
    about = {}
    for row in frame.itertuples(index=False):
        if row.unit not in UNITS:
            raise ThresholdError(f"{path.name}: {row.figure}: unit {row.unit!r} is not one of "
                                 f"{', '.join(UNITS)}")
        about[row.figure] = FigureInfo(row.figure, row.label, row.unit, row.description, row.source)
    return about


def _freeze(value) -> None:
    """Make the numpy arrays in a cached value read-only: every caller shares them."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _freeze(item)
    elif isinstance(value, dict):
        for item in value.values():
            _freeze(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _freeze(getattr(value, item.name))


def _month(month) -> pd.Period:
    try:
        return pd.Period(month, freq="M")
    except (ValueError, TypeError) as exc:
        raise ThresholdError(f"month: {month!r} is not a month (use YYYY-MM)") from exc


def read_table(path: Path, source: str = "") -> pd.DataFrame:
    """Read one figure file as a DataFrame sorted by key and effective month.

    ``source`` is the figure's usual source (from figures.csv): rows with an empty ``source``
    take it. A row left with no source at all is an error: every figure needs its citation.
    """
    frame = pd.read_csv(path, dtype={"effective": str, "status": str, "source": str, "note": str},
                        keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ThresholdError(f"{path.name}: missing columns {missing}")
    frame["source"] = frame["source"].where(frame["source"].str.strip() != "", source)
    if (frame["source"].str.strip() == "").any():
        raise ThresholdError(f"{path.name}: a row has no source, and {ABOUT_FILE} gives none "
                             f"for {path.stem!r}")
    frame["effective"] = pd.PeriodIndex(frame["effective"], freq="M")
    frame["value"] = pd.to_numeric(frame["value"])
    if "key" not in frame.columns:
        frame["key"] = ""
    frame["key"] = frame["key"].astype(str)
    return frame.sort_values(["key", "effective"], kind="stable").reset_index(drop=True)


def _updated_yearly(table: pd.DataFrame) -> bool:
    """Whether a figure is re-issued every year (rows dated in each of its last two years).

    Only such a figure goes stale after its last row. A rule constant (9 TWP months,
    the $65 exclusion) holds until the regulation changes, so it is never projected.
    """
    years = set(table["effective"].dt.year)
    return bool(years) and max(years) - 1 in years


class _Rows:
    """The rows of one figure (one key) as arrays, for fast repeated lookups.

    ``projected_years`` are (year, value) rows computed by the figure's indexing rule after
    the stored rows; they are flagged projected like carried-forward rows.
    """

    def __init__(self, rows: pd.DataFrame, yearly: bool,
                 projected_years: list[tuple[int, float]] = (), projected_source: str = ""):
        self.effective = list(rows["effective"]) + [pd.Period(f"{y}-01", "M")
                                                    for y, _ in projected_years]
        self.ordinals = np.array([p.ordinal for p in self.effective])
        self.values = np.concatenate([rows["value"].to_numpy(dtype=float),
                                      np.array([v for _, v in projected_years], dtype=float)])
        self.status = list(rows["status"]) + [PROJECTED_STATUS] * len(projected_years)
        self.source = list(rows["source"]) + [projected_source] * len(projected_years)
        self.carried = np.concatenate([rows["status"].to_numpy() == "carried_forward",
                                       np.ones(len(projected_years), bool)])
        # Only a figure re-issued every year goes stale after its last row.
        self.last_year = self.effective[-1].year if yearly else np.iinfo(np.int64).max

    def positions(self, name: str, ordinals: np.ndarray) -> np.ndarray:
        position = np.searchsorted(self.ordinals, ordinals, side="right") - 1
        if len(position) and position.min() < 0:
            first_bad = pd.Period(ordinal=int(ordinals[np.argmax(position < 0)]), freq="M")
            raise ThresholdError(
                f"{name}: no figure for {first_bad}; the first is for {self.effective[0]}")
        return position

    def projected(self, position: np.ndarray, years: np.ndarray) -> np.ndarray:
        beyond = (position == len(self.ordinals) - 1) & (years > self.last_year)
        return self.carried[position] | beyond


class Thresholds:
    """A set of program figures: the files in ``thresholds/`` plus any overrides."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], projection: Projection = Projection(),
                 projected_like: Mapping[str, str] | None = None,
                 about: Mapping[str, FigureInfo] | None = None):
        self._tables = dict(tables)
        self._yearly = {name: _updated_yearly(table) for name, table in self._tables.items()}
        self._cache: dict[tuple[str, str], _Rows] = {}
        self._derived: dict[Hashable, object] = {}  # see cached()
        # What each figure is, in words; a set built from bare tables uses the shipped words.
        self._about = shipped_about() if about is None else about  # never changed
        self._projection = projection
        # A scenario's copy of another figure ("same_as") is projected by the original's rule.
        self._projected_like = dict(projected_like or {})
        self._indices: Indices | None = None
        self._by_key: dict[str, dict[str, pd.DataFrame]] = {}  # see _key_rows()
        self._pickled: bytes | None = None  # see __reduce__()

    # --- pickling: one object per set of figures in a process ----------------------
    def _state(self) -> bytes:
        """The figures as bytes (not the lookups derived from them), made once."""
        if self._pickled is None:
            self._pickled = pickle.dumps((self._tables, self._projection, self._projected_like, self._about),
                                         protocol=pickle.HIGHEST_PROTOCOL)
        return self._pickled

    def __reduce__(self):
        # A Dask worker unpickles the figures with every graph it is sent; it gets back the set it
        # already has (see _unpickled), with the lookups it derived from it (the 1619(b) table of
        # every state, the Ticket amounts), instead of building them again.
        return _unpickled, (self._state(),)

    def __dask_tokenize__(self) -> str:
        """The same key for the same figures, whatever has been looked up in them since."""
        return hashlib.sha256(self._state()).hexdigest()

    @classmethod
    def from_directory(cls, directory: Path | str = DATA_DIR,
                       projection: Projection = Projection()) -> "Thresholds":
        directory = Path(directory)
        paths = [p for p in sorted(directory.glob("*.csv")) if p.name != ABOUT_FILE]
        if not (directory / ABOUT_FILE).exists():
            # A folder of figure files alone: every row names its source; words are the shipped ones.
            return cls({p.stem: read_table(p) for p in paths}, projection)
        about = read_about(directory / ABOUT_FILE)
        unknown = [p.name for p in paths if p.stem not in about]
        if unknown:
            raise ThresholdError(f"{ABOUT_FILE}: no row for {', '.join(unknown)} (each figure "
                                 "needs a label, unit, description and source there)")
        tables = {p.stem: read_table(p, about[p.stem].source) for p in paths}
        return cls(tables, projection, about=about)

    @property
    def projection(self) -> Projection:
        """How months after the published figures get theirs (indexed by default)."""
        return self._projection

    def with_projection(self, projection: Projection) -> "Thresholds":
        """The same figures with another projection for the years not published yet."""
        return Thresholds(self._tables, projection, self._projected_like, self._about)

    def indices(self) -> Indices:
        """The wage index and COLAs, published then assumed (what indexed projections use)."""
        if self._indices is None:
            self._indices = Indices(self._tables, self._projection)
        return self._indices

    def projection_rule(self, name: str) -> str | None:
        """The figure whose indexing rule projects ``name`` (None: carried forward)."""
        rule = self._projected_like.get(name, name)
        if rule not in RULES or self._projection.method != "indexed":
            return None
        # A set of figures without the index files (a test's or a user's own) carries forward.
        return rule if {WAGE_INDEX, COLA} <= set(self._tables) else None

    @classmethod
    @functools.cache
    def default(cls) -> "Thresholds":
        """The figures shipped in ``thresholds/`` (read once per process)."""
        return cls.from_directory(DATA_DIR)

    # --- reading -----------------------------------------------------------------
    def names(self) -> list[str]:
        return sorted(self._tables)

    def about(self, name: str) -> FigureInfo:
        """What a figure is: its label, unit, description and usual source."""
        info = self._about.get(name)
        if info is None:
            info = self._about.get(self._projected_like.get(name, ""))
        if info is None:
            self._table(name)  # an unknown name is an error, as in every other lookup
            return FigureInfo.unknown(name)
        return info

    def label(self, name: str) -> str:
        """The figure's name in plain words ("Trial Work Level"), for screens and reports."""
        return self.about(name).label

    def unit(self, name: str) -> str:
        return self.about(name).unit

    def description(self, name: str) -> str:
        return self.about(name).description

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` for this set of figures, then the same result.

        For lookups derived from the figures (a run's month arrays, the Ticket amounts) that a
        live app would otherwise repeat on every edit. A set of figures never changes (a what-if
        is a new set), so nothing goes stale. Arrays in the result are made read-only, as every
        caller shares them. ``key`` should start with the caller's own word, so callers in
        different modules never collide.
        """
        try:
            return self._derived[key]  # type: ignore[return-value]
        except KeyError:
            pass
        if len(self._derived) >= CACHE_LIMIT:
            self._derived.clear()
        value = compute()
        _freeze(value)
        self._derived[key] = value
        return value

    def table(self, name: str) -> pd.DataFrame:
        """The whole table of one figure (a copy)."""
        return self._table(name).copy()

    def _table(self, name: str) -> pd.DataFrame:
        try:
            return self._tables[name]
        except KeyError:
            raise ThresholdError(
                f"figure: unknown figure {name!r}; known figures: {', '.join(self.names())}"
            ) from None

    def _key_rows(self, name: str) -> dict[str, pd.DataFrame]:
        """One figure's rows split by key, once (a keyed figure has a row set per state)."""
        split = self._by_key.get(name)
        if split is None:
            split = self._by_key[name] = dict(tuple(self._table(name).groupby("key", sort=False)))
        return split

    def first_month(self, name: str, key: str = "") -> pd.Period | None:
        """The first month a figure has a value for ``key`` (None: no rows for that key)."""
        rows = self._key_rows(name).get(key)
        return None if rows is None else rows["effective"].min()

    def _rows(self, name: str, key: str) -> "_Rows":
        """One figure's rows for one key as plain arrays, built once (lookups sit on hot paths)."""
        cached = self._cache.get((name, key))
        if cached is None:
            rows = self._key_rows(name).get(key)
            if rows is None:
                keys = sorted(set(self._key_rows(name)) - {""})
                raise ThresholdError(f"{name}: no figures for {key!r}; known: {', '.join(keys)}")
            rule = self.projection_rule(name)
            if rule is not None and key == "" and self._yearly[name]:
                # Trailing carried_forward rows are not published figures: project them too.
                published = rows["status"].to_numpy() != "carried_forward"
                if published.any():
                    rows = rows.iloc[: int(np.flatnonzero(published)[-1]) + 1]
                indices = self.indices()
                cached = _Rows(rows, True, project(name, rows, self._tables, indices, rule),
                               source_text(name, rows["effective"].iloc[-1].year, indices, rule))
            else:
                cached = _Rows(rows, self._yearly[name])
            self._cache[(name, key)] = cached
        return cached

    def lookup(self, name: str, month, key: str = "") -> Figure:
        """The figure in force in ``month``, with its status and source."""
        period = _month(month)
        rows = self._rows(name, key)
        position = rows.positions(name, np.array([period.ordinal]))[0]
        projected = rows.projected(position, np.array([period.year]))[0]
        return Figure(name, period, float(rows.values[position]), rows.status[position],
                      rows.source[position], rows.effective[position], bool(projected))

    def value(self, name: str, month, key: str = "") -> float:
        """The value of a figure for a month (YYYY-MM or a pandas Period)."""
        return self.lookup(name, month, key).value

    def series(self, name: str, months: Iterable, key: str = "") -> tuple[np.ndarray, np.ndarray]:
        """Values and projected flags for many months at once (for the vectorised engine)."""
        periods = pd.PeriodIndex(list(months) if not isinstance(months, pd.PeriodIndex) else months,
                                 freq="M")
        rows = self._rows(name, key)
        position = rows.positions(name, periods.asi8)
        return rows.values[position], rows.projected(position, periods.year.to_numpy())

    def keys(self, name: str) -> list[str]:
        """The keys (for example states) a keyed figure has."""
        return sorted(set(self._table(name)["key"]) - {""})

    # --- what-ifs ----------------------------------------------------------------
    def with_overrides(self, overrides: Mapping[str, Mapping[str, float] | float],
                       source: str = "scenario override",
                       projected_like: Mapping[str, str] | None = None) -> "Thresholds":
        """A new set where each named figure takes the given values.

        ``overrides`` maps a figure name to either one number (that value for every
        month) or to ``{"YYYY-MM": value, ...}`` (rows added or replaced from those
        months on). Figures that do not exist yet are created. After its last row an
        overridden figure is projected by its own indexing rule (from its own base-year
        amount), or by the rule of the figure ``projected_like`` names for it.
        """
        tables = dict(self._tables)
        for name, change in overrides.items():
            if not isinstance(change, Mapping):
                base = tables.get(name)
                first = base["effective"].min() if base is not None else pd.Period("1900-01", "M")
                change = {str(first): change}
            added = pd.DataFrame({
                "effective": pd.PeriodIndex(list(change), freq="M"),
                "value": [float(v) for v in change.values()],
                "status": "derived", "source": source, "note": "", "key": "",
            })
            base = tables.get(name)
            if base is not None and not isinstance(overrides[name], Mapping):
                base = base.iloc[0:0]  # one number replaces the whole history
            merged = added if base is None else pd.concat(
                [base[~base["effective"].isin(added["effective"]) | (base["key"] != "")], added])
            tables[name] = merged.sort_values(["key", "effective"], kind="stable").reset_index(drop=True)
        return Thresholds(tables, self._projection, {**self._projected_like, **(projected_like or {})},
                          self._about)


_UNPICKLED: OrderedDict[bytes, Thresholds] = OrderedDict()  # the most recently unpickled last
_UNPICKLED_LOCK = threading.Lock()


def _unpickled(state: bytes) -> Thresholds:
    """The set of figures pickled as ``state``: the one this process already has for those exact
    bytes, or a new one (kept for next time; at most UNPICKLED_LIMIT sets are kept). A set of
    figures never changes, so every holder can share it."""
    with _UNPICKLED_LOCK:
        figures = _UNPICKLED.pop(state, None)
        if figures is None:
            tables, projection, projected_like, about = pickle.loads(state)
            figures = Thresholds(tables, projection, projected_like, about)
            figures._pickled = state
        _UNPICKLED[state] = figures
        while len(_UNPICKLED) > UNPICKLED_LIMIT:
            _UNPICKLED.popitem(last=False)
    return figures


@functools.cache
def shipped_about() -> dict[str, FigureInfo]:
    """The words for the figures shipped in ``thresholds/`` (read once per process)."""
    return read_about(DATA_DIR / ABOUT_FILE)


# Module-level shortcuts on the shipped figures.
def names() -> list[str]:
    return Thresholds.default().names()


def table(name: str) -> pd.DataFrame:
    return Thresholds.default().table(name)


def lookup(name: str, month, key: str = "") -> Figure:
    return Thresholds.default().lookup(name, month, key)


def value(name: str, month, key: str = "") -> float:
    return Thresholds.default().value(name, month, key)


def label(name: str) -> str:
    """A shipped figure's name in plain words ("Trial Work Level"); reads only figures.csv."""
    info = shipped_about().get(name)
    return info.label if info is not None else Thresholds.default().label(name)
