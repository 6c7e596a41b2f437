r"""Physics helpers for spinning whispering-gallery-mode (WGM) optomechanics.

Every function states the equation it implements and the paper it comes from
(paper A: Jiao et al. 2022, two cascaded spinning resonators; paper B: Huang et
al., PRA 110, 012423 (2024)).  All frequencies and rates are **angular**, in
rad/s (s\ :sup:`-1`); all other quantities are SI.  Inputs broadcast like NumPy
arrays; invalid inputs raise :class:`optolib.errors.OptolibError` (a
``ValueError``) naming the parameter, its value and the constraint.

Public API:

optical_angular_frequency
    :math:`\omega = 2\pi c/\lambda`.
decay_rate_from_q
    :math:`\kappa = \omega_c/Q`.
spinning_refractive_indices
    :math:`n_\pm = n[1 \pm nR\Omega(n^{-2}-1)/c]` (paper A, before Eq. (1)).
sagnac_shift
    Sagnac-Fizeau shift :math:`\Delta_F`, Eq. (2) of paper A / Eq. (1) of paper B.
fused_silica_refractive_index
    Malitson's Sellmeier formula for fused silica, used to size the dispersion
    term of :func:`sagnac_shift`.
thermal_occupation
    Bose-Einstein occupation :math:`\bar n = 1/(e^{\hbar\omega/k_BT}-1)`.
single_photon_coupling
    :math:`g_0 = (\omega_c/R)\sqrt{\hbar/(m\omega_m)}` (papers) or
    :math:`(\omega_c/R)\,x_\mathrm{zpf}` (textbook).
input_photon_flux_amplitude
    Paper A's :math:`|\varepsilon_d| = \sqrt{P/\hbar\omega_d}` (s\ :sup:`-1/2`).
paper_b_drive_rate
    Paper B's :math:`|\epsilon| = \sqrt{2\kappa P/\hbar\omega_0}` (s\ :sup:`-1`).

Sign convention for the rotation
--------------------------------
``angular_velocity`` :math:`\Omega` is the signed mechanical rotation rate of
the resonator in rad/s, **positive for counter-clockwise (CCW) rotation**.
:func:`sagnac_shift` returns :math:`\Delta_F` with the sign of :math:`\Omega`.
How the two papers attach :math:`\pm\Delta_F` to optical modes:

* paper A (text before Eq. (1) and caption of Fig. 1(b)): for a resonator
  spinning CCW, :math:`\Delta_F > 0` for light input from the left and
  :math:`\Delta_F < 0` for light input from the right; the two
  counter-propagating resonances are :math:`\omega_{j,s} = \omega_c \pm
  |\Delta_F|` (Eq. (1)), and the left-input detuning is
  :math:`\tilde\Delta = \Delta + |\Delta_F|` (after Eq. (9)).  So with
  ``angular_velocity > 0``: left input sees :math:`\omega_c + \Delta_F`,
  right input sees :math:`\omega_c - \Delta_F`.
* paper B (after Eq. (1)): :math:`\omega_{cw} = \omega_c + \Delta_F`,
  :math:`\omega_{ccw} = \omega_c - \Delta_F` for the resonator rotating CCW.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import constants

from . import _validation as _v
from .errors import OptolibError

__all__ = [
    "decay_rate_from_q",
    "fused_silica_refractive_index",
    "input_photon_flux_amplitude",
    "optical_angular_frequency",
    "paper_b_drive_rate",
    "sagnac_shift",
    "single_photon_coupling",
    "spinning_refractive_indices",
    "thermal_occupation",
]

_C = constants.c
_HBAR = constants.hbar
_KB = constants.k


def _scalar_or_array(x: np.ndarray) -> float | np.ndarray:
    """Return a Python float for 0-d results, the array otherwise."""
    return float(x) if np.ndim(x) == 0 else x


def _refractive_index(name: str, value: ArrayLike) -> np.ndarray:
    arr = _v.real_array(name, value)
    if np.any(arr < 1):
        raise OptolibError(
            f"{name} must be >= 1 (refractive index of a dielectric), got {_v._show(arr[arr < 1])}"
        )
    return arr


def _same_batch(**arrays: np.ndarray) -> None:
    """The named inputs must broadcast together; otherwise an error naming their shapes."""
    shapes = {k: np.shape(v) for k, v in arrays.items()}
    try:
        np.broadcast_shapes(*shapes.values())
    except ValueError:
        raise OptolibError(f"inputs must broadcast together, got shapes {shapes}") from None


def _check_rim_speed(radius: np.ndarray, angular_velocity: np.ndarray) -> None:
    speed = np.abs(radius * angular_velocity)
    if np.any(speed >= _C):
        raise OptolibError(
            "angular_velocity * radius (rim speed) must be below the speed of light "
            f"{_C:g} m/s, got {_v._show(speed[speed >= _C])} m/s"
        )


def optical_angular_frequency(wavelength: ArrayLike) -> float | np.ndarray:
    r"""Angular frequency of light of vacuum wavelength :math:`\lambda`.

    Implements :math:`\omega = 2\pi c/\lambda`.  Paper B quotes
    :math:`\omega_0 = 2\pi c/\lambda = 1.216\times10^{15}` "Hz" for
    :math:`\lambda = 1550` nm (the value is in rad/s and uses :math:`c = 3\times10^8` m/s).

    Parameters
    ----------
    wavelength : array_like
        Vacuum wavelength in m, > 0.

    Returns
    -------
    float or ndarray
        Angular frequency in rad/s.
    """
    lam = _v.positive("wavelength", wavelength)
    return _scalar_or_array(2 * np.pi * _C / lam)


def decay_rate_from_q(omega_c: ArrayLike, q_factor: ArrayLike) -> float | np.ndarray:
    r"""Energy decay rate (full linewidth, rad/s) of a mode of quality factor :math:`Q`.

    Implements :math:`\kappa = \omega_c / Q`.  Note that paper B writes its cavity
    equation as :math:`\dot a = -\kappa a + \dots` (Eq. (5)), so its :math:`\kappa`
    is an *amplitude* decay rate (linewidth :math:`2\kappa`); its quoted
    :math:`\kappa = 38` MHz nevertheless equals :math:`\omega_c/Q` (see the
    chapter "The Sagnac-Fizeau shift").

    Parameters
    ----------
    omega_c : array_like
        Optical angular frequency in rad/s, > 0.
    q_factor : array_like
        Quality factor, > 0.

    Returns
    -------
    float or ndarray
        :math:`\omega_c/Q` in rad/s.
    """
    w = _v.positive("omega_c", omega_c)
    q = _v.positive("q_factor", q_factor)
    _same_batch(omega_c=w, q_factor=q)
    return _scalar_or_array(w / q)


def spinning_refractive_indices(
    n: ArrayLike, radius: ArrayLike, angular_velocity: ArrayLike
) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Effective refractive indices of the two counter-propagating modes of a spinning ring.

    Implements the expression in the text before Eq. (1) of paper A (from
    Maayani et al., Nature 558, 569 (2018)):

    .. math:: n_\pm = n\left[1 \pm \frac{nR\Omega}{c}\left(n^{-2} - 1\right)\right].

    Since :math:`n^{-2} - 1 < 0` for :math:`n > 1`, :math:`n_+ < n < n_-` for
    :math:`\Omega > 0`: :math:`n_+` is the index of light co-moving with the
    medium (Fresnel drag lowers the effective index of co-moving light).

    Parameters
    ----------
    n : array_like
        Refractive index, >= 1.
    radius : array_like
        Resonator radius :math:`R` in m, > 0.
    angular_velocity : array_like
        Signed rotation rate :math:`\Omega` in rad/s (positive = CCW).

    Returns
    -------
    n_plus, n_minus : float or ndarray
    """
    n_ = _refractive_index("n", n)
    r = _v.positive("radius", radius)
    w = _v.real_array("angular_velocity", angular_velocity)
    _same_batch(n=n_, radius=r, angular_velocity=w)
    _check_rim_speed(r, w)
    delta = n_ * r * w * (n_**-2 - 1) / _C
    return _scalar_or_array(n_ * (1 + delta)), _scalar_or_array(n_ * (1 - delta))


