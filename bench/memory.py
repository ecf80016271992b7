"""Where a command-line run's memory goes, and its peak: prints figures, asserts nothing.

    python bench/memory.py [--sizes 100000] [--file LAYOUT.json] [--trace]

For each size a scale-out pod is written to a temporary file by `main.py sample` (or
--file is read as it is). Then, each in a new process:

- the stages of a report, read as the command line reads them: the process's resident
  memory (RSS) and its peak so far after the imports, reading the file (parse, validation,
  catalog rules, the document), the full analysis (timed: the yardstick of the run) and
  writing the JSON report to /dev/null; with --trace also the Python heap by tracemalloc
  after each stage (slower: tracing costs time and memory of its own);
- `validate`, `report --format json` and `report --format csv`, end to end: wall and CPU
  seconds, each also as a multiple of that full analysis, and the peak RSS;
- the file read as the app reads it (every cable a Cable model, every lookup built; the
  command line reads cables as columns, model.layout.CableColumns): RSS and peak.

Peaks are the kernel's (ru_maxrss), in MiB. This process builds nothing itself: Linux
counts the RSS a child had before its exec (this process's, when it forks) in the child's
peak. The load average is printed: other work on a shared machine slows every time, but
not the memory figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Run in a child: the stages of a report, each with the RSS now and the peak so far (MiB).
_STAGES = """
import os, resource, sys, time
sys.path.insert(0, {root!r})
trace = {trace!r}
if trace:
    import tracemalloc
    tracemalloc.start()
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))
def say(stage, seconds=None):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    heap = f"; Python heap {{tracemalloc.get_traced_memory()[0] / 2**20:,.0f}} MiB" if trace else ""
    took = f" in {{seconds:.2f}} s" if seconds is not None else ""
    print(f"  {{stage:<28}} RSS {{rss():6,.0f}} MiB, peak so far {{peak:6,.0f}} MiB{{heap}}{{took}}", flush=True)
from model.analysis import Analysis
from model.cli import _load
from model.report_json import write_report_json
say("imports")
t0 = time.perf_counter()
document = _load({path!r})
say("read (layout + document)", time.perf_counter() - t0)
t0 = time.perf_counter()
result = Analysis(document).result
_ = result.totals, result.bom, result.problems
analysis = time.perf_counter() - t0
say("full analysis", analysis)
t0 = time.perf_counter()
with open(os.devnull, "w", encoding="utf-8") as handle:
    write_report_json(result, handle)
say("JSON report written", time.perf_counter() - t0)
print("ANALYSIS", analysis)
"""


# Run in a child: the layout read as the app reads it, the RSS and peak after (MiB).
_APP_READ = """
import resource, sys
sys.path.insert(0, {root!r})
import model.analysis, model.cli, model.report_json  # the same imports as the stages above
from model.catalog import default_catalog
from model.document import Document
from model.io.files import load_layout
catalog = default_catalog()
document = Document(load_layout({path!r}, catalog), catalog, check=False)
with open("/proc/self/status") as status:
    rss = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))
print(f"  read as the app reads it     RSS {{rss:6,.0f}} MiB, peak {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6,.0f}} MiB")
"""


def _child(args: list[str]) -> tuple[float, float, float, str]:
    """Wall s, CPU s, peak RSS MiB and standard output of `python ARGS` (its output to a pipe)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen([sys.executable, *args], stdout=out, stderr=subprocess.PIPE)
        assert child.stderr is not None
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # 1: valid, with design problems
            raise RuntimeError(f"{' '.join(args)}: exit {code}: {errors.decode(errors='replace').strip()}")
        out.seek(0)
        # Only the output of a script of ours is read (with its errors): a report's is hundreds of MB.
        text = (out.read() + errors).decode(errors="replace") if args[0] == "-c" else ""
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def write_sample(accelerators: int, path: Path) -> str:
    """Writes the scale-out pod of `accelerators` to `path` with `main.py sample` in a new
    process; returns what it took (wall s, peak RSS) as text. RuntimeError if it refuses."""
    args = [str(ROOT / "main.py"), "sample", "scaleout-pod", "--accelerators", str(accelerators), "--out", str(path)]
    wall, _, peak, _ = _child(args)
    if not path.exists():
        raise RuntimeError(f"main.py sample wrote no {path.name}")
    return f"written by `main.py sample` in {wall:.0f} s (peak RSS {peak:,.0f} MiB)"


def measure(path: Path, label: str, trace: bool) -> None:
    """Prints the stages and the end-to-end figures of the layout file at `path`."""
    print(f"{label}: stages of a JSON report in one process")
    _, _, peak, text = _child(["-c", _STAGES.format(root=str(ROOT), path=str(path), trace=trace)])
    lines = text.splitlines()
    print("\n".join(line for line in lines if not line.startswith("ANALYSIS")))
    analysis = float(next(line.split()[1] for line in lines if line.startswith("ANALYSIS")))
    print(f"  peak of that process {peak:,.0f} MiB; full analysis {analysis:.2f} s")
    for name, args in (
        ("validate", ["validate", str(path)]),
        ("report --format json", ["report", str(path), "--format", "json"]),
        ("report --format csv", ["report", str(path), "--format", "csv"]),
    ):
        wall, cpu, peak, _ = _child([str(ROOT / "main.py"), *args])
        print(
            f"  {name:<21} {wall:6.2f} s = {wall / analysis:4.1f} × the analysis (CPU {cpu:6.2f} s), peak RSS {peak:6,.0f} MiB"
        )
    print(_child(["-c", _APP_READ.format(root=str(ROOT), path=str(path))])[3].rstrip())
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000], help="accelerators of scale-out pods")
    parser.add_argument("--file", type=Path, help="measure this layout file instead of building pods")
    parser.add_argument("--trace", action="store_true", help="also the Python heap after each stage (tracemalloc)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    if args.file is not None:
        measure(args.file, str(args.file), args.trace)
    else:
        with tempfile.TemporaryDirectory() as folder:
            for size in args.sizes:
                path = Path(folder) / f"pod{size}.json"
                took = write_sample(size, path)
                measure(path, f"{size:,} accelerators ({path.stat().st_size / 1e6:,.0f} MB, {took})", args.trace)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end")


if __name__ == "__main__":
    main()
