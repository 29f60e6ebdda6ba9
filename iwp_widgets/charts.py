"""Charts made only from the table ``simulate`` returns, and a plain table to go with each.

Figures are plain plotly dicts (``{"data": [...], "layout": {...}}``): building them skips plotly's
validation, which keeps a redraw in the apps fast. ``as_figure(spec)`` makes a ``go.Figure`` for
notebooks and reports. Each chart has a table alternative with the same numbers for people who
cannot see the chart (``earnings_rows``, ``income_rows``).

Nothing here computes a rule: the TWL and SGA lines, TWP months and SSDI phases all come from the
table's columns.
"""

from __future__ import annotations

import pandas as pd

from .thresholds import label as figure_label
from .vocabulary import ssdi_status_words, yes_no
from .words import N_, _, money, month_words

# Colours chosen for at least 4.5:1 contrast on white (WCAG 2.1 AA), and told apart by more than
# colour: lines are dashed differently and TWP months carry a marker symbol.
COLORS = {
    "earnings": "#1f4e79",
    "twl": "#8a4b00",
    "sga": "#a4001d",
    "twp": "#000000",
    "ssdi": "#1b5e20",
    "ssi": "#6a1b9a",
    "unearned": "#4e4e4e",
    "total": "#000000",
}

# Light backgrounds behind the earnings chart for each SSDI phase (text stays dark on them).
PHASE_FILL = {
    "twp": "rgba(31, 78, 121, 0.10)",
    "epe": "rgba(27, 94, 32, 0.10)",
    "grace": "rgba(138, 75, 0, 0.12)",
    "cessation": "rgba(164, 0, 29, 0.10)",
    "suspended": "rgba(164, 0, 29, 0.16)",
    "terminated": "rgba(80, 80, 80, 0.18)",
}

# Band labels sit in rows (LABEL_ROW px each) between the title and the plot area. Their widths
# are judged for the narrowest plot area the apps draw (the goal-setting column) at about
# LABEL_CHAR_PX per character of 11 px text.
LABEL_ROW = 20
NARROWEST_PLOT_PX = 400
LABEL_CHAR_PX = 6.2
TITLE = {"x": 0, "xanchor": "left", "xref": "paper", "y": 1, "yref": "container", "yanchor": "top",
         "pad": {"t": 10}}

LAYOUT = {
    "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1a1a1a"},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
    "height": 340,
    "hovermode": "x unified",
    "legend": {"orientation": "h", "y": -0.2},
    "xaxis": {"gridcolor": "#e0e0e0", "hoverformat": "%B %Y"},  # a month, not its first day
    "yaxis": {"gridcolor": "#e0e0e0", "rangemode": "tozero", "tickprefix": "$"},
}


def _layout(title: str, **more) -> dict:
    """LAYOUT with the chart's title and the axis title in the reader's language."""
    yaxis = dict(LAYOUT["yaxis"], title={"text": _("Dollars a month")})
    return dict(LAYOUT, title=dict(TITLE, text=title), yaxis=yaxis, **more)


def _months(table: pd.DataFrame) -> list[str]:
    return [str(m) for m in table.index]


def _month_words(table: pd.DataFrame) -> list[str]:
    return [month_words(m) for m in table.index]


def _values(column: pd.Series) -> list[float]:
    return [round(float(v), 2) for v in column.to_numpy()]


def _runs(values: list[str]) -> list[tuple[int, int, str]]:
    """(first index, last index, value) for each run of equal values."""
    runs = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i - 1, values[start]))
            start = i
    return runs


def phase_label(status: str) -> str:
    """The words for an SSDI status (the one vocabulary: ``vocabulary.SSDI_STATUS``)."""
    return ssdi_status_words(status)


