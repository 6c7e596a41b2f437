r"""Paper A's parameter set, read in once, with the unit evidence beside each conversion.

Paper A = Jiao et al. (2022), *Nonreciprocal enhancement of remote entanglement
between nonidentical mechanical oscillators* (two cascaded spinning WGM resonators).
All values below are quoted from its Sec. III ("In our numerical simulations [...]")
and the captions of Figs. 2-4.  In code every rate is an **angular** frequency in
rad/s (s\ :sup:`-1`).  The units verdict is established in the book's chapter
"The Sagnac-Fizeau shift" (``book/foundations/sagnac.md``):

* :math:`\kappa_0, \kappa_{ex,j}, \omega_m, \gamma_m` are quoted as ":math:`x/2\pi` = ... MHz"
  (ordinary frequencies): multiply by :math:`2\pi`.
* the spin rate ":math:`\Omega` = 0.6 MHz" is an angular velocity,
  :math:`0.6\times10^6` rad/s: with it the left-input entanglement peak of Fig. 2(b)
  sits at :math:`1 - \Delta_F/\omega_m = 0.748` (text: 0.74); reading it as
  :math:`2\pi\times0.6` MHz would put the peak at :math:`-0.58`, outside the figure.
  Figs. 3(f)/4 at 0.8 MHz give 0.665 (text: operating point 0.68).

Conventions this module fixes (and the book states):

* :math:`\Omega_j > 0` is CCW rotation; left input sees :math:`\omega_{c} + \Delta_{F,j}`,
  right input :math:`\omega_c - \Delta_{F,j}` (Eq. (1) and Fig. 1(b) of paper A), so
  :math:`\tilde\Delta_j = \Delta \pm \Delta_{F,j}` (after Eq. (9)).
* the mechanical frequency ratio :math:`\chi = \omega_{m,r}/\omega_{m,l}` changes only the
  right oscillator; its :math:`g_{0,r}` and :math:`\bar n_{m,r}` follow from the paper's own
  formulas at :math:`\omega_{m,r}` (a 2.6 % change of :math:`g_0` at :math:`\chi = 0.95`).
* :math:`g_0 = (\omega_c/R)\sqrt{\hbar/(m\omega_m)}` as printed (``g0_convention="paper"``);
  ``"zpf"`` uses the textbook :math:`x_\mathrm{zpf} = \sqrt{\hbar/(2m\omega_m)}`
  (:func:`optolib.physics.single_photon_coupling`), i.e. :math:`g_0/\sqrt2`.
* the drive amplitude :math:`|\varepsilon_d| = \sqrt{P/\hbar\omega_d}` is evaluated at
  :math:`\omega_d = \omega_c` (the drive is detuned by :math:`\sim\omega_m`, a relative
  change of :math:`4\times10^{-7}`).

Every field may be a NumPy array; derived quantities broadcast, so one parameter
object describes a whole grid (e.g. ``chi`` of shape ``(n, 1)`` and ``spin_l`` of shape
``(1, m)`` for a density map).

Public API:

PaperAParameters, paper_a_parameters, SPIN_FIG2, SPIN_FIG3, DIRECTIONS
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .. import _validation as val
from .. import physics as ph
from ..errors import OptolibError

__all__ = ["DIRECTIONS", "SPIN_FIG2", "SPIN_FIG3", "PaperAParameters", "paper_a_parameters"]

TWO_PI = 2 * np.pi

#: Input directions: the drive enters the fibre from the left (cascade l -> r) or the right (r -> l).
DIRECTIONS = ("left", "right")

#: Figs. 2(b),(c): "Omega = 0.6 MHz" -> 0.6e6 rad/s (angular velocity, see module docstring).
SPIN_FIG2 = 0.6e6
#: Figs. 3(b)-(d), 3(f), 4: "Omega = 0.8 MHz" -> 0.8e6 rad/s.
SPIN_FIG3 = 0.8e6


@dataclass(frozen=True)
class PaperAParameters:
    r"""The physical parameters of paper A's cascaded system (SI units, rates in rad/s).

    Attributes
    ----------
    n, radius, wavelength, mass
        Refractive index, resonator radius (m), vacuum wavelength (m), effective mass (kg);
        both resonators alike.
    kappa_0
        Intrinsic optical decay rate :math:`\kappa_0` (energy, rad/s), both cavities.
    kappa_ex_l, kappa_ex_r
        Fibre-cavity coupling rates :math:`\kappa_{ex,j}` (rad/s).
    omega_m
        Mechanical angular frequency of the left oscillator :math:`\omega_{m,l}` (rad/s).
    chi
        :math:`\omega_{m,r}/\omega_{m,l}` (Sec. II, before Eq. (1)).
    gamma_m
        Mechanical energy damping rate (rad/s), both oscillators.
    power, temperature
        Input power (W), mechanical bath temperature (K).
    phi, eta
        Fibre phase :math:`\varphi` (rad, Eq. (7)) and power transmission :math:`\eta`.
    spin_l, spin_r
        Signed angular velocities :math:`\Omega_l, \Omega_r` (rad/s, > 0 for CCW).
    g0_convention
        ``"paper"`` or ``"zpf"`` (module docstring).
    """

    n: Any = 1.48
    radius: Any = 36e-6  # "R = 36 um"
    wavelength: Any = 780e-9  # "lambda = 780 nm"
    mass: Any = 15e-12  # "m = 15 ng" = 15e-12 kg
    kappa_0: Any = TWO_PI * 15e6  # "kappa_0 / 2 pi = 15 MHz"
    kappa_ex_l: Any = TWO_PI * 27e6  # "kappa_ex,l / 2 pi = 27 MHz"
    kappa_ex_r: Any = TWO_PI * 30e6  # "kappa_ex,r / 2 pi = 30 MHz"
    omega_m: Any = TWO_PI * 88.54e6  # "omega_m / 2 pi = 88.54 MHz"
    chi: Any = 1.0  # Fig. 2: identical oscillators
    gamma_m: Any = TWO_PI * 2.2e3  # "gamma_m / 2 pi = 2.2 kHz"
    power: Any = 20e-3  # "P = 20 mW"
    temperature: Any = 0.1  # "T = 100 mK"
    phi: Any = 0.0  # "phi = 0"
    eta: Any = 1.0  # "eta = 1"
    spin_l: Any = 0.0  # rad/s; Fig. 2(b): SPIN_FIG2
    spin_r: Any = 0.0
    g0_convention: Literal["paper", "zpf"] = "paper"

    def __post_init__(self) -> None:
        for name in ("n", "radius", "wavelength", "mass", "kappa_0", "kappa_ex_l", "kappa_ex_r",
                     "omega_m", "chi", "gamma_m"):
            val.positive(name, getattr(self, name))
        for name in ("power", "temperature"):
            val.nonnegative(name, getattr(self, name))
        for name in ("phi", "spin_l", "spin_r"):
            val.real_array(name, getattr(self, name))
        eta = val.real_array("eta", self.eta)
        if np.any((eta < 0) | (eta > 1)):
            raise OptolibError(f"eta must be a power transmission in [0, 1], got {val._show(eta)}")
        if self.g0_convention not in ("paper", "zpf"):
            raise OptolibError(f"g0_convention must be 'paper' or 'zpf', got {self.g0_convention!r}")
        _broadcast_shape({f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                         if f.name != "g0_convention"})

    def replace(self, **changes: Any) -> PaperAParameters:
        """A copy with some fields changed (validated again)."""
        _check_field_names(changes)
        return dataclasses.replace(self, **changes)

    # -- derived quantities -------------------------------------------------------------
    @property
    def omega_c(self) -> Any:
        r"""Optical angular frequency :math:`\omega_c = 2\pi c/\lambda` (rad/s)."""
        return ph.optical_angular_frequency(self.wavelength)

    @property
    def omega_m_l(self) -> Any:
        return np.asarray(self.omega_m, dtype=float) * 1.0

    @property
    def omega_m_r(self) -> Any:
        r""":math:`\omega_{m,r} = \chi\,\omega_{m,l}`."""
        return np.asarray(self.omega_m, dtype=float) * np.asarray(self.chi, dtype=float)

    def _g0(self, omega_m: Any) -> Any:
        return ph.single_photon_coupling(self.omega_c, self.radius, self.mass, omega_m,
                                         convention=self.g0_convention)

    @property
    def g0_l(self) -> Any:
        r"""Single-photon coupling :math:`g_{0,l}` (rad/s), paper A after Eq. (3)."""
        return self._g0(self.omega_m_l)

    @property
    def g0_r(self) -> Any:
        return self._g0(self.omega_m_r)

    @property
    def n_thermal_l(self) -> Any:
        r""":math:`\bar n_{m,l} = [\exp(\hbar\omega_{m,l}/k_BT) - 1]^{-1}` (after Eq. (5))."""
        return ph.thermal_occupation(self.omega_m_l, self.temperature)

    @property
    def n_thermal_r(self) -> Any:
        return ph.thermal_occupation(self.omega_m_r, self.temperature)

    @property
    def drive_amplitude(self) -> Any:
        r""":math:`|\varepsilon_d| = \sqrt{P/\hbar\omega_d}` (s\ :sup:`-1/2`), at :math:`\omega_d = \omega_c`."""
        return ph.input_photon_flux_amplitude(self.power, self.omega_c)

    @property
    def linewidth_l(self) -> Any:
        r""":math:`\Gamma_l = \kappa_{0,l} + \kappa_{ex,l}` (Eq. (15))."""
        return np.asarray(self.kappa_0) + np.asarray(self.kappa_ex_l)

    @property
    def linewidth_r(self) -> Any:
        return np.asarray(self.kappa_0) + np.asarray(self.kappa_ex_r)

    @property
    def sagnac_l(self) -> Any:
        r"""Signed Sagnac-Fizeau shift :math:`\Delta_{F,l}` (rad/s), Eq. (2), :math:`dn/d\lambda = 0`."""
        return ph.sagnac_shift(self.omega_c, self.n, self.radius, self.spin_l)

    @property
    def sagnac_r(self) -> Any:
        return ph.sagnac_shift(self.omega_c, self.n, self.radius, self.spin_r)

    @property
    def cascade_rate(self) -> Any:
        r""":math:`\sqrt{\eta\,\kappa_{ex,l}\kappa_{ex,r}}` (rad/s), the :math:`J` of Eq. (15)."""
        return np.sqrt(np.asarray(self.eta) * np.asarray(self.kappa_ex_l) * np.asarray(self.kappa_ex_r))


def paper_a_parameters(**changes: Any) -> PaperAParameters:
    """Paper A's parameters (Sec. III, Fig. 2), optionally with some fields changed.

    >>> p = paper_a_parameters(spin_l=SPIN_FIG2)
    >>> round(float(p.sagnac_l / p.omega_m_l), 3)
    0.252
    """
    _check_field_names(changes)
    return PaperAParameters(**changes)


def _check_field_names(changes: dict[str, Any]) -> None:
    names = [f.name for f in dataclasses.fields(PaperAParameters)]
    unknown = sorted(set(changes) - set(names))
    if unknown:
        raise OptolibError(f"unknown parameter(s) {unknown}; fields are {names}")


def _broadcast_shape(arrays: dict[str, Any]) -> tuple[int, ...]:
    """Common broadcast shape of named parameter arrays, or an error naming the arrays that clash."""
    shapes = {k: np.shape(v) for k, v in arrays.items()}
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        arrays_only = {k: s for k, s in shapes.items() if s != ()}
        raise OptolibError(f"parameter arrays must broadcast together, got shapes {arrays_only}") from None


def check_direction(direction: str) -> str:
    """Return ``direction`` if it is ``"left"`` or ``"right"``, else raise."""
    if direction not in DIRECTIONS:
        raise OptolibError(f"direction must be 'left' or 'right', got {direction!r}")
    return direction