def sagnac_shift(
    omega_c: ArrayLike,
    n: ArrayLike,
    radius: ArrayLike,
    angular_velocity: ArrayLike,
    dn_dlambda: ArrayLike = 0.0,
) -> float | np.ndarray:
    r"""Sagnac-Fizeau shift :math:`\Delta_F` of a spinning resonator (angular, rad/s).

    Implements Eq. (2) of paper A and Eq. (1) of paper B,

    .. math::
        \Delta_F = \frac{n R \Omega\, \omega_c}{c}
                   \left(1 - \frac{1}{n^2} - \frac{\lambda}{n}\frac{dn}{d\lambda}\right),
        \qquad \lambda = \frac{2\pi c}{\omega_c}.

    Paper A writes :math:`\lambda = c/\omega_c` after Eq. (2); that is a typo
    (it would not be a wavelength): the vacuum wavelength is
    :math:`2\pi c/\omega_c`.  It only matters for the dispersion term.

    The returned value carries the sign of :math:`\Omega` (positive for CCW
    rotation).  Paper A: left input sees :math:`\omega_c + \Delta_F`, right
    input :math:`\omega_c - \Delta_F` (Eq. (1), Fig. 1(b)).  Paper B:
    :math:`\omega_{cw} = \omega_c + \Delta_F`, :math:`\omega_{ccw} = \omega_c -
    \Delta_F`.  See the module docstring.

    Parameters
    ----------
    omega_c : array_like
        Resonance angular frequency of the resting resonator in rad/s, > 0.
    n : array_like
        Refractive index, >= 1.
    radius : array_like
        Resonator radius :math:`R` in m, > 0.
    angular_velocity : array_like
        Signed mechanical rotation rate :math:`\Omega` in rad/s (not a
        rotation frequency in Hz: :math:`\Omega = 2\pi f_\mathrm{rot}`).
    dn_dlambda : array_like, optional
        Material dispersion :math:`dn/d\lambda` in m\ :sup:`-1` (default 0;
        fused silica near 1550 nm: about :math:`-1.2\times10^{4}` m\ :sup:`-1`).

    Returns
    -------
    float or ndarray
        :math:`\Delta_F` in rad/s.

    Examples
    --------
    >>> from optolib.physics import sagnac_shift, optical_angular_frequency
    >>> w = optical_angular_frequency(780e-9)
    >>> round(sagnac_shift(w, 1.48, 36e-6, 0.6e6) / 1e6, 1)  # rad/s -> 10^6 rad/s
    139.9
    """
    w = _v.positive("omega_c", omega_c)
    n_ = _refractive_index("n", n)
    r = _v.positive("radius", radius)
    rot = _v.real_array("angular_velocity", angular_velocity)
    disp = _v.real_array("dn_dlambda", dn_dlambda)
    _same_batch(omega_c=w, n=n_, radius=r, angular_velocity=rot, dn_dlambda=disp)
    _check_rim_speed(r, rot)
    lam = 2 * np.pi * _C / w
    shift = n_ * r * rot * w / _C * (1 - n_**-2 - lam / n_ * disp)
    return _scalar_or_array(shift)


