"""The command line: samples, reports in three formats, validation, exports, and bad files."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from model.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, capsys):
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def trn2_file(tmp_path, capsys):
    path = tmp_path / "t.json"
    assert cli("sample", "trn2-ultra64", "--out", path, capsys=capsys)[0] == 0
    return path


def test_trn2_json_report_has_the_report_figures(trn2_file, capsys):
    code, out, err = cli("report", trn2_file, "--format", "json", capsys=capsys)
    assert code == 0 and err == ""
    report = json.loads(out)
    assert report["accelerators"] == 64
    assert report["totals"]["by_medium"]["DAC"] == 96
    assert report["totals"]["by_medium"]["AEC"] == 64
    assert report["attach_ratios"]["AEC"] == 1.0
    assert report["equivalent_per_accelerator"]["800"] == 3.0
    assert len(report["cables"]) == 160
    first = report["cables"][0]
    expected_keys = {"id", "cable_id", "label", "a", "b", "medium", "product", "gauge_awg", "rate_gbps", "length_m"}
    assert expected_keys | {"ordered_length_m", "power_w", "cost_usd", "reason", "problems"} == set(first)
    assert report["totals"]["power_w"] > 0 and report["totals"]["cost_usd"] > 0


def test_text_report_summarises(trn2_file, capsys):
    code, out, _ = cli("report", trn2_file, capsys=capsys)
    assert code == 0
    assert "Accelerators: 64" in out and "Cables: 160  (DAC 96, AEC 64)" in out
    assert "3.00 x 800G" in out and "Problems: 0" in out


def test_text_report_separates_thousands_as_its_cost_does(tmp_path, capsys):
    from model.io.files import save_layout
    from model.topologies import build_sample

    path = tmp_path / "pod.json"
    save_layout(build_sample("scaleout-pod", accelerators=1024), path)
    code, out, _ = cli("report", str(path), capsys=capsys)
    assert code == 0
    assert "Accelerators: 1,024\n" in out and "Cables: 2,048  (" in out
    power = next(line for line in out.splitlines() if line.startswith("Power: "))
    assert re.fullmatch(r"Power: [\d,]+\.\d kW \(devices [\d,]+\.\d kW, cables [\d,]+\.\d\d kW\)", power)
    assert "," in power.split(" kW")[0]  # over 1,000 kW


def test_csv_report_is_the_cable_schedule(trn2_file, capsys):
    code, out, _ = cli("report", trn2_file, "--format", "csv", capsys=capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 160
    assert sum(1 for r in rows if r["medium"] == "AEC") == 64


def test_validate_says_what_it_found(trn2_file, capsys):
    code, out, _ = cli("validate", trn2_file, capsys=capsys)
    assert code == 0 and "valid: 2 racks, 40 devices, 160 cables" in out


def test_export_writes_netbox_cables(trn2_file, tmp_path, capsys):
    out_path = tmp_path / "cables.csv"
    code, _, err = cli("export", trn2_file, "--what", "netbox-cables", "--out", out_path, capsys=capsys)
    assert code == 0 and "wrote" in err
    with out_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 160 and rows[0]["side_a_type"] == "dcim.interface"


def _bad(tmp_path, text: str) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["racks"][0]["devices"][1].update(u_position=5), "racks[0].devices[1].u_position: U5-5 overlaps"),
        (
            lambda d: d["racks"][0]["devices"][2].update(u_position=48),
            "racks[0].devices[2].u_position: 48 + 2U exceeds a 48U rack",
        ),
        (lambda d: d["cables"][0].update(a="S1-T1:nope"), "cables[0].a: device 'S1-T1'"),
        (lambda d: d["racks"][0]["devices"][0].update(type="warp-drive"), "unknown device type 'warp-drive'"),
        (lambda d: d["racks"][0].update(height_u=10000), "racks[0].height_u"),
        (lambda d: d.update(schema_version=99), "schema version 99"),
        (lambda d: d.update(kind="something-else"), "not a Rack Designer layout"),
    ],
)
def test_bad_layouts_give_one_line_naming_the_place(trn2_file, tmp_path, capsys, mutate, expected):
    data = json.loads(trn2_file.read_text(encoding="utf-8"))
    mutate(data)
    path = _bad(tmp_path, json.dumps(data))
    code, out, err = cli("report", path, capsys=capsys)
    assert code == 2 and out == ""
    assert expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "text, expected",
    [("", "empty"), ('{"kind": "rack-designer-layout", "racks": [', "not valid JSON"), ("[1, 2]", "not a Rack")],
)
def test_unreadable_files_exit_2(tmp_path, capsys, text, expected):
    code, _, err = cli("validate", _bad(tmp_path, text), capsys=capsys)
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1


def test_unknown_sample_and_missing_file(tmp_path, capsys):
    code, _, err = cli("sample", "nope", capsys=capsys)
    assert code == 2 and "trn2-ultra64" in err
    code, _, err = cli("report", tmp_path / "missing.json", capsys=capsys)
    assert code == 2 and "missing.json" in err


def test_sample_takes_the_fabric_and_server_and_says_the_hall_size_and_longest_run(tmp_path, capsys):
    path = tmp_path / "pod.json"
    args = ("--accelerators", 1024, "--fabric", "infiniband", "--server", "b200", "--out", path)
    code, _, err = cli("sample", "scaleout-pod", *args, capsys=capsys)
    assert code == 0 and "Scale-out pod (1024 accelerators, infiniband b200), 40 racks, 2,048 cables" in err
    assert re.search(r"hall \d+ m x \d+ m, longest run \d+\.\d m", err)
    code, out, err = cli("sample", "tor-pod", "--accelerators", 64, "--out", "-", capsys=capsys)
    assert code == 0 and json.loads(out)["name"] == "ToR pod (64 accelerators, 2 racks)" and "longest run" in err
    code, _, err = cli("sample", "scaleout-pod", "--server", "h100", capsys=capsys)
    assert code == 2 and "invalid choice: 'h100'" in err
    code, _, err = cli("sample", "trn2-ultra64", "--fabric", "ethernet", capsys=capsys)
    assert code == 2 and "has no option fabric" in err


def test_main_runs_the_cli_without_qt(trn2_file):
    script = (
        "import sys, runpy; sys.argv = ['main.py', 'report', sys.argv[1], '--format', 'json'];"
        "import main; code = main.main(sys.argv[1:]);"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]; print('QT', bad, file=sys.stderr); sys.exit(code)"
    )
    run = subprocess.run([sys.executable, "-c", script, str(trn2_file)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["accelerators"] == 64
    assert "QT []" in run.stderr


# ---- exit codes, standard output, hostile names (issues 10 and 11) ------------------------------
@pytest.fixture
def problem_file(trn2_file, tmp_path):
    data = json.loads(trn2_file.read_text(encoding="utf-8"))
    data["trays"] = []
    data["racks"][1]["x_mm"] += 50_000  # the racks' cables between them have no pathway now
    path = tmp_path / "no-trays.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_validate_exits_1_with_design_problems_and_names_the_first(problem_file, capsys):
    code, out, err = cli("validate", problem_file, capsys=capsys)
    assert code == 1
    assert "readable, with design problems" in out
    lines = err.splitlines()
    assert lines[0].startswith(f"rack-designer: {problem_file}: ") and "design problems" in lines[0]
    assert 2 <= len(lines) <= 7 and lines[1].startswith("  [")


def test_report_strict_exits_1_after_writing_the_report(problem_file, trn2_file, capsys):
    code, out, err = cli("report", problem_file, "--format", "json", "--strict", capsys=capsys)
    assert code == 1 and json.loads(out)["problems"] and "design problem" in err
    assert (
        cli("report", problem_file, "--format", "json", capsys=capsys)[0] == 0
    )  # not strict: the report is the answer
    assert cli("report", trn2_file, "--strict", capsys=capsys)[0] == 0


def test_a_dash_writes_to_standard_output(trn2_file, capsys):
    code, out, err = cli("export", trn2_file, "--what", "bom", "--out", "-", capsys=capsys)
    assert code == 0 and out.startswith("product,") and err == ""
    code, out, _ = cli("sample", "trn2-ultra64", "--out", "-", capsys=capsys)
    assert code == 0 and json.loads(out)["name"] == "Trn2-Ultra64"
    assert not Path("-").exists()


def test_a_read_only_output_is_refused_not_replaced(trn2_file, tmp_path, capsys):
    for args in (["sample", "trn2-ultra64", "--out"], ["export", trn2_file, "--what", "bom", "--out"]):
        target = tmp_path / "frozen.out"
        target.write_text("keep")
        target.chmod(0o444)
        code, _, err = cli(*args, target, capsys=capsys)
        assert code == 2 and err == f"rack-designer: {target} is read-only (permissions -r--r--r--): not replaced\n"
        assert target.read_text() == "keep"
        target.chmod(0o644)


def test_messages_never_carry_control_characters(tmp_path, capsys):
    path = tmp_path / "esc\x1b[2J.json"
    path.write_text('{"kind": "rack-designer-layout", "schema_version": 1, "name": "x", "bad\\u0007key": 1}')
    code, _, err = cli("validate", path, capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and err[:-1].isprintable()
    assert "esc\\x1b[2J.json" in err and "bad\\x07key" in err


def test_an_output_never_replaces_the_layout_being_read(tmp_path):
    layout = tmp_path / "t.json"
    assert run_cli(["sample", "trn2-ultra64", "--out", str(layout)]) == 0
    before = layout.read_bytes()
    assert run_cli(["export", str(layout), "--what", "bom", "--out", str(layout)]) == 2
    assert run_cli(["export", str(tmp_path / "." / "t.json"), "--what", "bom", "--out", str(layout)]) == 2
    assert layout.read_bytes() == before


def test_a_pdf_that_cannot_be_written_is_said_before_the_report(tmp_path, capsys):
    layout = tmp_path / "t.json"
    run_cli(["sample", "trn2-ultra64", "--out", str(layout)])
    capsys.readouterr()
    code = run_cli(["report", str(layout), "--pdf", str(tmp_path / "no" / "r.pdf")], pdf_writer=lambda r, p: None)
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "no such folder" in err


def test_a_sample_too_big_for_a_file_is_refused_before_it_is_built(capsys):
    assert run_cli(["sample", "scaleout-pod", "--accelerators", "1600000"]) == 2
    assert "a layout file holds at most 3,000,000" in capsys.readouterr().err


def test_text_report_reads_well_with_nothing_resolved_and_prices_to_the_cent(tmp_path, capsys):
    layout = tmp_path / "t.json"
    run_cli(["sample", "trn2-ultra64", "--out", str(layout)])
    capsys.readouterr()
    run_cli(["report", str(layout)])
    text = capsys.readouterr().out
    assert "Cables: 160  (DAC 96, AEC 64)" in text
    assert "@ $147.50 = $11,800.00" in text or "@ $147.50 = $11,800" in text
    empty = tmp_path / "empty.json"
    empty.write_text('{"kind": "rack-designer-layout", "schema_version": 1}')
    run_cli(["report", str(empty)])
    assert "Cables: 0\n" in capsys.readouterr().out
