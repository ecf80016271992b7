"""The desktop app on scale-out layouts: prints figures, asserts nothing.

    python bench/gui.py [--sizes 1000 10000 100000]

Runs the real main window offscreen (QT_QPA_PLATFORM=offscreen unless a display is
set) at 1600 × 1000, its docks where a first start puts them (the floor plan's pane is then
about 584 × 666 px; each line prints it), and, for each size, prints:

- full analysis: a fresh analysis of the opened layout by the engine alone; every other
  figure is also printed as a multiple of it (×), which the machine's load moves alike;
- open: File ▸ Open until the file is read, analysed and shown, then until every route
  is drawn (zoomed out below CABLE_LOD: the lanes by medium along the trays), and the
  longest stretch the GUI thread went without running its event loop (a 5 ms timer
  measures the gaps): that is how long the window stops painting;
- pan: median/worst of 24 steps, zoomed out to the whole hall and zoomed in to a few
  racks (cables drawn): scrolling 120 px until painted, and a full repaint of the
  view (what a zoom step costs);
- pan: also, zoomed out below CABLE_LOD (no routes drawn or computed), the time from
  zooming in until the routes of the racks in view are drawn (they come first), until
  every route is drawn, and the longest freeze meanwhile;
- drag: time per mouse step of a rack dragged along its row, from the step until its
  cables' routes are re-drawn (zoomed in; at the whole-hall zoom no route is drawn), for
  the busiest rack and a typical one, measured live at
  every size (the app itself drags live while a step takes under
  floor_drags.LIVE_STEP_BUDGET_S, then a ghost; above LIVE_REROUTE_MAX_CABLES cables
  only a ghost); where the app drags a ghost, also such a drag of the typical rack: from
  the release until the window has caught up, the longest freeze, and its undo;
- edit: deleting a server with its cables (the Delete command) and undoing it (adding
  it back), each until the window has caught up (the edit's turn and the routes redrawn),
  whether the analysis stayed incremental, and then what the edit left for later turns
  (panels that catch up a turn later, the lanes half a second later): the CPU the process
  used over the next AFTER_EDIT_S, waiting for events, and the longest turn meanwhile;
  then the cables table sorted by End A (the first sort, which writes every run's texts,
  timed until the rows are in order, with the longest freeze meanwhile), the same delete
  and undo with the table so sorted, and the first search of the table, timed alike;
- open again: the same file opened over itself, timed as the first open (which replaced the
  last size's, smaller layout): the longest freeze while the last layout is let go of.

The load average is printed before and after: 2 cores are shared, and at a load of 4
every figure is 2-3x what it is on a quiet machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The bench opens files in a window: its settings (recent files, window layout) go to a folder
# of its own, not the designer's (their Open Recent listed the bench's temporary pods).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="rack-designer-bench-")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui import floor_drags  # noqa: E402
from gui.app import make_application  # noqa: E402
from gui.context import AppContext  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from model import placement  # noqa: E402
from model.analysis import Analysis  # noqa: E402
from model.document import Document  # noqa: E402
from model.io.files import save_layout  # noqa: E402
from model.topologies.scaleout import build_scaleout_pod  # noqa: E402

PAN_STEPS = 24
# Medians over 16 drag steps and 9 edits: on this shared 2-core machine the median of 8 steps
# or 5 edits of the same code moved by up to a third from run to run (1 December).
DRAG_STEPS = 16
EDIT_REPEATS = 9
SETTLE_S = 0.3  # quiet time after a drag for panels that wait for its end
SERVER = "server-8gpu-800g"  # the device deleted and put back: a server with its 8 NIC cables
AFTER_EDIT_S = 0.7  # watched after each edit for work left to later turns (the lanes follow 0.5 s later)


class GapMeter:
    """Longest time between two ticks of a 5 ms timer: how long the event loop was held."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.longest = 0

    def start(self) -> None:
        self.clock.start()
        self.last, self.longest = 0, 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> int:
        self._tick()
        self.timer.stop()
        return self.longest


