"""CSV exports of an analysis: the cable schedule (one row per cable) and the bill of materials.

Both write to any text handle (a file opened by `atomic_text_write`, or stdout for the
CLI), so a failed export never leaves half a file behind. Figures are rounded to what a
schedule needs (mm for lengths, mW for power, cents for cost); empty cells mean "no
product could be chosen" and the analysis' problems say why.
"""

from __future__ import annotations

from typing import Any, TextIO

from model.io.csv_safe import safe_writer

SCHEDULE_COLUMNS = [
    "label",
    "a_rack",
    "a_u",
    "a_device",
    "a_port",
    "b_rack",
    "b_u",
    "b_device",
    "b_port",
    "medium",
    "product",
    "gauge_awg",
    "length_m",
    "ordered_length_m",
    "power_w",
    "cost_usd",
]
BOM_COLUMNS = ["product", "product_name", "medium", "ordered_length_m", "quantity", "unit_cost_usd", "total_usd"]


def write_cable_schedule(result: Any, handle: TextIO) -> None:
    """One row per cable of `result` (a model.analysis.AnalysisResult), in the result's row order."""
    writer = safe_writer(handle)
    writer.writerow(SCHEDULE_COLUMNS)
    for row in range(len(result.cable_ids)):
        report = result.cable(row, detail=False)
        writer.writerow(
            [
                report.label,
                report.a_end.rack,
                report.a_end.u,
                report.a_end.device,
                report.a_end.port,
                report.b_end.rack,
                report.b_end.u,
                report.b_end.device,
                report.b_end.port,
                report.medium or "",
                report.product_id or "",
                "" if report.gauge_awg is None else report.gauge_awg,
                _number(report.length_m, 3),
                "" if report.ordered_length_m is None else _number(report.ordered_length_m, 3),
                _number(report.power_w, 3),
                _number(report.cost_usd, 2),
            ]
        )


def write_bom(result: Any, handle: TextIO) -> None:
    """One row per product and ordered length, as the analysis' bill of materials lists them."""
    writer = safe_writer(handle)
    writer.writerow(BOM_COLUMNS)
    for line in result.bom:
        writer.writerow(
            [
                line.product_id,
                line.product_name,
                line.medium,
                _number(line.ordered_length_m, 3),
                line.quantity,
                _number(line.unit_cost_usd, 2),
                _number(line.total_usd, 2),
            ]
        )


def _number(value: float, places: int) -> str:
    # Fixed places, then trailing zeros dropped: '1.5', '0.2', '450' read well and parse back exactly.
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
