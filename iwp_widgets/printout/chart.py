"""The projection chart of the printed IWP: laid out once in abstract units, drawn as inline SVG.

Earnings, benefits and total income by month, with the trial work level and the SGA level as
reference lines, and months whose figures are projected shaded grey.
"""

from __future__ import annotations

import html
import math
import sys
from dataclasses import dataclass

import pandas as pd

from ..thresholds import label as figure_label
from ..words import _, number


@dataclass(frozen=True)
class ChartSeries:
    label: str
    color: str  # "#rrggbb"
    dash: tuple[float, float] | None  # (dash, gap) in chart units, or None for a solid line
    width: float
    points: tuple[tuple[float, float], ...]  # (x, y) in chart units, y growing downward


@dataclass(frozen=True)
class Chart:
    """A line chart laid out in abstract units; drawing it only scales it."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    series: tuple[ChartSeries, ...]
    projected_spans: tuple[tuple[float, float], ...]  # x ranges drawn with a grey band


MAX_X_LABELS = 8  # more would overlap at the chart's width
TICK_STEPS = (1, 2, 3, 6, 12, 24, 36, 60, 120)  # months between labels


def column(table: pd.DataFrame, name: str, default) -> pd.Series:
    """``table[name]``, or ``default`` for every month when the table has no such column."""
    if name in table.columns:
        return table[name]
    return pd.Series(default, index=table.index)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (at least 100)."""
    value = max(float(value), 100.0)
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5):
        if step * power >= value:
            return step * power
    return min(10 * power, sys.float_info.max)


def _axis_dollars(value: float) -> str:
    """Whole dollars for the axis ("$5,000"): cents would crowd the labels."""
    return "$" + number(value, 0) if value < 1e15 else "$" + f"{value:.0e}"


def build_chart(table: pd.DataFrame, width: float = 720, height: float = 300) -> Chart:
    """Lay out the projection chart from the monthly table."""
    left, right, top, bottom = 64.0, width - 170.0, 16.0, height - 36.0
    n = len(table)
    zero = pd.Series(0.0, index=table.index)
    benefits = column(table, "ssdi_paid", 0.0) + column(table, "ssi_paid", 0.0)
    lines = [
        (_("Earnings"), "#1f5fa8", None, 2.5, column(table, "gross_earnings", 0.0)),
        (_("Benefits (SSDI + SSI)"), "#b3541e", (6.0, 4.0), 2.5, benefits),
        (_("Total income"), "#2e7d32", (2.0, 3.0), 2.5, column(table, "total_income", 0.0)),
    ]
    if "twl" in table:
        lines.append((_(figure_label("twl")), "#6a6a6a", (1.5, 2.5), 1.2, table["twl"]))
    if "sga" in table:
        lines.append((_("SGA level"), "#000000", (8.0, 3.0), 1.2, table["sga"]))
    values = pd.concat([series for *_rest, series in lines] + [zero]).astype(float)
    finite = values[values.map(math.isfinite)]
    y_max = nice_ceiling(finite.max() if len(finite) else 0.0)

    def x_of(i: float) -> float:
        return left + (right - left) * (i / (n - 1) if n > 1 else 0.5)

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * (min(max(float(v), 0.0), y_max) / y_max)

    series = tuple(
        ChartSeries(label, color, dash, line_width,
                    tuple((x_of(i), y_of(v)) for i, v in enumerate(values_)))
        for label, color, dash, line_width, values_ in lines
    )
    y_ticks = tuple((y_of(y_max * k / 5), _axis_dollars(y_max * k / 5)) for k in range(6))
    x_ticks = _month_ticks(table.index, x_of)
    projected = column(table, "projected", False).astype(bool).to_numpy()
    half = (right - left) / (2 * max(n - 1, 1))
    spans = []
    i = 0
    while i < n:
        if projected[i]:
            j = i
            while j + 1 < n and projected[j + 1]:
                j += 1
            spans.append((max(left, x_of(i) - half), min(right, x_of(j) + half)))
            i = j + 1
        else:
            i += 1
    return Chart(width, height, left, top, right, bottom, y_ticks, x_ticks, series, tuple(spans))


