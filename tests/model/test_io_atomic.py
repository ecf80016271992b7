"""Atomic writes: the user's umask, read-only files kept, devices written in place, and no
temp file left behind by a write that was killed (the next write of the file removes it)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from model.errors import FileFormatError, ReadOnlyFileError
from model.io import atomic
from model.io.atomic import (
    TEMP_TAG,
    atomic_write,
    check_target,
    remove_stale_temps,
    remove_stale_temps_in,
    write_bytes_atomic,
    write_text_atomic,
)

DEAD_PID = 2**22 + 12345  # above Linux's pid_max default: no such process
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_new_files_follow_the_umask_and_old_ones_keep_their_mode(tmp_path, umask_027):
    path = tmp_path / "a.json"
    write_text_atomic(path, "one")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    path.chmod(0o604)
    write_bytes_atomic(path, b"two")
    assert stat.S_IMODE(path.stat().st_mode) == 0o604 and path.read_bytes() == b"two"


def test_text_is_utf8_with_newlines_as_written(tmp_path):
    path = tmp_path / "a.csv"
    write_text_atomic(path, "é\r\nx\n")
    assert path.read_bytes() == "é\r\nx\n".encode()


def test_a_read_only_file_is_refused_unless_asked(tmp_path):
    path = tmp_path / "ro.json"
    path.write_text("old")
    path.chmod(0o444)
    with pytest.raises(ReadOnlyFileError) as info:
        write_text_atomic(path, "new")
    assert str(info.value) == f"{path} is read-only (permissions -r--r--r--): not replaced"
    assert info.value.path == str(path) and path.read_text() == "old"
    with pytest.raises(ReadOnlyFileError):
        check_target(path)
    write_text_atomic(path, "new", replace_read_only=True)
    assert path.read_text() == "new" and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert temps(tmp_path) == []


def test_check_target_says_what_is_wrong_before_any_work(tmp_path):
    with pytest.raises(FileFormatError, match="no such folder"):
        check_target(tmp_path / "none" / "x.pdf")
    with pytest.raises(FileFormatError, match="it is a folder"):
        check_target(tmp_path)
    check_target(tmp_path / "fresh.pdf")


def test_a_device_is_written_in_place_and_a_full_one_named(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.fail("this test needs /dev/full and /dev/null (Linux)")
    write_text_atomic("/dev/null", "gone")
    with pytest.raises(FileFormatError) as info:
        write_bytes_atomic("/dev/full", b"x" * 100_000)
    assert str(info.value) == "cannot save /dev/full: No space left on device"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_symlink_stays_a_link_to_the_new_content(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_an_encoding_failure_is_a_refusal_and_leaves_nothing(tmp_path):
    path = tmp_path / "a.json"
    with pytest.raises(FileFormatError, match="U\\+D800, which UTF-8 cannot encode"):
        write_text_atomic(path, "x\ud800")
    assert not path.exists() and temps(tmp_path) == []


def test_the_next_write_removes_only_stale_temps_of_that_file(tmp_path):
    path = tmp_path / "a.json"
    stale = tmp_path / f".a.json.{TEMP_TAG}-{DEAD_PID}-0123abcd.tmp"
    live = tmp_path / f".a.json.{TEMP_TAG}-{os.getppid()}-0123abcd.tmp"  # another running process
    mine = tmp_path / f".a.json.{TEMP_TAG}-{os.getpid()}-0123abcd.tmp"  # ours, not being written
    other_file = tmp_path / f".b.json.{TEMP_TAG}-{DEAD_PID}-0123abcd.tmp"
    legacy_old = tmp_path / ".a.json.k2j_x9ab.tmp"  # mkstemp's names before the pid was in them
    legacy_new = tmp_path / ".a.json.q7w_e3rt.tmp"
    not_ours = tmp_path / ".a.json.notes.tmp"
    for p in (stale, live, mine, other_file, legacy_old, legacy_new, not_ours):
        p.write_text("x")
    os.utime(legacy_old, (time.time() - 2 * 3600,) * 2)
    write_text_atomic(path, "new")
    assert temps(tmp_path) == sorted(p.name for p in (live, other_file, legacy_new, not_ours))
    assert remove_stale_temps_in(tmp_path) == [other_file]


def test_a_temp_being_written_by_this_process_is_left_alone(tmp_path):
    path = tmp_path / "a.json"
    with atomic_write(path) as handle:
        handle.write("half")
        [name] = temps(tmp_path)
        assert remove_stale_temps(path) == []  # autosave on a timer while a save is running
        assert temps(tmp_path) == [name]
    assert temps(tmp_path) == [] and path.read_text() == "half"


def test_a_failing_body_leaves_the_old_file(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(path) as handle:
        handle.write("new")
        raise RuntimeError("boom")
    assert path.read_text() == "old" and temps(tmp_path) == []


def test_saves_killed_at_random_leave_the_file_whole_and_the_next_save_cleans_up(tmp_path):
    # A smaller version of scripts/kill9_saves.py: 15 saves killed with SIGKILL mid-write.
    path = tmp_path / "layout.json"
    child = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from model.io.files import save_layout
        from model.topologies import build_sample
        site = build_sample("scaleout-pod")
        print("ready", flush=True)
        sys.stdin.readline()
        while True:
            save_layout(site, {str(path)!r})
        """
    )
    for i in range(15):
        with subprocess.Popen([sys.executable, "-c", child], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as process:
            assert process.stdout.readline() == b"ready\n"
            process.stdin.write(b"go\n")
            process.stdin.flush()
            time.sleep(0.05 + 0.013 * i)
            process.send_signal(signal.SIGKILL)
            process.wait()
    from model.io.files import load_layout, save_layout

    site = load_layout(path)  # whole after every kill
    save_layout(site, path)
    assert temps(tmp_path) == []
    assert atomic._ACTIVE == set()
