"""The engine must run without Qt: importing every model module pulls in no Qt."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import model

ROOT = Path(__file__).resolve().parents[2]


def test_no_model_module_imports_qt():
    names = [m.name for m in pkgutil.walk_packages(model.__path__, "model.")]
    assert "model.document" in names
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt'))]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_walk_finds_modules():
    assert importlib.import_module("model.layout").SCHEMA_VERSION >= 1