def _wait_for_routes(window, lanes: bool = False) -> None:
    """Until the floor plan has drawn every route its zoom shows (zoomed out below
    CABLE_LOD none one by one, and routing waits for a zoom in) and the trays' fill that
    the last analysis changed (many pieces: a slice a turn); with `lanes`, zoomed out,
    also the lanes by medium along the trays (after an edit they follow half a second later)."""
    scene = window.floor.scene()
    while scene.routes_waiting() or scene.building or scene.fill_waiting or (lanes and scene.lanes_waiting()):
        QApplication.processEvents()


def _wait_for_view(window) -> None:
    """Until the floor plan has drawn the routes of the racks in view (it routes those first)."""
    scene = window.floor.scene()
    while scene.in_view_pending():
        QApplication.processEvents()


def _zoom_in_on(view, rack_id: str) -> None:
    """Zooms to a few racks each way around `rack_id` (routes shown) and centres it."""
    around = view.scene().rack_rect(rack_id).adjusted(-4000, -4000, 4000, 4000)
    view.zoom_by(
        min(view.viewport().width() / around.width(), view.viewport().height() / around.height()) / view.zoom()
    )
    view.centre_on_rect(around)


def measure_full_analysis(document) -> float:
    """Seconds for a fresh full analysis of `document` (the engine alone), in this run and
    under this load: the unit every other figure is also given in."""
    # On a Document of its own: an Analysis subscribes to its document's edits, and one on the
    # window's document would re-analyse every later drag step and edit a second time.
    separate = Document(document.site, check=False)
    gc.collect()
    started = time.perf_counter()
    result = Analysis(separate).result
    _ = result.totals, result.bom, result.problems
    took = time.perf_counter() - started
    del result, separate
    gc.collect()
    return took


def measure_open(window, path: Path) -> tuple[float, float, float]:
    """File ▸ Open: seconds until the file is read and analysed and the window shows it,
    seconds more until every route is drawn, and the longest freeze (s)."""
    meter = GapMeter()
    meter.start()
    started = time.perf_counter()
    window.file_controller.open_path(path)
    read = time.perf_counter() - started
    _wait_for_routes(window, lanes=True)
    drawn = time.perf_counter() - started - read
    # The memory readied for the first edit (gui.heap.HeapReserve, a block a turn for ~0.1 s):
    # its turns would fall into the pan steps measured next. Inside the freeze measured here.
    reserve = window.file_controller.heap_reserve
    while reserve is not None and not reserve.done:
        QApplication.processEvents()
    return read, drawn, meter.stop() / 1000


