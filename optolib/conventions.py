r"""Conventions used everywhere in optolib, stated once.

Quadratures
    For every bosonic mode :math:`a_k`,

    .. math:: X_k = \frac{a_k + a_k^\dagger}{\sqrt 2}, \qquad
              Y_k = \frac{i(a_k^\dagger - a_k)}{\sqrt 2},

    so :math:`[X_k, Y_k] = i` and the vacuum has :math:`\langle X_k^2\rangle =
    \langle Y_k^2\rangle = 1/2`.  The quadrature vector is interleaved,
    :math:`r = (X_1, Y_1, X_2, Y_2, \dots)` ("xpxp" ordering; thewalrus uses
    "xxpp" and :math:`\hbar = 2`, i.e. vacuum covariance = identity).

Commutators and the symplectic form
    :math:`[r_j, r_k] = i\,\Omega_{jk}` with
    :math:`\Omega = \bigoplus_k \begin{pmatrix}0 & 1\\ -1 & 0\end{pmatrix}`.

Covariance matrix
    :math:`V_{jk} = \tfrac12\langle r_j r_k + r_k r_j\rangle -
    \langle r_j\rangle\langle r_k\rangle`; vacuum :math:`V = \mathbb 1/2`.
    A covariance matrix is physical iff :math:`V + \tfrac{i}{2}\Omega \ge 0`.

Dynamics
    Linear quantum Langevin equations :math:`\dot r = A r + \text{noise}` give
    :math:`\dot V = A V + V A^T + D`; the steady state solves the Lyapunov
    equation :math:`A V + V A^T + D = 0` (Eq. (19) of paper A, Eq. (12) of
    paper B).  :math:`\hbar = 1`: Hamiltonians are angular frequencies.

Units
    Angular frequencies and rates in rad/s (s\ :sup:`-1`) in all code.  Papers'
    "x MHz" values are converted where they are read in, with the evidence.

Log-negativity
    Natural logarithm: :math:`E_N = \sum_k \max(0, -\ln 2\tilde\nu_k)` over the
    symplectic eigenvalues :math:`\tilde\nu_k` of the partially transposed
    covariance matrix (Eq. (20) of paper A, Eq. (14) of paper B).
"""

from __future__ import annotations

import numpy as np

__all__ = ["VACUUM_VARIANCE", "ladder_to_quadrature", "symplectic_form"]

#: Variance of X (or Y) in the vacuum state.
VACUUM_VARIANCE = 0.5


def symplectic_form(n_modes: int) -> np.ndarray:
    r"""Symplectic form :math:`\Omega = \bigoplus_{k=1}^{n} \begin{pmatrix}0&1\\-1&0\end{pmatrix}`.

    Parameters
    ----------
    n_modes : int
        Number of modes :math:`n \ge 1`.

    Returns
    -------
    ndarray, shape (2n, 2n)
        Real antisymmetric matrix with :math:`[r_j, r_k] = i\Omega_{jk}`.
    """
    if int(n_modes) != n_modes or n_modes < 1:
        raise ValueError(f"n_modes must be a positive integer, got {n_modes!r}")
    return np.kron(np.eye(int(n_modes)), np.array([[0.0, 1.0], [-1.0, 0.0]]))


def ladder_to_quadrature(n_modes: int) -> np.ndarray:
    r"""Matrix :math:`T` with :math:`\xi = T r`.

    :math:`\xi = (a_1, \dots, a_n, a_1^\dagger, \dots, a_n^\dagger)` and
    :math:`r = (X_1, Y_1, \dots)`: :math:`a_k = (X_k + iY_k)/\sqrt2`,
    :math:`a_k^\dagger = (X_k - iY_k)/\sqrt2`.

    Returns
    -------
    ndarray, shape (2n, 2n), complex
    """
    n = int(n_modes)
    if n != n_modes or n < 1:
        raise ValueError(f"n_modes must be a positive integer, got {n_modes!r}")
    t = np.zeros((2 * n, 2 * n), dtype=complex)
    s = 1 / np.sqrt(2)
    for k in range(n):
        t[k, 2 * k], t[k, 2 * k + 1] = s, 1j * s
        t[n + k, 2 * k], t[n + k, 2 * k + 1] = s, -1j * s
    return t
