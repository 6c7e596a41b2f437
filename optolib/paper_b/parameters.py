r"""Paper B's parameter set, read in once, with the evidence for every unit conversion.

Paper B (Huang et al., PRA 110, 012423 (2024)), Sec. III A (parameters of Fig. 1(c))
and Sec. IV, quotes: :math:`n = 1.48`, :math:`m = 10` ng, :math:`R = 1.1` mm,
:math:`\lambda = 1550` nm, :math:`Q = 3.2\times10^7`, ":math:`\omega_m = 63` MHz",
":math:`\gamma_m = 5.2` kHz", :math:`T = 5` mK, ":math:`\Omega = 30` kHz",
":math:`\kappa = \gamma_a = 38` MHz", :math:`P = 40` mW, :math:`G_a/\omega_m = 0.6`,
:math:`\Delta_a/\omega_m = -1.1`.

Units verdict (established in ``book/foundations/sagnac.md`` and re-checked in the tests):
every rate is an angular rate in units of :math:`10^6\ \mathrm{s^{-1}}` with no
:math:`2\pi`.  Evidence: :math:`\omega_0/Q = 3.798\times10^7\ \mathrm{s^{-1}}` equals the
quoted ":math:`\kappa = 38` MHz" only in that reading, and reading :math:`\Omega` and
:math:`\omega_m` alike gives :math:`\Delta_F/\omega_m = 1.708`, i.e. optima
:math:`3.42\,\omega_m` apart against the text's :math:`-1` and :math:`2.5`.  Every
conversion is listed in :data:`CONVERSIONS`.

Amplitude rates: paper B's cavity and atomic equations are :math:`\dot a = -\kappa a + \dots`,
:math:`\dot c = -\gamma_a c + \dots` (Eq. (5)), so :math:`\kappa` and :math:`\gamma_a` are
amplitude decay rates (energy decay rates :math:`2\kappa`, :math:`2\gamma_a`).

Driving cases (:data:`CASES`): ``"static"`` (:math:`\Omega = 0`, CCW mode driven; by
reciprocity driving CW gives the same), ``"cw"`` and ``"ccw"`` (resonator spinning CCW at
:math:`\Omega`, the named mode driven).  After Eq. (1): :math:`\omega_{cw} = \omega_c + \Delta_F`,
:math:`\omega_{ccw} = \omega_c - \Delta_F`, so with the bare cavity detuning
:math:`\Delta_c = \omega_c - \omega_0` the mode detunings are
:math:`\Delta_{cw} = \Delta_c + \Delta_F` and :math:`\Delta_{ccw} = \Delta_c - \Delta_F`.

Public API:

Parameters, PAPER, CASES, CONVERSIONS, STATED_OPTIMAL_DETUNING, mode_detunings, driven_mode
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validation as val
from .. import physics as ph
from ..errors import OptolibError

__all__ = [
    "CASES",
    "CONVERSIONS",
    "PAPER",
    "STATED_OPTIMAL_DETUNING",
    "Parameters",
    "driven_mode",
    "mode_detunings",
]

#: The three driving situations of every figure of paper B.
CASES: tuple[str, ...] = ("static", "cw", "ccw")

#: Optimal bare cavity detunings Delta_c/omega_m stated in the text (Sec. III A, about
#: Figs. 1(c) and 2, and the caption of Fig. 2).  The captions of Figs. 3 and 4 disagree
#: (see the claims-and-errata chapter).
STATED_OPTIMAL_DETUNING: dict[str, float] = {"static": 1.0, "cw": -1.0, "ccw": 2.5}

_OMEGA_M = 63e6  # 1/s, "omega_m = 63 MHz" read as an angular rate (units verdict)

#: (symbol, the paper's text, value used in code, SI unit, evidence) for every conversion.
CONVERSIONS: tuple[tuple[str, str, float, str, str], ...] = (
    ("kappa", "kappa = 38 MHz (Sec. III A, IV)", 38e6, "1/s",
     "omega_0/Q = 3.798e7 1/s for lambda = 1550 nm, Q = 3.2e7: angular, no 2 pi"),
    ("omega_m", "omega_m = 63 MHz", _OMEGA_M, "1/s",
     "same units as kappa; with Omega read alike, Delta_F/omega_m = 1.708 fits the text's optima"),
    ("gamma_m", "gamma_m = 5.2 kHz", 5.2e3, "1/s", "same units as omega_m"),
    ("spin", "Omega = 30 kHz", 30e3, "rad/s",
     "angular velocity; 2 pi x 30e3 with omega_m = 63e6 gives Delta_F/omega_m = 10.7, no peak near -1"),
    ("gamma_a", "gamma_a = 38 MHz (= kappa; Sec. IV: gamma_a = G_a)", 38e6, "1/s", "same units as kappa"),
    ("coupling_atoms", "G_a/omega_m = 0.6 (Sec. IV: G_a = 38 MHz)", 0.6 * _OMEGA_M, "1/s",
     "dimensionless ratio; 0.6 x 63 = 37.8, consistent with '38 MHz'"),
    ("delta_a", "Delta_a/omega_m = -1.1", -1.1 * _OMEGA_M, "1/s", "dimensionless ratio"),
    ("power", "P = 40 mW", 40e-3, "W", "SI"),
    ("temperature", "T = 5 mK", 5e-3, "K", "SI"),
    ("mass", "m = 10 ng", 1e-11, "kg", "SI"),
    ("radius", "R = 1.1 mm", 1.1e-3, "m", "SI"),
    ("wavelength", "lambda = 1550 nm", 1550e-9, "m", "SI"),
    ("refractive_index", "n = 1.48", 1.48, "", "dimensionless; dn/dlambda = 0 as in the paper"),
)


@dataclass(frozen=True)
class Parameters:
    r"""Physical parameters of paper B's hybrid system (angular rates in 1/s, SI otherwise).

    Any field may be a NumPy array: derived quantities and every model built from the
    parameters broadcast over it (batched sweeps).  Use :meth:`replace` to vary fields.

    Attributes
    ----------
    delta_c : float or array
        Bare cavity detuning :math:`\Delta_c = \omega_c - \omega_0` (rad/s).
    delta_a : float or array
        Atomic detuning :math:`\Delta_a = \omega_a - \omega_0` (rad/s).
    kappa, gamma_a : float or array
        Cavity and atomic *amplitude* decay rates (1/s), Eq. (5).
    omega_m, gamma_m : float or array
        Mechanical frequency and (Brownian) damping rate (1/s).
    coupling_atoms : float or array
        Collective atom-cavity coupling :math:`G_a = g\sqrt{N_a}` (1/s), same for both modes.
    spin : float or array
        Angular velocity :math:`\Omega` (rad/s) used by the spinning cases.
    power, temperature, mass, radius, wavelength, refractive_index : float or array
        SI units.
    """

    delta_c: Any = 1.0 * _OMEGA_M
    delta_a: Any = -1.1 * _OMEGA_M
    kappa: Any = 38e6
    gamma_a: Any = 38e6
    omega_m: Any = _OMEGA_M
    gamma_m: Any = 5.2e3
    coupling_atoms: Any = 0.6 * _OMEGA_M
    spin: Any = 30e3
    power: Any = 40e-3
    temperature: Any = 5e-3
    mass: Any = 1e-11
    radius: Any = 1.1e-3
    wavelength: Any = 1550e-9
    refractive_index: Any = 1.48

    def __post_init__(self) -> None:
        for name in ("delta_c", "delta_a", "spin"):
            val.real_array(name, getattr(self, name))
        for name in ("kappa", "gamma_a", "omega_m", "mass", "radius", "wavelength"):
            val.positive(name, getattr(self, name))
        for name in ("gamma_m", "coupling_atoms", "power", "temperature"):
            val.nonnegative(name, getattr(self, name))
        n = val.real_array("refractive_index", self.refractive_index)
        if np.any(n < 1):
            raise OptolibError(f"refractive_index must be >= 1, got {self.refractive_index!r}")
        shapes = {f.name: np.shape(getattr(self, f.name)) for f in dataclasses.fields(self)}
        try:
            np.broadcast_shapes(*shapes.values())
        except ValueError:
            arrays = {k: s for k, s in shapes.items() if s != ()}
            raise OptolibError(f"parameter arrays must broadcast together, got shapes {arrays}") from None

    def replace(self, **changes: Any) -> Parameters:
        """A copy with some fields changed (e.g. ``p.replace(delta_c=x * p.omega_m)``)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise OptolibError(f"unknown parameter(s) {sorted(unknown)}; fields are "
                               f"{[f.name for f in dataclasses.fields(self)]}")
        return dataclasses.replace(self, **changes)

    # -- derived quantities (each names the paper's formula) -------------------------
    @property
    def omega_0(self) -> float | np.ndarray:
        r"""Laser angular frequency :math:`\omega_0 = 2\pi c/\lambda` (paper: 1.216e15, with c = 3e8)."""
        return ph.optical_angular_frequency(self.wavelength)

    @property
    def coupling_single_photon(self) -> float | np.ndarray:
        r""":math:`G_0 = (\omega_c/R)\sqrt{\hbar/(m\omega_m)}` (after Eq. (2)), multiplying :math:`a^\dagger a\,q`."""
        return ph.single_photon_coupling(self.omega_0, self.radius, self.mass, self.omega_m,
                                         convention="paper")

    def sagnac(self, case: str) -> float | np.ndarray:
        r"""Sagnac-Fizeau shift :math:`\Delta_F` (Eq. (1), :math:`dn/d\lambda = 0`) in ``case`` (0 if static)."""
        check_case(case)
        if case == "static":
            return 0.0 * np.asarray(self.spin, dtype=float)
        return ph.sagnac_shift(self.omega_0, self.refractive_index, self.radius, self.spin)

    @property
    def drive(self) -> float | np.ndarray:
        r"""Drive rate :math:`|\epsilon| = \sqrt{2\kappa P/(\hbar\omega_0)}` (after Eq. (2)), real."""
        return ph.paper_b_drive_rate(self.power, self.kappa, self.omega_0)

    @property
    def n_thermal(self) -> float | np.ndarray:
        r"""Thermal phonon number :math:`n_m = [\exp(\hbar\omega_m/k_BT) - 1]^{-1}` (after Eq. (6))."""
        return ph.thermal_occupation(self.omega_m, self.temperature)

    def in_units_of_omega_m(self) -> dict[str, Any]:
        """The rates divided by omega_m (how the paper quotes detunings and couplings)."""
        names = ("delta_c", "delta_a", "kappa", "gamma_a", "gamma_m", "coupling_atoms")
        return {k: np.asarray(getattr(self, k)) / np.asarray(self.omega_m) for k in names}


#: The paper's parameter set (Fig. 1(c)); delta_c = omega_m is the static optimum.
PAPER = Parameters()


def check_case(case: str) -> str:
    """Validate a driving case name."""
    if case not in CASES:
        raise OptolibError(f"case must be one of {CASES}, got {case!r}")
    return case


def driven_mode(case: str) -> str:
    """The driven optical mode of ``case``: ``"ccw"`` for static (paper's Eq. (2)) and ccw, ``"cw"`` for cw."""
    return "cw" if check_case(case) == "cw" else "ccw"


def mode_detunings(params: Parameters, case: str) -> tuple[Any, Any]:
    r"""Bare mode detunings :math:`(\Delta_{ccw}, \Delta_{cw}) = (\Delta_c - \Delta_F, \Delta_c + \Delta_F)`.

    From :math:`\omega_{cw} = \omega_c + \Delta_F`, :math:`\omega_{ccw} = \omega_c - \Delta_F`
    (after Eq. (1)) and :math:`\Delta_j = \omega_j - \omega_0` (after Eq. (3)).
    """
    shift = params.sagnac(case)
    delta_c = np.asarray(params.delta_c, dtype=float)
    return delta_c - shift, delta_c + shift
