.PHONY: run test lint bench sync sync-run
# uv from PATH, else bootstrapped into .tools/ (a venv: no pip into Debian's own Python).
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.tools/bin/uv:
	@python3 -m venv .tools || { echo "make: python3 -m venv failed; on Debian: sudo apt-get install python3-venv" >&2; exit 1; }
	.tools/bin/pip install -q uv

sync: $(filter .tools/bin/uv,$(UV))
	$(UV) sync --frozen

# Only what the app needs; --inexact keeps the test tools of an earlier `make test`.
sync-run: $(filter .tools/bin/uv,$(UV))
	$(UV) sync --frozen --no-dev --inexact

run: sync-run
	.venv/bin/moussaillon serve

# -rs lists every skipped test with its reason (an optional part and how to add it).
# Three workers on CI's two cores: the engine tests mostly wait on dockerd. --dist loadfile keeps
# a module on one worker, so its module-scoped fixtures (a second dockerd, Chromium) start once.
TEST_WORKERS ?= 3
test: sync
	.venv/bin/pytest -q -rs -n $(TEST_WORKERS) --dist loadfile

lint: sync
	.venv/bin/ruff check moussaillon tests bench
	.venv/bin/mypy
