r"""Benchmarks of the batched steady-state engine (issue 5), shared by ``benchmarks/run.py`` and the book.

Every timing compares two codes *in the same run, interleaved* (A, B, A, B, ...;
best of the repetitions), because the machine's 2 cores are shared and absolute
timings drift by factors of 2.  Ratios are what these functions report.

Test systems
------------
random
    :math:`A` with standard-normal entries shifted so that its largest real
    eigenvalue is -0.5; :math:`D = BB^T`.
cascade
    Paper A's geometry emulated in units of :math:`\omega_{m,l}`: two cavities
    (:math:`\kappa_0 = 15`, :math:`\kappa_{ex,l} = 27`, :math:`\kappa_{ex,r} = 30`,
    :math:`\omega_m = 88.54`, all :math:`/2\pi` MHz), each coupled to a mechanical
    mode (:math:`\gamma_m/\omega_m = 2.5\times10^{-5}`, :math:`\bar n = 23.0`,
    i.e. 100 mK), the left cavity's output driving the right one (cascaded
    Lindblad channel :math:`L = \sqrt{\kappa_{ex,l}}a_l + \sqrt{\kappa_{ex,r}}a_r`
    plus :math:`H = -\tfrac i2\sqrt{\kappa_{ex,l}\kappa_{ex,r}}(a_r^\dagger a_l - a_l^\dagger a_r)`),
    with the mean fields of paper A's Eq. (13) (:math:`\eta = 1`, :math:`\varphi = 0`)
    setting the linearised couplings :math:`G_j = g_0\alpha_j`.  ``kind="stiff"``
    switches the optomechanical coupling off (the bare, barely damped
    mechanics: :math:`\min|\mathrm{Re}\,\lambda|/|\lambda| \approx 10^{-5}`);
    ``kind="defective"`` makes the two resonators identical, so that the cascade
    drift matrix has repeated eigenvalues with Jordan blocks.  This is an emulation
    with paper A's ratios, not paper A's model (which lives in ``optolib.paper_a``).

Public API:

random_system, stiff_random_system, cascade_model, cascade_system, lyapunov_speed, scaling, en_map,
en_curve, qutip_cascade_times, qutip_solver_case, qutip_solver_table, book_execution_times,
candidate_algorithms, crossover, engine_algorithm, compiled_first_call, environment
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy

from . import steady_state as ss
from .measures import log_negativity
from .model import GaussianModel
from .physics import thermal_occupation

__all__ = [
    "book_execution_times",
    "candidate_algorithms",
    "cascade_model",
    "cascade_system",
    "compiled_first_call",
    "crossover",
    "en_curve",
    "en_map",
    "engine_algorithm",
    "environment",
    "lyapunov_speed",
    "qutip_cascade_times",
    "qutip_solver_case",
    "qutip_solver_table",
    "random_system",
    "scaling",
    "stiff_random_system",
]

# Paper A's rates in units of omega_m,l = 2 pi x 88.54 MHz (main text after Fig. 2).
KAPPA_0 = 15.0 / 88.54
KAPPA_EX_L = 27.0 / 88.54
KAPPA_EX_R = 30.0 / 88.54
GAMMA_M = 2.2e-3 / 88.54
N_THERMAL = float(thermal_occupation(2 * np.pi * 88.54e6, 0.1))  # T = 100 mK (paper A)


def random_system(n_points: int, m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random stable drift matrices (max Re eig = -0.5) and random PSD diffusion, shape (n, m, m)."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n_points, m, m))
    a -= (np.linalg.eigvals(a).real.max(axis=-1) + 0.5)[:, None, None] * np.eye(m)
    b = rng.normal(size=(n_points, m, m))
    return a, b @ np.swapaxes(b, -1, -2)


def cascade_model(
    delta: Any,
    chi: Any = 1.0,
    *,
    drive: float = 0.12,
    sagnac_l: Any = 0.0,
    sagnac_r: Any = 0.0,
    kappa_ex_l: float = KAPPA_EX_L,
    kappa_ex_r: float = KAPPA_EX_R,
    kappa_0: float = KAPPA_0,
    gamma_m: float = GAMMA_M,
    n_thermal: float = N_THERMAL,
    coupling: Any = None,
) -> GaussianModel:
    r"""Cascaded two-resonator model with mean fields (units of :math:`\omega_{m,l}`), batched.

    Modes ``al, bl, ar, br``.  ``drive`` is :math:`g_0\varepsilon_d` (so that
    :math:`G_j = g_0\alpha_j`); detunings :math:`\Delta_j = \Delta + \delta_j` with
    the Sagnac-like shifts ``sagnac_l``, ``sagnac_r``; ``chi`` = :math:`\omega_{m,r}/\omega_{m,l}`.
    Mean fields: paper A Eq. (13) with :math:`\eta = 1`, :math:`\varphi = 0`:
    :math:`\alpha_l = \sqrt{\kappa_{ex,l}}\varepsilon/(i\Delta_l + \kappa_l/2)`,
    :math:`\alpha_r = \sqrt{\kappa_{ex,r}}(\varepsilon - \sqrt{\kappa_{ex,l}}\alpha_l)/(i\Delta_r + \kappa_r/2)`.
    ``coupling`` (if given) replaces both :math:`G_j` by the same real value.
    """
    delta_l = np.asarray(delta, dtype=float) + np.asarray(sagnac_l, dtype=float)
    delta_r = np.asarray(delta, dtype=float) + np.asarray(sagnac_r, dtype=float)
    chi = np.asarray(chi, dtype=float)
    kl, kr = kappa_0 + kappa_ex_l, kappa_0 + kappa_ex_r
    g_l = np.sqrt(kappa_ex_l) * drive / (1j * delta_l + kl / 2)
    g_r = np.sqrt(kappa_ex_r) * (drive - np.sqrt(kappa_ex_l) * g_l) / (1j * delta_r + kr / 2)
    if coupling is not None:
        g_l = g_r = np.asarray(coupling, dtype=float)
    m = GaussianModel(["al", "bl", "ar", "br"])
    al, bl, ar, br = m.ops
    m.hamiltonian = (
        delta_l * al.dag() * al + delta_r * ar.dag() * ar + 1.0 * bl.dag() * bl + chi * br.dag() * br
        - (np.conj(g_l) * al + g_l * al.dag()) * (bl + bl.dag())
        - (np.conj(g_r) * ar + g_r * ar.dag()) * (br + br.dag())
        + (-0.5j * np.sqrt(kappa_ex_l * kappa_ex_r) * ar.dag() * al).plus_hc()
    )
    m.add_channel(np.sqrt(kappa_ex_l) * al + np.sqrt(kappa_ex_r) * ar, rate=1.0)
    m.add_damping("al", kappa_0)
    m.add_damping("ar", kappa_0)
    m.add_damping("bl", gamma_m, n_thermal)
    m.add_damping("br", gamma_m * chi, n_thermal)
    return m


def cascade_system(n_points: int, kind: str = "realistic") -> tuple[np.ndarray, np.ndarray]:
    """Stable 8x8 (A, D) of :func:`cascade_model` along a detuning sweep, shape (n, 8, 8).

    ``kind``: ``"realistic"`` (chi = 0.95, detuning in [-1.5, 2.5], unstable points
    dropped), ``"stiff"`` (no optomechanical coupling) or ``"defective"`` (identical
    resonators, chi = 1, equal couplings G = 0.1: repeated eigenvalues in Jordan blocks).
    """
    delta = np.linspace(-1.5, 2.5, 2 * n_points + 8)
    if kind == "realistic":
        model = cascade_model(delta, 0.95)
    elif kind == "stiff":
        model = cascade_model(delta, 0.95, drive=0.0)
    elif kind == "defective":
        model = cascade_model(delta, 1.0, kappa_ex_r=KAPPA_EX_L, coupling=0.1)
    else:
        raise ValueError(f"kind must be 'realistic', 'stiff' or 'defective', got {kind!r}")
    a, d = model.drift_matrix(), model.diffusion_matrix()
    keep = np.flatnonzero(ss.stability_margin(a) < 0)
    keep = keep[np.linspace(0, keep.size - 1, min(n_points, keep.size)).astype(int)]
    return a[keep], d[keep]


def _interleaved(funcs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Best wall time of each function, run interleaved ``repeats`` times."""
    best = dict.fromkeys(funcs, np.inf)
    for _ in range(repeats):
        for name, f in funcs.items():
            t0 = time.perf_counter()
            f()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def _rel_diff(v: np.ndarray, ref: np.ndarray) -> float:
    """Largest per-point relative difference max|V - V_ref| / max|V_ref|."""
    num = np.abs(v - ref).max(axis=(-1, -2))
    return float((num / np.abs(ref).max(axis=(-1, -2))).max())


