"""The app's C heap keeps the memory an edit frees, for the next edit to reuse.

An edit at 300,000 cables makes new numpy columns for its snapshot (model.analysis:
published snapshots never change) and frees the last ones: ~60 arrays of 0.3-4.6 MiB,
~60 MiB a step of a dragged rack. glibc's malloc serves blocks of that size with mmap, or
from a heap it trims back as soon as ~2 blocks are free, so every new column was fresh
pages faulted in one by one: 58 copies of a 2.4 MB column took ~72 ms that way against
~12 ms in reused memory (this machine), about 24 of a drag step's 40 ms at 100,000
accelerators (bench/gui.py). Raising both thresholds keeps the blocks in the heap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# mallopt's parameters (glibc malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 2**20  # glibc's most (HEAP_MAX_SIZE / 2 on 64-bit): blocks below it come from the heap
TRIM_THRESHOLD_BYTES = 256 * 2**20  # free memory the heap keeps at its top: a few edits' worth of columns


def keep_freed_memory() -> bool:
    """Sets glibc malloc's mmap and trim thresholds (MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES)
    for this process. Returns True when both were set; False where there is no glibc (other
    systems' allocators reuse freed memory by themselves) or it refused. Raises nothing."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
