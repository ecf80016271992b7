#!/usr/bin/env bash
# Installs Rack Designer with its test tools, checks it, and runs the whole suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
. scripts/venv.sh
python3 -m pip install -q -e '.[test]'
python3 -m ruff check .
python3 -m ruff format --check .
# The import contracts in pyproject.toml: model/ never imports Qt or pyqtgraph; gui/ sits on model/.
lint-imports
# Types, with the pydantic plugin (pyproject.toml [tool.mypy]).
python3 -m mypy model gui
QT_QPA_PLATFORM=offscreen python3 -m pytest -q
