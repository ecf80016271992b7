"""Rack Designer: `python main.py [FILE]` opens the app; sub-commands run the engine headless.

python main.py                          the app, on the built-in Trn2-Ultra64 sample
python main.py FILE                     the app, on a layout file
python main.py --version                the version
python main.py sample NAME [--out F]    write a reference layout
python main.py report FILE [--format text|json|csv] [--pdf OUT.pdf]
python main.py validate FILE            check a layout file
python main.py export FILE --what ... --out ...
python main.py compare FILE [--what-if EXPR]... [--format text|json]
python main.py library import FILE.yaml...   NetBox device types into your library
python main.py library show TYPE_ID [--format json]

Everything but the app runs without a screen. The app needs a desktop session; without
one it says so in one line and exits 2 instead of letting Qt abort.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from collections.abc import Callable

CLI_COMMANDS = {"sample", "report", "validate", "export", "compare", "library", "-h", "--help"}
PROGRAM = "rack-designer"


def main(argv: list[str] | None = None) -> int:
    """Runs the CLI for a sub-command, else the app; returns the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("--version", "-V"):
        print(f"{PROGRAM} {version()}")
        return 0
    if args and args[0] in CLI_COMMANDS:
        from model.cli import run_cli

        if sys.stdout is None:  # started with standard output closed ('>&-'): each write says so
            sys.stdout = ClosedOutput()

        try:
            code = run_cli(args, pdf_writer=_pdf_writer if "--pdf" in args else None)
        except KeyboardInterrupt:  # Ctrl+C: one line, not a traceback (what it wrote is rolled back)
            print(f"{PROGRAM}: interrupted", file=sys.stderr)
            return 130
        # The process ends now: the collection at exit need not walk a layout of 300,000 cables (1.4 s).
        gc.freeze()
        return code
    if args and args[0].startswith("-"):
        # A mistyped option must not start (or crash) a window: say what is known.
        print(f"{PROGRAM}: unknown option {args[0]!r}; try: python main.py --help", file=sys.stderr)
        return 2
    if len(args) > 1:
        # 'main.py reprot t.json': a mistyped command, not two files for the app.
        commands = ", ".join(sorted(c for c in CLI_COMMANDS if not c.startswith("-")))
        print(f"{PROGRAM}: unknown command {args[0]!r}; the commands are: {commands}", file=sys.stderr)
        return 2
    missing = no_desktop()
    if missing:
        if args and not os.path.exists(args[0]):
            # No window to show it in: the missing file is the first thing to say.
            print(f"{PROGRAM}: cannot open {args[0]}: no such file", file=sys.stderr)
            return 2
        print(f"{PROGRAM}: {missing}", file=sys.stderr)
        return 2
    from gui.app import run_gui  # Qt is imported only when the app is wanted

    return run_gui(args)


def no_desktop(
    environ: dict[str, str] | None = None,
    answers: Callable[[str, str, dict[str, str]], bool] | None = None,
    x11_library: Callable[[], str] | None = None,
) -> str:
    """Why the app cannot open a window here ('' when it can). On Linux and other X11/Wayland
    systems: neither DISPLAY nor WAYLAND_DISPLAY is set and no Qt platform is forced; or
    nothing answers at the display they name (Qt would abort, blaming a library); or, on X11,
    the one system library Qt's xcb plugin needs beyond Qt's wheels is missing.
    `answers(kind, value, env)` and `x11_library()` are the probes (tests replace them)."""
    env = dict(os.environ) if environ is None else environ
    if sys.platform in ("win32", "darwin") or env.get("QT_QPA_PLATFORM"):
        return ""
    named = [(kind, env.get(key, "")) for kind, key in (("wayland", "WAYLAND_DISPLAY"), ("x11", "DISPLAY"))]
    named = [(kind, value) for kind, value in named if value]
    if not named:
        return (
            "the app needs a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            "the command line works without one: python main.py --help"
        )
    probe = answers or _display_answers
    reached = [kind for kind, value in named if probe(kind, value, env)]
    if not reached:
        shown = " and ".join(f"{'WAYLAND_DISPLAY' if k == 'wayland' else 'DISPLAY'}={v}" for k, v in named)
        return (
            f"cannot reach the desktop session ({shown}: nothing answers there); run the app inside "
            "a desktop session, or use the command line: python main.py --help"
        )
    if reached == ["x11"]:
        lacking = (x11_library or _missing_x11_library)()
        if lacking:
            return (
                f"Qt needs the system library {lacking} to open a window on X11: install it "
                f"(apt-get install {lacking}, or bash scripts/system-deps.sh)"
            )
    return ""


def _display_answers(kind: str, value: str, env: dict[str, str]) -> bool:
    # Whether a display server listens where the variable points (a socket, at most 1 s).
    import socket

    if kind == "wayland":
        path = value if value.startswith("/") else os.path.join(env.get("XDG_RUNTIME_DIR", ""), value)
        return os.path.exists(path)
    host, _, rest = value.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form this check does not know: let Qt try
    if host in ("", "unix"):
        for path in (f"/tmp/.X11-unix/X{number}", f"\0/tmp/.X11-unix/X{number}"):  # file, then Linux's abstract name
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
                unix.settimeout(1.0)
                try:
                    unix.connect(path)
                    return True
                except OSError:
                    continue
        return False
    try:
        socket.create_connection((host, 6000 + int(number)), timeout=1.0).close()
        return True
    except OSError:
        return False


class ClosedOutput:
    """Standard output when the process was started without one: every write raises OSError
    (EBADF), which the commands report in one line as any failed write to standard output."""

    def _closed(self, *args, **kwargs):
        raise OSError(errno.EBADF, "it is closed")

    write = writelines = _closed

    def flush(self) -> None:
        """Nothing is ever held to flush (the interpreter flushes at exit)."""

    @property
    def buffer(self) -> ClosedOutput:
        return self


def _missing_x11_library() -> str:
    # Qt 6.5+'s xcb plugin loads libxcb-cursor, which Qt's wheels do not ship (scripts/system-deps.sh).
    import ctypes.util

    return "" if ctypes.util.find_library("xcb-cursor") else "libxcb-cursor0"


def version() -> str:
    """The program's version (model/version.py: the installed package's, else pyproject.toml's)."""
    from model.version import version as program_version

    return program_version()


def _pdf_writer(result, path) -> None:
    # The PDF report is drawn with Qt; only this path of the CLI loads it.
    from gui.printing import write_report_pdf

    # Its text pages on two cores: nothing else runs in this process (gui/report/pdf_parallel.py).
    write_report_pdf(result, path, parallel=True)


if __name__ == "__main__":
    sys.exit(main())
