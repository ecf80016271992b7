"""The rack elevation: the shown racks' front and rear faces at true scale (1U = rack_unit_mm).

Shown: the racks of the selection (the selected racks themselves, or the racks holding
selected devices, ports, cables), else what was shown before, else the first rack.
Drops of device types, device drags and cable drawing happen here.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene

from gui import colors
from gui.context import Selected
from gui.interactions import MoveDeviceDrag, PlaceDeviceDrop, Wire
from gui.mime import DEVICE_TYPE_MIME
from gui.scene.elevation_items import PORT_GLYPH_MM, DeviceItem, PanelItem, PortItem
from gui.scene.views import ZoomableView
from model.breakout import polylines_of
from model.layout import FACING_VECTORS
from model.rack_face import port_on_face

MAX_SHOWN = 8  # racks side by side; more would be too small to work in
MAX_HIGHLIGHT = 200  # routes highlighted at once: projected onto every shown face, more is clutter
PANEL_GAP_MM, RACK_GAP_MM = 150, 500


def _frame(rack) -> dict:
    """What a rack's faces are drawn from besides its devices: its fields but `devices`."""
    return rack.model_dump(exclude={"devices"})


def widest_gap(port_xs: list[float], width: float, glyph: float) -> tuple[float, float]:
    """The widest stretch of a faceplate (from its left, mm) free of port marks: room for the name."""
    edges = [0.0, *(e for x in port_xs for e in (x - glyph, x + glyph)), width]
    gaps = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    return max(gaps, key=lambda gap: gap[1] - gap[0])


