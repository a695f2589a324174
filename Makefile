# Two entry points for people (see README): `make run` and `make test`.
# Everything else here serves those two.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEB_PACKAGES := python3-venv nut-server nut-client nftables iproute2 iputils-ping iputils-tracepath tcpdump tmux procps dnsmasq-base openssl conntrack
ARGS ?=

.PHONY: run run-deps test lint unit lab bench deps venv clean

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

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

venv: $(PY)
	$(PY) -m pip install -q -e '.[test]'

# Only what running the app needs: Debian splits venv out of python3.
run-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && ! $(PYTHON) -c "import ensurepip" 2>/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	fi

run: run-deps $(PY)
	@$(PY) -c "import readiness.cli" 2>/dev/null || $(PY) -m pip install -q -e .
	@$(PY) -m compileall -q readiness >/dev/null  # as an installed package is: a quicker start
	$(VENV)/bin/readiness $(ARGS)

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
