"""What a designer draws: a site with racks on a floor, devices in racks, trays, cables.

These pydantic models are the file format (see docs/file-format.md). Structure and
numbers are checked here; rules that need the catalog (a device fits its rack, a
port exists) are checked by model.rules. Floor coordinates are in mm, x to the east
and y to the south (as on screen); a rack's position is its centre.

Every number is finite and bounded (floor coordinates within SITE_EXTENT_MM of the
origin), every list has a limit (MAX_*), and every text a bounded length. Free text
(names, rows, labels) is cleaned of characters no file can hold (model.text.clean_text);
ids and references with such characters are refused, naming the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Annotated, Any, Final, Literal, overload

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)

from model.catalog import Face, Medium
from model.defaults import default
from model.naming import check_pattern
from model.text import check_reference_text, clean_text

SCHEMA_VERSION = 1
FILE_KIND: Final = "rack-designer-layout"

Facing = Literal["north", "east", "south", "west"]
# Unit vector (floor coordinates) in which a rack's front faces.
FACING_VECTORS: dict[str, tuple[float, float]] = {
    "north": (0.0, -1.0),
    "east": (1.0, 0.0),
    "south": (0.0, 1.0),
    "west": (-1.0, 0.0),
}

# Floor coordinates lie within this distance of the origin (10 km: any campus, with float
# precision to spare); sizes and counts below are far past any real hall.
SITE_EXTENT_MM = 10_000_000.0
MAX_RACKS = 50_000
MAX_DEVICES_PER_RACK = 120  # 60U, front and rear
MAX_TRAYS = 20_000
MAX_TRAY_POINTS = 1_000
MIN_SEGMENT_MM = 1.0
MAX_CABLES = 3_000_000  # 1,000,000 accelerators in three tiers (a cable per accelerator per tier)
MAX_LEGS = 8  # ports at a breakout's end b: an 8-lane cage split one lane per leg
MAX_TEXT = 200  # characters of a name, row or label

_ID = re.compile(r"[A-Za-z0-9_.\-]+")
Identifier = Annotated[str, Field(min_length=1, max_length=120)]
# Free text: cleaned of what no file can hold (see model.text), before pydantic's own check
# would refuse a lone surrogate.
Text = Annotated[str, BeforeValidator(lambda v: clean_text(v) if isinstance(v, str) else v), Field(max_length=MAX_TEXT)]
# A name another file defines (a catalog id, 'device:port'): refused, not cleaned, when it holds a control.
Reference = Annotated[str, Field(min_length=1, max_length=250), AfterValidator(check_reference_text)]


def _not_true_or_false(value: Any) -> Any:
    """`value` as it is, unless it is true or false or text: pydantic reads those as 1 and 0
    or parses the text where a number goes, and a rack of `"height_u": true` opened as a 1U
    rack (a fresh user's find). Raises ValueError for a bool or a str."""
    if isinstance(value, bool):
        raise ValueError("a number, not true or false")
    if isinstance(value, str):
        raise ValueError("a number, not text")
    return value


# Numbers of a layout: true, false and text refused, not read as 1, 0 or parsed.
Number = Annotated[float, BeforeValidator(_not_true_or_false)]
Count = Annotated[int, BeforeValidator(_not_true_or_false)]
# Optional, the check around the union: around the number alone, pydantic's JSON schema wrote
# the field's bounds as "gt"/"le", which JSON Schema does not know, for "exclusiveMinimum"/"maximum".
MaybeNumber = Annotated[float | None, BeforeValidator(_not_true_or_false)]
MaybeCount = Annotated[int | None, BeforeValidator(_not_true_or_false)]
# Yes/no of a layout: JSON's true or false only ("flexed": 1 or "yes" made a cable flexed).
Flag = Annotated[bool, Strict()]
Coordinate = Annotated[float, Field(ge=-SITE_EXTENT_MM, le=SITE_EXTENT_MM), BeforeValidator(_not_true_or_false)]


def _check_identifier(value: str) -> str:
    if not _ID.fullmatch(value):
        raise ValueError(f"{value!r} may hold only letters, digits, '.', '_' and '-'")
    return value


class _Model(BaseModel):
    # allow_inf_nan=False: 1e400 reads as infinity in JSON, and a layout must never hold one.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class Device(_Model):
    """A device in a rack: a catalog device type at a rack unit, its front to the rack's front
    or rear. Its id is unique in the layout; cables name its ports as 'id:port'."""

    id: Identifier
    name: Text = ""
    type: Reference
    u_position: Count = Field(ge=1, le=60, description="lowest rack unit the device occupies (1 = bottom)")
    face: Face = Field(default="front", description="which side of the rack the device's front faces")

    _id = field_validator("id")(_check_identifier)

    @property
    def label(self) -> str:
        """What the designer sees: the name, or the id when there is none."""
        return self.name or self.id


class Rack(_Model):
    """A rack on the floor, its centre at (x_mm, y_mm) and its front facing `facing`: its frame
    (U and mm), the side managers and door clearances its cables run through (mm), its power
    budget (W) and its devices. Defaults come from resources/defaults.yaml, with sources."""

    id: Identifier
    name: Text = ""
    row: Text = ""
    x_mm: Coordinate
    y_mm: Coordinate
    facing: Facing = "south"
    height_u: Count = Field(default_factory=lambda: default("rack", "height_u"), ge=1, le=60)
    width_mm: Number = Field(default_factory=lambda: default("rack", "width_mm"), ge=300, le=1500)
    depth_mm: Number = Field(default_factory=lambda: default("rack", "depth_mm"), ge=300, le=2000)
    manager_width_mm: Number = Field(default_factory=lambda: default("rack", "manager_width_mm"), ge=0, le=500)
    front_clearance_mm: Number = Field(default_factory=lambda: default("rack", "front_clearance_mm"), ge=0, le=500)
    rear_clearance_mm: Number = Field(default_factory=lambda: default("rack", "rear_clearance_mm"), ge=0, le=500)
    power_budget_w: Number = Field(default_factory=lambda: default("rack", "power_budget_w"), ge=0, le=1e7)
    frame_height_mm: MaybeNumber = Field(
        default=None,
        ge=300,
        le=4000,
        description="outer height of the frame (its top); none: the U space plus the frame allowance",
    )
    side_openings: Flag = Field(
        default=True,
        description="cables may pass through the sides to a touching neighbour (false: side panels on)",
    )
    devices: list[Device] = Field(default=[], max_length=MAX_DEVICES_PER_RACK)

    _id = field_validator("id")(_check_identifier)

    @property
    def label(self) -> str:
        """What the designer sees: the name, or the id when there is none."""
        return self.name or self.id

    def frame_top_mm(self, rack_unit_mm: float) -> float:
        """Height of the frame's top above the floor (mm): given, or the U space plus the
        frame allowance (resources/defaults.yaml: rack.frame_allowance_mm)."""
        if self.frame_height_mm is not None:
            return self.frame_height_mm
        return self.height_u * rack_unit_mm + default("rack", "frame_allowance_mm")


Point = tuple[Coordinate, Coordinate]


class Tray(_Model):
    """A cable tray: its centre line on the floor plan (2 points or more, mm), its bottom's
    height above the floor, its section (mm) and the share of it cables may fill. Trays of one
    kind join where they cross; segments are at least MIN_SEGMENT_MM long."""

    id: Identifier
    name: Text = ""
    kind: Literal["overhead", "underfloor"] = "overhead"
    points: list[Point] = Field(
        min_length=2, max_length=MAX_TRAY_POINTS, description="the tray's centre line on the floor plan, mm"
    )
    elevation_mm: Number = Field(ge=-2000, le=10000, description="height of the tray's bottom above the floor")
    width_mm: Number = Field(default_factory=lambda: default("tray", "width_mm"), ge=10, le=2000)
    depth_mm: Number = Field(default_factory=lambda: default("tray", "depth_mm"), ge=10, le=1000)
    fill_ratio: Number = Field(default_factory=lambda: default("tray", "fill_ratio"), ge=0.01, le=1)

    _id = field_validator("id")(_check_identifier)

    @model_validator(mode="after")
    def _no_zero_segments(self) -> Tray:
        # Shorter than the network's junction snap (1 mm), a segment has no direction GEOS can use.
        for first, second in zip(self.points, self.points[1:]):
            if first == second:
                raise ValueError(f"points repeat {first}: a tray segment needs length")
            if math.hypot(second[0] - first[0], second[1] - first[1]) < MIN_SEGMENT_MM:
                raise ValueError(f"points {first} and {second} are closer than {MIN_SEGMENT_MM:g} mm")
        return self

    @property
    def label(self) -> str:
        """What the designer sees: the name, or the id when there is none."""
        return self.name or self.id


class Cable(_Model):
    """A cable between two ports, each 'device:port'. Without a rate, medium or product the
    engine chooses; a pin forces a medium or a catalog product."""

    id: Identifier
    label: Text = ""
    a: Reference = Field(description="one end, as 'device:port'")
    b: Reference | Annotated[list[Reference], Field(min_length=2, max_length=MAX_LEGS)] = Field(
        description="the other end, as 'device:port'; a breakout's legs as a list of them, one port each"
    )
    rate_gbps: MaybeNumber = Field(
        default=None,
        gt=0,
        le=100_000,
        description="requested rate (of each leg for a breakout); the ports' rate when absent",
    )
    pinned_medium: Medium | None = None
    pinned_product: Reference | None = None
    flexed: Flag = Field(default=False, description="run through a moving part (sliding tray): bends at 10 x OD")

    _id = field_validator("id")(_check_identifier)

    @property
    def legs(self) -> tuple[str, ...]:
        """The ports of end b ('device:port'): one, or a breakout's legs in the file's order."""
        return tuple(self.b) if isinstance(self.b, list) else (self.b,)

    @property
    def is_breakout(self) -> bool:
        """Whether end b is a list of ports, one leg each (model.breakout)."""
        return isinstance(self.b, list)

    @property
    def refs(self) -> tuple[str, ...]:
        """Every port the cable occupies ('device:port'): end a, then each port of end b."""
        return (self.a, *self.b) if isinstance(self.b, list) else (self.a, self.b)

    @field_validator("a")
    @classmethod
    def _port_ref(cls, value: str) -> str:
        return _check_port_ref(value)

    @field_validator("b", mode="before")
    @classmethod
    def _legs_first(cls, value: object) -> object:
        # Each leg checked here, so that a bad one is named (b[1]) rather than lost in the union's two errors.
        if isinstance(value, list):
            if not 2 <= len(value) <= MAX_LEGS:
                raise ValueError(
                    f"a breakout has 2 to {MAX_LEGS} legs, not {len(value)}: list the port of every leg "
                    "(a leg left unplugged is not modelled); one port on a straight cable: write it as a string"
                )
            for i, leg in enumerate(value):
                if not isinstance(leg, str):
                    raise ValueError(f"leg b[{i}] is not a 'device:port' string")
                try:
                    _check_port_ref(check_reference_text(leg))
                except ValueError as exc:
                    raise ValueError(f"leg b[{i}]: {exc}") from None
            if len(set(value)) != len(value):
                raise ValueError("a breakout's legs repeat a port")
        return value

    @field_validator("b")
    @classmethod
    def _port_refs(cls, value: str | list[str]) -> str | list[str]:
        return _check_port_ref(value) if isinstance(value, str) else value


class CableColumns(Sequence[Cable]):
    """A layout's cables as one list per field of Cable (in its field order), for a command
    that reads a layout and edits nothing (the command line's validate, report, export).

    Takes checked Cable models (`extend`) and keeps only their fields: ~70 bytes a cable
    where a model takes ~430 with its dict (300,000 cables: ~110 MB of a 100,000-accelerator
    report's memory; bench/memory.py). Reading an item makes a Cable model of it, a new one
    each time (equal, not the same object), so nothing can change the cables in place; the
    engine reads whole fields with `cable_column`. Raises IndexError as a list does.
    """

    def __init__(self) -> None:
        self._columns: dict[str, list[Any]] = {name: [] for name in Cable.model_fields}
        self._fields_set = set(Cable.model_fields)  # every field given: one set for all (see share_fields_sets)

    def extend(self, cables: Iterable[Cable]) -> None:
        """Appends the fields of each of `cables` (models already checked); keeps no model."""
        given = [cable.__dict__ for cable in cables]
        for name, column in self._columns.items():
            column.extend(map(itemgetter(name), given))

    def extend_columns(self, fields: dict[str, list[Any]]) -> None:
        """Appends cables given as one list per field (every field, of equal lengths), each
        value as a checked Cable holds it (model.io.lean_cables checks them so)."""
        for name, column in self._columns.items():
            column.extend(fields[name])

    def column(self, name: str) -> list[Any]:
        """Every cable's field `name`, in order: the list itself, to read and never change."""
        return self._columns[name]

    def __len__(self) -> int:
        return len(self._columns["id"])

    @overload
    def __getitem__(self, index: int) -> Cable: ...

    @overload
    def __getitem__(self, index: slice) -> list[Cable]: ...

    def __getitem__(self, index: int | slice) -> Cable | list[Cable]:
        if isinstance(index, slice):
            return [self._cable(i) for i in range(*index.indices(len(self)))]
        return self._cable(range(len(self))[index])  # negative and out-of-range as a list's

    def __iter__(self) -> Iterator[Cable]:
        return map(self._cable, range(len(self)))

    def _cable(self, i: int) -> Cable:
        # What Cable.model_construct makes of fields already checked, without its per-field work.
        cable = Cable.__new__(Cable)
        object.__setattr__(cable, "__dict__", {name: column[i] for name, column in self._columns.items()})
        object.__setattr__(cable, "__pydantic_fields_set__", self._fields_set)
        object.__setattr__(cable, "__pydantic_extra__", None)
        object.__setattr__(cable, "__pydantic_private__", None)
        return cable


def cable_column(cables: Sequence[Cable], name: str) -> list[Any]:
    """Field `name` of every cable of `cables` (a list of Cable models or CableColumns), in
    order, as a list (of CableColumns its own list: read it, never change it). Raises
    KeyError (CableColumns) or AttributeError for a name Cable has no field of."""
    if isinstance(cables, CableColumns):
        return cables.column(name)
    return [getattr(cable, name) for cable in cables]


def _check_port_ref(value: str) -> str:
    device, sep, port = value.partition(":")
    if not sep or not device or not port:
        raise ValueError(f"{value!r} is not 'device:port'")
    return value


def split_port_ref(ref: str) -> tuple[str, str]:
    """'device:port' -> ('device', 'port'); a ref without ':' gives (ref, '')."""
    device, _, port = ref.partition(":")
    return device, port


def cable_ends(cable: Cable) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ports of a cable's two ends, as ('device:port', ...) tuples (a_refs, b_refs).

    End a is always one port; end b is one port, or a breakout's legs in the file's order
    (`"b": ["srv01:nic1", "srv01:nic2"]`), each leg one port. Raises nothing. A NetBox
    export writes the cable as one cable with these terminations on its two sides.
    """
    return (cable.a,), cable.legs


def cable_refs(cable: Cable) -> tuple[str, ...]:
    """Every port a cable occupies ('device:port'): end a, then each port of end b."""
    return cable.refs


def is_breakout(cable: Cable) -> bool:
    """Whether the cable splits: its end b is a list of ports (one leg each)."""
    return isinstance(cable.b, list)


class SiteSettings(_Model):
    """Site-wide settings of the engine: what the product choice optimises and its economics
    (USD per kWh, PUE, years), service slack (m), rack unit and rail width (mm), bend radius
    multipliers, tray drop reach and clearances (mm). Defaults and their sources are in
    resources/defaults.yaml."""

    service_slack_m: Number = Field(default_factory=lambda: default("cabling", "service_slack_m"), ge=0, le=10)
    objective: Literal["cost", "power", "tco"] = "cost"
    energy_usd_per_kwh: Number = Field(default_factory=lambda: default("economics", "energy_usd_per_kwh"), ge=0, le=10)
    pue: Number = Field(default_factory=lambda: default("economics", "pue"), ge=1, le=5)
    tco_years: Number = Field(default_factory=lambda: default("economics", "tco_years"), ge=0.1, le=50)
    rack_unit_mm: Number = Field(default_factory=lambda: default("rack_unit_mm"), ge=10, le=100)
    rail_width_mm: Number = Field(default_factory=lambda: default("rail_width_mm"), ge=100, le=1000)
    bend_multiplier_static: Number = Field(
        default_factory=lambda: default("cabling", "bend_multiplier_static"), gt=0, le=100
    )
    bend_multiplier_flexed: Number = Field(
        default_factory=lambda: default("cabling", "bend_multiplier_flexed"), gt=0, le=100
    )
    straight_behind_plug_od: Number = Field(
        default_factory=lambda: default("cabling", "straight_behind_plug_od"), ge=0, le=100
    )
    max_drop_offset_mm: Number = Field(
        default_factory=lambda: default("tray", "max_drop_offset_mm"),
        ge=0,
        le=100000,
        description="how far across the floor a rack may be from a tray's line and still drop into it",
    )
    tray_clearance_above_rack_mm: Number = Field(
        default_factory=lambda: default("tray", "clearance_above_rack_mm"), ge=0, le=5000
    )
    cartridge_offset_mm: Number = Field(
        default_factory=lambda: default("cartridge", "offset_mm"),
        ge=0,
        le=500,
        description="from a blind-mate port back to the rear cable cartridge's cable plane",
    )
    cartridge_room_mm: Number = Field(
        default_factory=lambda: default("cartridge", "room_mm"),
        gt=0,
        le=1000,
        description="room a cable bends in inside the rear cable cartridge",
    )
    pass_through_max_gap_mm: Number = Field(
        default_factory=lambda: default("rack", "pass_through_max_gap_mm"),
        ge=0,
        le=1000,
        description="racks side by side at most this far apart pass cables through their side openings",
    )
    auto_row_tray: Flag = Field(
        default=True,
        description="placing a rack in a row lays or extends the row's overhead tray in the same edit",
    )
    row_join_gap_mm: Number = Field(
        default_factory=lambda: default("tray", "row_join_gap_mm"),
        ge=0,
        le=10000,
        description="racks in one line at most this far apart are one row and share its tray",
    )


MAX_SCENARIOS = 50
MAX_PRODUCT_OVERRIDES = 500
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_text(value: str) -> str:
    if value and not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    return value


class LayoutInfo(_Model):
    """Who and what a layout is for, as its title block shows it: site, hall, author and
    revision (free text) and the revision's date ('YYYY-MM-DD', or empty)."""

    site: Text = ""
    hall: Text = ""
    author: Text = ""
    revision: Text = ""
    date: Annotated[Text, AfterValidator(_date_text)] = Field(default="", description="YYYY-MM-DD, or empty")


def _pattern(kind: str) -> AfterValidator:
    def check(value: str) -> str:
        check_pattern(kind, value)
        return value

    return AfterValidator(check)


class NamingScheme(_Model):
    """How new and renumbered things are named (model.naming): patterns with {fields}, e.g.
    '{hall}-{row}{rack:02}' for racks, '{rack}-{kind}{device}' for devices, 'C{cable:05}' for
    cable ids. An empty pattern leaves names as they are."""

    rack: Annotated[Text, _pattern("rack")] = "R{rack:02}"
    device: Annotated[Text, _pattern("device")] = "{rack}-U{u:02}"
    cable: Annotated[Text, _pattern("cable")] = "C{cable:05}"


class ProductOverride(_Model):
    """A scenario's edit of one catalog cable product; a figure left out keeps the catalog's."""

    product: Reference = Field(description="the catalog id of the cable product")
    fixed_usd: MaybeNumber = Field(default=None, ge=0, le=1e7, description="price per cable, USD")
    per_m_usd: MaybeNumber = Field(default=None, ge=0, le=1e6, description="price per ordered metre, USD")
    power_w: MaybeNumber = Field(default=None, ge=0, le=10_000, description="power of one cable, both ends, W")
    afr_percent: MaybeNumber = Field(default=None, ge=0, le=100, description="annual failure rate, % per year")


class Scenario(_Model):
    """A named what-if on the same racks and cables (model.scenarios applies it); a field
    left out keeps the base layout's value."""

    name: Annotated[Text, Field(min_length=1)]
    lane_rate_gbps: MaybeNumber = Field(
        default=None, gt=0, le=1000, description="ports move to this rate per lane where the catalog has products"
    )
    medium_policy: Literal["as-chosen", "copper-aec", "all-optical"] = Field(
        default="as-chosen", description="as-chosen; copper-aec: copper runs as AEC; all-optical: no copper"
    )
    objective: Literal["cost", "power", "tco"] | None = None
    tray_elevation_mm: MaybeNumber = Field(
        default=None, ge=-2000, le=10000, description="every tray's bottom at this height above the floor"
    )
    service_slack_m: MaybeNumber = Field(default=None, ge=0, le=10)
    products: list[ProductOverride] = Field(default=[], max_length=MAX_PRODUCT_OVERRIDES)


def _unique_names(scenarios: list[Scenario]) -> list[Scenario]:
    names = [s.name for s in scenarios]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"scenario names repeat: {', '.join(map(repr, repeated[:3]))}")
    if "base" in (n.casefold() for n in names):
        raise ValueError("'base' names the layout itself, not a scenario")
    return scenarios


