"""What the analyst notebook (``notebooks/what_if.ipynb``) calls: load, run, show, export.

The notebook stays a few cells; everything here also works from a plain Python session::

    from iwp_widgets.caseload import whatif
    caseload = whatif.load_caseload(None, generate=500, seed=1)
    runs = whatif.run(caseload, "baseline", ["higher_sga"])
    whatif.show(runs, "baseline")
    whatif.export(runs, "what_if.parquet")

:class:`WhatIfPanel` is the same thing as widgets: choose a caseload (synthetic, or a file from a
folder the notebook names) and scenarios, press Run, watch the progress bar, read the charts and
tables, export. It only reads files from that folder and writes exports to one folder the
notebook names: a page served by Voilà can never choose a path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from ..charts import as_figure
from ..errors import PlanError
from .charts import TITLES, distribution_figure, shares_figure
from .format import FORMATS, read_caseload, write_table
from .runner import ScenarioRun, run_scenarios
from .scenarios import available_scenarios, load_scenario
from .summary import DOLLAR_METRICS, MONTH_METRICS, compare
from .synthetic import SyntheticSpec, generate_caseload


def load_caseload(path: str | os.PathLike | None, *, generate: int = 500, seed: int = 0, months: int = 60,
                  start: str = "2026-01") -> pd.DataFrame:
    """The caseload file at ``path``, or (``path`` None) a synthetic caseload of ``generate`` people."""
    if path:
        return read_caseload(path, months=months)
    return generate_caseload(generate, SyntheticSpec(months=months, start=start), seed=seed)


def run(caseload: pd.DataFrame, baseline: str, reforms: Iterable[str], *, progress: bool = True,
        batch_size: int = 2_000) -> dict[str, ScenarioRun]:
    """The baseline and every reform over the caseload (baseline first)."""
    names = [baseline, *[r for r in reforms if r != baseline]]
    return run_scenarios(caseload, names, progress=progress, batch_size=batch_size)


def comparison(runs: Mapping[str, ScenarioRun], baseline: str) -> dict[str, pd.DataFrame]:
    """For each reform: ``compare(baseline, reform)`` (share, mean, median and their changes)."""
    base = runs[baseline].summary
    return {name: compare(base, r.summary) for name, r in runs.items() if name != baseline}


# Jupyter typesets text between dollar signs in HTML output as math (MathJax 2 and 3 class names):
# scenario titles are plain text with dollar amounts ("$1 for $2"), so our HTML opts out.
NO_MATH = "tex2jax_ignore mathjax_ignore"


def _show_html(markup: str, text: str) -> None:
    """HTML in a notebook (never typeset as math), ``text`` in a terminal."""
    from IPython.display import display

    display({"text/html": f'<div class="{NO_MATH}">{markup}</div>', "text/plain": text}, raw=True)


def _show_table(table: pd.DataFrame) -> None:
    _show_html(table.to_html(), table.to_string())  # to_html escapes names and values


def _show_chart(spec: dict) -> None:
    """A chart, drawn inside an Output widget as the apps' charts are.

    Shown as a cell's own output, Voilà hands JupyterLab's plotly renderer an output model
    without ``setData``, and every chart logged "r.setData is not a function" (the renderer
    saves a PNG of what it drew into its model).
    """
    import ipywidgets as w
    from IPython.display import display

    area = w.Output()
    display(area)
    with area:
        display(as_figure(spec))


def show(runs: Mapping[str, ScenarioRun], baseline: str, metrics: Iterable[str] | None = None) -> None:
    """Display the charts and tables in a notebook (or print the tables in a terminal)."""
    from html import escape

    # Scenario names and titles come from any JSON file an analyst points at: text, not markup.
    summaries = {name: r.summary for name, r in runs.items()}
    people = f"{len(runs[baseline].outcomes):,} beneficiaries."
    _show_html(f"<p><strong>{people}</strong> "
               + " ".join(f"<em>{escape(n)}</em>: {escape(r.scenario.title)}." for n, r in runs.items())
               + "</p>",
               " ".join([people, *(f"{n}: {r.scenario.title}." for n, r in runs.items())]))
    _show_chart(shares_figure(summaries))
    for metric in metrics or ("months_to_twl", "months_to_sga", "benefits_paid", "total_income",
                              "en_payment"):
        _show_chart(distribution_figure(summaries, metric))
    for name, table in comparison(runs, baseline).items():
        heading = f"{baseline} against {name}"
        _show_html(f"<p><strong>{escape(heading)}</strong></p>", heading)
        _show_table(table.round(2))


def export(runs: Mapping[str, ScenarioRun], path: str | os.PathLike | None) -> Path | None:
    """Every scenario's per-beneficiary outcomes in one file (CSV or Parquet by name), with a
    ``scenario`` column. ``path`` None writes nothing (the notebook's default)."""
    if path is None:
        return None
    stacked = pd.concat([r.outcomes.reset_index().assign(scenario=name) for name, r in runs.items()],
                        ignore_index=True)
    return write_table(stacked[["scenario", *stacked.columns[:-1]]], path)


class _ProgressBar:
    """tqdm's ``update(n)`` onto an ipywidgets progress bar."""

    def __init__(self, bar):
        self.bar = bar

    def update(self, n: int) -> None:
        self.bar.value += n


class WhatIfPanel:
    """Choose a caseload and scenarios, run, see distributions, export. ``panel.widget`` is the box."""

    def __init__(self, data_dir: str | os.PathLike | None = None, export_dir: str | os.PathLike | None = None,
                 *, generate: int = 500, seed: int = 0, months: int = 60, baseline: str = "baseline",
                 reforms: Iterable[str] = ("higher_sga",)):
        import ipywidgets as w

        self.data_dir = Path(data_dir) if data_dir else None
        self.export_dir = Path(export_dir) if export_dir else None
        self.runs: dict[str, ScenarioRun] = {}
        self.figures: list[dict] = []                 # what the output area shows, as plotly dicts
        self.tables: dict[str, pd.DataFrame] = {}     # ... and the comparison tables under them
        files = self._files()
        style = {"description_width": "12em"}
        wide = w.Layout(width="32em")
        self.source = w.Dropdown(options=[("A synthetic caseload", "")] + [(f.name, f.name) for f in files],
                                 value="", description="Caseload", style=style, layout=wide)
        self.size = w.BoundedIntText(value=generate, min=1, max=200_000, description="Synthetic people",
                                     style=style, layout=wide)
        self.seed = w.IntText(value=seed, description="Random seed", style=style, layout=wide)
        self.months = w.BoundedIntText(value=months, min=1, max=240, description="Months to project",
                                       style=style, layout=wide)
        names = available_scenarios()
        labels = [(f"{n}: {load_scenario(n).title}", n) for n in names]
        self.baseline = w.Dropdown(options=labels, value=baseline, description="Compare against",
                                   style=style, layout=wide)
        self.reforms = w.SelectMultiple(options=labels, value=tuple(reforms), rows=min(len(names), 8),
                                        description="Scenarios", style=style, layout=w.Layout(width="48em"))
        self.run_button = w.Button(description="Run", button_style="primary", tooltip="Simulate the caseload")
        self.progress = w.IntProgress(value=0, min=0, max=1, description="Progress", style=style)
        self.metric = w.Dropdown(options=[(TITLES[m], m) for m in (*MONTH_METRICS, *DOLLAR_METRICS)],
                                 value="months_to_sga", description="Distribution of", style=style,
                                 layout=w.Layout(width="48em"))
        self.export_format = w.Dropdown(options=[("CSV", ".csv"), ("Parquet", ".parquet")], value=".csv",
                                        description="Export as", style=style)
        self.export_button = w.Button(description="Export results", disabled=True,
                                      tooltip="Write every scenario's per-beneficiary results")
        self.message = w.HTML()
        self.output = w.Output()
        for control, name in ((self.source, "source"), (self.size, "size"), (self.seed, "seed"),
                              (self.months, "months"), (self.baseline, "baseline"), (self.reforms, "reforms"),
                              (self.run_button, "run"), (self.progress, "progress"), (self.metric, "metric"),
                              (self.export_format, "export-format"), (self.export_button, "export")):
            control.add_class(f"iwp-whatif-{name}")
        self.run_button.on_click(lambda _: self.run())
        self.export_button.on_click(lambda _: self.export())
        self.metric.observe(lambda _: self.redraw(), names="value")
        export_row = [self.export_format, self.export_button] if self.export_dir else []
        self.widget = w.VBox([self.source, self.size, self.seed, self.months, self.baseline, self.reforms,
                              w.HBox([self.run_button, self.progress]), self.metric, w.HBox(export_row),
                              self.message, self.output])

    def _files(self) -> list[Path]:
        if self.data_dir is None or not self.data_dir.is_dir():
            return []
        return sorted(p for p in self.data_dir.iterdir()
                      if p.is_file() and any(p.name.lower().endswith(s) for s in (*FORMATS, ".csv.gz")))

    def _say(self, text: str) -> None:
        import html
        self.message.value = f"<span role='status'>{html.escape(text)}</span>"

    def caseload(self) -> pd.DataFrame:
        if self.source.value:
            chosen = {f.name: f for f in self._files()}.get(self.source.value)
            if chosen is None:
                raise PlanError(f"caseload: {self.source.value!r} is not in the data folder")
            return read_caseload(chosen, months=self.months.value)
        return generate_caseload(self.size.value, SyntheticSpec(months=self.months.value), seed=self.seed.value)

    def run(self) -> None:
        try:
            caseload = self.caseload()
            names = [self.baseline.value, *[r for r in self.reforms.value if r != self.baseline.value]]
            self.progress.max = len(caseload) * len(names)
            self.progress.value = 0
            self._say("Running…")
            self.runs = run_scenarios(caseload, names, batch_size=1_000, progress=_ProgressBar(self.progress))
        except PlanError as exc:
            self._say(f"Could not run: {exc}")
            return
        self.progress.value = self.progress.max
        self.export_button.disabled = False
        self._say(f"Done: {len(caseload):,} beneficiaries, {len(names)} scenarios.")
        self.redraw()

    def redraw(self) -> None:
        if not self.runs:
            return
        from IPython.display import display

        summaries = {name: r.summary for name, r in self.runs.items()}
        self.figures = [distribution_figure(summaries, self.metric.value), shares_figure(summaries)]
        self.tables = {name: table.round(2) for name, table in comparison(self.runs, self.baseline.value).items()}
        self.output.clear_output(wait=True)
        with self.output:
            for figure in self.figures:
                display(as_figure(figure))
            for name, table in self.tables.items():
                _show_table(table.rename_axis(f"{self.baseline.value} → {name}"))

    def export(self) -> Path | None:
        if not self.runs or self.export_dir is None:
            return None
        name = "what_if_" + "_".join(self.runs) + self.export_format.value
        path = export(self.runs, self.export_dir / name)
        self._say(f"Exported to {path.name}.")
        return path


__all__ = ["load_caseload", "run", "comparison", "show", "export", "WhatIfPanel"]
