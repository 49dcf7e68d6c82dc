# Two commands on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
BEACON := $(VENV)/bin/beacon
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")

.PHONY: setup demo serve test test-sqlite test-postgresql audit bench lint clean

setup: $(VENV)/.installed node_modules/.installed

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

# Exactly the versions in uv.lock (--locked: refuse a lock that no longer matches pyproject.toml;
# run `uv lock` after changing a dependency, `uv lock --upgrade-package NAME` to take a new release).
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --quiet --locked --extra test
	touch $@

# --ignore-scripts: none of the assets needs one, and swagger-ui-dist's dependency @scarf/scarf
# would otherwise report the install to its vendor.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BEACON) demo --reset
	$(BEACON) serve

serve: setup
	$(BEACON) serve

test: setup lint test-sqlite test-postgresql

# Debian's Chromium for the browser tests (never a browser downloaded by Playwright): installed once, as root
# or through sudo, when the machine does not have it.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	$(if $(filter 0,$(shell id -u)),,sudo) sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'

test-sqlite: setup $(CHROMIUM)
	BEACON_TEST_DB=sqlite $(PY) -m pytest -n 2

# Browser journeys and the three demo-builder modules that build into their own SQLite files run
# once, in the SQLite pass (CI's 20 minutes); everything that uses the test database, and the
# safeguarding demo built on PostgreSQL itself, runs again on PostgreSQL.
test-postgresql: setup
	BEACON_TEST_DB=postgresql $(PY) -m pytest -n 2 -m "not browser" \
		--ignore=tests/demo/test_build.py --ignore=tests/demo/test_inspection_demo.py \
		--ignore=tests/demo/test_live_grades_demo.py

# The shape held by tools (docs/architecture.md): style and likely bugs, types (with the listed
# type debt in pyproject.toml as a ratchet), and the import floors in .importlinter.
lint: setup
	$(VENV)/bin/ruff check src
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# Known vulnerabilities in the locked Python dependencies (docs/adr/0012): fails when one is found;
# warns, without failing, when the vulnerability service cannot be reached.
audit: | $(UV)
	UV=$(UV) python3 .ci/audit-dependencies

bench: setup
	$(PY) bench/missing_persons.py
	$(PY) bench/live_grades.py

clean:
	rm -rf $(VENV) node_modules instance
