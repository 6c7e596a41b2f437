"""Tests of optolib.fock: the QuTiP bridge agrees with the Gaussian engine."""

from __future__ import annotations

import numpy as np
import pytest
import qutip
from numpy.testing import assert_allclose

from conftest import optomechanical_cavity
from optolib import (
    GaussianModel,
    NotLindbladError,
    OptolibError,
    fock,
    log_negativity,
    steady_state_covariance,
)


def test_moment_equations_match_declared_drift_and_diffusion(rng):
    # exact check of A and D through the adjoint Lindbladian, random 3-mode models
    for _ in range(3):
        m = GaussianModel(["a", "b", "c"])
        ops = m.ops
        h = 0.0 * ops[0] * ops[0]
        for i in range(3):
            for j in range(3):
                z1, z2 = rng.normal(size=2) + 1j * rng.normal(size=2)
                h = h + z1 * ops[i].dag() * ops[j] + z2 * ops[i] * ops[j]
        m.hamiltonian = (0.5 * h).plus_hc()
        jump = ops[0] * 0.0
        for k in range(3):
            jump = jump + complex(*rng.normal(size=2)) * ops[k] + 0.3 * rng.normal() * ops[k].dag()
        m.add_channel(jump, rate=0.7, n_thermal=0.4)
        m.add_damping("c", rate=0.2, n_thermal=1.5)
        assert fock.moment_equation_residual(m) < 1e-12


def test_moment_check_detects_a_wrong_drift_matrix():
    class WrongModel(GaussianModel):
        def drift_matrix(self):
            a = super().drift_matrix()
            a[1, 2] *= 1.01  # a 1 % error in one coupling entry
            return a

    m = WrongModel(["a", "b"])
    a, b = m.ops
    m.hamiltonian = 1.0 * a.dag() * a + 1.0 * b.dag() * b - 0.15 * (a + a.dag()) * (b + b.dag())
    m.add_damping("a", 0.5)
    m.add_damping("b", 0.01, 0.1)
    assert fock.moment_equation_residual(m) > 1e-3


def test_gaussian_equals_qutip_steady_state_for_optomechanical_cavity():
    # two-mode linearised optomechanics, occupations ~0.03 / 0.15 -> truncation (7, 7)
    # converges the covariance matrix to ~1e-6 (measured: change 1.4e-5 from 6 to 7 levels)
    m = optomechanical_cavity(delta=1.0, coupling=0.15, kappa=0.5, gamma_m=0.01, n_th=0.1)
    v_gauss = steady_state_covariance(m.drift_matrix(), m.diffusion_matrix())
    res = fock.converge_truncation(m, 4, tol=1e-4, max_levels=10)
    assert res.converged
    assert res.top_populations.max() < 1e-5
    assert_allclose(res.covariance, v_gauss, atol=2e-5)
    e_gauss = log_negativity(v_gauss, 0, 1)
    assert e_gauss > 0.1
    assert fock.fock_log_negativity(res.state, 1) == pytest.approx(e_gauss, abs=1e-4)


def test_fock_log_negativity_of_two_mode_squeezed_vacuum_is_2r():
    r, n = 0.3, 25
    a, b = qutip.tensor(qutip.destroy(n), qutip.qeye(n)), qutip.tensor(qutip.qeye(n), qutip.destroy(n))
    s = (r * (a.dag() * b.dag() - a * b)).expm()  # convention of the closed form below
    psi = s * qutip.tensor(qutip.basis(n, 0), qutip.basis(n, 0))
    rho = qutip.ket2dm(psi)
    assert fock.fock_log_negativity(rho, 1) == pytest.approx(2 * r, abs=1e-8)
    # and its covariance matrix is the TMSV closed form
    v = fock.covariance_from_state(rho)
    c, sh = np.cosh(2 * r) / 2, np.sinh(2 * r) / 2
    assert_allclose(v, [[c, 0, sh, 0], [0, c, 0, -sh], [sh, 0, c, 0], [0, -sh, 0, c]], atol=1e-8)


def test_covariance_of_coherent_and_thermal_states():
    n = 30
    coh = qutip.coherent_dm(n, 1.2 + 0.4j)
    assert_allclose(fock.covariance_from_state(coh), np.eye(2) / 2, atol=1e-8)
    th = qutip.thermal_dm(n, 0.7)
    assert_allclose(fock.covariance_from_state(th), 1.2 * np.eye(2), atol=1e-8)


def test_to_qutip_refuses_non_lindblad_and_batched_models():
    m = optomechanical_cavity(brownian=True)
    with pytest.raises(NotLindbladError, match="Brownian"):
        fock.to_qutip(m, 4, brownian="error")
    fm = fock.to_qutip(m, 4)  # default: rotating-wave replacement, recorded in notes
    assert "rotating-wave" in fm.notes[0]
    m2 = optomechanical_cavity()
    m2.add_classical_noise("extra", diffusion=np.eye(4))
    with pytest.raises(NotLindbladError, match="classical noise"):
        fock.to_qutip(m2, 4)
    batched = GaussianModel(["a"])
    batched.hamiltonian = np.array([1.0, 2.0]) * batched.ops[0].dag() * batched.ops[0]
    with pytest.raises(OptolibError, match="scalar parameters"):
        fock.to_qutip(batched, 4)
    with pytest.raises(OptolibError, match="truncation"):
        fock.to_qutip(optomechanical_cavity(), (4, 1))
