# The two commands a newcomer needs: `make run` and `make test`.
PY := .venv/bin/python
DEMO_ENV := DEBUG=1

.PHONY: setup run test test-postgres lint bench serve

setup:
	@./scripts/setup.sh

run: setup
	$(DEMO_ENV) $(PY) manage.py load_demo --passwords  # migrates first
	@echo ""
	@echo "Åbn http://127.0.0.1:8000/ og log ind med en af demobrugerne ovenfor,"
	@echo "fx 'direktoer' (direktør Kim Bruun Nielsen)."
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/udmoentning} $(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djhtml --check templates
	DEBUG=1 .venv/bin/mypy plans committees udmoentning

bench: setup
	DEBUG=1 $(PY) bench/bench_overview.py
	DEBUG=1 $(PY) bench/bench_extract.py
	DEBUG=1 $(PY) bench/bench_excel.py
	DEBUG=1 $(PY) bench/bench_board_report.py
	DEBUG=1 $(PY) bench/bench_history.py
	DEBUG=1 $(PY) bench/bench_round.py

serve: setup
	./scripts/serve.sh
