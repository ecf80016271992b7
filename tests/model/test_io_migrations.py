"""Migrations: registered by from-version, applied in order, pure; exercised with test-only steps."""

from __future__ import annotations

import json

import pytest

from model import layout
from model.errors import FileFormatError
from model.io import migrations
from model.io.files import dumps_layout, load_layout, loads_layout, save_layout
from model.layout import Rack, Site


def version_1_text() -> str:
    site = Site(name="Old", racks=[Rack(id="A1", x_mm=0, y_mm=0)])
    return dumps_layout(site)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry and a current version raised to 3, as if the format had moved on twice."""
    table: dict = {}
    monkeypatch.setattr(migrations, "MIGRATIONS", table)
    monkeypatch.setattr(layout, "SCHEMA_VERSION", 3)
    return table


def test_migrations_run_in_order_up_to_the_current_version(registry):
    seen = []

    @migrations.migration(2)
    def two_to_three(data):
        seen.append(("2->3", data["schema_version"], data["name"]))
        data["name"] = data["name"] + " (v3)"
        return data

    @migrations.migration(1)
    def one_to_two(data):
        seen.append(("1->2", data["schema_version"], data["name"]))
        # Version 2 renamed a rack field; the migration carries the old spelling over.
        data["name"] = data["name"] + " (v2)"
        return data

    site = loads_layout(version_1_text(), "old.json")
    assert seen == [("1->2", 1, "Old"), ("2->3", 2, "Old (v2)")]
    assert site.name == "Old (v2) (v3)"
    assert site.schema_version == 3


def test_migration_does_not_touch_its_input(registry):
    registry[1] = lambda data: {**data, "name": "new"}
    registry[2] = lambda data: data
    data = json.loads(version_1_text())
    snapshot = json.loads(json.dumps(data))
    migrated = migrations.migrate(data, "old.json")
    assert data == snapshot
    assert migrated["name"] == "new"
    assert migrated["schema_version"] == 3


def test_a_migrated_file_is_saved_at_the_current_version(registry, tmp_path):
    registry[1] = registry[2] = lambda data: data
    path = tmp_path / "old.json"
    path.write_text(version_1_text())
    site = load_layout(path)
    save_layout(site, path)
    assert json.loads(path.read_text())["schema_version"] == 3


def test_a_missing_step_is_named(registry):
    registry[1] = lambda data: data
    with pytest.raises(FileFormatError) as info:
        loads_layout(version_1_text(), "old.json")
    assert str(info.value) == "old.json: schema version 2 cannot be read by this Rack Designer (no migration from it)"


def test_a_failing_step_is_reported_not_raised(registry):
    def broken(data):
        return data["no such field"]

    registry[1] = broken
    with pytest.raises(FileFormatError, match=r"old\.json: cannot upgrade from schema version 1: KeyError"):
        loads_layout(version_1_text(), "old.json")


def test_a_step_must_return_a_layout(registry):
    registry[1] = lambda data: None
    with pytest.raises(FileFormatError, match="gave no layout"):
        loads_layout(version_1_text(), "old.json")


def test_registering_twice_is_refused(registry):
    migrations.migration(1)(lambda data: data)
    with pytest.raises(ValueError, match="already registered"):
        migrations.migration(1)(lambda data: data)


def test_version_zero_has_no_migration():
    data = json.loads(version_1_text())
    data["schema_version"] = 0
    with pytest.raises(FileFormatError, match="schema version 0 cannot be read"):
        loads_layout(json.dumps(data), "ancient.json")


def test_today_no_migration_is_needed():
    assert layout.SCHEMA_VERSION == 1
    assert all(version < layout.SCHEMA_VERSION for version in migrations.MIGRATIONS)
