# The two commands of the README: `make demo` and `make test`. Both set up what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-unit lint typecheck bench venv lock system-deps

# Every install is pinned, with hashes, by lock files that `make lock` compiles from pyproject.toml:
# requirements.lock (runtime; the image installs it), requirements-dev.lock (runtime + the dev extra, the
# same runtime versions), requirements-build.lock (pip and the build backend). The venv, and so CI, which
# runs `make venv`, installs from them: every machine and the image run the same versions.
LOCKS := requirements.lock requirements-dev.lock requirements-build.lock
UV_VERSION := 0.13.9
COMPILE = $(VENV)/lock-tools/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock'

$(BIN)/sitrep: pyproject.toml $(LOCKS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-build.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(BIN)/sitrep

venv: $(BIN)/sitrep

# Re-resolves every pin to the newest versions that pyproject.toml allows; commit the three files.
# uv runs from a venv of its own so that it never lands in the locks or the project's venv.
lock:
	$(PYTHON) -m venv $(VENV)/lock-tools
	$(VENV)/lock-tools/bin/pip install --quiet uv==$(UV_VERSION)
	$(COMPILE) pyproject.toml -o requirements.lock
	$(COMPILE) pyproject.toml --extra dev -c requirements.lock -o requirements-dev.lock
	$(PYTHON) -c 'import tomllib; print(*["pip", *tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]], sep="\n")' \
	  | $(COMPILE) - -o requirements-build.lock

# Debian packages the tests use: kcat (a Kafka client that is not ours), prometheus and promtool,
# openssl (test certificates for the TLS broker).
system-deps:
	@command -v kcat >/dev/null && command -v prometheus >/dev/null && command -v promtool >/dev/null \
	  && command -v openssl >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq kcat prometheus openssl; }

demo: venv
	$(BIN)/sitrep --log-format text demo

test: venv system-deps lint
	$(BIN)/pytest -q --durations=10

# The contributor's quick loop: every test but those that need a Kafka broker (tests/e2e, the broker's
# own) or retrain the detector; no broker (the bootstrap points at a closed port), under a minute.
test-unit: venv
	KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 $(BIN)/pytest -q -m "not kafka and not slow" --ignore=tests/e2e --durations=5

lint: venv
	$(BIN)/ruff check streams tests bench examples
	$(BIN)/ruff format --check streams tests bench examples
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache  # the layers of streams/ (.importlinter)

bench: venv
	$(BIN)/python bench/classify.py