def fused_silica_refractive_index(wavelength: ArrayLike) -> float | np.ndarray:
    r"""Refractive index of fused silica (Malitson's Sellmeier formula).

    Implements :math:`n^2(\lambda) = 1 + \sum_{i=1}^3 B_i\lambda^2/(\lambda^2 - C_i^2)`
    with :math:`B = (0.6961663, 0.4079426, 0.8974794)` and
    :math:`C = (0.0684043, 0.1162414, 9.896161)` µm (I. H. Malitson,
    J. Opt. Soc. Am. 55, 1205 (1965); valid 0.21-3.71 µm, 20 °C).  Used to size
    the dispersion term of Eq. (2) of paper A; the papers themselves take
    :math:`n = 1.48` and neglect dispersion.

    Parameters
    ----------
    wavelength : array_like
        Vacuum wavelength in m, within [0.21e-6, 3.71e-6].

    Returns
    -------
    float or ndarray
        Refractive index.
    """
    lam = _v.positive("wavelength", wavelength)
    out = (lam < 0.21e-6) | (lam > 3.71e-6)
    if np.any(out):
        raise OptolibError(
            "wavelength must lie in the Sellmeier range [2.1e-07, 3.71e-06] m, "
            f"got {_v._show(lam[out])}"
        )
    l2 = (lam * 1e6) ** 2
    b = (0.6961663, 0.4079426, 0.8974794)
    c = (0.0684043, 0.1162414, 9.896161)
    n2 = 1 + sum(bi * l2 / (l2 - ci**2) for bi, ci in zip(b, c, strict=True))
    return _scalar_or_array(np.sqrt(n2))


