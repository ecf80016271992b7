"""Kills saves with SIGKILL at random moments, then saves once more: is anything left behind?

    nice python3 scripts/kill9_saves.py [--kills 100] [--accelerators 8192]

A child process saves a scale-out layout (3.5 MB at 8,192 accelerators) to one path over
and over; the parent kills it with SIGKILL at a random moment within about one save.
After every kill the file at the path must load whole. Temporary files a killed save
leaves beside it are counted; then one more save (a fresh process) must remove them all.
Prints the figures; the exit code is 1 if a file was ever unreadable or a temp file stayed.
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child_script(path: Path, accelerators: int, loop: bool) -> str:
    return textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from model.io.files import save_layout
        from model.topologies import build_sample
        site = build_sample("scaleout-pod", accelerators={accelerators})
        print("ready", flush=True)
        sys.stdin.readline()
        while True:
            save_layout(site, {str(path)!r})
            if not {loop}:
                break
        """
    )


def save_once(path: Path, accelerators: int) -> None:
    """One save of the layout to `path` in a fresh process (as the next save after a crash)."""
    script = child_script(path, accelerators, False)
    subprocess.run([sys.executable, "-c", script], input="go\n", text=True, stdout=subprocess.DEVNULL, check=True)


def temps(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--accelerators", type=int, default=8192)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from model.io.files import load_layout

    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rack-designer-kill9-") as tmp:
        folder = Path(tmp)
        path = folder / "layout.json"
        save_once(path, args.accelerators)
        size = path.stat().st_size
        unreadable, most_left, sizes_left, kills_leaving = 0, 0, 0, 0
        for _ in range(args.kills):
            with subprocess.Popen(
                [sys.executable, "-c", child_script(path, args.accelerators, True)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            ) as child:
                assert child.stdout.readline() == "ready\n"
                child.stdin.write("go\n")
                child.stdin.flush()
                time.sleep(rng.uniform(0.0, 0.6))
                child.send_signal(signal.SIGKILL)
                child.wait()
            try:
                load_layout(path)
            except Exception:  # noqa: BLE001 - any failure to read counts
                unreadable += 1
            left = temps(folder, path.name)
            kills_leaving += bool(left)
            most_left = max(most_left, len(left))
            sizes_left = max(sizes_left, sum(p.stat().st_size for p in left))
        before_final = temps(folder, path.name)
        save_once(path, args.accelerators)
        after_final = temps(folder, path.name)
        readable = load_layout(path) is not None
    elapsed = time.perf_counter() - started
    print(
        f"{args.kills} saves of a {size / 1e6:.1f} MB layout killed with SIGKILL in {elapsed:.0f} s (seed {args.seed})"
    )
    print(f"  unreadable after a kill:            {unreadable}")
    print(f"  kills that left a temp file:        {kills_leaving}")
    print(
        f"  temp files beside it, at most:      {most_left} ({sizes_left / 1e6:.1f} MB; each save removes those before)"
    )
    print(f"  temp files before the final save:   {len(before_final)}")
    print(f"  temp files after the final save:    {len(after_final)}")
    print(f"  readable after the final save:      {readable}")
    return 1 if unreadable or after_final or not readable else 0


if __name__ == "__main__":
    sys.exit(main())
