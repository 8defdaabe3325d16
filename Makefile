# The clinic portal's two commands: `make run` and `make test`. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-requirements
HOST   ?= 127.0.0.1
PORT   ?= 8000
INFERENCE_PORT    ?= 8001
INFERENCE_API_KEY ?= local-development-inference-key
INFERENCE_URL     ?= http://127.0.0.1:$(INFERENCE_PORT)
# Links in e-mails and calendar feeds point at the portal where `make run` serves it; the demo
# clinic has a (fictional) phone number for patients who can no longer change a visit online.
PORTAL_BASE_URL   ?= http://$(HOST):$(PORT)
CLINIC_PHONE      ?= +1 555 0100 (demo)
export INFERENCE_API_KEY INFERENCE_URL

.PHONY: install run test lint migrate seed clean inference

$(STAMP): requirements.txt inference/requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r inference/requirements.txt
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: export PORTAL_BASE_URL := $(PORTAL_BASE_URL)
run: export CLINIC_PHONE := $(CLINIC_PHONE)
run: seed
	@echo ""
	@echo "  Portal:        http://$(HOST):$(PORT)/"
	@echo "  Sign in:       http://$(HOST):$(PORT)/accounts/login/"
	@echo "  Admin:         http://$(HOST):$(PORT)/admin/"
	@echo "  API docs:      http://$(HOST):$(PORT)/api/docs/  (Redoc: /api/redoc/, schema: /api/schema/)"
	@echo "  Health:        http://$(HOST):$(PORT)/health/ready"
	@echo "  Inference:     http://127.0.0.1:$(INFERENCE_PORT)/health  (X-API-Key: $$INFERENCE_API_KEY)"
	@echo ""
	$(VENV)/bin/uvicorn inference.app:app --host 127.0.0.1 --port $(INFERENCE_PORT) --log-level warning & \
	inference=$$!; $(PY) manage.py run_periodic & periodic=$$!; \
	trap 'kill $$inference $$periodic 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

inference:
	$(VENV)/bin/uvicorn inference.app:app --host 127.0.0.1 --port $(INFERENCE_PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=ci-only-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG \
	DJANGO_ALLOWED_HOSTS=clinic.example INFERENCE_API_KEY=ci-only-dummy-inference-key \
	FIELD_ENCRYPTION_KEYS=Y2ktb25seS1kdW1teS1rZXktTk9ULUEtU0VDUkVUISE= \
	DATABASE_URL=postgres://clinic@127.0.0.1:5432/clinic REDIS_URL=redis://127.0.0.1:6379/0 \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .test-db.sqlite3* staticfiles

# Benchmarks (not tests): their own database on the local PostgreSQL, gunicorn with two workers,
# and bench/REPORT.md written from the run (bench/README.md).
BENCH_STAMP := $(VENV)/.installed-bench-requirements

$(BENCH_STAMP): bench/requirements.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	@touch $(BENCH_STAMP)

.PHONY: bench
bench: install $(BENCH_STAMP)
	$(PY) -m bench.run --command "make bench"
