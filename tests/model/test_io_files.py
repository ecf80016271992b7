"""Layout files: exact round trips, one-line refusals naming file and place, atomic saves."""

from __future__ import annotations

import json
import os
import stat

import pytest

from model.errors import FileFormatError, LayoutError
from model.io import files
from model.io.files import dumps_layout, load_layout, loads_layout, save_layout
from model.layout import SCHEMA_VERSION, Cable, Device, Rack, Site, Tray
from model.topologies import build_sample


def small_site() -> Site:
    rack = Rack(
        id="A1",
        name="Rack A1",
        x_mm=0.1,
        y_mm=-2.5,
        devices=[
            Device(id="srv1", type="server-8gpu-800g", u_position=10),
            Device(id="leaf1", type="switch-51t2-64x800g", u_position=40, face="rear"),
        ],
    )
    tray = Tray(id="T1", points=[(-1500.0, 0.0), (1500.0, 0.0)], elevation_mm=2450)
    cable = Cable(id="c1", a="srv1:nic1", b="leaf1:p1", pinned_medium="AEC", label="first ↔ link")
    return Site(name="Small — ü", racks=[rack], trays=[tray], cables=[cable])


def as_text(site: Site) -> str:
    return json.dumps(site.model_dump(mode="json"))


def refusal(text: str, origin: str = "lay.json") -> str:
    with pytest.raises((FileFormatError, LayoutError)) as info:
        loads_layout(text, origin)
    message = str(info.value)
    assert "\n" not in message, message
    assert origin in message
    return message


@pytest.mark.parametrize(
    "make",
    [
        small_site,
        lambda: build_sample("trn2-ultra64"),
        lambda: build_sample("gb200-nvl72"),
        lambda: build_sample("scaleout-pod", accelerators=512),
    ],
    ids=["small", "trn2-ultra64", "gb200-nvl72", "scaleout-pod"],
)
def test_round_trip_is_exact(tmp_path, make):
    site = make()
    path = tmp_path / "layout.json"
    save_layout(site, path)
    loaded = load_layout(path)
    assert loaded == site
    assert dumps_layout(loaded) == path.read_text(encoding="utf-8")


def test_saved_file_is_pretty_json_with_every_field(tmp_path):
    path = tmp_path / "layout.json"
    save_layout(small_site(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('{\n "kind": "rack-designer-layout",')
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["racks"][0]["height_u"] == 48  # defaults are written out
    assert "service_slack_m" in data["settings"]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("  \n")
    with pytest.raises(FileFormatError, match=r"empty\.json is empty"):
        load_layout(path)


def test_truncated_file_names_line_and_column():
    text = as_text(small_site())
    lines = json.dumps(json.loads(text), indent=1).splitlines()
    cut = "\n".join(lines[:7])
    message = refusal(cut)
    assert "line 7 column" in message
    assert "truncated" in message
    mid_string = refusal(text[: text.index('"name"') + 3])  # cut inside a string
    assert "truncated" in mid_string and "starting at" not in mid_string


def test_broken_json_names_line_and_column():
    message = refusal('{\n "kind": "rack-designer-layout",\n "name": "x" "racks": []\n}')
    assert "line 3 column 14" in message
    assert "delimiter" in message


@pytest.mark.parametrize("text", ["[1, 2]", '"hello"', '{"kind": "something-else"}', '{"name": "x"}'])
def test_json_of_another_kind(text):
    assert refusal(text).startswith("lay.json is not a Rack Designer layout (JSON of another kind: ")


def test_newer_version_is_refused():
    data = json.loads(as_text(small_site()))
    data["schema_version"] = SCHEMA_VERSION + 1
    message = refusal(json.dumps(data))
    assert f"needs schema version {SCHEMA_VERSION + 1}; this Rack Designer reads up to {SCHEMA_VERSION}" in message


@pytest.mark.parametrize("version", ["1", 1.5, True, None])
def test_version_must_be_a_whole_number(version):
    data = json.loads(as_text(small_site()))
    data["schema_version"] = version
    assert "schema_version must be a whole number" in refusal(json.dumps(data))


def test_missing_version():
    data = json.loads(as_text(small_site()))
    del data["schema_version"]
    assert "schema_version is missing" in refusal(json.dumps(data))


def test_validation_error_names_the_path():
    data = json.loads(as_text(small_site()))
    data["racks"][0]["devices"][1]["u_position"] = 0
    with pytest.raises(LayoutError) as info:
        loads_layout(json.dumps(data), "lay.json")
    assert info.value.where == "racks[0].devices[1].u_position"
    assert str(info.value) == (
        "lay.json: racks[0].devices[1].u_position: Input should be greater than or equal to 1 (got 0)"
    )


def test_absurd_rack_height_reads_well():
    data = json.loads(as_text(small_site()))
    data["racks"][0]["height_u"] = 10000
    assert refusal(json.dumps(data)) == (
        "lay.json: racks[0].height_u: Input should be less than or equal to 60 (got 10,000)"
    )


def test_unknown_field_and_several_problems():
    data = json.loads(as_text(small_site()))
    data["racks"][0]["colour"] = "red"
    data["cables"][0]["a"] = "nocolon"
    message = refusal(json.dumps(data))
    assert "racks[0].colour: unknown field (misspelt?)" in message
    assert "(and 1 more problem)" in message


def test_rule_break_names_the_place():
    data = json.loads(as_text(small_site()))
    data["racks"][0]["devices"][1]["u_position"] = 12  # into the 8U server at U10-17
    with pytest.raises(LayoutError) as info:
        loads_layout(json.dumps(data), "lay.json")
    assert info.value.where == "racks[0].devices[0].u_position"
    assert str(info.value).startswith("lay.json: racks[0].devices[0].u_position: U10-17 overlaps device 'leaf1'")


def test_unknown_port_names_the_cable_end():
    data = json.loads(as_text(small_site()))
    data["cables"][0]["b"] = "leaf1:p99"
    message = refusal(json.dumps(data))
    assert message.startswith("lay.json: cables[0].b: device 'leaf1' (")
    assert message.endswith("has no port 'p99'")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant):
    text = as_text(small_site()).replace('"x_mm": 0.1', f'"x_mm": {constant}')
    assert "not a number a layout may hold" in refusal(text)


def test_repeated_keys_are_refused():
    text = as_text(small_site()).replace('"name": "Small', '"name": "One", "name": "Small', 1)
    assert "the key 'name' appears twice" in refusal(text)


def test_deep_nesting_is_refused_cleanly():
    assert "not valid JSON" in refusal("[" * 100000 + "]" * 100000)


def test_unreadable_and_binary_files(tmp_path):
    with pytest.raises(FileFormatError, match=r"missing\.json: cannot read"):
        load_layout(tmp_path / "missing.json")
    binary = tmp_path / "image.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(FileFormatError, match=r"image\.json: line 1 column 1: not a text file"):
        load_layout(binary)
    # Text in another encoding says which and what to do (it was called "not a text file").
    utf16 = tmp_path / "unicode.json"
    utf16.write_bytes('{"name": "hall"}'.encode("utf-16"))
    with pytest.raises(FileFormatError, match=r"unicode\.json: .*UTF-16 text, not UTF-8: save the file as UTF-8"):
        load_layout(utf16)
    utf16.write_bytes('{"name": "hall"}'.encode("utf-16-le"))  # no byte-order mark
    with pytest.raises(FileFormatError, match="UTF-16 text, not UTF-8"):
        load_layout(utf16)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"name": "Salle é"}'.encode("latin-1"))
    with pytest.raises(FileFormatError, match=r"line 1 column 17: not UTF-8 text \(byte 16 is 0xE9\): save the file"):
        load_layout(latin)
    with pytest.raises(FileFormatError, match="cannot read"):
        load_layout(tmp_path)


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + as_text(small_site()).encode())
    assert load_layout(path) == small_site()


