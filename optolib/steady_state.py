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
:func:`scipy.linalg.solve_continuous_lyapunov`).  The batch is first reordered; then one
of two algorithms runs, chosen per call from the structure of the batch
(``_lyapunov_flat``):

* **Block-triangular structure** (always).  The variables are permuted so that :math:`A`
  is block lower triangular for every point of the batch (the strongly connected
  components of its sparsity pattern: a cascade's first resonator does not feel
  the second; uncoupled modes are 2x2 blocks); the size of the largest diagonal
  block picks the algorithm.
* **Direct block solve** (every diagonal block of at most ``_DIRECT_MAX_BLOCK``
  rows): block by block, :math:`V` follows from small Sylvester equations, each
  one batched LU of its unknowns (the s(s+1)/2 symmetric ones on the diagonal), with a second right-hand side
  :math:`A_{ii}P + PA_{ii}^T = -1` whose Cholesky factorisation certifies stability
  (Lyapunov's theorem) or instability (Ostrowski-Schneider inertia theorem).  Its
  cost does not depend on stiffness.
* **Squared Smith doubling** (otherwise): a Cayley transform turns the equation
  into a Stein equation whose series is summed by doubling, about
  :math:`\log_2(|\lambda|/\min|\mathrm{Re}\,\lambda|)` batched matrix products per
  point; convergence proves stability, divergence with a large trace proves
  instability.  Its rounding error grows like :math:`2^k\epsilon`, so points that needed
  ``_REFINE_STEPS`` = 24 steps or more (margins below ~1e-7 of the spectral scale) are
  re-solved by the direct solve, which stays accurate there.

Why the switch sits where it does (measured, ``benchmarks/run.py``): numpy's
batched LU costs about 1 us per 10x10 system (LAPACK call overhead, not flops)
and about 9 us per 36x36 system (the symmetric unknowns of a dense 8x8
:math:`A`), while a doubling step costs about 0.3 us for 8x8.  The direct solve
therefore wins only for the decoupled 2x2 blocks of bare, barely damped modes
(21 doubling steps at :math:`\gamma_m/\omega_m = 2.5\times10^{-5}`); the doubling
wins for coupled 4x4 blocks (paper A's cascade, 10-20 steps), for dense matrices
of every size, and on unstable points, which it rejects after a few steps.

**Compiled kernel (optional, numba).**  When :mod:`numba` is importable, every batch whose
diagonal blocks have at most ``_COMPILED_MAX_BLOCK`` = 6 rows (paper A's 4+4 cascade, bare
modes, dense matrices up to 6x6) runs the direct block solve compiled point by point instead
(:func:`_nb_direct_points`: the same Sylvester equations, Gaussian elimination with partial
pivoting in fixed loops, the same stability certificate and residual test), about 3 us per
cascade point on one core; larger blocks keep the doubling above (measured: a dense 8x8
costs the compiled solve 6-11 us, the doubling 4 us when well damped).  numba is imported at
the first solve, not with optolib; the kernel is compiled once (~2.4 s) into numba's on-disk
cache (``optolib/__pycache__``), after which each new process pays ~0.2 s to import numba and
~0.1 s to load it.  Set the environment variable ``OPTOLIB_NUMBA=0`` to disable it (read at every
solve); without numba the engine is exactly the numpy one.

All paths run in cache-sized chunks on up to two threads (``OPTOLIB_THREADS=1``
makes them serial; results are identical).  Points neither algorithm decides
(margins within ~1e-12 of the spectral scale, singular operators such as a
lossless oscillator) are decided by their eigenvalues, and any point whose
relative residual :math:`\lVert AV + VA^T + D\rVert/(\lVert A\rVert\lVert V\rVert +
\lVert D\rVert)` exceeds 1e-11 is re-solved by scipy's Bartels-Stewart solver.

Public API:

stability_margin, check_stability, solve_lyapunov, steady_state_covariance
"""

from __future__ import annotations

import functools
import os
import warnings
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
    active = np.ones(n, dtype=bool)
    tol2 = _TOL * _TOL
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(_MAXIT):
            w = t @ v
            v += w @ np.ascontiguousarray(t.transpose(0, 2, 1))
            t = t @ t
            tf = t.reshape(-1, 1, m * m)
            nrm = (tf @ tf.transpose(0, 2, 1))[:, 0, 0]  # ||T_k||_F^2
            done = nrm < tol2
            grew = ~(nrm < 1e20)  # also catches inf / nan
            fin = (done | grew) & active
            if fin.any():
                sel = idx[fin]
                out[sel] = v[fin]
                tr = np.abs(np.trace(t[fin], axis1=1, axis2=2))
                certified = grew[fin] & (tr > 1e3 * m) & (k < 30)
                status[sel] = np.where(done[fin], k + 1, np.where(certified, -2, 0))
                active &= ~fin
                left = int(active.sum())
                if left == 0:
                    break
                if left < 0.75 * active.size:  # finished points keep iterating until then
                    idx, v, t, active = idx[active], v[active], t[active], active[active]
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


#: Largest diagonal block (rows of A) for which the direct block solve is used.  A block
#: pair costs one small LU (numpy/LAPACK, ~1 us per 10x10 system including call overhead,
#: ~9 us for the 36x36 of a dense 8x8 A), independent of stiffness; the doubling costs
#: ~0.3 us per step for 8x8 and log2(stiffness) steps.  Measured (benchmarks/run.py,
#: candidate table): the direct solve wins for decoupled 2x2 blocks (bare, barely damped
#: modes: 21 doubling steps), the doubling for coupled 4x4 blocks (paper A's cascade:
#: 10-20 steps) and for dense 6x6 and 8x8 matrices.
_DIRECT_MAX_BLOCK = 2
#: Doubling points that needed at least this many steps are re-solved by the direct solve:
#: the doubling's rounding error grows like 2^k eps (measured against an iteratively refined
#: reference: 2e-11 of V at 21 steps, paper A's bare mechanics; 3e-9 at 29 steps, a cascade
#: point 3e-8 omega_m from the stability boundary, where the direct solve is within 2e-13).
_REFINE_STEPS = 24
#: Points per chunk of the direct solver (its operators fill ~1-10 kB per point).
_DIRECT_CHUNK = 256
#: Stability certificate of a diagonal block: P = P^T solving A P + P A^T = -1 must have
#: Cholesky pivots above _PIVOT_TOL * max|P| (or one below -_PIVOT_TOL * max|P| to prove
#: instability), residual ||A P + P A^T + 1||_F <= 0.5, and max|A| max|P| <= _COND_MAX
#: (so that rounding in that residual is below ~1e-3); otherwise the eigenvalues decide.
_PIVOT_TOL = 1e-12
_COND_MAX = 1e12


def _block_structure(a: np.ndarray) -> tuple[np.ndarray, list[slice], np.ndarray]:
    """Permutation to block lower-triangular form shared by the whole batch.

    Variable i depends on j when ``a[:, i, j] != 0`` for some point.  The
    diagonal blocks are the strongly connected components of that dependency
    graph, ordered so that a block only depends on earlier ones (by the number
    of variables it depends on, transitively).  Cascaded resonators give two
    4x4 blocks, uncoupled modes 2x2 blocks, a generic matrix one block.  Returns
    ``perm`` (``a[:, perm][:, :, perm]`` is block lower triangular), the block
    slices and ``coupled[i, k]`` (block i depends directly on block k).
    """
    m = a.shape[-1]
    dep = np.any(a != 0, axis=0) | np.eye(m, dtype=bool)
    reach = dep.copy()
    for _ in range(max(1, int(np.ceil(np.log2(m))))):  # transitive closure by squaring
        reach = (reach.astype(np.int64) @ reach.astype(np.int64)) > 0
    same = reach & reach.T
    order = sorted(range(m), key=lambda i: (int(reach[i].sum()), int(np.argmax(same[i]))))
    perm = np.array(order)
    blocks, start = [], 0
    while start < m:
        stop = start + int(same[perm[start]].sum())
        blocks.append(slice(start, stop))
        start = stop
    dep_p = dep[np.ix_(perm, perm)]
    coupled = np.array([[dep_p[bi, bk].any() for bk in blocks] for bi in blocks])
    return perm, blocks, coupled


@functools.lru_cache(maxsize=256)
def _operator_index(m: int, i0: int, p: int, j0: int, q: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gather indices of the operator :math:`X \mapsto A_1 X + X A_2^T` on the unknowns of X.

    :math:`A_1` = ``A[i0:i0+p, i0:i0+p]`` and :math:`A_2` = ``A[j0:j0+q, j0:j0+q]`` of an
    m x m matrix A.  If ``i0 == j0`` X is symmetric: unknowns and equations are its
    upper triangle (``np.triu_indices(p)``); else X is p x q, unknowns row-major.  Every
    entry of the N x N operator is a sum of at most two entries of the vector
    ``[A.ravel(), 0]``.  Returns ``src`` (2, N*N) indices into that vector, ``upper``
    (N,) flat indices of the unknowns in X and ``full`` (p*q,) the unknown holding each
    entry of X (row-major).
    """
    sym = i0 == j0
    if sym:
        iu, ju = np.triu_indices(p)
        rows = list(zip(iu.tolist(), ju.tolist(), strict=True))
        col = {rc: k for k, rc in enumerate(rows)}

        def unknown(i: int, j: int) -> int:
            return col[(min(i, j), max(i, j))]
    else:
        rows = [(i, j) for i in range(p) for j in range(q)]

        def unknown(i: int, j: int) -> int:
            return i * q + j

    n = len(rows)
    src = np.full((2, n * n), m * m, dtype=np.intp)
    count = np.zeros(n * n, dtype=np.intp)

    def add(r: int, c: int, a_index: int) -> None:
        src[count[r * n + c], r * n + c] = a_index
        count[r * n + c] += 1

    for r, (i, j) in enumerate(rows):
        for c in range(p):  # (A_1 X)_ij = sum_c A_1[i, c] X[c, j]
            add(r, unknown(c, j), (i0 + i) * m + i0 + c)
        for c in range(q):  # (X A_2^T)_ij = sum_c X[i, c] A_2[j, c]
            add(r, unknown(i, c), (j0 + j) * m + j0 + c)
    upper = np.array([i * q + j for i, j in rows], dtype=np.intp)
    full = np.array([unknown(i, j) for i in range(p) for j in range(q)], dtype=np.intp)
    return src, upper, full


def _solve_batch(op: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """``np.linalg.solve`` on a batch; singular points (which make numpy raise for the whole
    batch) get NaN instead, the others their solution."""
    try:
        return np.linalg.solve(op, rhs)
    except np.linalg.LinAlgError:
        out = np.full(rhs.shape, np.nan)
        for i in range(op.shape[0]):
            try:
                out[i] = np.linalg.solve(op[i], rhs[i])
            except np.linalg.LinAlgError:
                pass
        return out


def _definiteness(p: np.ndarray) -> np.ndarray:
    """1 if symmetric ``p`` (b, s, s) is positive definite, -1 if it has a negative
    eigenvalue, 0 if the Cholesky pivots cannot tell (relative tolerance ``_PIVOT_TOL``).

    Fast path: numpy's batched Cholesky, accepted when every pivot exceeds the
    tolerance.  Otherwise an LDL^T elimination without pivoting: with the leading
    block positive definite, a negative pivot (a diagonal entry of the Schur
    complement) means a negative eigenvalue (Sylvester's law of inertia).
    """
    b, s, _ = p.shape
    tol = _PIVOT_TOL * np.abs(p).max(axis=(1, 2))
    try:
        chol = np.linalg.cholesky(p)
        if (np.diagonal(chol, axis1=1, axis2=2).min(axis=1) ** 2 > tol).all():
            return np.ones(b, dtype=np.int8)
    except np.linalg.LinAlgError:
        pass
    w = p.copy()
    state = np.ones(b, dtype=np.int8)
    for k in range(s):
        piv = w[:, k, k]
        undecided = state == 1
        state[undecided & (piv < -tol)] = -1
        state[undecided & ~(piv < -tol) & ~(piv > tol)] = 0  # also NaN
        if k + 1 < s:
            safe = np.where(piv > tol, piv, 1.0)
            col = w[:, k + 1 :, k]
            w[:, k + 1 :, k + 1 :] -= col[:, :, None] * (col / safe[:, None])[:, None, :]
    return state


def _direct_chunk(
    a: np.ndarray, d: np.ndarray, blocks: list[slice], coupled: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""Direct block solve of :math:`AV + VA^T = -D` for block lower-triangular A (flat batch).

    Block :math:`V_{ij}` (:math:`j \le i`) solves the Sylvester equation
    :math:`A_{ii}V_{ij} + V_{ij}A_{jj}^T = -D_{ij} - \sum_{k<i}A_{ik}V_{kj} - \sum_{l<j}V_{il}A_{jl}^T`,
    whose right side holds only blocks already computed; the diagonal blocks are
    solved on their s(s+1)/2 symmetric unknowns.  Each is one batched LU.  Every
    diagonal solve carries a second right-hand side, :math:`-1`, giving :math:`P_i`
    with :math:`A_{ii}P_i + P_iA_{ii}^T = -1`: by Lyapunov's theorem :math:`A`
    (block triangular) is stable iff every :math:`P_i > 0`, and by the
    Ostrowski-Schneider inertia theorem a :math:`P_i` with a negative eigenvalue
    proves an eigenvalue with positive real part.  Returns ``(v, stable)`` with
    ``stable`` 1 / -1 / 0 (proven stable / proven unstable / undecided).
    """
    n, m, _ = a.shape
    flat = np.concatenate([a.reshape(n, m * m), np.zeros((n, 1))], axis=1)
    v = np.zeros_like(a)
    stable = np.ones(n, dtype=np.int8)
    for i, bi in enumerate(blocks):
        p = bi.stop - bi.start
        for j, bj in enumerate(blocks[: i + 1]):
            q = bj.stop - bj.start
            r = -d[:, bi, bj]
            for k in range(i):
                if coupled[i, k]:
                    r -= a[:, bi, blocks[k]] @ v[:, blocks[k], bj]
            for k in range(j):
                if coupled[j, k]:
                    r -= v[:, bi, blocks[k]] @ np.swapaxes(a[:, bj, blocks[k]], 1, 2)
            src, upper, full = _operator_index(m, bi.start, p, bj.start, q)
            size = upper.size
            op = (np.take(flat, src[0], axis=1) + np.take(flat, src[1], axis=1)).reshape(n, size, size)
            rhs = np.empty((n, size, 2 if i == j else 1))
            rhs[:, :, 0] = np.take(r.reshape(n, p * q), upper, axis=1)
            if i == j:
                rhs[:, :, 1] = -np.eye(p).ravel()[upper]
            x = _solve_batch(op, rhs)
            vb = np.take(x[:, :, 0], full, axis=1).reshape(n, p, q)
            v[:, bi, bj] = vb
            if i != j:
                v[:, bj, bi] = np.swapaxes(vb, 1, 2)
                continue
            # stability certificate of diagonal block i (see the docstring)
            pb = np.take(x[:, :, 1], full, axis=1).reshape(n, p, p)
            aii = a[:, bi, bi]
            ap = aii @ pb
            ap += np.swapaxes(ap, 1, 2)
            ap += np.eye(p)
            res = np.einsum("nij,nij->n", ap, ap)  # ||A P + P A^T + 1||_F^2
            cond = np.abs(aii).max(axis=(1, 2)) * np.abs(pb).max(axis=(1, 2))
            sign = np.where((res <= 0.25) & (cond <= _COND_MAX), _definiteness(pb), 0)
            stable = np.where((stable == -1) | (sign == -1), -1, np.minimum(stable, sign)).astype(np.int8)
    return v, stable


def _direct(
    a: np.ndarray, d: np.ndarray, perm: np.ndarray, blocks: list[slice], coupled: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_direct_chunk` over chunks of a flat batch (threaded when large), in the block
    order ``perm``; returns ``(v, solved, stable)`` in the original order (see :func:`_lyapunov_flat`)."""
    n, m, _ = a.shape
    identity = bool((perm == np.arange(m)).all())
    if identity:
        ap, dp = np.ascontiguousarray(a), np.ascontiguousarray(d)
    else:
        flat = (perm[:, None] * m + perm[None, :]).ravel()
        ap = np.take(a.reshape(n, m * m), flat, axis=1).reshape(n, m, m)
        dp = np.take(d.reshape(n, m * m), flat, axis=1).reshape(n, m, m)
    v = np.empty_like(ap)
    stable = np.empty(n, dtype=np.int8)
    solved = np.empty(n, dtype=bool)
    size = _DIRECT_CHUNK

    def job(s: int) -> None:
        sl = slice(s, s + size)
        with np.errstate(all="ignore"):
            v[sl], stable[sl] = _direct_chunk(ap[sl], dp[sl], blocks, coupled)
            # NaN (singular operator) and inf fail the comparison
            solved[sl] = _relative_residual(ap[sl], dp[sl], v[sl]) <= _RESIDUAL_TOL

    starts = range(0, n, size)
    if _THREADS > 1 and n >= 4 * size:
        list(_pool().map(job, starts))
    else:
        for s in starts:
            job(s)
    if not identity:
        inv = np.argsort(perm)
        flat = (inv[:, None] * m + inv[None, :]).ravel()
        v = np.take(v.reshape(n, m * m), flat, axis=1).reshape(n, m, m)
    return v, solved, stable


# --- optional compiled kernel (numba) --------------------------------------------------------

#: Largest diagonal block (rows of A) for which the compiled kernel is used when numba is
#: importable.  Its cost grows like (s(s+1)/2)^3 for a dense block of s rows; measured
#: (benchmarks/run.py, crossover table, us/point with two threads, four runs): 0.7-1.7 vs the
#: doubling's 2.0-4.5 at s = 4, 2.1-3.6 vs 3.0 (well damped) / 5.5-6.0 (stiff) at s = 6, 5.7-11 vs
#: 4.1 (well damped) / 7.1-7.5 (stiff) at s = 8.
_COMPILED_MAX_BLOCK = 6
#: Smallest batch for which the compiled kernel's chunks are shared between threads.
_COMPILED_THREAD_MIN = 512


def _nb_direct_points(
    a: np.ndarray, d: np.ndarray, perm: np.ndarray, starts: np.ndarray, res_tol: float, pivot_tol: float,
    cond_max: float, v: np.ndarray, solved: np.ndarray, stable: np.ndarray,
) -> None:
    r"""Direct block solve of :math:`AV + VA^T = -D`, point by point (plain loops for numba).

    The algorithm of :func:`_direct_chunk` (same block order, same equations, same
    stability certificate and residual test) with every small system solved by Gaussian
    elimination with partial pivoting in fixed loops instead of a batched LAPACK call:
    ``perm`` orders the variables block lower triangular, ``starts`` (nb + 1,) are the
    block boundaries in that order.  Writes ``v`` (in the original order; NaN where an
    operator is singular), ``solved`` (relative residual <= ``res_tol``) and ``stable``
    (1 / -1 / 0: proven stable / proven unstable / undecided).
    """
    n, m, _ = a.shape
    nb = starts.size - 1
    nmax = 1
    for i in range(nb):
        s = starts[i + 1] - starts[i]
        nmax = max(nmax, s * (s + 1) // 2)
        for j in range(i):
            nmax = max(nmax, s * (starts[j + 1] - starts[j]))
    op = np.empty((nmax, nmax + 2))
    idx = np.empty((m, m), dtype=np.int64)
    pa = np.empty((m, m))
    pd = np.empty((m, m))
    pv = np.zeros((m, m))
    pp = np.empty((m, m))
    for t in range(n):
        for r in range(m):
            for c in range(m):
                pa[r, c] = a[t, perm[r], perm[c]]
                pd[r, c] = d[t, perm[r], perm[c]]
                pv[r, c] = 0.0
        ok = True
        st = 1
        for i in range(nb):
            i0 = starts[i]
            p = starts[i + 1] - i0
            for j in range(i + 1):
                j0 = starts[j]
                q = starts[j + 1] - j0
                sym = i == j
                nu = 0  # unknowns: upper triangle of X (symmetric) or all of X, row-major
                for r in range(p):
                    for c in range(r if sym else 0, q):
                        idx[r, c] = nu
                        if sym:
                            idx[c, r] = nu
                        nu += 1
                ncol = nu + (2 if sym else 1)
                for r in range(nu):
                    for c in range(ncol):
                        op[r, c] = 0.0
                e = 0
                for r in range(p):
                    for c in range(r if sym else 0, q):
                        for k in range(p):  # (A_ii X)_rc
                            op[e, idx[k, c]] += pa[i0 + r, i0 + k]
                        for k in range(q):  # (X A_jj^T)_rc
                            op[e, idx[r, k]] += pa[j0 + c, j0 + k]
                        rhs = -pd[i0 + r, j0 + c]  # -D_ij - sum_k<i A_ik V_kj - sum_l<j V_il A_jl^T
                        for k in range(i0):
                            rhs -= pa[i0 + r, k] * pv[k, j0 + c]
                        for k in range(j0):
                            rhs -= pv[i0 + r, k] * pa[j0 + c, k]
                        op[e, nu] = rhs
                        if sym:
                            op[e, nu + 1] = -1.0 if r == c else 0.0
                        e += 1
                for k in range(nu):  # Gaussian elimination with partial pivoting
                    piv = k
                    big = abs(op[k, k])
                    for r in range(k + 1, nu):
                        if abs(op[r, k]) > big:
                            big = abs(op[r, k])
                            piv = r
                    if not (big > 0.0 and big < np.inf):
                        ok = False
                        break
                    if piv != k:
                        for c in range(k, ncol):
                            tmp = op[k, c]
                            op[k, c] = op[piv, c]
                            op[piv, c] = tmp
                    inv = 1.0 / op[k, k]
                    for r in range(k + 1, nu):
                        f = op[r, k] * inv
                        if f != 0.0:
                            for c in range(k + 1, ncol):
                                op[r, c] -= f * op[k, c]
                if not ok:
                    break
                for c in range(nu, ncol):  # back substitution, solution in place of the rhs
                    for k in range(nu - 1, -1, -1):
                        x = op[k, c]
                        for l in range(k + 1, nu):  # noqa: E741
                            x -= op[k, l] * op[l, c]
                        op[k, c] = x / op[k, k]
                for r in range(p):
                    for c in range(q):
                        x = op[idx[r, c], nu]
                        pv[i0 + r, j0 + c] = x
                        pv[j0 + c, i0 + r] = x
                if not sym:
                    continue
                # stability certificate of diagonal block i: A_ii P + P A_ii^T = -1 (see _direct_chunk)
                pmax = 0.0
                amax = 0.0
                for r in range(p):
                    for c in range(p):
                        pp[r, c] = op[idx[r, c], nu + 1]
                        pmax = max(pmax, abs(pp[r, c]))
                        amax = max(amax, abs(pa[i0 + r, i0 + c]))
                res = 0.0
                for r in range(p):
                    for c in range(p):
                        x = 1.0 if r == c else 0.0
                        for k in range(p):
                            x += pa[i0 + r, i0 + k] * pp[k, c] + pp[r, k] * pa[i0 + c, i0 + k]
                        res += x * x
                sign = 0
                if res <= 0.25 and amax * pmax <= cond_max:
                    # LDL^T without pivoting: the first pivot that is not clearly positive decides
                    tol = pivot_tol * pmax
                    sign = 1
                    for k in range(p):
                        pk = pp[k, k]
                        if not pk > tol:
                            sign = -1 if pk < -tol else 0
                            break
                        for r in range(k + 1, p):
                            f = pp[r, k] / pk
                            for c in range(k + 1, p):
                                pp[r, c] -= f * pp[k, c]
                st = -1 if (st == -1 or sign == -1) else min(st, sign)
            if not ok:
                break
        good = False
        if ok:  # relative residual max|AV + VA^T + D| / (max|A| max|V| + max|D|), NaN and inf fail
            finite = True
            rmax = 0.0
            amax = 0.0
            vmax = 0.0
            dmax = 0.0
            for r in range(m):
                for c in range(m):
                    x = 0.0
                    for k in range(m):
                        x += pa[r, k] * pv[k, c]
                    pp[r, c] = x  # A V
                    amax = max(amax, abs(pa[r, c]))
                    vmax = max(vmax, abs(pv[r, c]))
                    dmax = max(dmax, abs(pd[r, c]))
            for r in range(m):
                for c in range(r, m):
                    x = abs(pp[r, c] + pp[c, r] + pd[r, c])
                    finite = finite and x < np.inf
                    rmax = max(rmax, x)
            good = finite and rmax / max(amax * vmax + dmax, 2.2250738585072014e-308) <= res_tol
        else:
            if st == 1:
                st = 0
            for r in range(m):
                for c in range(m):
                    pv[r, c] = np.nan
        solved[t] = good
        stable[t] = st
        for r in range(m):
            for c in range(m):
                v[t, perm[r], perm[c]] = pv[r, c]


_KERNEL: Any = None  # the compiled kernel once built; False when numba is not importable


def _compiled_kernel() -> Any:
    """The numba-compiled :func:`_nb_direct_points`, or None (numba missing, or ``OPTOLIB_NUMBA=0``).

    numba is imported (and the kernel compiled, or loaded from numba's on-disk cache in
    ``optolib/__pycache__``) at the first call, not when optolib is imported.
    """
    global _KERNEL
    if os.environ.get("OPTOLIB_NUMBA", "1").strip() == "0":
        return None
    if _KERNEL is None:
        try:
            import numba
        except ImportError:  # optional dependency: the numpy engine runs
            _KERNEL = False
        else:
            kernel = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy")(_nb_direct_points)
            try:  # compile (or load from the cache) now, on a 2x2 point, so that a failure falls back
                _direct_compiled(kernel, -np.eye(2)[None], np.eye(2)[None], np.arange(2), [slice(0, 2)])
            except Exception as exc:  # any numba failure: warn once and keep the numpy engine
                warnings.warn(f"optolib: numba kernel unavailable ({type(exc).__name__}: {exc}); "
                              "using the numpy engine", RuntimeWarning, stacklevel=2)
                _KERNEL = False
            else:
                _KERNEL = kernel
    return _KERNEL or None


def _direct_compiled(
    kernel: Any, a: np.ndarray, d: np.ndarray, perm: np.ndarray, blocks: list[slice]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_nb_direct_points` over chunks of a flat batch (threaded when large); same
    ``(v, solved, stable)`` as :func:`_direct`."""
    n, m, _ = a.shape
    # one compiled signature: C-contiguous, writeable (numba types read-only views, such as
    # the engine's broadcast inputs, separately and would compile a second time)
    a = np.require(a, dtype=float, requirements=("C", "W"))
    d = np.require(d, dtype=float, requirements=("C", "W"))
    perm = np.ascontiguousarray(perm, dtype=np.int64)
    starts = np.array([b.start for b in blocks] + [m], dtype=np.int64)
    v = np.empty_like(a)
    solved = np.empty(n, dtype=np.bool_)
    stable = np.empty(n, dtype=np.int8)
    size = max(128, -(-n // (4 * _THREADS)))

    def job(s: int) -> None:
        sl = slice(s, s + size)
        kernel(a[sl], d[sl], perm, starts, _RESIDUAL_TOL, _PIVOT_TOL, _COND_MAX, v[sl], solved[sl], stable[sl])

    chunks = range(0, n, size)
    if _THREADS > 1 and n >= _COMPILED_THREAD_MIN:
        list(_pool().map(job, chunks))
    else:
        for s in chunks:
            job(s)
    return v, solved, stable


def _lyapunov_flat(a: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The batched engine on a flat batch; returns ``(v, solved, stable)``.

    ``solved`` (bool): ``v`` passed the residual test (relative residual below
    ``_RESIDUAL_TOL``).  ``stable`` (int8): 1 proven stable, -1 proven unstable, 0
    undecided (the caller asks the eigenvalues).  The algorithm is chosen from the
    block-triangular structure of the batch (:func:`_block_structure`): the compiled
    direct solve when numba is available and every diagonal block has at most
    ``_COMPILED_MAX_BLOCK`` rows; else direct block solves when every diagonal block has
    at most ``_DIRECT_MAX_BLOCK`` rows, squared Smith doubling otherwise (module docstring).
    """
    perm, blocks, coupled = _block_structure(a)
    largest = max(b.stop - b.start for b in blocks)
    kernel = _compiled_kernel()
    if kernel is not None and largest <= _COMPILED_MAX_BLOCK:
        return _direct_compiled(kernel, a, d, perm, blocks)
    if largest <= _DIRECT_MAX_BLOCK:
        return _direct(a, d, perm, blocks, coupled)
    v, status = _doubling(a, d)
    solved = status > 0
    stable = np.where(solved, 1, np.where(status == -2, -1, 0)).astype(np.int8)
    # Rounding in the doubling grows like 2^k: points that needed many steps (margins far
    # below the spectral scale) get the direct solve's more accurate V (stability stays
    # proven by the doubling's convergence).
    slow = np.flatnonzero(status >= _REFINE_STEPS)
    if slow.size:
        if kernel is not None:
            v_direct, ok, _ = _direct_compiled(kernel, a[slow], d[slow], perm, blocks)
        else:
            v_direct, ok, _ = _direct(a[slow], d[slow], perm, blocks, coupled)
        v[slow[ok]] = v_direct[ok]
    return v, solved, stable


def solve_lyapunov(drift: Any, diffusion: Any) -> np.ndarray:
    r"""Solve :math:`AV + VA^T + D = 0` for symmetric :math:`V` (batched, no stability check).

    All points are solved together by the batched engine (direct block solve or
    squared Smith doubling, chosen from the block structure of the batch; module
    docstring and Performance appendix); each solution is accepted only if its
    relative residual is below 1e-11.  The remaining points (unstable drift for the
    doubling, margins at round-off level, singular operators, rejected residuals)
    are solved one by one with :func:`scipy.linalg.solve_continuous_lyapunov`
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
    v, solved, _ = _lyapunov_flat(a, d)
    rest = ~solved
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
        (for ``"lyapunov"`` decided by the engine's certificates where they are
        conclusive and by the eigenvalues elsewhere, see the module docstring).
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
        # The engine proves stability (or instability) of most points; only the
        # undecided ones need eigenvalues (same criterion as stability_margin: max Re eig < 0).
        v, solved, proven = _lyapunov_flat(a, d)
        stable = proven > 0
        undecided = np.flatnonzero(proven == 0)
        if undecided.size:
            stable[undecided] = _worst_eigenvalue(a[undecided]).real < 0
        if on_unstable == "raise" and not stable.all():
            worst = np.zeros(stable.shape, dtype=complex)
            first = int(np.flatnonzero(~stable)[0])
            worst[first] = _worst_eigenvalue(a[first])
            _raise_unstable(worst.reshape(shape), (~stable).reshape(shape), "drift matrix")
        redo = stable & ~solved
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
