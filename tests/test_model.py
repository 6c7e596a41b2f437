"""Tests of optolib.model: drift and diffusion matrices derived from a declaration."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from conftest import optomechanical_cavity
from optolib import GaussianModel, OptolibError, symplectic_form


def test_thermal_damping_gives_textbook_matrices():
    # gamma (n+1) D[a] + gamma n D[a^dag]:  A = -gamma/2 * 1,  D = gamma (2n+1)/2 * 1
    m = GaussianModel(["a"])
    m.hamiltonian = 2.0 * m.ops[0].dag() * m.ops[0]
    m.add_damping("a", rate=0.3, n_thermal=2.0)
    assert_allclose(m.drift_matrix(), [[-0.15, 2.0], [-2.0, -0.15]], atol=1e-15)
    assert_allclose(m.diffusion_matrix(), 0.15 * 5 * np.eye(2), atol=1e-15)


def test_vitali_2007_drift_and_diffusion():
    # Vitali et al., PRL 98, 030405 (2007), Eq. (5)-(6): u = (q, p, X, Y),
    #   A = [[0, w, 0, 0], [-w, -gm, G, 0], [0, 0, -k, D], [G, 0, -D, -k]]
    #   D = diag(0, gm (2n+1), k, k)      (k = amplitude decay rate, vacuum variance 1/2)
    # Our declaration: modes (b, a); H = D a^dag a + w b^dag b - g (a+a^dag)(b+b^dag)
    #   = ... - 2 g X q, so Vitali's G = 2 g; cavity energy decay rate 2k.
    w, gm, k, det, g, n = 1.0, 1e-3, 0.4, 0.9, 0.2, 5.0
    m = GaussianModel(["b", "a"])
    b, a = m.ops
    m.hamiltonian = det * a.dag() * a + w * b.dag() * b - g * (a + a.dag()) * (b + b.dag())
    m.add_damping("a", rate=2 * k)
    m.add_brownian_damping("b", rate=gm, n_thermal=n)
    big_g = 2 * g
    a_vitali = np.array(
        [[0, w, 0, 0], [-w, -gm, big_g, 0], [0, 0, -k, det], [big_g, 0, -det, -k]]
    )
    assert_allclose(m.drift_matrix(), a_vitali, atol=1e-15)
    assert_allclose(m.diffusion_matrix(), np.diag([0, gm * (2 * n + 1), k, k]), atol=1e-15)


def test_hamiltonian_part_is_two_omega_g():
    # H = r^T G r  =>  dr/dt = 2 Omega G r; check on a beam splitter + squeezer
    m = GaussianModel(["a", "b"])
    a, b = m.ops
    m.hamiltonian = (0.7 * a.dag() * b + 0.3j * a * b).plus_hc()
    g = m.hamiltonian_matrix()
    assert_allclose(g, g.T)
    assert_allclose(m.drift_matrix(), 2 * symplectic_form(2) @ g)
    assert np.abs(g).max() > 0


def test_non_hermitian_hamiltonian_is_rejected():
    m = GaussianModel(["a", "b"])
    a, b = m.ops
    with pytest.raises(OptolibError, match=r"Hermitian.*H\.c\."):
        m.hamiltonian = 0.5 * a.dag() * b


def test_batched_coefficients_broadcast():
    deltas = np.linspace(-1, 1, 5)
    kappas = np.array([0.1, 0.2, 0.3])[:, None]
    m = GaussianModel(["a"])
    a = m.ops[0]
    m.hamiltonian = deltas * a.dag() * a
    m.add_damping("a", rate=kappas)
    drift = m.drift_matrix()
    assert drift.shape == (3, 5, 2, 2)
    for i in range(3):
        for j in range(5):
            single = GaussianModel(["a"])
            single.hamiltonian = deltas[j] * single.ops[0].dag() * single.ops[0]
            single.add_damping("a", rate=kappas[i, 0])
            assert_allclose(drift[i, j], single.drift_matrix())


def test_collective_channel_has_cross_diffusion():
    # L = a_1 + a_2 (a cascaded-type collective output): D couples the two modes
    m = GaussianModel(["a1", "a2"])
    a1, a2 = m.ops
    m.add_channel(a1 + a2, rate=1.0)
    d = m.diffusion_matrix()
    assert_allclose(d, 0.5 * np.kron(np.ones((2, 2)), np.eye(2)), atol=1e-15)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda m: m.add_damping("a", rate=-1.0), "rate.*>= 0"),
        (lambda m: m.add_damping("a", rate=np.nan), "rate.*finite"),
        (lambda m: m.add_damping("a", rate=1.0, n_thermal=-0.1), "n_thermal.*>= 0"),
        (lambda m: m.add_damping("c", rate=1.0), "mode must be one of"),
        (lambda m: m.add_brownian_damping("a", rate=-2.0), "rate of Brownian.*>= 0"),
        (lambda m: m.add_classical_noise("x", diffusion=np.eye(3)), "even dimension"),
    ],
)
def test_bad_declarations_name_the_parameter(call, match):
    m = GaussianModel(["a"])
    with pytest.raises(ValueError, match=match):
        call(m)


def test_modes_must_be_unique_and_from_same_model():
    with pytest.raises(OptolibError, match="unique"):
        GaussianModel(["a", "a"])
    m1, m2 = GaussianModel(["a"]), GaussianModel(["b"])
    with pytest.raises(OptolibError, match="different models"):
        m1.ops[0] + m2.ops[0]


def test_brownian_model_is_flagged_not_lindblad():
    assert optomechanical_cavity().is_lindblad
    assert not optomechanical_cavity(brownian=True).is_lindblad


def test_library_single_cavity_matches_vitali():
    # the library's declaration (optolib.single_cavity) against Vitali's explicit matrix,
    # same mapping as above: Vitali's G = 2 g, amplitude decay k = kappa / 2
    w, gm, kappa, det, g, n = 1.0, 1e-3, 0.8, 0.9, 0.2, 5.0
    m = optomechanical_cavity(det, w, g, kappa, gm, n, brownian=True)
    k, big_g = kappa / 2, 2 * g
    a_vitali = np.array(
        [[-k, det, 0, 0], [-det, -k, big_g, 0], [0, 0, 0, w], [big_g, 0, -w, -gm]]
    )  # order (X, Y, q, p): modes (a, b)
    assert_allclose(m.drift_matrix(), a_vitali, atol=1e-15)
    assert_allclose(m.diffusion_matrix(), np.diag([k, k, 0, gm * (2 * n + 1)]), atol=1e-15)


def test_drift_and_diffusion_together_equal_separate_calls():
    m = optomechanical_cavity(delta=np.linspace(-1, 1, 7), brownian=True)
    m.add_classical_noise("extra", drift=0.01 * np.eye(4), diffusion=0.02 * np.eye(4))
    a, d = m.drift_and_diffusion()
    assert_allclose(a, m.drift_matrix(), atol=0)
    assert_allclose(d, m.diffusion_matrix(), atol=0)
