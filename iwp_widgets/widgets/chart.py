"""A plotly chart that redraws in place, with its numbers as a table for people who cannot see it.

The first drawing goes through JupyterLab's plotly renderer (an ``Output`` widget showing the
figure's mime bundle): plotly.js then comes from the installed extension as a cached static file,
not as a 5 MB string sent over the websocket on every page view as ``FigureWidget`` does. Later
drawings send only the new figure to a tiny anywidget that calls ``Plotly.react`` on the drawn
chart, which updates it in place (no new chart, no new widgets) — the fast path for sliders.
"""

from __future__ import annotations

from typing import Callable

import anywidget
import ipywidgets as w
import traitlets

from ..words import _

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# No toolbar (modebar): its eight buttons per chart were tab stops ahead of the controls below
# them, and a counselor needs none of them; the numbers are in the table next to each chart.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}

_REDRAW_ESM = """
function findChart(target) {
  return document.querySelector("." + target + " .js-plotly-plot");
}
// One redraw at a time per chart, always of the newest figure; a chart out of sight is only
// marked stale and drawn when it scrolls near the viewport (or before the page is printed), so
// a slider moves the chart the counselor is looking at without waiting for the ones below.
function draw(model, state, attempt, force) {
  const gd = findChart(model.get("target"));
  if (!gd || !window.Plotly) {
    // The first drawing has not finished yet; try again shortly (up to ~20 s).
    if (attempt < 200) setTimeout(() => draw(model, state, attempt + 1, force), 100);
    return;
  }
  watch(gd, model, state);
  // The newest revision, drawn or not: "data-iwp-revision" catches up with it once drawn.
  gd.setAttribute("data-iwp-wanted", String(model.get("revision")));
  if (!state.visible && !force) { state.stale = true; return; }
  if (state.drawing) { state.again = true; return; }
  state.stale = false;
  state.drawing = true;
  const revision = model.get("revision");
  const figure = model.get("figure");
  window.Plotly.react(gd, figure.data, figure.layout, gd._context || {}).then(() => {
    gd.setAttribute("data-iwp-revision", String(revision));
  }).finally(() => {
    state.drawing = false;
    if (state.again) { state.again = false; draw(model, state, 0); }
  });
}
// Voila's page scrolls inside an element, not the window: the observer's margin only widens its
// root, so the root must be that element (else a chart 1 px below the window counts as out of sight).
function scroller(gd) {
  for (let el = gd.parentElement; el && el !== document.body; el = el.parentElement) {
    const overflow = getComputedStyle(el).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollHeight > el.clientHeight) return el;
  }
  return null;
}
function watch(gd, model, state) {
  if (state.observer || !window.IntersectionObserver) return;
  state.observer = new IntersectionObserver((entries) => {
    state.visible = entries[entries.length - 1].isIntersecting;
    if (state.visible && state.stale) draw(model, state, 0);
  }, { root: scroller(gd), rootMargin: "200px" });
  state.observer.observe(gd);
}
// Plotly sizes a responsive chart from its box, and the box (JupyterLab's renderer) has no height
// of its own: after a window resize the chart shrank to nothing. The box takes the figure's height.
function pin(model, attempt) {
  const gd = findChart(model.get("target"));
  if (!gd) {
    if (attempt < 200) setTimeout(() => pin(model, attempt + 1), 100);
    return;
  }
  gd.style.height = model.get("height") + "px";
}
export default {
  render({ model, el }) {
    el.style.display = "none";
    pin(model, 0);
    model.on("change:height", () => pin(model, 0));
    // Visible until the observer says otherwise: the first redraw never waits for it.
    const state = { visible: true, stale: false, drawing: false, again: false, observer: null };
    const redraw = () => draw(model, state, 0);
    const beforePrint = () => { if (state.stale) draw(model, state, 0, true); };
    model.on("change:revision", redraw);
    window.addEventListener("beforeprint", beforePrint);
    // A view made after some redraws (page re-attached) starts from the first drawing: catch up.
    if (model.get("revision") > 0) redraw();
    return () => {
      window.removeEventListener("beforeprint", beforePrint);
      if (state.observer) state.observer.disconnect();
    };
  },
};
"""


class _Redraw(anywidget.AnyWidget):
    _esm = traitlets.Unicode(_REDRAW_ESM).tag(sync=True)
    target = traitlets.Unicode().tag(sync=True)
    figure = traitlets.Dict().tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(340).tag(sync=True)  # the figure's, in pixels


def _height(spec: dict) -> int:
    return int(spec.get("layout", {}).get("height") or 340)


class PlotlyChart(w.VBox):
    """``PlotlyChart(name, spec, rows_html)``; ``chart.update(spec, rows_html)`` redraws it.

    ``rows_html`` is a function returning the table alternative's HTML; it is only called while
    the table is shown, so hidden tables cost nothing on a slider move.
    """

    def __init__(self, name: str, spec: dict, rows_html: Callable[[], str], label: str):
        self.name = name
        self.spec = spec
        self._rows_html = rows_html
        self.output = w.Output(layout=w.Layout(min_height="340px"))
        self.output.add_class(f"iwp-chart-{name}")
        self.output.add_class("iwp-chart")
        # Set as the Output's content directly (no display call): the same in a kernel and in tests.
        self.output.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": {PLOTLY_MIME: dict(spec, config=PLOTLY_CONFIG)}},)
        self._redraw = _Redraw(target=f"iwp-chart-{name}", height=_height(spec))
        self.show_table = w.ToggleButton(value=False, description=_("Show the numbers as a table"),
                                         tooltip=_("{label}: show the same numbers as a table").format(label=label),
                                         icon="table")
        self.show_table.add_class(f"iwp-{name}-table-toggle")
        # The table scrolls inside its box: a keyboard user must be able to reach it to scroll
        # (WCAG 2.1.1; axe "scrollable-region-focusable").
        self.table = w.HTML(layout=w.Layout(display="none", max_height="320px", overflow="auto"),
                            tabbable=True)
        self.table.add_class(f"iwp-{name}-table")
        self.show_table.observe(self._toggle_table, "value")
        super().__init__([self.output, self._redraw, self.show_table, self.table])
        self.add_class("iwp-chart-box")

    def update(self, spec: dict, rows_html: Callable[[], str]) -> None:
        self.spec = spec
        self._rows_html = rows_html
        with self._redraw.hold_sync():
            self._redraw.figure = spec
            self._redraw.height = _height(spec)
            self._redraw.revision += 1
        if self.show_table.value:
            self.table.value = rows_html()

    def _toggle_table(self, change) -> None:
        if change["new"]:
            self.table.value = self._rows_html()
            self.table.layout.display = ""
            self.show_table.description = _("Hide the table")
        else:
            self.table.layout.display = "none"
            self.show_table.description = _("Show the numbers as a table")
