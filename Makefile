# Học Vụ Số — the few verbs people need. Only Python 3.11+ is required; everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run test lint setup setup-dev translations messages lock bench clean

run: setup translations  ## Start the app on SQLite with demo data at http://127.0.0.1:$(PORT)
	$(BIN)/flask db upgrade
	$(BIN)/flask courses sync
	$(BIN)/flask demo load --if-empty
	VNEID_MOCK_ENABLED=$(or $(VNEID_MOCK_ENABLED),$(if $(VNEID_DISCOVERY_URL),false,true)) \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# One worker process per core (pytest-xdist), each on its own database; a test file stays in one worker.
PYTEST_ARGS ?= -n auto --dist loadfile

test: setup-dev translations  ## Run the whole test suite (TEST_DATABASE_URL picks another database)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup-dev  ## Lint (ruff) and type-check (mypy: the kernel and every service, strict)
	$(BIN)/ruff check app tests bench migrations/env.py wsgi.py
	$(BIN)/mypy

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "Python 3.11 or newer is needed" && exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

translations: setup  ## Compile the message catalogues
	$(BIN)/pybabel compile -d app/translations --statistics 2>&1 | grep -v '^compiling' || true

messages: setup  ## Extract UI strings and update the English catalogue
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

lock:  ## Re-pin requirements.txt / requirements-dev.txt from the .in files
	rm -rf /tmp/hvs-lock && $(PYTHON) -m venv /tmp/hvs-lock
	/tmp/hvs-lock/bin/pip install --quiet -r requirements.in
	/tmp/hvs-lock/bin/pip freeze --exclude-editable | grep -v '^pip==' > requirements.txt
	/tmp/hvs-lock/bin/pip install --quiet -r requirements-dev.in
	(echo "-r requirements.txt"; /tmp/hvs-lock/bin/pip freeze --exclude-editable | grep -v '^pip==' \
	  | grep -vxFf requirements.txt) > requirements-dev.txt

bench: setup-dev  ## Run the benchmarks (they print figures; see docs/PERFORMANCE.md)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache
