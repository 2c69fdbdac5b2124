# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
# the PyTorch bridge's tests, with torchvision for TorchFeatures on its
# resnet18: PyPI's builds of a pair that imports together (PyPI's
# torchvision is built for its CUDA torch and does not import beside a CPU
# torch); they run on the CPU. torchvision is kept only where it imports
# (the tests that need it skip, saying so, elsewhere)
TORCH_VERSION ?= 2.14.1
TORCHVISION_VERSION ?= 0.29.1
BIN := $(VENV)/bin
# Every version that the targets below install, the build back end included:
# a fresh clone installs what CI tested. `make lock` refreshes it.
LOCK := requirements/lock.txt
INSTALL = $(BIN)/python -m pip install --quiet --constraint $(LOCK) --build-constraint $(LOCK)

.PHONY: demo test browser docs check-wheel bench lock test-latest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint $(LOCK) --upgrade pip

demo: $(BIN)/python
	$(INSTALL) -e .
	$(BIN)/imgbalance demo

test: $(BIN)/python browser
	$(INSTALL) "torch==$(TORCH_VERSION)" \
		|| echo "torch $(TORCH_VERSION) could not be installed: the torch tests will be skipped"
	{ $(INSTALL) "torchvision==$(TORCHVISION_VERSION)" \
		&& $(BIN)/python -c "import torchvision" >/dev/null 2>&1; } \
		|| { echo "torchvision $(TORCHVISION_VERSION) does not import beside torch $(TORCH_VERSION) here: uninstalled, its tests will be skipped"; \
			$(BIN)/python -m pip uninstall --quiet --yes torchvision >/dev/null 2>&1 || true; }
	$(INSTALL) -e ".[test]"
	$(BIN)/python -m pytest

# Headless Chromium for the reports' browser test: Debian's package,
# installed when missing where that can be done (root and apt-get);
# elsewhere the test is skipped, with a line saying so here.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
		|| command -v google-chrome >/dev/null 2>&1 \
		|| { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's chromium for the browser test"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq \
			&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "no Chromium, and it cannot be installed here (needs root and apt-get): the browser test will be skipped"; \
		fi; }

# The suite against the newest release of every dependency (torch stays at
# TORCH_VERSION), in an environment of its own: drift found on purpose.
LATEST_VENV ?= .venv-latest
test-latest:
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST_VENV)/bin/python -m pip install --quiet "torch==$(TORCH_VERSION)" \
		|| echo "torch $(TORCH_VERSION) could not be installed: the torch tests will be skipped"
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[test]"
	$(LATEST_VENV)/bin/python -m pip list --format freeze \
		| grep -iE '^(numpy|scipy|pillow|scikit-image|scikit-learn|imbalanced-learn|joblib|numba|opencv-python-headless|pandas|torch)=='
	$(LATEST_VENV)/bin/python -m pytest

# Refresh the lock to the newest releases that fit pyproject.toml (then run
# `make test`, and commit requirements/lock.txt with what it needed).
lock: $(BIN)/python
	$(INSTALL) pip-tools
	printf 'torch==$(TORCH_VERSION)\ntorchvision==$(TORCHVISION_VERSION)\n' | $(BIN)/pip-compile --quiet --upgrade \
		--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra test --extra docs --extra fast --extra plot --extra progress \
		--output-file $(LOCK) pyproject.toml requirements/tools.in -

# The HTML documentation, examples executed, warnings as errors (and only
# they are printed: -q).
docs: $(BIN)/python
	$(INSTALL) -e ".[docs]"
	rm -rf docs/_build docs/generated docs/auto_examples
	MPLBACKEND=Agg $(BIN)/python -m sphinx -q -W --keep-going -b html docs docs/_build/html
	@echo "docs: docs/_build/html/index.html"

# Build the wheel, install it in a fresh virtual environment (not editable)
# and check that the package imports and the command runs.
check-wheel: $(BIN)/python
	rm -rf build/wheel-check
	$(INSTALL) build
	PIP_CONSTRAINT=$(CURDIR)/$(LOCK) $(BIN)/python -m build --quiet --wheel --outdir build/wheel-check/dist .
	$(PYTHON) -m venv build/wheel-check/venv
	build/wheel-check/venv/bin/python -m pip install --quiet --constraint $(LOCK) --upgrade pip
	build/wheel-check/venv/bin/python -m pip install --quiet --constraint $(LOCK) build/wheel-check/dist/*.whl
	cd build/wheel-check && venv/bin/python -c "import imgbalance; print(imgbalance.__version__)"
	build/wheel-check/venv/bin/imgbalance --help
	build/wheel-check/venv/bin/python -m imgbalance --version

# Every benchmark, side by side with its peers, in an environment of its own;
# one markdown table of the results (with the machine) in docs/bench_table.md.
BENCH_VENV ?= .venv-bench
bench:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[fast]" -r benchmarks/requirements.txt
	$(BENCH_VENV)/bin/python -m pip install --quiet "torch==$(TORCH_VERSION)" \
		|| echo "torch $(TORCH_VERSION) could not be installed: bench_torch_features.py will say so"
	$(BENCH_VENV)/bin/python benchmarks/run_all.py --output docs/bench_table.md

clean:
	rm -rf $(VENV) $(BENCH_VENV) $(LATEST_VENV) build dist *.egg-info docs/_build docs/generated docs/auto_examples
