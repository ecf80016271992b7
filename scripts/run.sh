#!/usr/bin/env bash
# Installs Rack Designer and opens it on its built-in sample layout (Trn2-Ultra64).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
python3 -m pip install -q -e .
exec python3 main.py "$@"
