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
        (("layout.json",), "cannot open layout.json: no such file"),  # no window to show it in
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
    answers = lambda kind, value, env: True  # noqa: E731 - a display server listens
    library = lambda: ""  # noqa: E731 - and Qt's xcb plugin has what it needs
    assert main.no_desktop({"DISPLAY": ":0"}, answers, library) == ""
    assert main.no_desktop({"WAYLAND_DISPLAY": "wayland-0"}, answers, library) == ""
    assert main.no_desktop({"QT_QPA_PLATFORM": "offscreen"}) == ""
    if sys.platform not in ("win32", "darwin"):
        assert "desktop session" in main.no_desktop({})


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11 and Wayland displays")
def test_a_display_nobody_answers_is_said_not_left_to_qt(tmp_path):
    # Qt aborts (exit 134) blaming libxcb-cursor0 when DISPLAY names no X server.
    said = main.no_desktop({"DISPLAY": ":97"}, lambda kind, value, env: False)
    assert said.startswith("cannot reach the desktop session (DISPLAY=:97: nothing answers there)")
    assert main.no_desktop({"WAYLAND_DISPLAY": "wayland-7", "XDG_RUNTIME_DIR": str(tmp_path)}).startswith(
        "cannot reach the desktop session (WAYLAND_DISPLAY=wayland-7"
    )
    (tmp_path / "wayland-7").touch()  # the compositor's socket is there
    assert main.no_desktop({"WAYLAND_DISPLAY": "wayland-7", "XDG_RUNTIME_DIR": str(tmp_path)}) == ""
    lacking = main.no_desktop({"DISPLAY": ":0"}, lambda kind, value, env: True, lambda: "libxcb-cursor0")
    assert lacking.startswith("Qt needs the system library libxcb-cursor0 to open a window on X11")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 sockets")
def test_the_x11_probe_finds_a_listening_server_and_no_other():
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        if port < 6000:
            pytest.skip("the system gave a port below X11's 6000 + n")
        display = f"127.0.0.1:{port - 6000}"
        assert main._display_answers("x11", display, {}) is False  # bound, not listening: nobody answers
        server.listen()
        assert main._display_answers("x11", display, {}) is True
    assert main._display_answers("x11", "weird-form", {}) is True  # not ours to refuse: Qt tries


def test_the_command_line_draws_the_pdf_s_text_pages_on_two_cores(monkeypatch, tmp_path):
    # Only the command line may fork for the PDF (gui/report/pdf_parallel.py): it has no other
    # thread painting. The app's export does not ask for it.
    import gui.printing

    asked: list[dict] = []
    monkeypatch.setattr(gui.printing, "write_report_pdf", lambda result, path, **kwargs: asked.append(kwargs))
    main._pdf_writer(object(), tmp_path / "r.pdf")
    assert asked == [{"parallel": True}]


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    import model.cli

    def interrupted(args, pdf_writer=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(model.cli, "run_cli", interrupted)
    assert main.main(["report", "t.json"]) == 130
    assert capsys.readouterr().err == "rack-designer: interrupted\n"


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["report", "{layout}", "--pdf", "-"], "cannot write to standard output: it is closed"),
        (["report", "{layout}", "--format", "json"], "standard output: it is closed"),
        (["export", "{layout}", "--what", "netbox-cables", "--out", "-"], "standard output: it is closed"),
        (["compare", "{layout}"], "standard output: it is closed"),
    ],
)
def test_output_to_a_closed_standard_output_is_said_in_one_line(tmp_path, command, said):
    layout = tmp_path / "trn2.json"
    assert _run("sample", "trn2-ultra64", "--out", str(layout)).returncode == 0
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *(part.format(layout=layout) for part in command)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=lambda: os.close(1),  # as '>&-' starts it
    )
    assert done.returncode == 2
    assert done.stderr == f"rack-designer: {said}\n"
