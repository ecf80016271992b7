"""An experiment, not the report: what writing the PDF report's bulk text as whole text runs
would cost, next to what Qt's PDF writer spends on it. Prints figures, asserts nothing.

    python bench/pdf_text_runs.py [--accelerators 66664]

Qt's QPdfWriter writes every glyph as its own positioned text operation ("x y Td <id> Tj")
and compresses ~33 bytes a glyph; the cabling report of 200,000 cables has ~80 million
glyphs, most of them in the cable schedule and the two labels per cable (README, speed).
This script builds the same schedule and label text from the same rows and writes it the
way a text layer of our own would: one text object per cell or label line, its glyphs as
one hex string (str.translate with a glyph-id table), each page's stream compressed with
zlib. The glyph ids are stand-ins and no font is embedded, wrapped or measured, so the
figure is a floor for such a layer, to set against the report's own time (bench/report.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCHEDULE_ROWS = 100  # a page of the report's one-line schedule
LABEL_CABLES = 22  # a sheet of the report's labels: 44 labels, two per cable
CELL_X = [0, 25, 140, 255, 280, 370, 385, 405, 425, 445]  # points, one per schedule column


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accelerators", type=int, default=66664, help="scale-out pod size (66,664: ~200,000 cables)")
    args = parser.parse_args()
    from model import report_rows
    from model.analysis import Analysis
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    result = Analysis(Document(build_scaleout_pod(accelerators=args.accelerators))).result
    rows = report_rows.printed_rows(report_rows.cable_rows(result))
    ids = {c: f"{(c * 7) % 3000:04X}" for c in range(0x2200)}  # stand-in glyph ids, 4 hex digits each
    glyphs = size = 0
    c0 = time.process_time()
    for start in range(0, len(rows), SCHEDULE_ROWS):
        parts = []
        for k, row in enumerate(rows[start : start + SCHEDULE_ROWS]):
            for x, cell in zip(CELL_X, row[:10]):
                parts.append(f"BT /F1 6 Tf {x} {800 - 7 * k} Td <{cell.translate(ids)}> Tj ET\n")
                glyphs += len(cell)
        size += len(zlib.compress("".join(parts).encode("ascii"), 6))
    c1 = time.process_time()
    for start in range(0, len(rows), LABEL_CABLES):
        parts = []
        for k, row in enumerate(rows[start : start + LABEL_CABLES]):
            for end, here, there in (("A", row[1], row[2]), ("B", row[2], row[1])):
                lines = (row[0], f"this end {here}", f"far end {there}", f"{row[3]} · {row[7]} m · end {end} of 2")
                for n, line in enumerate(lines):
                    parts.append(
                        f"BT /F1 7 Tf {260 * (end == 'B')} {800 - 30 * k - 8 * n} Td <{line.translate(ids)}> Tj ET\n"
                    )
                    glyphs += len(line)
        size += len(zlib.compress("".join(parts).encode("ascii"), 6))
    c2 = time.process_time()
    print(
        f"{len(rows):,} cables: schedule {c1 - c0:.1f} s, labels {c2 - c1:.1f} s of CPU for {glyphs:,} glyphs "
        f"as whole text runs, {size / 2**20:.0f} MiB compressed (load average {os.getloadavg()[0]:.1f} at the end)"
    )


if __name__ == "__main__":
    main()
