"""Engine speed on scale-out layouts: prints figures, asserts nothing.

    python bench/engine.py [--sizes 1000 10000 100000]

For each size: cables, full analysis time (columns, routes, selection, fill,
metrics), µs per cable, time to re-analyse after moving one device and after moving
the busiest rack that can move a slot, after deleting a server with its cables and
after adding it back (all incremental), and peak memory.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.analysis import Analysis  # noqa: E402
from model.document import Document  # noqa: E402
from model.topologies.scaleout import build_scaleout_pod  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _free_slot(document: Document, device_id: str) -> tuple[str, int]:
    """A place the device can move to: higher in its own rack, or another rack's free U."""
    rack = document.device_rack[device_id]
    device = document.devices[device_id]
    for candidate in [rack, *document.site.racks]:
        for u in range(candidate.height_u, 0, -1):
            if (candidate.id, u) == (rack.id, device.u_position):
                continue
            try:
                document.check_placement(candidate.id, device.model_copy(update={"u_position": u}), ignore=device_id)
            except Exception:
                continue
            return candidate.id, u
    raise RuntimeError("no free slot")


def _rack_moves(document: Document, analysis: Analysis, moves: int) -> tuple[int, float]:
    """Moves the rack with most cables that has a free slot beside it there and back."""
    for rack in sorted(document.site.racks, key=lambda r: -len(document.cables_of_rack(r.id))):
        home = (rack.x_mm, rack.y_mm)
        try:
            document.move_rack(rack.id, rack.x_mm + rack.width_mm, rack.y_mm)
        except Exception:
            continue
        timings = []
        for i in range(moves):
            t0 = time.perf_counter()
            document.move_rack(rack.id, home[0] + rack.width_mm * (i % 2), home[1])
            _ = analysis.result.totals
            timings.append(time.perf_counter() - t0)
        document.move_rack(rack.id, *home)
        timings.sort()
        return len(document.cables_of_rack(rack.id)), timings[len(timings) // 2]
    return 0, float("nan")


def _add_and_delete(document: Document, analysis: Analysis, server: str, repeats: int) -> tuple[float, float]:
    """Median ms to delete a server with its cables, and to add it back (the device, then its cables)."""
    delete, add = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        removed = document.remove_device(server)
        _ = analysis.result.totals
        delete.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        document.place_device(removed.rack_id, removed.device, removed.index)
        document._restore_cables(removed.cables)
        _ = analysis.result.totals
        add.append(time.perf_counter() - t0)
    return sorted(delete)[repeats // 2] * 1000, sorted(add)[repeats // 2] * 1000


def run(accelerators: int, moves: int) -> None:
    t0 = time.perf_counter()
    site = build_scaleout_pod(accelerators=accelerators)
    built = time.perf_counter() - t0
    document = Document(site, check=False)
    gc.collect()
    t0 = time.perf_counter()
    analysis = Analysis(document)
    result = analysis.result
    _ = result.totals, result.bom, result.problems
    full = time.perf_counter() - t0
    cables = len(site.cables)
    server = next(d.id for r in site.racks for d in r.devices if d.type == "server-8gpu-800g")
    timings = []
    for _ in range(moves):
        rack_id, u = _free_slot(document, server)
        t0 = time.perf_counter()
        document.move_device(server, rack_id, u)
        _ = analysis.result.totals
        timings.append(time.perf_counter() - t0)
    timings.sort()
    rack_timings = _rack_moves(document, analysis, moves)
    full_runs = analysis.full_runs
    delete_ms, add_ms = _add_and_delete(document, analysis, server, moves)
    edits = "incremental" if analysis.full_runs == full_runs else "FULL RE-ANALYSIS"
    media = ", ".join(f"{m} {n}" for m, n in result.totals["by_medium"].items() if n)
    print(
        f"{accelerators:>7} accelerators | {cables:>7} cables ({media}) | build {built:6.2f} s | "
        f"full analysis {full:6.3f} s = {full / max(cables, 1) * 1e6:5.2f} µs/cable | "
        f"move one device: median {timings[len(timings) // 2] * 1000:6.2f} ms, worst {timings[-1] * 1000:6.2f} ms | "
        f"move the busiest movable rack ({rack_timings[0]} cables): median {rack_timings[1] * 1000:6.1f} ms | "
        f"delete a server with its cables {delete_ms:6.1f} ms, add it back {add_ms:6.1f} ms ({edits}) | "
        f"peak RSS {_peak_mib():7.0f} MiB | problems {len(result.problems)}"
    )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--moves", type=int, default=9)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.moves)
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows every figure alike)"
    )


if __name__ == "__main__":
    main()
