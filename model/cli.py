"""The command line: reference layouts, reports, validation and exports, with no screen.

Exit codes: 0 done (and, for `validate` and `report --strict`, no design problems); 1 the
layout was read but has design problems (their count and the first few go to stderr);
2 the layout or an argument cannot be used: one line on stderr naming the file and the
place, never a traceback. Messages are escaped (model.text.terminal_safe) so nothing in
a file can drive the terminal. `-` as an output file means standard output; a read-only
output file is refused, not replaced.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import model.cli_threads  # noqa: F401  # first, before numpy: see model.cli_threads
from model.bulk import paused_gc
from model.cli_library import add_library_parser, run_library
from model.errors import FileFormatError, RackDesignerError
from model.layout import MAX_CABLES
from model.problem_groups import problem_lines
from model.results import not_orderable_note
from model.text import terminal_safe

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
SHOWN_PROBLEMS = 5  # how many problems `validate` and `report --strict` name on stderr
STDOUT = Path("-")
PdfWriter = Callable[[object, Path], None]


def say(message: str) -> None:
    """Prints `message` as one escaped line on stderr, after 'rack-designer: '."""
    print(f"rack-designer: {terminal_safe(message)}", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, as argparse does but without the usage block
        raise SystemExit(self._fail(message))

    def _fail(self, message: str) -> int:
        say(message)
        return EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the sub-commands (sample, report, validate, export, compare); errors exit 2 in one line."""
    parser = _Parser(prog="python main.py", description="Rack Designer: AI datacenter racks and cabling.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sample = commands.add_parser("sample", help="write a reference layout")
    sample.add_argument(
        "name",
        help="trn2-ultra64, gb200-nvl72, gb300-nvl72, gb200-nvl36x2, gb200-superpod-su, scaleout-pod or tor-pod",
    )
    sample.add_argument("--out", type=Path, help="file to write (default, or '-': standard output)")
    sample.add_argument(
        "--accelerators", type=int, default=None, help="size of scaleout-pod (multiple of 8), tor-pod (of 32)"
    )
    sample.add_argument("--fabric", choices=["infiniband", "ethernet"], help="scaleout-pod's switch family")
    sample.add_argument("--server", choices=["b200", "b300"], help="scaleout-pod's servers: 8 x 400G or 8 x 800G NICs")
    report = commands.add_parser("report", help="analyse a layout file")
    report.add_argument("file", type=Path)
    report.add_argument("--format", choices=["text", "json", "csv"], help="default text (none with --pdf -)")
    report.add_argument("--pdf", type=Path, help="also write the printable cabling report as PDF ('-': stdout)")
    report.add_argument("--strict", action="store_true", help="exit 1 when the layout has design problems")
    validate = commands.add_parser(
        "validate", help="check a layout file: exit 0 clean, 1 design problems, 2 unreadable"
    )
    validate.add_argument("file", type=Path)
    export = commands.add_parser("export", help="export a layout's schedule, BOM or NetBox CSVs")
    export.add_argument("file", type=Path)
    export.add_argument(
        "--what",
        required=True,
        choices=["schedule", "bom", "netbox-devices", "netbox-cables", "netbox-set"],
        help="what to export (netbox-set: every file NetBox needs, in import order, into the folder --out)",
    )
    export.add_argument(
        "--out", type=Path, required=True, help="file to write ('-': standard output; a folder for netbox-set)"
    )
    compare = commands.add_parser("compare", help="analyse the base, the file's scenarios and what-ifs side by side")
    compare.add_argument("file", type=Path)
    compare.add_argument(
        "--what-if",
        action="append",
        default=[],
        metavar="EXPR",
        help="copper=AEC, optical=all, lane-rate=200, objective=tco, price:PRODUCT=USD, afr:PRODUCT=PERCENT, …",
    )
    compare.add_argument("--format", choices=["text", "json"], default="text")
    add_library_parser(commands)
    return parser


def run_cli(argv: list[str], pdf_writer: PdfWriter | None = None) -> int:
    """Runs one sub-command on `argv` (without the program name); returns the exit code (0, 1 or 2).

    `pdf_writer(result, path)` draws the PDF report (it needs Qt, so main.py passes it only
    for --pdf). Never raises for a user's mistake: it prints one escaped line on stderr.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "sample":
            return _sample(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "report":
            return _report(args, pdf_writer)
        if args.command == "compare":
            return _compare(args)
        if args.command == "library":
            return run_library(args, say)
        return _export(args)
    except RackDesignerError as exc:
        say(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `report ... | head`
        return 0
    except OSError as exc:  # writing to stdout (a full disk behind a redirect)
        say(f"{exc.filename or 'standard output'}: {exc.strerror or exc}")
        return EXIT_USAGE
    finally:
        gc.unfreeze()  # what _load froze is collectable again (the tests run many commands in one process)


def _load(path: Path):
    from model.catalog import default_catalog
    from model.document import Document
    from model.io.files import load_layout
    from model.io.library import user_catalog

    # Device types the user imported (e.g. from NetBox) are part of their catalog; a broken
    # library is said and left out, so a layout that does not use it still opens.
    catalog, warning = user_catalog(default_catalog())
    if warning:
        say(f"warning: {warning}")
    with paused_gc():  # the layout and the document's indexes: objects without cycles (model.bulk)
        # A command reads the layout and edits nothing: its cables are kept as columns
        # (model.layout.CableColumns) and their lookups wait until read.
        document = Document(load_layout(path, catalog, lean=True), catalog, check=False, index_cables=False)
        # They live until the command ends: no pass of the collector need walk them (run_cli unfreezes).
        gc.freeze()
    return document


def _sample(args: argparse.Namespace) -> int:
    from model.catalog import default_catalog
    from model.io.files import dumps_layout, save_layout
    from model.topologies import build_sample
    from model.topologies.hall import hall_figures

    given = {"accelerators": args.accelerators, "fabric": args.fabric, "server": args.server}
    kwargs = {key: value for key, value in given.items() if value is not None}
    if args.accelerators is not None and 2 * args.accelerators > MAX_CABLES:
        # Every accelerator's NIC cable and its uplink: a bigger pod would be a file this
        # tool refuses to read back, after minutes of building it.
        say(
            f"sample {args.name}: {args.accelerators:,} accelerators need over {2 * args.accelerators:,} cables; "
            f"a layout file holds at most {MAX_CABLES:,}"
        )
        return EXIT_USAGE
    try:
        site = build_sample(args.name, **kwargs)
    except (ValueError, TypeError) as exc:
        say(f"sample {args.name}: {exc}")
        return EXIT_USAGE
    if len(site.cables) > MAX_CABLES:  # three tiers: a cable per accelerator per tier
        say(f"sample {args.name}: {len(site.cables):,} cables; a layout file holds at most {MAX_CABLES:,}")
        return EXIT_USAGE
    if args.out is None or args.out == STDOUT:
        sys.stdout.write(dumps_layout(site))
    else:
        save_layout(site, args.out)
        say(f"wrote {args.out}: {site.name}, {_count(len(site.racks), 'rack')}, {_count(len(site.cables), 'cable')}")
    say(f"{site.name}: {hall_figures(site, default_catalog())}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from model.analysis import analyse

    document = _load(args.file)
    site = document.site
    devices = sum(len(r.devices) for r in site.racks)
    problems = analyse(document).problems
    verdict = "valid" if not problems else "readable, with design problems"
    counts = f"{_count(len(site.racks), 'rack')}, {_count(devices, 'device')}, {_count(len(site.cables), 'cable')}"
    summary = f"{args.file}: {verdict}: {counts}"
    print(terminal_safe(summary))
    return _problems_exit(args.file, problems)


def _problems_exit(path: Path, problems: list) -> int:
    """0 when there are no problems; else names their count and the first few on stderr and returns 1."""
    if not problems:
        return 0
    say(f"{path}: {len(problems)} design problem{'s' if len(problems) != 1 else ''}")
    grouped = problem_lines(problems, SHOWN_PROBLEMS)
    if grouped and grouped[-1].startswith("… and "):
        grouped[-1] += " (report --format json lists all)"
    for line in grouped:
        print(f"  {terminal_safe(line)}", file=sys.stderr)
    return EXIT_PROBLEMS


def _report(args: argparse.Namespace, pdf_writer: PdfWriter | None) -> int:
    from model.analysis import analyse

    if args.format is None and args.pdf != STDOUT:
        args.format = "text"
    # Every way the PDF could fail that is known now is said before anything is written.
    if args.pdf is not None:
        if pdf_writer is None:
            say("PDF reports need the Qt libraries (PySide6)")
            return EXIT_USAGE
        if args.pdf == STDOUT and args.format is not None:
            say("--pdf - needs standard output to itself: give --pdf a file, or drop --format")
            return EXIT_USAGE
        _check_output(args.pdf, args.file)
    result = analyse(_load(args.file))
    if args.format == "json":
        from model.report_json import write_report_json

        write_report_json(result, sys.stdout, _utf8_bytes_stdout())
    elif args.format == "csv":
        from model.io.exports import write_cable_schedule

        write_cable_schedule(result, _untranslated_stdout())
    elif args.format == "text":
        sys.stdout.write(text_report(result))
    if args.pdf is not None and pdf_writer is not None:
        pdf_writer(result, args.pdf)
        if args.pdf != STDOUT:
            say(f"wrote {args.pdf}")
    return _problems_exit(args.file, result.problems) if args.strict else 0


def _compare(args: argparse.Namespace) -> int:
    import json

    from model.compare import compare_layout, parse_what_if, scenario_dict, text_comparison
    from model.report_json import finite

    what_ifs = [parse_what_if(expression) for expression in args.what_if]  # WhatIfError: exit 2
    document = _load(args.file)
    items = compare_layout(document.site, document.catalog, what_ifs)
    if args.format == "json":
        payload = {"scenarios": [scenario_dict(item, items[0]) for item in items]}
        sys.stdout.write(json.dumps(finite(payload), indent=1, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("".join(terminal_safe(line) + "\n" for line in text_comparison(items)))
    return 0


def _export(args: argparse.Namespace) -> int:
    from model.analysis import analyse
    from model.io import exports, netbox
    from model.io.files import atomic_text_write

    if args.what == "netbox-set":
        return _export_import_set(args)
    if args.out != STDOUT:
        _check_output(args.out, args.file)
    document = _load(args.file)
    result = analyse(document)
    writers = {
        "schedule": lambda handle: exports.write_cable_schedule(result, handle),
        "bom": lambda handle: exports.write_bom(result, handle),
        "netbox-devices": lambda handle: netbox.write_devices_csv(document, handle),
        "netbox-cables": lambda handle: netbox.write_cables_csv(result, handle),
    }
    if args.out == STDOUT:
        writers[args.what](_untranslated_stdout())
        return 0
    with atomic_text_write(args.out) as handle:
        writers[args.what](handle)
    say(f"wrote {args.out}")
    return 0


def _export_import_set(args: argparse.Namespace) -> int:
    from model.analysis import analyse
    from model.io.netbox_import_set import write_import_set

    if args.out == STDOUT:
        raise FileFormatError("cannot write the NetBox import set to standard output: give a folder with --out")
    document = _load(args.file)
    written = write_import_set(document, analyse(document), args.out)
    say(f"wrote {len(written)} files to {args.out} (import them in the order README.txt gives)")
    return 0


def _check_output(out: Path, source: Path) -> None:
    """Raises FileFormatError when writing `out` would destroy the layout being read
    (`source`) or cannot start: a folder that does not exist, or a folder in its place."""
    # Worded as the writers word a failed save: 'cannot save OUT: why'.
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise FileFormatError(f"cannot save {out}: that is the layout being read; give the output another name")
    if out.is_dir():
        raise FileFormatError(f"cannot save {out}: it is a folder; give a file name")
    if not out.resolve().parent.is_dir():
        raise FileFormatError(f"cannot save {out}: no such folder {out.resolve().parent}")


def _count(n: int, noun: str) -> str:
    """'1 rack', '2 racks'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _utf8_bytes_stdout():
    """The binary stream under standard output when its text is UTF-8 and its line breaks are
    written as they are (POSIX), else None: the JSON report writes its cables there as bytes."""
    import codecs
    import os

    buffer, encoding = getattr(sys.stdout, "buffer", None), getattr(sys.stdout, "encoding", None)
    if buffer is None or not encoding or os.linesep != "\n" or codecs.lookup(encoding).name != "utf-8":
        return None
    return buffer


def _untranslated_stdout():
    # CSV rows end with CRLF themselves; a stdout that turns "\n" into "\r\n" (Windows) would double the CR.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(newline="")
    return sys.stdout


def text_report(result) -> str:
    """The plain-text report of an AnalysisResult: totals, bill of materials, the first 200
    problems (those of one cause as one line with a count and their ids).

    Every line is escaped for a terminal (names may hold tabs and line breaks).
    """
    t = result.totals
    lines = [
        f"Layout: {result.layout_name}",
        # Thousands separated, as the cost is: a 100,000-accelerator pod's 300000 cables and
        # 195248.2 kW were hard to read beside its $710,451,914.
        f"Accelerators: {result.accelerators:,}",
        f"Cables: {t['cables']:,}"
        + _in_brackets(
            [f"{m} {n:,}" for m, n in t["by_medium"].items() if n]
            + ([f"unresolved {t['unresolved']:,}"] if t["unresolved"] else [])
            + ([f"not orderable {t['unorderable']:,}"] if t["unorderable"] else [])
        ),
        f"Power: {t['power_w'] / 1000:,.1f} kW (devices {t['device_power_w'] / 1000:,.1f} kW, "
        f"cables {t['cable_power_w'] / 1000:,.2f} kW)",
        f"Cable cost: ${t['cost_usd']:,.0f}",
        "Attach ratios per accelerator (cables bought, a breakout once): "
        + (
            ", ".join(f"{m} {r:.2f}" for m, r in result.attach_ratios.items() if r)
            if result.accelerators
            else "none (no accelerators in this layout)"
        ),
        *(
            ["Links per accelerator (each breakout leg): " + ", ".join(f"{m} {r:.2f}" for m, r in legs.items() if r)]
            if (legs := result.leg_attach_ratios) != result.attach_ratios
            else []
        ),
        "Equivalent cables per accelerator: "
        + (
            ", ".join(f"{r:.2f} x {rate}G" for rate, r in result.equivalent_per_accelerator.items())
            if result.accelerators
            else "none (no accelerators in this layout)"
        ),
        "",
        "Bill of materials:",
    ]
    for line in result.bom:
        lines.append(
            f"  {line.quantity:6d} x {line.product_id}{_bom_length(line.ordered_length_m)}  "
            f"@ ${_money(line.unit_cost_usd)} = ${_money(line.total_usd)}"
            + (f"  (twin-port: each cable carries {line.links_per_cable} links)" if line.links_per_cable > 1 else "")
            + (f"  (estimated: {', '.join(line.estimated)})" if line.estimated else "")
        )
    if t["unorderable"]:
        lines.append(f"  {not_orderable_note(t['unorderable'])}")
    problems = result.problems
    lines.append("")
    lines.append(f"Problems: {len(problems)}")
    # Problems of one cause (32 cables with no pathway between two racks) are one line with a count.
    grouped = problem_lines(problems, 200)
    if grouped and grouped[-1].startswith("… and "):
        grouped[-1] += " (use --format json for all)"
    lines.extend(f"  {line}" for line in grouped)
    # Names and labels may hold line breaks and tabs: each line stays one escaped line.
    return "\n".join(terminal_safe(line) for line in lines) + "\n"


def _in_brackets(parts: list[str]) -> str:
    """'  (DAC 96, AEC 64)', or nothing when there is nothing to list."""
    return f"  ({', '.join(parts)})" if parts else ""


def _bom_length(metres: float) -> str:
    """' 5 m' for a cable's orderable length; nothing for a transceiver (length 0: a module)."""
    return f" {metres:g} m" if metres else ""


def _money(usd: float) -> str:
    """Whole dollars when the amount is whole, else to the cent: 148 × 80 reads $147.50 × 80 = $11,800.00."""
    cents = round(usd * 100)
    return f"{cents // 100:,}" if cents % 100 == 0 else f"{usd:,.2f}"
