"""Tests of optolib.plotting (style helper, labels, shading of unstable intervals)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from optolib.plotting import (
    CASE_STYLES,
    DIRECTION_STYLES,
    label_with_units,
    mask_intervals,
    shade_unstable,
    use_book_style,
)


def test_use_book_style_sets_rcparams():
    use_book_style()
    assert tuple(plt.rcParams["figure.figsize"]) == (6.4, 4.0)
    assert plt.rcParams["axes.grid"] is False
    assert plt.rcParams["figure.constrained_layout.use"] is True
    assert plt.rcParams["font.size"] >= 11


def test_style_maps_are_complete_and_distinct():
    assert set(DIRECTION_STYLES) == {"left", "right"}
    assert set(CASE_STYLES) == {"static", "cw", "ccw"}
    for styles in (DIRECTION_STYLES, CASE_STYLES):
        pairs = {(s["color"], s["linestyle"]) for s in styles.values()}
        assert len(pairs) == len(styles)
        # distinguishable in greyscale too: line styles all differ
        assert len({s["linestyle"] for s in styles.values()}) == len(styles)


def test_label_with_units():
    assert label_with_units("frequency", "rad/s") == "frequency (rad/s)"
    assert label_with_units(r"$\Delta/\omega_m$") == r"$\Delta/\omega_m$"
    with pytest.raises(ValueError, match="quantity must be a non-empty string"):
        label_with_units("")


def test_mask_intervals_run_lengths():
    # x = 0..9; True at 1,2,3 | 6 | 8,9 -> runs [1,3], [6,6], [8,9] (by hand).
    x = np.arange(10.0)
    mask = np.zeros(10, dtype=bool)
    mask[[1, 2, 3, 6, 8, 9]] = True
    assert mask_intervals(x, mask) == [(1.0, 3.0), (6.0, 6.0), (8.0, 9.0)]
    assert mask_intervals(x, np.zeros(10, dtype=bool)) == []
    assert mask_intervals(x, np.ones(10, dtype=bool)) == [(0.0, 9.0)]


def test_shade_unstable_draws_one_labelled_band_per_run():
    x = np.linspace(0.0, 1.0, 11)
    mask = (x > 0.15) & (x < 0.45) | (x > 0.75)  # runs x = 0.2..0.4 and 0.8..1.0
    fig, ax = plt.subplots()
    intervals = shade_unstable(ax, x, mask)
    np.testing.assert_allclose(intervals, [(0.2, 0.4), (0.8, 1.0)])
    assert len(ax.patches) == 2
    labels = [p.get_label() for p in ax.patches]
    assert labels.count("unstable") == 1
    plt.close(fig)


def test_shade_unstable_rejects_bad_mask():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="unstable_mask must have the shape of x"):
        shade_unstable(ax, [0.0, 1.0, 2.0], [True, False])
    with pytest.raises(ValueError, match="unstable_mask must be boolean"):
        shade_unstable(ax, [0.0, 1.0], [1, 0])
    with pytest.raises(ValueError, match="strictly increasing"):
        shade_unstable(ax, [0.0, 0.0], [True, False])
    plt.close(fig)