def phase_bands(table: pd.DataFrame) -> tuple[list[dict], list[dict], int]:
    """A shaded rectangle behind the bars for each run of one SSDI phase, and its label above the
    plot area, where no bar can cover it, with a short line down to its band; and how many rows
    of labels there are.

    Every band is labelled, the one-month cessation band too. A label wider than its band goes up
    a row when it would run into the label before it; the width is judged for the narrowest chart
    the apps draw (``NARROWEST_PLOT_PX``), so labels do not overlap on wider ones either.
    """
    statuses = [str(s) for s in table["ssdi_status"].to_numpy()] if "ssdi_status" in table else []
    month_px = NARROWEST_PLOT_PX / max(len(statuses), 1)
    shapes, labels, row_ends = [], [], []
    for first, last, status in _runs(statuses):
        if status not in PHASE_FILL:
            continue
        text = phase_label(status)
        # Shade from the middle of the month before to the middle of the month after the run.
        start = table.index[first].to_timestamp() - pd.Timedelta(days=15)
        end = table.index[last].to_timestamp() + pd.Timedelta(days=15)
        x0, x1, middle = (t.strftime("%Y-%m-%d") for t in (start, end, start + (end - start) / 2))
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                       "fillcolor": PHASE_FILL[status], "line": {"width": 0}, "layer": "below", "name": text})
        # The label's extent in months, centred on its band; the lowest row where it fits.
        centre = (first + last) / 2
        half = len(text) * LABEL_CHAR_PX / month_px / 2 + 0.5
        row = next((r for r, row_end in enumerate(row_ends) if row_end < centre - half), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = centre + half
        labels.append({"text": text, "name": text, "xref": "x", "yref": "paper",
                       "x": middle, "y": 1,
                       "showarrow": True, "arrowhead": 0, "arrowwidth": 1, "arrowcolor": "#4a4a4a",
                       "ax": 0, "ay": -(LABEL_ROW * (row + 1) - 4), "yanchor": "bottom",
                       "font": {"size": 11, "color": "#1a1a1a"},
                       "bgcolor": PHASE_FILL[status], "bordercolor": "#4a4a4a", "borderwidth": 1,
                       "borderpad": 1})
    return shapes, labels, len(row_ends)


# Health coverage, drawn as a strip of labelled boxes above the income chart (one strip per
# program the plan has), so a beneficiary sees at a glance whether Medicaid and Medicare go on.
COVERAGE_LABEL = {
    "medicaid": {"ssi": N_("Medicaid through SSI"), "1619b": N_("Medicaid through 1619(b)"),
                 "none": N_("No Medicaid")},
    "medicare": {True: N_("Medicare"), False: N_("No Medicare")},
}
COVERAGE_NAME = {"medicaid": N_("Medicaid"), "medicare": N_("Medicare")}
# Shorter words for a run of months too narrow for the full ones: the strip's name stands beside
# it, and the hover and the chart's table keep the full words.
COVERAGE_SHORT = {
    "medicaid": {"ssi": N_("SSI"), "1619b": N_("1619(b)"), "none": N_("None")},
    "medicare": {True: N_("Yes"), False: N_("No")},
}
COVERAGE_FILL = {"ssi": "#e3f2e5", "1619b": "#fff3d6", "none": "#f3d9dc", True: "#e3f2e5", False: "#f3d9dc"}
COVERAGE_ROW = 22
LABEL_PAD_PX = 6  # room inside a box around its label


def coverage(table: pd.DataFrame) -> list[tuple[str, list]]:
    """(program, value each month) for Medicaid and Medicare, for the plan's programs only."""
    programs = []
    if "medicaid" in table and ((table["medicaid"] != "none").any() or (table.get("ssi_limit", 0) > 0).any()):
        programs.append(("medicaid", [str(v) for v in table["medicaid"].to_numpy()]))
    if "medicare" in table and (table["ssdi_status"] != "none").any():
        programs.append(("medicare", [bool(v) for v in table["medicare"].to_numpy()]))
    return programs


def _label_that_fits(program: str, value, months: int, of_months: int) -> str:
    """The full words if they fit a run of ``months`` in the narrowest chart the apps draw, else
    the short ones, else nothing (a label wider than its box would be cut by the next box)."""
    room = NARROWEST_PLOT_PX * months / max(of_months, 1) - LABEL_PAD_PX
    for text in (_(COVERAGE_LABEL[program][value]), _(COVERAGE_SHORT[program][value])):
        if len(text) * LABEL_CHAR_PX <= room:
            return text
    return ""


def coverage_strips(table: pd.DataFrame, programs: list[tuple[str, list]]) -> tuple[list[dict], list[dict], int]:
    """Boxes above the plot area, one per run of the same Medicaid or Medicare coverage
    (``programs``: :func:`coverage` of ``table``), each labelled inside (shorter, or not at all,
    where the run is too narrow); the strips' names beside them; and how many strips there are
    (one per program the plan has)."""
    shapes, names = [], []
    for row, (program, values) in enumerate(programs):
        # Strips stack upwards from the top of the plot area, in pixels so they keep their size.
        y0 = 4 + row * COVERAGE_ROW
        for first, last, value in _runs(values):
            start = table.index[first].to_timestamp() - pd.Timedelta(days=15)
            end = table.index[last].to_timestamp() + pd.Timedelta(days=15)
            text = _label_that_fits(program, value, last - first + 1, len(values))
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "ysizemode": "pixel",
                           "yanchor": 1, "y0": y0, "y1": y0 + COVERAGE_ROW - 4,
                           "x0": start.strftime("%Y-%m-%d"), "x1": end.strftime("%Y-%m-%d"),
                           "fillcolor": COVERAGE_FILL[value], "line": {"width": 1, "color": "#4a4a4a"},
                           "name": _(COVERAGE_LABEL[program][value]),
                           "label": {"text": text, "font": {"size": 11, "color": "#1a1a1a"}}})
        names.append({"text": _(COVERAGE_NAME[program]), "xref": "paper", "yref": "paper", "x": 0, "y": 1,
                      "xanchor": "right", "yanchor": "middle", "xshift": -4, "yshift": y0 + (COVERAGE_ROW - 4) / 2,
                      "showarrow": False, "font": {"size": 11, "color": "#1a1a1a"}})
    return shapes, names, len(programs)


