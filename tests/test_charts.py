"""Charts read only the simulate table: checked on a hand-made table with the contract's columns."""

import pandas as pd
import pytest

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
    assert '<th scope="row">2026-04</th><td>$2,600.00</td>' in html


def test_unknown_status_gets_a_readable_label():
    assert charts.phase_label("expedited_reinstatement") == "Expedited reinstatement"
