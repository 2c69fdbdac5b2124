# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
# the PyTorch bridge's tests: a CPU build (on these machines, a wheel on disk)
TORCH_VERSION ?= 2.13.0
BIN := $(VENV)/bin

.PHONY: demo test docs check-wheel bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

demo: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/imgbalance demo

test: $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==$(TORCH_VERSION)" \
		|| echo "torch $(TORCH_VERSION) could not be installed: the torch tests will be skipped"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m pytest

# The HTML documentation, examples executed, warnings as errors.
docs: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	rm -rf docs/_build docs/generated docs/auto_examples
	MPLBACKEND=Agg $(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html
	@echo "docs: docs/_build/html/index.html"

# Build the wheel, install it in a fresh virtual environment (not editable)
# and check that the package imports and the command runs.
check-wheel: $(BIN)/python
	rm -rf build/wheel-check
	$(BIN)/python -m pip install --quiet build
	$(BIN)/python -m build --wheel --outdir build/wheel-check/dist .
	$(PYTHON) -m venv build/wheel-check/venv
	build/wheel-check/venv/bin/python -m pip install --quiet build/wheel-check/dist/*.whl
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
	$(BENCH_VENV)/bin/python benchmarks/run_all.py --output docs/bench_table.md

clean:
	rm -rf $(VENV) $(BENCH_VENV) build dist *.egg-info docs/_build docs/generated docs/auto_examples