def coverage_hover(table: pd.DataFrame, programs: list[tuple[str, list]]) -> list[dict]:
    """An unseen trace per program (``programs``: :func:`coverage` of ``table``) whose hover says
    the month's coverage in full words."""
    months = _months(table)
    return [{"type": "scatter", "mode": "markers", "name": _(COVERAGE_NAME[program]), "x": months,
             "y": [0.0] * len(months), "text": [_(COVERAGE_LABEL[program][v]) for v in values],
             "marker": {"opacity": 0}, "showlegend": False, "hovertemplate": "%{text}<extra></extra>"}
            for program, values in programs]


def earnings_figure(table: pd.DataFrame, title: str | None = None) -> dict:
    """Gross earnings each month, the TWL and SGA lines, TWP months marked and SSDI phases shaded."""
    title = title or _("Monthly pay compared with the TWL and SGA")
    months = _months(table)
    earnings = _values(table["gross_earnings"])
    twp_months = table["twp_month"].to_numpy(dtype=bool)
    trial_month = _("Trial work month")
    data = [
        {"type": "bar", "name": _("Pay before taxes"), "x": months, "y": earnings,
         "marker": {"color": COLORS["earnings"]}, "hovertemplate": _hover(_("Pay"))},
        {"type": "scatter", "mode": "lines", "name": f"{figure_label('twl')} (TWL)", "x": months,
         "y": _values(table["twl"]), "line": {"color": COLORS["twl"], "dash": "dash", "shape": "hv", "width": 2},
         "hovertemplate": _hover(_("TWL"))},
        {"type": "scatter", "mode": "lines", "name": _("SGA level"), "x": months,
         "y": _values(table["sga"]), "line": {"color": COLORS["sga"], "dash": "dot", "shape": "hv", "width": 2},
         "hovertemplate": _hover(_("SGA"))},
        {"type": "scatter", "mode": "markers", "name": trial_month,
         "x": [m for m, t in zip(months, twp_months) if t],
         "y": [e for e, t in zip(earnings, twp_months) if t],
         "marker": {"symbol": "star", "size": 11, "color": COLORS["twp"]},
         "hovertemplate": f"{_plotly_text(trial_month)}<extra></extra>"},
    ]
    shapes, labels, rows = phase_bands(table)
    layout = _layout(title, shapes=shapes, annotations=labels, bargap=0.15,
                     # The rows of labels add to the height: the plot area keeps its size.
                     margin=dict(LAYOUT["margin"], t=LAYOUT["margin"]["t"] + LABEL_ROW * rows),
                     height=LAYOUT["height"] + LABEL_ROW * rows)
    return {"data": data, "layout": layout}


