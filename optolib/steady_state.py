r"""Steady states of linear quantum Langevin equations.

For :math:`\dot r = A r + \text{noise}` with diffusion matrix :math:`D`, the
covariance matrix obeys :math:`\dot V = AV + VA^T + D`.  When every eigenvalue
of :math:`A` has a negative real part (Routh-Hurwitz stability) the unique steady
state is

.. math:: V = \int_0^\infty e^{As} D\, e^{A^T s}\,ds
          \qquad\text{(Eq. (18) of paper A)},

equivalently the solution of the Lyapunov equation :math:`AV + VA^T = -D`
(Eq. (19) of paper A, Eq. (12) of paper B).  Three independent methods are
offered (``method=``): the Lyapunov solve (default), the time integral of
Eq. (18) evaluated by interval doubling, and an ODE integration of
:math:`\dot V` run to convergence.  All accept batches ``(..., m, m)``.

The Lyapunov solve is batched over whole parameter grids (the Performance
appendix measures it against a per-point loop over
:func:`scipy.linalg.solve_continuous_lyapunov`): a Cayley transform turns the
equation into a Stein equation whose series is summed by squared Smith doubling,
about :math:`\log_2(|\lambda|/\min|\mathrm{Re}\,\lambda|)` batched matrix
products per point, in cache-sized chunks on up to two threads
(``OPTOLIB_THREADS=1`` makes it serial).  Converged points are thereby proven
stable; points the doubling cannot decide (margins within ~1e-12 of the
spectral scale) are decided by their eigenvalues, and any point whose residual
is not accepted is re-solved by scipy's Bartels-Stewart solver.

Public API:

stability_margin, check_stability, solve_lyapunov, steady_state_covariance
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import numpy as np
import scipy.integrate
import scipy.linalg

from . import _validation as val
from .errors import OptolibError, UnstableSystemError

__all__ = [
    "check_stability",
    "solve_lyapunov",
    "stability_margin",
    "steady_state_covariance",
]

def stability_margin(drift: Any) -> np.ndarray:
    r"""Largest real part of the eigenvalues of :math:`A`, shape (...,).

    Negative means stable (Routh-Hurwitz); the magnitude is the slowest decay
    rate of the fluctuations (s^-1).
    """
    a = val.square_stack("drift", drift, even=False)
    return np.linalg.eigvals(a).real.max(axis=-1)


def check_stability(drift: Any, *, name: str = "drift matrix") -> None:
    """Raise :class:`UnstableSystemError` if any eigenvalue of ``drift`` has Re >= 0.

    The message names the first failing batch point, its eigenvalue with the
    largest real part, and how many points failed.
    """
    a = val.square_stack(name, drift, even=False)
    worst = _worst_eigenvalue(a)
    _raise_unstable(worst, worst.real >= 0, name)


def _worst_eigenvalue(a: np.ndarray) -> np.ndarray:
    """Eigenvalue with the largest real part of each matrix in ``a`` (complex, shape (...,))."""
    eig = np.linalg.eigvals(a)
    return np.take_along_axis(eig, eig.real.argmax(axis=-1)[..., None], axis=-1)[..., 0]


def _raise_unstable(worst: np.ndarray, bad: np.ndarray, name: str) -> None:
    """Raise :class:`UnstableSystemError` for the points flagged in ``bad`` (shape = batch shape)."""
    if np.any(bad):
        idx = tuple(tuple(int(i) for i in ix) for ix in np.argwhere(bad))
        first = idx[0] if idx else ()
        lam = complex(worst[first] if first else worst)
        where = f" at batch index {first}" if first else ""
        more = f" ({len(idx)} of {bad.size} points unstable)" if bad.size > 1 else ""
        raise UnstableSystemError(
            f"{name} is unstable{where}: eigenvalue {lam.real:.6g}{lam.imag:+.6g}j has "
            f"non-negative real part, so no steady state exists{more}",
            eigenvalue=lam,
            indices=idx,
        )


#: Largest number of doubling steps.  A point needs about
#: log2(|lambda|^2 / (p * min|Re lambda|)) + 4 of them, so 48 resolves stability
#: margins down to ~1e-12 of the spectral scale; points that have not converged by
#: then (margins at round-off level, or unstable) are decided by their eigenvalues.
_MAXIT = 48
#: Doubling stops when ||T_k||_F < _TOL: the neglected tail T_k V T_k^T is then below
#: _TOL^2 = 1e-12 of V (and the next step would square it again).
_TOL = 1e-6
#: Accepted relative residual ||AV + VA^T + D|| / (||A|| ||V|| + ||D||) (max norms).  The
#: doubling reaches ~1e-15 on well-damped and ~1e-13 on stiff points; a point above
#: this bound is re-solved with scipy's Bartels-Stewart solver.
_RESIDUAL_TOL = 1e-11
#: Working-set size per chunk, in matrix entries: chunks of ~32768 / m^2 points keep the
#: doubling's arrays in the L2 cache (512 points for 8x8).
_CHUNK_ENTRIES = 32768
#: Threads used for large batches (numpy releases the GIL inside matmul and ufuncs).
#: Override with the environment variable OPTOLIB_THREADS (1 = serial).
_THREADS = max(1, min(2, int(os.environ.get("OPTOLIB_THREADS", os.cpu_count() or 1))))
_POOL: ThreadPoolExecutor | None = None


def _chunk_size(m: int) -> int:
    return max(16, _CHUNK_ENTRIES // (m * m))


def _doubling_chunk(a: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Cayley transform + squared Smith doubling on a flat batch (b, m, m).

    With a shift :math:`p > 0`, :math:`AV + VA^T = -D` is equivalent to the Stein
    equation :math:`V = C V C^T + Q` with

    .. math:: C = (A - p)^{-1}(A + p) = 1 + 2p(A - p)^{-1},\qquad
              Q = 2p\,(A - p)^{-1} D (A - p)^{-T}

    (multiply :math:`(A-p)V(A-p)^T - (A+p)V(A+p)^T = 2pD` by :math:`(A-p)^{-1}`).
    The Cayley map sends :math:`\mathrm{Re}\,\lambda < 0` into the unit disc, so
    :math:`V = \sum_j C^j Q C^{jT}`, summed by doubling:
    :math:`V_{k+1} = V_k + T_k V_k T_k^T`, :math:`T_{k+1} = T_k^2` (:math:`T_0 = C`,
    :math:`V_0 = Q`): :math:`V_k` holds the first :math:`2^k` terms and the
    remainder is :math:`T_k V T_k^T`.  :math:`p = \lVert A\rVert_F/\sqrt m`
    estimates the RMS eigenvalue modulus.

    Status per point:

    * ``k > 0``: :math:`\lVert T_k\rVert_F < 10^{-6}` after k steps, which proves
      :math:`\rho(C) < 1` (stability), and the relative residual of the
      symmetrised :math:`V` is below ``_RESIDUAL_TOL``;
    * ``-2``: certified unstable: :math:`|\mathrm{tr}\,T_k| > 10^3 m` with
      :math:`k \le 30`, which needs an eigenvalue :math:`|c| > 1` (hence
      :math:`\mathrm{Re}\,\lambda > 0`, margin above ~1e-8 of the spectral scale);
    * ``0``: undecided (not converged in ``_MAXIT`` steps, grew without the trace
      certificate, or residual rejected): the caller asks the eigenvalues.
    """
    n, m, _ = a.shape
    eye = np.eye(m)
    p = np.sqrt(np.einsum("nij,nij->n", a, a) / m)[:, None, None]
    p = np.where(p > 0, p, 1.0)
    try:
        b = np.linalg.inv(a - p * eye)
    except np.linalg.LinAlgError:  # A - p singular (p is an eigenvalue: unstable)
        if n == 1:
            return np.zeros_like(a), np.zeros(1, dtype=np.int64)
        return _doubling_chunk_pointwise(a, d)
    t = (2.0 * p) * b
    v = (t @ d) @ np.ascontiguousarray(b.transpose(0, 2, 1))
    t += eye
    out = np.zeros_like(v)
    status = np.zeros(n, dtype=np.int64)
    idx = np.arange(n)
    tol2 = _TOL * _TOL
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(_MAXIT):
            w = t @ v
            v += w @ np.ascontiguousarray(t.transpose(0, 2, 1))
            t = t @ t
            nrm = np.einsum("nij,nij->n", t, t)
            done = nrm < tol2
            grew = ~(nrm < 1e20)  # also catches inf / nan
            fin = done | grew
            if fin.any():
                sel = idx[fin]
                out[sel] = v[fin]
                tr = np.abs(np.trace(t[fin], axis1=1, axis2=2))
                certified = grew[fin] & (tr > 1e3 * m) & (k < 30)
                status[sel] = np.where(done[fin], k + 1, np.where(certified, -2, 0))
                keep = ~fin
                idx, v, t = idx[keep], v[keep], t[keep]
                if idx.size == 0:
                    break
    ok = np.flatnonzero(status > 0)
    if ok.size:
        vo = out[ok]
        vo = 0.5 * (vo + vo.transpose(0, 2, 1))
        out[ok] = vo
        bad = _relative_residual(a[ok], d[ok], vo) > _RESIDUAL_TOL
        status[ok[bad]] = 0
    return out, status


