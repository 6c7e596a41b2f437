"""Tests of optolib.paper_a: the cascaded model of paper A against its printed equations and independent physics."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import qutip
from numpy.testing import assert_allclose

import optolib as ol
from optolib import fock
from optolib.errors import NotLindbladError, OptolibError
from optolib.paper_a import analysis as an
from optolib.paper_a.fock_check import (
    cascade_liouvillian,
    cascade_steady_state,
    declared_vs_gardiner,
    reduced_parameters,
)
from optolib.paper_a.mean_field import mean_fields
from optolib.paper_a.model import cascaded_model, printed_diffusion_matrix, printed_drift_matrix
from optolib.paper_a.parameters import SPIN_FIG2, SPIN_FIG3, paper_a_parameters

X = np.linspace(0.4, 1.6, 1201)


def _swap_modes(mat):
    """Relabel l <-> r: modes (a_l, a_r, b_l, b_r) -> (a_r, a_l, b_r, b_l)."""
    perm = np.array([2, 3, 0, 1, 6, 7, 4, 5])
    return mat[..., perm, :][..., :, perm]


@pytest.mark.parametrize("noise", ["physical", "paper"])
@pytest.mark.parametrize("changes", [
    {}, {"spin_l": SPIN_FIG2}, {"spin_l": SPIN_FIG3, "spin_r": -SPIN_FIG2, "chi": 0.95},
    {"phi": 1.1, "eta": 0.6}, {"phi": -2.5, "eta": 0.3, "chi": 1.03, "temperature": 0.0},
])
def test_drift_matrix_equals_paper_eq14_entry_by_entry(noise, changes):
    p = paper_a_parameters(**changes)
    delta = p.omega_m_l * np.linspace(-1.5, 1.5, 7)
    a = cascaded_model(p, delta, "left", noise).drift_matrix()
    printed = printed_drift_matrix(p, delta)
    assert a.shape == printed.shape == (7, 8, 8)
    scale = np.abs(printed).max()
    for i in range(8):
        for j in range(8):
            assert_allclose(a[:, i, j], printed[:, i, j], rtol=0, atol=1e-13 * scale, err_msg=f"A[{i},{j}]")


def test_paper_diffusion_matrix_is_the_printed_one_and_physical_adds_only_cross_terms():
    p = paper_a_parameters(phi=0.7, eta=0.8, spin_l=SPIN_FIG2)
    d_paper = cascaded_model(p, p.omega_m_l, "left", "paper").diffusion_matrix()
    d_phys = cascaded_model(p, p.omega_m_l, "left", "physical").diffusion_matrix()
    assert_allclose(d_paper, printed_diffusion_matrix(p), rtol=1e-14, atol=0)
    # same diagonal blocks; the cascaded master equation adds l-r correlations of the fibre noise
    diff = d_phys - d_paper
    assert_allclose(diff[:2, :2], 0, atol=1e-6)
    assert_allclose(diff[2:4, 2:4], 0, atol=1e-6)
    assert_allclose(diff[4:, :], 0, atol=1e-6)
    # cross block: (1/2) sqrt(eta kl kr) R(phi) (from the collective jump operator)
    j = p.cascade_rate
    rot = np.array([[np.cos(p.phi), -np.sin(p.phi)], [np.sin(p.phi), np.cos(p.phi)]])
    assert_allclose(diff[2:4, 0:2], 0.5 * j * rot, rtol=1e-12)


def test_physical_model_moment_equations_exact():
    # one general point (lossy fibre, phase, mismatch, spin, thermal baths); right input follows by the
    # mirror test below (about a second with the sparse check).
    p = paper_a_parameters(phi=0.9, eta=0.7, spin_l=SPIN_FIG2, chi=0.97)
    m = cascaded_model(p, 0.9 * p.omega_m_l, "left", "physical")
    assert fock.moment_equation_residual(m) < 1e-12


@pytest.mark.parametrize("direction", ["left", "right"])
def test_declared_liouvillian_equals_gardiners_cascaded_form(direction):
    p = paper_a_parameters(phi=0.7, eta=0.8, spin_l=SPIN_FIG2, spin_r=-0.2e6, chi=0.97)
    assert declared_vs_gardiner(p, 0.9 * p.omega_m_l, direction, (2, 2, 3, 3)) < 1e-14
    # the check is sharp: a sign error in the cascade phase (phi -> phi + pi) in the declaration is caught
    wrong = fock.to_qutip(cascaded_model(p.replace(phi=p.phi + np.pi), 0.9 * p.omega_m_l, direction), (2, 2, 3, 3))
    l_wrong = qutip.liouvillian(wrong.hamiltonian, wrong.c_ops).data.as_scipy()
    l_right = cascade_liouvillian(p, 0.9 * p.omega_m_l, direction, (2, 2, 3, 3)).data.as_scipy()
    assert abs(l_wrong - l_right).max() > 1e-2 * abs(l_right).max()  # measured 0.1; agreement is 1e-16


def test_paper_noise_model_has_no_master_equation():
    p = paper_a_parameters()
    with pytest.raises(NotLindbladError):
        fock.to_qutip(cascaded_model(p, p.omega_m_l, "left", "paper"), 3)


@pytest.mark.parametrize("noise", ["physical", "paper"])
def test_right_input_is_the_mirror_image_of_left_input(noise):
    # relabelling l <-> r maps right input with (k_l, k_r, O_l, O_r) onto left input with
    # (k_r, k_l, -O_r, -O_l): the Sagnac shift changes sign with the direction of travel
    p = paper_a_parameters(spin_l=SPIN_FIG3, spin_r=-0.3e6, phi=0.4, eta=0.9)
    q = p.replace(kappa_ex_l=p.kappa_ex_r, kappa_ex_r=p.kappa_ex_l, spin_l=-p.spin_r, spin_r=-p.spin_l)
    delta = p.omega_m_l * np.linspace(0.5, 1.5, 5)
    right = cascaded_model(p, delta, "right", noise)
    left = cascaded_model(q, delta, "left", noise)
    assert_allclose(right.drift_matrix(), _swap_modes(left.drift_matrix()), rtol=1e-12, atol=1e-3)
    assert_allclose(right.diffusion_matrix(), _swap_modes(left.diffusion_matrix()), rtol=1e-12, atol=1e-6)


@pytest.mark.parametrize("noise", ["physical", "paper"])
def test_static_case_is_reciprocal_for_equal_fibre_couplings(noise):
    p = paper_a_parameters(kappa_ex_r=2 * np.pi * 27e6)
    left = an.detuning_sweep(p, X, "left", noise)
    right = an.detuning_sweep(p, X, "right", noise)
    assert_allclose(left.exponent, right.exponent, rtol=0, atol=1e-9)
    # with the paper's unequal couplings (27 vs 30 MHz) the curves differ by a few per cent
    q = paper_a_parameters()
    if noise == "paper":
        peaks = [an.peak(X, an.detuning_sweep(q, X, d, noise).log_negativity)[1] for d in ("left", "right")]
        assert 0.02 < abs(peaks[0] / peaks[1] - 1) < 0.1


@pytest.mark.parametrize("noise", ["physical", "paper"])
def test_sagnac_peak_shift_when_both_resonators_spin(noise):
    # both spinning at the same rate: both detunings shift by +-Delta_F, so every feature moves rigidly
    static = paper_a_parameters()
    both = paper_a_parameters(spin_l=SPIN_FIG2, spin_r=SPIN_FIG2)
    shift = float(both.sagnac_l / both.omega_m_l)
    for direction, sign in (("left", -1), ("right", +1)):
        s0 = an.detuning_sweep(static, X, direction, noise)
        s1 = an.detuning_sweep(both, X + sign * shift, direction, noise)
        assert_allclose(s1.exponent, s0.exponent, atol=1e-10)


def test_fig2b_peaks_at_the_texts_detunings():
    # paper A, Sec. III on Fig. 2(b): entanglement for one direction only at Delta/omega_m = 0.74 or 0.98
    p = paper_a_parameters(spin_l=SPIN_FIG2)
    x_left, _ = an.peak(X, an.detuning_sweep(p, X, "left", "paper").log_negativity)
    x_right, _ = an.peak(X, an.detuning_sweep(p, X, "right", "paper").log_negativity)
    assert abs(x_left - 0.74) < 0.01 and abs(x_right - 0.98) < 0.03
    at = {d: np.interp([0.74, 0.98], X, an.detuning_sweep(p, X, d, "paper").log_negativity.filled(0))
          for d in ("left", "right")}
    assert at["left"][0] > 0.05 and at["right"][0] < 1e-9
    assert at["right"][1] > 0.04 and at["left"][1] < 1e-9  # 0.98 is where left input's E_N ends


def test_fig3_enhancements_and_revival_beside_the_papers_numbers():
    # caption of Fig. 3 / Sec. III: "enhanced for ~1.4 or 2.5 times with respect to chi = 0.97 or 0.95"
    pk = {}
    for case in ("a", "c"):
        sl, sr, _ = an.FIG3_CASES[case]
        p = paper_a_parameters(spin_l=sl, spin_r=sr, chi=np.array([1.0, 0.97, 0.95])[:, None])
        s = an.detuning_sweep(p, X, "left", "paper")
        pk[case] = [an.peak(X, s.log_negativity[k])[1] for k in range(3)]
    enh = [pk["c"][k] / pk["a"][k] for k in (1, 2)]
    assert abs(enh[0] - 1.4) < 0.1
    assert abs(enh[1] - 2.5) < 0.3
    assert abs(pk["c"][1] / pk["a"][0] - 0.9) < 0.05  # revival at chi = 0.97: ~90 %


def test_paper_steady_state_is_unphysical_and_physical_one_is_vacuum_without_coupling():
    p = paper_a_parameters(mass=1e20)  # g0 -> 0: two linear cavities with vacuum input
    for direction in ("left", "right"):
        v_phys = an.steady_state(p, p.omega_m_l, direction, "physical")
        v_paper = an.steady_state(p, p.omega_m_l, direction, "paper")
        assert_allclose(v_phys[:4, :4], 0.5 * np.eye(4), atol=1e-12)
        # paper: the second cavity is heated by vacuum and correlated with a first cavity in vacuum
        second = 1 if direction == "left" else 0
        with pytest.warns(RuntimeWarning, match="unphysical"):
            assert ol.mean_occupation(v_paper, second, check="warn") > 0.3
        assert ol.uncertainty_margin(v_paper) < -0.15
    a = cascaded_model(p, p.omega_m_l, "left", "paper")
    b = cascaded_model(p, p.omega_m_l, "left", "physical")
    scale = p.linewidth_l
    assert ol.complete_positivity_margin(a.drift_matrix(), a.diffusion_matrix()) < -0.1 * scale
    assert ol.complete_positivity_margin(b.drift_matrix(), b.diffusion_matrix()) > -1e-12 * scale


def test_physical_model_gives_no_mechanical_entanglement_in_the_figures_range():
    for sl, sr in an.FIG2_CASES.values():
        p = paper_a_parameters(spin_l=sl, spin_r=sr)
        for d in ("left", "right"):
            s = an.detuning_sweep(p, X, d, "physical")
            assert not s.unstable.any()
            assert s.uncertainty_margin.min() > -1e-9
            assert s.log_negativity.max() == 0 and s.exponent.max() < -0.04


def test_gardiner_master_equation_confirms_mean_fields_and_vacuum_noise():
    # hand-built cascaded Liouvillian (spre/spost), two driven cavities, g0 = 0, ~0.2 photons
    p, d = reduced_parameters()
    p = p.replace(power=p.power * 0.2 / float(mean_fields(p, d).photons_l))
    for direction in ("left", "right"):
        rho = cascade_steady_state(p, d, direction, (6, 6), drive=True)
        mf = mean_fields(p, d, direction)
        a = fock.ladder_operators((6, 6))
        assert abs(qutip.expect(a[0], rho) - mf.alpha_l) < 1e-4
        assert abs(qutip.expect(a[1], rho) - mf.alpha_r) < 1e-4
        assert_allclose(fock.covariance_from_state(rho), 0.5 * np.eye(4), atol=1e-4)


def test_gardiner_master_equation_agrees_with_physical_not_paper_noise():
    p, d = reduced_parameters(coupling=0.1)
    rho = cascade_steady_state(p, d, "left", (2, 2, 3, 3))
    v = fock.covariance_from_state(rho)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v_phys = an.steady_state(p, d, "left", "physical")
        v_paper = an.steady_state(p, d, "left", "paper")
    assert np.abs(v - v_phys).max() < 0.01  # truncation error (measured 7e-3; 1.1e-4 at (3,3,4,4))
    assert np.abs(v - v_paper).max() > 0.3


def test_mean_fields_solve_eq8_and_right_photon_number_is_phase_independent():
    p = paper_a_parameters(spin_l=SPIN_FIG2, phi=np.linspace(0, 2 * np.pi, 5)[:, None], eta=0.8)
    delta = p.omega_m_l * np.linspace(0.5, 1.5, 11)
    mf = mean_fields(p, delta, "left")
    eps, k_l, k_r = p.drive_amplitude, p.kappa_ex_l, p.kappa_ex_r
    res_l = -(1j * mf.detuning_l + p.linewidth_l / 2) * mf.alpha_l + np.sqrt(k_l) * eps
    res_r = (-(1j * mf.detuning_r + p.linewidth_r / 2) * mf.alpha_r
             - p.cascade_rate * np.exp(1j * p.phi) * mf.alpha_l + np.sqrt(p.eta * k_r) * np.exp(1j * p.phi) * eps)
    assert np.abs(res_l).max() < 1e-6 * np.sqrt(k_l) * eps
    assert np.abs(res_r).max() < 1e-6 * np.sqrt(k_l) * eps
    assert_allclose(mf.photons_r, np.broadcast_to(mf.photons_r[:1], mf.photons_r.shape), rtol=1e-12)  # after Eq. (10)


@pytest.mark.parametrize("noise", ["physical", "paper"])
def test_fibre_phase_drops_out_of_the_entanglement(noise):
    # a_r -> e^{i phi} a_r with alpha_r -> e^{i phi} alpha_r removes phi from Eqs. (9): a gauge
    p = paper_a_parameters(spin_l=SPIN_FIG2, phi=np.array([0.0, 0.5, 2.0, 4.0])[:, None])
    s = an.detuning_sweep(p, X[::10], "left", noise)
    assert_allclose(s.exponent, np.broadcast_to(s.exponent[:1], s.exponent.shape), atol=1e-11)


def test_radiation_pressure_shift_is_small_but_not_negligible():
    p = paper_a_parameters()
    mf = mean_fields(p, p.omega_m_l * X, "left")
    shift = mf.radiation_pressure_shift_l / p.omega_m_l
    # hand estimate at Delta = omega_m: 2 g0^2 N / omega_m with N = kex eps^2 / (omega_m^2 + Gamma^2/4)
    n_hand = p.kappa_ex_l * p.drive_amplitude**2 / (p.omega_m_l**2 + p.linewidth_l**2 / 4)
    assert_allclose(np.interp(1.0, X, shift), 2 * p.g0_l**2 * n_hand / p.omega_m_l**2, rtol=1e-6)
    assert 0.01 < np.interp(1.0, X, shift) < 0.02 and shift.max() < 0.1  # 1.5 % of omega_m at resonance


def test_g0_convention_zpf_equals_paper_convention_at_half_power():
    a = paper_a_parameters(g0_convention="zpf", spin_l=SPIN_FIG2)
    b = paper_a_parameters(power=a.power / 2, spin_l=SPIN_FIG2)
    assert_allclose(a.g0_l * np.sqrt(2), b.g0_l, rtol=1e-14)
    ea = an.detuning_sweep(a, X, "left", "paper").exponent
    eb = an.detuning_sweep(b, X, "left", "paper").exponent
    assert_allclose(ea, eb, atol=1e-10)


def test_bad_input_raises_naming_the_parameter():
    with pytest.raises(OptolibError, match="eta"):
        paper_a_parameters(eta=1.2)
    with pytest.raises(OptolibError, match="direction"):
        mean_fields(paper_a_parameters(), 1.0, "up")
    with pytest.raises(OptolibError, match="noise"):
        cascaded_model(paper_a_parameters(), 1.0, "left", "classical")
    with pytest.raises(OptolibError, match="kappa_0"):
        paper_a_parameters(kappa_0=-1.0)


def test_figure_ids_are_registered():
    from optolib.figures import FIGURES, _load_all

    _load_all()
    for fid in ("A-fig2", "A-fig3", "A-fig3e", "A-fig3f", "A-fig4", "A-fig2-physical", "A-fig3-physical"):
        assert fid in FIGURES and FIGURES[fid].chapter.startswith("book/paper_a/")
