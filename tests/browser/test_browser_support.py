"""The browser tests' own helpers, without a browser: what ``goto_ready`` keeps of a load it gives up on."""

from browser_support import PlaywrightTimeoutError, goto_ready


class _NeverDrawsOnce:
    """A page whose first load never shows the app and leaves a script error; the second draws."""

    def __init__(self):
        self.loads = 0
        self.js_errors = []

    def goto(self, path, timeout):
        self.loads += 1
        if self.loads == 1:
            self.js_errors.append("console: Error: widget model not found")

    def locator(self, selector):
        page = self

        class _First:
            def wait_for(self, state, timeout):
                if page.loads == 1:
                    raise PlaywrightTimeoutError("never drew")

        class _Locator:
            first = _First()

        return _Locator()


def test_a_load_given_up_on_is_reported_and_its_errors_are_not_the_drawn_pages(capsys):
    page = _NeverDrawsOnce()
    goto_ready(page, "voila/render/what_if.ipynb", 10, ready=".iwp-whatif-run")
    assert page.loads == 2
    assert page.js_errors == []  # the drawn page's own errors only
    said = capsys.readouterr().err
    assert "did not draw" in said and "widget model not found" in said
