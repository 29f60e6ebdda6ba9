"""Charts of caseload summaries: one distribution per scenario, side by side.

Made only from :class:`~iwp_widgets.caseload.summary.CaseloadSummary` counts (so a Dask run's
summary draws the same way as a pandas one). Figures are plain plotly dicts, like
:mod:`iwp_widgets.charts`; ``iwp_widgets.charts.as_figure`` turns one into a ``go.Figure``.
The numbers behind each chart are in ``summary.table()`` / ``compare(...)`` for readers who
cannot see it.
"""

from __future__ import annotations

import copy
from typing import Mapping

import numpy as np

from ..charts import LAYOUT
from .summary import MONTH_METRICS, CaseloadSummary

# High-contrast colours (≥ 4.5:1 on white), one per scenario in order; bars also differ in pattern.
SCENARIO_COLORS = ("#1f4e79", "#a4001d", "#1b5e20", "#6a1b9a", "#8a4b00", "#4e4e4e")
PATTERNS = ("", "/", ".", "x", "-", "+")
TITLES = {
    "months_to_twl": "Months until earnings first pass the trial work level",
    "months_to_sga": "Months until earnings first pass SGA",
    "months_to_epe": "Months until the extended period (EPE) starts",
    "ssdi_paid": "SSDI paid over the projection",
    "ssi_paid": "SSI paid over the projection",
    "benefits_paid": "SSDI and SSI paid over the projection",
    "gross_earnings": "Earnings over the projection",
    "total_income": "Total income over the projection",
    "en_payment": "Payments to the Employment Network",
}
DISPLAY_BINS = 30  # dollar histograms are regrouped into about this many bars
LEGEND_ROW = 40    # pixels added under a chart with an x-axis title for its legend


def _nice_width(span: float, bins: int, base: float) -> float:
    """A round bar width (1, 2 or 5 × a power of ten, and a multiple of the summary's bin)."""
    raw = max(span / bins, base)
    power = 10 ** np.floor(np.log10(raw))
    for step in (1, 2, 5, 10):
        if step * power >= raw:
            return max(round(step * power / base) * base, base)
    return raw


def _titles(layout: dict, x_title: str, y_title: str, *, x_prefix: str = "", y_suffix: str = "") -> None:
    """Axis titles and tick marks: the shared layout's "$" ticks only where the axis is dollars."""
    layout["xaxis"] = {**layout.get("xaxis", {}), "title": {"text": x_title}, "tickprefix": x_prefix}
    layout["yaxis"] = {**layout.get("yaxis", {}), "title": {"text": y_title}, "tickprefix": "",
                       "ticksuffix": y_suffix}


def distribution_figure(summaries: Mapping[str, CaseloadSummary], metric: str) -> dict:
    """Bars of how many beneficiaries fall in each range of ``metric``, one colour per scenario."""
    hists = {name: s.histogram(metric) for name, s in summaries.items()}
    if metric in MONTH_METRICS:
        width = 1.0
        x_title = "Months from the start of the projection"
    else:
        values = np.concatenate([h["value"].to_numpy() for h in hists.values()] or [np.zeros(1)])
        base = next(iter(summaries.values())).dollar_bin
        width = _nice_width(float(values.max() - values.min()) if len(values) else 0.0, DISPLAY_BINS, base)
        x_title = "Dollars"
    data = []
    for i, (name, hist) in enumerate(hists.items()):
        bars = (hist.assign(bar=np.floor(hist["value"] / width) * width).groupby("bar")["count"].sum())
        data.append({
            "type": "bar", "name": name, "x": bars.index.tolist(), "y": bars.tolist(),
            "width": width * 0.9 / max(len(hists), 1), "offset": width * 0.9 * (i / max(len(hists), 1)),
            "marker": {"color": SCENARIO_COLORS[i % len(SCENARIO_COLORS)],
                       "pattern": {"shape": PATTERNS[i % len(PATTERNS)]}},
            "hovertemplate": f"{name}: %{{y}} beneficiaries from %{{x}}<extra></extra>",
        })
    layout = copy.deepcopy(LAYOUT)
    layout.update({"title": {"text": TITLES.get(metric, metric)}, "barmode": "overlay", "hovermode": "closest",
                   # The legend goes below the x-axis title (in the shared layout it covered the ticks).
                   "legend": {**layout["legend"], "yref": "container", "y": 0, "yanchor": "bottom"},
                   "margin": {**layout["margin"], "b": layout["margin"]["b"] + LEGEND_ROW},
                   "height": layout["height"] + LEGEND_ROW})
    _titles(layout, x_title, "Beneficiaries", x_prefix="" if metric in MONTH_METRICS else "$")
    return {"data": data, "layout": layout}


def shares_figure(summaries: Mapping[str, CaseloadSummary]) -> dict:
    """Share of the caseload reaching the TWL, SGA and the EPE, by scenario."""
    labels = {"months_to_twl": "Earn above the TWL", "months_to_sga": "Earn above SGA",
              "months_to_epe": "Reach the EPE"}
    data = []
    for i, (name, summary) in enumerate(summaries.items()):
        table = summary.table()
        shares = [100 * float(table.loc[m, "share"]) for m in labels]
        data.append({"type": "bar", "name": name, "x": list(labels.values()), "y": shares,
                     "marker": {"color": SCENARIO_COLORS[i % len(SCENARIO_COLORS)],
                                "pattern": {"shape": PATTERNS[i % len(PATTERNS)]}},
                     "text": [f"{v:.0f}%" for v in shares], "textposition": "outside",
                     "hovertemplate": f"{name}: %{{y:.1f}}%<extra></extra>"})
    layout = copy.deepcopy(LAYOUT)
    layout.update({"title": {"text": "Share of the caseload reaching each point"}, "barmode": "group",
                   "hovermode": "closest"})
    _titles(layout, "", "Percent of beneficiaries", y_suffix="%")
    return {"data": data, "layout": layout}


__all__ = ["distribution_figure", "shares_figure", "TITLES"]
