"""The app's longest freeze in everyday work on one big layout: prints figures, asserts nothing.

    python bench/freezes.py [--accelerators 100000] [--file LAYOUT.json]

Opens the layout (the scale-out pod of that many accelerators, built and saved first, or
FILE) in the real main window offscreen at 1600 × 1000, as bench/gui.py does, then times
each of these from the action until the window has caught up (routes, fill and overview
redrawn; a background job's outcome shown), and prints the longest stretch the GUI thread
went without running its event loop meanwhile (a 5 ms timer measures the gaps: how long the
window stops painting and answering):

- the cables table's first sort by End A and by Label, and its first search;
- the objective changed with the table sorted by Label (every cable re-analysed);
- autosave's recovery copy, Save As, the cable schedule, NetBox's cables and import set;
- the busiest rack deleted, the delete undone, an empty rack added;
- every rack selected (Select All), the selection cleared;
- with an all-optical scenario and the Compare panel in sight: raising the panel, deleting
  a server, undoing it (until the panel shows the new figures);
- that scenario shown in every view: switching to it, deleting a server, undoing it, and
  switching back to the base.

The load average is printed before and after: 2 cores are shared, and at a load of 4
every figure is 2-3x what it is on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="rack-designer-bench-")  # recovery copies
# bench.gui, imported first, sets the platform and a settings folder of the bench's own.

from PySide6.QtCore import QEventLoop, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.gui import SERVER, GapMeter, _settle, _wait_for_routes, bench_window, measure_open  # noqa: E402
from gui.commands import apply  # noqa: E402
from gui.context import Selected  # noqa: E402
from gui.docks.cable_runs_model import END_A, LABEL  # noqa: E402
from model.commands import AddRack, RemoveDevices, RemoveRack  # noqa: E402
from model.commands_properties import UpdateSettings  # noqa: E402
from model.commands_scenarios import add_scenario  # noqa: E402
from model.io.files import save_layout  # noqa: E402
from model.layout import Scenario  # noqa: E402
from model.topologies.scaleout import build_scaleout_pod  # noqa: E402


def _caught_up(window) -> None:
    """Until the floor has redrawn what it shows, the table has nothing pending on the worker,
    and the Compare panel shows its figures (outside any timing of its own)."""
    _wait_for_routes(window)
    table, compare = window.docks["cables_table"].model, window.docks["compare"]
    job = getattr(compare, "_job", None)  # (read with getattr: the bench also runs on older code, to compare)
    while getattr(table, "pending", "") or getattr(compare, "_work", None) is not None or (job and job.running):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    _wait_for_routes(window)
    window.floor.scene().overview.finish()


def timed(window, name: str, action) -> str:
    """`name`: seconds from `action()` until the window caught up, and its longest freeze."""
    meter = GapMeter()
    meter.start()
    started = time.perf_counter()
    action()
    QApplication.processEvents()
    _caught_up(window)
    took = time.perf_counter() - started
    freeze = meter.stop() / 1000
    _settle()
    line = f"{name}: {took:5.2f} s, longest freeze {freeze:.2f} s"
    print(line)
    sys.stdout.flush()
    return line


def run(window, path: Path, folder: Path) -> None:
    measure_open(window, path)
    _settle()
    document, context, controller = window.document, window.context, window.file_controller
    controller.show_info = lambda *args: None  # the import set's dialog: no modal loop in a bench
    table = window.docks["cables_table"]
    table.raise_()
    _settle()
    print(f"{len(document.cables):,} cables, {len(document.racks):,} racks")
    timed(
        window, "cables table: first sort by End A", lambda: table.view.sortByColumn(END_A, Qt.SortOrder.AscendingOrder)
    )
    timed(window, "cables table: first search ('rack')", lambda: table.filter_edit.setText("rack"))
    table.filter_edit.clear()
    timed(
        window, "cables table: first sort by Label", lambda: table.view.sortByColumn(LABEL, Qt.SortOrder.AscendingOrder)
    )
    objective = "power" if document.site.settings.objective != "power" else "cost"
    timed(
        window,
        "objective changed, table sorted by Label",
        lambda: apply(context, UpdateSettings(document, objective=objective)),
    )
    table.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    _settle()

    autosave, written = controller.autosave, []
    autosave.saved.connect(written.append)

    def autosave_now() -> None:
        autosave.write_now()
        while not written:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)

    timed(window, "autosave's recovery copy", autosave_now)
    for name, target, action in (
        ("Save As", folder / "saved.json", controller.save_as),
        ("export: cable schedule", folder / "schedule.csv", controller.export_schedule),
        ("export: NetBox cables", folder / "netbox-cables.csv", controller.export_netbox_cables),
        ("export: NetBox import set", folder / "netbox-set", controller.export_netbox_set),
    ):
        controller.ask_save_path = lambda *args, to=target: to
        timed(window, name, action)

    racks = document.racks
    busiest = max(racks, key=lambda r: len(document._cable_ids_of_rack(racks[r])))
    cables = len(document._cable_ids_of_rack(racks[busiest]))
    timed(window, f"busiest rack deleted ({cables:,} cables)", lambda: apply(context, RemoveRack(document, busiest)))
    timed(window, "its delete undone", context.undo_stack.undo)
    last = document.site.racks[-1]
    empty = last.model_copy(
        update={"id": "bench-empty", "name": "Bench empty", "x_mm": last.x_mm + 50_000, "devices": []}
    )
    timed(window, "an empty rack added", lambda: apply(context, AddRack(document, empty)))
    context.undo_stack.undo()
    _settle()
    timed(window, "Select All (every rack)", window.select_all)
    timed(window, "selection cleared", lambda: context.set_selection([]))

    apply(context, add_scenario(document, Scenario(name="all optical", medium_policy="all-optical")))
    _settle()
    timed(window, "scenario: Compare panel raised", lambda: window.docks["compare"].raise_())
    server = next(d for d in document.devices.values() if d.type == SERVER).id
    timed(
        window,
        "scenario: a server deleted, Compare in sight",
        lambda: apply(context, RemoveDevices(document, [server])),
    )
    timed(window, "scenario: its delete undone", context.undo_stack.undo)
    # The scenario shown in every view: it has no incremental analysis, so each edit analyses
    # it whole (on the worker behind the busy dialog for a big layout).
    timed(window, "scenario shown: switched to it", lambda: context.set_active_scenario("all optical"))
    timed(window, "scenario shown: a server deleted", lambda: apply(context, RemoveDevices(document, [server])))
    timed(window, "scenario shown: its delete undone", context.undo_stack.undo)
    timed(window, "scenario shown: back to the base", lambda: context.set_active_scenario("base"))
    context.set_selection([Selected("rack", busiest)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accelerators", type=int, default=100_000)
    parser.add_argument("--file", type=Path, help="a layout file to open instead of the built pod")
    args = parser.parse_args()
    window = bench_window()  # autosave written when timed, not on its timer
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as folder:
        path = args.file
        if path is None:
            path = Path(folder) / f"pod-{args.accelerators}.json"
            save_layout(build_scaleout_pod(accelerators=args.accelerators), path)
        run(window, path, Path(folder))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    window.file_controller.autosave.stop()


if __name__ == "__main__":
    main()
