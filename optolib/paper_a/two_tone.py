r"""A positive control: a two-tone drive that entangles the cascaded oscillators.

A single drive tone cannot entangle :math:`b_l` and :math:`b_r` through the physically
consistent cascade (:mod:`optolib.paper_a.model`, ``noise="physical"``): the Stokes light
of cavity :math:`l` (:math:`\propto b_l^\dagger`) can only be absorbed in cavity :math:`r` by
the same Stokes process, which correlates :math:`b_r` with :math:`b_l` passively
(:math:`\langle b_l^\dagger b_r\rangle`), never as :math:`\langle b_l b_r\rangle`.  A second tone
:math:`2\omega_m` below the first lets cavity :math:`r` convert that light by a beam-splitter
process, :math:`b_r \sim a_\mathrm{in} \sim b_l^\dagger`.

**Model** (both cavities at :math:`\omega_c`, tone "+" at :math:`\omega_c+\omega_m`, tone "-"
at :math:`\omega_c-\omega_m`).  With the intracavity mean field
:math:`\alpha_j^+ e^{-i(\omega_c+\omega_m)t} + \alpha_j^- e^{-i(\omega_c-\omega_m)t}`, the linearised
coupling :math:`-g_{0,j}(\alpha_j^*\delta a_j + \alpha_j\delta a_j^\dagger)(b_j + b_j^\dagger)` in the frame
rotating at :math:`\omega_c` (cavities) and :math:`\omega_m - \mu_j` (oscillators; the tones of cavity
:math:`j` may sit at :math:`\omega_c\pm(\omega_m-\mu_j)`), with the terms rotating at
:math:`2\omega_m` dropped (rotating-wave approximation, needs :math:`\kappa, G \ll \omega_m`), is

.. math::
    H = \sum_{j=l,r}\Big[\delta_j a_j^\dagger a_j + (\omega_{m,j}-\omega_m+\mu_j) b_j^\dagger b_j
        - \big(a_j^\dagger(G_j^- b_j + G_j^+ b_j^\dagger) + \mathrm{h.c.}\big)\Big] + H_\mathrm{casc},
    \qquad G_j^\pm = g_{0,j}\alpha_j^\pm ,

time independent, so a Gaussian steady state exists.  The noise is the physically consistent
cascade of :func:`optolib.paper_a.model.cascaded_model` (Gardiner 1993; Carmichael 1993):
:math:`\mathcal D[c_1 + c_2]` with :math:`c_1 = \sqrt{\eta\kappa_{ex,1}}e^{i\varphi}a_1`,
:math:`c_2 = \sqrt{\kappa_{ex,2}}a_2`, :math:`H_\mathrm{casc} = \tfrac i2(c_1^\dagger c_2 - c_2^\dagger c_1)`,
the loss :math:`(1-\eta)\kappa_{ex,1}\mathcal D[a_1]`, intrinsic losses :math:`\kappa_0\mathcal D[a_j]` and
thermal mechanical damping :math:`\gamma_m(\bar n+1)\mathcal D[b_j] + \gamma_m\bar n\mathcal D[b_j^\dagger]`
(1 = l, 2 = r for left input).  The same-frequency cascade in this frame assumes the fibre phase
is the same at both sidebands (delay :math:`\tau \ll 1/\omega_m`).

Drive geometries:

* **S1, addressed tones**: each cavity receives its tones through its own port (add-drop
  geometry); the fibre carries only fluctuations.  Any :math:`G_j^\pm` can be set.
* **S2, one fibre**: both tones enter the cascade fibre and pass cavity 1 before cavity 2, so
  the couplings of cavity 2 follow from those of cavity 1 (:func:`same_fibre_couplings`).

Detunings (what the searches of ``scripts/two_tone_study.py`` find).  With :math:`\delta_j = \mu_j = 0`
the best :math:`E_N` is 0.255 at T = 0, at optical damping rates comparable with :math:`\gamma_m`, so it
vanishes at paper A's :math:`\bar n = 23`.  The optima have :math:`\mu_l + \mu_r \approx 0`: frequency
matching, since the gap between cavity l's blue tone and cavity r's red tone is
:math:`2\omega_m - (\mu_l + \mu_r)` and must equal :math:`\omega_{m,l} + \omega_{m,r}` for the Stokes photons of l
to meet r's beam-splitter resonance.  The benefit of the antisymmetric offset :math:`\mu_l - \mu_r` has no
simple explanation here (the term :math:`\mu(b_l^\dagger b_l - b_r^\dagger b_r)` leaves the two-mode squeezed
vacuum invariant, so it is not a dark-state condition).

S1 drive ports: each port is a loss channel :math:`\kappa_{p,j}\mathcal D[a_j]` (``port_rate_j``); the
control points carry :data:`PORT_RATIO`.  The tones leaking from cavity l into the cascade fibre are
assumed not to reach cavity r (filtered).  This is not modelled here; a reviewer's separate Floquet estimate
(not part of the library) put their cost at 2-4 % of :math:`E_N` at the control points.

Mean-field caveats stated here once: the static radiation-pressure shift of each cavity is
assumed compensated (:math:`\delta_j` is the detuning that remains); the beat of the two tones
drives the oscillators at :math:`2\omega_m`, off resonance, and is neglected with the other
:math:`2\omega_m` terms.

Public API:

MODES, COUPLINGS, PORT_RATIO, RECOMMENDED_OMEGA_M_UNITS, THERMAL_OMEGA_M_UNITS, S2_POINT, two_tone_model, rates,
tone_amplitude, tone_power, point_tone_powers, same_fibre_couplings, mechanical_entanglement, steady_state_summary,
fock_judge, rwa_check, recommended_point, recommended_model, thermal_point, s2_model,
control_figure_data
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from scipy import constants

from .. import _validation as val
from ..errors import OptolibError
from ..fock import covariance_from_state, fock_log_negativity, steady_state, top_level_populations
from ..measures import log_negativity, mean_occupation, min_pt_symplectic_eigenvalue, reduce_covariance
from ..model import GaussianModel
from ..steady_state import stability_margin, steady_state_covariance
from .parameters import PaperAParameters, check_direction, paper_a_parameters

__all__ = [
    "COUPLINGS",
    "MODES",
    "PORT_RATIO",
    "RECOMMENDED_OMEGA_M_UNITS",
    "S2_POINT",
    "THERMAL_OMEGA_M_UNITS",
    "control_figure_data",
    "fock_judge",
    "mechanical_entanglement",
    "point_tone_powers",
    "rates",
    "recommended_model",
    "recommended_point",
    "rwa_check",
    "s2_model",
    "same_fibre_couplings",
    "steady_state_summary",
    "thermal_point",
    "tone_amplitude",
    "tone_power",
    "two_tone_model",
]

MODES = ("a_l", "a_r", "b_l", "b_r")
#: Keyword names of the four effective couplings of :func:`two_tone_model`.
COUPLINGS = ("G_minus_l", "G_plus_l", "G_minus_r", "G_plus_r")


def rates(params: PaperAParameters | None = None, kappa_scale: Any = 1.0) -> dict[str, Any]:
    r"""The rates (rad/s) the two-tone model uses, with all optical rates scaled by ``kappa_scale``.

    ``kappa_scale < 1`` is the resolved-sideband variant: :math:`\kappa_0, \kappa_{ex,l},
    \kappa_{ex,r}` multiplied by it (their ratios, hence the cascade efficiency, unchanged).

    Returns
    -------
    dict
        ``kappa_0, kappa_ex_l, kappa_ex_r, kappa_l, kappa_r`` (total linewidths),
        ``omega_m, omega_m_l, omega_m_r, gamma_m, n_thermal_l, n_thermal_r, g0_l, g0_r, eta, phi,
        omega_c``.
    """
    p = paper_a_parameters() if params is None else params
    s = val.positive("kappa_scale", kappa_scale)
    out = dict(
        kappa_0=s * np.asarray(p.kappa_0, dtype=float),
        kappa_ex_l=s * np.asarray(p.kappa_ex_l, dtype=float),
        kappa_ex_r=s * np.asarray(p.kappa_ex_r, dtype=float),
        omega_m=p.omega_m_l, omega_m_l=p.omega_m_l, omega_m_r=p.omega_m_r,
        gamma_m=np.asarray(p.gamma_m, dtype=float),
        n_thermal_l=np.asarray(p.n_thermal_l), n_thermal_r=np.asarray(p.n_thermal_r),
        g0_l=np.asarray(p.g0_l), g0_r=np.asarray(p.g0_r),
        eta=np.asarray(p.eta, dtype=float), phi=np.asarray(p.phi, dtype=float),
        omega_c=np.asarray(p.omega_c),
    )
    out["kappa_l"] = out["kappa_0"] + out["kappa_ex_l"]
    out["kappa_r"] = out["kappa_0"] + out["kappa_ex_r"]
    return out


def two_tone_model(
    G_minus_l: Any,
    G_plus_l: Any,
    G_minus_r: Any,
    G_plus_r: Any,
    *,
    params: PaperAParameters | None = None,
    detuning_l: Any = 0.0,
    detuning_r: Any = 0.0,
    kappa_scale: Any = 1.0,
    direction: str = "left",
    mechanical_detuning_l: Any = 0.0,
    mechanical_detuning_r: Any = 0.0,
    port_rate_l: Any = 0.0,
    port_rate_r: Any = 0.0,
    rate_unit: float = 1.0,
) -> GaussianModel:
    r"""Declare the rotating-wave two-tone cascaded model (module docstring).

    Parameters
    ----------
    G_minus_l, G_plus_l, G_minus_r, G_plus_r : complex or array
        Effective couplings :math:`G_j^\pm = g_{0,j}\alpha_j^\pm` (rad/s) of the tone at
        :math:`\omega_c\pm\omega_m` in cavity :math:`j`: :math:`G^-` multiplies the beam-splitter
        term :math:`a^\dagger b`, :math:`G^+` the two-mode-squeezing term :math:`a^\dagger b^\dagger`.
    params : PaperAParameters, optional
        Rates, temperature, :math:`\eta`, :math:`\varphi`, :math:`\chi` (default paper A's).
    detuning_l, detuning_r : float or array
        :math:`\delta_j = \omega_{c,j} - \omega_c` (rad/s), residual cavity detuning in the
        frame of the tones' centre frequency.
    kappa_scale : float
        Scales all optical decay rates (:func:`rates`).
    direction : {"left", "right"}
        Cascade :math:`l\to r` or :math:`r\to l`.
    mechanical_detuning_l, mechanical_detuning_r : float or array
        :math:`\mu_j` (rad/s): the tones of cavity :math:`j` sit at :math:`\omega_c\pm(\omega_m-\mu_j)`,
        so the frame of oscillator :math:`j` rotates at :math:`\omega_m-\mu_j` and
        :math:`H \ni \mu_j b_j^\dagger b_j` (in addition to :math:`\omega_{m,j}-\omega_m`).
    port_rate_l, port_rate_r : float or array
        :math:`\kappa_{p,j}` (rad/s), energy decay rate into cavity :math:`j`'s own drive port (geometry
        S1, add-drop); the port's vacuum noise enters and its output is discarded:
        :math:`\kappa_{p,j}\mathcal D[a_j]`.  0 (default) for drives through the cascade fibre (S2).
    rate_unit : float
        Every rate is divided by it (e.g. ``omega_m`` for a model in units of
        :math:`\omega_m`, as the Fock-space solver prefers).

    Returns
    -------
    GaussianModel
        Modes :data:`MODES`.
    """
    check_direction(direction)
    u = float(val.positive("rate_unit", rate_unit))
    r = rates(params, kappa_scale)
    gml, gpl, gmr, gpr = (val.finite_complex(n, v) / u for n, v in
                         (("G_minus_l", G_minus_l), ("G_plus_l", G_plus_l),
                          ("G_minus_r", G_minus_r), ("G_plus_r", G_plus_r)))
    dl = val.real_array("detuning_l", detuning_l) / u
    dr = val.real_array("detuning_r", detuning_r) / u
    m = GaussianModel(MODES)
    a_l, a_r, b_l, b_r = m.ops
    first, second = (a_l, a_r) if direction == "left" else (a_r, a_l)
    k_first = (r["kappa_ex_l"] if direction == "left" else r["kappa_ex_r"]) / u
    k_second = (r["kappa_ex_r"] if direction == "left" else r["kappa_ex_l"]) / u
    x = np.sqrt(r["eta"] * k_first) * np.exp(1j * r["phi"])  # c_1 = x a_first
    y = np.sqrt(k_second) * np.ones_like(x)  # c_2 = y a_second
    mu_l = val.real_array("mechanical_detuning_l", mechanical_detuning_l) / u
    mu_r = val.real_array("mechanical_detuning_r", mechanical_detuning_r) / u + (r["omega_m_r"] - r["omega_m_l"]) / u
    h = (dl * a_l.dag() * a_l + dr * a_r.dag() * a_r
         + mu_l * b_l.dag() * b_l + mu_r * b_r.dag() * b_r
         - (a_l.dag() * (gml * b_l + gpl * b_l.dag())).plus_hc()
         - (a_r.dag() * (gmr * b_r + gpr * b_r.dag())).plus_hc())
    h = h + (0.5j * np.conj(x) * y * first.dag() * second).plus_hc()  # H_casc
    m.hamiltonian = h
    m.add_channel(x * first + y * second, rate=1.0, name="fibre output (collective)")
    m.add_channel(first, rate=(1 - r["eta"]) * k_first, name="fibre loss between the cavities")
    m.add_damping("a_l", r["kappa_0"] / u)
    m.add_damping("a_r", r["kappa_0"] / u)
    for mode, name, rate in (("a_l", "port_rate_l", port_rate_l), ("a_r", "port_rate_r", port_rate_r)):
        kp = val.nonnegative(name, rate) / u
        if np.any(kp > 0):
            m.add_damping(mode, kp)
    m.add_damping("b_l", r["gamma_m"] / u, r["n_thermal_l"])
    m.add_damping("b_r", r["gamma_m"] / u, r["n_thermal_r"])
    return m


def tone_amplitude(
    power: Any,
    *,
    cavity: Literal["l", "r"],
    sign: Literal["+", "-"],
    params: PaperAParameters | None = None,
    kappa_scale: Any = 1.0,
    detuning: Any = 0.0,
    port_rate: Any = None,
    mechanical_detuning: Any = 0.0,
) -> np.ndarray:
    r"""Intracavity amplitude of one tone fed through a port (complex, :math:`\sqrt{\text{photons}}`).

    :math:`\alpha = \sqrt{\kappa_p}\,\varepsilon/(\kappa_j/2 + i\Delta)`: paper A's Eq. (10) for one tone,
    with :math:`\varepsilon = \sqrt{P/\hbar\omega_c}` and
    :math:`\Delta = \omega_{c,j} - \omega_\pm = \delta_j \mp (\omega_m - \mu_j)`
    (``detuning`` :math:`\delta_j`, ``mechanical_detuning`` :math:`\mu_j` as in :func:`two_tone_model`).
    ``port_rate`` ``None``: the tone arrives through the cascade fibre, :math:`\kappa_p = \kappa_{ex,j}`,
    already part of :math:`\kappa_j`.  Given (geometry S1): the tone enters through cavity :math:`j`'s own port
    :math:`\kappa_p`, which also broadens the cavity, :math:`\kappa_j \to \kappa_j + \kappa_p` (the model must then
    carry the same ``port_rate_j``).
    """
    if cavity not in ("l", "r") or sign not in ("+", "-"):
        raise OptolibError(f"cavity must be 'l' or 'r' and sign '+' or '-', got {cavity!r}, {sign!r}")
    r = rates(params, kappa_scale)
    if port_rate is None:
        kp, width = r[f"kappa_ex_{cavity}"], r[f"kappa_{cavity}"]
    else:
        kp = val.positive("port_rate", port_rate)
        width = r[f"kappa_{cavity}"] + kp
    mu = val.real_array("mechanical_detuning", mechanical_detuning)
    delta = val.real_array("detuning", detuning) - (1 if sign == "+" else -1) * (r["omega_m"] - mu)
    eps = np.sqrt(val.nonnegative("power", power) / (constants.hbar * r["omega_c"]))
    return np.sqrt(kp) * eps / (width / 2 + 1j * delta)


def tone_power(
    G: Any,
    *,
    cavity: Literal["l", "r"],
    sign: Literal["+", "-"],
    params: PaperAParameters | None = None,
    kappa_scale: Any = 1.0,
    detuning: Any = 0.0,
    port_rate: Any = None,
    mechanical_detuning: Any = 0.0,
) -> np.ndarray:
    r"""Input power (W) one tone needs for :math:`|G| = g_{0,j}|\alpha|` (inverse of :func:`tone_amplitude`).

    :math:`P = \hbar\omega_c\,(|G|/g_{0,j})^2\,|\kappa_j'/2 + i\Delta|^2/\kappa_p` (:math:`\kappa_j'` as in
    :func:`tone_amplitude`).
    """
    unit = tone_amplitude(1.0, cavity=cavity, sign=sign, params=params, kappa_scale=kappa_scale,
                          detuning=detuning, port_rate=port_rate, mechanical_detuning=mechanical_detuning)
    g0 = rates(params, kappa_scale)[f"g0_{cavity}"]
    return (np.abs(val.finite_complex("G", G)) / g0) ** 2 / np.abs(unit) ** 2


def point_tone_powers(kw: dict[str, Any], params: PaperAParameters | None = None) -> dict[str, float]:
    r"""Input power (W) of each of the four tones of a control point (:func:`tone_power` for every coupling).

    ``kw`` are :func:`two_tone_model` keyword arguments (as returned by :func:`recommended_point`); a tone
    enters through cavity :math:`j`'s own port when ``kw["port_rate_j"] > 0``, else through the cascade fibre.
    """
    out = {}
    for key in COUPLINGS:
        cav = key[-1]
        port = kw.get(f"port_rate_{cav}", 0.0)
        out[key] = float(tone_power(kw[key], cavity=cav, sign="+" if "plus" in key else "-", params=params,
                                    detuning=kw.get(f"detuning_{cav}", 0.0), port_rate=port if port > 0 else None,
                                    mechanical_detuning=kw.get(f"mechanical_detuning_{cav}", 0.0)))
    return out


def same_fibre_couplings(
    power_minus: Any,
    power_plus: Any,
    *,
    params: PaperAParameters | None = None,
    kappa_scale: Any = 1.0,
    detuning_l: Any = 0.0,
    detuning_r: Any = 0.0,
    direction: str = "left",
    mechanical_detuning: Any = 0.0,
    tone_phase_split: Any = 0.0,
) -> dict[str, Any]:
    r"""Geometry S2: both tones enter the cascade fibre; couplings of both cavities.

    Tone :math:`\pm` (input power ``power_plus``/``power_minus``) reaches cavity 1 with
    :math:`\varepsilon^\pm`, leaves it as :math:`t_1^\pm\varepsilon^\pm`,
    :math:`t_1^\pm = 1 - \kappa_{ex,1}/(\kappa_1/2 + i\Delta_1^\pm)` (paper A's Eqs. (6), (10)), and reaches
    cavity 2 as :math:`\sqrt\eta\,e^{i(\varphi\pm\theta)}t_1^\pm\varepsilon^\pm`, with
    :math:`\theta` = ``tone_phase_split`` (:math:`\omega_m\tau` for a fibre delay :math:`\tau`;
    0 in the Markov limit that the cascade assumes).  The tones sit at
    :math:`\omega_c\pm(\omega_m-\mu)` (``mechanical_detuning`` :math:`\mu`, the same for both
    cavities since they share the tones), so :math:`\Delta_j^\pm = \delta_j \mp (\omega_m - \mu)`.

    Returns
    -------
    dict
        ``G_minus_l, G_plus_l, G_minus_r, G_plus_r`` (complex, rad/s, for :func:`two_tone_model`),
        ``photons_l, photons_r`` (total intracavity photons of both tones),
        ``transmission_plus, transmission_minus`` (:math:`t_1^\pm`).
    """
    check_direction(direction)
    r = rates(params, kappa_scale)
    one, two = ("l", "r") if direction == "left" else ("r", "l")
    det = {"l": val.real_array("detuning_l", detuning_l), "r": val.real_array("detuning_r", detuning_r)}
    theta = val.real_array("tone_phase_split", tone_phase_split)
    shift = r["omega_m"] - val.real_array("mechanical_detuning", mechanical_detuning)
    out: dict[str, Any] = {}
    photons = {"l": 0.0, "r": 0.0}
    for power, s in ((power_plus, 1.0), (power_minus, -1.0)):
        eps = np.sqrt(val.nonnegative(f"power_{'plus' if s > 0 else 'minus'}", power)
                      / (constants.hbar * r["omega_c"]))
        d1 = det[one] - s * shift
        d2 = det[two] - s * shift
        a1 = np.sqrt(r[f"kappa_ex_{one}"]) * eps / (r[f"kappa_{one}"] / 2 + 1j * d1)
        t1 = 1 - r[f"kappa_ex_{one}"] / (r[f"kappa_{one}"] / 2 + 1j * d1)
        eps2 = np.sqrt(r["eta"]) * np.exp(1j * (r["phi"] + s * theta)) * t1 * eps
        a2 = np.sqrt(r[f"kappa_ex_{two}"]) * eps2 / (r[f"kappa_{two}"] / 2 + 1j * d2)
        name = "plus" if s > 0 else "minus"
        out[f"G_{name}_{one}"] = r[f"g0_{one}"] * a1
        out[f"G_{name}_{two}"] = r[f"g0_{two}"] * a2
        out[f"transmission_{name}"] = t1
        photons[one] = photons[one] + np.abs(a1) ** 2
        photons[two] = photons[two] + np.abs(a2) ** 2
    out["photons_l"], out["photons_r"] = photons["l"], photons["r"]
    return out


def mechanical_entanglement(model: GaussianModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Steady-state :math:`E_N(b_l|b_r)`, :math:`2\tilde\nu_-` and stability, batched.

    :math:`E_N = \max(0, -\ln 2\tilde\nu_-)` of the mechanical block (modes 2, 3) of the
    Lyapunov steady state (Eq. (19) of paper A, Eq. (20) for :math:`E_N`).

    Returns
    -------
    E_N, two_nu : ndarray
        NaN at unstable points (no steady state exists there).
    stable : ndarray of bool
    """
    a, d = model.drift_and_diffusion()
    v = steady_state_covariance(a, d, on_unstable="mask")
    stable = ~np.ma.getmaskarray(v).any(axis=(-1, -2))
    en = np.ma.filled(np.ma.asarray(log_negativity(v, 2, 3)).astype(float), np.nan)
    nu = np.ma.filled(np.ma.asarray(min_pt_symplectic_eigenvalue(v, 2, 3)).astype(float), np.nan)
    return en, 2 * nu, stable


def steady_state_summary(model: GaussianModel) -> dict[str, Any]:
    r"""Everything the report needs at (a batch of) points: :math:`E_N`, :math:`2\tilde\nu_-`,
    occupations :math:`\langle\delta a^\dagger\delta a\rangle`, :math:`\langle b^\dagger b\rangle`,
    stability margin (max Re eig A, in the model's rate unit) and the covariance (masked)."""
    a, d = model.drift_and_diffusion()
    v = steady_state_covariance(a, d, on_unstable="mask")
    stable = ~np.ma.getmaskarray(v).any(axis=(-1, -2))
    out: dict[str, Any] = dict(stable=stable, margin=stability_margin(a), covariance=v)
    out["E_N"] = np.ma.filled(np.ma.asarray(log_negativity(v, 2, 3)).astype(float), np.nan)
    out["two_nu"] = 2 * np.ma.filled(np.ma.asarray(min_pt_symplectic_eigenvalue(v, 2, 3)).astype(float), np.nan)
    for k, name in enumerate(MODES):
        out[f"n_{name}"] = np.ma.filled(np.ma.asarray(mean_occupation(v, k)).astype(float), np.nan)
    return out


def fock_judge(
    model: GaussianModel,
    truncation: Sequence[int],
    *,
    method: Literal["iterative", "direct", "power"] = "iterative",
) -> dict[str, Any]:
    r"""Solve the same declaration in truncated Fock space (QuTiP) and compare with the Gaussian state.

    Returns
    -------
    dict
        ``E_N_fock`` (:math:`\ln\lVert\rho^{T_{b_r}}\rVert_1` of the reduced mechanical state),
        ``E_N_fock_gaussian`` (Gaussian formula on the Fock covariance), ``E_N_gauss``,
        ``max_dV`` (max :math:`|V_\mathrm{Fock} - V_\mathrm{Gauss}|` over all 8x8 entries),
        ``top_populations`` (population of the highest kept level per mode), ``seconds``,
        ``truncation``, ``V_fock``, ``V_gauss``.
    """
    if model.batch_shape != ():
        raise OptolibError(f"fock_judge needs a scalar model, got batch shape {model.batch_shape}")
    t0 = time.perf_counter()
    rho = steady_state(model, tuple(truncation), method=method)
    seconds = time.perf_counter() - t0
    v_fock = covariance_from_state(rho)
    v_gauss = steady_state_covariance(*model.drift_and_diffusion())
    mech = rho.ptrace([2, 3])
    return dict(
        truncation=tuple(int(t) for t in truncation),
        E_N_fock=fock_log_negativity(mech, 1),
        E_N_fock_gaussian=float(log_negativity(reduce_covariance(v_fock, (2, 3)), 0, 1, check="warn")),
        E_N_gauss=float(log_negativity(v_gauss, 2, 3)),
        max_dV=float(np.abs(v_fock - v_gauss).max()),
        top_populations=top_level_populations(rho),
        seconds=seconds,
        V_fock=v_fock,
        V_gauss=v_gauss,
    )


#: The recommended control point (geometry S1, paper A's rates, T = 0), in units of
#: :math:`\omega_m`: cavity l gets both tones (:math:`G_l^+/G_l^- = 1/3`), cavity r only the red
#: tone.  Found by random search + Nelder-Mead over the S1 variables of ``scripts/two_tone_study.py``
#: maximising :math:`E_N` with the hard penalty :math:`10\max(0, \max_j n_{b_j} - 0.12)` (so that QuTiP
#: converges at truncation (2, 2, 6, 6)), then rounded.
RECOMMENDED_OMEGA_M_UNITS: dict[str, float] = dict(
    G_minus_l=0.0114, G_plus_l=0.0038, G_minus_r=0.0170, G_plus_r=0.0,
    detuning_l=0.067, detuning_r=0.195, mechanical_detuning_l=-0.0064, mechanical_detuning_r=0.0072,
)


#: S1 drive ports couple at this fraction of :math:`\kappa_{ex,j}` (:math:`\kappa_{p,j} = 0.1\,\kappa_{ex,j}`): a weakly
#: coupled port adds little loss but needs more power (the book tabulates the trade-off).  The control
#: points were found with lossless ports (``scripts/two_tone_study.py``); the port loss lowers their
#: :math:`E_N` (0.332 -> 0.304 at :data:`RECOMMENDED_OMEGA_M_UNITS`, 0.459 -> 0.416 at :data:`THERMAL_OMEGA_M_UNITS`).
PORT_RATIO = 0.1


def _with_ports(kw: dict[str, Any], params: PaperAParameters, port_ratio: float) -> dict[str, Any]:
    ratio = float(val.nonnegative("port_ratio", port_ratio))
    kw["port_rate_l"] = ratio * float(params.kappa_ex_l)
    kw["port_rate_r"] = ratio * float(params.kappa_ex_r)
    return kw


def recommended_point(temperature: float = 0.0, *, port_ratio: float = PORT_RATIO
                      ) -> tuple[dict[str, Any], PaperAParameters]:
    r"""Keyword arguments (rad/s) for :func:`two_tone_model` at the recommended control point.

    The drive ports couple at ``port_ratio`` times :math:`\kappa_{ex,j}` (:data:`PORT_RATIO`; 0: lossless ports).

    Returns
    -------
    kwargs, params : dict, PaperAParameters
        ``two_tone_model(**kwargs, params=params)`` is the control; ``params`` is paper A's set at
        ``temperature`` (K).
    """
    params = paper_a_parameters(temperature=temperature)
    wm = float(params.omega_m_l)
    return _with_ports({k: v * wm for k, v in RECOMMENDED_OMEGA_M_UNITS.items()}, params, port_ratio), params


def recommended_model(temperature: float = 0.0, *, direction: str = "left", rate_unit: float = 1.0,
                      power_scale: Any = 1.0, port_ratio: float = PORT_RATIO) -> GaussianModel:
    r"""The recommended control point as a model; ``power_scale`` multiplies every tone power
    (every :math:`G` by its square root); ``rate_unit`` as in :func:`two_tone_model`, ``port_ratio`` as in
    :func:`recommended_point`."""
    kw, params = recommended_point(temperature, port_ratio=port_ratio)
    s = np.sqrt(val.nonnegative("power_scale", power_scale))
    for key in COUPLINGS:
        kw[key] = s * kw[key]
    return two_tone_model(**kw, params=params, direction=direction, rate_unit=rate_unit)


def _counter_rotating_drifts(gml: complex, gpl: complex, gmr: complex, gpr: complex) -> list[np.ndarray]:
    r"""Drift matrices :math:`A_{c,j}, A_{s,j}` of the terms the RWA drops (see :func:`rwa_check`)."""
    out = []
    for j, (gm, gp) in enumerate(((gml, gpl), (gmr, gpr))):
        for phase in (1.0, 1j):  # cos part, sin part
            m = GaussianModel(MODES)
            a, b = m.ops[j], m.ops[2 + j]
            # H_cr(t) = -[a^dag (G^+ e^{-2iwt} b + G^- e^{2iwt} b^dag) + h.c.]
            #         = cos(2wt) H_c + sin(2wt) H_s,  H_c: (G^+, G^-),  H_s: (-i G^+, +i G^-)
            cp, cm = (gp, gm) if phase == 1.0 else (-1j * gp, 1j * gm)
            m.hamiltonian = -(a.dag() * (cp * b + cm * b.dag())).plus_hc()
            out.append(m.drift_matrix())
    return out


def rwa_check(
    G_minus_l: complex,
    G_plus_l: complex,
    G_minus_r: complex,
    G_plus_r: complex,
    *,
    params: PaperAParameters | None = None,
    n_samples: int = 64,
    max_denominator: int = 200,
    rtol: float = 1e-9,
    **model_kwargs: Any,
) -> dict[str, Any]:
    r"""Put back the :math:`2\omega_m` terms the RWA drops and find the periodic steady state (Floquet).

    In the frame of :func:`two_tone_model` the full linearised coupling adds
    :math:`H_\mathrm{cr}(t) = -\sum_j[a_j^\dagger(G_j^+ e^{-2i\omega_j' t} b_j + G_j^- e^{2i\omega_j' t} b_j^\dagger)
    + \mathrm{h.c.}]` with :math:`\omega_j' = \omega_m - \mu_j` (the tones' half splitting), so
    :math:`A(t) = A_\mathrm{RWA} + \sum_j [\cos(2\omega_j't)A_{c,j} + \sin(2\omega_j't)A_{s,j}]`, periodic
    with the common period :math:`T = n\pi/\omega_l' = m\pi/\omega_r'` (:math:`n/m` the rational
    approximation of :math:`\omega_l'/\omega_r'`; its relative error is reported).  The monodromy
    :math:`\Phi` and :math:`Q = \int_0^T\Phi(T,s)D\Phi(T,s)^T ds` are integrated over one period
    (:math:`\dot\Phi = A\Phi`, :math:`\dot Q = AQ + QA^T + D`), the periodic state solves
    :math:`V_0 = \Phi V_0\Phi^T + Q`, and :math:`V(t)` is sampled at ``n_samples`` times per fast
    period :math:`\pi/\omega_l'` over the last one.  Still neglected: the mean-field beat at :math:`2\omega_m`.

    Returns
    -------
    dict
        ``E_N_rwa``, ``E_N_mean``, ``E_N_min``, ``E_N_max`` (over the samples), ``n_b_mean`` (both
        oscillators), ``n_b_rwa``, ``floquet_multiplier`` (largest :math:`|\mathrm{eig}\,\Phi|`, < 1 = stable),
        ``period`` (units of :math:`1/\omega_m`), ``ratio`` (n, m), ``frequency_mismatch``.
    """
    from fractions import Fraction

    import scipy.integrate
    import scipy.linalg

    p = paper_a_parameters() if params is None else params
    wm = float(p.omega_m_l)
    kwargs = dict(model_kwargs, params=p, rate_unit=wm)
    rwa = two_tone_model(G_minus_l, G_plus_l, G_minus_r, G_plus_r, **kwargs)
    a0, d = rwa.drift_and_diffusion()
    g = [complex(val.finite_complex(n, v)) / wm for n, v in (("G_minus_l", G_minus_l), ("G_plus_l", G_plus_l),
                                                              ("G_minus_r", G_minus_r), ("G_plus_r", G_plus_r))]
    acl, asl, acr, asr = _counter_rotating_drifts(*g)
    wl = 1.0 - float(model_kwargs.get("mechanical_detuning_l", 0.0)) / wm
    wr = 1.0 - float(model_kwargs.get("mechanical_detuning_r", 0.0)) / wm
    frac = Fraction(wl / wr).limit_denominator(max_denominator)
    n, m = frac.numerator, frac.denominator
    period = n * np.pi / wl
    mismatch = abs(n * np.pi / wl - m * np.pi / wr) / period

    def drift(t: float) -> np.ndarray:
        return (a0 + np.cos(2 * wl * t) * acl + np.sin(2 * wl * t) * asl
                + np.cos(2 * wr * t) * acr + np.sin(2 * wr * t) * asr)

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        a = drift(t)
        phi, q = y[:64].reshape(8, 8), y[64:].reshape(8, 8)
        return np.concatenate([(a @ phi).ravel(), (a @ q + q @ a.T + d).ravel()])

    y0 = np.concatenate([np.eye(8).ravel(), np.zeros(64)])
    sol = scipy.integrate.solve_ivp(rhs, (0.0, period), y0, method="DOP853", rtol=rtol, atol=rtol * 1e-3)
    phi, q = sol.y[:64, -1].reshape(8, 8), sol.y[64:, -1].reshape(8, 8)
    multiplier = float(np.abs(np.linalg.eigvals(phi)).max())
    if multiplier >= 1:
        raise OptolibError(f"the full (non-RWA) model is unstable: Floquet multiplier {multiplier:.6g} >= 1")
    v0 = scipy.linalg.solve_discrete_lyapunov(phi, q)
    v0 = 0.5 * (v0 + v0.T)
    t_fast = np.pi / wl
    t_eval = period - t_fast + t_fast * np.arange(n_samples) / n_samples
    t_eval = np.r_[t_eval, period]

    def rhs_v(t: float, y: np.ndarray) -> np.ndarray:
        a = drift(t)
        v = y.reshape(8, 8)
        return (a @ v + v @ a.T + d).ravel()

    sol_v = scipy.integrate.solve_ivp(rhs_v, (0.0, period), v0.ravel(), method="DOP853", t_eval=t_eval,
                                      rtol=rtol, atol=rtol * 1e-3)
    vs = sol_v.y.T.reshape(-1, 8, 8)[:-1]
    vs = 0.5 * (vs + np.swapaxes(vs, -1, -2))
    en = log_negativity(vs, 2, 3)
    v_rwa = steady_state_covariance(a0, d)
    return dict(
        E_N_rwa=float(log_negativity(v_rwa, 2, 3)), E_N_mean=float(en.mean()), E_N_min=float(en.min()),
        E_N_max=float(en.max()),
        n_b_mean=np.array([mean_occupation(vs, 2).mean(), mean_occupation(vs, 3).mean()]),
        n_b_rwa=np.array([float(mean_occupation(v_rwa, 2)), float(mean_occupation(v_rwa, 3))]),
        floquet_multiplier=multiplier, period=period, ratio=(n, m), frequency_mismatch=mismatch,
        periodicity_error=float(np.abs(sol_v.y[:, -1].reshape(8, 8) - v0).max()),
    )


#: A control that survives paper A's temperature (T = 0.1 K, :math:`\bar n = 23`), geometry S1,
#: paper A's rates, in units of :math:`\omega_m`: best point of the search with occupation cap 1
#: (``scripts/two_tone_study.py --cap 1``, data/two_tone/study_cap1.json: 0.458), rounded.
#: Occupations 1.0 and 0.56 are beyond a QuTiP check that fits in a minute: Gaussian only (and
#: :func:`rwa_check`: 0.419 with the :math:`2\omega_m` terms).
THERMAL_OMEGA_M_UNITS: dict[str, Any] = dict(
    G_minus_l=0.0456, G_plus_l=0.0404, G_minus_r=0.0690, G_plus_r=0.0066 - 0.0009j,
    detuning_l=-0.128, detuning_r=0.101, mechanical_detuning_l=-0.083, mechanical_detuning_r=0.083,
)

#: Geometry S2 (both tones in the cascade fibre) at T = 0.1 K with resolved sidebands (all optical
#: rates of paper A times ``kappa_scale`` = 0.2, :math:`\kappa_l/\omega_m = 0.095`): the optimum of
#: ``scripts/two_tone_study.py --cap 1`` (data/two_tone/study_cap1.json: 0.161), rounded.  Powers in W (into the fibre),
#: detunings in units of :math:`\omega_m`; the fibre phase drops out (S2 test).  With paper A's own
#: linewidths the S2 optima of the RWA search are unstable once the :math:`2\omega_m` terms are put
#: back (:func:`rwa_check`, data/two_tone/study_rwa.json), so S2 needs resolved sidebands.
S2_POINT: dict[str, float] = dict(
    power_minus=0.0323, power_plus=0.00062, phi=0.0, detuning_l=0.1085, detuning_r=0.0501,
    mechanical_detuning=0.0182, kappa_scale=0.2,
)


def thermal_point(temperature: float = 0.1, *, port_ratio: float = PORT_RATIO
                  ) -> tuple[dict[str, Any], PaperAParameters]:
    """Keyword arguments (rad/s) for :func:`two_tone_model` at :data:`THERMAL_OMEGA_M_UNITS` (ports as in
    :func:`recommended_point`)."""
    params = paper_a_parameters(temperature=temperature)
    wm = float(params.omega_m_l)
    return _with_ports({k: v * wm for k, v in THERMAL_OMEGA_M_UNITS.items()}, params, port_ratio), params


def s2_model(temperature: float = 0.1, *, power_scale: Any = 1.0, phi: Any = None,
             direction: str = "left") -> GaussianModel:
    r"""Geometry S2 at :data:`S2_POINT`: both tone powers times ``power_scale``; ``phi`` overrides
    the fibre phase; ``direction="right"`` sends the same tones in from the other end."""
    pt = S2_POINT
    params = paper_a_parameters(temperature=temperature, phi=pt["phi"] if phi is None else phi)
    wm = float(params.omega_m_l)
    s = val.nonnegative("power_scale", power_scale)
    ex = dict(detuning_l=pt["detuning_l"] * wm, detuning_r=pt["detuning_r"] * wm)
    mu = pt["mechanical_detuning"] * wm
    ks = pt["kappa_scale"]
    c = same_fibre_couplings(s * pt["power_minus"], s * pt["power_plus"], params=params, direction=direction,
                             mechanical_detuning=mu, kappa_scale=ks, **ex)
    g = {k: c[k] for k in COUPLINGS}
    return two_tone_model(**g, **ex, mechanical_detuning_l=mu, mechanical_detuning_r=mu, params=params,
                          direction=direction, kappa_scale=ks)


def control_figure_data(
    *, n_points: int = 121, fock_truncation: Sequence[int] | None = (2, 2, 5, 5)
) -> dict[str, Any]:
    r"""Data for figure ``A-control``: :math:`E_N(b_l|b_r)` vs tone power for the three control points.

    Every tone power is multiplied by ``power_scale`` (all :math:`G\propto\sqrt{\rm scale}`) at
    :data:`RECOMMENDED_OMEGA_M_UNITS` ("S1, QuTiP point"), :data:`THERMAL_OMEGA_M_UNITS`
    ("S1, 0.1 K point") and :data:`S2_POINT` ("S2, one fibre", resolved sidebands), at T = 0 and 0.1 K, both cascade
    directions; plus :math:`E_N` vs the fibre phase :math:`\varphi` for S2, the QuTiP judge of the
    recommended point (:func:`fock_judge`, skipped if ``fock_truncation`` is None) and the RWA check
    (:func:`rwa_check`) of the recommended point.

    Returns
    -------
    dict
        ``power_scale`` (n,), ``curves``: {point: {f"T={T}": {direction: {"E_N", "two_nu", "stable"}}}},
        ``powers_W``: {point: {tone: W at scale 1}}, ``phi`` and ``E_N_vs_phi`` (S2, T = 0.1 K),
        ``fock`` (dict or None), ``rwa`` (dict).
    """
    scale = np.geomspace(0.1, 10.0, int(n_points))
    curves: dict[str, Any] = {}
    powers: dict[str, Any] = {}
    wm = float(paper_a_parameters().omega_m_l)
    for name in ("S1, QuTiP point", "S1, 0.1 K point", "S2, one fibre (kappa x 0.2)"):
        curves[name] = {}
        for temperature in (0.0, 0.1):
            curves[name][f"T={temperature:g}"] = {}
            for direction in ("left", "right"):
                if name.startswith("S2"):
                    model = s2_model(temperature, power_scale=scale, direction=direction)
                else:
                    kw, params = (recommended_point if name.endswith("QuTiP point") else thermal_point)(temperature)
                    root = np.sqrt(scale)
                    for key in COUPLINGS:
                        kw[key] = root * kw[key]
                    model = two_tone_model(**kw, params=params, direction=direction)
                en, two_nu, stable = mechanical_entanglement(model)
                curves[name][f"T={temperature:g}"][direction] = dict(E_N=en, two_nu=two_nu, stable=stable)
        if name.startswith("S2"):
            powers[name] = dict(fibre_minus=S2_POINT["power_minus"], fibre_plus=S2_POINT["power_plus"])
        else:
            powers[name] = point_tone_powers(*(recommended_point if name.endswith("QuTiP point")
                                               else thermal_point)(0.0))
    phi = np.linspace(0, 2 * np.pi, 73)
    en_phi, _, _ = mechanical_entanglement(s2_model(0.1, phi=phi))
    fock_result = None
    if fock_truncation is not None:
        fock_result = fock_judge(recommended_model(0.0, rate_unit=wm), fock_truncation)
    kw, params = recommended_point(0.0)
    g = [kw.pop(k) for k in COUPLINGS]
    return dict(power_scale=scale, curves=curves, powers_W=powers, phi=phi, E_N_vs_phi=en_phi,
                fock=fock_result, rwa=rwa_check(*g, params=params, n_samples=16, **kw))
