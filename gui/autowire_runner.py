"""The Tools menu's auto-wiring: plan the cables off the GUI thread, then one undo step.

Planning a large hall's rails takes seconds, so the planner runs in a worker thread, on
a snapshot of the layout (model.topologies.autowire.WiringSnapshot), while a cancellable
progress dialog stays responsive; the result is applied as one ConnectCables command, so
one Undo removes everything a run added.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from gui.commands import apply
from model.commands import ConnectCables
from model.errors import LayoutError

# (planner in model.topologies.autowire, menu text)
WIRINGS = [
    ("trn2_torus", "Auto-wire Trn2 &Torus"),
    ("nvl72_spine", "Auto-wire NVL72 &Spine"),
    ("nic_rails", "Auto-wire &NIC-to-Leaf Rails"),
    ("leaf_spine", "Auto-wire &Leaf-to-Spine"),
]
POLL_MS = 30


def wiring_label(menu_text: str) -> str:
    """'Auto-wire Trn2 &Torus' → 'Trn2 Torus' (how the status bar and the undo text name it)."""
    return menu_text.replace("&", "").replace("Auto-wire ", "")


class AutowireRunner(QObject):
    """Runs one auto-wiring at a time for a window; `shutdown()` when the window closes."""

    def __init__(self, context, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autowire")
        self._job: tuple[Future, QProgressDialog, str, QTimer] | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def run(self, name: str, label: str) -> bool:
        """Starts planning `name` for the selection; False (with a status message) when it cannot."""
        try:
            from model.topologies import autowire as wiring
        except ImportError:
            self.context.say("Auto-wiring is not available in this build")
            return False
        if self.busy:
            self.context.say("Auto-wiring is already running")
            return False
        # The planner works on a copy: the window takes input while it runs.
        snapshot = wiring.wiring_snapshot(self.context.document)
        selected = self.context.selected_ids("device"), self.context.selected_ids("rack")
        arguments = wiring.wiring_arguments(snapshot, name, *selected)
        if not all(arguments):
            self.context.say("Select the racks or devices to wire (none of the right kind are selected)")
            return False
        dialog = QProgressDialog(f"Planning {label}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Auto-wiring")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        future = self._pool.submit(getattr(wiring, name), snapshot, *arguments)
        poll = QTimer(self)
        poll.timeout.connect(self._poll)
        self._job = (future, dialog, label, poll)
        poll.start(POLL_MS)
        return True

    def _poll(self) -> None:
        if self._job is None:  # the timer runs only while a job does
            return
        future, dialog, label, poll = self._job
        if not future.done():
            return
        self._job = None
        poll.stop()
        poll.deleteLater()
        cancelled = dialog.wasCanceled()
        dialog.close()
        dialog.deleteLater()
        if cancelled:
            self.context.say(f"{label}: cancelled")
            return
        try:
            cables = future.result()
        except LayoutError as exc:
            self.context.say(f"{label}: {exc.message}")
            return
        if not cables:
            self.context.say(f"{label}: nothing to wire (every port is already used)")
            return
        # Applied to the layout as it is now: the document checks every cable again, so an
        # edit made while planning that took one of these ports refuses the whole plan.
        apply(self.context, ConnectCables(self.context.document, cables, f"Auto-wire {label} ({len(cables)} cables)"))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