def lyapunov_speed(
    a: np.ndarray, d: np.ndarray, *, repeats: int = 3, loop_points: int | None = None
) -> dict[str, Any]:
    """Batched engine vs the per-point scipy loop on the same (A, D), interleaved.

    The engine is timed as users call it, ``steady_state_covariance(A, D,
    on_unstable="mask")`` (validation, stability decision and masking
    included); the baseline is a Python loop over
    :func:`scipy.linalg.solve_continuous_lyapunov` without any stability check.
    ``loop_points`` (default: all) limits the baseline to the first points (its
    per-point cost is constant).  Returns points/s of both, their ratio, the
    largest relative difference on the compared points (also against the
    Kronecker solve as a third method for m <= 8, and scipy against it), the
    relative residual of both, and how many points the engine handed to its
    scipy fallback.
    """
    n = a.shape[0]
    k = n if loop_points is None else min(n, loop_points)
    out: dict[str, Any] = {}

    def engine() -> None:
        out["v"] = ss.steady_state_covariance(a, d, on_unstable="mask")

    def loop() -> None:
        out["ref"] = ss._scipy_points(a[:k], d[:k])

    best = _interleaved({"engine": engine, "loop": loop}, repeats)
    v = np.ma.getdata(out["v"])
    # a third method where it is affordable (m <= 8): the pre-issue-5 Kronecker solve
    kron = _kronecker(a[:k], d[:k]) if a.shape[-1] <= 8 else None
    _, solved, _ = ss._lyapunov_flat(a, d)
    algorithm = engine_algorithm(a)
    steps = ss._doubling(a, d)[1] if algorithm == "doubling" else None
    return dict(
        m=int(a.shape[-1]),
        points=int(n),
        engine_points_per_s=n / best["engine"],
        loop_points_per_s=k / best["loop"],
        ratio=(n / best["engine"]) / (k / best["loop"]),
        max_rel_diff=_rel_diff(v[:k], out["ref"]),
        max_rel_diff_kronecker=None if kron is None else _rel_diff(v[:k], kron),
        scipy_vs_kronecker=None if kron is None else _rel_diff(out["ref"], kron),
        engine_residual=float(ss._relative_residual(a, d, v).max()),
        scipy_residual=float(ss._relative_residual(a[:k], d[:k], out["ref"]).max()),
        fallback_points=int((~solved).sum()),
        algorithm=algorithm,
        mean_doubling_steps=None if steps is None else float(steps[steps > 0].mean()),
        masked_points=int(np.ma.getmaskarray(out["v"]).any(axis=(-1, -2)).sum()),
    )


