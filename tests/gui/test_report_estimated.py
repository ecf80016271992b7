"""The printed report's bill of materials says which figures of a product are estimates."""

from gui.report.tables import bom_rows
from model.session import Session
from tests.model.test_hardware_catalog_cases import DATA, _catalog_with, _imported


def test_bom_table_marks_estimated_figures():
    host = _imported("f03", "nic-host.yaml")[0]
    result = Session.open(DATA / "f03" / "pair.json", _catalog_with(host)).result
    rows = bom_rows(result)
    assert rows[0][0] == "dac-400g-qsfp112-30awg"
    assert rows[0][1] == "400G QSFP112 DAC, 30 AWG (estimated: od_mm)"
    assert rows[-1][0] == "Grand total"
