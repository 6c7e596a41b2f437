"""Tests of optolib.steady_state against closed forms and independent methods."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from numpy.testing import assert_allclose

from conftest import optomechanical_cavity
from optolib import (
    GaussianModel,
    OptolibError,
    UnstableSystemError,
    check_stability,
    solve_lyapunov,
    steady_state_covariance,
)


def test_thermal_state_closed_form():
    # damped oscillator in a bath of occupation n: V = (n + 1/2) * 1
    m = GaussianModel(["a"])
    m.hamiltonian = 3.0 * m.ops[0].dag() * m.ops[0]
    m.add_damping("a", rate=0.2, n_thermal=1.7)
    v = steady_state_covariance(m.drift_matrix(), m.diffusion_matrix())
    assert_allclose(v, 2.2 * np.eye(2), rtol=1e-12, atol=1e-15)


def test_brownian_oscillator_closed_form():
    # Brownian motion: A = [[0, w], [-w, -g]], D = diag(0, g(2n+1)) -> V = (n+1/2) 1 exactly
    m = GaussianModel(["b"])
    m.hamiltonian = 1.3 * m.ops[0].dag() * m.ops[0]
    m.add_brownian_damping("b", rate=0.05, n_thermal=4.0)
    v = steady_state_covariance(m.drift_matrix(), m.diffusion_matrix())
    assert_allclose(v, 4.5 * np.eye(2), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("method", ["integral", "ode"])
def test_lyapunov_equals_time_integral_and_ode(method):
    m = optomechanical_cavity(delta=1.1, coupling=0.2, kappa=0.6, gamma_m=0.02, n_th=2.0)
    a, d = m.drift_matrix(), m.diffusion_matrix()
    v_lyap = steady_state_covariance(a, d)
    v_other = steady_state_covariance(a, d, method=method)
    assert_allclose(v_other, v_lyap, rtol=1e-7, atol=1e-9 * np.abs(v_lyap).max())


def test_batched_lyapunov_matches_scipy_per_point(rng):
    # random stable 8x8 drift matrices: shift the spectrum left of the imaginary axis
    a = rng.normal(size=(7, 3, 8, 8))
    shift = np.linalg.eigvals(a).real.max(axis=-1) + 0.5
    a = a - shift[..., None, None] * np.eye(8)
    b = rng.normal(size=(7, 3, 8, 8))
    d = b @ np.swapaxes(b, -1, -2)
    v = solve_lyapunov(a, d)
    for idx in np.ndindex(7, 3):
        ref = scipy.linalg.solve_continuous_lyapunov(a[idx], -d[idx])
        assert_allclose(v[idx], ref, rtol=1e-9, atol=1e-12 * np.abs(ref).max())
    residual = a @ v + v @ np.swapaxes(a, -1, -2) + d
    assert np.abs(residual).max() < 1e-10 * np.abs(d).max()


def test_unstable_drift_raises_with_eigenvalue():
    a = np.array([[0.1, 1.0], [-1.0, 0.1]])  # eigenvalues 0.1 +- 1j
    with pytest.raises(UnstableSystemError, match=r"eigenvalue 0\.1") as info:
        steady_state_covariance(a, np.eye(2))
    assert info.value.eigenvalue.real == pytest.approx(0.1)


def test_unstable_points_in_batch_are_named_or_masked():
    a = np.stack([-np.eye(2), 0.2 * np.eye(2), -0.5 * np.eye(2)])
    with pytest.raises(UnstableSystemError, match=r"batch index \(1,\).*1 of 3") as info:
        check_stability(a)
    assert info.value.indices == ((1,),)
    v = steady_state_covariance(a, np.eye(2), on_unstable="mask")
    assert isinstance(v, np.ma.MaskedArray)
    assert v.mask[1].all() and not v.mask[0].any() and not v.mask[2].any()
    assert_allclose(v[0], 0.5 * np.eye(2))


def test_bad_arguments():
    with pytest.raises(OptolibError, match="shape"):
        solve_lyapunov(np.eye(3)[:2], np.eye(2))
    with pytest.raises(OptolibError, match="symmetric"):
        solve_lyapunov(-np.eye(2), np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(OptolibError, match="method"):
        steady_state_covariance(-np.eye(2), np.eye(2), method="magic")
    with pytest.raises(OptolibError, match="on_unstable"):
        steady_state_covariance(-np.eye(2), np.eye(2), on_unstable="ignore")
