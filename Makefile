# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt
HOST ?= 127.0.0.1
PORT ?= 5000
# The demo instance signs its admin in with a password alone; production keeps the default (on).
export EXCHANGE_ADMIN_MFA ?= false

.PHONY: run test lint fuzz fuzz-install install install-test serve bench ci clean

# `make run` says first where it will serve, and stops at once, in one line, when that port is taken
# (before the slow steps; checked again just before gunicorn binds).
PORT_CHECK = $(PYTHON) .ci/port_in_use.py $(HOST) $(PORT)
ifneq ($(filter run,$(or $(MAKECMDGOALS),run)),)
$(info The Exchange will serve on http://$(HOST):$(PORT) (another port: make run PORT=$(shell expr $(PORT) + 1)))
PORT_BUSY := $(shell $(PORT_CHECK))
ifneq ($(PORT_BUSY),)
$(error $(PORT_BUSY))
endif
endif

# One log line per request, the app's (GUNICORN_ACCESS_LOG=- adds gunicorn's); gunicorn says only what goes wrong.
run: export GUNICORN_LOG_LEVEL ?= warning
run: install
	@$(BIN)/exchange db upgrade
	@$(BIN)/exchange content load --if-empty --recent
	@$(BIN)/exchange search reindex --if-needed
	@$(PORT_CHECK)
	@$(BIN)/exchange demo --address http://$(HOST):$(PORT)
	@$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) --workers 2 wsgi:app

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The small things (ruff) and the layers (import-linter's contracts in setup.cfg): both must be clean.
lint: install-test
	$(BIN)/ruff check --quiet .
	$(BIN)/lint-imports --no-cache

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV)

# pip's output goes to $(INSTALL_LOG): on success one line says so (a machine-wide pip.conf may make pip warn
# about index locations it ignores; not ours to change); on failure pip's output is shown, less those warnings,
# with where the whole of it is.
INSTALL_LOG = $(VENV)/install.log
# In a variable: a comma written in $(call)'s arguments would split them.
TEST_EXTRAS = -e '.[test,postgres]'
PIP_QUIETLY = $(PIP) $(1) > $(INSTALL_LOG) 2>&1 \
	|| { grep -v "^WARNING: Location .* is ignored" $(INSTALL_LOG) >&2; \
	     echo "Installing failed: pip's whole output is in $(INSTALL_LOG)" >&2; exit 1; }

$(VENV)/.installed: $(VENV)/bin/python setup.cfg constraints.txt pyproject.toml
	@echo "Installing the Exchange into $(VENV) (once; a minute or so)"
	@$(call PIP_QUIETLY,-e .)
	@touch $@

$(VENV)/.installed-test: $(VENV)/bin/python setup.cfg constraints.txt pyproject.toml
	@echo "Installing the Exchange and its test tools into $(VENV) (once; a minute or two)"
	@$(call PIP_QUIETLY,$(TEST_EXTRAS))
	@touch $(VENV)/.installed $@

# Schemathesis (stateful, every check) against gunicorn, as a member and as an admin.
# FUZZ_ARGS: e.g. --max-examples 1000 --seed 7, or --database-url postgresql://postgres@127.0.0.1:5432/fuzz
FUZZ_EXAMPLES ?= 300
fuzz: install fuzz-install
	$(BIN)/python .ci/fuzz.py --max-examples $(FUZZ_EXAMPLES) $(FUZZ_ARGS)

fuzz-install: .venv-fuzz/.installed
.venv-fuzz/.installed: constraints.txt
	$(PYTHON) -m venv .venv-fuzz
	.venv-fuzz/bin/pip install --quiet --disable-pip-version-check -c constraints.txt schemathesis
	touch $@

bench: install-test
	$(BIN)/python -m bench

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) .venv-fuzz build *.egg-info
