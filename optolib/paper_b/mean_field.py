r"""Self-consistent mean fields of paper B, Eq. (10) / (A3), batched and with every root.

The steady-state amplitudes solve (paper B, Eq. (10), with the factor :math:`i` that Eq. (10)
drops in the cavity denominators restored, see below)

.. math::
    p_s = 0,\qquad q_s = \frac{G_0(|\alpha_{cw}|^2 + |\alpha_{ccw}|^2)}{\omega_m},\qquad
    (i\tilde\Delta_j + \kappa)\,\alpha_j = -iG_a c_s + \epsilon_j,\qquad
    c_s = \frac{-iG_a(\alpha_{ccw} + \alpha_{cw})}{i\Delta_a + \gamma_a},

with :math:`\tilde\Delta_j = \Delta_j - G_0 q_s` and :math:`\epsilon_j = \epsilon` for the
driven mode, 0 for the other.  These follow from setting the time derivatives of the
Langevin equations (5)/(A2) to zero.  Two misprints are corrected here and documented in the
book: Eq. (10) writes the denominators as :math:`\tilde\Delta_j + \kappa` (no :math:`i`; the
expression would then not even be a solution of Eq. (5)), and Eq. (A3) writes them with the
*bare* :math:`\Delta_j`, i.e. without the radiation-pressure shift :math:`G_0 q_s` that Eq. (10)
and (A4) contain.  Both readings are available: ``radiation_pressure=True`` (Eq. (10),
default) and ``radiation_pressure=False`` (Eq. (A3): :math:`q_s` is then still reported, but
not fed back into the detunings).

Method.  For a given radiation-pressure shift :math:`s = G_0 q_s` the amplitudes are the
solution of a 3x3 linear system; eliminating :math:`c_s`,

.. math::
    \alpha_{ccw} = \frac{(d_a d_{cw} + G_a^2)\epsilon_{ccw} - G_a^2\epsilon_{cw}}{\mathcal D},\quad
    \alpha_{cw} = \frac{(d_a d_{ccw} + G_a^2)\epsilon_{cw} - G_a^2\epsilon_{ccw}}{\mathcal D},\quad
    \mathcal D = d_a d_{ccw} d_{cw} + G_a^2(d_{ccw} + d_{cw}),

with :math:`d_j = i(\Delta_j - s) + \kappa` and :math:`d_a = i\Delta_a + \gamma_a`.  The
self-consistency :math:`s\,\omega_m = G_0^2 N(s)` then becomes the real quintic
:math:`\omega_m s\,|\mathcal D|^2 - G_0^2(|n_{ccw}|^2 + |n_{cw}|^2) = 0` in :math:`s`
(numerators :math:`n_j`).  All of its real roots are found at once, for a whole batch, as
eigenvalues of companion matrices (in units of :math:`\omega_m`, where the coefficients are of
order one) and polished by Newton steps.  More than one non-negative real root means optical
multistability; :attr:`MeanField.n_solutions` reports it and ``branch`` selects one.

Public API:

MeanField, solve_mean_field, eq10_residual, atomic_excitation_fraction
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .. import _validation as val
from ..errors import OptolibError
from .parameters import Parameters, check_case, driven_mode, mode_detunings

__all__ = ["MeanField", "atomic_excitation_fraction", "eq10_residual", "solve_mean_field"]


@dataclass(frozen=True)
class MeanField:
    r"""Steady-state mean fields of one driving case (arrays over the parameter batch).

    Attributes
    ----------
    case : str
        ``"static"``, ``"cw"`` or ``"ccw"``.
    alpha_ccw, alpha_cw, c_s : ndarray, complex
        Intracavity and atomic amplitudes (dimensionless, :math:`|\alpha|^2` photons).
    q_s : ndarray
        Static dimensionless displacement :math:`q_s = G_0 N/\omega_m` (always computed).
    shift : ndarray
        Radiation-pressure shift of the detunings actually used, :math:`G_0 q_s` (rad/s);
        zero when ``radiation_pressure=False``.
    delta_eff_ccw, delta_eff_cw : ndarray
        Effective detunings :math:`\tilde\Delta_j = \Delta_j - \mathrm{shift}` (rad/s).
    n_solutions : ndarray of int
        Number of non-negative real self-consistent solutions (1 unless multistable).
    radiation_pressure : bool
        Whether :math:`G_0 q_s` was fed back into the detunings (Eq. (10)) or not (Eq. (A3)).
    """

    case: str
    alpha_ccw: np.ndarray
    alpha_cw: np.ndarray
    c_s: np.ndarray
    q_s: np.ndarray
    shift: np.ndarray
    delta_eff_ccw: np.ndarray
    delta_eff_cw: np.ndarray
    n_solutions: np.ndarray
    radiation_pressure: bool

    @property
    def alpha_driven(self) -> np.ndarray:
        """Amplitude of the driven cavity mode."""
        return self.alpha_cw if driven_mode(self.case) == "cw" else self.alpha_ccw

    @property
    def alpha_undriven(self) -> np.ndarray:
        """Amplitude of the undriven cavity mode (populated only through the atoms)."""
        return self.alpha_ccw if driven_mode(self.case) == "cw" else self.alpha_cw

    @property
    def photon_number(self) -> np.ndarray:
        r""":math:`|\alpha_{cw}|^2 + |\alpha_{ccw}|^2`."""
        return np.abs(self.alpha_cw) ** 2 + np.abs(self.alpha_ccw) ** 2


def _pmul(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Product of batched polynomials (ascending coefficients on the last axis)."""
    n, m = p.shape[-1], q.shape[-1]
    shape = np.broadcast_shapes(p.shape[:-1], q.shape[:-1])
    out = np.zeros((*shape, n + m - 1), dtype=np.result_type(p, q))
    for i in range(n):
        out[..., i : i + m] += p[..., i : i + 1] * q
    return out


