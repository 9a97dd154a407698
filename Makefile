.PHONY: run test lint bench sync
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

$(UV):
	python3 -m venv .tools && .tools/bin/pip install -q uv

sync: $(UV)
	$(UV) sync --frozen

run: sync
	$(UV) run moussaillon serve

test: sync
	$(UV) run pytest -q

lint: sync
	$(UV) run ruff check moussaillon tests bench
	$(UV) run mypy
