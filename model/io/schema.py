"""The layout file's JSON Schema, generated from the pydantic models.

`python -m model.io.schema` rewrites resources/layout.schema.json; a test fails
when the committed file and the models drift apart. Editors that know JSON Schema
(VS Code, JetBrains) then check hand-written layouts as they are typed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from model.layout import Site
from model.resources import resource_path

SCHEMA_PATH = resource_path("layout.schema.json")
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def layout_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a layout file, generated from model.layout's models."""
    schema = Site.model_json_schema()
    schema["title"] = "Rack Designer layout"
    schema["description"] = "A site with racks, devices, trays and cables; see docs/file-format.md."
    # The models default these two, but a file must say what it is and which version wrote it
    # (model.io.files refuses a file without them).
    schema["required"] = ["kind", "schema_version"]
    return {"$schema": SCHEMA_DIALECT, **schema}


def schema_text() -> str:
    """The schema as resources/layout.schema.json holds it: indented JSON, UTF-8 text, one final newline."""
    return json.dumps(layout_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> None:
    """Writes schema_text() to `path` atomically; raises FileFormatError (or OSError) when it cannot."""
    from model.io.files import write_text_atomic

    write_text_atomic(path, schema_text())


def main(argv: list[str] | None = None) -> int:
    """`python -m model.io.schema [PATH]`: regenerates the committed schema (or writes it to PATH); returns 0."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else SCHEMA_PATH
    write_schema(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
