r"""Entanglement and state measures of Gaussian states (batched).

All functions take covariance matrices of shape ``(..., 2n, 2n)`` in the
interleaved quadrature basis of :mod:`optolib.conventions` (vacuum
:math:`\mathbb 1/2`) and return arrays over the leading batch axes.  Masked
arrays (unstable points from
:func:`optolib.steady_state.steady_state_covariance`) stay masked.

By default every measure first checks the uncertainty relation and raises
:class:`optolib.errors.UnphysicalCovarianceError` if it fails; pass
``check="warn"`` to evaluate an unphysical matrix anyway (with a warning) —
needed to show what a paper's inconsistent noise model produces.

Public API:

reduce_covariance, partial_transpose, symplectic_eigenvalues, log_negativity,
min_pt_symplectic_eigenvalue, contangle, residual_contangle,
mean_occupation, purity, wigner_function, quadrature_marginal
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from . import _validation as val
from .conventions import symplectic_form
from .errors import OptolibError
from .physicality import check_physical_covariance, uncertainty_margin

__all__ = [
    "contangle",
    "log_negativity",
    "mean_occupation",
    "min_pt_symplectic_eigenvalue",
    "partial_transpose",
    "purity",
    "quadrature_marginal",
    "reduce_covariance",
    "residual_contangle",
    "symplectic_eigenvalues",
    "wigner_function",
]

Check = Literal["raise", "warn"]


def _prepare(covariance: Any, check: Check) -> tuple[np.ndarray, np.ndarray | None]:
    """Validated float array (masked points replaced by vacuum) and the point mask."""
    mask = None
    if isinstance(covariance, np.ma.MaskedArray):
        m = np.ma.getmaskarray(covariance)
        mask = m.any(axis=(-1, -2)) if m.ndim >= 2 else None
        dim = covariance.shape[-1]
        covariance = np.where(m, 0.5 * np.eye(dim), covariance.data)
    v = val.symmetric_stack("covariance", covariance)
    if check == "raise":
        # Same criterion as check_physical_covariance (default atol 1e-9): skip its
        # eigenvalue computation when a Cholesky factorisation certifies it passes.
        if not _certified_physical(v, 0.5e-9 * np.maximum(1.0, np.abs(v).max(axis=(-1, -2)))):
            check_physical_covariance(v)
    elif check == "warn":
        if _certified_physical(v, np.full(v.shape[:-2], 0.5e-9)):
            return v, mask
        margin = uncertainty_margin(v)
        if np.any(margin < -1e-9):
            warnings.warn(
                "evaluating an unphysical covariance matrix (V + (i/2) Omega has eigenvalue "
                f"{float(margin.min()):.4g} < 0); the result is not a property of any state",
                RuntimeWarning,
                stacklevel=3,
            )
    else:
        raise OptolibError(f"check must be 'raise' or 'warn', got {check!r}")
    return v, mask


def _certified_physical(v: np.ndarray, tol: np.ndarray) -> bool:
    r"""True if :math:`V + \tfrac i2\Omega + \mathrm{tol}\,\mathbb 1` has a Cholesky factor at every point.

    Success proves the smallest eigenvalue of :math:`V + \tfrac i2\Omega` is above
    :math:`-\mathrm{tol}` (up to round-off ~1e-15 |V|), at a tenth of the cost of the
    eigenvalues; on failure the caller runs the exact check, so results and errors
    are those of :func:`optolib.physicality.uncertainty_margin`.
    """
    dim = v.shape[-1]
    h = v + 0.5j * symplectic_form(dim // 2) + tol[..., None, None] * np.eye(dim)
    try:
        np.linalg.cholesky(h)
    except np.linalg.LinAlgError:
        return False
    return True


def _finish(result: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    if mask is None:
        return result
    return np.ma.MaskedArray(result, mask=np.broadcast_to(mask, result.shape))


def _quad_indices(modes: Sequence[int]) -> np.ndarray:
    return np.array([q for k in modes for q in (2 * k, 2 * k + 1)], dtype=int)


def reduce_covariance(covariance: Any, modes: int | Sequence[int]) -> np.ndarray:
    """Covariance matrix of the subsystem ``modes`` (in the given order): trace out the rest."""
    v = val.square_stack("covariance", covariance)
    idx = _quad_indices(val.mode_indices("modes", modes, v.shape[-1] // 2))
    return v[..., idx[:, None], idx[None, :]]


def partial_transpose(covariance: Any, modes: int | Sequence[int]) -> np.ndarray:
    r"""Partial transpose of ``modes``: :math:`Y_k \to -Y_k` (Simon 2000), :math:`PVP`."""
    v = val.square_stack("covariance", covariance)
    idx = val.mode_indices("modes", modes, v.shape[-1] // 2)
    p = np.ones(v.shape[-1])
    p[[2 * k + 1 for k in idx]] = -1.0
    return v * p[:, None] * p[None, :]


def _symplectic_eigs(v: np.ndarray) -> np.ndarray:
    r"""Symplectic eigenvalues of positive-definite ``v`` via :math:`L^T i\Omega L`, ascending."""
    n = v.shape[-1] // 2
    omega = symplectic_form(n)
    try:
        chol = np.linalg.cholesky(v)
    except np.linalg.LinAlgError:
        # Not positive definite (only possible for unphysical input evaluated with
        # check="warn"): fall back to the moduli of the eigenvalues of i Omega V.
        ev = np.sort(np.abs(np.linalg.eigvals(1j * omega @ v)), axis=-1)
        return ev[..., ::2]
    herm = np.swapaxes(chol, -1, -2) @ (1j * omega) @ chol
    ev = np.linalg.eigvalsh(herm)  # +-nu_k, ascending
    return ev[..., n:]


def symplectic_eigenvalues(covariance: Any, *, check: Check = "raise") -> np.ndarray:
    r"""Symplectic eigenvalues :math:`\nu_k` (moduli of the eigenvalues of :math:`i\Omega V`).

    Returns shape ``(..., n)``, ascending.  Physical states have
    :math:`\nu_k \ge 1/2`; the vacuum has :math:`\nu_k = 1/2`.
    """
    v, mask = _prepare(covariance, check)
    res = _symplectic_eigs(v)
    return _finish(res, None if mask is None else mask[..., None])


def min_pt_symplectic_eigenvalue(
    covariance: Any,
    subsystem_a: int | Sequence[int],
    subsystem_b: int | Sequence[int],
    *,
    check: Check = "raise",
) -> np.ndarray:
    r"""Smallest symplectic eigenvalue :math:`\tilde\nu_-` of the partial transpose.

    The state of ``subsystem_a`` + ``subsystem_b`` (other modes traced out) is
    entangled across the cut iff :math:`\tilde\nu_- < 1/2` for 1 x N cuts
    (Simon 2000; Werner-Wolf 2001 for 1 x N).
    """
    v, mask = _prepare(covariance, check)
    a, b = _cut(v, subsystem_a, subsystem_b)
    vab = reduce_covariance(v, a + b)
    pt = partial_transpose(vab, tuple(range(len(a), len(a) + len(b))))
    return _finish(_symplectic_eigs(pt)[..., 0], mask)


def _cut(v: np.ndarray, sa: Any, sb: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    n = v.shape[-1] // 2
    a = val.mode_indices("subsystem_a", sa, n)
    b = val.mode_indices("subsystem_b", sb, n)
    if set(a) & set(b):
        raise OptolibError(f"subsystem_a {a} and subsystem_b {b} must not share modes")
    return a, b


def log_negativity(
    covariance: Any,
    subsystem_a: int | Sequence[int],
    subsystem_b: int | Sequence[int],
    *,
    check: Check = "raise",
) -> np.ndarray:
    r"""Logarithmic negativity :math:`E_N` of the cut ``subsystem_a | subsystem_b``.

    .. math:: E_N = \sum_k \max\left[0, -\ln 2\tilde\nu_k\right]

    over the symplectic eigenvalues :math:`\tilde\nu_k` of the partially
    transposed reduced covariance matrix (natural log; Eq. (20) of paper A and
    Eq. (14) of paper B, where only :math:`\tilde\nu_-` can be below 1/2).
    Modes not in either subsystem are traced out.  Two-mode squeezed vacuum of
    squeezing :math:`r` gives :math:`E_N = 2r`.
    """
    v, mask = _prepare(covariance, check)
    a, b = _cut(v, subsystem_a, subsystem_b)
    vab = reduce_covariance(v, a + b)
    pt = partial_transpose(vab, tuple(range(len(a), len(a) + len(b))))
    nu = _symplectic_eigs(pt)
    en = np.sum(np.maximum(0.0, -np.log(2.0 * nu)), axis=-1)
    return _finish(en, mask)


def contangle(
    covariance: Any,
    subsystem_a: int | Sequence[int],
    subsystem_b: int | Sequence[int],
    *,
    check: Check = "raise",
) -> np.ndarray:
    r"""Contangle :math:`C_{a|b} = E_N(a|b)^2` (squared log-negativity; paper B after Eq. (16)).

    Adesso & Illuminati define the Gaussian contangle through the Gaussian
    convex roof; for the pure-state and two-mode cases used in paper B the
    squared log-negativity is the quantity the paper computes (its Eq. (16)).
    """
    return log_negativity(covariance, subsystem_a, subsystem_b, check=check) ** 2


def residual_contangle(
    covariance: Any,
    modes: Sequence[int],
    *,
    check: Check = "raise",
) -> np.ndarray:
    r"""Minimum residual contangle of three modes, Eqs. (16)-(19) of paper B.

    .. math::
        R^{i|jk} = C_{i|jk} - C_{i|j} - C_{i|k},\qquad
        R_{\min} = \min_{i} R^{i|jk},

    with :math:`C = E_N^2` and the minimum over the three choices of the focus
    mode :math:`i`.  Other modes are traced out first.  Positive means genuine
    tripartite entanglement (Adesso & Illuminati 2006).

    Parameters
    ----------
    modes : sequence of three ints
        The three modes (e.g. driven cavity, atoms, mechanics).
    """
    v, mask = _prepare(covariance, check)
    idx = val.mode_indices("modes", modes, v.shape[-1] // 2)
    if len(idx) != 3:
        raise OptolibError(f"modes must name exactly three modes, got {idx}")
    v3 = reduce_covariance(v, idx)
    res = []
    for i in range(3):
        j, k = [x for x in range(3) if x != i]
        c_ijk = log_negativity(v3, i, (j, k), check="warn") ** 2
        c_ij = log_negativity(v3, i, j, check="warn") ** 2
        c_ik = log_negativity(v3, i, k, check="warn") ** 2
        res.append(c_ijk - c_ij - c_ik)
    return _finish(np.min(np.stack(res), axis=0), mask)


def mean_occupation(covariance: Any, mode: int, *, check: Check = "raise") -> np.ndarray:
    r"""Mean excitation number :math:`\langle a^\dagger a\rangle = (V_{XX} + V_{YY} - 1)/2` (zero mean)."""
    v, mask = _prepare(covariance, check)
    k = val.mode_indices("mode", mode, v.shape[-1] // 2)[0]
    return _finish(0.5 * (v[..., 2 * k, 2 * k] + v[..., 2 * k + 1, 2 * k + 1] - 1.0), mask)


def purity(covariance: Any, *, check: Check = "raise") -> np.ndarray:
    r"""Purity :math:`\mathrm{Tr}\rho^2 = 1/(2^n\sqrt{\det V})` of an n-mode Gaussian state."""
    v, mask = _prepare(covariance, check)
    n = v.shape[-1] // 2
    return _finish(1.0 / (2.0**n * np.sqrt(np.linalg.det(v))), mask)


def wigner_function(covariance: Any, points: Any, *, check: Check = "raise") -> np.ndarray:
    r"""Zero-mean Gaussian Wigner function at ``points``.

    .. math:: W(r) = \frac{\exp(-\tfrac12 r^T V^{-1} r)}{(2\pi)^n\sqrt{\det V}}

    normalised to 1 over the :math:`2n` quadratures (Eq. (23) of paper A).

    Parameters
    ----------
    covariance : array_like, shape (2n, 2n)
    points : array_like, shape (..., 2n)
    """
    v, _ = _prepare(covariance, check)
    if v.ndim != 2:
        raise OptolibError(f"covariance must be a single (2n, 2n) matrix, got shape {v.shape}")
    r = val.real_array("points", points)
    if r.shape[-1] != v.shape[-1]:
        raise OptolibError(f"points must have last axis {v.shape[-1]}, got shape {r.shape}")
    n = v.shape[-1] // 2
    quad = np.einsum("...i,ij,...j->...", r, np.linalg.inv(v), r)
    return np.exp(-0.5 * quad) / ((2 * np.pi) ** n * np.sqrt(np.linalg.det(v)))


def quadrature_marginal(
    covariance: Any, quadratures: Sequence[int], x: Any, y: Any, *, check: Check = "raise"
) -> np.ndarray:
    r"""Two-quadrature marginal of the Wigner function on a grid.

    Integrating a Gaussian Wigner function over all other quadratures leaves a
    Gaussian with the 2x2 covariance :math:`V_{[ij]}` of the kept pair, e.g.
    :math:`W(q_l, q_r)` of paper A's Fig. 4.

    Parameters
    ----------
    quadratures : pair of int
        Indices into the quadrature vector (e.g. ``(2*k, 2*k+1)`` for X_k, Y_k).
    x, y : array_like
        Grid values for the first and second quadrature (broadcast together).
    """
    v, _ = _prepare(covariance, check)
    q = [int(i) for i in quadratures]
    if len(q) != 2 or len(set(q)) != 2 or not all(0 <= i < v.shape[-1] for i in q):
        raise OptolibError(
            f"quadratures must be two distinct indices in [0, {v.shape[-1] - 1}], got {quadratures}"
        )
    sub = v[np.ix_(q, q)]
    xx, yy = np.broadcast_arrays(val.real_array("x", x), val.real_array("y", y))
    pts = np.stack([xx, yy], axis=-1)
    inv = np.linalg.inv(sub)
    quad = np.einsum("...i,ij,...j->...", pts, inv, pts)
    return np.exp(-0.5 * quad) / (2 * np.pi * np.sqrt(np.linalg.det(sub)))
