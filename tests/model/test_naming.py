"""Naming schemes: patterns checked on the way in, names planned from them, clashes refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from model.document import Document
from model.errors import LayoutError
from model.layout import LayoutInfo, NamingScheme, Site
from model.naming import check_pattern, check_unique, fill, next_free_name, plan_device_names, plan_rack_names
from model.placement import copy_payload, next_rack, plan_paste
from tests.gui.sites import small_site


def test_a_pattern_takes_only_its_own_fields_and_widths():
    check_pattern("rack", "{hall}-{row}{rack:02}")
    check_pattern("device", "{rack}-{kind}{device}")
    check_pattern("cable", "{a_rack}-{a_u}:{a_port}/{b_rack}-{b_u}:{b_port}")
    for kind, bad, says in [
        ("rack", "{u}", "not a rack pattern field"),
        ("rack", "{rack.__class__}", "not a rack pattern field"),  # no attribute access from a file
        ("rack", "{rack[0]}", "not a rack pattern field"),
        ("rack", "{row:>99}", "takes no format"),
        ("rack", "{rack:999}", "takes a width"),
        ("rack", "{rack!r}", "no conversion"),
        ("rack", "{rack", "braces"),
    ]:
        with pytest.raises(ValueError, match=says):
            check_pattern(kind, bad)


def test_a_file_with_a_bad_pattern_is_refused_naming_the_field():
    with pytest.raises(ValidationError, match="naming.rack"):
        Site.model_validate({"naming": {"rack": "{floor}"}})
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        LayoutInfo(date="30/11/2026")


def test_an_old_file_without_info_or_naming_reads_with_the_defaults():
    site = Site.model_validate({"name": "old"})
    assert site.info == LayoutInfo() and site.naming == NamingScheme()


def test_fill_drops_separators_an_empty_field_leaves():
    assert fill("{hall}-{row}{rack:02}", {"hall": "", "row": "B", "rack": 7}) == "B07"
    assert fill("{hall}-{row}{rack:02}", {"hall": "H1", "row": "B", "rack": 7}) == "H1-B07"


def test_racks_are_numbered_by_row_then_along_it():
    site = small_site()
    site.info = LayoutInfo(hall="DH1")
    site.naming = NamingScheme(rack="{hall}-{row}{rack:02}")
    racks = [site.racks[1], site.racks[0]]  # the order given does not matter
    assert plan_rack_names(site, racks, start=3) == {"R1": "DH1-A03", "R2": "DH1-A04"}


def test_devices_count_from_the_bottom_of_each_rack_with_the_racks_new_name():
    doc = Document(small_site())
    doc.site.naming = NamingScheme(device="{rack}-{kind}{device}")
    pairs = [(doc.device_rack[d], doc.devices[d]) for d in ("T2", "T1", "T3")]
    names = plan_device_names(doc.site, doc.catalog, pairs, rack_names={"R1": "A01"})
    kind = doc.catalog.devices[doc.devices["T1"].type].kind
    assert names == {"T1": f"A01-{kind}1", "T2": f"A01-{kind}2", "T3": f"R2-{kind}1"}


def test_a_clash_names_both_things():
    with pytest.raises(LayoutError, match=r"'A01' would be both rack 'A01' \(id R1\) and rack R2"):
        check_unique("rack", {"R2": "A01"}, {"R1": "A01", "R2": ""})
    with pytest.raises(LayoutError, match="both device D1 and device D2"):
        check_unique("device", {"D1": "x", "D2": "x"}, {"D1": "", "D2": ""})
    check_unique("rack", {"R1": "B01", "R2": "A01"}, {"R1": "A01", "R2": "B01"})  # a swap is fine


def test_next_free_name_skips_taken_numbers_and_suffixes_a_pattern_without_one():
    assert next_free_name(lambda n: f"R{n:02}", {"R01", "R02"}) == ("R03", 3)
    assert next_free_name(lambda n: "spine", {"spine", "spine-2"}) == ("spine-3", 1)


def test_pasted_and_inserted_racks_follow_the_scheme_not_copy_names():
    doc = Document(small_site())
    doc.update_rack("R1", name="R01")
    doc.update_rack("R2", name="R02")
    racks, _, cables = plan_paste(doc, copy_payload(doc, ["R1"], []), None)
    assert racks[0].id == "R1-copy1" and racks[0].name == "R03"  # the id stays unique; the name is the scheme's
    assert [d.name for d in racks[0].devices] == ["R03-U05", "R03-U09"]
    assert [c.label for c in cables] == ["C00003"]  # numbered on from the layout's 2 cables
    assert next_rack(doc).name == "R03"
    doc.site.naming = NamingScheme(rack="", device="", cable="")
    racks, _, cables = plan_paste(doc, copy_payload(doc, ["R1"], []), None)
    assert racks[0].name == "R01" and cables[0].label == ""  # no scheme: the copy keeps what it had


def test_a_name_never_outgrows_what_a_file_holds():
    from model.layout import MAX_TEXT
    from model.naming import MAX_NAME

    assert MAX_NAME == MAX_TEXT
    doc = Document(small_site())
    doc.site.info = LayoutInfo(site="s" * 200, hall="h" * 200)
    doc.site.naming = NamingScheme(rack="{site}-{hall}-{rack}")
    rack = next_rack(doc)  # inserted racks are named without validation: the cut must hold
    assert len(rack.name) == MAX_TEXT
    Site.model_validate({"racks": [rack.model_dump()]})  # and a file holds it
