"""Reports of scale-out layouts: prints figures, asserts nothing.

    python bench/report.py [--sizes 1000 10000 100000] [--pdf]

For each size, a scale-out pod saved to a temporary file and, with the engine's full
analysis of the same layout in the same run as the yardstick (each figure is also
given as a multiple of it):

- the command line end to end (a new process: start, read, analyse, write to a file):
  `report --format json`, `report --format csv`, and with --pdf `report --pdf` with
  every part of the report, cable labels included;
- in this process: reading the file, the full analysis, writing the JSON report and
  the CSV schedule, and the peak memory of those steps.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.analysis import Analysis  # noqa: E402
from model.cli import _load  # noqa: E402
from model.io.exports import write_cable_schedule  # noqa: E402
from model.io.files import save_layout  # noqa: E402
from model.report_json import write_report_json  # noqa: E402
from model.topologies.scaleout import build_scaleout_pod  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(work) -> float:
    t0 = time.perf_counter()
    work()
    return time.perf_counter() - t0


def _cli(args: list[str], out: Path) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB) of `python main.py ARGS > out` in a new process."""
    t0 = time.perf_counter()
    with open(out, "wb") as handle:
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args],
            stdout=handle,
            stderr=subprocess.PIPE,
            env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
            check=False,
        )
    wall = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode(errors="replace"))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak


def run(accelerators: int, pdf: bool, folder: Path) -> None:
    path = folder / f"pod{accelerators}.json"
    save_layout(build_scaleout_pod(accelerators=accelerators), path)
    document = None

    def load() -> None:
        nonlocal document
        document = _load(path)

    read = _timed(load)
    assert document is not None
    done: list[Analysis] = []

    def analyse() -> None:
        done.append(Analysis(document))
        _ = done[0].result.problems, done[0].result.bom

    full = _timed(analyse)
    result = done[0].result
    to_json = _timed(lambda: write_report_json(result, io.StringIO()))
    to_csv = _timed(lambda: write_cable_schedule(result, io.StringIO()))
    peak = _peak_mib()
    cables = len(result.cable_ids)
    figures = [("json", ["report", str(path), "--format", "json"]), ("csv", ["report", str(path), "--format", "csv"])]
    if pdf:
        pdf_path = folder / f"pod{accelerators}.pdf"
        figures.append(("pdf (labels left out past 50,000 cables)", ["report", str(path), "--pdf", str(pdf_path)]))
    cli = []
    for name, args in figures:
        wall, child_peak = _cli(args, folder / "out")
        cli.append(f"{name} {wall:6.2f} s = {wall / full:5.1f} × analysis")
    print(
        f"{accelerators:>7} accelerators | {cables:>7} cables | full analysis {full:6.3f} s | "
        f"command line: {'; '.join(cli)} (peak of the children {child_peak:5.0f} MiB) | "
        f"in process: read {read:5.2f} s, JSON {to_json:5.2f} s = {to_json / full:4.1f} ×, "
        f"CSV {to_csv:5.2f} s = {to_csv / full:4.1f} × | peak RSS {peak:5.0f} MiB"
    )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--pdf", action="store_true", help="also time the PDF report, labels included")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            run(size, args.pdf, Path(folder))
        print(
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows every figure alike)"
        )


if __name__ == "__main__":
    main()
