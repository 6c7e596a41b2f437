r"""An independent Fock-space check of the cascaded model: Gardiner's master equation built by hand.

The Gaussian models of :mod:`optolib.paper_a.model` are *derived* from a
:class:`~optolib.GaussianModel` declaration.  Here the cascaded master equation is
written a second time, directly in the form in which Gardiner (PRL 70, 2269 (1993)) and
Carmichael (PRL 70, 2273 (1993)) derived it from input-output theory,

.. math::
    \dot\rho = -i[H_l + H_r, \rho] + \mathcal D[c_1]\rho + \mathcal D[c_2]\rho
               - [c_2^\dagger, c_1\rho] - [\rho c_1^\dagger, c_2] + \text{local losses},

with :math:`c_1 = \sqrt{\eta\kappa_{ex,1}}e^{i\varphi}a_1` the first cavity's output into the
fibre and :math:`c_2 = \sqrt{\kappa_{ex,2}}a_2` the second cavity's coupling to it (for left
input 1 = l, 2 = r).  It uses QuTiP superoperators (``spre``/``spost``), not the
:math:`\mathcal D[c_1 + c_2]` + :math:`H_\mathrm{casc}` form of the declaration, and none of
:mod:`optolib.model` or :func:`optolib.fock.to_qutip`.  Only the mean fields (Eq. (10)) are
shared.  Two variants:

* ``drive=True`` with :math:`g_0 = 0` (two cavity modes, undisplaced frame): the coherent
  drive :math:`i\sqrt{\kappa_{ex,1}}(\varepsilon a_1^\dagger - \mathrm{h.c.}) +
  i\sqrt{\eta\kappa_{ex,2}}(e^{i\varphi}\varepsilon a_2^\dagger - \mathrm{h.c.})` is included, so the
  steady state checks Eq. (10) *and* the noise (a coherent state has :math:`V = \mathbb 1/2`).
* ``drive=False``: the linearised optomechanical fluctuations (displaced frame, four modes).

Public API:

reduced_parameters, cascade_liouvillian, cascade_steady_state, declared_vs_gardiner
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import qutip
from scipy import constants

from ..errors import OptolibError
from ..fock import ladder_operators
from .mean_field import mean_fields
from .parameters import PaperAParameters, check_direction

__all__ = ["cascade_liouvillian", "cascade_steady_state", "declared_vs_gardiner", "reduced_parameters"]


def reduced_parameters(
    *,
    coupling: float = 0.1,
    delta: float = 1.0,
    kappa_0: float = 0.2,
    kappa_ex_l: float = 0.3,
    kappa_ex_r: float = 0.35,
    gamma_m: float = 0.05,
    n_thermal: float = 0.0,
    **changes: Any,
) -> tuple[PaperAParameters, float]:
    r"""A parameter point in units of :math:`\omega_{m,l} = 1` where Fock truncations converge.

    The drive power is set so that the left cavity's effective coupling
    :math:`G_l = g_{0,l}|\alpha_l|` (left input) equals ``coupling`` at detuning ``delta``;
    the mass is set so that :math:`g_{0,l} = 10^{-4}` (the linearised model depends on
    :math:`g_0\alpha` only).  The temperature gives the requested ``n_thermal`` at
    :math:`\omega_{m,l}`.

    Returns
    -------
    params, delta : PaperAParameters, float
    """
    base = PaperAParameters(omega_m=1.0, kappa_0=kappa_0, kappa_ex_l=kappa_ex_l, kappa_ex_r=kappa_ex_r,
                            gamma_m=gamma_m, **changes)
    g0_target = 1e-4
    # g0 = (omega_c / R) sqrt(hbar / (m omega_m))  =>  m = hbar (omega_c / R / g0)^2 / omega_m
    mass = constants.hbar * (base.omega_c / base.radius / g0_target) ** 2 / base.omega_m
    if base.g0_convention == "zpf":
        mass /= 2
    temperature = 0.0 if n_thermal == 0 else constants.hbar / (constants.k * np.log1p(1 / n_thermal))
    p = base.replace(mass=mass, temperature=temperature, power=1.0)
    mf = mean_fields(p, delta, "left")
    power = (coupling / float(mf.coupling_l)) ** 2  # N_l scales linearly with P
    return p.replace(power=power), float(delta)


def cascade_liouvillian(
    params: PaperAParameters,
    delta: float,
    direction: str = "left",
    truncation: Sequence[int] = (3, 3, 4, 4),
    *,
    drive: bool = False,
) -> qutip.Qobj:
    r"""Gardiner's cascaded Liouvillian (module docstring) in truncated Fock space.

    Parameters
    ----------
    params : PaperAParameters
        Scalar parameters.
    delta : float
        Effective detuning :math:`\Delta` (rad/s).
    direction : {"left", "right"}
    truncation : sequence of int
        Levels of ``(a_l, a_r)`` when ``drive=True``, else of ``(a_l, a_r, b_l, b_r)``.
    drive : bool
        Two driven cavities, :math:`g_0 = 0`, undisplaced frame (True), or the four-mode
        linearised fluctuations (False).
    """
    check_direction(direction)
    p = params
    mf = mean_fields(p, delta, direction)
    if mf.alpha_l.ndim:
        raise OptolibError(f"cascade_liouvillian needs scalar parameters, got shape {mf.alpha_l.shape}")
    dims = tuple(int(t) for t in truncation)
    if len(dims) != (2 if drive else 4):
        raise OptolibError(f"truncation must have {2 if drive else 4} entries, got {truncation!r}")
    ops = ladder_operators(dims)
    a_l, a_r = ops[0], ops[1]
    h = float(mf.detuning_l) * a_l.dag() * a_l + float(mf.detuning_r) * a_r.dag() * a_r
    eps, phase, eta = float(p.drive_amplitude), np.exp(1j * float(p.phi)), float(p.eta)
    k_l, k_r, k_0 = float(p.kappa_ex_l), float(p.kappa_ex_r), float(p.kappa_0)
    first, second, k1, k2 = (a_l, a_r, k_l, k_r) if direction == "left" else (a_r, a_l, k_r, k_l)
    if drive:
        h += 1j * np.sqrt(k1) * eps * (first.dag() - first)
        h += 1j * np.sqrt(eta * k2) * eps * (phase * second.dag() - np.conj(phase) * second)
    else:
        b_l, b_r = ops[2], ops[3]
        h += float(p.omega_m_l) * b_l.dag() * b_l + float(p.omega_m_r) * b_r.dag() * b_r
        for a, b, g, al in ((a_l, b_l, mf.g0_l, mf.alpha_l), (a_r, b_r, mf.g0_r, mf.alpha_r)):
            h -= float(g) * (complex(np.conj(al)) * a + complex(al) * a.dag()) * (b + b.dag())
    c1 = np.sqrt(eta * k1) * phase * first
    c2 = np.sqrt(k2) * second
    local = [np.sqrt(k_0) * a_l, np.sqrt(k_0) * a_r]
    if eta < 1:
        local.append(np.sqrt((1 - eta) * k1) * first)
    if not drive:
        gm = float(p.gamma_m)
        for b, n_th in ((ops[2], float(p.n_thermal_l)), (ops[3], float(p.n_thermal_r))):
            local.append(np.sqrt(gm * (n_th + 1)) * b)
            if n_th > 0:
                local.append(np.sqrt(gm * n_th) * b.dag())
    liou = qutip.liouvillian(h, [c1, c2, *local])
    # the cascade terms: -[c2^dag, c1 rho] - [rho c1^dag, c2]
    liou += (-qutip.spre(c2.dag() * c1) + qutip.spre(c1) * qutip.spost(c2.dag())
             - qutip.spost(c1.dag() * c2) + qutip.spre(c2) * qutip.spost(c1.dag()))
    return liou


def cascade_steady_state(
    params: PaperAParameters,
    delta: float,
    direction: str = "left",
    truncation: Sequence[int] = (3, 3, 4, 4),
    *,
    drive: bool = False,
) -> qutip.Qobj:
    """Steady state of :func:`cascade_liouvillian` (sparse LU when small, else LGMRES + incomplete LU)."""
    liou = cascade_liouvillian(params, delta, direction, truncation, drive=drive)
    iterative = dict(solver="lgmres", use_precond=True, use_rcm=True, drop_tol=1e-3, fill_factor=20,
                     rtol=1e-12, atol=1e-15, maxiter=2000)
    direct = dict(solver="spsolve")
    # sparse LU is fastest for small Liouvillians; beyond ~5000 its fill-in explodes (measured:
    # 4096 -> 7 s, 10000 -> 100 s) and LGMRES with an incomplete-LU preconditioner wins
    attempts = (direct,) if liou.shape[0] <= 5000 else (iterative, direct)
    errors = []
    for kw in attempts:
        try:
            return qutip.steadystate(liou, method="direct", **kw)
        except (RuntimeError, ValueError) as exc:
            errors.append(f"{kw['solver']}: {exc}")
    raise OptolibError("all steady-state solvers failed: " + "; ".join(errors))


def declared_vs_gardiner(
    params: PaperAParameters,
    delta: float,
    direction: str = "left",
    truncation: Sequence[int] = (2, 2, 3, 3),
) -> float:
    r"""Largest difference between the two Liouvillians, relative to the largest entry.

    One is built from the :class:`~optolib.GaussianModel` declaration
    (:math:`\mathcal D[c_1 + c_2]` + :math:`H_\mathrm{casc}`, via :func:`optolib.fock.to_qutip`),
    the other by :func:`cascade_liouvillian` in Gardiner's form.  Both represent the same
    master equation on the same truncated space, so the difference is rounding (~1e-16) at
    any truncation: an exact check of the declaration, independent of a steady-state solve.
    """
    from ..fock import to_qutip
    from .model import cascaded_model

    fm = to_qutip(cascaded_model(params, delta, direction, "physical"), tuple(truncation))
    declared = qutip.liouvillian(fm.hamiltonian, fm.c_ops).data.as_scipy()
    gardiner = cascade_liouvillian(params, delta, direction, truncation).data.as_scipy()
    return float(abs(declared - gardiner).max() / abs(gardiner).max())
