# Two entry points for people (see README): `make run` and `make test`.
# Everything else here serves those two.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEB_PACKAGES := python3-venv nut-server nut-client nftables iproute2 iputils-ping iputils-tracepath tcpdump tmux procps dnsmasq-base openssl conntrack chromium snmpd miniupnpd
ARGS ?=

.PHONY: run run-deps python-ok test lint unit lab bench deps venv clean

# Debian packages the tests need (NUT's upsd and dummy-ups, nftables for the lab...).
# Installed only when running as root; otherwise the tests that need them skip and say why.
deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		missing=""; for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			echo "installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		fi; \
	fi

# What is wrong with $(PYTHON) for building the environment, as one line; empty when all is well.
# Checked only by the targets that build .venv, after run-deps had its chance to install python3-venv.
AS_UID ?= $(shell id -u)
python_problem = $(shell \
	if ! command -v $(PYTHON) >/dev/null 2>&1; then \
		echo "no $(PYTHON) on this machine: install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)"; \
	elif ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
		echo "readiness needs Python 3.11 or newer, and $(PYTHON) is $$($(PYTHON) -V 2>&1 | cut -d' ' -f2): install a newer one and run make with PYTHON=python3.11 (or newer)"; \
	elif ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		echo "$(PYTHON) cannot create a virtual environment: install Debian's python3-venv (as root: apt-get install python3-venv)"; \
	fi)

# `$(error)` stops make with this one line (no traceback, no "Error 1" from a failed recipe).
python-ok: run-deps
	$(if $(strip $(python_problem)),$(error $(strip $(python_problem))))
	@:

# The checks run only when .venv is to be built, so that a second `make run` starts at once.
$(PY): | $(if $(wildcard $(PY)),,python-ok)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# What is installed is decided by stamps inside .venv tied to pyproject.toml: never by an import,
# which the source tree in the current folder satisfies even when nothing is installed (issue 21).
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	@touch $@ $(RUN_STAMP)

venv: $(TEST_STAMP)

# Only what running the app needs: Debian splits venv out of python3.
run-deps:
	@if [ "$(AS_UID)" = "0" ] && command -v apt-get >/dev/null 2>&1 && command -v $(PYTHON) >/dev/null 2>&1 \
		&& ! $(PYTHON) -c "import ensurepip, venv" 2>/dev/null; then \
		echo "installing Debian's python3-venv"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	fi

run: $(RUN_STAMP)
	@$(PY) -m compileall -q readiness >/dev/null  # as an installed package is: a quicker start
	@$(VENV)/bin/readiness $(ARGS)

lint: venv
	$(VENV)/bin/ruff check readiness tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

unit: venv
	$(VENV)/bin/pytest -q -m "not lab"

lab: venv
	$(VENV)/bin/pytest -q -m lab

# The whole suite: lint, types, import contracts, unit, real-peer, lab and TUI tests.
test: deps venv lint
	$(VENV)/bin/pytest -q -p no:cacheprovider

# The benchmarks also time the standard tools (dig, curl) against readiness.
bench: deps venv
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		for p in dnsutils curl; do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
			|| DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$p >/dev/null; done; \
	fi
	$(PY) -m bench

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
