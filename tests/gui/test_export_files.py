"""Exported drawings (PDF, SVG, PNG) are safe to open and honest about failing.

Created with the user's umask like any other file; a full disk, a missing folder or a
read-only file is refused naming the file and the cause; '-' writes to standard output;
the SVG is well-formed XML whatever the names hold.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gui.elevation_export import export_elevations_png, export_elevations_svg
from gui.printing import ReportOptions, write_report_pdf
from model.analysis import Analysis
from model.document import Document
from model.errors import FileFormatError, ReadOnlyFileError
from model.topologies import build_sample

ROOT = Path(__file__).resolve().parents[2]
NASTY = "a\x00b\x01c\x07d\x1b[31me\x7ff\x85g\ud800h\ufffei\uffffj<k&l]]>m\u202en\tz"


@pytest.fixture(scope="module")
def trn2(qapp):
    document = Document(build_sample("trn2-ultra64"))
    return document, Analysis(document).result


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def one_page(result, path: Path, **kwargs) -> None:
    write_report_pdf(result, path, ReportOptions(max_rack_pages=1, labels=False), **kwargs)


WRITERS = {
    "pdf": lambda document, result, path, **kw: one_page(result, path, **kw),
    "svg": lambda document, result, path, **kw: export_elevations_svg(document, result, ["R01-01"], path, **kw),
    "png": lambda document, result, path, **kw: export_elevations_png(document, result, ["R01-01"], path, dpi=20, **kw),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_exports_follow_the_umask_and_leave_nothing_beside(trn2, tmp_path, umask_027, kind):
    path = tmp_path / f"out.{kind}"
    WRITERS[kind](*trn2, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # 0666 less the umask, not mkstemp's 0600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_full_disk_is_named_with_the_file_and_the_cause(trn2, kind):
    if not os.path.exists("/dev/full"):
        pytest.fail("this test needs /dev/full (Linux)")
    with pytest.raises(FileFormatError) as caught:
        WRITERS[kind](*trn2, Path("/dev/full"))
    assert str(caught.value) == "cannot save /dev/full: No space left on device"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written in place, never replaced


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_read_only_file_is_not_replaced_unless_asked(trn2, tmp_path, kind):
    path = tmp_path / f"old.{kind}"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(ReadOnlyFileError, match=r"old\.\w+ is read-only \(permissions -r--r--r--\): not replaced"):
        WRITERS[kind](*trn2, path)
    assert path.read_bytes() == b"old"
    WRITERS[kind](*trn2, path, replace_read_only=True)
    assert path.read_bytes() != b"old" and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_svg_is_well_formed_whatever_the_names_hold(trn2, tmp_path):
    document, _ = trn2
    document = Document(document.site.model_copy(deep=True))
    rack = document.site.racks[0]
    rack.name = NASTY  # the model cleans what XML cannot hold as it takes the name
    for device in rack.devices:
        device.name = NASTY
    document.site.name = NASTY
    path = tmp_path / "nasty.svg"
    export_elevations_svg(document, Analysis(document).result, [rack.id], path)
    root = ET.parse(path).getroot()  # raises on anything that is not well-formed XML
    texts = "".join(root.itertext())
    assert "bcd[31mefg\ufffdhij<k&l]]>mn" in texts  # the bidirectional override dropped too


def test_cli_writes_the_pdf_to_standard_output_for_a_dash(tmp_path):
    layout = tmp_path / "trn2.json"
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "sample", "trn2-ultra64", "--out", str(layout)])
    assert run.returncode == 0
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", str(layout), "--pdf", "-"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b"%PDF-") and run.stdout.rstrip().endswith(b"%%EOF")
    assert not (tmp_path / "-").exists()


def test_cli_names_the_file_and_cause_of_a_failed_pdf(tmp_path):
    layout = tmp_path / "trn2.json"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "sample", "trn2-ultra64", "--out", str(layout)], check=True)
    for target, cause in [("/dev/full", "No space left on device"), (str(tmp_path / "no" / "r.pdf"), "no such folder")]:
        run = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "report", str(layout), "--format", "json", "--pdf", target],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 2
        assert run.stderr.startswith(f"rack-designer: cannot save {target}: ") and cause in run.stderr
        assert run.stderr.count("\n") == 1