# ---- atomic saving --------------------------------------------------------------------
def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_failed_rename_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "layout.json"
    save_layout(small_site(), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    changed = small_site()
    changed.name = "changed"
    with pytest.raises(FileFormatError) as info:
        save_layout(changed, path)
    assert str(info.value) == f"cannot save {path}: Input/output error"
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "layout.json"
    save_layout(small_site(), path)
    before = path.read_bytes()

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", no_space)
    with pytest.raises(FileFormatError, match="No space left on device"):
        save_layout(build_sample("trn2-ultra64"), path)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_save_writes_through_a_temp_file_that_is_synced(tmp_path, monkeypatch):
    calls = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])

    def replace(src, dst):
        calls.append(("replace", os.path.dirname(src) == str(tmp_path), os.path.basename(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    save_layout(small_site(), tmp_path / "layout.json")
    assert calls[0] == "fsync"
    assert ("replace", True, "layout.json") in calls


def test_save_into_a_missing_folder_or_onto_a_folder(tmp_path):
    with pytest.raises(FileFormatError, match="cannot save .*No such file or directory"):
        save_layout(small_site(), tmp_path / "nowhere" / "layout.json")
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(FileFormatError, match="it is a folder"):
        save_layout(small_site(), tmp_path / "dir.json")


def test_save_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "layout.json"
    path.write_text("old")
    path.chmod(0o640)
    save_layout(small_site(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def _four_cables() -> dict:
    data = json.loads(as_text(small_site()))
    data["cables"] = [
        {**data["cables"][0], "id": f"c{i}", "a": f"srv1:nic{i}", "b": f"leaf1:p{i}"} for i in range(1, 5)
    ]
    return data


def test_cables_read_in_chunks_share_one_set_of_field_names(monkeypatch):
    monkeypatch.setattr(files, "CABLE_CHUNK", 3)  # two chunks: 3 cables, then 1
    data = _four_cables()
    del data["cables"][3]["flexed"]  # a hand-written cable without a field keeps its own set
    site = loads_layout(json.dumps(data), "lay.json")
    sets = [cable.__pydantic_fields_set__ for cable in site.cables]
    assert sets[0] is sets[1] is sets[2] and sets[0] == set(Cable.model_fields)
    assert sets[3] is not sets[0] and sets[3] == set(Cable.model_fields) - {"flexed"}
    assert site.racks[0].devices[0].__pydantic_fields_set__ is site.racks[0].devices[1].__pydantic_fields_set__
    site.cables[1].label = "moved"  # an assignment leaves the shared set, and the other cables, as they were
    assert sets[0] == set(Cable.model_fields) and [c.label for c in site.cables[:3]] == ["first ↔ link", "moved"] + [
        "first ↔ link"
    ]
    assert site.cables[0].model_copy().__pydantic_fields_set__ is not sets[0]
    assert [c.id for c in site.cables] == ["c1", "c2", "c3", "c4"]


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_a_bad_cable_in_a_later_chunk_is_named_as_in_one_piece(monkeypatch, chunk):
    data = _four_cables()
    data["cables"][2]["a"] = "nocolon"
    data["cables"][3]["rate_gbps"] = -1
    data["scenarios"] = [{"name": "base"}]
    monkeypatch.setattr(files, "CABLE_CHUNK", chunk)
    assert refusal(json.dumps(data)) == ("lay.json: cables[2].a: 'nocolon' is not 'device:port' (and 2 more problems)")


@pytest.mark.parametrize("size", [100, 0, 10])  # as said by the file; 0: a pipe; 10: a file still growing
def test_a_file_is_read_whole_without_reserving_the_limit(monkeypatch, size):
    import io

    monkeypatch.setattr(files, "_READ_PIECE", 7)
    data = bytes(range(100))
    assert files._read_at_most(io.BytesIO(data), size, 1_000) == data
    assert files._read_at_most(io.BytesIO(data), size, 50) == data[:51]  # over the limit: its first limit + 1


def test_a_layout_from_a_pipe_is_read(tmp_path):
    pipe = tmp_path / "layout.fifo"
    os.mkfifo(pipe)
    text = as_text(small_site())
    import threading

    writer = threading.Thread(target=lambda: pipe.write_text(text, encoding="utf-8"))
    writer.start()
    try:
        assert load_layout(pipe) == small_site()
    finally:
        writer.join()


def test_a_text_too_long_and_a_field_of_two_forms_are_worded_for_the_designer():
    # pydantic says "Value should have at most 200 items" of a name, and puts its validator's
    # name in the path of a field that is a port or a list of ports.
    long_name = json.dumps({"kind": "rack-designer-layout", "schema_version": SCHEMA_VERSION, "name": "x" * 300})
    assert refusal(long_name).endswith("name: is 300 characters long; at most 200 are allowed")
    data = {
        "kind": "rack-designer-layout",
        "schema_version": SCHEMA_VERSION,
        "racks": [
            {"id": "R1", "x_mm": 0, "y_mm": 0, "devices": [{"id": "d", "type": "generic-server-1u", "u_position": 1}]}
        ],
        "cables": [{"id": "c", "a": "d:p1", "b": 5}],
    }
    message = refusal(json.dumps(data))
    assert "cables[0].b: " in message and "function-after" not in message


def test_an_overlap_names_the_device_as_people_read_it_and_its_id():
    data = json.loads(as_text(small_site()))
    data["racks"][0]["devices"][1]["u_position"] = 12
    data["racks"][0]["devices"][1]["name"] = "GPU-A01-leaf"
    with pytest.raises(LayoutError) as info:
        loads_layout(json.dumps(data), "lay.json")
    assert "overlaps device 'GPU-A01-leaf' (id 'leaf1')" in str(info.value)


@pytest.mark.parametrize("name", ["trn2-ultra64", "gb200-nvl72", "scaleout-pod"])
def test_a_layout_written_a_piece_at_a_time_is_the_bytes_of_one_dump(name, monkeypatch, tmp_path):
    """The racks and cables go through pydantic's serializer a few at a time (one call over
    300,000 cables held the interpreter lock ~0.35 s, beside a window on another thread):
    the file is byte for byte what one model_dump gives, its fields in order, a layout read
    lean (the command line's cables as columns) too, breakout cables and scenarios included."""
    from model.layout import Scenario

    monkeypatch.setattr(files, "DUMP_CABLES", 7)
    monkeypatch.setattr(files, "DUMP_RACKS", 2)
    site = build_sample(name)
    site.scenarios.append(Scenario(name="what if", medium_policy="all-optical"))
    once = json.dumps(site.model_dump(mode="json"), indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    path = tmp_path / "layout.json"
    path.write_text(once, encoding="utf-8")
    assert dumps_layout(load_layout(path, lean=True)) == once
    # A breakout's ends as a list (not a layout a check would pass: its ports are taken).
    site.cables.append(Cable(id="bo-x", a=site.cables[0].a, b=[site.cables[1].b, site.cables[2].b], rate_gbps=400))
    once = json.dumps(site.model_dump(mode="json"), indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    assert list(files.layout_data(site)) == list(site.model_dump(mode="json"))
    assert dumps_layout(site) == once