def thermal_occupation(omega: ArrayLike, temperature: ArrayLike) -> float | np.ndarray:
    r"""Bose-Einstein mean occupation of a mode of angular frequency :math:`\omega`.

    Implements :math:`\bar n = [\exp(\hbar\omega/k_B T) - 1]^{-1}` (paper A after
    Eq. (5); paper B after Eq. (6)), evaluated as
    :math:`e^{-x}/(1 - e^{-x})` with :math:`x = \hbar\omega/k_BT` so that it is
    exactly 0 at :math:`T = 0` and never overflows.

    Parameters
    ----------
    omega : array_like
        Mode angular frequency in rad/s, > 0.
    temperature : array_like
        Bath temperature in K, >= 0.

    Returns
    -------
    float or ndarray
        :math:`\bar n \ge 0`.
    """
    w = _v.positive("omega", omega)
    t = _v.nonnegative("temperature", temperature)
    _same_batch(omega=w, temperature=t)
    w, t = np.broadcast_arrays(w, t)
    x = np.divide(_HBAR * w, _KB * t, out=np.full(w.shape, np.inf), where=t > 0)
    with np.errstate(under="ignore"):
        nbar = np.exp(-x) / -np.expm1(-x)
    return _scalar_or_array(nbar)


def single_photon_coupling(
    omega_c: ArrayLike,
    radius: ArrayLike,
    mass: ArrayLike,
    omega_m: ArrayLike,
    convention: Literal["paper", "zpf"] = "paper",
) -> float | np.ndarray:
    r"""Single-photon optomechanical coupling of a WGM breathing mode (rad/s).

    ``convention="paper"`` implements the papers' expression
    :math:`g_0 = (\omega_c/R)\sqrt{\hbar/(m\omega_m)}` (paper A after Eq. (3);
    paper B's :math:`G_0` after Eq. (2)).  ``convention="zpf"`` gives the
    textbook :math:`g_0 = (\omega_c/R)\,x_\mathrm{zpf}` with
    :math:`x_\mathrm{zpf} = \sqrt{\hbar/(2m\omega_m)}` (Aspelmeyer, Kippenberg,
    Marquardt, RMP 86, 1391 (2014)).  The two differ by exactly :math:`\sqrt2`.

    Which one is "right" depends on the operator it multiplies.  The
    displacement is :math:`x = x_\mathrm{zpf}(b + b^\dagger) =
    \sqrt{\hbar/(m\omega_m)}\,q` with :math:`q = (b + b^\dagger)/\sqrt2`.
    Paper B couples :math:`G_0` to the dimensionless :math:`q`
    (:math:`H_I = -\hbar G_0 a^\dagger a\, q`), so its :math:`G_0` is
    consistent; paper A couples :math:`g_0` to :math:`b + b^\dagger`
    (Eq. (3)), where the consistent prefactor is the ``"zpf"`` one, so paper
    A's coupling is :math:`\sqrt2` larger than the physical one for its
    :math:`m, R, \omega_m`.

    Parameters
    ----------
    omega_c : array_like
        Optical angular frequency in rad/s, > 0.
    radius : array_like
        Resonator radius in m, > 0.
    mass : array_like
        Effective mass in kg, > 0.
    omega_m : array_like
        Mechanical angular frequency in rad/s, > 0.
    convention : {"paper", "zpf"}
        Normalisation (default ``"paper"``).

    Returns
    -------
    float or ndarray
        :math:`g_0` in rad/s.
    """
    w = _v.positive("omega_c", omega_c)
    r = _v.positive("radius", radius)
    m = _v.positive("mass", mass)
    wm = _v.positive("omega_m", omega_m)
    _same_batch(omega_c=w, radius=r, mass=m, omega_m=wm)
    if convention == "paper":
        length = np.sqrt(_HBAR / (m * wm))
    elif convention == "zpf":
        length = np.sqrt(_HBAR / (2 * m * wm))
    else:
        raise OptolibError(f"convention must be 'paper' or 'zpf', got {convention!r}")
    return _scalar_or_array(w / r * length)