def _paint_ms(view, steps: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Per step: scrolling 120 px and painting what it exposed; then a full repaint of the
    view. Wall ms of each, then the process's CPU ms of each."""
    bar = view.horizontalScrollBar()
    scrolls, repaints, scroll_cpu, repaint_cpu = [], [], [], []
    for i in range(steps):
        started, own = time.perf_counter(), time.process_time()
        bar.setValue(bar.value() + (120 if i % 12 < 6 else -120))
        QApplication.processEvents()
        scrolls.append((time.perf_counter() - started) * 1000)
        scroll_cpu.append((time.process_time() - own) * 1000)
        started, own = time.perf_counter(), time.process_time()
        view.viewport().repaint()
        repaints.append((time.perf_counter() - started) * 1000)
        repaint_cpu.append((time.process_time() - own) * 1000)
    return scrolls, repaints, scroll_cpu, repaint_cpu


class Figures:
    """Figures of one size, each printed in ms or s and as a multiple of the engine's full
    analysis timed in the same run (machine load moves both alike)."""

    def __init__(self, full_s: float) -> None:
        self.full_s = full_s

    def ratio(self, seconds: float) -> str:
        return f"{seconds / self.full_s:.3f}×" if seconds < self.full_s else f"{seconds / self.full_s:.1f}×"

    def seconds(self, name: str, seconds: float) -> str:
        return f"{name} {seconds:5.2f} s ({self.ratio(seconds)})"

    def ms(self, name: str, timings: list[float], cpu: list[float] | None = None) -> str:
        """Median/worst of `timings` (ms), the median also as a multiple of the full analysis,
        and the median of `cpu` (the process's CPU ms for the same steps: what the step costs
        whatever share of the 2 cores the machine's load leaves it)."""
        median = statistics.median(timings)
        own = f", CPU {statistics.median(cpu):.1f} ms" if cpu else ""
        return f"{name} {median:5.1f}/{max(timings):5.1f} ms ({self.ratio(median / 1000)}{own})"


def measure_pan(window, figures: Figures) -> str:
    """Median/worst ms, zoomed out to the whole hall and zoomed in to a few racks (cables drawn)."""
    view = window.floor
    view.fit()
    QApplication.processEvents()
    # A settled window: the bench's own full analysis just before (measure_full_analysis, ~0.6 GB
    # made and freed at 100k) left Qt's and the CPU's caches cold for the first steps.
    _settle()
    whole = _paint_ms(view, PAN_STEPS)
    shown = view.scene().cables_shown
    meter = GapMeter()
    meter.start()
    started = time.perf_counter()
    _zoom_in_on(view, window.document.site.racks[0].id)
    _wait_for_view(window)
    in_view = time.perf_counter() - started
    _wait_for_routes(window)
    routed = time.perf_counter() - started
    freeze = meter.stop() / 1000
    near = _paint_ms(view, PAN_STEPS)
    view.fit()
    QApplication.processEvents()
    zoom_in = "(routes drawn at the whole-hall zoom already)"
    if not shown:
        zoom_in = (
            f"{figures.seconds('zoom in: routes in view drawn', in_view)}, "
            f"{figures.seconds('every route drawn', routed)}, {figures.seconds('longest freeze', freeze)}"
        )
    return (
        f"pan whole hall: {figures.ms('scroll', whole[0], whole[2])}, {figures.ms('repaint', whole[1], whole[3])}; "
        f"{zoom_in}; zoomed in: {figures.ms('scroll', near[0], near[2])}, {figures.ms('repaint', near[1], near[3])}"
    )


def _movable_racks(document) -> list:
    """Racks with a free slot one rack width along their row, busiest first."""
    movable = []
    for rack in sorted(document.site.racks, key=lambda r: -len(document.cables_of_rack(r.id))):
        shift = {"x_mm": rack.x_mm + rack.width_mm}
        if rack.facing in ("east", "west"):
            shift = {"y_mm": rack.y_mm + rack.width_mm}
        if not placement.floor_clash(document, [rack.model_copy(update=shift)], {rack.id}):
            movable.append(rack)
    return movable


def _drag_ms(window, rack, zoomed_in: bool) -> tuple[list[float], list[float]]:
    view = window.floor
    if zoomed_in:
        _zoom_in_on(view, rack.id)
        _wait_for_routes(window)
    else:
        view.fit()
    QApplication.processEvents()
    centre = view.scene().rack_rect(rack.id).center()
    along = QPointF(1, 0) if rack.facing in ("north", "south") else QPointF(0, 1)
    drag = floor_drags.MoveRacksDrag(view, window.context, [rack.id], rack.id, centre)
    drag.live = True  # measure every step, even past the budget at which the app stops being live
    timings, cpu = [], []
    for step in range(1, DRAG_STEPS + 1):
        target = centre + along * rack.width_mm * (step % 2)  # one slot along, and back
        started, own = time.perf_counter(), time.process_time()
        drag.update(target)
        drag.flush()  # what the next turn of the event loop does
        drag.live = True
        _wait_for_routes(window)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - own) * 1000)
    drag.cancel()
    _wait_for_routes(window)
    _settle()
    view.fit()
    return timings, cpu


def _settle() -> None:
    """Lets panels that wait for the end of a gesture catch up, outside any timing."""
    deadline = time.perf_counter() + SETTLE_S
    while time.perf_counter() < deadline:
        QApplication.processEvents()


