"""The committed JSON Schema matches the models, and the file-format doc tells the truth."""

from __future__ import annotations

import json
import re

from model.io import schema
from model.io.files import loads_layout
from model.layout import Cable, Device, Rack, Site, SiteSettings, Tray
from model.resources import RESOURCES_DIR

DOC = RESOURCES_DIR.parent / "docs" / "file-format.md"


def test_committed_schema_equals_the_generated_one():
    committed = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert committed == schema.layout_json_schema(), "run: python -m model.io.schema"


def test_schema_describes_the_layout():
    generated = schema.layout_json_schema()
    assert generated["$schema"].endswith("2020-12/schema")
    assert generated["required"] == ["kind", "schema_version"]
    assert generated["properties"]["kind"]["const"] == "rack-designer-layout"
    rack = generated["$defs"]["Rack"]
    assert rack["properties"]["height_u"]["maximum"] == 60
    assert rack["additionalProperties"] is False


def test_main_writes_the_schema(tmp_path, capsys):
    target = tmp_path / "layout.schema.json"
    assert schema.main([str(target)]) == 0
    assert json.loads(target.read_text()) == schema.layout_json_schema()
    assert "wrote" in capsys.readouterr().out


def test_the_doc_example_loads():
    text = DOC.read_text(encoding="utf-8")
    examples = re.findall(r"```json\n(.*?)```", text, re.S)
    assert examples, "docs/file-format.md needs a ```json example"
    site = loads_layout(examples[0], "docs/file-format.md")
    assert site.racks[0].devices[0].u_position == 10
    assert site.cables[0].a == "srv1:nic1"


def test_the_doc_names_every_field():
    text = DOC.read_text(encoding="utf-8")
    for model in (Site, SiteSettings, Rack, Device, Tray, Cable):
        for name in model.model_fields:
            assert f"`{name}`" in text, f"docs/file-format.md does not describe {model.__name__}.{name}"
