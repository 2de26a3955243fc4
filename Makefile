# The README's quickstart: `make demo` runs the main job offline, `make test` runs the test suite.
# Both install what they need into .venv first (scripts/bootstrap.sh), so they work on a fresh clone:
# demo only the project, test also the `local` and `dev` extras (torch CPU, pytest, ...), every package
# pinned by requirements/constraints.txt. `make lock` upgrades that lock (scripts/lock.sh).
.PHONY: demo test lint bootstrap lock vllm-env bench clean

PY := .venv/bin/python
QUESTION ?= compare revenue by region and product category
DATA ?= examples/sales.csv

bootstrap:
	@scripts/bootstrap.sh test

lock:
	scripts/lock.sh

demo:
	@scripts/bootstrap.sh demo
	$(PY) -m sgr.cli autoviz run $(DATA) "$(QUESTION)" --out runs/demo

# SKIP_VLLM=1 skips the real-vLLM tier (the skip reason is printed); CI runs it.
test:
	SKIP_VLLM=$(SKIP_VLLM) scripts/test.sh $(PYTEST_ARGS)

lint: bootstrap
	.venv/bin/ruff check src tests benchmarks examples

vllm-env: bootstrap
	$(PY) -m sgr.testing.vllm_server ensure

clean:
	rm -rf runs .pytest_cache .ruff_cache
