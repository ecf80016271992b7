"""Edits beside breakouts: prints figures, asserts nothing.

    python bench/breakouts.py [--accelerators 8192] [--repeat 3]

Builds the scale-out pod, puts a 400G server and an 800G switch in its emptiest rack with
one breakout (800G -> 2 x 400G) between them, then times taking that breakout out and
putting it back, and connecting and disconnecting a straight cable beside it; says how
many of those edits were full re-analyses and how many incremental (model.structure_edits).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.analysis import Analysis  # noqa: E402
from model.document import Document  # noqa: E402
from model.layout import Cable, Device  # noqa: E402
from model.topologies import build_sample  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accelerators", type=int, default=8192)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = Document(build_sample("scaleout-pod", accelerators=args.accelerators))
    catalog = doc.catalog
    rack = min(doc.site.racks, key=lambda r: sum(catalog.devices[d.type].u_height for d in r.devices))
    top = max([d.u_position + catalog.devices[d.type].u_height for d in rack.devices] + [1])
    doc.place_device(rack.id, Device(id="bench-srv", type="server-8gpu-400g", u_position=top))
    doc.place_device(rack.id, Device(id="bench-sw", type="switch-51t2-64x800g", u_position=top + 9))
    breakout = Cable(id="bench-bo", a="bench-sw:p1", b=["bench-srv:nic1", "bench-srv:nic2"])
    doc.connect(breakout)
    analysis = Analysis(doc)
    print(f"{len(doc.site.cables):,} cables, {len(analysis.compiled.cable_ids):,} rows (a breakout: a row per leg)")
    edits = {
        "breakout out": lambda: doc.disconnect("bench-bo"),
        "breakout in": lambda: doc.connect(breakout),
        "straight in": lambda: doc.connect(Cable(id="bench-c", a="bench-sw:p2", b="bench-srv:nic3")),
        "straight out": lambda: doc.disconnect("bench-c"),
    }
    times: dict[str, list[float]] = {name: [] for name in edits}
    full, incremental = analysis.full_runs, analysis.incremental_runs
    for _ in range(args.repeat):
        for name, edit in edits.items():
            start = time.perf_counter()
            edit()
            times[name].append(time.perf_counter() - start)
    for name, values in times.items():
        print(f"{name:>13}: " + ", ".join(f"{1000 * v:.0f} ms" for v in values))
    print(f"full runs {analysis.full_runs - full}, incremental {analysis.incremental_runs - incremental}")


if __name__ == "__main__":
    main()
