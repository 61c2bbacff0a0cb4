# The two commands of the README: `make demo` and `make test`. Both set up what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck bench venv system-deps

$(BIN)/sitrep: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/sitrep

venv: $(BIN)/sitrep

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

lint: venv
	$(BIN)/ruff check streams tests bench examples
	$(BIN)/ruff format --check streams tests bench examples
	$(BIN)/mypy

bench: venv
	$(BIN)/python bench/classify.py
