"""Rack Designer: `python main.py [FILE]` opens the app; sub-commands run the engine headless.

python main.py                          the app, on the built-in Trn2-Ultra64 sample
python main.py FILE                     the app, on a layout file
python main.py sample NAME [--out F]    write a reference layout
python main.py report FILE [--format text|json|csv] [--pdf OUT.pdf]
python main.py validate FILE            check a layout file
python main.py export FILE --what ... --out ...
"""

from __future__ import annotations

import sys

CLI_COMMANDS = {"sample", "report", "validate", "export", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in CLI_COMMANDS:
        from model.cli import run_cli

        return run_cli(args, pdf_writer=_pdf_writer if "--pdf" in args else None)
    from gui.app import run_gui  # Qt is imported only when the app is wanted

    return run_gui(args)


def _pdf_writer(result, path) -> None:
    # The PDF report is drawn with Qt; only this path of the CLI loads it.
    from gui.printing import write_report_pdf

    write_report_pdf(result, path)


if __name__ == "__main__":
    sys.exit(main())
