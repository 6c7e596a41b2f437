r"""Paper B's linearised four-mode model, declared once with :class:`optolib.GaussianModel`.

Modes, in the order of paper B's quadrature vector
:math:`u = (\delta X_{ccw}, \delta Y_{ccw}, \delta X_{cw}, \delta Y_{cw}, \delta x, \delta y, \delta q, \delta p)`
(before Eq. (8)) and of its covariance matrix Eq. (13): ``"ccw"``, ``"cw"``, ``"atoms"``,
``"mechanics"``.

Derivation.  With the Holstein-Primakoff map of Eq. (4) (:math:`S_- \approx \sqrt{N_a}\,c`),
:math:`g(a_{cw} + a_{ccw})S_+ + \mathrm{H.c.} \to G_a[(a_{cw} + a_{ccw})c^\dagger + \mathrm{H.c.}]`,
:math:`G_a = g\sqrt{N_a}`, and the atomic energy is :math:`\Delta_a c^\dagger c` (the form that
gives the :math:`-i\Delta_a c` of Eq. (5); the :math:`\Delta_a S_+S_-` of Eq. (3) would give
:math:`N_a\Delta_a c^\dagger c`).  The mechanics has :math:`H_m = \omega_m(p^2 + q^2)/2` with
dimensionless :math:`q = (b + b^\dagger)/\sqrt2`, :math:`p = i(b^\dagger - b)/\sqrt2`, so
:math:`(q, p)` are the mode's :math:`(X, Y)` quadratures.  Writing every operator as mean
plus fluctuation (:mod:`optolib.paper_b.mean_field`) and keeping the quadratic part of
Eq. (3):

.. math::
    H_\mathrm{lin} = \sum_{j} \tilde\Delta_j\,\delta a_j^\dagger\delta a_j
      + \Delta_a\,\delta c^\dagger\delta c + \omega_m\,\delta b^\dagger\delta b
      - \frac{G_0}{\sqrt2}\sum_j(\alpha_j^*\delta a_j + \alpha_j\delta a_j^\dagger)(\delta b + \delta b^\dagger)
      + G_a\left[(\delta a_{ccw} + \delta a_{cw})\delta c^\dagger + \mathrm{H.c.}\right],

:math:`\tilde\Delta_j = \Delta_j - G_0 q_s`.  In quadratures the optomechanical term is
:math:`-\sum_j (G^x_j\delta X_j + G^y_j\delta Y_j)\,\delta q` with
:math:`G^x_j + iG^y_j = \sqrt2 G_0\alpha_j` (paper's :math:`G_{j-m}`, after Eq. (8)).

Noise.  Cavity and atoms: thermal-vacuum amplitude damping with *energy* rates
:math:`2\kappa` and :math:`2\gamma_a` (paper B's :math:`\kappa, \gamma_a` are amplitude rates),
giving :math:`D = \mathrm{diag}(\kappa,\kappa,\kappa,\kappa,\gamma_a,\gamma_a, \cdot, \cdot)` as
after Eq. (12).  Mechanics, ``mechanical_noise=``:

``"brownian"``
    the paper's momentum-only damping, :math:`A_{pp} = -\gamma_m`, :math:`D_{pp} = \gamma_m(2n_m+1)`;
    not completely positive, no Lindblad form.
``"lindblad"``
    thermal amplitude damping of energy rate :math:`\gamma_m` (rotating-wave form):
    :math:`A_{qq} = A_{pp} = -\gamma_m/2`, :math:`D_{qq} = D_{pp} = \gamma_m(2n_m+1)/2`.
``"diosi"``
    the paper's Brownian drift and diffusion plus the smallest position diffusion that makes the
    dynamics completely positive, :math:`D_{qq} = \gamma_m/[4(2n_m+1)]` (Diosi 1993).  It *is* a
    Lindblad model: the squeezing Hamiltonian :math:`(\gamma_m/4)(qp + pq) = (\gamma_m/4)\,
    i(b^{\dagger2} - b^2)` plus one channel :math:`\mathcal D[L]`, :math:`L = xq + iyp` with
    :math:`x = \sqrt{\gamma_m(2n_m+1)}`, :math:`y = \sqrt{\gamma_m/[4(2n_m+1)]}` (so :math:`xy = \gamma_m/2`):
    the channel gives :math:`A = -\tfrac{\gamma_m}{2}\mathbb 1`, :math:`D = \mathrm{diag}(y^2, x^2)`,
    the Hamiltonian :math:`\mathrm{diag}(\gamma_m/2, -\gamma_m/2)`, together exactly the Brownian
    drift.  QuTiP can solve it, which makes it the Fock-space counterpart of the paper's noise.

Public API:

MODES, hybrid_model, paper_eq8_drift_matrix, paper_diffusion_matrix
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ..errors import OptolibError
from ..model import GaussianModel
from .mean_field import MeanField, solve_mean_field
from .parameters import Parameters, check_case

__all__ = ["MODES", "hybrid_model", "paper_diffusion_matrix", "paper_eq8_drift_matrix"]

#: Mode order of Eq. (8)/(13): CCW cavity, CW cavity, atomic ensemble, mechanics.
MODES: tuple[str, ...] = ("ccw", "cw", "atoms", "mechanics")

Noise = Literal["brownian", "lindblad", "diosi"]


def hybrid_model(
    params: Parameters,
    case: str,
    *,
    mean_field: MeanField | None = None,
    radiation_pressure: bool = True,
    mechanical_noise: Noise = "brownian",
    temperature: Any = None,
) -> GaussianModel:
    r"""Declare the linearised model of paper B for one driving case (batched).

    Parameters
    ----------
    params : Parameters
        Paper B parameters (fields may be arrays).
    case : {"static", "cw", "ccw"}
        Driving situation.
    mean_field : MeanField, optional
        Precomputed mean fields (default: :func:`~optolib.paper_b.mean_field.solve_mean_field`
        with ``radiation_pressure``).
    radiation_pressure : bool
        Include :math:`G_0 q_s` in the effective detunings (Eq. (10)) or not (Eq. (A3)).
    mechanical_noise : {"brownian", "lindblad", "diosi"}
        Paper's Brownian noise, thermal amplitude damping, or Brownian noise completed to a
        Lindblad model (module docstring).
    temperature : float or array, optional
        Mechanical bath temperature overriding ``params.temperature`` for the noise only
        (the mean fields do not depend on it).

    Returns
    -------
    GaussianModel
        Modes :data:`MODES`; ``drift_matrix()`` is Eq. (8) with the misprints corrected.
    """
    if not isinstance(params, Parameters):
        raise OptolibError(f"params must be a paper B Parameters, got {type(params).__name__}")
    check_case(case)
    if mechanical_noise not in ("brownian", "lindblad", "diosi"):
        raise OptolibError("mechanical_noise must be 'brownian', 'lindblad' or 'diosi', "
                           f"got {mechanical_noise!r}")
    if mean_field is not None and not isinstance(mean_field, MeanField):
        raise OptolibError(f"mean_field must be a MeanField, got {type(mean_field).__name__}")
    mf = mean_field if mean_field is not None else solve_mean_field(
        params, case, radiation_pressure=radiation_pressure)
    if mf.case != case:
        raise OptolibError(f"mean_field was solved for case {mf.case!r}, not {case!r}")
    p = params if temperature is None else params.replace(temperature=temperature)
    g0 = np.asarray(p.coupling_single_photon, dtype=float)
    ga = np.asarray(p.coupling_atoms, dtype=float)
    m = GaussianModel(MODES)
    a_ccw, a_cw, c, b = m.ops
    x_b = b + b.dag()
    h = (mf.delta_eff_ccw * a_ccw.dag() * a_ccw + mf.delta_eff_cw * a_cw.dag() * a_cw
         + np.asarray(p.delta_a, dtype=float) * c.dag() * c
         + np.asarray(p.omega_m, dtype=float) * b.dag() * b)
    for alpha, a in ((mf.alpha_ccw, a_ccw), (mf.alpha_cw, a_cw)):
        h = h - (g0 / np.sqrt(2)) * ((np.conj(alpha) * a + alpha * a.dag()) * x_b)
    h = h + (ga * ((a_ccw + a_cw) * c.dag())).plus_hc()
    gm, n_th = np.asarray(p.gamma_m, dtype=float), np.asarray(p.n_thermal, dtype=float)
    if mechanical_noise == "diosi":
        h = h + (gm / 4) * (1j * (b.dag() * b.dag()) - 1j * (b * b))
    m.hamiltonian = h
    m.add_damping("ccw", 2 * np.asarray(p.kappa, dtype=float))
    m.add_damping("cw", 2 * np.asarray(p.kappa, dtype=float))
    m.add_damping("atoms", 2 * np.asarray(p.gamma_a, dtype=float))
    if mechanical_noise == "brownian":
        m.add_brownian_damping("mechanics", p.gamma_m, p.n_thermal)
    elif mechanical_noise == "lindblad":
        m.add_damping("mechanics", p.gamma_m, p.n_thermal)
    elif mechanical_noise == "diosi":
        x = np.sqrt(gm * (2 * n_th + 1))
        y = np.sqrt(gm / (4 * (2 * n_th + 1)))
        m.add_channel(((x + y) * b + (x - y) * b.dag()) / np.sqrt(2), rate=1.0, name="Diosi-completed Brownian")
    else:
        raise OptolibError("mechanical_noise must be 'brownian', 'lindblad' or 'diosi', "
                           f"got {mechanical_noise!r}")
    return m


def paper_eq8_drift_matrix(mf: MeanField, params: Parameters) -> np.ndarray:
    r"""Paper B's Eq. (8), transcribed entry by entry (for *checking* :func:`hybrid_model` only).

    .. math::
        A = \begin{pmatrix}
        -\kappa & \tilde\Delta_{ccw} & 0 & 0 & 0 & G_a & -G^y_{ccw} & 0\\
        -\tilde\Delta_{ccw} & -\kappa & 0 & 0 & -G_a & 0 & G^x_{ccw} & 0\\
        0 & 0 & -\kappa & \tilde\Delta_{cw} & 0 & G_a & -G^y_{cw} & 0\\
        0 & 0 & -\tilde\Delta_{cw} & -\kappa & -G_a & 0 & G^x_{cw} & 0\\
        0 & G_a & 0 & G_a & -\gamma_a & \Delta_a & 0 & 0\\
        -G_a & 0 & -G_a & 0 & -\Delta_a & -\gamma_a & 0 & 0\\
        0&0&0&0&0&0&0&\omega_m\\
        G^x_{ccw} & G^y_{ccw} & G^x_{cw} & G^y_{cw} & 0 & 0 & -\omega_m & -\gamma_m
        \end{pmatrix}

    Eq. (8) and Eq. (A7) are identical and need no correction; the misprints are in the
    equations leading to them ((A4): sign of the CCW drift term; (A6): a duplicated
    :math:`G_{j}\,\delta q` in :math:`\delta\dot Y_j`).
    """
    p = params
    kap = np.asarray(p.kappa, dtype=float)
    ga = np.asarray(p.coupling_atoms, dtype=float)
    da = np.asarray(p.delta_a, dtype=float)
    gam = np.asarray(p.gamma_a, dtype=float)
    wm = np.asarray(p.omega_m, dtype=float)
    gmm = np.asarray(p.gamma_m, dtype=float)
    g0 = np.asarray(p.coupling_single_photon, dtype=float)
    g_ccw = np.sqrt(2) * g0 * mf.alpha_ccw
    g_cw = np.sqrt(2) * g0 * mf.alpha_cw
    gx_ccw, gy_ccw, gx_cw, gy_cw = g_ccw.real, g_ccw.imag, g_cw.real, g_cw.imag
    dc, dw = mf.delta_eff_ccw, mf.delta_eff_cw
    shape = np.broadcast_shapes(*(np.shape(x) for x in (kap, ga, da, gam, wm, gmm, g_ccw, g_cw, dc, dw)))
    a = np.zeros((*shape, 8, 8))
    entries = {
        (0, 0): -kap, (0, 1): dc, (0, 5): ga, (0, 6): -gy_ccw,
        (1, 0): -dc, (1, 1): -kap, (1, 4): -ga, (1, 6): gx_ccw,
        (2, 2): -kap, (2, 3): dw, (2, 5): ga, (2, 6): -gy_cw,
        (3, 2): -dw, (3, 3): -kap, (3, 4): -ga, (3, 6): gx_cw,
        (4, 1): ga, (4, 3): ga, (4, 4): -gam, (4, 5): da,
        (5, 0): -ga, (5, 2): -ga, (5, 4): -da, (5, 5): -gam,
        (6, 7): wm,
        (7, 0): gx_ccw, (7, 1): gy_ccw, (7, 2): gx_cw, (7, 3): gy_cw, (7, 6): -wm, (7, 7): -gmm,
    }
    for (i, j), v in entries.items():
        a[..., i, j] = v
    return a


def paper_diffusion_matrix(params: Parameters) -> np.ndarray:
    r"""Paper B's diffusion matrix (after Eq. (12)), for checking :func:`hybrid_model`.

    :math:`D = \mathrm{diag}[\kappa,\kappa,\kappa,\kappa,\gamma_a,\gamma_a,0,\gamma_m(2n_m+1)]`.
    """
    p = params
    kap, gam = np.asarray(p.kappa, dtype=float), np.asarray(p.gamma_a, dtype=float)
    gm, n = np.asarray(p.gamma_m, dtype=float), np.asarray(p.n_thermal, dtype=float)
    shape = np.broadcast_shapes(kap.shape, gam.shape, gm.shape, n.shape)
    d = np.zeros((*shape, 8, 8))
    for i, v in enumerate((kap, kap, kap, kap, gam, gam, 0.0 * kap, gm * (2 * n + 1))):
        d[..., i, i] = v
    return d
