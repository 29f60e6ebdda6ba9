"""The income chart's coverage strips (issue 14): a run of months too narrow for its words shows a
shorter label, never words cut off ("Medicaid through S"); the full words are in the hover and
in the chart's table."""

import pandas as pd
import pytest

from iwp_widgets import charts

MONTHS = 36


@pytest.fixture
def table():
    """36 months: Medicaid through SSI for 5, through 1619(b) for 24, none for 1, SSI again for 6."""
    index = pd.period_range("2026-01", periods=MONTHS, freq="M", name="month")
    medicaid = ["ssi"] * 5 + ["1619b"] * 24 + ["none"] + ["ssi"] * 6
    return pd.DataFrame({
        "gross_earnings": 1000.0, "ssdi_paid": 800.0, "ssi_paid": 100.0, "total_income": 1900.0,
        "ssdi_status": "epe", "medicaid": medicaid, "medicare": True,
    }, index=index)


def label_px(text: str) -> float:
    return len(text) * charts.LABEL_CHAR_PX


def run_px(months: int) -> float:
    return charts.NARROWEST_PLOT_PX * months / MONTHS


def medicaid_boxes(spec) -> list[dict]:
    return [s for s in spec["layout"]["shapes"] if s["y0"] == 4]  # the first strip: Medicaid


def test_a_label_is_shown_whole_or_shortened_never_cut(table):
    spec = charts.income_figure(table)
    boxes = medicaid_boxes(spec)
    runs = [5, 24, 1, 6]
    assert len(boxes) == len(runs)
    for box, months in zip(boxes, runs):
        text = box["label"]["text"]
        assert label_px(text) <= run_px(months), (text, months)
    full = ["Medicaid through SSI", "Medicaid through 1619(b)", "No Medicaid", "Medicaid through SSI"]
    shown = [box["label"]["text"] for box in boxes]
    assert shown[1] == full[1]                    # 24 months: the whole words fit
    assert shown[0] and shown[0] != full[0]       # 5 months: a shorter label, not "Medicaid through S"
    assert shown[2] == ""                         # one month: too narrow for any word
    assert shown[3] and shown[3] != full[3]
    # The strip is named once, beside it, so a short label still says whose coverage it is.
    names = [a["text"] for a in spec["layout"]["annotations"]]
    assert names == ["Medicaid", "Medicare"]


def test_the_full_words_are_in_the_hover_and_the_table(table):
    spec = charts.income_figure(table)
    hover = {trace["name"]: trace for trace in spec["data"] if trace.get("showlegend") is False}
    medicaid = hover["Medicaid"]
    assert medicaid["x"] == [str(m) for m in table.index]
    assert medicaid["text"][0] == "Medicaid through SSI" and medicaid["text"][29] == "No Medicaid"
    assert "%{text}" in medicaid["hovertemplate"]
    assert set(hover["Medicare"]["text"]) == {"Medicare"}
    rows = charts.income_rows(table)
    assert rows["Medicaid"].iloc[0] == "Medicaid through SSI" and rows["Medicaid"].iloc[29] == "No Medicaid"
    charts.as_figure(spec)  # valid plotly