def _doubling_chunk_pointwise(a: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run :func:`_doubling_chunk` point by point (only when a batched inverse failed)."""
    out = np.zeros_like(a)
    status = np.zeros(a.shape[0], dtype=np.int64)
    for i in range(a.shape[0]):
        v, s = _doubling_chunk(a[i : i + 1], d[i : i + 1])
        out[i], status[i] = v[0], s[0]
    return out, status


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="optolib-lyap")
    return _POOL


def _doubling(a: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_doubling_chunk` over cache-sized chunks of a flat batch, threaded when large."""
    n, m, _ = a.shape
    a = np.ascontiguousarray(a)
    d = np.ascontiguousarray(d)
    v = np.empty_like(a)
    status = np.empty(n, dtype=np.int64)
    size = _chunk_size(m)
    starts = range(0, n, size)

    def job(s: int) -> None:
        v[s : s + size], status[s : s + size] = _doubling_chunk(a[s : s + size], d[s : s + size])

    if _THREADS > 1 and n >= 4 * size:
        list(_pool().map(job, starts))
    else:
        for s in starts:
            job(s)
    return v, status


def _relative_residual(a: np.ndarray, d: np.ndarray, v: np.ndarray) -> np.ndarray:
    """max|AV + VA^T + D| / (max|A| max|V| + max|D|) per point of a flat batch."""
    av = a @ v
    res = np.abs(av + np.swapaxes(av, -1, -2) + d).max(axis=(-1, -2))
    scale = np.abs(a).max(axis=(-1, -2)) * np.abs(v).max(axis=(-1, -2)) + np.abs(d).max(axis=(-1, -2))
    return res / np.maximum(scale, np.finfo(float).tiny)


def _scipy_points(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Bartels-Stewart (scipy) point by point: the fallback, and the benchmarks' baseline."""
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = scipy.linalg.solve_continuous_lyapunov(a[i], -d[i])
    return 0.5 * (out + np.swapaxes(out, -1, -2))


def _flatten(drift: Any, diffusion: Any) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    a = val.square_stack("drift", drift, even=False)
    d = val.symmetric_stack("diffusion", diffusion)
    if a.shape[-1] != d.shape[-1]:
        raise OptolibError(
            f"drift and diffusion must have the same size, got {a.shape[-1]} and {d.shape[-1]}"
        )
    shape = np.broadcast_shapes(a.shape[:-2], d.shape[:-2])
    m = a.shape[-1]
    a = np.broadcast_to(a, (*shape, m, m)).reshape(-1, m, m)
    d = np.broadcast_to(d, (*shape, m, m)).reshape(-1, m, m)
    return a, d, shape


def _lyapunov_flat(a: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched doubling on a flat batch; returns ``(v, status)`` (see :func:`_doubling_chunk`).

    Points with status > 0 are solved and proven stable, status -2 are proven
    unstable, status 0 are undecided (the caller asks the eigenvalues).
    """
    return _doubling(a, d)


def solve_lyapunov(drift: Any, diffusion: Any) -> np.ndarray:
    r"""Solve :math:`AV + VA^T + D = 0` for symmetric :math:`V` (batched, no stability check).

    Stable points (every eigenvalue of :math:`A` with negative real part) are
    solved together by a Cayley transform and squared Smith doubling (about
    :math:`\log_2` of the stiffness ratio batched matrix products per point;
    module docstring and Performance appendix); each solution is accepted only
    if its relative residual is below 1e-11.  The
    remaining points (unstable drift, margins at round-off level, rejected
    residuals) are solved one by one with :func:`scipy.linalg.solve_continuous_lyapunov`
    (Bartels-Stewart), which also gives the unique solution of an unstable but
    non-singular equation.

    Parameters
    ----------
    drift : array_like, shape (..., m, m)
    diffusion : array_like, shape (..., m, m), symmetric

    Returns
    -------
    ndarray, shape (..., m, m)
    """
    a, d, shape = _flatten(drift, diffusion)
    m = a.shape[-1]
    v, status = _lyapunov_flat(a, d)
    rest = status <= 0
    if rest.any():
        v[rest] = _scipy_points(a[rest], d[rest])
    return v.reshape(*shape, m, m)


def _time_integral(a: np.ndarray, d: np.ndarray, rtol: float) -> np.ndarray:
    r"""Eq. (18) by Gauss-Legendre on [0, T0] then doubling V(2T) = V(T) + E V(T) E^T."""
    lam = np.linalg.eigvals(a)
    t0 = 0.05 / np.abs(lam).max(axis=-1)  # short enough that e^{As} is smooth on [0, T0]
    nodes, weights = np.polynomial.legendre.leggauss(16)
    v = np.zeros_like(a)
    for x, w in zip(nodes, weights, strict=True):
        s = (0.5 * (x + 1) * t0)[:, None, None]
        e = scipy.linalg.expm(a * s)
        v += (0.5 * w * t0)[:, None, None] * (e @ d @ np.swapaxes(e, -1, -2))
    e = scipy.linalg.expm(a * t0[:, None, None])
    for _ in range(200):
        v = v + e @ v @ np.swapaxes(e, -1, -2)
        e = e @ e
        if np.all(np.abs(e).max(axis=(-1, -2)) < rtol * 1e-3):
            return v
    raise OptolibError("time integral did not converge in 200 doublings")


def _ode(a: np.ndarray, d: np.ndarray, rtol: float) -> np.ndarray:
    """Integrate dV/dt = AV + VA^T + D from V=0 with an implicit (stiff) solver."""
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        ai, di = a[i], d[i]
        m = ai.shape[0]
        rate = -np.linalg.eigvals(ai).real.max()
        t_end = 40.0 / rate

        def rhs(
            _t: float, y: np.ndarray, ai: np.ndarray = ai, di: np.ndarray = di, m: int = m
        ) -> np.ndarray:
            v = y.reshape(m, m)
            return (ai @ v + v @ ai.T + di).ravel()

        jac = np.kron(ai, np.eye(m)) + np.kron(np.eye(m), ai)
        sol = scipy.integrate.solve_ivp(
            rhs, (0.0, t_end), np.zeros(m * m), method="Radau", jac=jac,
            rtol=rtol, atol=rtol * np.abs(di).max() / rate * 1e-3, t_eval=[t_end],
        )
        if not sol.success:
            raise OptolibError(f"ODE integration failed at point {i}: {sol.message}")
        v = sol.y[:, -1].reshape(m, m)
        out[i] = 0.5 * (v + v.T)
    return out


def steady_state_covariance(
    drift: Any,
    diffusion: Any,
    *,
    method: Literal["lyapunov", "integral", "ode"] = "lyapunov",
    on_unstable: Literal["raise", "mask"] = "raise",
    rtol: float = 1e-10,
) -> np.ndarray | np.ma.MaskedArray:
    r"""Steady-state covariance matrix of :math:`\dot V = AV + VA^T + D` (batched).

    Parameters
    ----------
    drift : array_like, shape (..., m, m)
        Drift matrix :math:`A` (Eq. (14) of paper A, Eq. (8) of paper B).
    diffusion : array_like, shape (..., m, m)
        Diffusion matrix :math:`D`.
    method : {"lyapunov", "integral", "ode"}
        ``"lyapunov"``: solve Eq. (19) of paper A (fast, default).
        ``"integral"``: Eq. (18) of paper A, :math:`\int_0^\infty e^{As}De^{A^Ts}ds`,
        by Gauss-Legendre quadrature on a short interval and interval doubling.
        ``"ode"``: integrate :math:`\dot V` from :math:`V=0` for 40 slowest
        decay times with an implicit Runge-Kutta solver (slow; a cross-check).
    on_unstable : {"raise", "mask"}
        Stability means every eigenvalue of :math:`A` has a negative real part
        (for ``"lyapunov"`` decided by the doubling where it is conclusive and by
        the eigenvalues elsewhere, see the module docstring).
        ``"raise"`` (default): :class:`UnstableSystemError` naming the first
        unstable point and its eigenvalue.  ``"mask"``: return a
        :class:`numpy.ma.MaskedArray` whose unstable points are masked (never a
        silent NaN).
    rtol : float
        Relative tolerance of the ``"integral"`` and ``"ode"`` methods.

    Returns
    -------
    ndarray or MaskedArray, shape (..., m, m)
    """
    if on_unstable not in ("raise", "mask"):
        raise OptolibError(f"on_unstable must be 'raise' or 'mask', got {on_unstable!r}")
    if method not in ("lyapunov", "integral", "ode"):
        raise OptolibError(f"method must be 'lyapunov', 'integral' or 'ode', got {method!r}")
    a, d, shape = _flatten(drift, diffusion)
    m = a.shape[-1]
    if method == "lyapunov":
        # The doubling proves stability of the points it solves; only the others
        # need eigenvalues (same criterion as stability_margin: max Re eig < 0).
        v, status = _lyapunov_flat(a, d)
        stable = status > 0
        undecided = np.flatnonzero(status == 0)
        if undecided.size:
            stable[undecided] = _worst_eigenvalue(a[undecided]).real < 0
        if on_unstable == "raise" and not stable.all():
            worst = np.zeros(stable.shape, dtype=complex)
            first = int(np.flatnonzero(~stable)[0])
            worst[first] = _worst_eigenvalue(a[first])
            _raise_unstable(worst.reshape(shape), (~stable).reshape(shape), "drift matrix")
        redo = stable & (status <= 0)
        if redo.any():
            v[redo] = _scipy_points(a[redo], d[redo])
        v[~stable] = 0.0
    else:
        if on_unstable == "raise":
            check_stability(a.reshape(*shape, m, m))
            stable = np.ones(a.shape[0], dtype=bool)
        else:
            stable = stability_margin(a) < 0
        v = np.zeros_like(a)
        if stable.any():
            solver = _time_integral if method == "integral" else _ode
            v[stable] = solver(a[stable], d[stable], rtol)
    stable = stable.reshape(shape)
    v = v.reshape(*shape, m, m)
    if on_unstable == "mask":
        mask = np.broadcast_to(~stable[..., None, None], v.shape)
        return np.ma.MaskedArray(v, mask=mask)
    return v
