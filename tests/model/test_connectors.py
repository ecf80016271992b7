"""The connector table: which plug fits which cage, and why not (resources/catalog/connectors.yaml)."""

import pytest

from model.connectors import connector_table, load_connectors
from model.errors import CatalogError


def test_every_connector_and_fit_has_a_source():
    table = connector_table()
    assert {"OSFP", "OSFP-RHS", "QSFP-DD", "QSFP112", "QSFP56", "QSFP28", "NVLINK"} <= set(table.connectors)
    for connector in table.connectors.values():
        assert {"width_mm", "lanes"} <= set(connector.sources)
    assert all(fit.source for fit in table.fits.values())


def test_cage_widths_are_the_msa_figures():
    table = connector_table()
    assert table.connector("OSFP").width_mm == pytest.approx(22.58)
    assert table.connector("QSFP-DD").width_mm == pytest.approx(18.35)
    assert table.connector("QSFP112").width_mm == table.connector("QSFP28").width_mm
    assert table.connector("NVLINK").width_mm is None  # blind-mate, not a cage


def test_qsfp_family_plugs_into_qsfp_dd():
    table = connector_table()
    for plug in ("QSFP28", "QSFP56", "QSFP112"):
        assert table.fit(plug, "QSFP-DD").fit == "direct"
        assert table.link_plug(plug, "QSFP-DD") == plug
        assert table.link_plug("QSFP-DD", plug) == plug
    assert table.link_plug("OSFP", "OSFP") == "OSFP"


def test_qsfp_into_osfp_needs_an_adapter_and_is_refused_naming_it():
    table = connector_table()
    assert table.fit("QSFP112", "OSFP").fit == "adapter"
    with pytest.raises(ValueError, match="only with an OSFP-to-QSFP adapter"):
        table.link_plug("QSFP112", "OSFP")


def test_osfp_and_osfp_rhs_are_not_interchangeable():
    table = connector_table()
    assert table.fit("OSFP", "OSFP-RHS").fit == "no"
    assert table.fit("OSFP-RHS", "OSFP").fit == "no"
    # No plug fits both: a link takes only a cable with one end of each (connectors.yaml mixed_ends).
    assert table.link_plug("OSFP", "OSFP-RHS") == table.link_plug("OSFP-RHS", "OSFP") == "OSFP ↔ OSFP-RHS"
    assert "riding-heat-sink" in table.why_not("OSFP", "OSFP-RHS")
    with pytest.raises(ValueError, match="no cable joins OSFP-RHS and QSFP-DD"):
        table.link_plug("OSFP-RHS", "QSFP-DD")


def test_a_link_runs_at_the_slower_lanes_over_the_fewer():
    table = connector_table()
    # A ConnectX-8 (8 lanes of up to 200G, 800G at most) into a Q3400 XDR port (4 x 200G) and an SN5600 port (8 x 100G).
    cx8 = ("OSFP-RHS", 800, 8, 200)
    assert table.link(cx8, ("OSFP", 800, 4, 200)) == ("OSFP ↔ OSFP-RHS", 800, 4)
    assert table.link(cx8, ("OSFP", 800, 8, 100)) == ("OSFP ↔ OSFP-RHS", 800, 8)
    # A ConnectX-7 (4 x 100G) into a QM9700 NDR port, and a 100G QSFP28 host into a QSFP-DD port.
    assert table.link(("OSFP-RHS", 400, 4, 100), ("OSFP", 400, 4, 100)) == ("OSFP ↔ OSFP-RHS", 400, 4)
    assert table.link(("QSFP28", 100, 4, 25), ("QSFP-DD", 400, 8, 50)) == ("QSFP28", 100, 4)


def test_unknown_connector_is_named():
    with pytest.raises(ValueError, match="CXP is not in the connector table"):
        connector_table().link_plug("CXP", "OSFP")


def test_a_fit_naming_an_unknown_connector_is_refused(tmp_path):
    path = tmp_path / "connectors.yaml"
    path.write_text(
        "connectors:\n"
        "  - {id: OSFP, width_mm: 22.58, lanes: 8, sources: {width_mm: x, lanes: y}}\n"
        "fits:\n"
        "  - {plug: CXP, cage: OSFP, fit: direct, source: z}\n"
    )
    with pytest.raises(CatalogError, match=r"fits\[0\]: CXP is not among the connectors"):
        load_connectors(path)


def test_a_width_without_source_is_refused(tmp_path):
    path = tmp_path / "connectors.yaml"
    path.write_text("connectors:\n  - {id: OSFP, width_mm: 22.58, lanes: 8, sources: {lanes: y}}\n")
    with pytest.raises(CatalogError, match="no source for width_mm"):
        load_connectors(path)


@pytest.mark.parametrize(
    ("pairs", "words"),
    [
        ("  - {ends: [OSFP, CXP], source: z}\n", r"mixed_ends\[0\]: CXP is not among the connectors"),
        (
            "  - {ends: [OSFP, OSFP-RHS], source: z}\n  - {ends: [OSFP-RHS, OSFP], source: z}\n",
            r"mixed_ends\[1\]: .* repeat",
        ),
        ("  - {ends: [OSFP, OSFP-RHS]}\n", r"mixed_ends\[0\]\.source: Field required"),
    ],
)
def test_a_bad_mixed_ends_pair_is_refused_naming_the_entry(tmp_path, pairs, words):
    path = tmp_path / "connectors.yaml"
    path.write_text(
        "connectors:\n"
        "  - {id: OSFP, width_mm: 22.58, lanes: 8, sources: {width_mm: x, lanes: y}}\n"
        "  - {id: OSFP-RHS, width_mm: 22.58, lanes: 8, sources: {width_mm: x, lanes: y}}\n"
        "mixed_ends:\n" + pairs
    )
    with pytest.raises(CatalogError, match=words):
        load_connectors(path)
