# Two commands on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
BEACON := $(VENV)/bin/beacon
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")

.PHONY: setup demo serve test test-sqlite test-postgresql bench lint clean

setup: $(VENV)/.installed node_modules/.installed

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

$(VENV)/.installed: pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing $(VENV)
	$(UV) pip install --quiet --python $(PY) -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BEACON) demo --reset
	$(BEACON) serve

serve: setup
	$(BEACON) serve

test: setup test-sqlite test-postgresql

test-sqlite: setup
	BEACON_TEST_DB=sqlite $(PY) -m pytest -n 2

# Browser journeys and the two demo-builder modules that build into their own SQLite files run
# once, in the SQLite pass (CI's 20 minutes); everything that uses the test database, and the
# safeguarding demo built on PostgreSQL itself, runs again on PostgreSQL.
test-postgresql: setup
	BEACON_TEST_DB=postgresql $(PY) -m pytest -n 2 -m "not browser" \
		--ignore=tests/demo/test_build.py --ignore=tests/demo/test_inspection_demo.py

bench: setup
	$(PY) bench/missing_persons.py

clean:
	rm -rf $(VENV) node_modules instance
