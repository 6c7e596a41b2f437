"""End-to-end tests of the command line: python -m optolib list | reproduce."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from optolib.__main__ import main


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optolib", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_list_names_every_registered_figure():
    res = run_cli("list")
    assert res.returncode == 0
    ids = [line.split()[0] for line in res.stdout.splitlines()]
    assert {"A-fig1b", "B-fig1b"} <= set(ids)
    # every reproduced paper figure names the figure it reproduces (other ids, e.g. "A-search", need not)
    assert all("Fig." in line for line in res.stdout.splitlines() if line.split()[0].split("-")[1].startswith("fig"))


def test_reproduce_writes_png_and_tidy_csv(tmp_path):
    res = run_cli("reproduce", "A-fig1b", "--outdir", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    png, csv_path = tmp_path / "out" / "A-fig1b.png", tmp_path / "out" / "A-fig1b.csv"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with csv_path.open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["panel", "series", "x", "y"]
    assert {r["series"] for r in rows} == {"static", "left", "right"}
    # the left-input line peaks at +Delta_F / omega_m = 0.252 (Sagnac chapter)
    left = [r for r in rows if r["series"] == "left"]
    peak = max(left, key=lambda r: float(r["y"]))
    assert abs(float(peak["x"]) - 0.252) < 0.01
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # no temp files


def test_bad_id_is_a_clear_error(tmp_path, capsys):
    assert main(["reproduce", "no-such-figure", "--outdir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "figure id must be one of" in err and "no-such-figure" in err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_outdir_is_a_clear_error(tmp_path, capsys, monkeypatch):
    # CI runs as root, for whom chmod 0o500 does not block writes: simulate the permission check
    import optolib.figures as figures

    real_access = os.access
    monkeypatch.setattr(figures.os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    assert main(["reproduce", "A-fig1b", "--outdir", str(tmp_path)]) == 2
    assert "not writable" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_outdir_that_is_a_file_is_a_clear_error(tmp_path, capsys):
    # works for root too: a path under a regular file can never be created
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["reproduce", "A-fig1b", "--outdir", str(blocker / "sub")]) == 2
    assert "cannot be created" in capsys.readouterr().err
