r"""The book's single plotting style.

Public API:

use_book_style
    Set matplotlib rcParams for figures read at ~700 px book width.
DIRECTION_STYLES
    Fixed colour/line style per input direction of paper A (``"left"``, ``"right"``).
CASE_STYLES
    Fixed colour/line style per driving case of paper B (``"static"``, ``"cw"``, ``"ccw"``).
label_with_units
    Axis label ``"quantity (unit)"``.
shade_unstable
    Shade the x-intervals where a boolean mask is True (label "unstable").
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .errors import OptolibError

__all__ = [
    "BOOK_RC",
    "CASE_STYLES",
    "DIRECTION_STYLES",
    "label_with_units",
    "mask_intervals",
    "shade_unstable",
    "use_book_style",
]

# Colour-blind-safe colours (Okabe-Ito palette); line styles differ too, so the
# figures survive greyscale printing.
DIRECTION_STYLES: dict[str, dict[str, Any]] = {
    "left": {"color": "#0072B2", "linestyle": "-", "label": "left input"},
    "right": {"color": "#D55E00", "linestyle": "--", "label": "right input"},
}

CASE_STYLES: dict[str, dict[str, Any]] = {
    "static": {"color": "0.25", "linestyle": ":", "label": "static"},
    "cw": {"color": "#0072B2", "linestyle": "-", "label": "CW driven"},
    "ccw": {"color": "#D55E00", "linestyle": "--", "label": "CCW driven"},
}

BOOK_RC: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "figure.constrained_layout.use": True,
    "font.size": 12,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.grid": False,
    "lines.linewidth": 1.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (rcParams; the settings are ``BOOK_RC``).

    Figure size (6.4, 4) in, constrained layout, no grid, 12 pt labels: legible
    when the figure is shown ~700 px wide.  Returns nothing, so a notebook cell
    ending with this call prints nothing.
    """
    mpl.rcParams.update(BOOK_RC)


def label_with_units(quantity: str, unit: str | None = None) -> str:
    r"""Axis label ``"quantity (unit)"``, or ``"quantity"`` for dimensionless ones.

    Parameters
    ----------
    quantity : str
        Name or TeX of the quantity, e.g. ``r"$\Delta/\omega_m$"``; non-empty.
    unit : str or None
        Unit, e.g. ``"rad/s"``; ``None`` or ``""`` for dimensionless.

    Returns
    -------
    str
    """
    if not isinstance(quantity, str) or not quantity.strip():
        raise OptolibError(f"quantity must be a non-empty string, got {quantity!r}")
    if unit is None or unit == "":
        return quantity
    if not isinstance(unit, str):
        raise OptolibError(f"unit must be a string or None, got {unit!r}")
    return f"{quantity} ({unit})"


def mask_intervals(x: ArrayLike, mask: ArrayLike) -> list[tuple[float, float]]:
    """Closed x-intervals ``(x_start, x_end)`` of the runs where ``mask`` is True.

    Each run of consecutive True entries ``mask[i:j]`` gives ``(x[i], x[j-1])``.

    Parameters
    ----------
    x : array_like, shape (N,)
        Strictly increasing, finite abscissae.
    mask : array_like of bool, shape (N,)

    Returns
    -------
    list of tuple of float
    """
    xs = np.asarray(x, dtype=float)
    m = np.asarray(mask)
    if xs.ndim != 1:
        raise OptolibError(f"x must be one-dimensional, got shape {xs.shape}")
    if m.shape != xs.shape:
        raise OptolibError(f"unstable_mask must have the shape of x {xs.shape}, got {m.shape}")
    if m.dtype != bool:
        raise OptolibError(f"unstable_mask must be boolean, got dtype {m.dtype}")
    if not np.all(np.isfinite(xs)) or np.any(np.diff(xs) <= 0):
        raise OptolibError("x must be finite and strictly increasing")
    padded = np.concatenate(([False], m, [False])).astype(np.int8)
    edges = np.diff(padded)
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)  # exclusive
    return [(float(xs[i]), float(xs[j - 1])) for i, j in zip(starts, stops, strict=True)]


def shade_unstable(
    ax: Axes,
    x: ArrayLike,
    unstable_mask: ArrayLike,
    *,
    color: str = "0.85",
    label: str = "unstable",
    **kwargs: Any,
) -> list[tuple[float, float]]:
    """Shade the x-intervals where ``unstable_mask`` is True.

    A run of True samples ``x[i..j]`` is shaded from ``x[i]`` to ``x[j]``
    (a single True sample gives a zero-width band, drawn as a line).  Only the
    first band carries ``label``, so the legend shows one "unstable" entry.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x : array_like, shape (N,)
        Strictly increasing abscissae.
    unstable_mask : array_like of bool, shape (N,)
    color : str
        Fill colour (default light grey).
    label : str
        Legend label of the shading (default ``"unstable"``).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.axvspan`.

    Returns
    -------
    list of tuple of float
        The shaded intervals.
    """
    intervals = mask_intervals(x, unstable_mask)
    for k, (a, b) in enumerate(intervals):
        ax.axvspan(
            a, b, color=color, lw=0 if b > a else 1, label=label if k == 0 else None,
            zorder=0, **kwargs,
        )
    return intervals
