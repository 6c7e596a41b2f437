"""Regression pins of every reproduced figure's key numbers.

For each figure id and each curve (panel, series) the pins record the peak value of ``y``
and the ``x`` where it occurs (for density maps: the peak of ``z`` and its ``(x, y)``), and
the number of masked (unstable) points.  Tolerances: 1e-4 relative on values, one grid step
on positions — a change in the physics moves these, floating-point noise does not.

The pins live in ``tests/figure_pins.json``.  After an intended change of the physics,
regenerate them with ``OPTOBOOK_UPDATE_PINS=1 python -m pytest tests/test_figure_pins.py``
and review the diff of that file like any other change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from optolib.figures import FIGURES, _load_all

PINS = Path(__file__).with_name("figure_pins.json")
UPDATE = os.environ.get("OPTOBOOK_UPDATE_PINS") == "1"
_load_all()


def summarise(figure_id: str) -> dict:
    data = FIGURES[figure_id].compute()
    out = {}
    for row in data.rows:
        key = f"{row['panel']}|{row['series']}"
        if "z" in row:
            z = np.ma.masked_invalid(np.ma.asarray(row["z"], dtype=float))
            x, y = np.ma.asarray(row["x"]), np.ma.asarray(row["y"])
            i = int(np.ma.argmax(z)) if z.count() else 0
            step_x = float(np.ptp(np.unique(np.ravel(x)))) / max(len(np.unique(np.ravel(x))) - 1, 1)
            step_y = float(np.ptp(np.unique(np.ravel(y)))) / max(len(np.unique(np.ravel(y))) - 1, 1)
            out[key] = dict(peak=float(z.max()) if z.count() else None, at=[float(np.ravel(x)[i]),
                            float(np.ravel(y)[i])], step=[step_x, step_y], masked=int(np.ma.count_masked(z)))
        else:
            y = np.ma.masked_invalid(np.ma.asarray(row["y"], dtype=float))
            x = np.ma.asarray(row["x"], dtype=float)
            i = int(np.ma.argmax(y)) if y.count() else 0
            xs = np.ravel(x)
            step = float(np.max(np.abs(np.diff(xs)))) if xs.size > 1 else 0.0
            out[key] = dict(peak=float(y.max()) if y.count() else None, at=[float(xs[i])], step=[step],
                            masked=int(np.ma.count_masked(y)))
    return out


@pytest.fixture(scope="module")
def pins() -> dict:
    if UPDATE or not PINS.exists():
        return {}
    return json.loads(PINS.read_text())


@pytest.mark.parametrize("figure_id", sorted(FIGURES))
def test_figure_key_numbers_are_pinned(figure_id, pins):
    got = summarise(figure_id)
    if UPDATE:
        store = json.loads(PINS.read_text()) if PINS.exists() else {}
        store[figure_id] = got
        PINS.write_text(json.dumps(store, indent=1, sort_keys=True) + "\n")
        return
    assert figure_id in pins, f"no pins for {figure_id}: run with OPTOBOOK_UPDATE_PINS=1 and review"
    want = pins[figure_id]
    assert set(got) == set(want), f"{figure_id}: curves changed: {sorted(set(got) ^ set(want))}"
    for key, w in want.items():
        g = got[key]
        if w["peak"] is None:
            assert g["peak"] is None, f"{figure_id} {key}: was fully masked, now has values"
            continue
        assert g["peak"] == pytest.approx(w["peak"], rel=1e-4, abs=1e-9), f"{figure_id} {key}: peak value"
        for a, b, s in zip(g["at"], w["at"], w["step"], strict=True):
            assert abs(a - b) <= s * 1.01 + 1e-12, f"{figure_id} {key}: peak position {a} vs {b}"
        assert g["masked"] == w["masked"], f"{figure_id} {key}: number of masked points"
