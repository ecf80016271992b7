"""The front door: --version, --help and mistakes work without a screen; the app without a
desktop session says so in one line and exits 2 instead of letting Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_version_needs_no_screen():
    done = _run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"rack-designer {main.version()}"
    assert done.stderr == ""


def test_help_needs_no_screen():
    done = _run("--help")
    assert done.returncode == 0 and "usage:" in done.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "needs a desktop session"),
        (("layout.json",), "needs a desktop session"),
        (("--verison",), "unknown option '--verison'"),
        (("reprot", "t.json"), "unknown command 'reprot'; the commands are: compare, export, library, report"),
    ],
)
def test_mistakes_and_no_desktop_are_one_line_and_exit_2(args, said):
    done = _run(*args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and said in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.startswith("rack-designer: ")


def test_a_desktop_or_a_forced_platform_lets_the_app_start():
    assert main.no_desktop({"DISPLAY": ":0"}) == ""
    assert main.no_desktop({"WAYLAND_DISPLAY": "wayland-0"}) == ""
    assert main.no_desktop({"QT_QPA_PLATFORM": "offscreen"}) == ""
    if sys.platform not in ("win32", "darwin"):
        assert "desktop session" in main.no_desktop({})