def _month_ticks(months: pd.PeriodIndex, x_of) -> tuple[tuple[float, str], ...]:
    """Labels on calendar boundaries (every n months, or every n years), at most MAX_X_LABELS."""
    n = len(months)
    step = next((s for s in TICK_STEPS if math.ceil(n / s) <= MAX_X_LABELS), TICK_STEPS[-1])
    ticks = []
    for i, month in enumerate(months):
        if step < 12 and (month.month - 1) % step == 0:
            ticks.append((x_of(i), month.strftime("%b %Y")))
        elif step >= 12 and month.month == 1 and (month.year % (step // 12)) == 0:
            ticks.append((x_of(i), str(month.year)))
    return tuple(ticks) or ((x_of(0), months[0].strftime("%b %Y")),)


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def chart_svg(chart: Chart) -> str:
    """The chart as an inline SVG element (text escaped; no scripts, no external files). The
    month-by-month table after it says the same in words, for a screen reader."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:g} {chart.height:g}" '
        f'role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{_esc(_("Planned earnings, benefits and total income by month"))}</title>',
    ]
    for x0, x1 in chart.projected_spans:
        parts.append(f'<rect x="{x0:.1f}" y="{chart.top:.1f}" width="{x1 - x0:.1f}" '
                     f'height="{chart.bottom - chart.top:.1f}" fill="#ececec"/>')
    for y, label in chart.y_ticks:
        parts.append(f'<line x1="{chart.left:.1f}" y1="{y:.1f}" x2="{chart.right:.1f}" y2="{y:.1f}" '
                     'stroke="#d0d0d0" stroke-width="0.8"/>')
        parts.append(f'<text x="{chart.left - 6:.1f}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="end">{_esc(label)}</text>')
    for x, label in chart.x_ticks:
        parts.append(f'<line x1="{x:.1f}" y1="{chart.bottom:.1f}" x2="{x:.1f}" y2="{chart.bottom + 4:.1f}" '
                     'stroke="#111"/>')
        parts.append(f'<text x="{x:.1f}" y="{chart.bottom + 18:.1f}" font-size="11" '
                     f'text-anchor="middle">{_esc(label)}</text>')
    parts.append(f'<line x1="{chart.left:.1f}" y1="{chart.bottom:.1f}" x2="{chart.right:.1f}" '
                 f'y2="{chart.bottom:.1f}" stroke="#111"/>')
    legend_y = chart.top + 8
    for s in chart.series:
        dash = f' stroke-dasharray="{s.dash[0]:g} {s.dash[1]:g}"' if s.dash else ""
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
        if len(s.points) == 1:  # one month: draw a short level mark so the value is visible
            (x, y), = s.points
            points = f"{x - 6:.1f},{y:.1f} {x + 6:.1f},{y:.1f}"
        parts.append(f'<polyline points="{points}" fill="none" stroke="{s.color}" '
                     f'stroke-width="{s.width:g}"{dash} stroke-linejoin="round"/>')
        lx = chart.right + 12
        parts.append(f'<line x1="{lx:.1f}" y1="{legend_y:.1f}" x2="{lx + 24:.1f}" y2="{legend_y:.1f}" '
                     f'stroke="{s.color}" stroke-width="{s.width:g}"{dash}/>')
        parts.append(f'<text x="{lx + 30:.1f}" y="{legend_y + 4:.1f}" font-size="11">{_esc(s.label)}</text>')
        legend_y += 20
    if chart.projected_spans:
        lx = chart.right + 12
        parts.append(f'<rect x="{lx:.1f}" y="{legend_y - 6:.1f}" width="24" height="12" fill="#ececec"/>')
        parts.append(f'<text x="{lx + 30:.1f}" y="{legend_y + 4:.1f}" font-size="11">'
                     f'{_esc(_("Projected figures"))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
