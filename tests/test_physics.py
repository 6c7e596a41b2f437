"""Tests of optolib.physics against hand calculations, limits and published numbers.

Constants used in the hand calculations (CODATA 2018, exact where marked):
c = 299 792 458 m/s, h = 6.626 070 15e-34 J s, k_B = 1.380 649e-23 J/K (all exact, SI 2019);
hbar = h / 2 pi = 1.054 571 817 6e-34 J s.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from optolib.physics import (
    decay_rate_from_q,
    fused_silica_refractive_index,
    input_photon_flux_amplitude,
    optical_angular_frequency,
    paper_b_drive_rate,
    sagnac_shift,
    single_photon_coupling,
    spinning_refractive_indices,
    thermal_occupation,
)

C = 299_792_458.0
HBAR = 6.626_070_15e-34 / (2 * math.pi)
KB = 1.380_649e-23


# --- optical frequency and decay rate -------------------------------------------------


def test_optical_angular_frequency_paper_b_value():
    # Paper B (after Eq. (2)): omega_0 = 2 pi c / lambda = 1.216e15 for lambda = 1550 nm.
    # By hand: 2 pi * 2.99792458e8 / 1.55e-6 = 1.88365e9 / 1.55e-6 = 1.21526e15 rad/s;
    # the paper's 1.216e15 is what c = 3e8 m/s gives (1.21610e15): agree to 0.1 %.
    assert_allclose(optical_angular_frequency(1550e-9), 1.21526e15, rtol=1e-5)
    assert_allclose(optical_angular_frequency(1550e-9), 1.216e15, rtol=1e-3)


def test_decay_rate_from_q_paper_b_kappa():
    # Paper B (Sec. IV): Q = 3.2e7 "correspondingly" kappa = 38 MHz at 1550 nm.
    # omega_c / Q = 1.21526e15 / 3.2e7 = 3.7977e7 s^-1 -> "38 MHz" read as 1e6 s^-1.
    kappa = decay_rate_from_q(optical_angular_frequency(1550e-9), 3.2e7)
    assert_allclose(kappa, 38e6, rtol=1e-3)
    # The 2 pi reading (kappa/2pi = 38 MHz) would need Q = 3.2e7 / (2 pi) ~ 5.1e6.
    assert abs(kappa - 2 * math.pi * 38e6) / (2 * math.pi * 38e6) > 0.8


# --- spinning refractive indices and the Sagnac-Fizeau shift ---------------------------


def test_spinning_indices_hand_value():
    # n = 1.5, R = 1 mm, Omega = 1e4 rad/s: n R Omega / c = 1.5e1 / 2.99792458e8 = 5.00346e-8,
    # times (n^-2 - 1) = -5/9: delta = -2.77970e-8; n_pm = 1.5 (1 -+ 2.77970e-8).
    n_plus, n_minus = spinning_refractive_indices(1.5, 1e-3, 1e4)
    assert_allclose(n_plus - 1.5, -1.5 * 2.77970e-8, rtol=1e-5)
    assert_allclose(n_minus - 1.5, +1.5 * 2.77970e-8, rtol=1e-5)


def test_spinning_indices_consistent_with_sagnac_shift():
    # A mode of fixed azimuthal order has omega proportional to 1/n_eff, so to first order
    # omega_c (n / n_pm - 1) = +-Delta_F (no dispersion).  Independent route to Eq. (2).
    omega_c = optical_angular_frequency(780e-9)
    n_plus, n_minus = spinning_refractive_indices(1.48, 36e-6, 0.6e6)
    delta_f = sagnac_shift(omega_c, 1.48, 36e-6, 0.6e6)
    assert_allclose(omega_c * (1.48 / n_plus - 1), delta_f, rtol=1e-6)
    assert_allclose(omega_c * (1.48 / n_minus - 1), -delta_f, rtol=1e-6)


def test_sagnac_shift_paper_a_hand_value():
    # n = 1.48, R = 36 um, lambda = 780 nm, Omega = 0.6e6 rad/s, no dispersion:
    # omega_c / c = 2 pi / lambda = 8.05537e6 m^-1; n R omega_c / c = 1.48 * 36e-6 * 8.05537e6
    # = 429.191; (1 - 1/1.48^2) = 1 - 0.456538 = 0.543462; product 233.249;
    # times Omega: 1.39949e8 rad/s, i.e. Delta_F / 2 pi = 22.27 MHz.
    omega_c = optical_angular_frequency(780e-9)
    assert_allclose(sagnac_shift(omega_c, 1.48, 36e-6, 0.6e6), 1.39949e8, rtol=1e-5)


def test_sagnac_shift_paper_b_hand_value():
    # n = 1.48, R = 1.1 mm, lambda = 1550 nm, Omega = 3e4 rad/s:
    # 2 pi / lambda = 4.05367e6 m^-1; n R * that = 1.48 * 1.1e-3 * 4.05367e6 = 6599.38;
    # times 0.543462 = 3586.51; times 3e4 = 1.07595e8 rad/s.
    omega_c = optical_angular_frequency(1550e-9)
    assert_allclose(sagnac_shift(omega_c, 1.48, 1.1e-3, 3e4), 1.07595e8, rtol=1e-5)


def test_sagnac_shift_dispersion_term_uses_vacuum_wavelength():
    # With n = 1 the only surviving term is -(n R Omega omega_c / c)(lambda/n) dn/dlambda
    # = -R Omega (omega_c/c) (2 pi c/omega_c) dn/dlambda = -2 pi R Omega dn/dlambda,
    # independent of omega_c -- only if lambda = 2 pi c / omega_c (not paper A's c / omega_c).
    for wl in (780e-9, 1550e-9):
        shift = sagnac_shift(optical_angular_frequency(wl), 1.0, 1e-3, 1e4, dn_dlambda=-1e4)
        assert_allclose(shift, -2 * math.pi * 1e-3 * 1e4 * (-1e4), rtol=1e-12)


def test_sagnac_shift_vanishes_for_n_equal_one_without_dispersion():
    omega_c = optical_angular_frequency(1550e-9)
    assert sagnac_shift(omega_c, 1.0, 1e-3, 3e4) == 0.0


def test_sagnac_shift_odd_and_linear_in_omega():
    omega_c = optical_angular_frequency(780e-9)
    rot = np.array([-2e6, -1e6, 0.0, 1e6, 2e6])
    shift = sagnac_shift(omega_c, 1.48, 36e-6, rot, dn_dlambda=-1.8e4)
    assert_allclose(shift, -shift[::-1], rtol=1e-14)
    assert shift[2] == 0.0
    assert_allclose(shift[4], 2 * shift[3], rtol=1e-14)


def test_sagnac_shift_broadcasts():
    omega_c = optical_angular_frequency(np.array([780e-9, 1550e-9]))[:, None]
    shift = sagnac_shift(omega_c, 1.48, 1e-3, np.array([1.0, 2.0, 3.0]))
    assert shift.shape == (2, 3)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"radius": -1e-6}, r"radius must be > 0, got \[?-1e-06"),
        ({"n": 0.5}, r"n must be >= 1.*got \[?0\.5"),
        ({"omega_c": 0.0}, r"omega_c must be > 0, got \[?0\.0"),
        ({"angular_velocity": np.nan}, r"angular_velocity must be finite"),
        ({"angular_velocity": 1e13}, r"rim speed.*below the speed of light"),
    ],
)
def test_sagnac_shift_rejects_bad_input(kwargs, pattern):
    args = {"omega_c": 1e15, "n": 1.48, "radius": 1e-3, "angular_velocity": 1e4}
    args.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        sagnac_shift(**args)


def test_fused_silica_index_published_values():
    # Malitson (1965) fused silica: n(0.5893 um, sodium D) = 1.4584, n(1.55 um) = 1.4440.
    assert_allclose(fused_silica_refractive_index(589.3e-9), 1.4584, atol=1e-4)
    assert_allclose(fused_silica_refractive_index(1550e-9), 1.4440, atol=1e-4)
    with pytest.raises(ValueError, match="wavelength must lie in the Sellmeier range"):
        fused_silica_refractive_index(10e-6)


# --- thermal occupation ----------------------------------------------------------------


def test_thermal_occupation_zero_temperature_is_exactly_zero():
    with np.errstate(all="raise"):
        assert thermal_occupation(1e9, 0.0) == 0.0
        assert np.all(thermal_occupation(np.array([1e6, 1e9]), 0.0) == 0.0)


def test_thermal_occupation_hand_value():
    # x = hbar omega / k_B T = 1 exactly -> n = 1/(e - 1) = 0.581977.
    t = 1.0
    omega = KB * t / HBAR
    assert_allclose(thermal_occupation(omega, t), 1 / (math.e - 1), rtol=1e-12)


def test_thermal_occupation_paper_a_value():
    # Paper A: omega_m = 2 pi 88.54 MHz, T = 100 mK: x = 1.05457e-34 * 5.56314e8
    # / (1.380649e-23 * 0.1) = 0.0424926; n = 1/expm1(x) = 23.0371.
    assert_allclose(thermal_occupation(2 * math.pi * 88.54e6, 0.1), 23.0371, rtol=1e-5)


def test_thermal_occupation_high_temperature_limit():
    # n = k_B T / (hbar omega) - 1/2 + x/12 + O(x^3): error < x/12 with x = hbar omega / k_B T.
    omega = 1e8
    temps = np.array([1.0, 10.0, 100.0])
    x = HBAR * omega / (KB * temps)
    assert np.all(np.abs(thermal_occupation(omega, temps) - (1 / x - 0.5)) <= x / 12 * 1.001)


def test_thermal_occupation_low_temperature_no_overflow():
    with np.errstate(all="raise"):
        assert thermal_occupation(1e15, 1e-3) == 0.0


@pytest.mark.parametrize(
    ("omega", "temperature", "pattern"),
    [
        (-1.0, 1.0, r"omega must be > 0, got \[?-1\.0"),
        (1.0, -0.1, r"temperature must be >= 0, got \[?-0\.1"),
    ],
)
def test_thermal_occupation_rejects_bad_input(omega, temperature, pattern):
    with pytest.raises(ValueError, match=pattern):
        thermal_occupation(omega, temperature)


# --- couplings and drives ----------------------------------------------------------------


def test_single_photon_coupling_paper_a_hand_value():
    # omega_c = 2 pi c / 780 nm = 2.41494e15 rad/s; omega_c / R = 6.70816e19 rad/(s m);
    # hbar / (m omega_m) = 1.05457e-34 / (15e-12 kg * 5.56314e8 s^-1) = 1.26376e-32 m^2;
    # sqrt = 1.12417e-16 m; g0 = 6.70816e19 * 1.12417e-16 = 7.5411e3 rad/s.
    omega_c = 2 * math.pi * C / 780e-9
    g0 = single_photon_coupling(omega_c, 36e-6, 15e-12, 2 * math.pi * 88.54e6)
    assert_allclose(g0, 7.5411e3, rtol=1e-4)


def test_single_photon_coupling_conventions_differ_by_sqrt2():
    args = (1.2e15, 1.1e-3, 10e-12, np.array([63e6, 2 * math.pi * 63e6]))
    ratio = single_photon_coupling(*args) / single_photon_coupling(*args, convention="zpf")
    assert_allclose(ratio, math.sqrt(2), rtol=1e-14)


def test_single_photon_coupling_rejects_bad_input():
    with pytest.raises(ValueError, match=r"mass must be > 0, got \[?-1\.0"):
        single_photon_coupling(1e15, 1e-3, -1.0, 1e8)
    with pytest.raises(ValueError, match=r"convention must be 'paper' or 'zpf', got 'x'"):
        single_photon_coupling(1e15, 1e-3, 1e-12, 1e8, convention="x")


def test_input_photon_flux_amplitude_paper_a():
    # P = 20 mW, lambda = 780 nm: hbar omega = 1.05457e-34 * 2.41494e15 = 2.54673e-19 J;
    # P / (hbar omega) = 7.85322e16 photons/s; sqrt = 2.80236e8 s^-1/2.
    eps = input_photon_flux_amplitude(20e-3, 2 * math.pi * C / 780e-9)
    assert_allclose(eps, 2.80236e8, rtol=1e-5)


def test_paper_b_drive_rate_relation_to_flux():
    # |eps_B| = sqrt(2 kappa) * |eps_A| by construction of the two formulas:
    # hand value for P = 40 mW, kappa = 3.8e7, omega_0 = 1.21526e15:
    # 2 * 3.8e7 * 0.04 / (1.05457e-34 * 1.21526e15) = 3.04e6 / 1.28158e-19 = 2.37208e25;
    # sqrt = 4.87040e12 s^-1.
    w0 = 2 * math.pi * C / 1550e-9
    assert_allclose(paper_b_drive_rate(40e-3, 3.8e7, w0), 4.87040e12, rtol=1e-5)
    assert_allclose(
        paper_b_drive_rate(40e-3, 3.8e7, w0),
        math.sqrt(2 * 3.8e7) * input_photon_flux_amplitude(40e-3, w0),
        rtol=1e-14,
    )


def test_drives_reject_bad_input():
    with pytest.raises(ValueError, match=r"power must be >= 0, got \[?-1\.0"):
        input_photon_flux_amplitude(-1.0, 1e15)
    with pytest.raises(ValueError, match=r"kappa must be > 0, got \[?0\.0"):
        paper_b_drive_rate(1e-3, 0.0, 1e15)
    with pytest.raises(ValueError, match=r"wavelength must be > 0, got \[?-1e-06"):
        optical_angular_frequency(-1e-6)
    with pytest.raises(ValueError, match=r"q_factor must be > 0"):
        decay_rate_from_q(1e15, -5)