def measure_drag(window, figures: Figures) -> str:
    """Per mouse step that moves the rack a slot, until its routes are redrawn: median/worst."""
    document = window.document
    movable = _movable_racks(document)
    if not movable:
        return "drag: no rack has a free slot beside it"
    parts = []
    for name, rack in (("busiest", movable[0]), ("typical", movable[len(movable) // 2])):
        cables = len(document.cables_of_rack(rack.id))
        for where, zoomed_in in (("whole hall", False), ("zoomed in", True)):
            timings, cpu = _drag_ms(window, rack, zoomed_in)
            parts.append(figures.ms(f"drag {name} rack ({cables} cables, {where})", timings, cpu))
    if len(document.cables) > floor_drags.LIVE_REROUTE_MAX_CABLES:
        parts.append("the app itself drags a ghost only here")
        parts.append(_ghost_drag(window, movable[len(movable) // 2], figures))
    return ", ".join(parts)


def _ghost_drag(window, rack, figures: Figures) -> str:
    """The typical rack dragged as the app drags it at this size (a ghost, the layout moved
    on release), zoomed out to the whole hall: from the release until the window has caught
    up, and the longest freeze from the first mouse step until then; then its undo."""
    view = window.floor
    view.fit()
    _settle()
    centre = view.scene().rack_rect(rack.id).center()
    along = QPointF(1, 0) if rack.facing in ("north", "south") else QPointF(0, 1)
    meter = GapMeter()
    meter.start()
    drag = floor_drags.MoveRacksDrag(view, window.context, [rack.id], rack.id, centre)
    for step in range(1, DRAG_STEPS + 1):
        drag.update(centre + along * rack.width_mm * step / DRAG_STEPS)
        QApplication.processEvents()
    started, own = time.perf_counter(), time.process_time()
    moved = drag.finish(centre + along * rack.width_mm)
    _wait_for_routes(window, lanes=True)
    release, release_cpu = time.perf_counter() - started, time.process_time() - own
    _settle()
    freeze = meter.stop() / 1000
    meter.start()
    started = time.perf_counter()
    window.context.undo_stack.undo()
    _wait_for_routes(window, lanes=True)
    undo = time.perf_counter() - started
    _settle()
    undo_freeze = meter.stop() / 1000
    if not moved:
        return "ghost drag: the rack could not be moved"
    return (
        f"ghost drag typical rack, whole hall: {figures.seconds('release until shown', release)} "
        f"(CPU {release_cpu:.2f} s), {figures.seconds('longest freeze', freeze)}; "
        f"{figures.seconds('undo', undo)}, {figures.seconds('longest freeze', undo_freeze)}"
    )


def measure_edit(window, figures: Figures) -> str:
    """Deleting a server with its 8 cables (the Delete command) and undoing it (adding it
    back), each until the window has caught up (analysis, routes redrawn, the panels on
    show refreshed): median/worst of EDIT_REPEATS."""
    from gui.commands import apply
    from model.commands import RemoveDevices

    document, context = window.document, window.context
    server = next(d for d in document.devices.values() if d.type == SERVER).id
    full_runs = context.analysis.full_runs
    _after_edit()  # what the drags before left to do
    idle_cpu, idle_turn = _after_edit()  # the same watch with no edit before it: the baseline
    delete, undo, delete_cpu, undo_cpu, later_cpu, later_turn = [], [], [], [], [], []
    for _ in range(EDIT_REPEATS):
        for edit, wall, cpu in (
            (lambda: apply(context, RemoveDevices(document, [server])), delete, delete_cpu),
            (context.undo_stack.undo, undo, undo_cpu),
        ):
            started, own = time.perf_counter(), time.process_time()
            edit()
            QApplication.processEvents()
            _wait_for_routes(window)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - own) * 1000)
            used, longest = _after_edit()
            later_cpu.append(used)
            later_turn.append(longest)
    kind = "incremental" if context.analysis.full_runs == full_runs else "FULL RE-ANALYSIS"
    return (
        f"{figures.ms('delete a server', delete, delete_cpu)}, "
        f"{figures.ms('add it back (undo)', undo, undo_cpu)} ({kind}); "
        f"then in later turns CPU {statistics.median(later_cpu):.1f}/{max(later_cpu):.1f} ms, "
        f"longest turn {statistics.median(later_turn):.0f}/{max(later_turn):.0f} ms "
        f"(with no edit: CPU {idle_cpu:.1f} ms, longest turn {idle_turn:.0f} ms); "
        + _sorted_edits(window, server, figures)
    )


def _sorted_edits(window, server: str, figures: Figures) -> str:
    """The cables table sorted by End A (its first sort timed until its rows are in order:
    every run's texts written and ordered, on the worker in a big table, with the longest
    turn of the event loop meanwhile), then the same delete and undo, each until the window
    has caught up; then the first search of the table ('rack', timed alike)."""
    from gui.commands import apply
    from gui.docks.cable_runs_model import END_A
    from model.commands import RemoveDevices

    document, context, table = window.document, window.context, window.docks["cables_table"]
    table.raise_()
    _settle()
    first, first_freeze = _until_arranged(table, lambda: table.view.sortByColumn(END_A, Qt.SortOrder.AscendingOrder))
    edits: list[float] = []
    for _ in range(EDIT_REPEATS):
        for edit in (lambda: apply(context, RemoveDevices(document, [server])), context.undo_stack.undo):
            started = time.perf_counter()
            edit()
            QApplication.processEvents()
            _wait_for_routes(window)
            edits.append((time.perf_counter() - started) * 1000)
            _after_edit()
    search, search_freeze = _until_arranged(table, lambda: table.filter_edit.setText("rack"))
    table.filter_edit.clear()
    table.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as the bench found it
    _settle()
    return (
        f"{figures.seconds('cables table sorted by End A: its first sort', first)} "
        f"(longest freeze {first_freeze:.2f} s), "
        + figures.ms("then a delete or its undo", edits)
        + f", {figures.seconds('its first search', search)} (longest freeze {search_freeze:.2f} s)"
    )


def _until_arranged(table, ask) -> tuple[float, float]:
    """Seconds from `ask()` (a sort or a search of the cables table) until its rows are
    arranged (nothing pending on the worker), and the event loop's longest turn meanwhile (s)."""
    meter = GapMeter()
    meter.start()
    started = time.perf_counter()
    ask()
    QApplication.processEvents()
    while table.model.pending:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    took = time.perf_counter() - started
    return took, meter.stop() / 1000


def _after_edit() -> tuple[float, float]:
    """CPU ms the process used over the next AFTER_EDIT_S, waiting for events (not spinning),
    and the longest turn of the event loop meanwhile (ms, a 5 ms timer's longest gap)."""
    meter = GapMeter()
    meter.start()
    own = time.process_time()
    loop = QEventLoop()
    QTimer.singleShot(int(AFTER_EDIT_S * 1000), loop.quit)
    loop.exec()
    return (time.process_time() - own) * 1000, float(meter.stop())


def measure_reopen(window, path: Path, figures: Figures) -> str:
    """The same file opened again over itself, as measure_open times it: the last layout of
    this size is let go of while the new one is shown (the first open replaced a smaller one)."""
    _settle()
    read, drawn, freeze = measure_open(window, path)
    return (
        f"{figures.seconds('opened again over itself: file read', read)}, "
        f"{figures.seconds('every route drawn after', drawn)}, {figures.seconds('longest freeze', freeze)}"
    )


def run(window, accelerators: int, folder: Path) -> None:
    path = folder / f"pod-{accelerators}.json"
    save_layout(build_scaleout_pod(accelerators=accelerators), path)
    read, drawn, freeze = measure_open(window, path)
    figures = Figures(measure_full_analysis(window.document))
    parts = [
        f"full analysis {figures.full_s:5.2f} s",
        f"{figures.seconds('open: file read', read)}, {figures.seconds('every route drawn after', drawn)}, "
        f"{figures.seconds('longest freeze', freeze)}",
        measure_pan(window, figures),
        measure_drag(window, figures),
        measure_edit(window, figures),
        measure_reopen(window, path, figures),
    ]
    cables = len(window.document.cables)
    pane = window.floor.viewport().size()
    print(
        f"{accelerators:>7} accelerators | {cables:>7} cables | floor pane {pane.width()} × {pane.height()} px | "
        + " | ".join(parts)
    )
    sys.stdout.flush()


def bench_window() -> MainWindow:
    """The app's main window as a bench runs it: shown at 1600 × 1000 with its docks where a
    first start puts them, no question on unsaved work, autosave's timer stopped (no recovery
    copies of bench layouts; a bench that times a copy asks for it)."""
    make_application()
    window = MainWindow(AppContext(Document()))
    window.file_controller.ask_unsaved = lambda: None
    window.file_controller.autosave.timer.stop()
    window.show()
    # A first start on a small (offscreen: 800 × 600) screen opens maximised: the bench wants
    # the same 1600 × 1000 window on every machine.
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1600, 1000)
    QApplication.processEvents()
    return window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    window = bench_window()
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            run(window, size, Path(folder))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    window.file_controller.autosave.stop()


if __name__ == "__main__":
    main()
