"""The monthly table from ``simulate`` as a CSV file or an Excel workbook.

Columns get plain headers ("SSDI paid", not ``ssdi_paid``), the month is text (``2026-03``) so
spreadsheets do not turn it into a date, and yes/no columns read "yes" / "no". Each function returns
the file's bytes, or writes them (atomically) to ``path`` and returns that path.

    >>> from iwp_widgets.exports import table_to_csv, table_to_excel
    >>> table_to_excel(iwp.simulate(plan), "plan.xlsx")   # doctest: +SKIP
"""

from __future__ import annotations

import io
import math
import os
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .atomic_file import atomic_write
from .errors import PlanError
from .simulate import MEDICAID_WORDS
from .thresholds import label as figure_label

# Plain headers for the columns simulate() documents; other columns get their name in words.
COLUMN_HEADERS = {
    "month": "Month",
    "gross_earnings": "Gross earnings",
    "countable_earnings": "Countable earnings (for SGA)",
    "twl": figure_label("twl"),
    "sga": "SGA level",
    "twp_month": "Trial work month",
    "twp_months_used": "Trial work months used (last 60 months)",
    "ssdi_status": "SSDI status",
    "ssdi_paid": "SSDI paid",
    "ssi_countable_income": "SSI countable income",
    "ssi_paid": "SSI paid",
    "ssi_eligible": "An SSI month (income under the SSI limit)",
    "medicaid_1619b": "Medicaid under 1619(b)",
    "unearned_income": "Other unearned income",
    "total_income": "Total income",
    "en_payment": "EN payment",
    "en_payment_type": "EN payment type",
    "en_payment_projected": "EN payment is an estimate (rate not found)",
    "epe_month": "Extended eligibility month",
    "epe_month_number": "Extended eligibility month number",
    "ssi_1619a": "SSI under 1619(a)",
    "ssi_breakeven": "SSI break-even earnings",
    "exr_window": "Expedited reinstatement window",
    "medicare": "Medicare",
    "medicaid": "Medicaid",
    "ssi_limit": "SSI with no countable income",
    "seie_excluded": "Student earned income exclusion used",
    "seie_left": "Student exclusion left this year",
    "projected": "Uses projected figures",
    "why": "Why",
}
# Columns holding dollars: formatted as currency in Excel.
MONEY_WORDS = ("earnings", "paid", "income", "payment", "twl", "sga", "breakeven", "expense", "irwe",
               "bwe", "subsidy", "pass", "limit", "seie")
# The words for a column of codes, as a spreadsheet shows them.
CODE_WORDS = {"medicaid": MEDICAID_WORDS}
EXCEL_MONEY_FORMAT = '"$"#,##0.00'
SHEET_NAME = "Monthly table"
PROJECTED_NOTE = ("Rows marked \"yes\" under \"Uses projected figures\" use a program figure that has not "
                  "been published yet; it is estimated from the last published figures.")


def header_for(column: str) -> str:
    """The plain header for a table column."""
    if column in COLUMN_HEADERS:
        return COLUMN_HEADERS[column]
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def is_money_column(column: str) -> bool:
    name = str(column)
    if name.endswith(("_type", "_status", "_month", "_months", "_used", "_projected")) or name == "why":
        return False
    return any(word in name for word in MONEY_WORDS)


def plain_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table as a spreadsheet shows it: month as the first column (text), yes/no for booleans,
    plain headers. Raises PlanError if ``table`` is not a monthly table."""
    if not isinstance(table, pd.DataFrame):
        raise PlanError(f"table: must be the monthly table from simulate(), got {type(table).__name__}")
    frame = table.copy()
    if isinstance(frame.index, pd.PeriodIndex) or frame.index.name == "month":
        frame = frame.reset_index()
    if "month" not in frame.columns:
        raise PlanError("table: has no 'month' index or column; pass the table returned by simulate()")
    frame["month"] = [_month_text(value) for value in frame["month"]]
    for column, words in CODE_WORDS.items():
        if column in frame.columns:
            frame[column] = frame[column].map(lambda code, words=words: words.get(code, code))
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = frame[column].map({True: "yes", False: "no"})
    ordered = ["month"] + [c for c in frame.columns if c != "month"]
    frame = frame[ordered]
    frame.columns = [header_for(c) for c in ordered]
    return frame


def _month_text(value) -> str:
    if isinstance(value, pd.Period):
        return value.strftime("%Y-%m")
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)


def table_to_csv(table: pd.DataFrame, path: str | os.PathLike | None = None) -> bytes | Path:
    """The table as CSV (UTF-8 with a byte-order mark, so Excel shows accented names correctly)."""
    frame = plain_table(table)
    data = frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    return _deliver(data, path)


def table_to_excel(table: pd.DataFrame, path: str | os.PathLike | None = None,
                   title: str | None = None) -> bytes | Path:
    """The table as an Excel workbook: one sheet, bold frozen headers, dollars as currency.

    ``title`` (e.g. the plan's name) becomes the workbook's title property, not a cell, so the
    sheet stays a clean table that other programs can read.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    frame = plain_table(table)
    original_columns = ["month"] + [c for c in _data_columns(table) if c != "month"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    if title:
        workbook.properties.title = str(title)
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_excel_value(value) for value in row])
    for index, column in enumerate(original_columns, start=1):
        letter = get_column_letter(index)
        cells = sheet[letter][1:]
        if is_money_column(column):
            for cell in cells:
                cell.number_format = EXCEL_MONEY_FORMAT
        for cell in cells:
            # Text that starts with "=" would otherwise be stored as a formula.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            if cell.column_letter == "A":
                cell.number_format = "@"  # the month stays text
        width = 60 if column == "why" else min(40, max(10, len(header_for(column)) + 2))
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"
    if "projected" in original_columns:
        notes = workbook.create_sheet("Notes")
        notes.append([PROJECTED_NOTE])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _deliver(buffer.getvalue(), path)


def _data_columns(table: pd.DataFrame) -> list[str]:
    columns = list(table.columns)
    if "month" not in columns:
        columns = ["month"] + columns
    return columns


def _excel_value(value):
    """A cell value openpyxl can store: Python numbers, text, or None for missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return "yes" if value else "no"
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) else value
    if isinstance(value, (int, str)):
        return value
    return str(value)


def _deliver(data: bytes, path: str | os.PathLike | None) -> bytes | Path:
    if path is None:
        return data
    path = Path(path)
    atomic_write(path, data)
    return path
