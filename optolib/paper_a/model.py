r"""The cascaded optomechanical model of paper A, declared once with :class:`~optolib.GaussianModel`.

Modes ``("a_l", "a_r", "b_l", "b_r")``, so the quadrature vector is paper A's
:math:`u = (X_l, Y_l, X_r, Y_r, q_l, p_l, q_r, p_r)` (Eq. (13)).

Linearised Hamiltonian (displaced frame, :math:`\hbar = 1`; from Eq. (3) with
:math:`a_j = \alpha_j + \delta a_j`, :math:`b_j = \beta_j + \delta b_j`)

.. math::
    H = \sum_{j=l,r}\Big[\tilde\Delta_j\,\delta a_j^\dagger\delta a_j
        + \omega_{m,j}\,\delta b_j^\dagger\delta b_j
        - g_{0,j}(\alpha_j^*\delta a_j + \alpha_j\delta a_j^\dagger)(\delta b_j + \delta b_j^\dagger)\Big]
        + H_\mathrm{casc}.

**Physically consistent cascade** (Gardiner, PRL 70, 2269 (1993); Carmichael, PRL 70,
2273 (1993)).  For left input the field leaving cavity :math:`l` (transmission :math:`\eta`,
phase :math:`\varphi`) is the input of cavity :math:`r`.  With :math:`c_1 = \sqrt{\eta\kappa_{ex,l}}
e^{i\varphi}a_l` and :math:`c_2 = \sqrt{\kappa_{ex,r}}a_r` the cascaded master equation is

.. math::
    \dot\rho = -i[H, \rho] + \mathcal D[c_1 + c_2]\rho + (1-\eta)\kappa_{ex,l}\mathcal D[a_l]\rho
      + \sum_j \kappa_{0,j}\mathcal D[a_j]\rho + \text{mechanical baths},\qquad
    H_\mathrm{casc} = \tfrac{i}{2}(c_1^\dagger c_2 - c_2^\dagger c_1)
      = \tfrac{i}{2}J\,(e^{-i\varphi}a_l^\dagger a_r - e^{i\varphi}a_r^\dagger a_l),

with :math:`J = \sqrt{\eta\kappa_{ex,l}\kappa_{ex,r}}`.  The collective decay gives
:math:`\dot a_l \ni -\tfrac12 x^*y\,a_r` and :math:`\dot a_r \ni -\tfrac12 xy^*\,a_l`
(:math:`x = \sqrt{\eta\kappa_{ex,l}}e^{i\varphi}`, :math:`y = \sqrt{\kappa_{ex,r}}`);
:math:`H_\mathrm{casc}` cancels the first and doubles the second, so that
:math:`\dot{\delta a}_r \ni -J e^{i\varphi}\,\delta a_l` (Eq. (9)) and :math:`a_l` gets nothing
from :math:`a_r`.  The mechanical baths are thermal amplitude damping
:math:`\gamma_m(\bar n+1)\mathcal D[b] + \gamma_m\bar n\,\mathcal D[b^\dagger]`, which gives
paper A's mechanical drift and diffusion exactly.  For right input the cascade runs
:math:`r \to l`.

**Paper A's noise model** (``noise="paper"``).  Same drift matrix, but the diffusion
matrix after Eq. (18), :math:`D = \tfrac12\mathrm{diag}[\Gamma_l, \Gamma_l, \Gamma_r, \Gamma_r,
\gamma_{m,l}(2\bar n_{m,l}+1), \dots]`: each cavity has its own vacuum noise at its full
linewidth :math:`\Gamma_j` (``add_damping(a_j, Gamma_j)``), and the dissipative half of the
cascade coupling (:math:`-\tfrac12 x y^*`, :math:`-\tfrac12 x^* y` above) is kept as a drift
*without* the noise that must accompany it (``add_classical_noise``).  This follows from
paper A's Eq. (6), whose output field :math:`a_l^\mathrm{out} = \varepsilon_d - \sqrt{\kappa_{ex,l}}a_l`
lacks the reflected input noise :math:`a^\mathrm{in}_{ex,l}`, while Eq. (4) gives cavity
:math:`r` an independent fibre noise :math:`\sqrt{\kappa_{ex,r}}a^\mathrm{in}_{ex,r}` *in addition* to
the fibre field arriving from :math:`l`.

Public API:

MODES, NOISE_MODELS, cascaded_model, printed_drift_matrix, printed_diffusion_matrix
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from .. import _validation as val
from ..errors import OptolibError
from ..model import GaussianModel
from .mean_field import MeanFields, mean_fields
from .parameters import PaperAParameters, check_direction

__all__ = ["MODES", "NOISE_MODELS", "cascaded_model", "printed_diffusion_matrix", "printed_drift_matrix"]

MODES = ("a_l", "a_r", "b_l", "b_r")
#: ``"physical"``: cascaded master equation; ``"paper"``: paper A's diagonal diffusion matrix.
NOISE_MODELS = ("physical", "paper")


def _ladder_drift(coeff: np.ndarray, target: int, source: int, n_modes: int) -> np.ndarray:
    r"""Quadrature drift matrix of :math:`\dot a_\mathrm{target} \ni c\,a_\mathrm{source}` (complex c)."""
    c = np.asarray(coeff, dtype=complex)
    out = np.zeros((*c.shape, 2 * n_modes, 2 * n_modes))
    xt, yt, xs, ys = 2 * target, 2 * target + 1, 2 * source, 2 * source + 1
    out[..., xt, xs], out[..., xt, ys] = c.real, -c.imag
    out[..., yt, xs], out[..., yt, ys] = c.imag, c.real
    return out


def cascaded_model(
    params: PaperAParameters,
    delta: Any,
    direction: str = "left",
    noise: Literal["physical", "paper"] = "physical",
    *,
    mean: MeanFields | None = None,
) -> GaussianModel:
    r"""Declare the linearised cascaded model (module docstring) for one input direction.

    Parameters
    ----------
    params : PaperAParameters
        Parameters (fields may be arrays; they broadcast with ``delta``).
    delta : float or array
        Effective detuning :math:`\Delta` (rad/s).
    direction : {"left", "right"}
        Input direction: cascade :math:`l\to r` (left) or :math:`r\to l` (right).
    noise : {"physical", "paper"}
        Cascaded master equation, or paper A's diagonal diffusion matrix.
    mean : MeanFields, optional
        Precomputed :func:`~optolib.paper_a.mean_field.mean_fields` (same ``delta``).

    Returns
    -------
    GaussianModel
        Modes :data:`MODES`; ``drift_matrix()`` is Eq. (14) of paper A.
    """
    check_direction(direction)
    if noise not in NOISE_MODELS:
        raise OptolibError(f"noise must be one of {NOISE_MODELS}, got {noise!r}")
    if mean is not None:
        _check_mean(mean, delta, direction)
    p = params
    mf = mean if mean is not None else mean_fields(p, delta, direction)
    m = GaussianModel(MODES)
    a_l, a_r, b_l, b_r = m.ops
    first, second = (a_l, a_r) if direction == "left" else (a_r, a_l)
    k_first = p.kappa_ex_l if direction == "left" else p.kappa_ex_r
    k_second = p.kappa_ex_r if direction == "left" else p.kappa_ex_l
    eta, phase = np.asarray(p.eta, dtype=float), np.exp(1j * np.asarray(p.phi, dtype=float))
    x = np.sqrt(eta * k_first) * phase  # c_1 = x a_first
    y = np.sqrt(np.asarray(k_second, dtype=float)) * np.ones_like(x)  # c_2 = y a_second
    h = (mf.detuning_l * a_l.dag() * a_l + mf.detuning_r * a_r.dag() * a_r
         + p.omega_m_l * b_l.dag() * b_l + p.omega_m_r * b_r.dag() * b_r
         - mf.g0_l * (np.conj(mf.alpha_l) * a_l + mf.alpha_l * a_l.dag()) * (b_l + b_l.dag())
         - mf.g0_r * (np.conj(mf.alpha_r) * a_r + mf.alpha_r * a_r.dag()) * (b_r + b_r.dag()))
    h = h + (0.5j * np.conj(x) * y * first.dag() * second).plus_hc()  # H_casc
    m.hamiltonian = h
    if noise == "physical":
        m.add_channel(x * first + y * second, rate=1.0, name="fibre output (collective)")
        m.add_channel(first, rate=(1 - eta) * k_first, name="fibre loss between the cavities")
        m.add_damping("a_l", p.kappa_0)
        m.add_damping("a_r", p.kappa_0)
    else:
        m.add_damping("a_l", p.linewidth_l)
        m.add_damping("a_r", p.linewidth_r)
        i_first, i_second = (0, 1) if direction == "left" else (1, 0)
        drift = (_ladder_drift(-0.5 * x * np.conj(y), i_second, i_first, 4)
                 + _ladder_drift(-0.5 * np.conj(x) * y, i_first, i_second, 4))
        m.add_classical_noise("dissipative cascade coupling without its noise (paper A, Eqs. (4), (6))",
                              drift=drift)
    m.add_damping("b_l", p.gamma_m, p.n_thermal_l)
    m.add_damping("b_r", p.gamma_m, p.n_thermal_r)
    return m


def _check_mean(mean: MeanFields, delta: Any, direction: str) -> None:
    """``mean`` must be the mean fields of this ``delta`` and ``direction``."""
    if not isinstance(mean, MeanFields):
        raise OptolibError(f"mean must be a MeanFields, got {type(mean).__name__}")
    if mean.direction != direction:
        raise OptolibError(f"mean was computed for direction {mean.direction!r}, not {direction!r}")
    d = val.real_array("delta", delta)
    try:
        same = bool(np.all(mean.delta == np.broadcast_to(d, mean.delta.shape)))
    except ValueError:
        same = False
    if not same:
        raise OptolibError(f"mean was computed for another delta than delta = {val._show(d)} "
                           f"(shapes {mean.delta.shape} and {d.shape})")


def printed_drift_matrix(params: PaperAParameters, delta: Any) -> np.ndarray:
    r"""Paper A's Eq. (14)-(15) transcribed as printed (left input only), shape (..., 8, 8).

    For comparison with the derived :meth:`GaussianModel.drift_matrix` only (tests and
    the book); nothing is computed from it.  :math:`\Lambda_j^{re,im} = 2g_j\,\mathrm{Re/Im}\,\alpha_j`
    with :math:`g_j = g_{0,j}` (the only coupling defined in the paper),
    :math:`J_{s,c} = \sqrt{\eta\kappa_{ex,l}\kappa_{ex,r}}\,(\sin, \cos)\varphi`.
    """
    p = params
    mf = mean_fields(p, delta, "left")
    lre, lim = 2 * mf.g0_l * mf.alpha_l.real, 2 * mf.g0_l * mf.alpha_l.imag
    rre, rim = 2 * mf.g0_r * mf.alpha_r.real, 2 * mf.g0_r * mf.alpha_r.imag
    js = p.cascade_rate * np.sin(p.phi) * np.ones_like(lre)
    jc = p.cascade_rate * np.cos(p.phi) * np.ones_like(lre)
    gl, gr = p.linewidth_l * np.ones_like(lre), p.linewidth_r * np.ones_like(lre)
    dl, dr = mf.detuning_l, mf.detuning_r
    wl, wr = p.omega_m_l * np.ones_like(lre), p.omega_m_r * np.ones_like(lre)
    gm = np.asarray(p.gamma_m) * np.ones_like(lre)
    z = np.zeros_like(lre)
    rows = [
        [-gl / 2, dl, z, z, -lim, z, z, z],
        [-dl, -gl / 2, z, z, lre, z, z, z],
        [-jc, js, -gr / 2, dr, z, z, -rim, z],
        [-js, -jc, -dr, -gr / 2, z, z, rre, z],
        [z, z, z, z, -gm / 2, wl, z, z],
        [lre, lim, z, z, -wl, -gm / 2, z, z],
        [z, z, z, z, z, z, -gm / 2, wr],
        [z, z, rre, rim, z, z, -wr, -gm / 2],
    ]
    return np.moveaxis(np.array([[np.broadcast_to(e, lre.shape) for e in row] for row in rows]), (0, 1), (-2, -1))


def printed_diffusion_matrix(params: PaperAParameters) -> np.ndarray:
    r"""Paper A's diffusion matrix after Eq. (18), transcribed as printed, shape (..., 8, 8)."""
    p = params
    ml = np.asarray(p.gamma_m) * (2 * p.n_thermal_l + 1)
    mr = np.asarray(p.gamma_m) * (2 * p.n_thermal_r + 1)
    diag = np.broadcast_arrays(p.linewidth_l, p.linewidth_l, p.linewidth_r, p.linewidth_r, ml, ml, mr, mr)
    d = np.stack(diag, axis=-1) / 2
    return d[..., :, None] * np.eye(8)
