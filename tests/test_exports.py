"""CSV and Excel exports of the monthly table (issue 5)."""

import io

import openpyxl
import pandas as pd
import pytest

from iwp_widgets import PlanError
from iwp_widgets.exports import header_for, plain_table, table_to_csv, table_to_excel


def small_table() -> pd.DataFrame:
    """Three months shaped like simulate()'s output (index Period[M] named month)."""
    months = pd.period_range("2026-01", periods=3, freq="M", name="month")
    return pd.DataFrame(
        {
            "gross_earnings": [0.0, 1300.5, 1300.5],
            "twl": [1210.0, 1210.0, 1210.0],
            "twp_month": [False, True, True],
            "ssdi_status": ["none", "twp", "twp"],
            "ssdi_paid": [1400.0, 1400.0, 1400.0],
            "projected": [False, False, True],
            "why": ["No work.", "Earnings of $1,300.50 are over the TWL.", "=looks like a formula"],
        },
        index=months,
    )


def test_plain_table_has_month_text_first_and_plain_headers():
    frame = plain_table(small_table())
    assert list(frame.columns[:3]) == ["Month", "Gross earnings", "Trial Work Level"]
    assert list(frame["Month"]) == ["2026-01", "2026-02", "2026-03"]
    assert list(frame["Trial work month"]) == ["no", "yes", "yes"]
    assert "SSDI paid" in frame.columns


def test_unknown_columns_get_words_for_headers():
    assert header_for("some_new_column") == "Some new column"


def test_csv_round_trips_values_and_keeps_month_as_text(tmp_path):
    data = table_to_csv(small_table())
    assert isinstance(data, bytes)
    assert data.startswith(b"\xef\xbb\xbf")  # byte-order mark so Excel reads UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"Month": str})
    assert list(back["Month"]) == ["2026-01", "2026-02", "2026-03"]
    assert list(back["Gross earnings"]) == [0.0, 1300.5, 1300.5]
    assert back.loc[1, "Why"] == "Earnings of $1,300.50 are over the TWL."

    written = table_to_csv(small_table(), tmp_path / "table.csv")
    assert written == tmp_path / "table.csv"
    assert written.read_bytes() == data


def test_excel_has_plain_headers_text_months_currency_and_no_formulas(tmp_path):
    path = table_to_excel(small_table(), tmp_path / "table.xlsx", title="Jones 2026")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Monthly table"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["Month", "Gross earnings"]
    assert [sheet.cell(row=r, column=1).value for r in (2, 3, 4)] == ["2026-01", "2026-02", "2026-03"]
    assert sheet.cell(row=3, column=2).value == 1300.5
    assert "$" in sheet.cell(row=3, column=2).number_format
    why_column = headers.index("Why") + 1
    formula_cell = sheet.cell(row=4, column=why_column)
    assert formula_cell.data_type == "s" and formula_cell.value == "=looks like a formula"
    assert sheet.cell(row=3, column=headers.index("Trial work month") + 1).value == "yes"
    assert workbook.properties.title == "Jones 2026"
    assert "Notes" in workbook.sheetnames  # the table has a projected column, so the note explains it


def test_excel_bytes_when_no_path():
    data = table_to_excel(small_table())
    assert data[:2] == b"PK"  # an xlsx file is a zip archive


def test_not_a_table_is_a_plan_error():
    with pytest.raises(PlanError, match=r"^table: "):
        table_to_csv([1, 2, 3])
    with pytest.raises(PlanError, match=r"^table: .*month"):
        table_to_csv(pd.DataFrame({"x": [1]}))


def test_exports_of_a_simulated_plan_keep_every_month_and_column():
    from iwp_widgets.plan import Plan
    from iwp_widgets.simulate import simulate

    table = simulate(Plan.example("concurrent_irwe"))
    back = pd.read_csv(io.BytesIO(table_to_csv(table)), encoding="utf-8-sig", dtype={"Month": str})
    assert len(back) == len(table)
    assert list(back.columns) == ["Month"] + [header_for(c) for c in table.columns]
    assert back["Month"].iloc[0] == str(table.index[0])
    assert back["SSDI paid"].to_list() == pytest.approx(table["ssdi_paid"].to_list())
    sheet = openpyxl.load_workbook(io.BytesIO(table_to_excel(table)))["Monthly table"]
    assert sheet.max_row == len(table) + 1
