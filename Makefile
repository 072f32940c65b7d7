# 忻州市中试基地管理平台 — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
UV_RUN := uv run --frozen
# make run always uses the embedded defaults: SQLite, Celery in-process, e-mail to the console.
EMBEDDED := env -u DATABASE_URL -u REDIS_URL DEBUG=true

.PHONY: setup run test lint format diagram architecture messages clean bench backup restore documents screenshots

setup:
	@bash scripts/bootstrap.sh

run: setup
	$(EMBEDDED) $(UV_RUN) python manage.py migrate --noinput
	$(EMBEDDED) $(UV_RUN) python manage.py signing_dev_key
	$(EMBEDDED) $(UV_RUN) python manage.py seed_demo
	$(EMBEDDED) $(UV_RUN) python manage.py runserver 127.0.0.1:8000

test:
	@BOOTSTRAP_E2E=1 bash scripts/bootstrap.sh
	$(UV_RUN) ruff check .
	$(UV_RUN) ruff format --check .
	DJANGO_SETTINGS_MODULE=portal.settings_test $(UV_RUN) python manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings_test $(UV_RUN) python manage.py makemigrations --check --dry-run
	$(UV_RUN) pytest -n 2

lint:
	$(UV_RUN) ruff check .
	$(UV_RUN) ruff format --check .

format:
	$(UV_RUN) ruff check --fix .
	$(UV_RUN) ruff format .

# The lifecycle of a pilot base, drawn from the state machine itself: docs/lifecycle.dot in a fixed
# order and its Graphviz picture docs/lifecycle.svg (tests/test_lifecycle_diagram.py checks both).
diagram: setup
	$(EMBEDDED) $(UV_RUN) python manage.py lifecycle_diagram

# The layers of the code read from its imports: the figures (imports against the layers, cycles, imports
# inside functions, long modules) and docs/architecture.svg with its source docs/architecture.dot.
architecture: setup
	$(UV_RUN) python scripts/architecture.py --draw docs/architecture.svg

# The README's previews of every kind of document: the demo data in a throw-away SQLite database, one
# document of each kind issued, its first page drawn by pdftoppm into docs/documents/<kind>.png.
documents: setup
	env -u DATABASE_URL -u REDIS_URL $(UV_RUN) python scripts/documents.py

# The README's screenshots: the demo data in a throw-away SQLite database, served locally, the public
# home and every role's workspace at 1366×768 in Chinese (Debian's Chromium), into docs/screenshots/.
screenshots: setup
	env -u DATABASE_URL -u REDIS_URL $(UV_RUN) python scripts/screenshots.py

# Seeds PostgreSQL (BENCH_DATABASE_URL, default database portal_bench, dropped and recreated) with
# BENCH_BASES bases (100,000) and measures pages, queries, the roster export and the daily jobs;
# writes docs/performance.md.
bench:
	@BOOTSTRAP_BENCH=1 bash scripts/bootstrap.sh
	$(UV_RUN) python scripts/bench.py

# The database (pg_dump, or the SQLite file) and MEDIA_ROOT into BACKUP_DIR/portal-<timestamp>/ with
# SHA256SUMS (scripts/backup.sh; DATABASE_URL, MEDIA_ROOT, BACKUP_DIR from the environment or .env).
backup:
	@bash scripts/backup.sh

# Put a backup back (BACKUP=backups/portal-…, default the newest), replacing database and media;
# refuses unless RESTORE_CONFIRM=yes (scripts/restore.sh).
restore:
	@bash scripts/restore.sh $(BACKUP)

clean:
	rm -rf .test-media .pytest_cache staticfiles .bench-static