def _pad(p: np.ndarray, length: int) -> np.ndarray:
    return np.concatenate([p, np.zeros((*p.shape[:-1], length - p.shape[-1]), dtype=p.dtype)], axis=-1)


def _abs2(p: np.ndarray) -> np.ndarray:
    """Coefficients of |p(x)|^2 for real x (real polynomial)."""
    return _pmul(p, np.conj(p)).real


def _peval(c: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Horner evaluation of batched polynomials ``c`` (ascending) at ``x`` (batch shape)."""
    out = np.zeros(np.broadcast_shapes(c.shape[:-1], np.shape(x)), dtype=np.result_type(c, x))
    for k in range(c.shape[-1] - 1, -1, -1):
        out = out * x + c[..., k]
    return out


def _real_roots(coeffs: np.ndarray) -> np.ndarray:
    """Real roots of batched real polynomials with positive leading coefficient, NaN-padded, sorted."""
    deg = coeffs.shape[-1] - 1
    monic = coeffs[..., :-1] / coeffs[..., -1:]
    comp = np.zeros((*coeffs.shape[:-1], deg, deg))
    comp[..., np.arange(1, deg), np.arange(deg - 1)] = 1.0
    comp[..., :, -1] = -monic
    roots = np.linalg.eigvals(comp)
    scale = 1.0 + np.abs(roots)
    real = np.where(np.abs(roots.imag) < 1e-6 * scale, roots.real, np.nan)
    deriv = coeffs[..., 1:] * np.arange(1, deg + 1)
    for _ in range(4):  # Newton polish of the (nearly) real roots
        f = _peval(coeffs[..., None, :], real)
        fp = _peval(deriv[..., None, :], real)
        step = np.divide(f, fp, out=np.zeros_like(f), where=np.abs(fp) > 0)
        real = real - step
    return np.sort(real, axis=-1)  # NaN last


def _as(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _check_params(params: Any) -> None:
    if not isinstance(params, Parameters):
        raise OptolibError(f"params must be a paper B Parameters, got {type(params).__name__}")


def solve_mean_field(
    params: Parameters,
    case: str,
    *,
    radiation_pressure: bool = True,
    branch: Literal["lowest", "highest"] = "lowest",
) -> MeanField:
    r"""Solve Eq. (10) (or (A3)) of paper B for every point of a parameter batch.

    Parameters
    ----------
    params : Parameters
        Fields may be arrays; everything broadcasts.
    case : {"static", "cw", "ccw"}
        Driving situation (:mod:`optolib.paper_b.parameters`).
    radiation_pressure : bool
        ``True``: :math:`\tilde\Delta_j = \Delta_j - G_0 q_s` self-consistently (Eq. (10), (A4)).
        ``False``: bare detunings in the amplitudes (Eq. (A3)); :math:`q_s` is still computed.
    branch : {"lowest", "highest"}
        Which solution to return where several exist (smallest or largest :math:`q_s`).

    Returns
    -------
    MeanField
    """
    _check_params(params)
    check_case(case)
    if branch not in ("lowest", "highest"):
        raise OptolibError(f"branch must be 'lowest' or 'highest', got {branch!r}")
    wm = _as(params.omega_m)
    d_ccw0, d_cw0 = mode_detunings(params, case)
    kappa = _as(params.kappa) / wm
    g0 = _as(params.coupling_single_photon) / wm
    ga2 = (_as(params.coupling_atoms) / wm) ** 2
    da = (1j * _as(params.delta_a) + _as(params.gamma_a)) / wm
    eps = _as(params.drive) / wm
    drive_ccw, drive_cw = (eps, 0.0 * eps) if driven_mode(case) == "ccw" else (0.0 * eps, eps)
    shape = np.broadcast_shapes(*(np.shape(x) for x in (d_ccw0, d_cw0, wm, kappa, g0, ga2, da, eps)))

    def b(x: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(x), shape)

    # polynomials in the dimensionless shift x = G_0 q_s / omega_m (ascending coefficients)
    p_ccw = np.stack([b(1j * d_ccw0 / wm + kappa), b(-1j + 0 * kappa)], axis=-1)
    p_cw = np.stack([b(1j * d_cw0 / wm + kappa), b(-1j + 0 * kappa)], axis=-1)
    da_, ga2_ = b(da)[..., None], b(ga2)[..., None]
    den = da_ * _pmul(p_ccw, p_cw) + ga2_ * _pad(p_ccw + p_cw, 3)
    num_ccw = (da_ * p_cw + _pad(ga2_, 2)) * b(drive_ccw)[..., None] - _pad(ga2_ * b(drive_cw)[..., None], 2)
    num_cw = (da_ * p_ccw + _pad(ga2_, 2)) * b(drive_cw)[..., None] - _pad(ga2_ * b(drive_ccw)[..., None], 2)

    def amplitudes(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        dd = _peval(den, x)
        a_ccw, a_cw = _peval(num_ccw, x) / dd, _peval(num_cw, x) / dd
        c = -1j * np.sqrt(b(ga2)) * (a_ccw + a_cw) / b(da)
        return a_ccw, a_cw, c

    if radiation_pressure:
        g02 = b(g0**2)[..., None]
        poly = _pmul(np.stack([np.zeros(shape), np.ones(shape)], axis=-1), _abs2(den)) \
            - g02 * _pad(_abs2(num_ccw) + _abs2(num_cw), 6)
        roots = _real_roots(poly)
        ok = np.isfinite(roots) & (roots >= -1e-12)
        n_sol = ok.sum(axis=-1)
        if np.any(n_sol == 0):
            raise OptolibError("no non-negative real solution of Eq. (10) found at "
                               f"{int((n_sol == 0).sum())} point(s); check the parameters")
        pick = np.where(ok, roots, np.inf if branch == "lowest" else -np.inf)
        x = pick.min(axis=-1) if branch == "lowest" else pick.max(axis=-1)
        x = np.maximum(x, 0.0)
    else:
        x = np.zeros(shape)
        n_sol = np.ones(shape, dtype=int)
    a_ccw, a_cw, c = amplitudes(x)
    n_ph = np.abs(a_ccw) ** 2 + np.abs(a_cw) ** 2
    q_s = _as(params.coupling_single_photon) * n_ph / wm
    shift = x * wm
    return MeanField(
        case=case, alpha_ccw=a_ccw, alpha_cw=a_cw, c_s=c, q_s=q_s, shift=shift,
        delta_eff_ccw=d_ccw0 - shift, delta_eff_cw=d_cw0 - shift, n_solutions=n_sol,
        radiation_pressure=radiation_pressure,
    )


def eq10_residual(mf: MeanField, params: Parameters) -> np.ndarray:
    r"""Largest relative residual of the four equations of Eq. (10) at each point.

    Evaluated by direct substitution into the steady-state Langevin equations (5)
    (independent of the polynomial route of :func:`solve_mean_field`):
    :math:`(i\tilde\Delta_j + \kappa)\alpha_j + iG_ac_s - \epsilon_j`,
    :math:`(i\Delta_a + \gamma_a)c_s + iG_a(\alpha_{ccw} + \alpha_{cw})`, each relative to
    :math:`|\epsilon|`, and :math:`q_s - G_0 N/\omega_m` relative to :math:`q_s` (only when
    radiation pressure is included; otherwise the detunings must be the bare ones).
    """
    if not isinstance(mf, MeanField):
        raise OptolibError(f"mf must be a MeanField, got {type(mf).__name__}")
    _check_params(params)
    d_ccw0, d_cw0 = mode_detunings(params, mf.case)
    eps = _as(params.drive)
    e_ccw, e_cw = (eps, 0.0) if driven_mode(mf.case) == "ccw" else (0.0, eps)
    k, ga = _as(params.kappa), _as(params.coupling_atoms)
    r1 = (1j * mf.delta_eff_ccw + k) * mf.alpha_ccw + 1j * ga * mf.c_s - e_ccw
    r2 = (1j * mf.delta_eff_cw + k) * mf.alpha_cw + 1j * ga * mf.c_s - e_cw
    r3 = (1j * _as(params.delta_a) + _as(params.gamma_a)) * mf.c_s + 1j * ga * (mf.alpha_ccw + mf.alpha_cw)
    res = np.maximum.reduce([np.abs(r1), np.abs(r2), np.abs(r3)]) / eps
    n_ph = np.abs(mf.alpha_ccw) ** 2 + np.abs(mf.alpha_cw) ** 2
    g0 = _as(params.coupling_single_photon)
    if mf.radiation_pressure:
        r4 = np.abs(mf.shift / g0 - g0 * n_ph / _as(params.omega_m)) / np.maximum(mf.q_s, 1e-300)
        res = np.maximum(res, r4)
    else:
        res = np.maximum(res, np.abs(mf.delta_eff_ccw - d_ccw0) + np.abs(mf.delta_eff_cw - d_cw0))
    return res


def atomic_excitation_fraction(mf: MeanField, params: Parameters, single_atom_coupling: Any) -> np.ndarray:
    r"""Holstein-Primakoff validity: :math:`|c_s|^2/N_a` with :math:`N_a = (G_a/g)^2`.

    The low-excitation approximation of Eq. (4) needs :math:`\langle c^\dagger c\rangle/N_a \ll 1`.
    Since :math:`c_s \propto G_a`, the ratio depends only on the single-atom coupling :math:`g`:
    :math:`|c_s|^2/N_a = g^2|\alpha_{ccw} + \alpha_{cw}|^2/(\Delta_a^2 + \gamma_a^2)`.
    """
    g = val.positive("single_atom_coupling", single_atom_coupling)
    n_atoms = (_as(params.coupling_atoms) / g) ** 2
    return np.abs(mf.c_s) ** 2 / n_atoms
