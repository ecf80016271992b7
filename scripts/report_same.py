"""Are the command line's reports the same bytes as an earlier commit's? For speed work.

    python scripts/report_same.py LAYOUT.json [--before REV] [--formats json csv]

Runs `python main.py report LAYOUT --format F` with the code of commit REV (default
HEAD, unpacked with `git archive` into a temporary folder) and with this working tree,
both in new processes, and compares their outputs byte for byte; prints each run's wall
and CPU seconds and, where they differ, the first line that does. Exit 0 when every
format is the same, 1 otherwise. Make a layout with e.g.
`python main.py sample scaleout-pod --accelerators 100000 --out pod.json`.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _unpack(rev: str, folder: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


def _report(tree: Path, layout: Path, fmt: str, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one report written to `out`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(out, "wb") as handle:
        done = subprocess.run(
            [sys.executable, str(tree / "main.py"), "report", str(layout), "--format", fmt],
            stdout=handle,
            stderr=subprocess.PIPE,
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
            check=False,
        )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree}: {done.stderr.decode(errors='replace').strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _first_difference(old: Path, new: Path) -> str:
    with open(old, "rb") as a, open(new, "rb") as b:
        for number, (x, y) in enumerate(zip(a, b), 1):
            if x != y:
                return f"line {number}:\n  before: {x[:200]!r}\n  now:    {y[:200]!r}"
    return "one output is a prefix of the other"


def _digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("layout", type=Path)
    parser.add_argument("--before", default="HEAD", help="the commit to compare with (default HEAD)")
    parser.add_argument("--formats", nargs="+", default=["json", "csv"], choices=["json", "csv", "text"])
    args = parser.parse_args()
    layout = args.layout.resolve()
    same = True
    with tempfile.TemporaryDirectory() as folder:
        old_tree = Path(folder) / "before"
        _unpack(args.before, old_tree)
        for fmt in args.formats:
            old, new = Path(folder) / f"before.{fmt}", Path(folder) / f"now.{fmt}"
            old_wall, old_cpu = _report(old_tree, layout, fmt, old)
            new_wall, new_cpu = _report(ROOT, layout, fmt, new)
            verdict = "same bytes" if _digest(old) == _digest(new) else "DIFFERENT"
            print(
                f"{fmt}: {verdict} ({os.path.getsize(new):,} bytes, sha256 {_digest(new)}); "
                f"{args.before}: {old_wall:.2f} s wall, {old_cpu:.2f} s CPU; now: {new_wall:.2f} s wall, {new_cpu:.2f} s CPU"
            )
            if verdict != "same bytes":
                same = False
                print(_first_difference(old, new))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
