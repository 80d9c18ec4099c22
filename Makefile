# Two entry points: `make run` serves the site, `make test` proves it.
# Both create the virtual environment and install what they need first.

PYTHON_BASE ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip
INSTALLED := $(VENV)/.installed
# Mutation testing's own tool: installed by `make mutation` only.
MUTATION_INSTALLED := $(VENV)/.installed-mutation
# Serving needs objweb's own dependencies only: a fresh clone serves in under a minute.
RUN_INSTALLED := $(VENV)/.installed-run
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_WORKERS ?= 2

.PHONY: run test mutation bench system-packages clean codemirror

# `make run PORT=8081`, `make run HOST=0.0.0.0`, `make run OPTIONS="--threads 8"`:
# any `objweb serve` option passes through.
run: $(RUN_INSTALLED)
	$(VENV)/bin/objweb serve $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST)) $(OPTIONS)

test: system-packages $(INSTALLED)
	rm -f .coverage .coverage.*
	$(PYTHON) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --cov=objweb --cov-report= tests
	$(PYTHON) -m coverage combine -q || true
	$(PYTHON) -m coverage report --fail-under=95
	$(PYTHON) -m coverage report --fail-under=100 --include='objweb/traversal/*,objweb/security/*,objweb/sandbox/*'

# Mutation testing (docs/MUTATION.md) of the rooms that keep the site safe: every
# room, or one (`make mutation ROOM=security`), or chosen mutants
# (`make mutation MUTANTS="objweb.security.csrf.*"`). Each mutant meets only the
# tests that reach the code it changed; a summary per room ends the run.
MUTATION_ROOMS := traversal security sandbox web
MUTATION_WORKERS ?= 2
NICE ?= nice -n 19
mutation: $(INSTALLED) $(MUTATION_INSTALLED)
	@for room in $(or $(ROOM),$(MUTATION_ROOMS)); do case " $(MUTATION_ROOMS) " in \
	  *" $$room "*) ;; *) echo "no such room: $$room (rooms: $(MUTATION_ROOMS))"; exit 2;; esac; done
	$(NICE) $(VENV)/bin/mutmut run --max-children $(MUTATION_WORKERS) \
	  $(foreach name,$(or $(MUTANTS),$(foreach room,$(or $(ROOM),$(MUTATION_ROOMS)),objweb.$(room).*)),"$(name)")
	$(PYTHON) tools/mutation_summary.py $(or $(ROOM),$(MUTATION_ROOMS))

$(PYTHON):
	$(PYTHON_BASE) -m venv $(VENV)

$(RUN_INSTALLED): pyproject.toml | $(PYTHON)
	$(PIP) install --quiet -e .
	touch $@

# The tests install the example extension too, as a user would: its tests run with the rest.
$(INSTALLED): pyproject.toml examples/objweb-news/pyproject.toml | $(PYTHON)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	$(PIP) install --quiet -e examples/objweb-news
	touch $@

$(MUTATION_INSTALLED): pyproject.toml | $(INSTALLED)
	$(PIP) install --quiet -e '.[test,mutation]'
	touch $@

# The benchmark suite (bench/README.md): Debian's wrk drives objweb, a bare app and Zope 5.
# BENCH_SECONDS, BENCH_ROUNDS, BENCH_ONLY and BENCH_ZOPE=0 shorten or narrow it.
bench: $(RUN_INSTALLED)
	@command -v wrk >/dev/null || $(SUDO) apt-get install -y wrk || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y wrk; }
	$(PYTHON) bench/run.py
	$(if $(BENCH_ONLY),@echo "BENCH_ONLY is set: bench/webdav.py not run",$(PYTHON) bench/webdav.py --write)

# Debian's Chromium drives the browser tests; PostgreSQL backs the RelStorage tests;
# litmus (the WebDAV conformance suite), rclone and cadaver test the WebDAV door.
SYSTEM_PACKAGES := chromium postgresql litmus rclone cadaver
system-packages:
	@command -v chromium >/dev/null && command -v pg_ctlcluster >/dev/null && \
	  command -v litmus >/dev/null && command -v rclone >/dev/null && \
	  command -v cadaver >/dev/null || { \
	  $(SUDO) apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES); }; }

clean:
	rm -rf $(VENV) build *.egg-info .coverage .coverage.* .pytest_cache mutants

# The code editor of the management screens: CodeMirror 6, pinned in
# vendor/codemirror/package-lock.json, bundled into objweb/zmi/static/codemirror.js
# with the licences of what it bundles in codemirror.LICENSE.txt.
codemirror:
	cd vendor/codemirror && npm ci --no-audit --no-fund && npm run build
