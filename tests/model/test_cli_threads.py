"""model.cli_threads: a command-line process asks OpenBLAS for one thread before numpy is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**clean, **env},
    )


def test_the_cli_sets_one_openblas_thread_before_numpy_is_imported():
    done = _run("import os, model.cli; print(os.environ['OPENBLAS_NUM_THREADS'])")
    assert done.stdout.strip() == "1"
    imported = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    assert imported.index("model.cli_threads") < imported.index("numpy")


def test_a_thread_count_the_caller_set_is_kept():
    done = _run("import os, model.cli; print(os.environ['OPENBLAS_NUM_THREADS'])", OPENBLAS_NUM_THREADS="2")
    assert done.stdout.strip() == "2"
