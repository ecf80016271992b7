"""Reports of scale-out layouts from the command line: prints figures, asserts nothing.

    python bench/report.py [--sizes 1000 10000 100000] [--repeat 3] [--pdf] [--markdown]

For each size a scale-out pod is saved to a temporary file; then every figure is the
median of --repeat runs, each in a new process (start, read the file, analyse, write):

- the engine's full analysis of the file's layout, read the way the command line reads
  it, timed inside its process: the yardstick every other figure is also given as a
  multiple of, from the same run of this script;
- `report --format json`, `report --format csv` and, with --pdf, `report --pdf` (the whole
  printable report with two labels per cable; past gui.printing.LARGE_LAYOUT_CABLES cables a
  rack page lists one page of the rack's cables), end to end, with the PDF's page count.

Each figure has its wall time, its CPU time (user + system: less swayed by other work on
a shared machine) and the process's peak RSS. The load average is printed; --markdown
also prints the rows of the README's table.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Run in a child: read the file as the command line does, analyse, print seconds of each.
_ANALYSE = """
import sys, time
sys.path.insert(0, {root!r})
from model.analysis import Analysis
from model.cli import _load
t0 = time.perf_counter()
document = _load({path!r})
t1, c1 = time.perf_counter(), time.process_time()
result = Analysis(document).result
_ = result.totals, result.bom, result.problems
print(t1 - t0, time.perf_counter() - t1, time.process_time() - c1)
"""


def _child(args: list[str], out: Path) -> tuple[float, float, float, str]:
    """Wall s, CPU s, peak RSS MiB and standard output's text of `python ARGS > out`."""
    t0 = time.perf_counter()
    with open(out, "wb") as handle:
        child = subprocess.Popen(
            [sys.executable, *args],
            stdout=handle,
            stderr=subprocess.PIPE,
            env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        )
        assert child.stderr is not None
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if child.returncode not in (0, 1):
        raise RuntimeError(errors.decode(errors="replace"))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read_text(errors="replace")


class Figure:
    """Medians of repeated runs of one thing."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.peak: list[float] = []

    def add(self, wall: float, cpu: float, peak: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.peak.append(peak)

    def seconds(self) -> float:
        return statistics.median(self.wall)

    def text(self, yardstick: float) -> str:
        wall, cpu, peak = (statistics.median(v) for v in (self.wall, self.cpu, self.peak))
        text = f"{wall:6.2f} s = {wall / yardstick:4.1f} × analysis (CPU {cpu:5.2f} s, peak {peak:5.0f} MiB)"
        return text + (f", {self.note}" if self.note else "")

    note = ""  # what else the run says, e.g. the PDF's page count


def _pdf_pages(pdf: Path) -> str:
    """'N pages' of `pdf` as poppler's pdfinfo counts them, '' without pdfinfo."""
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "")
    return f"{int(pages):,} pages, {pdf.stat().st_size / 2**20:,.0f} MiB" if pages else ""


def run(accelerators: int, repeat: int, pdf: bool, folder: Path) -> dict[str, object]:
    path = folder / f"pod{accelerators}.json"
    # Written by `main.py sample` in a process of its own: Linux counts the RSS a child had
    # before its exec (this process's, when it forks) in the child's peak, so a pod built
    # here would show as every later figure's peak.
    sample = [str(ROOT / "main.py"), "sample", "scaleout-pod", "--accelerators", str(accelerators), "--out", str(path)]
    said = subprocess.run([sys.executable, *sample], capture_output=True, text=True, check=True).stderr
    cables = int(re.search(r"([\d,]+) cables", said).group(1).replace(",", ""))  # type: ignore[union-attr]
    commands = {
        "json": ["report", str(path), "--format", "json"],
        "csv": ["report", str(path), "--format", "csv"],
    }
    if pdf:
        commands["pdf"] = ["report", str(path), "--pdf", str(folder / "out.pdf")]
    analysis, read, analysis_cpu = Figure(), [], []
    figures = {name: Figure() for name in commands}
    for _ in range(repeat):  # interleaved, so a busy spell of the machine falls on every figure alike
        wall, cpu, peak, text = _child(["-c", _ANALYSE.format(root=str(ROOT), path=str(path))], folder / "times")
        reading, analysing, analysing_cpu = (float(v) for v in text.split())
        read.append(reading)
        analysis_cpu.append(analysing_cpu)  # the analysis' own CPU: less swayed by a busy machine than its wall time
        analysis.add(analysing, cpu, peak)  # CPU and peak: the whole process, reading included
        for name, args in commands.items():
            figures[name].add(*_child([str(ROOT / "main.py"), *args], folder / "out")[:3])
    if pdf:
        figures["pdf"].note = _pdf_pages(folder / "out.pdf")
    yardstick = analysis.seconds()
    print(
        f"{accelerators:>7,} accelerators | {cables:>9,} cables | full analysis {yardstick:6.3f} s "
        f"(CPU {statistics.median(analysis_cpu):5.2f} s; reading the file {statistics.median(read):5.2f} s; "
        f"process CPU {statistics.median(analysis.cpu):5.2f} s, "
        f"peak {statistics.median(analysis.peak):5.0f} MiB) | "
        + " | ".join(f"{name} {figure.text(yardstick)}" for name, figure in figures.items())
    )
    sys.stdout.flush()
    return {
        "accelerators": accelerators,
        "cables": cables,
        "analysis": analysis,
        "analysis_cpu": statistics.median(analysis_cpu),
        "figures": figures,
    }


_HEADERS = {"json": "`report --format json`", "csv": "`report --format csv`", "pdf": "`report --pdf`"}


def _markdown(rows: list[dict], load: float) -> None:
    names = list(rows[0]["figures"]) if rows else []
    print(
        f"\n| accelerators | cables | full analysis (its CPU, process peak) | {' | '.join(_HEADERS.get(n, n) for n in names)} |"
    )
    print("|---" * (3 + len(names)) + "|")
    for row in rows:
        analysis: Figure = row["analysis"]  # type: ignore[assignment]
        yardstick = analysis.seconds()
        cells = [
            f"{f.seconds():.1f} s = {f.seconds() / yardstick:.1f} × (CPU {statistics.median(f.cpu):.1f} s, "
            f"{statistics.median(f.peak):.0f} MiB{'; ' + f.note if f.note else ''})"
            for f in row["figures"].values()  # type: ignore[attr-defined]
        ]
        print(
            f"| {row['accelerators']:,} | {row['cables']:,} | {yardstick:.2f} s (CPU {row['analysis_cpu']:.2f} s, "
            f"{statistics.median(analysis.peak):.0f} MiB) | " + " | ".join(cells) + " |"
        )
    print(f"\n(load average {load:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; each figure is their median")
    parser.add_argument("--pdf", action="store_true", help="also time `report --pdf`")
    parser.add_argument("--markdown", action="store_true", help="also print the README table's rows")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    with tempfile.TemporaryDirectory() as folder:
        rows = [run(size, args.repeat, args.pdf, Path(folder)) for size in args.sizes]
    load = os.getloadavg()[0]
    print(
        f"load average {load:.1f} on {os.cpu_count()} cores at the end (other work on the machine slows every figure)"
    )
    if args.markdown:
        _markdown(rows, load)


if __name__ == "__main__":
    main()
