"""Tests of optolib.physicality: uncertainty relation and complete positivity."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from conftest import optomechanical_cavity
from optolib import (
    GaussianModel,
    OptolibError,
    UnphysicalCovarianceError,
    check_complete_positivity,
    check_physical_covariance,
    complete_positivity_margin,
    uncertainty_margin,
)


def test_vacuum_is_on_the_boundary_and_thermal_inside():
    assert_allclose(uncertainty_margin(np.eye(4) / 2), 0.0, atol=1e-15)
    assert_allclose(uncertainty_margin(1.5 * np.eye(2)), 1.0)


def test_squeezing_below_vacuum_in_both_quadratures_is_unphysical():
    with pytest.raises(UnphysicalCovarianceError, match=r"-0\.1"):
        check_physical_covariance(np.diag([0.4, 0.4]))
    check_physical_covariance(np.diag([0.1, 2.5]))  # squeezed vacuum: 0.1 * 2.5 = 1/4


def test_lindblad_models_are_completely_positive(rng):
    for _ in range(20):
        m = GaussianModel(["a", "b", "c"])
        ops = m.ops
        h = 0.0 * ops[0] * ops[0]
        for i in range(3):
            for j in range(3):
                h = h + complex(*rng.normal(size=2)) * (ops[i].dag() * ops[j] + ops[i] * ops[j])
        m.hamiltonian = (0.5 * h).plus_hc()
        for _ in range(3):
            c_a = rng.normal(size=3) + 1j * rng.normal(size=3)
            c_ad = rng.normal(size=3) + 1j * rng.normal(size=3)
            jump = ops[0] * 0.0
            for k in range(3):
                jump = jump + c_a[k] * ops[k] + c_ad[k] * ops[k].dag()
            m.add_channel(jump, rate=rng.uniform(0, 2), n_thermal=rng.uniform(0, 3))
        margin = complete_positivity_margin(m.drift_matrix(), m.diffusion_matrix())
        assert margin > -1e-12


def test_brownian_damping_is_not_completely_positive():
    # A = [[0, w], [-w, -g]], D = diag(0, c), c = g(2n+1):
    # D - (i/2)(A Omega + Omega A^T) = [[0, i g/2], [-i g/2, c]] -> min eig (c - sqrt(c^2 + g^2))/2
    g, n = 0.01, 3.0
    m = GaussianModel(["b"])
    m.hamiltonian = 1.0 * m.ops[0].dag() * m.ops[0]
    m.add_brownian_damping("b", g, n)
    c = g * (2 * n + 1)
    expected = (c - np.sqrt(c**2 + g**2)) / 2
    assert_allclose(complete_positivity_margin(m.drift_matrix(), m.diffusion_matrix()), expected)
    with pytest.raises(OptolibError, match="not completely positive"):
        check_complete_positivity(m.drift_matrix(), m.diffusion_matrix())
    lindblad = optomechanical_cavity()
    check_complete_positivity(lindblad.drift_matrix(), lindblad.diffusion_matrix())


def test_diagonal_noise_on_a_cascade_is_not_completely_positive():
    # Unidirectional coupling a1 -> a2 with independent (diagonal) vacuum noise: the
    # drift of a cascaded system but the diffusion of two unrelated cavities.
    # With the correct collective output channel the pair is CP; with diagonal D it is not.
    k = 1.0
    m = GaussianModel(["a1", "a2"])
    a1, a2 = m.ops
    # cascaded master equation (Gardiner 1993): H = (i/2) k (a1^dag a2 - a2^dag a1)... written
    # here with L = sqrt(k)(a1 + a2) and H = -(i k / 2)(a2^dag a1 - a1^dag a2)
    m.hamiltonian = (-0.5j * k * a2.dag() * a1).plus_hc()
    m.add_channel(a1 + a2, rate=k)
    a, d = m.drift_matrix(), m.diffusion_matrix()
    # the declared cascade: a2 is driven by a1 but not vice versa
    assert_allclose(a[0:2, 2:4], 0.0, atol=1e-15)
    assert np.abs(a[2:4, 0:2]).max() == pytest.approx(k)
    assert complete_positivity_margin(a, d) > -1e-12
    d_diag = np.diag(np.diag(d))
    assert complete_positivity_margin(a, d_diag) < -0.1
