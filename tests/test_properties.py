"""Property-based tests (hypothesis) of the Gaussian engine and the QuTiP bridge."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from optolib import (
    GaussianModel,
    complete_positivity_margin,
    fock,
    log_negativity,
    solve_lyapunov,
    steady_state_covariance,
    symplectic_eigenvalues,
    uncertainty_margin,
)

seeds = st.integers(min_value=0, max_value=2**32 - 1)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def passive_symplectic(rng: np.random.Generator, n: int) -> np.ndarray:
    """Real 2n x 2n (xpxp) representation of a random n x n unitary (beam-splitter network)."""
    z = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    u, _ = np.linalg.qr(z)
    s = np.zeros((2 * n, 2 * n))
    s[0::2, 0::2], s[0::2, 1::2] = u.real, -u.imag
    s[1::2, 0::2], s[1::2, 1::2] = u.imag, u.real
    return s


def random_symplectic(rng: np.random.Generator, n: int) -> np.ndarray:
    """Bloch-Messiah: passive . single-mode squeezers . passive."""
    r = rng.uniform(-0.8, 0.8, size=n)
    sq = np.diag(np.ravel(np.column_stack([np.exp(r), np.exp(-r)])))
    return passive_symplectic(rng, n) @ sq @ passive_symplectic(rng, n)


def random_state(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A random physical covariance matrix and its symplectic eigenvalues (Williamson form)."""
    nu = 0.5 + rng.exponential(0.5, size=n)
    s = random_symplectic(rng, n)
    return s @ np.diag(np.repeat(nu, 2)) @ s.T, np.sort(nu)


@FAST
@given(seed=seeds, n=st.integers(2, 4))
def test_random_states_are_physical_with_known_spectrum(seed, n):
    v, nu = random_state(np.random.default_rng(seed), n)
    assert uncertainty_margin(v) > -1e-9
    assert_allclose(symplectic_eigenvalues(v), nu, rtol=1e-7)


@FAST
@given(seed=seeds, n=st.integers(2, 4))
def test_log_negativity_nonnegative_and_invariant(seed, n):
    rng = np.random.default_rng(seed)
    v, _ = random_state(rng, n)
    e = log_negativity(v, 0, tuple(range(1, n)))
    assert e >= 0
    # local symplectics on mode 0 and on the rest leave E_N(0 | rest) unchanged
    s_loc = np.zeros((2 * n, 2 * n))
    s_loc[:2, :2] = random_symplectic(rng, 1)
    s_loc[2:, 2:] = random_symplectic(rng, n - 1)
    assert_allclose(log_negativity(s_loc @ v @ s_loc.T, 0, tuple(range(1, n))), e, atol=1e-7)
    # relabelling the modes of the second party changes nothing either
    perm_modes = [0, *rng.permutation(np.arange(1, n))]
    idx = np.ravel([[2 * k, 2 * k + 1] for k in perm_modes])
    assert_allclose(log_negativity(v[np.ix_(idx, idx)], 0, tuple(range(1, n))), e, atol=1e-9)


@FAST
@given(seed=seeds, n=st.integers(2, 4))
def test_product_states_are_not_entangled(seed, n):
    rng = np.random.default_rng(seed)
    v = np.zeros((2 * n, 2 * n))
    for k in range(n):
        v[2 * k : 2 * k + 2, 2 * k : 2 * k + 2] = random_state(rng, 1)[0]
    assert log_negativity(v, 0, tuple(range(1, n))) == 0.0


@FAST
@given(seed=seeds, m=st.sampled_from([2, 4, 6, 8]), batch=st.integers(1, 6))
def test_lyapunov_residual(seed, m, batch):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(batch, m, m))
    a -= (np.linalg.eigvals(a).real.max(axis=-1) + rng.uniform(0.05, 1.0, batch))[:, None, None] * np.eye(m)
    b = rng.normal(size=(batch, m, m))
    d = b @ np.swapaxes(b, -1, -2)
    v = solve_lyapunov(a, d)
    res = a @ v + v @ np.swapaxes(a, -1, -2) + d
    assert np.abs(res).max() <= 1e-10 * max(np.abs(d).max(), np.abs(a).max() * np.abs(v).max())


def random_lindblad_model(rng: np.random.Generator, n: int, scale: float = 1.0) -> GaussianModel:
    m = GaussianModel([f"m{k}" for k in range(n)])
    ops = m.ops
    h = 0.0 * ops[0] * ops[0]
    for i in range(n):
        h = h + rng.uniform(0.5, 2.0) * ops[i].dag() * ops[i]
        for j in range(i + 1, n):
            z1, z2 = scale * (rng.normal(size=2) + 1j * rng.normal(size=2))
            h = h + (z1 * ops[i].dag() * ops[j] + z2 * ops[i] * ops[j]).plus_hc()
    m.hamiltonian = h
    for k in range(n):
        m.add_damping(k, rng.uniform(0.3, 1.5), rng.uniform(0.0, 0.05))
    jump = ops[0] * 0.0
    for k in range(n):
        jump = jump + complex(*rng.normal(size=2)) * ops[k] + scale * rng.normal() * ops[k].dag()
    m.add_channel(jump, rate=rng.uniform(0.0, 0.3), n_thermal=rng.uniform(0.0, 0.1))
    return m


@settings(max_examples=15, deadline=None)
@given(seed=seeds, n=st.integers(1, 3))
def test_declared_lindblad_models_are_cp_and_match_qutip_moments(seed, n):
    m = random_lindblad_model(np.random.default_rng(seed), n)
    assert complete_positivity_margin(m.drift_matrix(), m.diffusion_matrix()) > -1e-10
    assert fock.moment_equation_residual(m) < 1e-11


@settings(max_examples=4, deadline=None)
@given(seed=seeds)
def test_gaussian_equals_qutip_steady_state_for_random_weakly_coupled_models(seed):
    # weak couplings and cold baths keep occupations ~1e-3, so 5-6 levels converge to ~1e-7
    rng = np.random.default_rng(seed)
    m = random_lindblad_model(rng, 2, scale=0.05)
    a, d = m.drift_matrix(), m.diffusion_matrix()
    assume(np.linalg.eigvals(a).real.max() < -1e-3)  # unstable draws have no steady state (rare)
    v = steady_state_covariance(a, d)
    res = fock.converge_truncation(m, 3, tol=1e-7, max_levels=9)
    assert res.converged
    assert_allclose(res.covariance, v, atol=1e-6)
