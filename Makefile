# Dear PurseBop. `make run` serves the demo site; `make test` runs every check.
# Each target makes and uses its own virtual environment (.venv); only Python 3.11+ and make
# are needed on the machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2

# make run: production settings, served locally over plain HTTP on SQLite.
RUN_ENV = DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$(cat .secret_key)" \
	NEWSLETTER_SUPPRESSION_KEY="local-run-$$(cat .secret_key)" \
	DJANGO_ALLOWED_HOSTS="$(HOST),localhost,127.0.0.1" \
	DATABASE_URL="sqlite:///$(CURDIR)/db.sqlite3" \
	DJANGO_LOCAL_HTTP=1 \
	SITE_DOMAIN="$(HOST):$(PORT)" \
	WAGTAILADMIN_BASE_URL="http://$(HOST):$(PORT)"

# Dummy production values for `check --deploy`: the check must pass with real settings.
DEPLOY_CHECK_ENV = DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	NEWSLETTER_SUPPRESSION_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	DJANGO_ALLOWED_HOSTS=pursebop.example.com \
	DATABASE_URL="sqlite:///$(CURDIR)/.venv/deploy-check.sqlite3"

.PHONY: help run dev test lint e2e attack backup restore screenshots bench bench-scale bench-load bench-emails bench-newsletter install install-dev clean

help:
	@echo "make run    serve the demo site at http://$(HOST):$(PORT)/ (production-like, SQLite)"
	@echo "make test   ruff, Django checks, migrations check and the whole pytest suite"
	@echo "make dev    runserver with auto-reload and the email worker (development settings)"
	@echo "make e2e    browser tests only (headless Chromium at /usr/bin/chromium)"
	@echo "make attack the attack runs in full (fuzzing, XSS corpus; with DATABASE_URL=postgres://…"
	@echo "            also concurrency, outage and PostgreSQL backups); make test runs them short"
	@echo "make backup the database and media into backups/pursebop-<time>.tar.gz (DATABASE_URL, MEDIA_ROOT)"
	@echo "make restore BACKUP=backups/pursebop-<time>.tar.gz  onto an empty machine (or --force: FORCE=1)"
	@echo "make screenshots  the browser tests, writing the docs' screenshots to docs/screenshots/"
	@echo "make bench  every page timed side by side against a bare Wagtail page (10,000 letters, kept)"
	@echo "make bench-scale  the pages' growth from 1,000 to 100,000 letters (SQLite; PostgreSQL too"
	@echo "            with DATABASE_URL=postgres://…; BENCH_SCALE_SIZES=1000,10000 to change)"
	@echo "make bench-load  gunicorn under wrk: letter page, column, static file, reply POST"
	@echo "make bench-emails  what 1,000 approvals queue and how long the email worker takes"
	@echo "make bench-newsletter  one letter to 100,000 subscribers: publish, fan-out, sending (kept data)"
	@echo "make clean  remove the virtual environment, database, media and collected static"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
		{ echo "Python 3.11 or newer is needed (found: $(PYTHON))."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
		{ echo "Python's venv module is missing. On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Installs from the locks: every package pinned, transitive ones included (ops/lock.py).
$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(PY)
	$(PIP) install --quiet -r requirements-dev.lock
	@touch $(VENV)/.installed $@

# After editing requirements*.txt: install what they name, then pin what was installed.
.PHONY: lock
lock: | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	$(PY) ops/lock.py

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

.secret_key: | $(PY)
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(64))' > $@
	@chmod 600 $@
	@echo "Generated a secret key in .secret_key (git-ignored)."

run: $(VENV)/.installed .secret_key
	@$(RUN_ENV) $(MANAGE) migrate --noinput
	@$(RUN_ENV) $(MANAGE) load_initial_data
	@$(RUN_ENV) $(MANAGE) ensure_admin
	@$(RUN_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  Site:  http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/"
	@echo "  Emails are printed here by the email worker, not sent."
	@echo "  (Ctrl-C stops the server, the email worker and the scheduled-publishing loop.)"
	@echo ""
	@$(RUN_ENV) sh -c '\
		( while true; do $(MANAGE) publish_scheduled >/dev/null 2>&1; sleep 60; done ) & \
		loop=$$!; \
		$(MANAGE) email_worker & \
		worker=$$!; \
		trap "kill $$loop $$worker 2>/dev/null" EXIT INT TERM; \
		$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
			--access-logfile - --forwarded-allow-ips=""'

dev: $(VENV)/.installed-dev
	$(MANAGE) migrate --noinput
	$(MANAGE) load_initial_data
	$(MANAGE) ensure_admin
	@sh -c '$(MANAGE) email_worker & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; $(MANAGE) runserver $(HOST):$(PORT)'

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	@$(DEPLOY_CHECK_ENV) $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

e2e: $(VENV)/.installed-dev
	$(VENV)/bin/pytest e2e $(PYTEST_ARGS)

# The attack runs in full (docs/SECURITY.md): `make test` and CI run them in a short setting.
# The PostgreSQL ones (concurrency, outage) run when DATABASE_URL names a PostgreSQL database.
attack: $(VENV)/.installed-dev
	ATTACK=full $(VENV)/bin/pytest -m attack $(PYTEST_ARGS)

# Backups (ops/backup.py): the database (SQLite's backup API, or pg_dump) and media in one
# archive. Without DATABASE_URL/MEDIA_ROOT, the `make run` site (db.sqlite3, media/).
BACKUP_DIR ?= backups
backup: $(VENV)/.installed
	$(PY) ops/backup.py backup --out "$(BACKUP_DIR)"

restore: $(VENV)/.installed
	@test -n "$(BACKUP)" || { echo "Name the archive: make restore BACKUP=backups/pursebop-….tar.gz"; exit 1; }
	$(PY) ops/backup.py restore "$(BACKUP)" $(if $(FORCE),--force)

# The only target that writes into the tree: the browser tests save the docs' pictures.
screenshots: $(VENV)/.installed-dev
	SCREENSHOTS_DIR="$(CURDIR)/docs/screenshots" $(VENV)/bin/pytest e2e $(PYTEST_ARGS)

# Speed is a benchmark, not a test: it prints medians and ratios and asserts nothing. Its data
# set is generated once into bench/data/ (or `<name>_bench` with DATABASE_URL) and kept;
# BENCH_LETTERS and BENCH_REPLIES make it smaller. Results: bench/results/latest.json.
bench: $(VENV)/.installed-dev
	$(PY) bench/run.py $(BENCH_ARGS)

# Each page cold at 1,000, 10,000 and 100,000 letters (BENCH_SCALE_SIZES), each size's data set
# generated once and kept (bench/data/, or `<name>_scale_<letters>` with DATABASE_URL on
# PostgreSQL), and its growth: bench/results/scale.json.
bench-scale: $(VENV)/.installed-dev
	$(PY) bench/scale.py $(BENCH_ARGS)

# gunicorn under wrk (Debian's package), LOAD_SECONDS a target: bench/results/load.json.
bench-load: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	$(PY) bench/load.py

# What 1,000 approvals queue, how long their requests take and how long the worker sends.
bench-emails: $(VENV)/.installed-dev
	$(PY) bench/emails.py $(BENCH_ARGS)

# One letter sent to BENCH_SUBSCRIBERS (100,000) subscribers, kept in bench/data/ (or
# `<name>_bench_newsletter` with DATABASE_URL): the publishing request, the worker's fan-out
# and sending (emails a second, its memory), readers meanwhile. bench/results/newsletter.json.
bench-newsletter: $(VENV)/.installed-dev
	$(PY) bench/newsletter.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles
