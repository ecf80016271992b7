"""Fuzzes layout files: mutates the three samples and runs each mutant through everything.

    nice python3 scripts/fuzz.py [--mutants 10000] [--workers 2] [--seed 0] [--drawings-every 10]

Mutant i is sample i % 3 (trn2-ultra64, gb200-nvl72, scaleout-pod) changed by
tests/fuzzing.py's `mutate` with seed (seed, i): truncated, bytes flipped, wrong types, huge
or non-finite numbers, deep nesting, odd characters, repeated keys, lists past their
limits. Each is written to a file and run through `check`: load, analysis, the text, JSON
and CSV reports, every CSV export, `validate`, save and reload (and, for every Nth loaded
mutant, the PDF report and the SVG and PNG elevations).

Workers are separate processes with a memory limit (RLIMIT_AS) and a time limit per
mutant (an alarm inside, a kill from outside); a worker that dies is restarted and its
mutant counted. The counts by outcome are printed at the end; the exit code is 1 when any
outcome other than 'ok' and 'refused' occurred, and those mutants are kept (--keep) to
reproduce.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import random
import resource
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ("trn2-ultra64", "gb200-nvl72", "scaleout-pod")
GOOD = ("ok", "refused")


def mutant(samples: dict[str, str], seed: int, index: int) -> tuple[str, str, bytes]:
    """(sample name, mutation kind, file bytes) of mutant `index` under `seed`."""
    from tests.fuzzing import mutate

    name = SAMPLES[index % len(SAMPLES)]
    kind, data = mutate(samples[name], random.Random(f"{seed}:{index}"))
    return name, kind, data


def read_samples(folder: Path) -> dict[str, str]:
    return {name: (folder / f"{name}.json").read_text(encoding="utf-8") for name in SAMPLES}


# ---- the worker ---------------------------------------------------------------------------
class _OutOfTime(BaseException):
    """Raised by the alarm inside a worker; not an Exception, so `check` cannot swallow it."""


def worker(folder: Path, memory_mb: int, seconds: int) -> None:
    """Reads tasks (JSON lines) on stdin and answers each with one JSON line on stdout."""
    from tests.fuzzing import check

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    samples = read_samples(folder / "samples")
    workdir = Path(tempfile.mkdtemp(prefix="worker-", dir=folder))

    def out_of_time(signum, frame):
        raise _OutOfTime()

    signal.signal(signal.SIGALRM, out_of_time)
    for line in sys.stdin:
        task = json.loads(line)
        name, kind, data = mutant(samples, task["seed"], task["i"])
        path = workdir / f"mutant-{task['i']}.json"
        path.write_bytes(data)
        start = time.perf_counter()
        signal.alarm(seconds)
        try:
            outcome, detail = check(path, workdir, drawings=task["drawings"])
        except _OutOfTime:
            outcome, detail = "timeout", f"over {seconds} s"
        finally:
            signal.alarm(0)
        if outcome == "unhandled" and detail.startswith("MemoryError"):
            outcome = "memory"
        path.unlink(missing_ok=True)
        answer = {"i": task["i"], "sample": name, "kind": kind, "outcome": outcome, "detail": detail}
        answer["seconds"] = round(time.perf_counter() - start, 3)
        print(json.dumps(answer), flush=True)


# ---- the parent ---------------------------------------------------------------------------
class Slot(threading.Thread):
    """Feeds one worker process, restarting it when it dies or overruns the hard timeout."""

    def __init__(self, args, folder: Path, tasks: queue.Queue, results: list, lock: threading.Lock) -> None:
        super().__init__(daemon=True)
        self.args, self.folder, self.tasks, self.results, self.lock = args, folder, tasks, results, lock
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        command = [sys.executable, __file__, "--worker", str(self.folder), str(self.args.memory_mb)]
        command += [str(self.args.timeout)]
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def run(self) -> None:
        while True:
            try:
                task = self.tasks.get_nowait()
            except queue.Empty:
                break
            if self.process is None or self.process.poll() is not None:
                self.process = self._start()
            self.process.stdin.write(json.dumps(task) + "\n")
            self.process.stdin.flush()
            ready, _, _ = select.select([self.process.stdout], [], [], self.args.timeout + 30)
            line = self.process.stdout.readline() if ready else ""
            if line:
                answer = json.loads(line)
            else:
                died = self.process.poll()
                self.process.kill()
                self.process.wait()
                self.process = None
                outcome = "timeout" if died is None else "crashed"
                answer = {"i": task["i"], "kind": "?", "outcome": outcome, "detail": f"worker exit {died}"}
                answer.update(sample=SAMPLES[task["i"] % len(SAMPLES)], seconds=self.args.timeout + 30)
            with self.lock:
                self.results.append(answer)
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--drawings-every", type=int, default=10, help="PDF, SVG and PNG for every Nth mutant (0: none)"
    )
    # The engine's own worst case inside the limits (a 1,500-junction tray network: ~6 s of CPU)
    # must fit, on a 2-core machine shared with other work.
    parser.add_argument("--timeout", type=int, default=60, help="seconds per mutant (wall clock)")
    parser.add_argument("--memory-mb", type=int, default=3000, help="address-space limit of a worker")
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="where failing mutants are kept")
    parser.add_argument("--replay", type=int, metavar="I", help="run mutant I alone, here, and print its outcome")
    args = parser.parse_args(argv)

    from model.io.files import dumps_layout
    from model.topologies import build_sample

    if args.replay is not None:
        return replay(args)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rack-designer-fuzz-") as tmp:
        folder = Path(tmp)
        (folder / "samples").mkdir()
        for name in SAMPLES:
            (folder / "samples" / f"{name}.json").write_text(dumps_layout(build_sample(name)), encoding="utf-8")
        tasks: queue.Queue = queue.Queue()
        for i in range(args.mutants):
            drawings = bool(args.drawings_every) and i % args.drawings_every == 0
            tasks.put({"i": i, "seed": args.seed, "drawings": drawings})
        results: list[dict] = []
        lock = threading.Lock()
        slots = [Slot(args, folder, tasks, results, lock) for _ in range(args.workers)]
        for slot in slots:
            slot.start()
        while any(slot.is_alive() for slot in slots):
            time.sleep(10)
            with lock:
                done = len(results)
                bad = sum(1 for r in results if r["outcome"] not in GOOD)
            print(
                f"  {done:,}/{args.mutants:,} mutants, {bad} failing, {time.perf_counter() - started:,.0f} s",
                flush=True,
            )
        samples = read_samples(folder / "samples")
    return report(results, samples, args, time.perf_counter() - started)


def replay(args) -> int:
    """Runs one mutant in this process (a debugger can follow it); prints kind, outcome, detail."""
    from model.io.files import dumps_layout
    from model.topologies import build_sample
    from tests.fuzzing import check

    samples = {name: dumps_layout(build_sample(name)) for name in SAMPLES}
    name, kind, data = mutant(samples, args.seed, args.replay)
    with tempfile.TemporaryDirectory(prefix="rack-designer-replay-") as tmp:
        path = Path(tmp) / f"mutant-{args.replay}.json"
        path.write_bytes(data)
        outcome, detail = check(path, Path(tmp), drawings=True)
    print(f"#{args.replay} {kind} of {name}: {outcome} {detail}")
    return 0 if outcome in GOOD else 1


def report(results: list[dict], samples: dict[str, str], args, elapsed: float) -> int:
    """Prints the counts by outcome (and by mutation); keeps failing mutants; 1 if any failed."""
    by_outcome = collections.Counter(r["outcome"] for r in results)
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in results:
        by_kind[r["kind"]][r["outcome"]] += 1
    print(f"\n{len(results):,} mutants of {', '.join(SAMPLES)} (seed {args.seed}) in {elapsed:,.0f} s")
    slow = sorted((r for r in results if r["seconds"] > 10), key=lambda r: -r["seconds"])
    for r in slow[:5] or sorted(results, key=lambda r: -r["seconds"])[:1]:
        print(f"slow mutant: {r['seconds']:.1f} s (#{r['i']}, {r['kind']} of {r['sample']}: {r['outcome']})")
    print(f"mutants over 10 s: {len(slow)}")
    print("\noutcome                 count")
    for outcome in ("ok", "refused", "refused_without_place", "unhandled", "saved_unreadable", "reload_differs"):
        print(f"  {outcome:<22}{by_outcome.get(outcome, 0):>6,}")
    for outcome in sorted(set(by_outcome) - set(GOOD) - {"refused_without_place", "unhandled"}):
        if outcome not in ("saved_unreadable", "reload_differs"):
            print(f"  {outcome:<22}{by_outcome[outcome]:>6,}")
    print("\nby mutation             ok  refused  other")
    for kind, count in sorted(by_kind.items()):
        other = sum(n for outcome, n in count.items() if outcome not in GOOD)
        print(f"  {kind:<20}{count.get('ok', 0):>5}{count.get('refused', 0):>9}{other:>7}")
    failures = sorted((r for r in results if r["outcome"] not in GOOD), key=lambda r: r["i"])
    if failures:
        args.keep.mkdir(parents=True, exist_ok=True)
        for r in failures:
            if r["kind"] != "?":
                _, _, data = mutant(samples, args.seed, r["i"])
                (args.keep / f"mutant-{r['i']}-{r['outcome']}.json").write_bytes(data)
        print(f"\n{len(failures)} failing mutants kept in {args.keep}/:")
        for r in failures[:30]:
            print(f"  #{r['i']} {r['kind']} of {r['sample']}: {r['outcome']}: {r['detail'][:240]}")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        sys.exit(0)
    sys.exit(main())
