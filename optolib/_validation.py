"""Input checks shared by optolib's public functions (private module).

Each helper raises :class:`optolib.errors.OptolibError` (a ``ValueError``)
whose message names the parameter, shows its value and states the constraint.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import OptolibError

__all__: list[str] = []


def _show(value: Any) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(arr.item())
    flat = arr.ravel()
    bad = flat[:4]
    more = "" if flat.size <= 4 else f", ... ({flat.size} values)"
    return "[" + ", ".join(repr(x.item()) for x in bad) + more + "]"


def real_array(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array, rejecting complex and non-finite input."""
    arr = np.asarray(value)
    if np.iscomplexobj(arr):
        if np.any(arr.imag != 0):
            raise OptolibError(f"{name} must be real, got {_show(value)}")
        arr = arr.real
    try:
        arr = arr.astype(float)
    except (TypeError, ValueError) as exc:
        raise OptolibError(f"{name} must be a real number or array, got {value!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise OptolibError(f"{name} must be finite, got {_show(arr if arr.ndim == 0 else arr[~np.isfinite(arr)])}")
    return arr


def nonnegative(name: str, value: Any) -> np.ndarray:
    """Finite real array with every entry >= 0."""
    arr = real_array(name, value)
    if np.any(arr < 0):
        raise OptolibError(f"{name} must be >= 0, got {_show(arr if arr.ndim == 0 else arr[arr < 0])}")
    return arr


def positive(name: str, value: Any) -> np.ndarray:
    """Finite real array with every entry > 0."""
    arr = real_array(name, value)
    if np.any(arr <= 0):
        raise OptolibError(f"{name} must be > 0, got {_show(arr if arr.ndim == 0 else arr[arr <= 0])}")
    return arr


def finite_complex(name: str, value: Any) -> np.ndarray:
    """Finite (possibly complex) array."""
    arr = np.asarray(value)
    if arr.dtype == object:
        raise OptolibError(f"{name} must be numeric, got {value!r}")
    arr = arr.astype(complex) if np.iscomplexobj(arr) else arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise OptolibError(f"{name} must be finite, got {_show(value)}")
    return arr


def square_stack(name: str, value: Any, *, even: bool = True) -> np.ndarray:
    """Real array of shape (..., m, m), m even when ``even``; finite entries."""
    arr = real_array(name, value)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise OptolibError(f"{name} must have shape (..., m, m), got shape {arr.shape}")
    if even and arr.shape[-1] % 2:
        raise OptolibError(
            f"{name} must have an even dimension (2 quadratures per mode), got {arr.shape[-1]}"
        )
    return arr


def symmetric_stack(name: str, value: Any, *, rtol: float = 1e-9) -> np.ndarray:
    """Square stack that is symmetric to relative tolerance ``rtol``."""
    arr = square_stack(name, value)
    asym = np.abs(arr - np.swapaxes(arr, -1, -2)).max(axis=(-1, -2))
    scale = np.maximum(np.abs(arr).max(axis=(-1, -2)), np.finfo(float).tiny)
    if np.any(asym > rtol * scale):
        worst = float((asym / scale).max())
        raise OptolibError(
            f"{name} must be symmetric, got relative asymmetry {worst:.3g} > {rtol:g}"
        )
    return 0.5 * (arr + np.swapaxes(arr, -1, -2))


def mode_indices(name: str, value: Any, n_modes: int) -> tuple[int, ...]:
    """Tuple of distinct mode indices in ``range(n_modes)``."""
    if isinstance(value, int | np.integer):
        value = (int(value),)
    try:
        idx = tuple(int(v) for v in value)
    except TypeError as exc:
        raise OptolibError(f"{name} must be an int or a sequence of ints, got {value!r}") from exc
    if not idx:
        raise OptolibError(f"{name} must name at least one mode, got {value!r}")
    if len(set(idx)) != len(idx):
        raise OptolibError(f"{name} must not repeat a mode, got {idx}")
    bad = [i for i in idx if not 0 <= i < n_modes]
    if bad:
        raise OptolibError(f"{name} must be mode indices in [0, {n_modes - 1}], got {bad}")
    return idx
