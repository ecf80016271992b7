"""model.io.netbox_keys: keys the devicetype-library schema does not have, named with the key meant."""

from __future__ import annotations

from model.io.netbox_keys import closest_key, unknown_key_warnings, unknown_keys


def test_a_clean_device_type_has_no_unknown_keys():
    data = {
        "manufacturer": "X",
        "model": "Y",
        "slug": "x-y",
        "u_height": 1,
        "interfaces": [{"name": "swp1", "type": "800gbase-x-osfp", "mgmt_only": False, "label": "1"}],
        "front-ports": [{"name": "F1", "type": "lc", "rear_port": "R1", "rear_port_position": 1}],
        "rear-ports": [{"name": "R1", "type": "mpo", "positions": 6}],
    }
    assert unknown_keys(data) == {}
    assert unknown_key_warnings(data) == []


def test_misspelt_keys_are_found_at_the_top_and_in_components():
    data = {
        "model": "Y",
        "odule-bays": [{"name": "Slot 1"}],
        "front-ports": [
            {"name": "1-2", "type": "lc", "rear_port": "R", "rear_port_postion": 1},
            {"name": "3-4", "type": "lc", "rear_port": "R", "rear_port_postion": 2},
        ],
    }
    assert unknown_keys(data) == {"": ["odule-bays"], "front-ports[1-2]": ["rear_port_postion"]}
    assert closest_key("odule-bays", "") == "module-bays"
    assert closest_key("rear_port_postion", "front-ports[1-2]") == "rear_port_position"
    assert closest_key("colour_scheme", "") is None
    lines = unknown_key_warnings(data)
    assert lines[0].startswith("left out unknown key(s): 'odule-bays' (did you mean 'module-bays'?)")
    assert lines[1].startswith(
        "left out unknown key(s) in front-ports[1-2]: 'rear_port_postion' (did you mean 'rear_port_position'?)"
    )