def scaling(sizes: Sequence[int], *, repeats: int = 3) -> list[dict[str, Any]]:
    """Engine time vs number of points (8x8 realistic cascade), to show linear scaling."""
    a_all, d_all = cascade_system(max(sizes), "realistic")
    rows = []
    for n in sizes:
        reps = np.arange(n) % a_all.shape[0]
        a, d = a_all[reps], d_all[reps]
        best = _interleaved({"engine": lambda a=a, d=d: ss.steady_state_covariance(a, d, on_unstable="mask")},
                            repeats)
        rows.append(dict(points=int(n), seconds=best["engine"], us_per_point=best["engine"] / n * 1e6))
    return rows


def _en_pipeline(delta: np.ndarray, drive: np.ndarray, cut: tuple[int, int]) -> np.ma.MaskedArray:
    """Mean fields -> batched model -> A, D -> masked steady state -> E_N: one chapter cell's work."""
    model = cascade_model(delta, 0.95, drive=drive, sagnac_l=0.1)
    v = ss.steady_state_covariance(model.drift_matrix(), model.diffusion_matrix(), on_unstable="mask")
    return log_negativity(v, *cut)


def en_map(n: int = 201, *, repeats: int = 1, cut: tuple[int, int] = (0, 1)) -> dict[str, Any]:
    r"""Time an n x n map of :math:`E_N` over (detuning, drive) of :func:`cascade_model`.

    Everything a chapter cell does is timed: mean fields, building the batched
    8x8 model, deriving :math:`A` and :math:`D`, the masked steady state and the
    log-negativity of ``cut`` (default :math:`a_l|b_l`; the cost does not depend on
    the cut).  Detuning in [-1.5, 1.5], drive :math:`g_0\varepsilon_d` in [0, 0.3]
    (units of :math:`\omega_{m,l}`); the blue-detuned strong-drive corner is
    unstable and comes back masked.  Returns the axes, the map and the best time.
    """
    delta, drive = np.meshgrid(np.linspace(-1.5, 1.5, n), np.linspace(0.0, 0.3, n), indexing="xy")
    res: dict[str, Any] = {}

    def run() -> None:
        res["en"] = _en_pipeline(delta, drive, cut)

    best = _interleaved({"map": run}, repeats)
    return dict(shape=(n, n), seconds=best["map"], delta=delta, drive=drive, en=res["en"])


