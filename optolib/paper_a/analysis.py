r"""Batched sweeps of paper A: entanglement vs detuning, revival coefficient, density maps, Wigner marginals.

Every function takes a :class:`~optolib.paper_a.parameters.PaperAParameters` (fields may be
arrays) and evaluates the whole grid in one batched call of the Gaussian engine.  Unstable
points (Routh-Hurwitz, paper A after Eq. (15)) are masked, never silently dropped.

Paper A's noise model (``noise="paper"``) yields covariance matrices that violate the
uncertainty relation (see the book's chapter "Is the steady state physical?").  The
log-negativity is then evaluated with ``check="warn"`` exactly as the paper's Eq. (20)
prescribes, and the uncertainty margin is returned beside it so that no caller can mistake
the number for a property of a quantum state.

Public API
----------
FIG2_CASES, FIG3_CASES, FIG3_CHIS, MECHANICS, Sweep, steady_state, pt_exponent, detuning_sweep,
peak, revival_coefficient, revival_map, mechanical_covariance, wigner_marginals,
stability_map
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validation as val
from ..errors import OptolibError
from ..measures import log_negativity, min_pt_symplectic_eigenvalue, quadrature_marginal, reduce_covariance
from ..physicality import uncertainty_margin
from ..steady_state import stability_margin, steady_state_covariance
from .model import cascaded_model
from .parameters import SPIN_FIG2, SPIN_FIG3, PaperAParameters, check_direction

__all__ = [
    "FIG2_CASES",
    "FIG3_CASES",
    "FIG3_CHIS",
    "MECHANICS",
    "Sweep",
    "detuning_sweep",
    "mechanical_covariance",
    "peak",
    "pt_exponent",
    "revival_coefficient",
    "revival_map",
    "stability_map",
    "steady_state",
    "wigner_marginals",
]

#: Mode indices of the two mechanical oscillators (b_l, b_r) in the cascaded model.
MECHANICS = (2, 3)
#: Fig. 2 panels: (Omega_l, Omega_r) in rad/s.
FIG2_CASES = {"a": (0.0, 0.0), "b": (SPIN_FIG2, 0.0), "c": (SPIN_FIG2, SPIN_FIG2)}
#: Fig. 3 panels (a)-(d): (Omega_l, Omega_r, input directions shown).
FIG3_CASES = {
    "a": (0.0, 0.0, ("left", "right")),
    "b": (SPIN_FIG3, SPIN_FIG3, ("left", "right")),
    "c": (SPIN_FIG3, 0.0, ("left",)),
    "d": (SPIN_FIG3, 0.0, ("right",)),
}
#: Mechanical frequency ratios of Fig. 3(a)-(d).
FIG3_CHIS = (1.0, 0.97, 0.95)


def steady_state(params: PaperAParameters, delta: Any, direction: str = "left",
                 noise: str = "paper") -> np.ma.MaskedArray:
    r"""Steady-state covariance matrix (Eq. (19)), shape ``(..., 8, 8)``, unstable points masked."""
    m = cascaded_model(params, delta, direction, noise)
    return steady_state_covariance(m.drift_matrix(), m.diffusion_matrix(), on_unstable="mask")


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs, check="warn")


def pt_exponent(covariance: Any) -> np.ndarray:
    r""":math:`-\ln 2\tilde\nu_-` of the two oscillators (masked where unstable).

    :math:`E_N = \max(0, -\ln 2\tilde\nu_-)` (Eq. (20)); the unclipped exponent shows how far
    from entanglement a separable state is (negative) or how entangled it is (positive).
    """
    nu = _quiet(min_pt_symplectic_eigenvalue, covariance, MECHANICS[0], MECHANICS[1])
    return -np.ma.log(2 * nu) if isinstance(nu, np.ma.MaskedArray) else -np.log(2 * nu)


@dataclass(frozen=True)
class Sweep:
    r"""One detuning sweep.

    Attributes
    ----------
    x : ndarray
        :math:`\Delta/\omega_{m,l}`.
    log_negativity : MaskedArray
        :math:`E_N(b_l|b_r)` (Eq. (20)), masked where unstable.
    exponent : MaskedArray
        :math:`-\ln 2\tilde\nu_-` (unclipped).
    uncertainty_margin : MaskedArray
        Smallest eigenvalue of :math:`V + \tfrac{i}{2}\Omega` of the full 8x8 state (< 0: unphysical).
    mechanics_margin : MaskedArray
        The same for the reduced 4x4 state of the two oscillators.
    """

    x: np.ndarray
    log_negativity: np.ma.MaskedArray
    exponent: np.ma.MaskedArray
    uncertainty_margin: np.ma.MaskedArray
    mechanics_margin: np.ma.MaskedArray

    @property
    def unstable(self) -> np.ndarray:
        return np.ma.getmaskarray(self.log_negativity)


def _masked_margin(v: np.ma.MaskedArray) -> np.ma.MaskedArray:
    mask = np.ma.getmaskarray(v).any(axis=(-1, -2))
    data = np.where(mask[..., None, None], 0.5 * np.eye(v.shape[-1]), np.ma.getdata(v))
    return np.ma.MaskedArray(uncertainty_margin(data), mask=mask)


def detuning_sweep(params: PaperAParameters, x: Any, direction: str = "left", noise: str = "paper") -> Sweep:
    r"""E_N of the two oscillators against :math:`\Delta/\omega_{m,l}` (Figs. 2, 3(a)-(d)).

    ``x`` may broadcast with array-valued parameters (e.g. ``chi`` of shape ``(3, 1)``).
    """
    x = val.real_array("x", x)
    v = steady_state(params, x * params.omega_m_l, direction, noise)
    en = _quiet(log_negativity, v, MECHANICS[0], MECHANICS[1])
    mech = reduce_covariance(np.ma.getdata(v), MECHANICS)
    mech = np.ma.MaskedArray(mech, mask=np.broadcast_to(np.ma.getmaskarray(v)[..., :4, :4], mech.shape))
    return Sweep(np.broadcast_to(x, en.shape), en, pt_exponent(v), _masked_margin(v), _masked_margin(mech))


def peak(x: np.ndarray, y: np.ma.MaskedArray) -> tuple[float, float]:
    r"""Position and value of the maximum of a sampled curve (parabolic refinement of the top three points).

    Returns ``(x_peak, y_peak)``; ``(nan, 0.0)`` if ``y`` is zero or masked everywhere.
    """
    x = val.real_array("x", x)
    _check_curve(x, y)
    yy = np.ma.filled(np.ma.MaskedArray(y), -np.inf)
    i = int(np.argmax(yy))
    if not np.isfinite(yy[i]) or yy[i] <= 0:
        return float("nan"), 0.0
    if 0 < i < len(yy) - 1 and np.all(np.isfinite(yy[i - 1 : i + 2])) and np.all(yy[i - 1 : i + 2] > 0):
        y0, y1, y2 = yy[i - 1 : i + 2]
        denom = y0 - 2 * y1 + y2
        if denom < 0:
            s = 0.5 * (y0 - y2) / denom
            h = x[i + 1] - x[i]
            return float(x[i] + s * h), float(y1 - 0.25 * (y0 - y2) * s)
    return float(x[i]), float(yy[i])


def _check_curve(x: np.ndarray, y: Any) -> None:
    """``x`` 1-D and ``y`` of the same length, NaN-free where unmasked."""
    y = np.ma.asarray(y)
    if x.ndim != 1 or y.shape != x.shape:
        raise OptolibError(f"x and y must be 1-D of the same length, got shapes {x.shape} and {y.shape}")
    if np.any(np.isnan(np.ma.filled(y.astype(float), 0.0))):
        raise OptolibError("y must not contain NaN (mask invalid points instead)")


def revival_coefficient(spinning: Any, reference: Any) -> np.ndarray:
    r"""Revival coefficient of Eq. (22).

    :math:`\eta = \max E_N(\Omega\ne0, \delta\omega\ne0)/\max E_N(\Omega=0, \delta\omega=0)`.

    ``spinning`` and ``reference`` are the two maxima (or, for the density maps, the value at
    the caption's fixed detuning and the static identical-oscillator maximum).  ``reference``
    must be > 0: without entanglement in the reference the coefficient is undefined.
    """
    val.positive("reference", reference)
    return np.ma.asarray(spinning) / np.asarray(reference)


def revival_map(params: PaperAParameters, x: float, direction: str, noise: str = "paper",
                reference: float | None = None) -> tuple[np.ma.MaskedArray, float]:
    r"""Revival coefficient over a parameter grid at fixed :math:`\Delta/\omega_{m,l} = x` (Figs. 3(e), (f)).

    ``params`` carries the grid (e.g. ``chi`` of shape ``(n, 1)``, ``spin_l`` of shape ``(1, m)``).
    The denominator of Eq. (22) is the maximum over detuning of the static, identical-oscillator
    :math:`E_N` for the same input direction (computed here on a 0.001 grid unless given).

    Returns
    -------
    eta_map, reference
    """
    val.real_array("x", x)
    check_direction(direction)
    if reference is not None:
        val.positive("reference", reference)
    if reference is None:
        ref_params = _scalar_reference(params)
        xs = np.linspace(0.5, 1.5, 1001)
        sweep = detuning_sweep(ref_params, xs, direction, noise)
        reference = peak(xs, sweep.log_negativity)[1]
    sweep = detuning_sweep(params, x, direction, noise)
    return revival_coefficient(sweep.log_negativity, reference), float(reference)


def _scalar_reference(params: PaperAParameters) -> PaperAParameters:
    """The static, identical-oscillator version of ``params`` (scalar fields)."""
    fields = {}
    for name in ("n", "radius", "wavelength", "mass", "kappa_0", "kappa_ex_l", "kappa_ex_r", "omega_m",
                 "gamma_m", "power", "temperature", "phi", "eta"):
        value = np.asarray(getattr(params, name))
        if value.size != 1:
            raise OptolibError(f"{name} must be scalar for the revival reference, got shape {value.shape}")
        fields[name] = float(value)
    return params.replace(**fields, chi=1.0, spin_l=0.0, spin_r=0.0)


def mechanical_covariance(params: PaperAParameters, x: float, direction: str, noise: str = "paper") -> np.ndarray:
    r"""Reduced 4x4 covariance matrix :math:`V_{\mu\nu}` of :math:`(q_l, p_l, q_r, p_r)` (Eq. (21), Fig. 4(c))."""
    x = val.real_array("x", x)
    v = steady_state(params, x * params.omega_m_l, direction, noise)
    if np.ma.getmaskarray(v).any():
        raise OptolibError(f"the system is unstable at Delta/omega_m = {x}, direction {direction!r}")
    return reduce_covariance(np.ma.getdata(v), MECHANICS)


#: Quadrature pairs of Fig. 4 (indices into (q_l, p_l, q_r, p_r)): local pairs, then cross pairs.
WIGNER_PAIRS = {
    ("q_l", "p_l"): (0, 1), ("q_r", "p_r"): (2, 3),
    ("q_l", "q_r"): (0, 2), ("p_l", "p_r"): (1, 3),
    ("q_l", "p_r"): (0, 3), ("p_l", "q_r"): (1, 2),
}


def wigner_marginals(mech_covariance: np.ndarray, grid: np.ndarray) -> dict[tuple[str, str], np.ndarray]:
    r"""Two-quadrature projections of the Wigner function of Eq. (23) on ``grid`` x ``grid``.

    Integrating the Gaussian of Eq. (23) over two of the four quadratures leaves a Gaussian
    with the 2x2 sub-matrix of :math:`V_{\mu\nu}` (``optolib.quadrature_marginal``).  The
    1/e contour of the maximum is the ellipse :math:`r^T V_2^{-1} r = 2`.
    """
    v = val.square_stack("mech_covariance", mech_covariance)
    if v.shape != (4, 4):
        raise OptolibError(f"mech_covariance must be the 4x4 matrix of (q_l, p_l, q_r, p_r), got shape {v.shape}")
    grid = val.real_array("grid", grid)
    if grid.ndim != 1:
        raise OptolibError(f"grid must be 1-D, got shape {grid.shape}")
    xx, yy = np.meshgrid(grid, grid, indexing="xy")
    out = {}
    for names, (i, j) in WIGNER_PAIRS.items():
        out[names] = _quiet(quadrature_marginal, mech_covariance, (i, j), xx, yy)
    return out


def stability_map(params: PaperAParameters, x: Any, direction: str = "left") -> np.ndarray:
    r"""Largest real part of the eigenvalues of :math:`A` (Eq. (14)) in units of :math:`\omega_{m,l}`.

    Negative means stable (Routh-Hurwitz).  The drift matrix is the same for both noise models.
    """
    x = val.real_array("x", x)
    m = cascaded_model(params, x * params.omega_m_l, direction, "physical")
    return stability_margin(m.drift_matrix()) / params.omega_m_l
