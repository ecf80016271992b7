"""Random edit sequences through a Session, checked after every step against a fresh
analysis of the same layout and against a save and reload.

Shared by the bounded property test in the suite (tests/model/test_session_properties.py)
and by scripts/session_soak.py, which runs it far longer and prints its figures.
Every kind of edit appears, refused ones included, with racks and devices moved beyond
every tray, undo and redo.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from model.analysis import Analysis
from model.commands import (
    AddTray,
    ConnectCables,
    DisconnectCables,
    MoveDevice,
    MoveRacks,
    PlaceDevice,
    RemoveDevices,
    RemoveRack,
    RemoveTray,
    place_rack,
)
from model.commands_naming import RenameByScheme, SetLayoutProperties
from model.commands_properties import RenameDevice, UpdateCable, UpdateRack, UpdateSettings, UpdateTray
from model.document import Document
from model.errors import LayoutError
from model.io.files import dumps_layout, loads_layout
from model.layout import Cable, Device, Rack, Tray
from model.metrics import AnalysisResult
from model.report_rows import cable_rows
from model.session import Session
from model.topologies import build_sample
from tests.model.builders import cable, place, two_rows

FACINGS = ("north", "east", "south", "west")
# A patch panel among them: cables to its ports form links chosen whole (model.structured).
TYPES = (
    "switch-51t2-64x800g",
    "server-8gpu-800g",
    "server-8gpu-400g",  # 400G over 4 lanes: a port a leg of an 800G breakout fits (model.breakout)
    "trn2-compute-tray",
    "generic-server-1u",
    "nic-800g-osfp",
    "patch-panel-1u-24",
)
MEDIA = (None, "DAC", "AEC", "AOC", "OPTICS")

# How much a run did, for the long script's figures.
COUNTS = {"sequences": 0, "steps": 0, "refused": 0, "undo": 0, "redo": 0}


def small_fabric() -> Document:
    """Two rows of six racks under trays, a leaf pair and a few servers cabled to them."""
    doc = two_rows()
    place(doc, "R1-1", "leaf1", "switch-51t2-64x800g", 40)
    place(doc, "R2-1", "leaf2", "switch-51t2-64x800g", 40)
    for i, rack in enumerate(("R1-2", "R1-3", "R2-2")):
        place(doc, rack, f"s{i}", "server-8gpu-800g", 10)
        for nic in range(4):
            leaf = "leaf1" if nic % 2 == 0 else "leaf2"
            cable(doc, f"c{i}-{nic}", f"s{i}:nic{nic + 1}", f"{leaf}:p{4 * i + nic + 1}")
    cable(doc, "isl", "leaf1:p60", "leaf2:p60")
    return doc


def fabric_with_breakout() -> Document:
    """small_fabric with a server of 400G NICs (4 lanes each) and an 800G leaf port split onto
    two of them: a breakout, and free ports for more (model.breakout)."""
    doc = small_fabric()
    doc.place_device("R1-4", Device(id="s400", type="server-8gpu-400g", u_position=20))
    doc.connect(Cable(id="bo0", a="leaf1:p40", b=["s400:nic1", "s400:nic2"]))
    return doc


def assert_same_analysis(live: AnalysisResult, fresh: AnalysisResult) -> None:
    """The live snapshot equals the fresh one: totals, every cable's product and figures,
    tray fill piece by piece, the problems and the rack figures."""
    assert live.cable_ids == fresh.cable_ids
    assert live.totals == fresh.totals
    np.testing.assert_array_equal(live.product_row, fresh.product_row)
    for mine, theirs in (
        (live.length_m, fresh.length_m),
        (live.ordered_length_m, fresh.ordered_length_m),
        (live.cost_usd, fresh.cost_usd),
        (live.power_w, fresh.power_w),
        (live.trunk_m, fresh.trunk_m),  # a breakout's trunk to its split (model.breakout)
    ):
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-9, equal_nan=True)
    assert [(s.tray_id, s.cable_count, round(s.used_mm2, 6)) for s in live.tray_fill] == [
        (s.tray_id, s.cable_count, round(s.used_mm2, 6)) for s in fresh.tray_fill
    ]
    assert [p.as_dict() for p in live.problems] == [p.as_dict() for p in fresh.problems]
    # Bit for bit: after an edit only the racks it touched are worked out again (metrics.RackBasis).
    for name, column in fresh.rack_figures.items():
        np.testing.assert_array_equal(live.rack_figures[name], column, err_msg=name)
    # The names people read: the layout's, and every cable's id and ends by rack and device name.
    assert live.layout_name == fresh.layout_name
    live_rows, fresh_rows = cable_rows(live), cable_rows(fresh)
    assert live_rows.cable_id == fresh_rows.cable_id
    assert live_rows.end_text == fresh_rows.end_text


class SessionEdits(RuleBasedStateMachine):
    """Edits of every kind through a Session; after each, live = fresh = reloaded."""

    @initialize(start=st.sampled_from(["fabric", "breakouts", "trn2", "nvl72"]))
    def open_layout(self, start: str) -> None:
        samples = {"fabric": small_fabric, "trn2": lambda: Document(build_sample("trn2-ultra64"))}
        samples["nvl72"] = lambda: Document(build_sample("gb200-nvl72"))
        samples["breakouts"] = fabric_with_breakout
        document = samples[start]()
        self.session = Session(document)
        self.serial = 0
        COUNTS["sequences"] += 1

    @property
    def doc(self) -> Document:
        return self.session.document

    def _apply(self, command_factory) -> None:
        COUNTS["steps"] += 1
        before = self.doc.site.model_dump()
        try:
            self.session.apply(command_factory())
        except LayoutError:
            COUNTS["refused"] += 1
            assert self.doc.site.model_dump() == before, "a refused edit changed the layout"

    def _fresh_id(self, stem: str) -> str:
        self.serial += 1
        return f"{stem}{self.serial}"

    # ---- edits ---------------------------------------------------------------------
    @rule(data=st.data(), far=st.booleans(), facing=st.sampled_from(FACINGS))
    def move_racks(self, data, far: bool, facing: str) -> None:
        if not self.doc.site.racks:
            return
        racks = data.draw(st.lists(st.sampled_from([r.id for r in self.doc.site.racks]), min_size=1, max_size=3))
        spread = 60_000 if far else 4_000  # far: beyond every tray
        moves = {}
        for rack_id in dict.fromkeys(racks):
            x = data.draw(st.floats(-spread, spread, allow_nan=False))
            y = data.draw(st.floats(-spread, spread, allow_nan=False))
            moves[rack_id] = (round(x, 1), round(y, 1), facing)
        self._apply(lambda: MoveRacks(self.doc, moves))

    @rule(data=st.data(), face=st.sampled_from(["front", "rear"]), u=st.integers(1, 48))
    def move_device(self, data, face: str, u: int) -> None:
        if not self.doc.devices or not self.doc.racks:
            return
        device = data.draw(st.sampled_from(sorted(self.doc.devices)))
        rack = data.draw(st.sampled_from(sorted(self.doc.racks)))
        self._apply(lambda: MoveDevice(self.doc, device, rack, u, face))

    @rule(data=st.data(), type_id=st.sampled_from(TYPES), u=st.integers(1, 48))
    def place_device(self, data, type_id: str, u: int) -> None:
        if not self.doc.racks:
            return
        rack = data.draw(st.sampled_from(sorted(self.doc.racks)))
        device = Device(id=self._fresh_id("d"), type=type_id, u_position=u)
        self._apply(lambda: PlaceDevice(self.doc, rack, device))

    @rule(data=st.data())
    def remove_devices(self, data) -> None:
        if self.doc.devices:
            device = data.draw(st.sampled_from(sorted(self.doc.devices)))
            self._apply(lambda: RemoveDevices(self.doc, [device]))

    @rule(x=st.integers(-3, 12), row=st.sampled_from([0.0, 2400.0, 9000.0]))
    def add_rack(self, x: int, row: float) -> None:
        rack = Rack(id=self._fresh_id("R"), x_mm=x * 600.0, y_mm=row)
        # As the app places it: a rack joining a row lays or extends the row's tray in the same edit.
        self._apply(lambda: place_rack(self.doc, rack))

    @rule(data=st.data())
    def remove_rack(self, data) -> None:
        if self.doc.racks:
            rack = data.draw(st.sampled_from(sorted(self.doc.racks)))
            self._apply(lambda: RemoveRack(self.doc, rack))

    @rule(data=st.data())
    def connect(self, data) -> None:
        ports = [
            f"{d.id}:{p.name}"
            for d in self.doc.devices.values()
            for p in self.doc.catalog.devices[d.type].ports
            if f"{d.id}:{p.name}" not in self.doc.port_use
        ]
        if len(ports) < 2:
            return
        a, b = data.draw(st.lists(st.sampled_from(sorted(ports)), min_size=2, max_size=2, unique=True))
        new = Cable(id=self._fresh_id("c"), a=a, b=b)
        self._apply(lambda: ConnectCables(self.doc, [new]))

    @rule(data=st.data())
    def connect_breakout(self, data) -> None:
        """A breakout: one free port split over two others (model.breakout); often refused."""
        ports = [
            f"{d.id}:{p.name}"
            for d in self.doc.devices.values()
            for p in self.doc.catalog.devices[d.type].ports
            if f"{d.id}:{p.name}" not in self.doc.port_use
        ]
        if len(ports) < 3:
            return
        a, *legs = data.draw(st.lists(st.sampled_from(sorted(ports)), min_size=3, max_size=3, unique=True))
        # Often one that fits (model.breakout): an 800G port over 8 lanes split onto two 400G
        # OSFP ports over 4 lanes each (a server-8gpu-400g's NICs), where there are such ports.
        heads = [p for p in ports if self._port(p) == ("OSFP", 800, 8)]
        fits = [p for p in ports if self._port(p)[0].startswith("OSFP") and self._port(p)[1:] == (400, 4)]
        if heads and len(fits) >= 2 and data.draw(st.booleans()):
            a = data.draw(st.sampled_from(sorted(heads)))
            legs = data.draw(st.lists(st.sampled_from(sorted(fits)), min_size=2, max_size=2, unique=True))
        new = Cable(id=self._fresh_id("bo"), a=a, b=legs)
        self._apply(lambda: ConnectCables(self.doc, [new]))

    def _port(self, ref: str) -> tuple[str, float, int]:
        """The connector, rate (Gb/s) and lanes of port `ref`."""
        device_id, _, port = ref.partition(":")
        spec = self.doc.catalog.devices[self.doc.devices[device_id].type].port(port)
        return (spec.connector, spec.rate_gbps, spec.lanes) if spec is not None else ("", 0.0, 0)

    @rule(data=st.data())
    def disconnect(self, data) -> None:
        if self.doc.cables:
            cable_id = data.draw(st.sampled_from(sorted(self.doc.cables)))
            self._apply(lambda: DisconnectCables(self.doc, [cable_id]))

    @rule(data=st.data(), medium=st.sampled_from(MEDIA), flexed=st.booleans(), label=st.sampled_from(["", "L7"]))
    def update_cable(self, data, medium, flexed: bool, label: str) -> None:
        if self.doc.cables:
            cable_id = data.draw(st.sampled_from(sorted(self.doc.cables)))
            values = {"pinned_medium": medium, "flexed": flexed, "label": label}
            self._apply(lambda: UpdateCable(self.doc, cable_id, **values))

    @rule(
        data=st.data(),
        field=st.sampled_from(["front_clearance_mm", "manager_width_mm", "power_budget_w", "height_u", "name"]),
        value=st.integers(0, 60_000),
    )
    def update_rack(self, data, field: str, value: int) -> None:
        if self.doc.racks:
            rack = data.draw(st.sampled_from(sorted(self.doc.racks)))
            shown = str(value) if field == "name" else value
            self._apply(lambda: UpdateRack(self.doc, rack, **{field: shown}))

    @rule(data=st.data(), openings=st.booleans(), frame=st.sampled_from([None, 2300.0, 2600.0]))
    def update_rack_frame(self, data, openings: bool, frame: float | None) -> None:
        if self.doc.racks:
            rack = data.draw(st.sampled_from(sorted(self.doc.racks)))
            self._apply(lambda: UpdateRack(self.doc, rack, side_openings=openings, frame_height_mm=frame))

    @rule(data=st.data(), name=st.sampled_from(["", "host-a", "leaf 1"]))
    def rename_device(self, data, name: str) -> None:
        if self.doc.devices:
            device = data.draw(st.sampled_from(sorted(self.doc.devices)))
            self._apply(lambda: RenameDevice(self.doc, device, name))

    @rule(data=st.data(), start=st.integers(0, 3), with_cables=st.booleans())
    def rename_by_scheme(self, data, start: int, with_cables: bool) -> None:
        if self.doc.racks:
            racks = data.draw(st.lists(st.sampled_from(sorted(self.doc.racks)), max_size=3, unique=True))
            devices = [d.id for r in racks for d in self.doc.racks[r].devices]
            inside = set(devices)
            cables = [c.id for c in self.doc.site.cables if c.a.partition(":")[0] in inside] if with_cables else []
            self._apply(lambda: RenameByScheme(self.doc, racks, devices, cables, start=start))

    @rule(name=st.sampled_from(["Pod 7", "Hall B"]), rack=st.sampled_from(["R{rack:02}", "{row}-{rack}", "X"]))
    def set_layout_properties(self, name: str, rack: str) -> None:
        # 'X' has no counter: renaming two racks by it is refused, naming both
        self._apply(lambda: SetLayoutProperties(self.doc, name=name, info={"hall": "DH2"}, naming={"rack": rack}))

    @rule(y=st.sampled_from([0.0, 2400.0, 20_000.0]), elevation=st.integers(1500, 4000))
    def add_tray(self, y: float, elevation: int) -> None:
        tray = Tray(id=self._fresh_id("T"), points=[(-1000.0, y), (9000.0, y)], elevation_mm=elevation)
        self._apply(lambda: AddTray(self.doc, tray))

    @rule(data=st.data())
    def remove_tray(self, data) -> None:
        if self.doc.trays:
            tray = data.draw(st.sampled_from(sorted(self.doc.trays)))
            self._apply(lambda: RemoveTray(self.doc, tray))

    @rule(data=st.data(), elevation=st.integers(1000, 5000), width=st.sampled_from([100.0, 300.0, 600.0]))
    def update_tray(self, data, elevation: int, width: float) -> None:
        if self.doc.trays:
            tray = data.draw(st.sampled_from(sorted(self.doc.trays)))
            self._apply(lambda: UpdateTray(self.doc, tray, elevation_mm=elevation, width_mm=width))

    @rule(objective=st.sampled_from(["cost", "power", "tco"]), slack=st.sampled_from([0.0, 0.3, 1.0]))
    def update_settings(self, objective: str, slack: float) -> None:
        self._apply(lambda: UpdateSettings(self.doc, objective=objective, service_slack_m=slack))

    @rule()
    def undo(self) -> None:
        if self.session.history.index:
            self.session.undo()
            COUNTS["undo"] += 1

    @rule()
    def redo(self) -> None:
        if self.session.history.index < self.session.history.count:
            self.session.redo()
            COUNTS["redo"] += 1

    # ---- what must hold after every step ---------------------------------------------
    @invariant()
    def live_equals_fresh_equals_reloaded(self) -> None:
        if not hasattr(self, "session"):
            return
        live = self.session.result
        site = self.doc.site
        reloaded = loads_layout(dumps_layout(site), "reloaded.json", self.doc.catalog)
        assert reloaded.model_dump() == site.model_dump()
        assert_same_analysis(live, Analysis(Document(site.model_copy(deep=True), self.doc.catalog)).result)
        assert_same_analysis(live, Analysis(Document(reloaded, self.doc.catalog, check=False)).result)
        # The lookups kept in step edit by edit, as built afresh: each device's cables once each.
        fresh = Document(reloaded, self.doc.catalog, check=False)
        assert self.doc.port_use == fresh.port_use
        kept = {device: sorted(ids) for device, ids in self.doc.device_cables.items() if ids}
        assert kept == {device: sorted(ids) for device, ids in fresh.device_cables.items()}
        assert all(len(set(ids)) == len(ids) for ids in self.doc.device_cables.values())
