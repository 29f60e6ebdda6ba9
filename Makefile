# IWP Planner — two commands for a fresh Debian machine with Python 3.11:
#   make app    serve the apps at http://127.0.0.1:8866
#   make test   run every test (unit, worked examples, notebooks, real browser)
# Both create .venv if it is missing and install the project into it.

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8866
# apt-get needs root: use sudo when we are not root and sudo exists.
SUDO   := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo)

.PHONY: app test bench chromium pango clean messages

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# Debian's Pango, which WeasyPrint uses to lay out the printed PDF.
pango:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }

# axe-core for the accessibility audit, from the npm registry.
node_modules/.installed: package.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --silent
	touch $@

app: $(STAMP) pango
	$(VENV)/bin/voila notebooks/ --no-browser --Voila.ip=127.0.0.1 --port=$(PORT)

test: $(STAMP) chromium pango node_modules/.installed
	$(PY) -m pytest

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# The translators' template: every message the code passes to _() or ngettext().
messages: $(STAMP)
	$(PY) -c 'from iwp_widgets.words import write_template; write_template()'

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis
