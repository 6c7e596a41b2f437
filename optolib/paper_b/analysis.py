r"""Batched sweeps of paper B: steady states, bipartite and tripartite entanglement, maps, temperatures.

Every function takes a :class:`~optolib.paper_b.parameters.Parameters` whose fields may be
arrays (the whole grid is solved in one batched call) and a driving case.  Unstable points
(Routh-Hurwitz fails) are masked, never NaN.

Public API:

MODE_INDEX, PAIRS, SteadyState, steady_state, pair_log_negativities, tripartite_modes,
residual_contangle, peak, vanishing_temperature, fock_steady_state,
FockComparison, fock_comparison, fock_residual_contangle
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import qutip
import scipy.sparse
import scipy.sparse.linalg

from .. import _validation as val
from .. import fock
from ..errors import OptolibError
from ..measures import log_negativity
from ..measures import residual_contangle as _residual_contangle
from ..model import GaussianModel
from ..steady_state import stability_margin, steady_state_covariance
from .mean_field import MeanField, solve_mean_field
from .model import MODES, hybrid_model
from .parameters import Parameters, check_case, driven_mode

__all__ = [
    "MODE_INDEX",
    "PAIRS",
    "FockComparison",
    "SteadyState",
    "fock_comparison",
    "fock_residual_contangle",
    "fock_steady_state",
    "pair_log_negativities",
    "peak",
    "residual_contangle",
    "steady_state",
    "tripartite_modes",
    "vanishing_temperature",
]

#: Index of each mode in the covariance matrix (order of Eq. (13)).
MODE_INDEX: dict[str, int] = {name: k for k, name in enumerate(MODES)}

#: The six two-mode subsystems, named as in paper B (E_{i-j}).
PAIRS: tuple[tuple[str, str], ...] = (
    ("atoms", "mechanics"), ("ccw", "mechanics"), ("cw", "mechanics"),
    ("ccw", "atoms"), ("cw", "atoms"), ("ccw", "cw"),
)


@dataclass(frozen=True)
class SteadyState:
    """Steady state of one driving case over a parameter batch."""

    case: str
    params: Parameters
    mean_field: MeanField
    model: GaussianModel
    covariance: np.ma.MaskedArray

    @property
    def stable(self) -> np.ndarray:
        """True where the linearised dynamics is stable (Routh-Hurwitz)."""
        return ~np.ma.getmaskarray(self.covariance).any(axis=(-1, -2))


def steady_state(
    params: Parameters,
    case: str,
    *,
    radiation_pressure: bool = True,
    mechanical_noise: Literal["brownian", "lindblad", "diosi"] = "brownian",
    temperature: Any = None,
    mean_field: MeanField | None = None,
) -> SteadyState:
    r"""Mean fields, declared model and steady-state covariance (Eq. (12)) of one case, batched.

    ``temperature`` overrides the mechanical bath temperature only (mean fields unchanged),
    so a temperature axis can be broadcast against a mean-field batch.
    """
    check_case(case)
    mf = mean_field if mean_field is not None else solve_mean_field(
        params, case, radiation_pressure=radiation_pressure)
    model = hybrid_model(params, case, mean_field=mf, mechanical_noise=mechanical_noise,
                         temperature=temperature)
    v = steady_state_covariance(model.drift_matrix(), model.diffusion_matrix(), on_unstable="mask")
    return SteadyState(case, params, mf, model, v)


def _check_four_modes(covariance: Any) -> None:
    shape = np.shape(covariance)
    if len(shape) < 2 or shape[-2:] != (8, 8):
        raise OptolibError(f"covariance must have shape (..., 8, 8) (modes {MODES}), got shape {shape}")


def pair_log_negativities(covariance: Any) -> dict[tuple[str, str], np.ndarray]:
    r"""Log-negativity :math:`E_{i-j}` (Eq. (14), natural log) of every pair in :data:`PAIRS`."""
    _check_four_modes(covariance)
    return {(i, j): log_negativity(covariance, MODE_INDEX[i], MODE_INDEX[j]) for i, j in PAIRS}


def tripartite_modes(case: str) -> tuple[int, int, int]:
    """Indices of (driven cavity, atoms, mechanics): the three modes of Fig. 4 of paper B."""
    return (MODE_INDEX[driven_mode(case)], MODE_INDEX["atoms"], MODE_INDEX["mechanics"])


def residual_contangle(covariance: Any, case: str) -> np.ndarray:
    r"""Minimum residual contangle :math:`R_\mathcal{T}` (Eqs. (16)-(19)) of driven cavity, atoms, mechanics."""
    _check_four_modes(covariance)
    return _residual_contangle(covariance, tripartite_modes(case))


def peak(x: Any, y: Any) -> tuple[float, float]:
    """Location and height of the maximum of a sampled curve (masked points ignored).

    Refined by the parabola through the largest sample and its two neighbours (when they
    exist and are unmasked), so the result does not depend on the grid to first order.
    """
    x = val.real_array("x", x)
    y = np.ma.asarray(y)
    if x.ndim != 1 or y.shape != x.shape:
        raise OptolibError(f"x and y must be 1-D of the same length, got shapes {x.shape} and {y.shape}")
    if np.any(np.isnan(np.ma.filled(y.astype(float), 0.0))):
        raise OptolibError("y must not contain NaN (mask invalid points instead)")
    if y.count() == 0:
        raise OptolibError("y has no unmasked point: no peak")
    i = int(np.ma.argmax(y))
    if 0 < i < len(x) - 1 and not np.ma.getmaskarray(y)[i - 1 : i + 2].any():
        y0, y1, y2 = (float(v) for v in y[i - 1 : i + 2])
        denom = y0 - 2 * y1 + y2
        if denom < 0:
            t = 0.5 * (y0 - y2) / denom  # in units of the (uniform) spacing
            h = x[i + 1] - x[i]
            return float(x[i] + t * h), float(y1 - 0.25 * (y0 - y2) * t)
    return float(x[i]), float(y[i])


def vanishing_temperature(
    params: Parameters,
    case: str,
    quantity: Literal["atom_mechanics", "tripartite"],
    *,
    t_low: float = 1e-3,
    t_high: float = 50.0,
    rtol: float = 1e-4,
    mechanical_noise: Literal["brownian", "lindblad", "diosi"] = "brownian",
) -> np.ndarray:
    r"""Temperature (K) at which :math:`E_{a-m}` or :math:`R_\mathcal{T}` reaches zero (batched bisection).

    The entanglement measure is positive at ``t_low`` and must vanish at ``t_high``; the root is
    bracketed in :math:`\log T` and bisected to relative precision ``rtol``.  NaN where the
    quantity is already zero at ``t_low`` or still positive at ``t_high``.
    """
    if quantity not in ("atom_mechanics", "tripartite"):
        raise OptolibError(f"quantity must be 'atom_mechanics' or 'tripartite', got {quantity!r}")
    t_low = float(val.positive("t_low", t_low))
    t_high = float(val.positive("t_high", t_high))
    if t_high <= t_low:
        raise OptolibError(f"t_high must be > t_low = {t_low!r}, got {t_high!r}")
    rtol = float(val.positive("rtol", rtol))
    mf = solve_mean_field(params, case)

    def measure(t: np.ndarray) -> np.ndarray:
        st = steady_state(params, case, mean_field=mf, temperature=t, mechanical_noise=mechanical_noise)
        if quantity == "atom_mechanics":
            val = log_negativity(st.covariance, MODE_INDEX["atoms"], MODE_INDEX["mechanics"])
        elif quantity == "tripartite":
            val = residual_contangle(st.covariance, case)
        else:
            raise OptolibError(f"quantity must be 'atom_mechanics' or 'tripartite', got {quantity!r}")
        return np.ma.filled(val, 0.0)

    shape = np.shape(mf.q_s)
    lo = np.full(shape, np.log(t_low))
    hi = np.full(shape, np.log(t_high))
    valid = (measure(np.exp(lo)) > 0) & (measure(np.exp(hi)) <= 0)
    while np.max(hi - lo) > rtol:
        mid = 0.5 * (lo + hi)
        pos = measure(np.exp(mid)) > 0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
    t = np.exp(0.5 * (lo + hi))
    out = np.where(valid, t, np.nan)
    return float(out) if out.ndim == 0 else out


def fock_steady_state(
    model: GaussianModel, truncation: tuple[int, ...], *, time_unit: float, decay_times: float = 25.0
) -> qutip.Qobj:
    r"""Fock-space steady state of a declared Lindblad model by exact time evolution from the vacuum.

    The Liouvillian is QuTiP's, built from :func:`optolib.fock.to_qutip` (the same declaration as
    the Gaussian engine), with :math:`H` and the jump operators rescaled to the time unit
    ``time_unit`` (e.g. :math:`\omega_m`; the steady state does not depend on it).  The vacuum
    is propagated with :func:`scipy.sparse.linalg.expm_multiply` for ``decay_times`` times the
    slowest decay time :math:`1/|\max\mathrm{Re}\,\lambda(A)|`; for a quadratic Lindbladian
    the Liouvillian's gap is that of :math:`A`, so the transient is suppressed by
    :math:`e^{-\mathrm{decay\_times}}`.  This avoids the fill-in that makes sparse LU
    factorisations of four coupled modes take minutes (measured: 26 s for a 5184-dimensional
    Liouvillian, 120 s for 11664, against a few seconds here).
    """
    if model.batch_shape != ():
        raise OptolibError(f"model must have scalar parameters, got batch shape {model.batch_shape}")
    time_unit = float(val.positive("time_unit", time_unit))
    decay_times = float(val.positive("decay_times", decay_times))
    margin = float(stability_margin(model.drift_matrix()))
    if margin >= 0:
        raise OptolibError(f"model is unstable (max Re eig(A) = {margin:.3g}): no steady state")
    fm = fock.to_qutip(model, truncation, brownian="error")
    h = fm.hamiltonian.to("CSR") / time_unit
    cs = [c.to("CSR") / np.sqrt(time_unit) for c in fm.c_ops]
    liou = scipy.sparse.csr_matrix(qutip.liouvillian(h, cs).data_as("csr_matrix"))
    n = h.shape[0]
    rho0 = np.zeros(n * n, dtype=complex)
    rho0[0] = 1.0  # |0...0><0...0|, column-stacked
    t_end = decay_times / (abs(margin) / time_unit)
    vec = scipy.sparse.linalg.expm_multiply(liou, rho0, start=0.0, stop=t_end, num=2, endpoint=True)[-1]
    rho = qutip.Qobj(vec.reshape(n, n, order="F"), dims=h.dims)
    return (rho + rho.dag()) / (2 * rho.tr().real)


@dataclass(frozen=True)
class FockComparison:
    """Gaussian (Lyapunov) and Fock-space (QuTiP) steady states of one declared Lindblad model."""

    truncation: tuple[int, ...]
    covariance_gauss: np.ndarray
    covariance_fock: np.ndarray
    atom_mechanics_gauss: float
    atom_mechanics_fock: float
    top_populations: np.ndarray
    seconds: float
    pairs_gauss: dict
    pairs_fock: dict

    @property
    def max_covariance_deviation(self) -> float:
        return float(np.abs(self.covariance_fock - self.covariance_gauss).max())

    @property
    def atom_mechanics_deviation(self) -> float:
        return abs(self.atom_mechanics_fock - self.atom_mechanics_gauss)

    @property
    def max_pair_deviation(self) -> float:
        """Largest |E_Fock - E_Gauss| over the six pairs of :data:`PAIRS`."""
        return max(abs(self.pairs_fock[k] - self.pairs_gauss[k]) for k in self.pairs_gauss)

    def summary(self) -> str:
        return (f"truncation {self.truncation}: max|V_Fock - V_Gauss| = {self.max_covariance_deviation:.1e}, "
                f"E_a-m Gaussian {self.atom_mechanics_gauss:.5f} / Fock {self.atom_mechanics_fock:.5f}, "
                f"top-level populations <= {self.top_populations.max():.1e} ({self.seconds:.1f} s)")


def fock_comparison(
    params: Parameters, case: str, truncation: tuple[int, ...], *,
    mechanical_noise: Literal["lindblad", "diosi"] = "lindblad",
) -> FockComparison:
    r"""Solve the Lindblad variant of the model at one parameter point with both engines.

    The Gaussian covariance comes from the Lyapunov equation, the Fock-space one from
    :func:`fock_steady_state` (time unit :math:`\omega_m`); :math:`E_{a\text{-}m}` from the
    symplectic spectrum and from :math:`\ln\lVert\rho_{am}^{T_m}\rVert_1` respectively.
    """
    if mechanical_noise not in ("lindblad", "diosi"):
        raise OptolibError("mechanical_noise must be 'lindblad' or 'diosi' (a master equation exists), "
                           f"got {mechanical_noise!r}")
    m = hybrid_model(params, case, mechanical_noise=mechanical_noise)
    v_gauss = steady_state_covariance(m.drift_matrix(), m.diffusion_matrix())
    t0 = time.perf_counter()
    rho = fock_steady_state(m, truncation, time_unit=float(params.omega_m))
    v_fock = fock.covariance_from_state(rho)
    pairs_fock, pairs_gauss = {}, {}
    for i, j in PAIRS:
        a, b = sorted((MODE_INDEX[i], MODE_INDEX[j]))
        pairs_fock[i, j] = float(fock.fock_log_negativity(rho.ptrace([a, b]), 1))
        pairs_gauss[i, j] = float(log_negativity(v_gauss, a, b))
    seconds = time.perf_counter() - t0
    key = ("atoms", "mechanics")
    return FockComparison(tuple(truncation), v_gauss, v_fock, pairs_gauss[key], pairs_fock[key],
                          fock.top_level_populations(rho), seconds, pairs_gauss, pairs_fock)


def fock_residual_contangle(rho: qutip.Qobj, modes: tuple[int, int, int]) -> float:
    r"""Minimum residual contangle (Eqs. (16)-(19)) of a Fock-space state, from density matrices only.

    :math:`C_{i|jk} = E_N(i|jk)^2` with :math:`E_N(i|jk) = \ln\lVert\rho_{ijk}^{T_i}\rVert_1` of the
    three-mode reduced state, :math:`C_{i|j}` from the two-mode reduced states; minimum over the
    focus mode :math:`i`.  Independent of the covariance-matrix route of :func:`residual_contangle`.
    """
    idx = list(val.mode_indices("modes", modes, len(rho.dims[0])))
    if len(idx) != 3:
        raise OptolibError(f"modes must name three distinct modes, got {modes!r}")
    order = sorted(idx)
    rho3 = rho.ptrace(order)
    pos = {k: order.index(k) for k in idx}

    def c(focus: int, others: list[int]) -> float:
        keep = sorted([focus, *others])
        sub = rho3 if len(keep) == 3 else rho3.ptrace([pos[k] for k in keep])
        return fock.fock_log_negativity(sub, keep.index(focus)) ** 2

    res = []
    for i in idx:
        j, k = (m for m in idx if m != i)
        res.append(c(i, [j, k]) - c(i, [j]) - c(i, [k]))
    return float(min(res))
