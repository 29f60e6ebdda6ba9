"""Pieces every lesson shares: the year picker, text blocks, the root box, charts.

Nothing here knows a program rule: figures come from ``iwp_widgets.thresholds``,
results from the engine.
"""

from __future__ import annotations

import contextlib
import html
from dataclasses import dataclass, field
from typing import Callable, Iterable

import ipywidgets as widgets
import pandas as pd

from ..thresholds import ThresholdError, Thresholds
from ..thresholds import label as figure_label  # what figures.csv calls a figure

READY_CLASS = "iwp-app-ready"
# The year box accepts any year a person might type; years without figures get a message.
YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass(frozen=True)
class YearCheck:
    """Whether a lesson can run for a year, and what to tell the learner."""

    year: int
    usable: bool
    projected: bool
    message: str
    figures: dict[str, float] = field(default_factory=dict)


def figure_labels(names: Iterable[str]) -> dict[str, str]:
    return {name: figure_label(name) for name in names}


def first_month(name: str, thresholds: Thresholds, key: str = "") -> pd.Period:
    """The first month a figure has data for."""
    table = thresholds.table(name)
    rows = table[table["key"] == key]
    if rows.empty:
        raise ThresholdError(f"{name}: no figures for {key!r}")
    return rows["effective"].min()


def first_year(name: str, thresholds: Thresholds, key: str = "") -> int:
    """The first year a figure has data for."""
    return int(first_month(name, thresholds, key).year)


def last_year(name: str, thresholds: Thresholds, key: str = "") -> int:
    """The last year a figure has a row for (later years are projected)."""
    table = thresholds.table(name)
    rows = table[table["key"] == key]
    return int(rows["effective"].max().year)


def check_year(year, figure_labels: dict[str, str], thresholds: Thresholds | None = None,
               month: int = 1, key: str = "") -> YearCheck:
    """Look up each figure for ``year`` (its month ``month``) and explain any gap.

    ``figure_labels`` maps a figure name to the words a learner knows it by
    ("the Trial Work Level"). A year before a figure's first row is not usable; a year
    past the data is usable but flagged as projected.
    """
    thresholds = thresholds or Thresholds.default()
    try:
        year = int(year)
    except (TypeError, ValueError):
        return YearCheck(0, False, False, "Type a year, like 2026.")
    values: dict[str, float] = {}
    projected_from: list[str] = []
    for name, label in figure_labels.items():
        figure_key = key if thresholds.keys(name) else ""
        try:
            figure = thresholds.lookup(name, f"{year:04d}-{month:02d}", key=figure_key)
        except ThresholdError:
            try:
                start = first_month(name, thresholds, figure_key)
            except ThresholdError:
                return YearCheck(year, False, False, f"We have no figures for {label}.")
            usable = start.year if start.month <= month else start.year + 1
            since = str(start.year) if start.month == 1 else start.strftime("%B %Y")
            return YearCheck(year, False, False,
                             f"We have no figure for {label} before {since}. "
                             f"Pick {usable} or a later year.")
        values[name] = figure.value
        if figure.projected:
            projected_from.append(f"{label} (last published: {last_year(name, thresholds, figure_key)})")
    if projected_from:
        message = (f"{year} figures are not published in our data yet. This lesson estimates them "
                   f"from the last published ones: {', '.join(projected_from)}. "
                   "Treat the numbers as estimates.")
        return YearCheck(year, True, True, message, values)
    return YearCheck(year, True, False, "", values)