class Site(_Model):
    """A layout file's content: a named site with its settings, racks, trays, cables and
    scenarios; `kind` and `schema_version` say what the file is and which version wrote it."""

    kind: Literal["rack-designer-layout"] = FILE_KIND
    schema_version: int = SCHEMA_VERSION
    name: Text = "Untitled layout"
    info: LayoutInfo = Field(default_factory=LayoutInfo, description="site, hall, author, revision, date")
    naming: NamingScheme = Field(default_factory=NamingScheme, description="name patterns of racks, devices, cables")
    settings: SiteSettings = Field(default_factory=SiteSettings)
    racks: list[Rack] = Field(default=[], max_length=MAX_RACKS)
    trays: list[Tray] = Field(default=[], max_length=MAX_TRAYS)
    cables: list[Cable] = Field(default=[], max_length=MAX_CABLES)
    scenarios: Annotated[list[Scenario], AfterValidator(_unique_names)] = Field(
        default=[], max_length=MAX_SCENARIOS, description="named what-ifs on these racks and cables"
    )


def share_fields_sets(models: Iterable[BaseModel]) -> None:
    """Lets every model of `models` (cables, racks, devices, trays: any pydantic models) whose
    every field was given (as in every file this tool writes) share one
    `__pydantic_fields_set__` per model class. Changes them in place; returns and raises nothing.

    Why: pydantic keeps a set of the given field names per object, and a set of five names
    or more takes 728 bytes, over half of a cable's memory (300,000 cables: 218 MB of the
    ~520 MB a 100,000-accelerator layout took; measured with tracemalloc, bench/memory.py).
    Sharing is safe because a full set never changes: an assignment adds a name it already
    holds, and model_copy copies the set. A model missing a field keeps its own set.
    """
    shared: dict[type, set[str]] = {}
    for item in models:
        kind = type(item)
        full = shared.get(kind)
        if full is None:
            full = shared[kind] = set(kind.model_fields)
        if len(item.__pydantic_fields_set__) == len(full):  # a subset of the fields: equal when as long
            object.__setattr__(item, "__pydantic_fields_set__", full)
