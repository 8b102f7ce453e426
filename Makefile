# Ticketing: `make dev` runs the whole system on one machine, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SERVICES := $(patsubst %/pyproject.toml,%,$(wildcard auth/pyproject.toml tickets/pyproject.toml orders/pyproject.toml expiration/pyproject.toml payments/pyproject.toml notifications/pyproject.toml client/pyproject.toml))
PACKAGES := ticketing_common $(SERVICES)
STAMP := $(VENV)/.installed

.PHONY: dev cluster install test test-tools lint format bench bench-compare chaos clean-data

dev: install
	$(PY) -m ticketing_common.devstack

# Three NATS nodes (stream R3), two replicas of each service behind the gateway, on
# ports from CLUSTER_PORT_BASE (default 18000, gateway on 18080); data in .data/cluster.
cluster: install
	$(PY) -m ticketing_common.devstack cluster

install: $(STAMP)

$(STAMP): constraints.txt $(wildcard */pyproject.toml)
	@echo "==> installing into $(VENV) (pinned by constraints.txt)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		--config-settings editable_mode=compat \
		-e 'common[embedded,test]' $(foreach s,$(SERVICES),-e './$(s)$(if $(filter client,$(s)),[test])')
	@touch $(STAMP)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	MYPYPATH=$(subst $(eval) ,:,$(foreach s,common $(SERVICES),$(s)/src)):. \
		$(VENV)/bin/mypy $(foreach p,$(PACKAGES) bench,-p $(p))

# The client's browser test drives Debian's chromium and its script test runs under
# node; both come from Debian's packages when missing (no browser download).
test-tools:
	@command -v chromium >/dev/null && command -v node >/dev/null || { \
		echo "==> installing Debian's chromium and nodejs for the client tests"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nodejs >/dev/null; }

test: lint test-tools
	$(PY) -m pytest

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench $(ONLY)

# Two commits' 50-buyer sale in turns: `make bench-compare BASE=<rev> [ROUNDS=3] [LOOP=50]`;
# figures under `flash_sale_compare` in bench/RESULTS.md.
bench-compare: install
	$(PY) -m bench.compare $(BASE) $(or $(ROUNDS),3) $(or $(LOOP),50)

# Faults with real processes and signals, each scenario on a stack of its own (`make
# chaos ONLY="1 database_restart"` runs some); figures under `chaos` in bench/RESULTS.md.
chaos: install
	$(PY) -m bench.chaos $(ONLY)

clean-data:
	rm -rf .data
