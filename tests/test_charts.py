"""Charts read only the simulate table: checked on a hand-made table with the contract's columns."""

import pandas as pd
import pytest

import iwp_widgets as iwp
from iwp_widgets import charts


@pytest.fixture
def table():
    months = pd.period_range("2026-01", periods=6, freq="M", name="month")
    return pd.DataFrame({
        "gross_earnings": [0.0, 1300.0, 1300.0, 2600.0, 2600.0, 500.0],
        "twl": [1210.0] * 6,
        "sga": [1690.0] * 6,
        "twp_month": [False, True, True, True, True, False],
        "twp_months_used": [0, 1, 2, 3, 4, 4],
        "ssdi_status": ["none", "twp", "twp", "twp", "epe", "epe"],
        "ssdi_paid": [1400.0] * 6,
        "ssi_paid": [0.0] * 6,
        "unearned_income": [0.0, 0, 0, 0, 0, 50.0],
        "total_income": [1400.0, 2700.0, 2700.0, 4000.0, 4000.0, 1950.0],
    }, index=months)


def test_earnings_figure_draws_the_table_columns(table):
    spec = charts.earnings_figure(table)
    traces = {t["name"]: t for t in spec["data"]}
    assert traces["Pay before taxes"]["y"] == [0.0, 1300.0, 1300.0, 2600.0, 2600.0, 500.0]
    assert traces["Pay before taxes"]["x"][0] == "2026-01"
    assert traces["Trial Work Level (TWL)"]["y"] == [1210.0] * 6
    assert traces["SGA level"]["y"] == [1690.0] * 6
    assert traces["Trial work month"]["x"] == ["2026-02", "2026-03", "2026-04", "2026-05"]


def test_ssdi_phases_are_shaded_one_rectangle_per_run(table):
    shapes = charts.earnings_figure(table)["layout"]["shapes"]
    assert [s["name"] for s in shapes] == ["Trial work period", "Extended period (EPE)"]
    assert shapes[0]["x0"] < "2026-02-01" < shapes[0]["x1"] <= shapes[1]["x0"] < "2026-06-01" < shapes[1]["x1"]


def test_income_figure_stacks_parts_and_shows_other_income_only_when_present(table):
    spec = charts.income_figure(table)
    names = [t["name"] for t in spec["data"]]
    assert names == ["Pay before taxes", "SSDI check", "SSI check", "Other income", "Total income"]
    assert spec["data"][3]["y"] == [0.0, 0.0, 0.0, 0.0, 0.0, 50.0]
    assert spec["layout"]["barmode"] == "stack"
    no_other = charts.income_figure(table.iloc[:5])
    assert "Other income" not in [t["name"] for t in no_other["data"]]


def test_figures_are_valid_plotly(table):
    for spec in (charts.earnings_figure(table), charts.income_figure(table)):
        figure = charts.as_figure(spec)
        assert len(figure.data) == len(spec["data"])


def test_table_alternatives_hold_the_same_numbers(table):
    rows = charts.earnings_rows(table)
    assert list(rows["Pay before taxes"]) == list(table["gross_earnings"])
    assert list(rows["SSDI phase"])[1] == "Trial work period"
    income = charts.income_rows(table)
    assert list(income["Total income"]) == list(table["total_income"])
    html = charts.rows_html(income, "Income by month")
    assert "<caption>Income by month</caption>" in html
    assert '<th scope="row">April 2026</th><td>$2,600.00</td>' in html


def test_unknown_status_gets_a_readable_label():
    assert charts.phase_label("expedited_reinstatement") == "Expedited reinstatement"


def _ssdi_path_table(statuses: list[str]) -> pd.DataFrame:
    months = pd.period_range("2026-01", periods=len(statuses), freq="M", name="month")
    n = len(statuses)
    return pd.DataFrame({
        "gross_earnings": [2600.0] * n, "twl": [1210.0] * n, "sga": [1690.0] * n,
        "twp_month": [s == "twp" for s in statuses], "twp_months_used": [0] * n,
        "ssdi_status": statuses, "ssdi_paid": [0.0] * n, "ssi_paid": [0.0] * n,
        "unearned_income": [0.0] * n, "total_income": [2600.0] * n,
    }, index=months)


# Issue 14 item 7: "Check paused" hid under the bars; the cessation and grace bands had no label.
PATH = ["before_twp"] * 2 + ["twp"] * 9 + ["epe"] * 5 + ["cessation"] + ["grace"] * 2 + ["suspended"] * 8 \
    + ["epe"] * 3 + ["terminated"] * 6