def en_curve(n: int = 2001, *, repeats: int = 3, cut: tuple[int, int] = (0, 1)) -> dict[str, Any]:
    """Time a 1-D curve of E_N vs detuning (n points, drive 0.15), all steps of :func:`en_map` included."""
    delta = np.linspace(-1.5, 1.5, n)
    res: dict[str, Any] = {}

    def run() -> None:
        res["en"] = _en_pipeline(delta, np.full(n, 0.15), cut)

    best = _interleaved({"curve": run}, repeats)
    return dict(points=n, seconds=best["curve"], delta=delta, en=res["en"])


def engine_algorithm(a: np.ndarray) -> str:
    """``"compiled"``, ``"direct"`` or ``"doubling"``: what the engine picks for this batch of drift matrices.

    ``"compiled"`` (the numba kernel, :func:`optolib.steady_state._nb_direct_points`) only when
    numba is importable and ``OPTOLIB_NUMBA`` is not ``0``.
    """
    _, blocks, _ = ss._block_structure(a.reshape(-1, a.shape[-1], a.shape[-1]))
    largest = max(b.stop - b.start for b in blocks)
    if ss._compiled_kernel() is not None and largest <= ss._COMPILED_MAX_BLOCK:
        return "compiled"
    return "direct" if largest <= ss._DIRECT_MAX_BLOCK else "doubling"


