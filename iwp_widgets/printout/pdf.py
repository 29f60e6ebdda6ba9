"""Any printable HTML page as a tagged, accessible PDF.

WeasyPrint lays the page out with its own CSS engine (Pango for text) and writes PDF/UA-1: a
structure tree in reading order (headings, lists, tables with their header cells), the document's
language from ``<html lang>``, and its title from ``<title>`` shown in the reader's title bar.
The HTML page is the one source: what the browser prints is what the PDF holds.

    >>> from iwp_widgets.printout import print_pdf
    >>> data = print_pdf("<!DOCTYPE html><html lang='en'><head><title>Plan</title></head>"
    ...                  "<body><h1>Plan</h1></body></html>")
    >>> data[:5]
    b'%PDF-'
"""

from __future__ import annotations

# PDF/UA-1 (ISO 14289-1): tagged structure, language and title, fonts embedded.
PDF_VARIANT = "pdf/ua-1"


def print_pdf(html: str, base_url: str | None = None) -> bytes:
    """``html`` (a whole page, with ``<html lang>`` and ``<title>``) as tagged PDF bytes.

    The page should need nothing from outside: inline CSS and SVG. ``base_url`` is where relative
    links would be resolved; none are needed by the project's pages.
    """
    from weasyprint import HTML  # imported here: loading Pango takes about a second

    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
