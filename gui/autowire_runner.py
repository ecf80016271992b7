"""The Tools menu's auto-wiring: plan the cables off the GUI thread, say what they are,
then lay them as one undo step.

Planning a large hall's rails takes seconds, so the planner (model.topologies.wiring_plan)
runs in a worker thread, on a snapshot of the layout (WiringSnapshot), while a cancellable
progress dialog stays responsive. The plan's summary ("Top-of-rack will lay 32 cables: 32
server→ToR switch 400G ...") is shown with OK and Cancel before anything is laid (`preview`);
a wiring that cannot be laid is a warning dialog naming what is missing (`refusal`). OK
applies one ConnectCables command, so one Undo removes everything a run added.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from model.commands import ConnectCables
from model.errors import LayoutError

# (wiring in model.topologies.wiring_plan.WIRINGS, menu text)
WIRINGS = [
    ("top_of_rack", "Auto-wire T&op-of-Rack"),
    ("dual_homed", "Auto-wire &Dual-Homed Leaf Pair"),
    ("nic_rails", "Auto-wire &NIC-to-Leaf Rails"),
    ("leaf_spine", "Auto-wire &Leaf-to-Spine"),
    ("spine_core", "Auto-wire Spine-to-&Core"),
    ("trn2_torus", "Auto-wire Trn2 &Torus"),
    ("nvl72_spine", "Auto-wire NVL72 &Spine"),
    ("switch_bridge", "Auto-wire NVL36x2 Switch &Bridge"),
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
        self.preview: QMessageBox | None = None  # the plan, asking OK or Cancel
        self.refusal: QMessageBox | None = None  # why a wiring cannot be laid

    @property
    def busy(self) -> bool:
        return self._job is not None

    def run(self, name: str, label: str) -> bool:
        """Starts planning `name` for the selection (every device when nothing is selected);
        False (with a status message) when another run is under way."""
        from model.topologies.autowire import wiring_snapshot
        from model.topologies.wiring_plan import plan_wiring

        if self.busy or self.preview is not None:
            self.context.say("Auto-wiring is already running")
            return False
        # The planner works on a copy: the window takes input while it runs.
        snapshot = wiring_snapshot(self.context.document)
        selected = self.context.selected_ids("device"), self.context.selected_ids("rack")
        dialog = QProgressDialog(f"Planning {label}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Auto-wiring")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        future = self._pool.submit(plan_wiring, snapshot, name, *selected)
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
            plan = future.result()
        except LayoutError as exc:
            self._refuse(exc.message)
            return
        box = QMessageBox(QMessageBox.Icon.Question, f"Auto-wire {plan.title}", plan.summary, parent=self.window)
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        box.setObjectName("AutowirePreview")
        box.finished.connect(lambda _result, plan=plan, box=box: self._answered(box, plan))
        self.preview = box
        box.open()

    def _answered(self, box: QMessageBox, plan) -> None:
        self.preview = None
        box.deleteLater()
        if box.standardButton(box.clickedButton()) != QMessageBox.StandardButton.Ok:
            self.context.say(f"Auto-wire {plan.title}: cancelled, nothing laid")
            return
        # Applied to the layout as it is now: the document checks every cable again, so an
        # edit made while the dialog was open that took one of these ports refuses the whole plan.
        text = f"Auto-wire {plan.title} ({len(plan.cables)} cables)"
        try:
            self.context.push(ConnectCables(self.context.document, plan.cables, text))
        except LayoutError as exc:
            self._refuse(f"Auto-wire {plan.title}: the layout changed while the plan was shown: {exc.message}")

    def _refuse(self, message: str) -> None:
        """A warning dialog saying why nothing was laid (and the same on the status bar)."""
        self.context.say(message)
        if self.refusal is not None:
            self.refusal.close()
        box = QMessageBox(QMessageBox.Icon.Warning, "Auto-wiring not possible", message, parent=self.window)
        box.setObjectName("AutowireRefusal")
        box.finished.connect(lambda _result: setattr(self, "refusal", None))
        self.refusal = box
        box.open()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
