# SafeLoop: `make run` (platform with the demo city on SQLite) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint gates clean

run: $(VENV)/.runtime node_modules/.package-lock.json
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@$(BIN)/python manage.py demo_accounts --url http://127.0.0.1:$(PORT)/
	$(BIN)/python manage.py serve --port $(PORT)

test: $(VENV)/.dev node_modules/.package-lock.json
	scripts/test.sh

# The same gates as CI (scripts/gates.sh): ruff, formatting, import layers, migrations, deploy
# checks, mypy. node_modules: the deployment check wants every STATICFILES_DIRS entry (ECharts).
gates lint: $(VENV)/.dev node_modules/.package-lock.json
	scripts/gates.sh

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end libraries (ECharts) from npm with the lockfile; served by the app, never by a CDN.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

clean:
	rm -rf $(VENV) .pytest_cache
