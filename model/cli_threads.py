"""One OpenBLAS thread for a command-line process, set before numpy and scipy are imported.

The command line's work is Python and single-threaded numpy; numpy's and scipy's OpenBLAS
libraries would each start a pool of threads on import (one per core) that no command uses:
~0.1 s of CPU of every command on the 2-core machine (`import numpy, scipy.sparse.csgraph`:
0.49 -> 0.37 s of CPU). A value the caller set is kept. model.cli imports this module before
anything that imports numpy (model.layout, model.problem_groups).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
