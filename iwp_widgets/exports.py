"""The monthly table from ``simulate`` as a CSV file or an Excel workbook.

This is the counselor's file, in the words of the app and the print (``vocabulary``): plain headers
("SSDI paid", not ``ssdi_paid``), the month in words ("March 2026", kept as text in Excel), SSDI
statuses and Medicaid in words, not codes, and "yes" / "no". Amounts stay numbers (dollars and
cents), so a spreadsheet can add them; Excel shows them as currency. Analysts who want the engine's
codes and column names use the caseload path (``python -m iwp_widgets caseload``, CSV or Parquet).
Each function returns the file's bytes, or writes them (atomically) to ``path`` and returns that path.

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
from .storage import atomic_write
from .vocabulary import medicaid_words, ssdi_status_words, yes_no
from .thresholds import label as figure_label
from .words import N_, _, month_words

# Plain headers for the columns simulate() documents; other columns get their name in words.
COLUMN_HEADERS = {
    "month": N_("Month"),
    "gross_earnings": N_("Gross earnings"),
    "countable_earnings": N_("Countable earnings (for SGA)"),
    "sga": N_("SGA level"),
    "twp_month": N_("Trial work month"),
    "twp_months_used": N_("Trial work months used (last 60 months)"),
    "ssdi_status": N_("SSDI status"),
    "ssdi_paid": N_("SSDI paid"),
    "ssi_countable_income": N_("SSI countable income"),
    "ssi_paid": N_("SSI paid"),
    "ssi_federal_paid": N_("SSI paid by the federal government"),
    "ssi_eligible": N_("An SSI month (income under the SSI limit)"),
    "medicaid_1619b": N_("Medicaid under 1619(b)"),
    "medicaid_1619b_threshold": N_("Yearly earnings limit for 1619(b) Medicaid"),
    "unearned_income": N_("Other unearned income"),
    "total_income": N_("Total income"),
    "en_payment": N_("EN payment"),
    "en_payment_type": N_("EN payment type"),
    "en_payment_projected": N_("EN payment is an estimate (rate not found)"),
    "en_reconciliation": N_("EN reconciliation payment"),
    "epe_month": N_("Extended eligibility month"),
    "epe_month_number": N_("Extended eligibility month number"),
    "ssi_1619a": N_("SSI under 1619(a)"),
    "ssi_breakeven": N_("SSI break-even earnings"),
    "exr_window": N_("Expedited reinstatement window"),
    "medicare": N_("Medicare"),
    "medicaid": N_("Medicaid"),
    "ssi_limit": N_("SSI with no countable income"),
    "seie_excluded": N_("Student earned income exclusion used"),
    "seie_left": N_("Student exclusion left this year"),
    "projected": N_("Uses projected figures"),
    "why": N_("Why"),
}
# Columns holding a program figure: headed by the figure's label in thresholds/figures.csv.
FIGURE_COLUMNS = {"twl": "twl"}
# Columns holding dollars: formatted as currency in Excel.
MONEY_WORDS = ("earnings", "paid", "income", "payment", "twl", "sga", "breakeven", "expense", "irwe",
               "bwe", "subsidy", "pass", "limit", "seie")
# The words for a column of codes, as the app and the print say them.
CODE_WORDS = {"medicaid": medicaid_words, "ssdi_status": ssdi_status_words}
EXCEL_MONEY_FORMAT = '"$"#,##0.00'
SHEET_NAME = N_("Monthly table")
NOTES_SHEET = N_("Notes")
PROJECTED_NOTE = N_("Rows marked \"yes\" under \"Uses projected figures\" use a program figure that "
                    "has not been published yet; it is estimated from the last published figures.")


def header_for(column: str) -> str:
    """The plain header for a table column."""
    if column in FIGURE_COLUMNS:
        return figure_label(FIGURE_COLUMNS[column])  # what thresholds/figures.csv calls it
    if column in COLUMN_HEADERS:
        return _(COLUMN_HEADERS[column])
    words = str(column).replace("_", " ").strip()
    for code, word in (("ssi", "SSI"), ("ssdi", "SSDI"), ("en", "EN"), ("twp", "TWP"), ("epe", "EPE"),
                       ("sga", "SGA"), ("twl", "TWL"), ("irwe", "IRWE"), ("1619b", "1619(b)")):
        words = " ".join(word if part == code else part for part in words.split(" "))
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
            frame[column] = [words(code) for code in frame[column]]
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = frame[column].map({True: yes_no(True), False: yes_no(False)})
    ordered = ["month"] + [c for c in frame.columns if c != "month"]
    frame = frame[ordered]
    frame.columns = [header_for(c) for c in ordered]
    return frame


def _month_text(value) -> str:
    """"March 2026" for a month (a Period, a date or "YYYY-MM"); other text as it is."""
    if isinstance(value, (pd.Period, pd.Timestamp, datetime, date)):
        return month_words(value)
    try:
        return month_words(pd.Period(str(value), freq="M"))
    except (ValueError, TypeError):
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
    sheet.title = _(SHEET_NAME)
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
        notes = workbook.create_sheet(_(NOTES_SHEET))
        notes.append([_(PROJECTED_NOTE)])
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
        return yes_no(value)
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
