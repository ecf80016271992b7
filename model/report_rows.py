"""Every cable's row of a report, a schedule or an export, built in bulk from a result's columns.

The CSV schedule, the JSON report and the printed report list each of up to 200,000
cables with its ends, product, lengths, power and cost. `cable_rows` builds those
columns once from an `AnalysisResult` (numpy gathers and one list pass per column, no
per-cable report object), and the writers format them; the printed report's text
cells come from `printed_rows`, its per-rack lists from `rack_ends`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.metrics import AnalysisResult

MISSING = "—"  # printed where there is no product, length or orderable length


@dataclass(frozen=True)
class CableRows:
    """Per cable (index = the result's cable row), the columns every listing of cables shows.

    Ends are interleaved like the engine's end rows: entry 2i is cable i's end a, 2i + 1
    its end b. Figures are the result's own columns (read-only numpy arrays): lengths in
    m (NaN: no pathway, or no orderable length), power in W, cost in USD.
    """

    ids: Sequence[str]
    label: list[str]  # the designer's label, else 'end a ↔ end b'
    a: Sequence[str]  # 'device:port' as the file names the ends
    b: Sequence[str]
    end_rack: list[str]  # rack id, per end
    end_u: np.ndarray  # lowest U of the end's device, per end (int)
    end_device: list[str]  # device id, per end
    end_port: list[str]  # port name, per end
    end_text: list[str]  # 'rack U5 device:port' by the names people read (else ids), per end
    end_rack_name: list[str]  # the rack's name, else its id, per end
    end_device_name: list[str]  # the device's name (hostname), else its id, per end
    cable_id: list[str]  # the cable's id as people read it: its label, else its id in the file
    medium: list[str | None]  # DAC, AEC, AOC, OPTICS; None: no product chosen
    product_id: list[str | None]
    product_name: list[str | None]
    gauge_awg: list[int | None]
    rate_gbps: np.ndarray
    length_m: np.ndarray  # routed run with service slack; NaN: no pathway joins the ends
    ordered_length_m: np.ndarray  # NaN: no orderable length
    power_w: np.ndarray
    cost_usd: np.ndarray
    # A breakout's rows (model.breakout): its trunk, end a to the split, and this leg's own
    # length from the split to its port (length_m less the trunk), m; NaN for a straight cable.
    trunk_m: np.ndarray
    leg_m: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def cable_rows(result: AnalysisResult, cables: slice = slice(None)) -> CableRows:
    """The columns of the cables of `result` at rows `cables` (a slice with no step; all by
    default), index 0 its first (see CableRows); about 0.5 s at 200,000 cables. A writer
    asks for a block at a time: the text columns of 300,000 cables held at once were about
    150 MB of a report's peak (bench/memory.py)."""
    state = result.state
    c = state.compiled
    start, stop, _ = cables.indices(len(result.cable_ids))
    cables = slice(start, stop)
    end_rows = slice(2 * start, 2 * stop)
    ends = c.end_device_row[end_rows]
    rack_ids = np.array(c.racks.ids, dtype=object)
    device_ids = np.array(c.device_ids, dtype=object)
    end_rack = rack_ids[c.device_rack[ends]].tolist() if len(ends) else []
    end_u = c.u_position(ends) if len(ends) else np.zeros(0, dtype=np.int64)
    end_device = device_ids[ends].tolist() if len(ends) else []
    end_rack_name = np.array(c.racks.names, dtype=object)[c.device_rack[ends]].tolist() if len(ends) else []
    end_device_name = np.array(c.device_names, dtype=object)[ends].tolist() if len(ends) else []
    end_port = c.end_port_names(end_rows)
    # 'rack U5 device:port' by name: the port follows the device's name after a colon.
    u_text = [f" U{u} " for u in range(int(end_u.max()) + 1 if len(end_u) else 0)]
    end_text = [
        rack + u_text[u] + device + ":" + port
        for rack, u, device, port in zip(end_rack_name, end_u.tolist(), end_device_name, end_port)
    ]
    given_labels = c.cable_label[cables]
    label = [given or f"{a} ↔ {b}" for given, a, b in zip(given_labels, end_text[0::2], end_text[1::2])]
    ids = result.cable_ids[cables]
    cable_id = [given or own for given, own in zip(given_labels, ids)]
    products = state.products.products
    product = result.product_row[cables]
    medium = _by_product([p.medium.value for p in products], product)
    leg_count = c.leg_count[cables]
    return CableRows(
        ids=ids,
        label=label,
        a=c.cable_a[cables],
        b=c.cable_b[cables],
        end_rack=end_rack,
        end_u=end_u,
        end_device=end_device,
        end_port=end_port,
        end_text=end_text,
        end_rack_name=end_rack_name,
        end_device_name=end_device_name,
        cable_id=cable_id,
        medium=medium,
        product_id=_by_product([p.id for p in products], product),
        product_name=_by_product([p.name for p in products], product),
        gauge_awg=_by_product([p.gauge_awg for p in products], product),
        rate_gbps=c.rate[cables],
        length_m=result.length_m[cables],
        ordered_length_m=result.ordered_length_m[cables],
        power_w=result.power_w[cables],
        cost_usd=result.cost_usd[cables],
        trunk_m=np.where(leg_count > 1, result.trunk_m[cables], np.nan),
        leg_m=np.where(leg_count > 1, result.length_m[cables] - result.trunk_m[cables], np.nan),
    )


def _by_product(values: list, product_row: np.ndarray) -> list:
    """`values[row]` per cable, None where no product was chosen (row -1)."""
    table = np.array([*values, None], dtype=object)
    return table[np.where(product_row >= 0, product_row, len(values))].tolist()


def formatted(values: np.ndarray, fmt: str | Callable[[float], str], missing: str = "") -> list[str]:
    """`format(value, fmt)` (or `fmt(value)`) of each value of a float column, `missing`
    where it is NaN. Each distinct value is formatted once: a column of 200,000 lengths
    holds far fewer."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return []
    unique, inverse = np.unique(values, return_inverse=True)
    text = fmt if callable(fmt) else (lambda v: format(v, fmt))
    texts = np.array([missing if v != v else text(v) for v in unique.tolist()], dtype=object)
    return texts[inverse.reshape(-1)].tolist()


def int_texts(values: np.ndarray) -> list[str]:
    """str() of each value of a small non-negative int column (U positions)."""
    values = np.asarray(values, dtype=np.int64)
    if len(values) == 0:
        return []
    table = np.array([str(v) for v in range(int(values.max()) + 1)], dtype=object)
    return table[values].tolist()


def printed_rows(rows: CableRows) -> list[tuple[str, ...]]:
    """The printed schedule's text per cable: cable id (its label, else its id in the file),
    end A, end B ('rack U5 device:port' by name), medium, product, AWG, length (m, 2 places),
    ordered (m), power (W, 1 place), cost ($, no cents), the id in the file; MISSING ('—')
    where a figure does not exist."""
    length = formatted(rows.length_m, ".2f", MISSING)
    ordered = formatted(rows.ordered_length_m, "g", MISSING)
    power = formatted(rows.power_w, ".1f", MISSING)
    cost = formatted(rows.cost_usd, ",.0f", MISSING)
    gauge = [str(g) if g else MISSING for g in rows.gauge_awg]
    medium = [m or MISSING for m in rows.medium]
    product = [p or MISSING for p in rows.product_id]
    return list(
        zip(
            rows.cable_id,
            rows.end_text[0::2],
            rows.end_text[1::2],
            medium,
            product,
            gauge,
            length,
            ordered,
            power,
            cost,
            rows.ids,
        )
    )


def rack_ends(rows: CableRows) -> dict[str, list[int]]:
    """Per rack id, its cables' ends: 2 × cable row + side (0: end A, 1: end B), from the
    top of the rack down (U descending, then device id, port in natural order — 'n9'
    before 'n10' —, then cable row). A cable with both ends in one rack is listed once,
    by end A. Racks without cable ends are left out."""
    n = len(rows)
    if n == 0:
        return {}
    keys = np.arange(2 * n)
    rack_of = np.array(rows.end_rack, dtype=object)
    inside = np.ones(2 * n, dtype=bool)
    inside[1::2] = rack_of[1::2] != rack_of[0::2]
    keys = keys[inside]
    racks, rack_code = np.unique(rack_of[keys], return_inverse=True)
    device_rank = _rank(np.array(rows.end_device, dtype=object)[keys], str)
    port_rank = _rank(np.array(rows.end_port, dtype=object)[keys], _natural)
    order = np.lexsort((keys, port_rank, device_rank, -rows.end_u[keys], rack_code.reshape(-1)))
    keys, rack_code = keys[order], rack_code.reshape(-1)[order]
    bounds = np.searchsorted(rack_code, np.arange(len(racks) + 1))
    return {str(rack): keys[bounds[k] : bounds[k + 1]].tolist() for k, rack in enumerate(racks.tolist())}


def _rank(values: np.ndarray, key) -> np.ndarray:
    """Per value, its rank among the distinct values sorted by `key`; values with equal keys share a rank."""
    unique, inverse = np.unique(values, return_inverse=True)
    keyed = [key(v) for v in unique.tolist()]
    order = sorted(range(len(keyed)), key=keyed.__getitem__)
    rank = np.empty(len(keyed), dtype=np.int64)
    current, previous = -1, None
    for position, k in enumerate(order):
        if position == 0 or keyed[k] != previous:
            current += 1
            previous = keyed[k]
        rank[k] = current
    return rank[inverse.reshape(-1)]


def _natural(text: str) -> tuple:
    """'c0.n10' after 'c0.n9': digit runs compare as numbers, the rest character by character."""
    parts, number = [], ""
    for ch in text:
        if ch.isdigit():
            number += ch
            continue
        if number:
            parts.append((1, int(number), ""))
            number = ""
        parts.append((0, 0, ch))
    if number:
        parts.append((1, int(number), ""))
    return tuple(parts)
