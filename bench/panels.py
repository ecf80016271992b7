"""Links through patch panels: prints figures, asserts nothing.

    python bench/panels.py [SERVERS ...]

For each count of 8-NIC servers: every NIC is one link (cord to a panel, MPO trunk to a
far panel, cord to a leaf), so 8 links and 24 cables per server. Prints the time to load
and analyse the layout in full, and to re-analyse after moving one server (a layout with
links re-analyses in full: model.structured chooses each link whole).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.commands import MoveDevice  # noqa: E402
from model.document import Document  # noqa: E402
from model.io.files import loads_layout  # noqa: E402
from model.session import Session  # noqa: E402


def layout(servers: int) -> str:
    """A layout of `servers` servers in racks of 4, panels in network racks of 40, leaves in
    racks of 20 (each 2U), a tray over the row."""
    racks, cables = [], []
    links = servers * 8
    panels = -(-links // 24)
    leaves = -(-links // 64)
    for s in range(servers):
        rack = f"S{s // 4}"
        if not any(r["id"] == rack for r in racks):
            racks.append({"id": rack, "x_mm": 600 * (s // 4), "y_mm": 0, "devices": []})
        r = next(r for r in racks if r["id"] == rack)
        r["devices"].append({"id": f"srv{s}", "type": "server-8gpu-800g", "u_position": 1 + 9 * (s % 4)})
    x = 600 * (servers // 4 + 1)

    def rack(name: str) -> dict:
        nonlocal x
        racks.append({"id": name, "x_mm": x, "y_mm": 0, "devices": []})
        x += 600
        return racks[-1]

    for p in range(panels):
        if p % 40 == 0:
            near, far = rack(f"NA{p // 40}"), rack(f"NB{p // 40}")
        near["devices"].append({"id": f"pa{p}", "type": "patch-panel-1u-24", "u_position": 48 - p % 40})
        far["devices"].append({"id": f"pb{p}", "type": "patch-panel-1u-24", "u_position": 48 - p % 40})
    for k in range(leaves):
        if k % 20 == 0:
            leaf_rack = rack(f"NL{k // 20}")
        leaf_rack["devices"].append({"id": f"leaf{k}", "type": "switch-51t2-64x800g", "u_position": 1 + 2 * (k % 20)})
    for i in range(links):
        s, nic, p, port = i // 8, i % 8 + 1, i // 24, i % 24 + 1
        cables += [
            {"id": f"in{i}", "a": f"srv{s}:nic{nic}", "b": f"pa{p}:f{port}"},
            {"id": f"t{i}", "a": f"pa{p}:r{port}", "b": f"pb{p}:r{port}"},
            {"id": f"out{i}", "a": f"pb{p}:f{port}", "b": f"leaf{i // 64}:p{i % 64 + 1}"},
        ]
    xmax = x + 1000
    site = {
        "kind": "rack-designer-layout",
        "schema_version": 1,
        "name": "panels",
        "racks": racks,
        "trays": [{"id": "T", "points": [[-1000, 0], [xmax, 0]], "elevation_mm": 2450}],
        "cables": cables,
    }
    return json.dumps(site)


def main() -> None:
    """Prints the figures for each size given (default 12 and 48 servers)."""
    for servers in [int(a) for a in sys.argv[1:]] or [12, 48, 192]:
        links = servers * 8
        text = layout(servers)
        t = time.perf_counter()
        session = Session(Document(loads_layout(text, "bench.json")))
        print(f"{links} links ({3 * links} cables): load and full analysis {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        session.apply(MoveDevice(session.document, "srv0", "S0", 40, "front"))
        print(f"  move one server: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
