r"""Physicality guards for covariance matrices and drift/diffusion pairs.

Conventions (:mod:`optolib.conventions`): :math:`[r_j, r_k] = i\Omega_{jk}`,
vacuum :math:`V = \mathbb 1/2`.

Uncertainty relation (Robertson-Schroedinger, Simon 2000)
    A real symmetric :math:`V` is a covariance matrix of a quantum state iff

    .. math:: V + \tfrac{i}{2}\Omega \ge 0 .

Complete positivity of the dynamics
    :math:`\dot V = AV + VA^T + D` maps every physical :math:`V` to a physical
    one (for all times, in every dilation) iff

    .. math:: D - \tfrac{i}{2}\left(A\Omega + \Omega A^T\right) \ge 0 .

    Derivation: after a step :math:`dt`,
    :math:`V' + \tfrac{i}{2}\Omega = M(V + \tfrac{i}{2}\Omega)M^T +
    dt\,[D - \tfrac{i}{2}(A\Omega + \Omega A^T)] + O(dt^2)` with
    :math:`M = 1 + A\,dt`, and the first term is :math:`\ge 0`, with equality
    reached by pure states.  For a Lindblad model
    (:class:`optolib.model.GaussianModel`) the matrix equals
    :math:`\Omega\,C^*\,\Omega^T` with :math:`C = \sum\gamma\, l l^\dagger \ge 0`,
    which is :math:`\ge 0`.

Public API:

uncertainty_margin, check_physical_covariance, complete_positivity_margin,
check_complete_positivity
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _validation as val
from .conventions import symplectic_form
from .errors import OptolibError, UnphysicalCovarianceError

__all__ = [
    "check_complete_positivity",
    "check_physical_covariance",
    "complete_positivity_margin",
    "complete_positivity_matrix",
    "uncertainty_margin",
]


def uncertainty_margin(covariance: Any) -> np.ndarray:
    r"""Smallest eigenvalue of :math:`V + \tfrac{i}{2}\Omega`, shape (...,).

    Non-negative for a physical covariance matrix; 0 for a pure state.
    """
    v = val.symmetric_stack("covariance", covariance)
    omega = symplectic_form(v.shape[-1] // 2)
    return np.linalg.eigvalsh(v + 0.5j * omega)[..., 0]


def check_physical_covariance(covariance: Any, *, atol: float = 1e-9) -> np.ndarray:
    r"""Return ``covariance`` (symmetrised) or raise :class:`UnphysicalCovarianceError`.

    Raises when :math:`V + \tfrac{i}{2}\Omega` has an eigenvalue below
    ``-atol * max(1, |V|)``; the message gives the eigenvalue and batch index.
    """
    v = val.symmetric_stack("covariance", covariance)
    margin = uncertainty_margin(v)
    scale = np.maximum(1.0, np.abs(v).max(axis=(-1, -2)))
    bad = margin < -atol * scale
    if np.any(bad):
        idx = tuple(tuple(int(i) for i in ix) for ix in np.argwhere(bad))
        first = idx[0] if idx else ()
        worst = float(margin[first] if first else margin)
        where = f" at batch index {first}" if first else ""
        raise UnphysicalCovarianceError(
            f"covariance violates the uncertainty relation V + (i/2) Omega >= 0{where}: "
            f"smallest eigenvalue {worst:.6g} < 0 ({len(idx)} of {bad.size} points)",
            min_eigenvalue=worst,
            indices=idx,
        )
    return v


def complete_positivity_matrix(drift: Any, diffusion: Any) -> np.ndarray:
    r""":math:`D - \tfrac{i}{2}(A\Omega + \Omega A^T)` (Hermitian), shape (..., m, m)."""
    a = val.square_stack("drift", drift)
    d = val.symmetric_stack("diffusion", diffusion)
    if a.shape[-1] != d.shape[-1]:
        raise OptolibError(
            f"drift and diffusion must have the same size, got {a.shape[-1]} and {d.shape[-1]}"
        )
    omega = symplectic_form(a.shape[-1] // 2)
    return d - 0.5j * (a @ omega + omega @ np.swapaxes(a, -1, -2))


def complete_positivity_margin(drift: Any, diffusion: Any) -> np.ndarray:
    r"""Smallest eigenvalue of :math:`D - \tfrac{i}{2}(A\Omega + \Omega A^T)`, shape (...,).

    Negative means the pair :math:`(A, D)` does not generate a completely
    positive evolution: some physical initial state is driven to an
    unphysical covariance matrix.
    """
    return np.linalg.eigvalsh(complete_positivity_matrix(drift, diffusion))[..., 0]


def check_complete_positivity(drift: Any, diffusion: Any, *, atol: float = 1e-9) -> None:
    """Raise :class:`OptolibError` if :func:`complete_positivity_margin` < -atol * scale."""
    margin = complete_positivity_margin(drift, diffusion)
    scale = np.maximum(np.abs(np.asarray(diffusion)).max(axis=(-1, -2)), 1e-300)
    bad = margin < -atol * scale
    if np.any(bad):
        idx = np.argwhere(bad)
        first = tuple(int(i) for i in idx[0]) if idx.size else ()
        worst = float(margin[first] if first else margin)
        raise OptolibError(
            "drift/diffusion pair is not completely positive: "
            f"D - (i/2)(A Omega + Omega A^T) has eigenvalue {worst:.6g} < 0"
            + (f" at batch index {first}" if first else "")
        )
