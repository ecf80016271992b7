"""A 1,000,000-accelerator scale-out pod (2,000,000 cables): prints figures, asserts nothing.

    python bench/million.py [--accelerators 1000000]

Builds the pod in memory (past the layout's hostile-input limits, lifted in this process
only: see lift_file_limits), analyses it in full, writes the JSON report and the CSV
schedule to a temporary folder, then saves the layout and asks the command line to
read it back (`validate`), printing what it says. Each step's time, the peak memory
of this process, and each figure as a multiple of the full analysis.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.analysis import Analysis  # noqa: E402
from model.document import Document  # noqa: E402
from model.io.exports import write_cable_schedule  # noqa: E402
from model.io.files import dumps_layout  # noqa: E402
from model.report_json import write_report_json  # noqa: E402
from model.topologies.scaleout import build_scaleout_pod  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lift_file_limits() -> None:
    """The layout's hostile-input limits (model.layout: MAX_TRAY_POINTS per tray, MAX_CABLES)
    refuse a pod this size; the engine has no such limit. Lifted in this process only, so
    the engine's figures can be measured; the saved file is then read back with them on."""
    from annotated_types import MaxLen

    from model import layout

    for model, field in ((layout.Tray, "points"), (layout.Site, "cables"), (layout.Site, "racks")):
        info = model.model_fields[field]
        info.metadata = [m for m in info.metadata if not isinstance(m, MaxLen)]
        model.model_rebuild(force=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accelerators", type=int, default=1_000_000)
    args = parser.parse_args()
    lift_file_limits()
    t0 = time.perf_counter()
    try:
        site = build_scaleout_pod(accelerators=args.accelerators)
    except ValueError as exc:  # the three-tier sample stops at 746,496 accelerators (144-port switches)
        print(f"{args.accelerators:,} accelerators: the sample refuses to build it: {exc}")
        return
    built = time.perf_counter() - t0
    document = Document(site, check=False)
    t0 = time.perf_counter()
    result = Analysis(document).result
    _ = result.problems, result.bom
    full = time.perf_counter() - t0
    after_analysis = _peak_mib()
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        with open(Path(folder) / "report.json", "w", encoding="utf-8") as handle:
            write_report_json(result, handle)
        to_json = time.perf_counter() - t0
        t0 = time.perf_counter()
        with open(Path(folder) / "schedule.csv", "w", encoding="utf-8", newline="") as handle:
            write_cable_schedule(result, handle)
        to_csv = time.perf_counter() - t0
        path = Path(folder) / "pod.json"
        t0 = time.perf_counter()
        path.write_text(dumps_layout(site), encoding="utf-8")
        saved = time.perf_counter() - t0
        size = path.stat().st_size
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "validate", str(path)], capture_output=True, text=True, check=False
        )
        opened = time.perf_counter() - t0
    said = (done.stdout + done.stderr).strip().splitlines()
    print(
        f"{args.accelerators:,} accelerators | {len(result.cable_ids):,} cables | build {built:.1f} s | "
        f"full analysis {full:.2f} s (peak RSS {after_analysis:,.0f} MiB) | JSON report {to_json:.1f} s = "
        f"{to_json / full:.1f} × | CSV schedule {to_csv:.1f} s = {to_csv / full:.1f} × | peak RSS {_peak_mib():,.0f} MiB"
    )
    print(
        f"saved {size / 1e6:,.0f} MB in {saved:.1f} s; `validate` on it: exit {done.returncode} after {opened:.1f} s: "
        f"{said[0] if said else ''}"
    )


if __name__ == "__main__":
    main()