class YearPicker:
    """A labelled year box plus a message line for years without (or with projected) figures.

    ``on_year(check)`` is called with a :class:`YearCheck` each time the year changes.
    ``figures`` names the figures the lesson needs (their labels come from thresholds/).
    """

    def __init__(self, lesson: str, year: int, figures: Iterable[str],
                 on_year: Callable[[YearCheck], None], thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds.default()
        self.figure_labels = figure_labels(figures)
        self._on_year = on_year
        self.box = widgets.BoundedIntText(value=year, min=YEAR_MIN, max=YEAR_MAX, step=1,
                                          description="Year", continuous_update=False,
                                          tooltip="Pick the year the lesson uses")
        self.box.add_class(f"iwp-lesson-{lesson}-year")
        self.message = widgets.HTML("")
        self.message.add_class(f"iwp-lesson-{lesson}-year-message")
        self.widget = widgets.VBox([self.box, self.message])
        self.check = check_year(year, self.figure_labels, self.thresholds)
        self.box.observe(self._changed, names="value")

    @property
    def year(self) -> int:
        return int(self.box.value)

    def _changed(self, _change=None) -> None:
        self.check = check_year(self.box.value, self.figure_labels, self.thresholds)
        colour = "#b71c1c" if not self.check.usable else "#8a5300"
        self.message.value = (f'<p role="status" style="color:{colour}">'
                              f"{html.escape(self.check.message)}</p>" if self.check.message else "")
        self._on_year(self.check)

    def refresh(self) -> None:
        """Run the callback for the current year (used once when the lesson is built)."""
        self._changed()


def default_year(figure_names: Iterable[str], thresholds: Thresholds | None = None) -> int:
    """The latest year every named figure has a row for: the lesson's starting year."""
    thresholds = thresholds or Thresholds.default()
    return min(last_year(name, thresholds, _first_key(thresholds, name)) for name in figure_names)


def _first_key(thresholds: Thresholds, name: str) -> str:
    keys = thresholds.keys(name)
    return keys[0] if keys else ""


# Left-aligned table cells: row headers read as labels, numbers line up.
TABLE_STYLE = ("<style>.iwp-lesson table th, .iwp-lesson table td {text-align: left; "
               "padding: 0.15em 0.8em 0.15em 0; vertical-align: top}</style>")


def heading(text: str, level: int = 2) -> widgets.HTML:
    return widgets.HTML(f"<h{level}>{html.escape(text)}</h{level}>")


def paragraph(text: str) -> widgets.HTML:
    """A paragraph of trusted lesson prose (may hold simple HTML such as <b>)."""
    return widgets.HTML(f"<p style='max-width:48em'>{text}</p>")


def rule_box(title: str, text: str, citation: str) -> widgets.HTML:
    """One rule in plain words with where it comes from."""
    return widgets.HTML(
        "<div style='border-left:4px solid #1565c0;padding:0.3em 0.8em;margin:0.4em 0;"
        f"max-width:48em'><b>{html.escape(title)}</b><br>{text}<br>"
        f"<small>Source: {html.escape(citation)}</small></div>")


def lesson_root(name: str, children: list[widgets.Widget]) -> widgets.VBox:
    """The lesson's root box, with the CSS classes the browser tests wait for."""
    root = widgets.VBox([widgets.HTML(TABLE_STYLE), *children])
    root.add_class(f"iwp-lesson-{name}")
    root.add_class("iwp-lesson")
    root.add_class(READY_CLASS)
    return root


def show_figure(output: widgets.Output, figure) -> None:
    """Draw a plotly figure into an Output widget (only where a kernel can show it).

    A ``go.Figure`` in an Output renders through JupyterLab's plotly renderer and avoids
    FigureWidget's per-page bundle (see shared/stack.md); the mimetype renderer also keeps
    plotly.js out of the output. Without an IPython shell (plain
    pytest) there is nowhere to draw, and tests read the figure object instead.
    """
    from IPython.core.interactiveshell import InteractiveShell

    output.clear_output(wait=True)
    if InteractiveShell.initialized():
        with output:
            figure.show(renderer="plotly_mimetype")


def month_options(start: pd.Period, count: int) -> list[tuple[str, str]]:
    """Dropdown options (label, 'YYYY-MM') for ``count`` months from ``start``."""
    months = pd.period_range(start, periods=count, freq="M")
    return [(m.strftime("%B %Y"), str(m)) for m in months]


class Reveal:
    """A toggle that shows or hides the engine's results, which would give the exercises away."""

    def __init__(self, lesson: str, what: str, hidden: list[widgets.Widget], on_change=None):
        self.what = what
        self.hidden = hidden
        self._on_change = on_change
        self.button = widgets.ToggleButton(value=False, description=f"Show {what}",
                                           tooltip=f"Show {what}", icon="eye",
                                           layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.button.add_class(f"iwp-lesson-{lesson}-reveal")
        self.button.observe(self._changed, names="value")
        self._apply()

    @property
    def shown(self) -> bool:
        return bool(self.button.value)

    def _changed(self, _change) -> None:
        self._apply()
        if self._on_change:
            self._on_change()

    def _apply(self) -> None:
        for widget in self.hidden:
            widget.layout.display = None if self.shown else "none"
        label = f"{'Hide' if self.shown else 'Show'} {self.what}"
        self.button.description = label
        self.button.tooltip = label


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 9th, 11th, 36th."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


class YearFigures:
    """Figures for the rule text of one year, formatted for reading ("9", "9th", "$65", "60%").

    The rule boxes are written with these, so the prose always says what the data says for the
    year picked (for example 40 hours of self-employment before 2001, 80 from 2001).
    """

    def __init__(self, thresholds: Thresholds, year: int, month: int = 1):
        self.thresholds = thresholds
        self.month = f"{int(year):04d}-{month:02d}"

    def value(self, name: str, key: str = "") -> float:
        return self.thresholds.value(name, self.month, key=key)

    def count(self, name: str, key: str = "") -> int:
        return int(round(self.value(name, key)))

    def nth(self, name: str, key: str = "") -> str:
        return ordinal(self.count(name, key))

    def usd(self, name: str, key: str = "") -> str:
        from .exercise import money

        return money(self.value(name, key))

    def percent(self, name: str, key: str = "") -> str:
        return f"{self.value(name, key) * 100:g}%"


def amount_in_year(thresholds: Thresholds, name: str, year: int, key: str = "") -> str:
    """A figure's monthly amount for the whole of ``year`` in words ("$X a month"), or, when it
    changed during the year, "$X a month from January to June, then $Y a month from July" (as
    non-blind SGA did in 1999; the amounts come from thresholds/)."""
    from .exercise import money

    table = thresholds.table(name)
    changes = table[(table["key"] == key) & (table["effective"].dt.year == int(year))
                    & (table["effective"].dt.month > 1)]["effective"].tolist()
    starts = [pd.Period(f"{int(year)}-01", freq="M"), *changes]
    if len(starts) == 1:
        return f"{money(thresholds.value(name, starts[0], key=key))} a month"
    parts = []
    for first, following in zip(starts, [*starts[1:], None]):
        amount = f"{money(thresholds.value(name, first, key=key))} a month"
        if following is None:
            parts.append(f"{amount} from {first.strftime('%B')}")
        else:
            parts.append(f"{amount} from {first.strftime('%B')} to {(following - 1).strftime('%B')}")
    return ", then ".join(parts)


class Lesson:
    """What every lesson shares: the year picker, the rule boxes and the exercises.

    A lesson sets ``NAME`` and ``FIGURES`` (the figures its year needs), builds its own controls,
    lists its :class:`Exercise` objects in ``self.exercises`` and calls :meth:`finish` with the
    widgets above and below the rule boxes. When the year changes every answer is emptied, the
    controls hide for a year without figures, the rule boxes are rewritten for the year
    (:meth:`rule_boxes`), :meth:`year_changed` sets the lesson's own controls, and one
    :meth:`redraw` runs :meth:`draw` (the engine and the results).
    """

    NAME = ""
    FIGURES: tuple[str, ...] = ()
    # The figures whose latest year is the lesson's starting year.
    START_FIGURES: tuple[str, ...] = ("twl", "sga_non_blind")

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds.default()
        self.start_year = year or default_year(self.START_FIGURES, self.thresholds)
        self._holding = 0
        self.exercises: list = []
        self.rules = widgets.VBox()
        self.rules.add_class(f"iwp-lesson-{self.NAME}-rules")
        self.controls = widgets.VBox()

    def finish(self, title: str, intro: list[widgets.Widget], try_it: list[widgets.Widget]) -> None:
        """Build the picker and the root box, then draw everything for the starting year."""
        self.year_picker = YearPicker(self.NAME, self.start_year, self.FIGURES, self._on_year,
                                      self.thresholds)
        self.widget = lesson_root(self.NAME, [
            heading(title, 2), *intro, self.rules, heading("Try it", 3), *try_it,
            self.year_picker.widget, self.controls])
        self.year_picker.refresh()

    @property
    def usable(self) -> bool:
        picker = getattr(self, "year_picker", None)  # None while the lesson is being built
        return picker is not None and picker.check.usable

    def _on_year(self, check: YearCheck) -> None:
        for exercise in self.exercises:
            exercise.reset()
        self.controls.layout.display = None if check.usable else "none"
        with self.holding():
            if check.usable:
                self.rules.children = self.rule_boxes(check.year)
            self.year_changed(check)

    def rule_boxes(self, year: int) -> list[widgets.Widget]:
        """The lesson's rule boxes, written with ``year``'s figures."""
        raise NotImplementedError

    def year_changed(self, check: YearCheck) -> None:
        """Set the lesson's own controls for the new year (a redraw follows)."""

    def draw(self) -> None:
        """Run the engine for the current settings and show the results (lessons that have any)."""

    def redraw(self) -> None:
        """The settings changed: clear old feedback and draw again (unless several are changing)."""
        if self.ready:
            self.clear_feedback()
            self.draw()

    @contextlib.contextmanager
    def holding(self):
        """Change several controls at once, then redraw once (year changes, tests and presets)."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
        if not self._holding:
            self.redraw()

    @property
    def ready(self) -> bool:
        """Whether a redraw makes sense now: not while several controls change, and a usable year."""
        return not self._holding and self.usable

    def clear_feedback(self) -> None:
        """The settings changed: old feedback no longer applies."""
        for exercise in self.exercises:
            exercise.clear()

    def rule_text(self) -> str:
        """All rule boxes as one string (tests read what a learner reads)."""
        return " ".join(str(getattr(box, "value", "")) for box in self.rules.children)
