#!/usr/bin/env bash
# Installs Rack Designer into .venv (its own virtual environment) and opens it on its
# built-in sample layout (Trn2-Ultra64). The app needs a desktop session.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
. scripts/venv.sh
python3 -m pip install -q -e .
exec python3 main.py "$@"
