# Praxis: `make run` and `make test` do all set-up on a fresh machine (Python 3.11 + make).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test lint format bench install migrate demo clean messages

# Reinstall only when the lock file changes, so a second `make run` needs no network.
$(STAMP): requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput -v 0
	DEBUG=$${DEBUG:-1} $(PY) manage.py sync_occurrences

demo: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo

# Server and task worker together; Ctrl-C stops both.
run: demo
	@DEBUG=$${DEBUG:-1} $(PY) manage.py poll_feeds
	@DEBUG=$${DEBUG:-1} $(PY) manage.py prune_data_rights --schedule
	@DEBUG=$${DEBUG:-1} HOST=$(HOST) PORT=$(PORT) $(PY) manage.py serve

test: $(STAMP)
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	$(PY) bench/run.py

messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l es -l sl --ignore=.venv --ignore=node_modules
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3* .test-db.sqlite3* staticfiles
