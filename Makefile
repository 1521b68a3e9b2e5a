# Two entry points, both self-contained on a fresh machine:
#   make demo   installs everything into .venv and renders a real Blender scene on the local farm
#   make test   installs everything into .venv and runs lint, type checks, the Python 3.9 check and the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint typecheck py39 pytest clean

# The first install (no $(STAMP) yet) shows pip's download progress; a later one (setup.cfg changed) is quiet.
$(STAMP): setup.cfg pyproject.toml
	@echo "Installing accsyn-dcc and its dependencies into $(VENV) (the first time downloads about 550 MB, 375 MB of it bpy)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install $(if $(wildcard $(STAMP)),--quiet) -e '.[test,blender,scan]'
# The PySide2 stubs declare a dependency on PySide2 itself, which must not sit beside PySide6.
	@$(BIN)/python -m pip install --quiet --no-deps 'pyside2-stubs==5.15.2.1.2'
	@touch $(STAMP)
	@echo "Installed into $(VENV)"

demo: $(STAMP)
	@$(BIN)/accsyn-dcc demo --output demo-output

test: $(STAMP) lint typecheck py39 pytest

lint: $(STAMP)
	$(BIN)/ruff check common plugins engines install tests bench

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy engines

py39: $(STAMP)
	$(BIN)/vermin --no-tips --violations -t=3.9- common plugins engines install

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