class ElevationScene(QGraphicsScene):
    shownChanged = Signal(list)  # rack ids, after a rebuild that shows other racks than before

    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.document = context.document
        self.shown: list[str] = []
        self._built: list[str] = []  # the racks the items were last built for
        self._racks_drawn: dict[str, dict] = {}  # per rack built: its fields but its devices, as drawn
        self.panels: dict[tuple[str, str], PanelItem] = {}
        self.devices: dict[str, list[DeviceItem]] = {}
        self.ports: dict[str, PortItem] = {}
        self.highlight = QGraphicsPathItem()
        pen = QPen(colors.SELECTION, 3)
        pen.setCosmetic(True)
        self.highlight.setPen(pen)
        self.highlight.setZValue(30)
        context.documentChanged.connect(self._on_document_changed)
        context.analysisUpdated.connect(lambda _result: self._refresh_ports())
        context.selectionChanged.connect(self._on_selection)
        self._choose_racks()
        self.rebuild()

    # ---- which racks ------------------------------------------------------------------
    def _wanted(self) -> list[str]:
        doc, wanted = self.document, []
        # Racks chosen show as they stand on the floor, row by row, left to right (in the order
        # they were clicked, two racks of a row showed the right one first); a cable's racks end
        # A first.
        chosen = sorted(
            (s.id for s in self.context.selection if s.kind == "rack" and s.id in doc.racks),
            key=lambda rack_id: (doc.racks[rack_id].y_mm, doc.racks[rack_id].x_mm),
        )
        wanted += chosen
        for s in self.context.selection:
            if s.kind in ("device", "port"):
                device = s.id.partition(":")[0]
                if device in doc.device_rack:
                    wanted.append(doc.device_rack[device].id)
            elif s.kind == "cable" and s.id in doc.cables:
                cable = doc.cables[s.id]
                wanted += [doc.device_rack[ref.partition(":")[0]].id for ref in cable.refs]
        return list(dict.fromkeys(wanted))[:MAX_SHOWN]

    def _choose_racks(self) -> bool:
        """Racks selected: exactly those. Devices, ports or cables: their racks, unless all are
        on show already (a click inside the elevation keeps the racks around it). Nothing: as before."""
        wanted = self._wanted()
        alive = [r for r in self.shown if r in self.document.racks]
        racks_chosen = any(s.kind == "rack" for s in self.context.selection)
        if not wanted or (not racks_chosen and set(wanted) <= set(alive)):
            wanted = alive or [r.id for r in self.document.site.racks[:1]]
        changed = wanted != self.shown
        self.shown = wanted
        return changed

    def show_racks(self, rack_ids: list[str]) -> None:
        self.shown = [r for r in rack_ids if r in self.document.racks][:MAX_SHOWN]
        self.rebuild()

    # ---- drawing ------------------------------------------------------------------------
    def rebuild(self) -> None:
        if self.highlight.scene() is self:
            self.removeItem(self.highlight)
        self.clear()
        self.addItem(self.highlight)
        self.panels, self.devices, self.ports = {}, {}, {}
        self._racks_drawn = {}
        settings = self.document.site.settings
        unit, rail_width = settings.rack_unit_mm, settings.rail_width_mm
        x = 0.0
        for rack_id in self.shown:
            rack = self.document.racks[rack_id]
            self._racks_drawn[rack_id] = _frame(rack)
            height = rack.height_u * unit
            rail_left = (rack.width_mm - rail_width) / 2
            for face in ("front", "rear"):
                rect = QRectF(x, 0, rack.width_mm, height)
                name_width = 2 * rack.width_mm + PANEL_GAP_MM if face == "front" else 0  # over both faces
                panel = PanelItem(rack, face, rect, rail_left, rail_width, unit, name_width)
                self.panels[(rack_id, face)] = panel
                self.addItem(panel)
                x += rack.width_mm + PANEL_GAP_MM
            x += RACK_GAP_MM - PANEL_GAP_MM
            for device in rack.devices:
                self._add_device(rack, device, unit)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-2000, -2000, 2000, 2000))
        self._refresh_ports()
        self._on_selection(self.context.selection)
        if self.shown != self._built:
            self._built = list(self.shown)
            self.shownChanged.emit(list(self.shown))

    def _add_device(self, rack, device, unit: float) -> None:
        device_type = self.document.catalog.device(device.type)
        if device_type is None:
            return
        front_ports = sorted(p.x_mm for p in device_type.ports if p.face == "front")
        for face in ("front", "rear"):
            rect = self.slot_rect(rack.id, face, device.u_position, device_type.u_height)
            item = DeviceItem(device, device_type, rect, own_face=(face == device.face))
            item.name_span = widest_gap(front_ports, rect.width(), PORT_GLYPH_MM[0])
            self.devices.setdefault(device.id, []).append(item)
            self.addItem(item)
        settings = self.document.site.settings
        for port in device_type.ports:
            where = port_on_face(rack, device, port, settings)  # the engine's rule
            panel = self.panels[(rack.id, where.face)]
            centre = QPointF(panel.rect.left() + where.x_mm, panel.rect.bottom() - where.z_mm)
            ref = f"{device.id}:{port.name}"
            tip = f"{device.label} {port.name}: {port.connector} {port.rate_gbps:g}G"
            self.ports[ref] = PortItem(ref, centre, tip)
            self.addItem(self.ports[ref])

    def _on_document_changed(self, change) -> None:
        shown = set(self.shown)
        touched = bool(change.racks & shown) or any(d in self.devices for d in change.devices)
        if self._choose_racks() or change.everything or change.settings:
            self.rebuild()
        elif touched and not self._redraw_devices(change.devices):
            self.rebuild()

    def _redraw_devices(self, device_ids: set[str]) -> bool:
        """Devices `device_ids` drawn again as the document has them (gone, come, moved or
        renamed), the rest of the faces left as they are: a server added or deleted at 100,000
        accelerators rebuilt and repainted its whole rack (~5 ms). False (nothing done) when a
        shown rack itself changed (its size, name, place, facing): then the faces are rebuilt."""
        doc = self.document
        if any(r not in doc.racks or _frame(doc.racks[r]) != self._racks_drawn.get(r) for r in self.shown):
            return False
        unit = doc.site.settings.rack_unit_mm
        there = {d.id for r in self.shown for d in doc.racks[r].devices}
        for device_id in {*device_ids, *(there - self.devices.keys()), *(self.devices.keys() - there)}:
            for item in self.devices.pop(device_id, []):
                self.removeItem(item)
            prefix = f"{device_id}:"
            for ref in [ref for ref in self.ports if ref.startswith(prefix)]:
                self.removeItem(self.ports.pop(ref))
            rack = doc.device_rack.get(device_id)
            if rack is not None and rack.id in self._racks_drawn:
                self._add_device(rack, doc.devices[device_id], unit)
        self._refresh_ports()
        self._on_selection(self.context.selection)
        return True

    def _refresh_ports(self) -> None:
        result, use = self.context.result, self.document.port_use
        for ref, item in self.ports.items():
            cable = use.get(ref)
            row = result.index.get(cable) if cable else None
            item.set_medium(cable is not None, result.medium_of(row) if row is not None else None)
        self._refresh_highlight()

    def _on_selection(self, selection) -> None:
        if self._choose_racks():
            self.rebuild()
            return
        devices = {s.id for s in selection if s.kind == "device"}
        ports = {s.id for s in selection if s.kind == "port"}
        for device_id, items in self.devices.items():
            for item in items:
                item.set_selected(device_id in devices)
        for ref, port_item in self.ports.items():
            port_item.set_selected(ref in ports)
        self._refresh_highlight()

    def highlighted_cables(self) -> list[str]:
        return list(self.context.selected_cables(MAX_HIGHLIGHT))

    def _refresh_highlight(self) -> None:
        path = QPainterPath()
        result = self.context.result
        rows = [result.index[c] for c in self.highlighted_cables() if c in result.index]
        if result.state.compiled.has_breakouts:
            # A breakout's trunk once and each leg from its split (model.breakout).
            lines = [points for cable in polylines_of(result, rows) for points in cable]
        else:
            lines = result.route_points(rows)
        for points in lines:
            for run in self._project(points):
                path.addPolygon(run)
        if path != self.highlight.path():
            # Set only when it changed: setPath marks the scene dirty, and each edit's new
            # analysis would repaint the shown faces for nothing (~10 ms of a delete at 100,000 accelerators).
            self.highlight.setPath(path)

    def _project(self, points) -> list[QPolygonF]:
        """The route's pieces inside each shown rack, projected onto the face they run along."""
        runs: list[QPolygonF] = []
        for rack_id in self.shown:
            rack = self.document.racks[rack_id]
            fx, fy = FACING_VECTORS[rack.facing]
            current: list[QPointF] = []
            current_face: str | None = None
            for x, y, z in points:
                dx, dy = x - rack.x_mm, y - rack.y_mm
                lx = dx * fy - dy * fx + rack.width_mm / 2  # across, from the left seen from the front
                ly = rack.depth_mm / 2 - (dx * fx + dy * fy)  # from the front face inwards
                inside = (
                    -1 <= lx <= rack.width_mm + 1
                    and -rack.front_clearance_mm - 1 <= ly <= rack.depth_mm + rack.rear_clearance_mm + 1
                )
                face = ("front" if ly < rack.depth_mm / 2 else "rear") if inside else None
                if face != current_face and len(current) > 1:
                    runs.append(QPolygonF(current))
                if face != current_face:
                    current = []
                current_face = face
                if face is not None:
                    panel = self.panels[(rack_id, face)].rect
                    px = lx if face == "front" else rack.width_mm - lx
                    current.append(QPointF(panel.left() + px, panel.bottom() - z))
            if len(current) > 1:
                runs.append(QPolygonF(current))
        return runs

    # ---- geometry for interactions --------------------------------------------------
    def slot_at(self, pos: QPointF) -> tuple[str, str, int] | None:
        unit = self.document.site.settings.rack_unit_mm
        for (rack_id, face), panel in self.panels.items():
            r = panel.rect
            if r.left() <= pos.x() <= r.right() and r.top() - 10 * unit <= pos.y() <= r.bottom():
                return rack_id, face, int((r.bottom() - pos.y()) // unit) + 1
        return None

    def slot_rect(self, rack_id: str, face: str, u: int, height_u: int) -> QRectF:
        panel = self.panels[(rack_id, face)]
        unit = panel.unit
        top = panel.rect.bottom() - (u - 1 + height_u) * unit
        return QRectF(panel.rect.left() + panel.rail_left, top, panel.rail_width, height_u * unit)

    def port_at(self, pos: QPointF) -> str | None:
        for item in self.items(pos):
            if isinstance(item, PortItem):
                return item.ref
        return None

    def port_centre(self, ref: str) -> QPointF:
        return self.ports[ref].sceneBoundingRect().center()

    def device_at(self, pos: QPointF) -> str | None:
        for item in self.items(pos):
            if isinstance(item, DeviceItem):
                return item.device_id
        return None


class ElevationView(ZoomableView):
    def __init__(self, context, parent=None) -> None:
        faces = ElevationScene(context)
        super().__init__(faces, parent)
        self.faces = faces
        self.context = context
        # Other racks: show them whole. The same racks redrawn after an edit keep the zoom.
        self.scene().shownChanged.connect(lambda _racks: self.fit())
        self.scene().shownChanged.connect(lambda _racks: self.refresh_hint())
        context.documentChanged.connect(lambda _change: self.refresh_hint())

    def scene(self) -> ElevationScene:
        """The rack faces this view shows (QGraphicsView.scene() would say only 'a scene')."""
        return self.faces

    def empty_hint(self) -> str:
        if self.scene().shown:
            return ""
        if self.context.document.site.racks:
            return "Select a rack on the floor plan to see its front and rear here."
        return "No racks yet. Press Add Rack, or drag a rack from the Library onto the floor plan."

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for panel in self.scene().panels.values():
            rect = rect.united(panel.sceneBoundingRect())
        return rect

    def press(self, event) -> bool:
        pos = self.mapToScene(event.position().toPoint())
        scene = self.scene()
        additive = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        port = scene.port_at(pos)
        if port is not None:
            self.context.set_selection([Selected("port", port)])
            self.interaction = Wire(self, self.context, port)
            return True
        device = scene.device_at(pos)
        if device is not None:
            chosen = Selected("device", device)
            if additive:
                current = list(self.context.selection)
                self.context.set_selection(
                    [s for s in current if s != chosen] if chosen in current else [*current, chosen]
                )
                return True
            self.context.set_selection([chosen])
            self.interaction = MoveDeviceDrag(self, self.context, device, pos)
            return True
        if not additive:
            self.context.set_selection([])
        return True

    drop_mime = DEVICE_TYPE_MIME

    def make_drop(self, type_id: str):
        device_type = self.context.document.catalog.device(type_id)
        if device_type is None or not device_type.rack_mountable:
            why = "is not rack-mounted" if device_type else "is not in the catalog"
            self.context.say(f"Device type {type_id!r} {why}")
            return None
        return PlaceDeviceDrop(self, self.context, type_id)
