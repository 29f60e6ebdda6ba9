"""The benefits summary in the app: the take-home summary and reporting calendar of the plan on
screen, and buttons that make it a page or a PDF to download.

It reads the plan state only (``benefits_summary`` computes everything). The summary is built
when its section is opened, and again when the plan settles while it is open, so a counselor who
never opens it pays nothing for it.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..words import _
from .controls import css, html
from .panels import _download_link
from .quiet import WhenQuiet
from .state import PlanState


class SummaryView(w.VBox):
    """A section "Benefits summary and reporting calendar": buttons to download it as HTML or
    PDF, and a toggle that shows the summary on screen (headings from ``h{level}``). A toggle
    button rather than an accordion: the accordion's header cannot be reached by keyboard."""

    def __init__(self, state: PlanState, level: int = 2, filename: str = "benefits-summary"):
        self.state = state
        self.level = level
        self.filename = filename
        self.page = css(html(), "benefits-summary")
        self.show_button = css(w.ToggleButton(value=False, description=_("Show the summary"),
                                              icon="eye", tooltip=_("Show the benefits summary here")),
                               "summary-show")
        self.html_button = css(w.Button(description=_("Summary as a web page"), icon="download",
                                        tooltip=_("Make the benefits summary as an HTML page")),
                               "summary-html")
        self.pdf_button = css(w.Button(description=_("Summary as a PDF"), icon="download",
                                       tooltip=_("Make the benefits summary as a PDF")), "summary-pdf")
        self.links = css(html(), "summary-downloads")
        self.html_button.on_click(lambda _button: self.download("html"))
        self.pdf_button.on_click(lambda _button: self.download("pdf"))
        heading = html(f"<h{level}>{escape(_('Benefits summary and reporting calendar'))}</h{level}>")
        super().__init__([heading, w.HBox([self.show_button, self.html_button, self.pdf_button]),
                          self.links, self.page])
        self.add_class("iwp-summary-view")
        self.show_button.observe(self._opened, "value")
        state.observe(WhenQuiet(self._plan_changed), "plan")

    @property
    def is_open(self) -> bool:
        return bool(self.show_button.value)

    def show_summary(self, value: bool = True) -> None:
        self.show_button.value = value

    def content(self):
        from ..benefits_summary import benefits_summary

        return benefits_summary(self.state.plan, self.state.table)

    def redraw(self) -> None:
        from ..printout.summary import content_css, summary_body

        style = f"<style>{content_css('.iwp-benefits-summary ')}</style>"
        self.page.value = style + summary_body(self.content(), level=self.level + 1)
        self.links.value = ""  # a download made from the plan before is out of date

    def _opened(self, change) -> None:
        self.show_button.description = _("Hide the summary") if self.is_open else _("Show the summary")
        if self.is_open:
            self.redraw()
        else:
            self.page.value = ""

    def _plan_changed(self, change) -> None:
        if self.is_open and self.state.plan is not None:
            self.redraw()
        else:
            self.page.value = ""
            self.links.value = ""

    def download(self, kind: str) -> bytes:
        """Make the summary as ``html`` or ``pdf`` and offer it as a link; returns the bytes."""
        from ..printout import print_pdf
        from ..printout.summary import render_html

        if kind == "pdf":  # a PDF takes some seconds: say so at once (the update is sent now)
            self.links.value = f'<p role="status">{escape(_("Making the PDF…"))}</p>'
        page = render_html(self.content())
        if kind == "pdf":
            data, mime = print_pdf(page), "application/pdf"
        else:
            data, mime = page.encode("utf-8"), "text/html"
        name = f"{self.filename}.{kind}"
        self.links.value = _download_link(data, name, mime, _("Download {name}").format(name=name))
        return data


def summary_view(state: PlanState, level: int = 2) -> SummaryView:
    """The benefits summary section for an app's plan state (the summary hidden until shown)."""
    return SummaryView(state, level)