def income_figure(table: pd.DataFrame, title: str | None = None) -> dict:
    """Earnings, SSDI and SSI stacked; their sum (plus any other income) is the total line."""
    title = title or _("Total income each month")
    months = _months(table)
    parts = [("gross_earnings", _("Pay before taxes"), "earnings"),
             ("ssdi_paid", _("SSDI check"), "ssdi"),
             ("ssi_paid", _("SSI check"), "ssi")]
    data = [{"type": "bar", "name": label, "x": months, "y": _values(table[column]),
             "marker": {"color": COLORS[color]}, "hovertemplate": _hover(label)}
            for column, label, color in parts]
    other = table["total_income"] - table["gross_earnings"] - table["ssdi_paid"] - table["ssi_paid"]
    if (other.abs() > 0.005).any():
        data.append({"type": "bar", "name": _("Other income"), "x": months, "y": _values(other),
                     "marker": {"color": COLORS["unearned"]}, "hovertemplate": _hover(_("Other income"))})
    data.append({"type": "scatter", "mode": "lines+markers", "name": _("Total income"), "x": months,
                 "y": _values(table["total_income"]), "line": {"color": COLORS["total"], "width": 2},
                 "marker": {"size": 5}, "hovertemplate": _hover(_("Total"))})
    programs = coverage(table)  # read once: the hover and the strips show the same runs
    data += coverage_hover(table, programs)
    shapes, names, strips = coverage_strips(table, programs)
    layout = _layout(title, barmode="stack", shapes=shapes, annotations=names,
                     # The coverage strips add to the height: the plot area keeps its size.
                     margin=dict(LAYOUT["margin"], t=LAYOUT["margin"]["t"] + COVERAGE_ROW * strips),
                     height=LAYOUT["height"] + COVERAGE_ROW * strips)
    return {"data": data, "layout": layout}


def _plotly_text(text: str) -> str:
    """``text`` inside a plotly hover template, where "%{" starts a field and "<" a tag."""
    from html import escape

    return escape(text).replace("%", "%%")


def _hover(label: str) -> str:
    """Dollars and cents on hover, then the series' name."""
    return f"$%{{y:,.2f}}<extra>{_plotly_text(label)}</extra>"


def as_figure(spec: dict):
    """A ``plotly.graph_objects.Figure`` for notebooks, reports and image export."""
    import plotly.graph_objects as go

    return go.Figure(spec)


def earnings_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The earnings chart as a table: one row per month, plain column names."""
    return pd.DataFrame({
        _("Month"): _month_words(table),
        _("Pay before taxes"): _values(table["gross_earnings"]),
        _("TWL"): _values(table["twl"]),
        _("SGA"): _values(table["sga"]),
        _("Trial work month"): [yes_no(t) for t in table["twp_month"].to_numpy(dtype=bool)],
        _("Trial work months used"): [int(v) for v in table["twp_months_used"].to_numpy()],
        _("SSDI phase"): [phase_label(str(s)) for s in table["ssdi_status"].to_numpy()],
    })


def income_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The income chart as a table."""
    return pd.DataFrame({
        _("Month"): _month_words(table),
        _("Pay before taxes"): _values(table["gross_earnings"]),
        _("SSDI check"): _values(table["ssdi_paid"]),
        _("SSI check"): _values(table["ssi_paid"]),
        _("Total income"): _values(table["total_income"]),
        **{_(COVERAGE_NAME[program]): [_(COVERAGE_LABEL[program][v]) for v in values]
           for program, values in coverage(table)},
    })


def rows_html(rows: pd.DataFrame, caption: str) -> str:
    """An accessible HTML table (caption, column headers with scope) for a chart's numbers."""
    from html import escape

    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in rows.columns)
    body = []
    for record in rows.itertuples(index=False):
        cells = [f'<th scope="row">{escape(str(record[0]))}</th>']
        for value in record[1:]:
            text = escape(money(value)) if isinstance(value, float) else escape(str(value))
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="iwp-data-table"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