def test_every_band_has_a_label_above_the_plot_area_where_bars_cannot_cover_it():
    layout = charts.earnings_figure(_ssdi_path_table(PATH))["layout"]
    shapes, labels = layout["shapes"], layout["annotations"]
    assert [s["name"] for s in shapes] == [
        "Trial work period", "Extended period (EPE)", "Cessation month (SSDI still paid)",
        "Grace months (SSDI still paid)", "Check paused (work above SGA)", "Extended period (EPE)", "SSDI ended"]
    assert len(labels) == len(shapes)
    for shape, label in zip(shapes, labels):
        assert label["text"] == shape["name"]
        assert shape["x0"] < label["x"] < shape["x1"]           # over its own band
        # Anchored at the top of the plot area and drawn above it (negative ay is upward), in the
        # margin where no bar reaches; a line leads down to the band.
        assert (label["yref"], label["y"], label["yanchor"]) == ("paper", 1, "bottom")
        assert label["ay"] < 0 and label["showarrow"]
        assert "label" not in shape                              # no text inside the plot area
    highest = max(-label["ay"] for label in labels)
    assert layout["margin"]["t"] >= highest + charts.LABEL_ROW  # the top row fits under the title


def test_band_labels_in_one_row_do_not_overlap_on_the_narrowest_chart():
    table = _ssdi_path_table(PATH)
    labels = charts.earnings_figure(table)["layout"]["annotations"]
    month_px = charts.NARROWEST_PLOT_PX / len(table)

    def centre_px(label):  # from the first month, at the narrowest width
        day = pd.Timestamp(label["x"])
        return (day - table.index[0].to_timestamp()).days / 30.44 * month_px

    rows: dict[int, list[dict]] = {}
    for label in labels:
        rows.setdefault(label["ay"], []).append(label)
    assert len(rows) > 1  # the narrow cessation and grace labels needed a second row
    for same_row in rows.values():
        for left, right in zip(same_row, same_row[1:]):
            gap = centre_px(right) - centre_px(left)
            assert gap >= (len(left["text"]) + len(right["text"])) / 2 * charts.LABEL_CHAR_PX, (left, right)


def test_the_example_plan_labels_check_paused_cessation_and_grace():
    from iwp_widgets.plan import Plan
    from iwp_widgets.simulate import simulate

    spec = charts.earnings_figure(simulate(Plan.example("ssdi_ramp_to_sga")))
    texts = [label["text"] for label in spec["layout"]["annotations"]]
    assert "Check paused (work above SGA)" in texts
    assert "Cessation month (SSDI still paid)" in texts and "Grace months (SSDI still paid)" in texts
    # The rows of labels add to the chart's height, so the plot area keeps its size.
    layout = spec["layout"]
    assert layout["height"] - layout["margin"]["t"] == charts.LAYOUT["height"] - charts.LAYOUT["margin"]["t"]
    charts.as_figure(spec)  # valid plotly


def test_health_coverage_is_on_the_income_chart_and_its_table():
    """Issue #14: Medicaid (through SSI, through 1619(b), or none) and Medicare, on the chart."""
    plan = iwp.Plan.example("concurrent_irwe")
    table = iwp.simulate(plan)
    boxes = [s["name"] for s in charts.income_figure(table)["layout"]["shapes"]]  # labels may be shorter
    medicaid = table["medicaid"].tolist()
    first_1619b = medicaid.index("1619b")
    assert boxes == ["Medicaid through SSI", "Medicaid through 1619(b)", "Medicare"]
    rows = charts.income_rows(table)
    assert rows["Medicaid"].iloc[first_1619b - 1] == "Medicaid through SSI"
    assert rows["Medicaid"].iloc[first_1619b] == "Medicaid through 1619(b)"
    assert set(rows["Medicare"]) == {"Medicare"}
    # An SSI-only plan has no Medicare strip or column; an SSDI-only plan no Medicaid.
    ssi = iwp.simulate(iwp.Plan.example("ssi_student"))
    assert "Medicare" not in charts.income_rows(ssi)
    ssdi = iwp.simulate(iwp.Plan.example("ssdi_ramp_to_sga"))
    assert "Medicaid" not in charts.income_rows(ssdi)
    assert [s["label"]["text"] for s in charts.income_figure(ssdi)["layout"]["shapes"]] == ["Medicare"]
