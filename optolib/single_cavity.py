r"""One linearised optomechanical cavity: the textbook model of the toolbox chapter.

Full model (:math:`\hbar = 1`, frame rotating at the drive):

.. math:: H = \Delta_0 a^\dagger a + \omega_m b^\dagger b
              - g_0 a^\dagger a (b + b^\dagger) + i\sqrt{\kappa_{ex}}\,\varepsilon(a^\dagger - a).

Writing :math:`a = \alpha + \delta a`, :math:`b = \beta + \delta b` and dropping
terms of second order in the fluctuations gives the linearised Hamiltonian

.. math:: H_{\rm lin} = \Delta\,\delta a^\dagger\delta a + \omega_m\,\delta b^\dagger\delta b
          - g_0(\alpha^*\delta a + \alpha\,\delta a^\dagger)(\delta b + \delta b^\dagger),

with the effective detuning :math:`\Delta = \Delta_0 - 2 g_0\,\mathrm{Re}\,\beta`.
Choosing the phase of the drive so that :math:`\alpha` is real, the coupling is
:math:`G = g_0\alpha` and :math:`H_{\rm lin} = \Delta\,\delta a^\dagger\delta a +
\omega_m\delta b^\dagger\delta b - G(\delta a + \delta a^\dagger)(\delta b + \delta b^\dagger)`,
i.e. :math:`-2G\,X_a X_b` in quadratures — Vitali et al. (2007) Eq. (5) with their
coupling equal to :math:`2G`.

Public API:

linearised_cavity
"""

from __future__ import annotations

from typing import Any

from . import _validation as val
from .model import GaussianModel

__all__ = ["linearised_cavity"]


def linearised_cavity(
    delta: Any,
    omega_m: Any,
    coupling: Any,
    kappa: Any,
    gamma_m: Any,
    n_thermal: Any = 0.0,
    *,
    mechanical_noise: str = "lindblad",
) -> GaussianModel:
    r"""Declare the linearised single-cavity model (modes ``"a"``, ``"b"``).

    Parameters
    ----------
    delta : float or array
        Effective detuning :math:`\Delta` (rad/s).
    omega_m : float or array
        Mechanical angular frequency (rad/s), > 0.
    coupling : float or array
        Effective coupling :math:`G = g_0\alpha` (rad/s), real.
    kappa : float or array
        Cavity energy decay rate (rad/s), > 0; the field amplitude decays at :math:`\kappa/2`.
    gamma_m : float or array
        Mechanical energy damping rate (rad/s), >= 0.
    n_thermal : float or array
        Mechanical bath occupation.
    mechanical_noise : {"lindblad", "brownian"}
        Thermal amplitude damping (Lindblad) or momentum-only Brownian damping.
    """
    val.real_array("delta", delta)
    val.positive("omega_m", omega_m)
    val.real_array("coupling", coupling)
    val.positive("kappa", kappa)
    m = GaussianModel(["a", "b"])
    a, b = m.ops
    m.hamiltonian = (
        delta * a.dag() * a + omega_m * b.dag() * b - coupling * (a + a.dag()) * (b + b.dag())
    )
    m.add_damping("a", kappa)
    if mechanical_noise == "lindblad":
        m.add_damping("b", gamma_m, n_thermal)
    elif mechanical_noise == "brownian":
        m.add_brownian_damping("b", gamma_m, n_thermal)
    else:
        raise ValueError(f"mechanical_noise must be 'lindblad' or 'brownian', got {mechanical_noise!r}")
    return m
