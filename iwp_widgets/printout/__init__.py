"""Printing: the IWP, the EN worksheet and any other page a person takes away, as HTML and tagged PDF.

One job per module:

- ``content``  what the printed IWP says (plain data built from the plan and its monthly table);
- ``chart``    the projection chart, laid out once and drawn as inline SVG;
- ``page``     the one HTML page (with its stylesheet ``print.css``);
- ``pdf``      any such HTML page as a tagged PDF (``print_pdf``);
- ``summary``  the benefits summary and reporting calendar a beneficiary takes home, as a page.

``iwp_widgets.report`` is the front door: ``report_html``, ``report_pdf`` and the EN worksheet.
"""

from .pdf import print_pdf

__all__ = ["print_pdf"]