def input_photon_flux_amplitude(power: ArrayLike, omega_d: ArrayLike) -> float | np.ndarray:
    r"""Paper A's drive amplitude :math:`|\varepsilon_d| = \sqrt{P/(\hbar\omega_d)}`.

    Implements the expression after Eq. (3) of paper A.  The result is the
    square root of the photon flux (units s\ :sup:`-1/2`); it enters the cavity
    equation as :math:`\sqrt{\kappa_{ex}}\,\varepsilon_d` (Eq. (4) of paper A).

    Parameters
    ----------
    power : array_like
        Input laser power in W, >= 0.
    omega_d : array_like
        Drive angular frequency in rad/s, > 0.

    Returns
    -------
    float or ndarray
        :math:`|\varepsilon_d|` in s\ :sup:`-1/2`.
    """
    p = _v.nonnegative("power", power)
    w = _v.positive("omega_d", omega_d)
    _same_batch(power=p, omega_d=w)
    return _scalar_or_array(np.sqrt(p / (_HBAR * w)))


def paper_b_drive_rate(
    power: ArrayLike, kappa: ArrayLike, omega_0: ArrayLike
) -> float | np.ndarray:
    r"""Paper B's drive rate :math:`|\epsilon| = \sqrt{2\kappa P/(\hbar\omega_0)}`.

    Implements the expression after Eq. (2) of paper B.  Units s\ :sup:`-1`; it
    enters as :math:`\dot a_{ccw} = \dots + \epsilon` (Eq. (5) of paper B), where
    :math:`\kappa` is the amplitude decay rate (the cavity couples through
    :math:`\sqrt{2\kappa}`), so :math:`\epsilon = \sqrt{2\kappa}\,\sqrt{P/\hbar\omega_0}`.

    Parameters
    ----------
    power : array_like
        Input laser power in W, >= 0.
    kappa : array_like
        Cavity (amplitude) decay rate in rad/s, > 0.
    omega_0 : array_like
        Laser angular frequency in rad/s, > 0.

    Returns
    -------
    float or ndarray
        :math:`|\epsilon|` in s\ :sup:`-1`.
    """
    p = _v.nonnegative("power", power)
    k = _v.positive("kappa", kappa)
    w = _v.positive("omega_0", omega_0)
    _same_batch(power=p, kappa=k, omega_0=w)
    return _scalar_or_array(np.sqrt(2 * k * p / (_HBAR * w)))
