"""The PDF report's memory while its pages are drawn: prints figures, asserts nothing.

    python bench/pdf_memory.py [--accelerators 66664] [--every 2000]

Builds a scale-out pod in this process, analyses it, then writes the whole cabling report
(labels included, as `report --pdf` does) to a temporary file, printing the process's
resident memory and CPU time every --every pages: pages are streamed to the file, so the
resident memory should stay flat from the first page to the last. Ends with the drawing's
wall and CPU time, the page count and the process's peak RSS, and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accelerators", type=int, default=66664, help="scale-out pod size (66,664: ~200,000 cables)")
    parser.add_argument("--every", type=int, default=2000, help="pages between two memory figures")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.printing import ReportOptions, ensure_gui_application, write_report_pdf
    from model.analysis import Analysis
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    ensure_gui_application()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    result = Analysis(Document(build_scaleout_pod(accelerators=args.accelerators))).result
    _ = result.totals, result.bom, result.problems
    print(f"{len(result.cable_ids):,} cables analysed: RSS {_rss_mib():.0f} MiB, peak {_peak_mib():.0f} MiB")
    t0, c0 = time.perf_counter(), time.process_time()
    pages = 0

    def progress(done: int, total: int) -> None:
        nonlocal pages
        pages = total
        if done == 1 or done % args.every == 0 or done == total:
            print(f"page {done:>7,} of {total:,}: RSS {_rss_mib():.0f} MiB, CPU {time.process_time() - c0:.1f} s")
            sys.stdout.flush()

    with tempfile.TemporaryDirectory() as folder:
        write_report_pdf(result, Path(folder) / "report.pdf", ReportOptions.for_layout(result), progress)
        size = (Path(folder) / "report.pdf").stat().st_size
    print(
        f"{pages:,} pages, {size / 2**20:.0f} MiB: wall {time.perf_counter() - t0:.1f} s, CPU "
        f"{time.process_time() - c0:.1f} s, process peak {_peak_mib():.0f} MiB "
        f"(load average {os.getloadavg()[0]:.1f} at the end)"
    )


if __name__ == "__main__":
    main()
