"""The largest scale-out pods as files: built, saved, opened, analysed and reported; prints
figures, asserts nothing.

    python bench/million.py [--accelerators 1000000] [--app] [--trace]

Writes the samples' scale-out pod to a temporary file with `main.py sample scaleout-pod`
(in a process of its own: see bench/memory.py); then, each in a new process, as
bench/memory.py does: the stages of a report read as the command line reads it (the
read, the full analysis, the JSON report; RSS and peak after each), and `validate`,
`report --format json` and `report --format csv` end to end with their peak RSS. With
--app, also File ▸ Open in the app's main window (offscreen) until it shows the layout,
with the longest freeze and the peak RSS then, after a server deleted and put back (undo),
and after a zoom in on a rack has drawn every route of the hall (the peak of a session).

The sample builds up to 1,000,000 accelerators: beyond the 746,496 that three tiers of
144-port Quantum-X800 switches reach, the rails split into two planes of three tiers each
(model.topologies.fabric), 3,000,000 cables, the most a file may hold. For a size it
refuses the bench says why and tries nothing; the default is 1,000,000 accelerators.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.memory import _child, measure, write_sample  # noqa: E402

# Run in a child: the app's main window, offscreen, opening the file (bench/gui.py's measure_open).
_APP = """
import os, resource, sys
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, {root!r})
from bench.gui import measure_open
from gui.app import make_application
from gui.context import AppContext
from gui.main_window import MainWindow
from model.document import Document
from PySide6.QtCore import Qt
make_application()
window = MainWindow(AppContext(Document()))
window.file_controller.ask_unsaved = lambda: None
window.file_controller.autosave.timer.stop()
window.show()
window.setWindowState(Qt.WindowState.WindowNoState)
window.resize(1600, 1000)
read, drawn, freeze = measure_open(window, Path({path!r}))
shown = len(window.document.cables)
opened = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# Then as a designer goes on: a server deleted and put back (undo), and a zoom in on a rack,
# after which every route of the hall is drawn (the peak of a session, not of the opening).
from bench.gui import SERVER, _after_edit, _wait_for_routes, _zoom_in_on
from gui.commands import apply
from model.commands import RemoveDevices
document, context = window.document, window.context
server = next(d.id for d in document.devices.values() if d.type == SERVER)
apply(context, RemoveDevices(document, [server]))
_wait_for_routes(window)
context.undo_stack.undo()
_wait_for_routes(window)
_after_edit()
edited = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
_zoom_in_on(window.floor, document.site.racks[len(document.site.racks) // 2].id)
_wait_for_routes(window)
_after_edit()
zoomed = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"APP {{read}} {{freeze}} {{shown}} {{opened}} {{edited}} {{zoomed}}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accelerators", type=int, default=1_000_000)
    parser.add_argument("--app", action="store_true", help="also open the file in the app (offscreen)")
    parser.add_argument("--trace", action="store_true", help="also the Python heap after each stage (tracemalloc)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"pod{args.accelerators}.json"
        try:
            took = write_sample(args.accelerators, path)
        except RuntimeError as exc:
            print(f"{args.accelerators:,} accelerators: the sample refuses: {exc}")
            return
        print(f"{args.accelerators:,} accelerators: {path.stat().st_size / 1e6:,.0f} MB {took}")
        measure(path, f"{args.accelerators:,} accelerators", args.trace)
        if args.app:
            wall, cpu, peak, text = _child(["-c", _APP.format(root=str(ROOT), path=str(path))])
            said = next((line.split() for line in text.splitlines() if line.startswith("APP")), None)
            if said is None:
                print(f"  app: no figure ({text.strip()[-300:]})")
            else:
                read, freeze, shown = float(said[1]), float(said[2]), int(said[3])
                opened, edited, zoomed = (float(v) for v in said[4:7])
                print(
                    f"  app: File ▸ Open until shown {read:.1f} s, longest freeze {freeze:.1f} s, {shown:,} cables; "
                    f"peak RSS {opened:,.0f} MiB opened, {edited:,.0f} MiB after a delete and its undo, "
                    f"{zoomed:,.0f} MiB zoomed in with every route drawn; "
                    f"process {wall:.0f} s wall, CPU {cpu:.0f} s, peak RSS {peak:,.0f} MiB"
                )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end")


if __name__ == "__main__":
    main()
