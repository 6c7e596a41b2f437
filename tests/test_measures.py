"""Tests of optolib.measures against closed forms (squeezed, thermal, product states)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from optolib import (
    OptolibError,
    UnphysicalCovarianceError,
    log_negativity,
    mean_occupation,
    min_pt_symplectic_eigenvalue,
    purity,
    quadrature_marginal,
    residual_contangle,
    symplectic_eigenvalues,
    wigner_function,
)


def tmsv(r: float) -> np.ndarray:
    """Two-mode squeezed vacuum, (X1, Y1, X2, Y2), vacuum 1/2 (e.g. Weedbrook et al. RMP 2012)."""
    c, s = np.cosh(2 * r) / 2, np.sinh(2 * r) / 2
    return np.array([[c, 0, s, 0], [0, c, 0, -s], [s, 0, c, 0], [0, -s, 0, c]])


def beam_splitter(theta: float, n: int = 2, i: int = 0, j: int = 1) -> np.ndarray:
    s = np.eye(2 * n)
    c, sn = np.cos(theta), np.sin(theta)
    for q in range(2):
        s[2 * i + q, 2 * i + q] = c
        s[2 * j + q, 2 * j + q] = c
        s[2 * i + q, 2 * j + q] = sn
        s[2 * j + q, 2 * i + q] = -sn
    return s


def local_symplectic(rng: np.random.Generator, n: int) -> np.ndarray:
    """Block-diagonal product of random single-mode symplectics (det 1 2x2 blocks)."""
    blocks = []
    for _ in range(n):
        m = rng.normal(size=(2, 2))
        if np.linalg.det(m) < 0:
            m[:, 0] *= -1
        blocks.append(m / np.sqrt(np.linalg.det(m)))
    out = np.zeros((2 * n, 2 * n))
    for k, b in enumerate(blocks):
        out[2 * k : 2 * k + 2, 2 * k : 2 * k + 2] = b
    return out


@pytest.mark.parametrize("r", [0.0, 0.1, 0.5, 1.3])
def test_two_mode_squeezed_vacuum_has_en_2r(r):
    assert_allclose(log_negativity(tmsv(r), 0, 1), 2 * r, atol=1e-12)
    assert_allclose(min_pt_symplectic_eigenvalue(tmsv(r), 0, 1), 0.5 * np.exp(-2 * r), rtol=1e-12)


def test_thermal_state_symplectic_eigenvalues_and_purity():
    n = np.array([0.0, 0.3, 2.0])
    v = np.diag(np.repeat(n + 0.5, 2))
    assert_allclose(symplectic_eigenvalues(v), np.sort(n + 0.5))
    assert_allclose(purity(v), np.prod(1 / (2 * n + 1)))
    assert_allclose(mean_occupation(v, 2), 2.0)
    assert log_negativity(v, 0, (1, 2)) == 0.0


def test_beam_splitter_preserves_symplectic_eigenvalues():
    v = np.diag([0.8, 0.8, 2.5, 2.5])
    s = beam_splitter(0.37)
    mixed = s @ v @ s.T
    assert np.abs(mixed[0, 2]) > 0.1  # the beam splitter really correlates the modes
    assert_allclose(symplectic_eigenvalues(mixed), [0.8, 2.5], rtol=1e-12)


def test_en_invariant_under_local_symplectic_and_relabelling(rng):
    v = tmsv(0.4)
    v = np.kron(np.eye(1), v)
    # embed with a thermal third mode and mix mode 1 with it (reduces E_N)
    v3 = np.zeros((6, 6))
    v3[:4, :4] = v
    v3[4:, 4:] = 1.2 * np.eye(2)
    bs = beam_splitter(0.3, n=3, i=1, j=2)
    v3 = bs @ v3 @ bs.T
    e_ref = log_negativity(v3, 0, 1)
    assert e_ref > 0
    s = local_symplectic(rng, 3)
    assert_allclose(log_negativity(s @ v3 @ s.T, 0, 1), e_ref, rtol=1e-10)
    perm = [4, 5, 0, 1, 2, 3]  # modes (2, 0, 1)
    vp = v3[np.ix_(perm, perm)]
    assert_allclose(log_negativity(vp, 1, 2), e_ref, rtol=1e-12)
    assert_allclose(log_negativity(vp, 2, 1), e_ref, rtol=1e-12)


def test_product_states_have_zero_en_and_residual_contangle():
    v = np.diag([0.5, 0.5, 1.0, 1.0, 3.0, 3.0])
    assert log_negativity(v, 0, (1, 2)) == 0.0
    assert residual_contangle(v, (0, 1, 2)) == 0.0


def test_residual_contangle_of_bipartite_entanglement_is_zero():
    # TMSV(0,1) x vacuum(2): C_{0|12} = C_{0|1} = 4 r^2 and C_{0|2} = 0 -> R^{0|12} = 0;
    # focus on mode 2 gives 0 as well: min is 0 (no genuine tripartite entanglement)
    v = np.eye(6) / 2
    v[:4, :4] = tmsv(0.3)
    assert_allclose(residual_contangle(v, (0, 1, 2)), 0.0, atol=1e-12)


def test_residual_contangle_positive_for_tritter_of_squeezed_states():
    # one X-squeezed and two Y-squeezed vacua mixed on a tritter: the CV GHZ-type pure
    # state with genuine tripartite entanglement (van Loock & Braunstein 2000; Adesso &
    # Illuminati 2006)
    r = 0.5
    v = np.diag([np.exp(-2 * r), np.exp(2 * r)] + [np.exp(2 * r), np.exp(-2 * r)] * 2) / 2
    s = beam_splitter(np.arccos(np.sqrt(2 / 3)), n=3, i=0, j=1)
    s = beam_splitter(np.pi / 4, n=3, i=1, j=2) @ s
    v = s @ v @ s.T
    # For a pure state C_{i|jk} is fixed by the local purity: nu_i = sqrt(det V_i)
    v0 = v[:2, :2]
    e_0_12 = -np.log(2 * (np.sqrt(np.linalg.det(v0)) - np.sqrt(np.linalg.det(v0) - 0.25)))
    assert_allclose(log_negativity(v, 0, (1, 2)), e_0_12, rtol=1e-10)
    assert residual_contangle(v, (0, 1, 2)) > 0.01


def test_masked_points_stay_masked():
    v = np.ma.MaskedArray(np.stack([tmsv(0.2), tmsv(0.4)]))
    v[1] = np.ma.masked
    e = log_negativity(v, 0, 1)
    assert_allclose(e[0], 0.4)
    assert e.mask[1] and not e.mask[0]


def test_unphysical_covariance_raises_or_warns():
    bad = 0.3 * np.eye(4)
    with pytest.raises(UnphysicalCovarianceError, match="uncertainty relation"):
        log_negativity(bad, 0, 1)
    with pytest.warns(RuntimeWarning, match="unphysical"):
        e = log_negativity(bad, 0, 1, check="warn")
    assert_allclose(e, -2 * np.log(0.6))  # both PT symplectic eigenvalues are 0.3: two terms
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_negativity(tmsv(0.1), 0, 1)


def test_wigner_normalisation_and_marginal():
    v = tmsv(0.3)
    x = np.linspace(-6, 6, 121)
    dx = x[1] - x[0]
    xx, yy = np.meshgrid(x, x, indexing="ij")
    marg = quadrature_marginal(v, (0, 2), xx, yy)
    assert_allclose(marg.sum() * dx * dx, 1.0, rtol=1e-6)
    # single-mode vacuum Wigner function at the origin: 1/pi
    assert_allclose(wigner_function(np.eye(2) / 2, [0.0, 0.0]), 1 / np.pi)
    # the marginal equals the full Wigner function integrated over the other quadratures:
    # check one point by a 2-D quadrature over (Y1, Y2)
    pts = np.zeros((121, 121, 4))
    pts[..., 0], pts[..., 2] = 0.4, -0.2
    pts[..., 1], pts[..., 3] = xx, yy
    integral = wigner_function(v, pts).sum() * dx * dx
    assert_allclose(integral, quadrature_marginal(v, (0, 2), 0.4, -0.2), rtol=1e-6)


def test_bad_subsystems():
    with pytest.raises(OptolibError, match="share"):
        log_negativity(tmsv(0.1), 0, 0)
    with pytest.raises(OptolibError, match="mode indices"):
        log_negativity(tmsv(0.1), 0, 2)
    with pytest.raises(OptolibError, match="three"):
        residual_contangle(np.eye(8) / 2, (0, 1))
