"""The printed Individual Work Plan and the EN worksheet: the front door to ``iwp_widgets.printout``.

The beneficiary's copy (``report_html``, ``report_pdf``) is the plan they sign, with every statement
20 CFR 411.465(a) and 411.470 require, and no EN payment amounts. The projected milestone and
outcome payments are on the EN worksheet (``en_worksheet_html``, ``en_worksheet_pdf``), a print of
its own. Each PDF is the same HTML page printed by ``printout.print_pdf`` as tagged PDF/UA.

    >>> from iwp_widgets.report import report_html, report_pdf
    >>> report_html(plan, path="iwp.html")                     # doctest: +SKIP
    >>> report_pdf(plan, path="iwp.pdf", large_print=True)     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

from .printout import print_pdf
from .printout.chart import MAX_X_LABELS, Chart, ChartSeries, build_chart, chart_svg, nice_ceiling
from .printout.content import (DRAFT_MARK, EN_ESTIMATE_NOTE, EN_PAYMENTS_NOTE, ESTIMATE_NOTE, PROJECTED_NOTE,
                               ReportContent, WorksheetContent, build_content,
                               build_worksheet)
from .printout.page import render_html, render_worksheet_html
from .atomic_file import atomic_write

__all__ = ["report_html", "report_pdf", "en_worksheet_html", "en_worksheet_pdf", "build_content",
           "build_worksheet", "render_html", "render_worksheet_html", "build_chart", "chart_svg", "print_pdf",
           "Chart", "ChartSeries", "ReportContent", "WorksheetContent", "nice_ceiling",
           "DRAFT_MARK", "EN_ESTIMATE_NOTE", "EN_PAYMENTS_NOTE", "ESTIMATE_NOTE", "PROJECTED_NOTE",
           "MAX_X_LABELS"]


def _page(plan, table, today, large_print) -> str:
    return render_html(build_content(plan, _table_for(plan, table), today, large_print))


def _worksheet(plan, table, today, large_print) -> str:
    return render_worksheet_html(build_worksheet(plan, _table_for(plan, table), today, large_print))


def report_html(plan, table: pd.DataFrame | None = None, path: str | os.PathLike | None = None,
                today: dt.date | None = None, large_print: bool = False) -> str | Path:
    """The beneficiary's printed IWP as HTML text, or written to ``path`` (atomically) and the path
    returned. ``table`` is the plan's monthly table (``simulate(plan)`` when not given); ``today``
    is the printed date; ``large_print`` starts the page in large print."""
    return _deliver(_page(plan, table, today, large_print), path, as_pdf=False)


def report_pdf(plan, table: pd.DataFrame | None = None, path: str | os.PathLike | None = None,
               today: dt.date | None = None, large_print: bool = False) -> bytes | Path:
    """The beneficiary's printed IWP as tagged PDF bytes, or written to ``path``. Same arguments
    and content as :func:`report_html`."""
    return _deliver(_page(plan, table, today, large_print), path, as_pdf=True)


def en_worksheet_html(plan, table: pd.DataFrame | None = None, path: str | os.PathLike | None = None,
                      today: dt.date | None = None, large_print: bool = False) -> str | Path:
    """The EN worksheet (projected milestone and outcome payments) as HTML, or written to ``path``."""
    return _deliver(_worksheet(plan, table, today, large_print), path, as_pdf=False)


def en_worksheet_pdf(plan, table: pd.DataFrame | None = None, path: str | os.PathLike | None = None,
                     today: dt.date | None = None, large_print: bool = False) -> bytes | Path:
    """The EN worksheet as tagged PDF bytes, or written to ``path``."""
    return _deliver(_worksheet(plan, table, today, large_print), path, as_pdf=True)


def _deliver(page: str, path, as_pdf: bool):
    data: str | bytes = print_pdf(page) if as_pdf else page
    if path is None:
        return data
    atomic_write(path, data if isinstance(data, bytes) else data.encode("utf-8"))
    return Path(path)


def _table_for(plan, table: pd.DataFrame | None) -> pd.DataFrame:
    if table is not None:
        return table
    from .simulate import simulate

    return simulate(plan)