def _direct_blocks(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    return ss._direct(a, d, *ss._block_structure(a))[0]


def _direct_dense(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    m = a.shape[-1]
    return ss._direct(a, d, np.arange(m), [slice(0, m)], np.ones((1, 1), dtype=bool))[0]


def _compiled_blocks(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    perm, blocks, _ = ss._block_structure(a)
    return ss._direct_compiled(ss._compiled_kernel(), a, d, perm, blocks)[0]


def _compiled_dense(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    m = a.shape[-1]
    return ss._direct_compiled(ss._compiled_kernel(), a, d, np.arange(m), [slice(0, m)])[0]


def compiled_first_call(*, cache: bool = True) -> dict[str, Any]:
    """Per-process start-up cost of the compiled kernel, measured in a fresh Python process.

    ``setup_seconds``: the engine's first use of the kernel (import numba, compile the kernel or
    load it from numba's on-disk cache, one warm-up solve); ``first_call_seconds``: the first
    solve after it.  ``cache=False`` points ``NUMBA_CACHE_DIR`` at an empty temporary directory,
    so the kernel is compiled from scratch.  Returns ``None`` values when numba is not importable.
    """
    import json
    import subprocess
    import sys
    import tempfile

    script = (
        "import json, time\n"
        "import numpy as np\n"
        "from optolib import steady_state as ss\n"
        "t0 = time.perf_counter()\n"
        "k = ss._compiled_kernel()\n"
        "t1 = time.perf_counter()\n"
        "a = np.array([[[-1.0, 0.5], [-0.5, -1.0]]]); d = np.eye(2)[None]\n"
        "ss.steady_state_covariance(a, d)\n"
        "t2 = time.perf_counter()\n"
        "print(json.dumps(dict(active=k is not None, setup_seconds=t1 - t0, first_call_seconds=t2 - t1)))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ) if cache else dict(os.environ, NUMBA_CACHE_DIR=tmp)
        if cache:  # make sure the cache exists: a first process fills it
            subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
        res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    row = json.loads(res.stdout.strip().splitlines()[-1])
    if not row["active"]:
        row["setup_seconds"] = row["first_call_seconds"] = None
    return dict(cache=cache, **row)


def candidate_algorithms(n_points: int = 512, *, repeats: int = 3) -> list[dict[str, Any]]:
    r"""The algorithms considered for the engine, timed and checked against scipy on three 8x8 sets.

    ``kronecker``: the pre-issue-5 engine (the m(m+1)/2 symmetric unknowns, one
    batched LU per point, operator built by einsum).  ``eigen``: batched
    :func:`numpy.linalg.eig`, :math:`\tilde V_{ij} = -\tilde D_{ij}/(\lambda_i + \lambda_j)`
    in the eigenbasis (fails where the eigenvector matrix is ill-conditioned).
    ``direct dense``: the engine's direct solve on one block (36 symmetric unknowns,
    operator gathered from A, one LU with a second right-hand side for the stability
    certificate, residual check).  ``direct blocks``: the same on the block-triangular
    structure of the batch (cascade: 10 + 16 + 10 unknowns; bare modes: 2x2 blocks).
    ``doubling``: Cayley + squared Smith iteration.  ``compiled`` (only when numba is
    importable): the direct block solve compiled point by point
    (:func:`optolib.steady_state._nb_direct_points`).  Solver cores, serial and threaded
    as the engine runs them, without input validation or masking.  Each row: set,
    algorithm, us/point, ratio to the scipy loop, max relative difference.
    """
    rows = []
    for kind in ("realistic", "stiff", "defective"):
        a, d = cascade_system(n_points, kind)
        out: dict[str, np.ndarray] = {}
        solvers = {"scipy loop": ss._scipy_points, "kronecker": _kronecker, "eigen": _eigen,
                   "direct dense": _direct_dense, "direct blocks": _direct_blocks,
                   "doubling": lambda a, d: ss._doubling(a, d)[0]}
        if ss._compiled_kernel() is not None:
            solvers["compiled"] = _compiled_blocks
        funcs = {name: _storing(out, name, f, a, d) for name, f in solvers.items()}
        best = _interleaved(funcs, repeats)
        for name, t in best.items():
            rows.append(dict(set=kind, algorithm=name, us_per_point=t / a.shape[0] * 1e6,
                             ratio=best["scipy loop"] / t,
                             max_rel_diff=_rel_diff(out[name], out["scipy loop"]),
                             engine=name == engine_algorithm(a).replace("direct", "direct blocks")))
    return rows


def stiff_random_system(n_points: int, m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Dense stiff (A, D), shape (n, m, m): m/2 bare oscillators rotated by a random orthogonal matrix.

    Frequencies uniform in [0.5, 2], damping :math:`\gamma/\omega = 2.5\times10^{-5}` (paper
    A's mechanics); the rotation hides the block structure, so both the direct solve and the
    doubling see a dense matrix with the spectrum of bare mechanics (21 doubling steps).
    """
    rng = np.random.default_rng(seed)
    k = m // 2
    w = rng.uniform(0.5, 2.0, size=(n_points, k))
    a = np.zeros((n_points, m, m))
    i = np.arange(k)
    a[:, 2 * i, 2 * i + 1] = w
    a[:, 2 * i + 1, 2 * i] = -w
    a[:, 2 * i + 1, 2 * i + 1] = -2.5e-5 * w
    a[:, 2 * i, 2 * i] = -2.5e-5 * w
    q, _ = np.linalg.qr(rng.normal(size=(m, m)))
    a = q @ a @ q.T
    b = rng.normal(size=(n_points, m, m))
    return a, q @ (b @ np.swapaxes(b, -1, -2)) @ q.T


def crossover(ms: Sequence[int] = (4, 6, 8, 12), n_points: int = 1024, *,
              repeats: int = 3) -> list[dict[str, Any]]:
    """Direct dense solve vs doubling vs the scipy loop per matrix size m, well-damped and stiff sets.

    The measurement behind ``steady_state._DIRECT_MAX_BLOCK`` and ``_COMPILED_MAX_BLOCK``:
    us/point of each (``compiled_us``: the compiled kernel on one dense block, None without
    numba) and the largest relative difference from scipy (loop over the first 256 points).
    """
    rows = []
    for m in ms:
        for kind, make in (("random", random_system), ("stiff", stiff_random_system)):
            a, d = make(n_points if m <= 8 else n_points // 4, m, seed=m)
            k = min(256, a.shape[0])
            out: dict[str, np.ndarray] = {}
            funcs = {"scipy loop": _storing(out, "scipy loop", ss._scipy_points, a[:k], d[:k]),
                     "direct dense": _storing(out, "direct dense", _direct_dense, a, d),
                     "doubling": _storing(out, "doubling", lambda a, d: ss._doubling(a, d)[0], a, d)}
            compiled = ss._compiled_kernel() is not None
            if compiled:
                funcs["compiled"] = _storing(out, "compiled", _compiled_dense, a, d)
            best = _interleaved(funcs, repeats)
            us = {name: t / (k if name == "scipy loop" else a.shape[0]) * 1e6 for name, t in best.items()}
            rows.append(dict(m=m, set=kind, points=int(a.shape[0]), scipy_us=us["scipy loop"],
                             direct_us=us["direct dense"], doubling_us=us["doubling"],
                             compiled_us=us.get("compiled"),
                             direct_rel_diff=_rel_diff(out["direct dense"][:k], out["scipy loop"]),
                             doubling_rel_diff=_rel_diff(out["doubling"][:k], out["scipy loop"]),
                             compiled_rel_diff=_rel_diff(out["compiled"][:k], out["scipy loop"]) if compiled else None))
    return rows


def _storing(out: dict, name: str, f: Callable, a: np.ndarray, d: np.ndarray) -> Callable[[], None]:
    def run() -> None:
        out[name] = f(a, d)

    return run


def _kronecker(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The pre-issue-5 engine: linear system over the symmetric unknowns, batched LU."""
    b, m, _ = a.shape
    iu, ju = np.triu_indices(m)
    eye = np.eye(m)
    k = np.einsum("nip,jq->nijpq", a, eye) + np.einsum("ip,njq->nijpq", eye, a)
    k = k[:, iu, ju]
    cols = k[:, :, iu, ju] + np.where(iu != ju, k[:, :, ju, iu], 0.0)
    x = np.linalg.solve(cols, -d[:, iu, ju][..., None])[..., 0]
    v = np.zeros((b, m, m))
    v[:, iu, ju] = x
    v[:, ju, iu] = x
    return v


def _eigen(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Eigen-decomposition solve A = S L S^-1 (no conditioning safeguard)."""
    lam, s = np.linalg.eig(a)
    si = np.linalg.inv(s)
    dt = si @ d @ np.swapaxes(si, -1, -2)
    vt = -dt / (lam[:, :, None] + lam[:, None, :])
    return (s @ vt @ np.swapaxes(s, -1, -2)).real


def qutip_cascade_times(
    truncations: Sequence[Sequence[int]] = ((2, 2, 2, 2), (2, 2, 3, 3), (3, 3, 3, 3)),
    methods: Sequence[str] = ("iterative", "direct", "power"),
    *,
    max_size_all_methods: int = 1296,
) -> list[dict[str, Any]]:
    """QuTiP steady-state time vs truncation for a weakly driven 4-mode cascade.

    The model is :func:`cascade_model` at a low-occupation point (drive 0.05,
    detuning 1, n_thermal 0.05, gamma_m 0.01) so that small truncations converge;
    each row gives the Liouvillian size, the seconds of
    :func:`optolib.fock.steady_state` and the largest deviation of the Fock-space
    covariance from the Gaussian one.  Above a Liouvillian size of
    ``max_size_all_methods`` only the first method runs (measured here: at
    (3,3,3,3), size 6561, iterative 14 s, sparse LU 105 s, power 161 s).
    """
    from . import fock

    model = cascade_model(1.0, 1.0, drive=0.05, gamma_m=0.01, n_thermal=0.05)
    v = ss.steady_state_covariance(model.drift_matrix(), model.diffusion_matrix())
    rows = []
    for trunc in truncations:
        size = int(np.prod(trunc)) ** 2
        for method in methods if size <= max_size_all_methods else methods[:1]:
            t0 = time.perf_counter()
            rho = fock.steady_state(model, tuple(trunc), method=method)
            dt = time.perf_counter() - t0
            rows.append(dict(truncation=list(trunc), method=method, seconds=dt,
                             liouvillian_size=size,
                             max_abs_dV=float(np.abs(fock.covariance_from_state(rho) - v).max())))
    return rows


#: QuTiP steady-state solvers compared by :func:`qutip_solver_case` (keyword arguments of
#: :func:`qutip.steadystate`); ``lgmres+ilu`` is ``optolib.fock.steady_state(method="iterative")``.
QUTIP_SOLVERS: dict[str, dict[str, Any]] = {
    "spsolve": dict(method="direct", solver="spsolve", use_rcm=True),
    "lgmres+ilu": dict(method="direct", solver="lgmres", use_precond=True, use_rcm=True, drop_tol=1e-3,
                       fill_factor=20, rtol=1e-12, atol=1e-15, maxiter=2000),
    "lgmres": dict(method="direct", solver="lgmres", use_precond=False, use_rcm=True, rtol=1e-12, atol=1e-15,
                   maxiter=2000),
    "power": dict(method="power", solver="spsolve", use_rcm=True),
}


def qutip_solver_case(truncation: Sequence[int], solver: str) -> dict[str, Any]:
    """One QuTiP steady-state solve of paper A's cascade in Fock space, timed, with its covariance.

    The model is Gardiner's cascaded master equation of
    :func:`optolib.paper_a.fock_check.cascade_liouvillian` at the reduced point of the
    paper-A physicality chapter (``reduced_parameters(coupling=0.1)``, left input),
    where truncations of 2-4 levels per mode converge.  Returns the Liouvillian size,
    the seconds of :func:`qutip.steadystate` with ``QUTIP_SOLVERS[solver]``, whether it
    converged (LGMRES without a preconditioner may not), the largest deviation of the
    Fock-space covariance from the Gaussian one and the covariance itself (``V``).
    """
    import warnings

    import qutip

    from . import fock
    from .paper_a import analysis as an
    from .paper_a.fock_check import cascade_liouvillian, reduced_parameters

    p4, d4 = reduced_parameters(coupling=0.1)
    v_g = np.ma.getdata(an.steady_state(p4, d4, "left", "physical"))
    liou = cascade_liouvillian(p4, d4, "left", tuple(truncation))
    row: dict[str, Any] = dict(truncation=[int(t) for t in truncation], solver=solver,
                               liouvillian_size=int(liou.shape[0]))
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rho = qutip.steadystate(liou, **QUTIP_SOLVERS[solver])
        row["seconds"] = time.perf_counter() - t0
        v_f = fock.covariance_from_state(rho)
        row.update(converged=True, max_abs_dV_gaussian=float(np.abs(v_f - v_g).max()), V=v_f.tolist())
    except Exception as exc:  # no convergence (or a singular factor): record it with the time spent
        row.update(seconds=time.perf_counter() - t0, converged=False, error=f"{type(exc).__name__}: {exc}"[:200])
    return row


_SOLVER_SCRIPT = (
    "import json, sys\n"
    "from optolib.benchmarks import qutip_solver_case\n"
    "print(json.dumps(qutip_solver_case([int(x) for x in sys.argv[1].split(',')], sys.argv[2])))\n"
)


def qutip_solver_table(
    truncations: Sequence[Sequence[int]],
    solvers: Sequence[str] = tuple(QUTIP_SOLVERS),
    *,
    timeout: float = 120.0,
    verbose: bool = False,
) -> list[dict[str, Any]]:
    """:func:`qutip_solver_case` for each truncation and solver, each in its own process with a time limit.

    A solver name ``"spsolve@1"`` runs ``"spsolve"`` with ``OPENBLAS_NUM_THREADS=1``.  Rows
    of cases that time out or fail have ``converged=False`` and an ``error``; converged rows
    get ``max_abs_dV_reference``, the distance of their covariance from that of the first
    solver that converged at the same truncation (``reference_solver``).
    """
    import json
    import subprocess
    import sys

    rows: list[dict[str, Any]] = []
    for trunc in truncations:
        arg = ",".join(str(int(t)) for t in trunc)
        block = []
        for solver in solvers:
            base, _, blas = solver.partition("@")
            env = dict(os.environ, **({"OPENBLAS_NUM_THREADS": blas} if blas else {}))
            t0 = time.perf_counter()
            try:
                res = subprocess.run([sys.executable, "-c", _SOLVER_SCRIPT, arg, base], capture_output=True,
                                     text=True, timeout=timeout, check=True, env=env)
                row = json.loads(res.stdout.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                row = dict(truncation=[int(t) for t in trunc], seconds=None, converged=False,
                           error=f"timed out after {timeout:g} s")
            except subprocess.CalledProcessError as exc:
                row = dict(truncation=[int(t) for t in trunc], seconds=None, converged=False,
                           error=(exc.stderr.strip().splitlines() or ["failed"])[-1][:200])
            row["solver"] = solver
            row["wall_seconds"] = time.perf_counter() - t0
            block.append(row)
            if verbose:
                print(json.dumps({k: v for k, v in row.items() if k != "V"}), flush=True)
        vs = [None if r.get("V") is None else np.array(r.pop("V")) for r in block]
        k = next((i for i, v in enumerate(vs) if v is not None), None)
        for r, v in zip(block, vs, strict=True):
            r["reference_solver"] = None if k is None else block[k]["solver"]
            r["max_abs_dV_reference"] = None if v is None or k is None else float(np.abs(v - vs[k]).max())
        rows += block
    return rows


def book_execution_times(root: str | Path, *, timeout: int = 600) -> list[dict[str, Any]]:
    """Execute every chapter of ``_toc.yml`` (jupytext -> nbclient, in its folder); seconds each.

    This measures the book's *execution* time without writing into ``_build``
    (the Sphinx rendering on top of it is not included).  A chapter that fails or
    times out gets an ``error`` entry (and the seconds until then) instead of
    stopping the measurement.
    """
    import jupytext
    import nbclient
    import yaml

    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]] + [ch["file"] for part in toc.get("parts", []) for ch in part.get("chapters", [])]
    rows = []
    for f in files:
        path = root / f"{f}.md"
        if not path.exists() or "kernelspec" not in path.read_text()[:2000]:
            continue
        nb = jupytext.read(path)
        t0 = time.perf_counter()
        row: dict[str, Any] = dict(chapter=f)
        try:
            nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}}).execute()
        except Exception as exc:  # a failing or timed-out chapter is recorded, not fatal
            last = (str(exc).strip().splitlines() or [""])[-1]
            row["error"] = f"{type(exc).__name__}: {last}"[:200]
        row["seconds"] = time.perf_counter() - t0
        rows.append(row)
    return rows


def environment() -> dict[str, Any]:
    """Python, numpy, scipy (and numba) versions, cores, the engine's thread setting and whether
    its compiled kernel is active."""
    try:
        import numba

        numba_version = numba.__version__
    except ImportError:
        numba_version = None
    return dict(python=platform.python_version(), numpy=np.__version__, scipy=scipy.__version__,
                numba=numba_version, compiled_kernel=ss._compiled_kernel() is not None,
                cores=os.cpu_count(), engine_threads=ss._THREADS, machine=platform.machine(),
                date=time.strftime("%Y-%m-%d %H:%M"))
