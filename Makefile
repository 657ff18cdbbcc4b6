# Thin wrapper: every target hands off to `python -m pipeline`, which decides what is stale.
# Usage: make all | make test | make check | make forms CAMPAIGN=dir OUT=dir ...
SHELL    := /bin/bash
.SHELLFLAGS := -o pipefail -c
CAMPAIGN ?= inputs
OUT      ?= outputs
VERBOSE  ?=
WAIT     ?=
VENV     := .venv
PY       := $(VENV)/bin/python
RUN      := $(PY) -m pipeline $(if $(VERBOSE),--verbose) $(if $(WAIT),--wait) --campaign $(CAMPAIGN) --out $(OUT)
STAMP    := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
# The conversion server runs under the system python3, the one Debian's python3-uno is built for; unoserver
# goes into a venv that sees its site-packages (README, "Conversion servers"). Pinned: its XML-RPC API 3.
UNO_VENV   := .venv-uno
UNOSERVER  := 3.7
UNO_STAMP  := $(UNO_VENV)/.installed-unoserver-$(UNOSERVER)
CONVERTERS ?=
PORT       ?= 2003
INTERFACE  ?= 127.0.0.1
RESTART_AFTER ?=
CONVERT_ARGS = $(if $(CONVERT_TIMEOUT),--convert-timeout $(CONVERT_TIMEOUT)) $(if $(CONVERTERS),--converters $(CONVERTERS))

.PHONY: setup sysdeps all check check-templates repair-templates input-templates synth forms eligibility \
        scoresheets results notices letters bundles plan speech status bench examples test test-quick clean \
        converter-server

# --- set-up (idempotent; quick the second time) ---
$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v '^WARNING: Location' || true; }
	@rm -f $(VENV)/.installed-*; touch $@

sysdeps:
	@bash scripts/ensure-system-packages.sh

$(UNO_STAMP): | sysdeps
	@test -x $(UNO_VENV)/bin/python || /usr/bin/python3 -m venv --system-site-packages $(UNO_VENV)
	@$(UNO_VENV)/bin/python -m pip install -q --disable-pip-version-check unoserver==$(UNOSERVER) 2>&1 | { grep -v '^WARNING: Location' || true; }
	@$(UNO_VENV)/bin/python -c "import uno, unoserver.server"
	@rm -f $(UNO_VENV)/.installed-*; touch $@

setup: $(STAMP) sysdeps $(UNO_STAMP)

# --- papers ---
all: setup
	$(RUN) build all $(CONVERT_ARGS)

check: setup
	$(RUN) check
	$(RUN) check-templates

check-templates: setup
	$(RUN) check-templates

repair-templates: setup
	$(RUN) repair-templates

input-templates: setup
	$(RUN) input-templates

synth: setup
	$(PY) -m devtools.synth $(if $(POSTS),--posts $(POSTS)) $(if $(PRINCIPAL),--principal $(PRINCIPAL)) $(if $(APPLICANTS),--applicants $(APPLICANTS)) $(if $(JUDGES),--judges $(JUDGES)) $(if $(SEED),--seed $(SEED)) $(if $(KIND),--kind $(KIND)) --to $(or $(TO),synth-out)

forms eligibility scoresheets results notices letters bundles plan speech: setup
	$(RUN) build $@ $(CONVERT_ARGS)

# A PDF conversion server (unoserver) for other machines' `make all CONVERTERS=host:PORT`; restarts its
# LibreOffice after RESTART_AFTER conversions (default 200). Loopback unless INTERFACE=0.0.0.0. Ctrl-C stops it.
converter-server: setup
	$(PY) -m pipeline converter-server --port $(PORT) --interface $(INTERFACE) $(if $(RESTART_AFTER),--restart-after $(RESTART_AFTER))

status: setup
	$(RUN) status $(if $(TODAY),--today $(TODAY))

bench: setup
	$(PY) -m devtools.bench $(BENCH_ARGS)

examples: setup
	$(PY) -m devtools.make_examples

test: setup
	$(PY) -m pytest -q $(PYTEST_ARGS)

# The pure tests only: no LibreOffice, no command line in a subprocess (markers in pytest.ini).
test-quick: setup
	$(PY) -m pytest -q -m "not integration and not e2e" $(PYTEST_ARGS)

# Under OUT's lock; removes what our commands made (dot-folders of killed runs too), keeps anything else.
clean: setup
	$(RUN) clean
	rm -rf bench-out
