"""Cable schedule and bill of materials CSVs, read back with the csv module and checked against the analysis."""

from __future__ import annotations

import csv
import io

import pytest

from model.analysis import analyse
from model.document import Document
from model.io.exports import BOM_COLUMNS, SCHEDULE_COLUMNS, write_bom, write_cable_schedule
from model.io.files import atomic_text_write
from model.topologies import build_sample


@pytest.fixture(scope="module", params=["trn2-ultra64", "gb200-nvl72"])
def result(request):
    return analyse(Document(build_sample(request.param)))


def read(write_fn, result) -> list[dict[str, str]]:
    handle = io.StringIO()
    write_fn(result, handle)
    handle.seek(0)
    return list(csv.DictReader(handle))


def optional(text: str) -> float | None:
    return float(text) if text else None


def test_schedule_has_one_row_per_cable_with_the_results_figures(result):
    table = read(write_cable_schedule, result)
    assert list(table[0]) == SCHEDULE_COLUMNS
    assert len(table) == len(result.cable_ids)
    for i, row in enumerate(table):
        report = result.cable(i)
        assert row["label"] == report.label
        assert row["cable_id"] == report.id  # the samples' cables have no label: the id is what people read
        assert (row["a_rack"], int(row["a_u"]), row["a_device"], row["a_port"]) == (
            report.a_end.rack_name,
            report.a_end.u,
            report.a_end.device_name,
            report.a_end.port,
        )
        assert (row["b_rack"], int(row["b_u"]), row["b_device"], row["b_port"]) == (
            report.b_end.rack_name,
            report.b_end.u,
            report.b_end.device_name,
            report.b_end.port,
        )
        assert row["medium"] == (report.medium or "")
        assert row["product"] == (report.product_id or "")
        assert optional(row["gauge_awg"]) == report.gauge_awg
        assert float(row["length_m"]) == pytest.approx(report.length_m, abs=5e-4)
        assert optional(row["ordered_length_m"]) == report.ordered_length_m
        assert float(row["power_w"]) == pytest.approx(report.power_w, abs=5e-4)
        assert float(row["cost_usd"]) == pytest.approx(report.cost_usd, abs=5e-3)
    total = sum(float(row["cost_usd"]) for row in table)
    assert total == pytest.approx(result.totals["cost_usd"], rel=1e-6)


def test_bom_lines_add_up_to_the_cables(result):
    table = read(write_bom, result)
    assert list(table[0]) == BOM_COLUMNS
    assert len(table) == len(result.bom)
    for row, line in zip(table, result.bom):
        assert row["product"] == line.product_id
        assert row["product_name"] == line.product_name
        assert row["medium"] == line.medium
        assert float(row["ordered_length_m"]) == line.ordered_length_m
        assert int(row["quantity"]) == line.quantity
        assert float(row["unit_cost_usd"]) == pytest.approx(line.unit_cost_usd, abs=5e-3)
        assert float(row["total_usd"]) == pytest.approx(float(row["quantity"]) * float(row["unit_cost_usd"]), abs=0.01)
    assert sum(int(row["quantity"]) for row in table) == sum(m.count for m in result.by_medium.values())
    assert sum(float(row["total_usd"]) for row in table) == pytest.approx(result.totals["cost_usd"], rel=1e-6)


def test_export_to_a_file_is_atomic(result, tmp_path):
    path = tmp_path / "schedule.csv"
    path.write_text("old schedule\n")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), atomic_text_write(path) as handle:
        write_cable_schedule(result, handle)
        raise Boom
    assert path.read_text() == "old schedule\n"
    assert [p.name for p in tmp_path.iterdir()] == ["schedule.csv"]
    with atomic_text_write(path) as handle:
        write_bom(result, handle)
    assert path.read_text().startswith(",".join(BOM_COLUMNS) + "\n")
