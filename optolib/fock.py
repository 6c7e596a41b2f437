r"""The QuTiP bridge: a declared :class:`~optolib.model.GaussianModel` in truncated Fock space.

The Hamiltonian and collapse operators are built from the same declaration as
the drift and diffusion matrices, so a Gaussian and a Fock-space calculation
cannot describe different models.  Used to cross-check the Gaussian engine:

* :func:`moment_equation_residual` — applies the adjoint Lindbladian to the
  quadrature moments :math:`r_j` and :math:`(r_j r_k + r_k r_j)/2` on states far
  from the truncation edge and compares with :math:`A` and
  :math:`AV + VA^T + D`; exact (no truncation study needed), well under a second.
* :func:`steady_state` + :func:`covariance_from_state` — the master-equation
  steady state in truncated Fock space and its covariance matrix.
* :func:`fock_log_negativity` — :math:`\ln\lVert\rho^{T_B}\rVert_1` (natural log,
  unlike ``qutip.negativity(logarithmic=True)`` which uses base 2).
* :func:`converge_truncation` — raises the truncation until the covariance
  matrix stops changing and reports the population of the top Fock level.

Non-Lindblad noise: Brownian (momentum-only) mechanical damping has no master
equation; ``brownian="rwa"`` replaces it by thermal amplitude damping of the
same rate (they differ at order :math:`\gamma/\omega_m`), ``brownian="error"``
refuses.  Explicit classical noise (:meth:`GaussianModel.add_classical_noise`)
is always refused with :class:`~optolib.errors.NotLindbladError`.

Public API:

FockModel, to_qutip, quadrature_operators, steady_state, covariance_from_state,
fock_log_negativity, top_level_populations, converge_truncation,
moment_equation_residual
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import qutip
import scipy.sparse

from .errors import NotLindbladError, OptolibError
from .measures import _symplectic_eigs, partial_transpose  # noqa: F401 (re-used in docs)
from .model import GaussianModel

__all__ = [
    "ConvergenceResult",
    "FockModel",
    "converge_truncation",
    "covariance_from_state",
    "fock_log_negativity",
    "moment_equation_residual",
    "quadrature_operators",
    "steady_state",
    "to_qutip",
    "top_level_populations",
]


def _truncation(truncation: int | Sequence[int], n_modes: int) -> tuple[int, ...]:
    if isinstance(truncation, int | np.integer):
        truncation = (int(truncation),) * n_modes
    dims = tuple(int(t) for t in truncation)
    if len(dims) != n_modes:
        raise OptolibError(
            f"truncation must give one level count per mode ({n_modes}), got {truncation!r}"
        )
    if any(t < 2 for t in dims) or any(t != t0 for t, t0 in zip(dims, truncation, strict=True)):
        raise OptolibError(f"truncation must be integers >= 2 (levels per mode), got {truncation!r}")
    return dims


def ladder_operators(truncation: Sequence[int]) -> list[qutip.Qobj]:
    """Annihilation operators of each mode on the tensor product space (CSR)."""
    dims = list(truncation)
    ops = []
    for k, nk in enumerate(dims):
        factors = [qutip.qeye(d) for d in dims]
        factors[k] = qutip.destroy(nk)
        ops.append(qutip.tensor(*factors).to("CSR"))
    return ops


def quadrature_operators(truncation: Sequence[int]) -> list[qutip.Qobj]:
    r""":math:`(X_1, Y_1, X_2, \dots)` with :math:`X = (a+a^\dagger)/\sqrt2`, :math:`Y = i(a^\dagger-a)/\sqrt2`."""
    out = []
    for a in ladder_operators(truncation):
        out += [(a + a.dag()) / np.sqrt(2), 1j * (a.dag() - a) / np.sqrt(2)]
    return out


@dataclass
class FockModel:
    """A model in truncated Fock space: Hamiltonian, collapse operators, and bookkeeping."""

    hamiltonian: qutip.Qobj
    c_ops: list[qutip.Qobj]
    truncation: tuple[int, ...]
    modes: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


def to_qutip(
    model: GaussianModel,
    truncation: int | Sequence[int],
    *,
    brownian: Literal["rwa", "error"] = "rwa",
) -> FockModel:
    r"""Build the QuTiP Hamiltonian and collapse operators of a declared model.

    :math:`H = \sum_{ij} M_{ij}\,\xi_i\xi_j` (Hermitian part), and for each
    channel :math:`\sqrt{\gamma(\bar n+1)}\,L` and :math:`\sqrt{\gamma\bar n}\,L^\dagger`
    with :math:`L = \sum_i c_i \xi_i`.

    Parameters
    ----------
    model : GaussianModel
        Must have scalar parameters (``model.batch_shape == ()``).
    truncation : int or sequence of int
        Fock levels kept per mode (0 .. N-1), one per mode or one for all.
    brownian : {"rwa", "error"}
        What to do with Brownian damping (see module docstring).
    """
    if model.batch_shape != ():
        raise OptolibError(
            f"to_qutip needs a model with scalar parameters, got batch shape {model.batch_shape}"
        )
    if model.classical:
        names = [c.name for c in model.classical]
        raise NotLindbladError(
            f"model contains classical noise {names} with no Lindblad form; "
            "it has no Fock-space master equation"
        )
    if model.brownian and brownian != "rwa":
        raise NotLindbladError(
            f"model contains Brownian damping {[b.name for b in model.brownian]}, which is not "
            "of Lindblad form; pass brownian='rwa' to use thermal amplitude damping instead"
        )
    dims = _truncation(truncation, model.n_modes)
    a_ops = ladder_operators(dims)
    xi = a_ops + [a.dag() for a in a_ops]
    m = model.hamiltonian.matrix
    h = 0 * a_ops[0]
    for i, j in zip(*np.nonzero(np.abs(m) > 0), strict=True):
        h = h + complex(m[i, j]) * (xi[i] * xi[j])
    h = 0.5 * (h + h.dag())
    c_ops = []

    def lin(coeffs: np.ndarray) -> qutip.Qobj:
        op = 0 * a_ops[0]
        for i in np.nonzero(np.abs(coeffs) > 0)[0]:
            op = op + complex(coeffs[i]) * xi[i]
        return op

    for ch in model.channels:
        L = lin(ch.operator.coeffs)
        rate, n_th = float(ch.rate), float(ch.n_thermal)
        if rate * (n_th + 1) > 0:
            c_ops.append(np.sqrt(rate * (n_th + 1)) * L)
        if rate * n_th > 0:
            c_ops.append(np.sqrt(rate * n_th) * L.dag())
    notes = []
    for b in model.brownian:
        rate, n_th = float(b.rate), float(b.n_thermal)
        a = a_ops[b.mode]
        if rate > 0:
            c_ops.append(np.sqrt(rate * (n_th + 1)) * a)
        if rate * n_th > 0:
            c_ops.append(np.sqrt(rate * n_th) * a.dag())
        notes.append(f"{b.name}: replaced by thermal amplitude damping (rotating-wave form)")
    return FockModel(h, c_ops, dims, model.modes, notes)


def steady_state(
    model: GaussianModel | FockModel,
    truncation: int | Sequence[int] | None = None,
    *,
    method: Literal["iterative", "direct", "power"] = "iterative",
    brownian: Literal["rwa", "error"] = "rwa",
) -> qutip.Qobj:
    """Steady state of the model's master equation in truncated Fock space.

    ``method="iterative"`` (default): LGMRES with an incomplete-LU preconditioner
    and reverse Cuthill-McKee ordering (fast on coupled modes; measured in the
    book's toolbox chapter).  ``"direct"``: sparse LU.  ``"power"``: inverse power
    iteration.
    """
    fm = model if isinstance(model, FockModel) else to_qutip(model, truncation, brownian=brownian)
    if not fm.c_ops:
        raise OptolibError("model has no dissipation: no unique steady state")
    if method == "iterative":
        # LGMRES (tight tolerances: QuTiP passes scipy's default rtol=1e-5 otherwise) with an
        # incomplete-LU preconditioner; if the ILU factor is singular, retry with a smaller
        # drop tolerance, then fall back to sparse LU.
        attempts = [
            dict(method="direct", solver="lgmres", use_precond=True, use_rcm=True,
                 drop_tol=dt, fill_factor=20, rtol=1e-12, atol=1e-15, maxiter=2000)
            for dt in (1e-3, 1e-5)
        ] + [dict(method="direct", solver="spsolve", use_rcm=True)]
    elif method == "direct":
        attempts = [dict(method="direct", solver="spsolve", use_rcm=True)]
    elif method == "power":
        attempts = [dict(method="power", solver="spsolve")]
    else:
        raise OptolibError(f"method must be 'iterative', 'direct' or 'power', got {method!r}")
    errors = []
    for kw in attempts:
        try:
            rho = qutip.steadystate(fm.hamiltonian, fm.c_ops, **kw)
            break
        except (RuntimeError, ValueError) as exc:  # singular ILU factor, no convergence
            errors.append(f"{kw.get('solver')}(drop_tol={kw.get('drop_tol')}): {exc}")
    else:
        raise OptolibError("all steady-state solvers failed: " + "; ".join(errors))
    return rho


def covariance_from_state(rho: qutip.Qobj) -> np.ndarray:
    r"""Covariance matrix :math:`V_{jk} = \tfrac12\langle\{r_j, r_k\}\rangle - \langle r_j\rangle\langle r_k\rangle`."""
    if not isinstance(rho, qutip.Qobj) or not rho.isoper:
        raise OptolibError("rho must be a qutip density-matrix Qobj")
    dims = tuple(rho.dims[0])
    r = quadrature_operators(dims)
    rho = rho.to("CSR") if hasattr(rho, "to") else rho
    mean = np.array([qutip.expect(op, rho) for op in r]).real
    m = len(r)
    v = np.empty((m, m))
    for j in range(m):
        for k in range(j, m):
            v[j, k] = v[k, j] = qutip.expect(0.5 * (r[j] * r[k] + r[k] * r[j]), rho).real
    return v - np.outer(mean, mean)


def fock_log_negativity(rho: qutip.Qobj, subsystem_b: int | Sequence[int]) -> float:
    r"""Log-negativity :math:`\ln\lVert\rho^{T_B}\rVert_1` (natural log), partial transpose on ``subsystem_b``."""
    n = len(rho.dims[0])
    b = (subsystem_b,) if isinstance(subsystem_b, int | np.integer) else tuple(subsystem_b)
    if not b or any(not 0 <= int(i) < n for i in b):
        raise OptolibError(f"subsystem_b must be mode indices in [0, {n - 1}], got {subsystem_b!r}")
    mask = [1 if i in b else 0 for i in range(n)]
    pt = qutip.partial_transpose(rho, mask)
    ev = np.linalg.eigvalsh(pt.full())
    return float(np.log(np.abs(ev).sum()))


def top_level_populations(rho: qutip.Qobj) -> np.ndarray:
    """Population of the highest kept Fock level of each mode (truncation diagnostic)."""
    n = len(rho.dims[0])
    out = []
    for k in range(n):
        red = rho.ptrace(k) if n > 1 else rho
        out.append(float(np.real(red.diag()[-1])))
    return np.array(out)


@dataclass
class ConvergenceResult:
    """Outcome of :func:`converge_truncation`."""

    truncation: tuple[int, ...]
    covariance: np.ndarray
    change: float
    top_populations: np.ndarray
    history: list[dict[str, Any]]
    converged: bool
    state: qutip.Qobj | None = None


def converge_truncation(
    model: GaussianModel,
    start: int | Sequence[int],
    *,
    tol: float = 1e-3,
    max_levels: int | Sequence[int] = 12,
    step: int | Sequence[int] = 1,
    method: Literal["iterative", "direct", "power"] = "iterative",
    brownian: Literal["rwa", "error"] = "rwa",
) -> ConvergenceResult:
    """Raise the truncation until the covariance matrix changes by less than ``tol``.

    Each round adds ``step`` levels to every mode (per-mode steps allowed, so
    truncations can follow each mode's occupation).  The change is the maximum
    absolute difference of :math:`V` between successive truncations.

    Returns
    -------
    ConvergenceResult
        Final truncation, covariance, last change, the top-level population of
        every mode and the history (truncation, change, seconds) of every round.
    """
    n = model.n_modes
    dims = np.array(_truncation(start, n))
    step_a = np.broadcast_to(np.asarray(step, dtype=int), (n,))
    max_a = np.broadcast_to(np.asarray(max_levels, dtype=int), (n,))
    if np.any(step_a < 0) or not np.any(step_a > 0):
        raise OptolibError(f"step must be >= 0 per mode and > 0 for some mode, got {step!r}")
    history: list[dict[str, Any]] = []
    prev = None
    while True:
        t0 = time.perf_counter()
        rho = steady_state(model, tuple(int(d) for d in dims), method=method, brownian=brownian)
        v = covariance_from_state(rho)
        change = np.inf if prev is None else float(np.abs(v - prev).max())
        top = top_level_populations(rho)
        history.append(dict(truncation=tuple(int(d) for d in dims), change=change,
                            top_populations=top, seconds=time.perf_counter() - t0))
        if change < tol:
            return ConvergenceResult(tuple(int(d) for d in dims), v, change, top, history, True, rho)
        nxt = dims + step_a
        if np.any(nxt > max_a):
            return ConvergenceResult(tuple(int(d) for d in dims), v, change, top, history, False, rho)
        prev, dims = v, nxt


def moment_equation_residual(
    model: GaussianModel, levels: int = 5, *, brownian: Literal["rwa", "error"] = "error"
) -> float:
    r"""Check :math:`A` and :math:`D` against QuTiP's adjoint Lindbladian (no truncation study).

    For a quadratic Hamiltonian and linear jump operators the adjoint
    Lindbladian :math:`\mathcal L^\dagger` maps

    .. math::
        \mathcal L^\dagger(r_j) = \sum_k A_{jk} r_k, \qquad
        \mathcal L^\dagger(O_{jk}) = \sum_l (A_{jl} O_{lk} + A_{kl} O_{jl}) + D_{jk}\,\mathbb 1,

    with :math:`O_{jk} = (r_j r_k + r_k r_j)/2`.  Both sides are compared on
    the Fock states with at most one quantum per mode, where a truncation of
    ``levels >= 5`` is exact.  Returns the largest absolute deviation divided by
    the largest entry of :math:`|A|` and :math:`|D|` (0 up to rounding when the
    derivation is right).
    """
    if levels < 5:
        raise OptolibError(f"levels must be >= 5 for the check to be exact, got {levels}")
    fm = to_qutip(model, levels, brownian=brownian)
    a_mat, d_mat = model.drift_matrix(), model.diffusion_matrix()
    dims = fm.truncation
    # Sparse matrices throughout, and only the rows/columns of the low states are formed
    # (4 modes x 5 levels: 625 x 625 dense products would take minutes).
    r = [op.data.as_scipy().tocsr() for op in quadrature_operators(dims)]
    h = fm.hamiltonian.to("CSR").data.as_scipy().tocsr()
    cs = [c.to("CSR").data.as_scipy().tocsr() for c in fm.c_ops]
    dim = h.shape[0]
    # basis states with at most one quantum per mode
    occ = np.array(np.unravel_index(np.arange(dim), dims)).T
    low = np.nonzero(occ.max(axis=1) <= 1)[0]
    pick = scipy.sparse.identity(dim, format="csr")[low]  # rows of the low states

    def adjoint_low(o) -> np.ndarray:
        """<low| L^dag(o) |low> as a dense (len(low), len(low)) array."""
        out = 1j * (pick @ h @ o @ pick.T - pick @ o @ h @ pick.T)
        for c in cs:
            cd = c.conj().T.tocsr()
            cdc = cd @ c
            out = out + pick @ cd @ o @ c @ pick.T - 0.5 * (pick @ cdc @ o @ pick.T + pick @ o @ cdc @ pick.T)
        return out.toarray()

    def low_block(o) -> np.ndarray:
        return (pick @ o @ pick.T).toarray()

    m = len(r)
    err = 0.0
    for j in range(m):
        rhs = sum(a_mat[j, k] * low_block(r[k]) for k in range(m))
        err = max(err, np.abs(adjoint_low(r[j]) - rhs).max())
    o = [[0.5 * (r[j] @ r[k] + r[k] @ r[j]) for k in range(m)] for j in range(m)]
    o_low = [[low_block(o[j][k]) for k in range(m)] for j in range(m)]
    eye = np.eye(len(low))
    for j in range(m):
        for k in range(j, m):
            rhs = d_mat[j, k] * eye
            for ll in range(m):
                rhs = rhs + a_mat[j, ll] * o_low[ll][k] + a_mat[k, ll] * o_low[j][ll]
            err = max(err, np.abs(adjoint_low(o[j][k]) - rhs).max())
    scale = max(np.abs(a_mat).max(), np.abs(d_mat).max())
    return float(err / scale)
