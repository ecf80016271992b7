"""What a designer draws: a site with racks on a floor, devices in racks, trays, cables.

These pydantic models are the file format (see docs/file-format.md). Structure and
numbers are checked here; rules that need the catalog (a device fits its rack, a
port exists) are checked by model.rules. Floor coordinates are in mm, x to the east
and y to the south (as on screen); a rack's position is its centre.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from model.catalog import Face, Medium
from model.defaults import default

SCHEMA_VERSION = 1
FILE_KIND = "rack-designer-layout"

Facing = Literal["north", "east", "south", "west"]
# Unit vector (floor coordinates) in which a rack's front faces.
FACING_VECTORS: dict[str, tuple[float, float]] = {
    "north": (0.0, -1.0),
    "east": (1.0, 0.0),
    "south": (0.0, 1.0),
    "west": (-1.0, 0.0),
}

_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")
Identifier = Annotated[str, Field(min_length=1, max_length=120)]


def _check_identifier(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"{value!r} may hold only letters, digits, '.', '_' and '-'")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Device(_Model):
    id: Identifier
    name: str = ""
    type: str
    u_position: int = Field(ge=1, le=60, description="lowest rack unit the device occupies (1 = bottom)")
    face: Face = Field(default="front", description="which side of the rack the device's front faces")

    _id = field_validator("id")(_check_identifier)

    @property
    def label(self) -> str:
        return self.name or self.id


class Rack(_Model):
    id: Identifier
    name: str = ""
    row: str = ""
    x_mm: float = Field(ge=-1e7, le=1e7)
    y_mm: float = Field(ge=-1e7, le=1e7)
    facing: Facing = "south"
    height_u: int = Field(default_factory=lambda: default("rack", "height_u"), ge=1, le=60)
    width_mm: float = Field(default_factory=lambda: default("rack", "width_mm"), ge=300, le=1500)
    depth_mm: float = Field(default_factory=lambda: default("rack", "depth_mm"), ge=300, le=2000)
    manager_width_mm: float = Field(default_factory=lambda: default("rack", "manager_width_mm"), ge=0, le=500)
    front_clearance_mm: float = Field(default_factory=lambda: default("rack", "front_clearance_mm"), ge=0, le=500)
    rear_clearance_mm: float = Field(default_factory=lambda: default("rack", "rear_clearance_mm"), ge=0, le=500)
    power_budget_w: float = Field(default_factory=lambda: default("rack", "power_budget_w"), ge=0, le=1e7)
    devices: list[Device] = []

    _id = field_validator("id")(_check_identifier)

    @property
    def label(self) -> str:
        return self.name or self.id


Point = tuple[float, float]


class Tray(_Model):
    id: Identifier
    name: str = ""
    kind: Literal["overhead", "underfloor"] = "overhead"
    points: list[Point] = Field(min_length=2, description="the tray's centre line on the floor plan, mm")
    elevation_mm: float = Field(ge=-2000, le=10000, description="height of the tray's bottom above the floor")
    width_mm: float = Field(default_factory=lambda: default("tray", "width_mm"), gt=0, le=2000)
    depth_mm: float = Field(default_factory=lambda: default("tray", "depth_mm"), gt=0, le=1000)
    fill_ratio: float = Field(default_factory=lambda: default("tray", "fill_ratio"), gt=0, le=1)

    _id = field_validator("id")(_check_identifier)

    @model_validator(mode="after")
    def _no_zero_segments(self) -> Tray:
        for first, second in zip(self.points, self.points[1:]):
            if first == second:
                raise ValueError(f"points repeat {first}: a tray segment needs length")
        return self

    @property
    def label(self) -> str:
        return self.name or self.id


class Cable(_Model):
    id: Identifier
    label: str = ""
    a: str = Field(description="one end, as 'device:port'")
    b: str = Field(description="the other end, as 'device:port'")
    rate_gbps: float | None = Field(default=None, gt=0, description="requested rate; the ports' rate when absent")
    pinned_medium: Medium | None = None
    pinned_product: str | None = None
    flexed: bool = Field(default=False, description="run through a moving part (sliding tray): bends at 10 x OD")

    _id = field_validator("id")(_check_identifier)

    @field_validator("a", "b")
    @classmethod
    def _port_ref(cls, value: str) -> str:
        device, sep, port = value.partition(":")
        if not sep or not device or not port:
            raise ValueError(f"{value!r} is not 'device:port'")
        return value


def split_port_ref(ref: str) -> tuple[str, str]:
    device, _, port = ref.partition(":")
    return device, port


class SiteSettings(_Model):
    service_slack_m: float = Field(default_factory=lambda: default("cabling", "service_slack_m"), ge=0, le=10)
    objective: Literal["cost", "power", "tco"] = "cost"
    energy_usd_per_kwh: float = Field(default_factory=lambda: default("economics", "energy_usd_per_kwh"), ge=0, le=10)
    pue: float = Field(default_factory=lambda: default("economics", "pue"), ge=1, le=5)
    tco_years: float = Field(default_factory=lambda: default("economics", "tco_years"), gt=0, le=50)
    rack_unit_mm: float = Field(default_factory=lambda: default("rack_unit_mm"), gt=0, le=100)
    rail_width_mm: float = Field(default_factory=lambda: default("rail_width_mm"), gt=0, le=1000)
    bend_multiplier_static: float = Field(default_factory=lambda: default("cabling", "bend_multiplier_static"), gt=0)
    bend_multiplier_flexed: float = Field(default_factory=lambda: default("cabling", "bend_multiplier_flexed"), gt=0)
    straight_behind_plug_od: float = Field(default_factory=lambda: default("cabling", "straight_behind_plug_od"), ge=0)
    max_drop_offset_mm: float = Field(
        default_factory=lambda: default("tray", "max_drop_offset_mm"),
        ge=0,
        le=100000,
        description="how far across the floor a rack may be from a tray's line and still drop into it",
    )
    tray_clearance_above_rack_mm: float = Field(
        default_factory=lambda: default("tray", "clearance_above_rack_mm"), ge=0, le=5000
    )


class Site(_Model):
    kind: Literal["rack-designer-layout"] = FILE_KIND
    schema_version: int = SCHEMA_VERSION
    name: str = "Untitled layout"
    settings: SiteSettings = Field(default_factory=SiteSettings)
    racks: list[Rack] = []
    trays: list[Tray] = []
    cables: list[Cable] = []
