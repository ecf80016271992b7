"""Keys a devicetype-library file has that its schema does not (typos, mostly).

The devicetype-library's JSON schema allows no other keys, yet files with typos are in the
library (Cisco N9K-C9504's 'odule-bays', Corning CCH-UM12-04-89G's 'rear_port_postion').
Read as written, such a key is lost in silence: its bays vanish, its front ports all fall on
position 1. The keys allowed are data in resources/netbox_interface_types.yaml schema_keys.
"""

from __future__ import annotations

import difflib
from typing import Any

from model.io.netbox_ports import few
from model.io.netbox_table import netbox_table
from model.text import brief


def unknown_keys(data: dict[str, Any]) -> dict[str, list[str]]:
    """The keys not in the devicetype-library schema, by where they are: '' for the top level,
    '<list>[<name>]' for a component entry (first entries only: one line per list)."""
    keys = netbox_table()["schema_keys"]
    found: dict[str, list[str]] = {}
    top = [str(k) for k in data if str(k) not in keys["device_type"]]
    if top:
        found[""] = top
    for key, allowed in keys["components"].items():
        entries = data.get(key)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            extra = [str(k) for k in entry if str(k) not in allowed]
            if extra:
                found[f"{key}[{entry.get('name')}]"] = extra
                break  # a typo is repeated on every entry of the list; one is enough to say
    return found


def closest_key(key: str, where: str) -> str | None:
    """The schema key closest to `key` at `where` ('' or '<list>[...]'), or None when none is close."""
    table = netbox_table()["schema_keys"]
    allowed = table["device_type"] if not where else table["components"][where.split("[", 1)[0]]
    match = difflib.get_close_matches(key, allowed, n=1, cutoff=0.8)
    return match[0] if match else None


def unknown_key_warnings(data: dict[str, Any]) -> list[str]:
    """One line per place with keys the schema does not have: 'left out unknown key(s)
    'odule-bays' (NetBox's is 'module-bays'): ...'."""
    lines = []
    for where, keys in unknown_keys(data).items():
        said = []
        for key in keys:
            near = closest_key(key, where)
            said.append(f"{brief(key)}" + (f" (did you mean {near!r}?)" if near else ""))
        place = f" in {where}" if where else ""
        lines.append(
            f"left out unknown key(s){place}: {few(said)}; the devicetype-library schema has no such key, "
            "so what it says is not read"
        )
    return lines
