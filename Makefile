# presswatch — the two commands first: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MONTH  ?=
export PYTHONPATH := $(CURDIR)
export GX_ANALYTICS_ENABLED := false

.PHONY: demo test run backfill install warehouse warehouse-stop clean help docs airflow stop

help:
	@echo "make demo                 run March 2024 on the bundled sample inbox (embedded warehouse unless WAREHOUSE_URL)"
	@echo "make test                 the whole test suite"
	@echo "make run MONTH=YYYY-MM [INBOX=path] [STORAGE=path]"
	@echo "make backfill FROM=YYYY-MM TO=YYYY-MM [INBOX=path] [STORAGE=path]   rebuild every month of a range"
	@echo "make warehouse            start the embedded warehouse and leave it running; prints its URL"
	@echo "make warehouse-stop       stop it"
	@echo "make airflow              Airflow UI, scheduler, dag-processor, triggerer in the background (PostgreSQL metadata, LocalExecutor)"
	@echo "make stop                 stop what make airflow started"
	@echo "make docs                 regenerate docs/warehouse.md (the data dictionary) from the migrations"

demo: $(STAMP)
	$(PY) -m include.presswatch.cli demo

test: $(STAMP)
	$(PY) -m pytest -q

run: $(STAMP)
	@test -n "$(MONTH)" || { echo "usage: make run MONTH=YYYY-MM [INBOX=path] [STORAGE=path]"; exit 2; }
	$(PY) -m include.presswatch.cli run --month "$(MONTH)" $(if $(INBOX),--inbox "$(INBOX)") $(if $(STORAGE),--storage "$(STORAGE)")

backfill: $(STAMP)
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "usage: make backfill FROM=YYYY-MM TO=YYYY-MM [INBOX=path] [STORAGE=path]"; exit 2; }
	$(PY) -m include.presswatch.cli backfill --from "$(FROM)" --to "$(TO)" $(if $(INBOX),--inbox "$(INBOX)") $(if $(STORAGE),--storage "$(STORAGE)")

warehouse: $(STAMP)
	$(PY) -m include.presswatch.cli warehouse start

warehouse-stop: $(STAMP)
	$(PY) -m include.presswatch.cli warehouse stop

airflow: $(STAMP)
	$(PY) -m include.presswatch.ops airflow start

stop: $(STAMP)
	$(PY) -m include.presswatch.ops airflow stop

docs: $(STAMP)
	$(PY) -m include.presswatch.ops docs

install: $(STAMP)

# Reinstalls when the pins change. constraints.txt pins every transitive dependency.
$(STAMP): requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $(STAMP)

clean:
	-$(PY) -m include.presswatch.cli warehouse stop
	rm -rf .data storage
