"""Tests of optolib.paper_a.search (issue 8): the single-tone search of the physically consistent cascade.

Independent truths: the Sagnac formula inverted, the mean fields of paper A, the single-cavity model for the
stability threshold (the cascade's drift matrix is block-triangular), closed-form two-mode states for the
symplectic eigenvalues and the correlation ratios, and a direct evaluation at each reported optimum.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize
from numpy.testing import assert_allclose

from optolib import stability_margin
from optolib.errors import OptolibError
from optolib.paper_a import analysis as an
from optolib.paper_a import search as se
from optolib.paper_a.mean_field import mean_fields
from optolib.paper_a.parameters import SPIN_FIG2, paper_a_parameters
from optolib.physics import sagnac_shift
from optolib.single_cavity import linearised_cavity

P = paper_a_parameters()
WM = float(P.omega_m_l)
TINY = se.SearchGrid(detunings=(-1.0, 0.0, 1.0), phis=(0.0, np.pi), etas=(1.0,), chis=(1.0,),
                     temperatures=(0.0, 0.1), fractions=(1e-4, 0.1, 0.9))


def test_spin_for_shift_inverts_the_sagnac_formula():
    out = se.spin_for_shift(WM, P)
    assert_allclose(sagnac_shift(P.omega_c, P.n, P.radius, out["angular_velocity"]), WM, rtol=1e-12)
    # paper A's own point: Omega = 0.6e6 rad/s gives Delta_F / omega_m = 0.252 (parameters docstring)
    assert_allclose(se.spin_for_shift(0.252 * WM, P)["angular_velocity"], SPIN_FIG2, rtol=2e-3)
    assert_allclose(out["rim_speed"], abs(out["angular_velocity"]) * 36e-6)
    assert_allclose(out["rotation_frequency"], out["angular_velocity"] / (2 * np.pi))


@pytest.mark.parametrize("direction", ["left", "right"])
@pytest.mark.parametrize("base", [0.0, 0.7])
def test_realise_gives_the_requested_effective_detunings(direction, base):
    dl, dr = np.array([-2.5, 0.3]) * WM, np.array([1.0, -0.4]) * WM
    q = se.realise(P, dl, dr, direction, base * WM)
    mf = mean_fields(q, base * WM, direction)
    assert_allclose(mf.detuning_l, dl, rtol=1e-12)
    assert_allclose(mf.detuning_r, dr, rtol=1e-12)


def test_evaluate_agrees_with_the_paper_a_sweep_at_a_figure_2_point():
    # Fig. 2(b) geometry: Omega_l = 0.6e6 rad/s, Delta = 0.75 omega_m, left input, physical noise.
    q = paper_a_parameters(spin_l=SPIN_FIG2)
    ref = an.detuning_sweep(q, np.array([0.75]), "left", "physical").exponent
    mf = mean_fields(q, 0.75 * WM, "left")
    got = se.evaluate(P, mf.detuning_l, mf.detuning_r, "left", power=P.power, temperature=P.temperature)
    assert_allclose(-np.log(got["two_nu"]), ref, rtol=1e-9)


def _single_cavity_threshold(delta: float) -> float:
    """Blue-sideband threshold of cavity l alone (it is not driven back by r): single-cavity model + brentq."""
    gamma = float(P.linewidth_l)

    def margin(log_p: float) -> float:
        eps = float(P.replace(power=np.exp(log_p)).drive_amplitude)
        alpha = np.sqrt(float(P.kappa_ex_l)) * eps / abs(1j * delta + gamma / 2)  # Eq. (10) of paper A
        m = linearised_cavity(delta, WM, float(P.g0_l) * alpha, gamma, float(P.gamma_m))
        return float(stability_margin(m.drift_matrix()))

    return float(np.exp(scipy.optimize.brentq(margin, np.log(1e-9), np.log(1.0), xtol=1e-10)))


@pytest.mark.parametrize("x_l", [-1.0, -0.8])
def test_threshold_power_matches_the_single_cavity_threshold(x_l):
    # left input: cavity l (blue detuned) drives r (red detuned, stable) and is not driven back, so the
    # drift matrix is block-triangular and the threshold is that of cavity l alone.
    p_th, capped = se.threshold_power(P, x_l * WM, 1.0 * WM, "left")
    assert not capped
    assert_allclose(p_th, _single_cavity_threshold(x_l * WM), rtol=5e-3)


def test_threshold_power_brackets_the_instability_and_reports_caps():
    dl, dr = np.array([-1.0, 1.0, 1.0]) * WM, np.array([1.0, -1.0, 1.0]) * WM
    p_th, capped = se.threshold_power(P, dl, dr, "left", cap=0.3)
    below = se._margin(P, dl, dr, "left", power=p_th)
    above = se._margin(P, dl, dr, "left", power=p_th * 1.01)
    assert np.all(below < 0)
    assert np.all((above >= 0) | capped)
    assert capped.tolist() == [False, False, True]  # the red-red point is stable up to 0.3 W (0.68 W)
    with pytest.raises(OptolibError, match="floor"):
        se.threshold_power(P, dl, dr, "left", floor=2.0, cap=1.0)


def _mech_cov(v4: np.ndarray) -> np.ndarray:
    v = 0.5 * np.eye(8)
    v[4:, 4:] = v4
    return v


def _tmsv(r: float) -> np.ndarray:
    c, s = np.cosh(2 * r) / 2, np.sinh(2 * r) / 2
    return np.array([[c, 0, s, 0], [0, c, 0, -s], [s, 0, c, 0], [0, -s, 0, c]])


def _split_thermal(n: float, t: float) -> np.ndarray:
    """A thermal state (occupation n) split by a beam splitter of transmission t: classically correlated."""
    v_in = np.diag([n + 0.5, n + 0.5, 0.5, 0.5])
    a, b = np.sqrt(t), np.sqrt(1 - t)
    s = np.array([[a, 0, b, 0], [0, a, 0, b], [-b, 0, a, 0], [0, -b, 0, a]])
    return s @ v_in @ s.T


def test_correlations_on_closed_form_states():
    from optolib.measures import min_pt_symplectic_eigenvalue

    # product of thermal states: no correlations
    c = se.mechanical_correlations(_mech_cov(np.diag([1.5, 1.5, 3.0, 3.0])))
    assert_allclose([c["hillery_zubairy"], c["passive_ratio"]], [0.0, 0.0], atol=1e-20)
    # thermal light (2n) split on a 50:50 beam splitter (n in each output): classically correlated, separable;
    # closed form 2 nu~ = sqrt(1 + 4n) > 1
    n = 3.0
    v = _mech_cov(_split_thermal(2 * n, 0.5))
    two_nu = 2 * min_pt_symplectic_eigenvalue(v, 2, 3)
    assert_allclose(two_nu, np.sqrt(1 + 4 * n), rtol=1e-12)
    c = se.mechanical_correlations(_split_thermal(2 * n, 0.3))
    assert_allclose([c["n_l"], c["n_r"]], [0.3 * 2 * n, 0.7 * 2 * n], rtol=1e-12)
    assert_allclose(c["passive_ratio"], 1.0, rtol=1e-12)
    assert_allclose(c["hillery_zubairy"], 0.0, atol=1e-20)
    # two-mode squeezed vacuum: <b_l b_r> = sinh r cosh r, Hillery-Zubairy ratio coth^2 r
    r = 0.4
    v = _mech_cov(_tmsv(r))
    two_nu = 2 * min_pt_symplectic_eigenvalue(v, 2, 3)
    assert_allclose(two_nu, np.exp(-2 * r), rtol=1e-12)
    c = se.mechanical_correlations(v)
    assert_allclose(abs(c["active"]), np.sinh(r) * np.cosh(r), rtol=1e-12)
    assert_allclose(c["hillery_zubairy"], 1 / np.tanh(r) ** 2, rtol=1e-12)
    assert_allclose(c["passive_ratio"], 0.0, atol=1e-20)
    with pytest.raises(OptolibError, match="8x8"):
        se.mechanical_correlations(np.eye(6))


def test_run_search_best_points_are_reproduced_by_direct_evaluation(tmp_path):
    r = se.run_search(TINY)
    assert r.two_nu.shape == (2, 1, 2, 2, 1, 3, 3)
    for t in TINY.temperatures:
        b = r.best(temperature=t)
        got = se.evaluate(P, b["delta_l"] * WM, b["delta_r"] * WM, b["direction"], power=b["power"],
                          temperature=t, phi=b["phi"], eta=b["eta"], chi=b["chi"])
        assert_allclose(got["two_nu"], b["two_nu"], rtol=1e-10)
        assert b["power"] < b["threshold_power"]
    # the result of the search: nothing is entangled, and the T = 0 infimum is the vacuum's 1
    assert np.nanmin(r.two_nu) >= 1 - 1e-9
    assert r.map("left", 1.0, 0.1).shape == (3, 3)
    # round trip through the stored format (float32 maps)
    se.save_result(r, tmp_path / "s.npz", command="test")
    q = se.load_result(tmp_path / "s.npz")
    assert_allclose(q.two_nu, r.two_nu, rtol=1e-6)
    assert q.best(temperature=0.1)["delta_l"] == r.best(temperature=0.1)["delta_l"]
    assert q.meta["command"] == "test"


def test_refine_does_not_lose_and_opposite_direction_matches_direct_evaluation():
    r = se.run_search(TINY)
    start = r.best(temperature=0.1)
    out = se.refine(P, start, maxiter=60)
    assert out["two_nu"] <= start["two_nu"] + 1e-12
    assert out["power"] < out["threshold_power"]
    base = np.array([0.0, 0.5])
    opp = se.opposite_direction(P, out, base)
    other = "right" if out["direction"] == "left" else "left"
    direct = se.evaluate(P, (2 * base[1] - out["delta_l"]) * WM, (2 * base[1] - out["delta_r"]) * WM, other,
                         power=out["power"], temperature=0.1, phi=out["phi"], eta=out["eta"], chi=out["chi"])
    assert_allclose(np.ma.filled(opp[1], np.nan), np.ma.filled(direct["two_nu"], np.nan), rtol=1e-12,
                    equal_nan=True)


def test_search_grid_validation():
    with pytest.raises(OptolibError, match="fractions"):
        se.SearchGrid(detunings=(0.0,), phis=(0.0,), etas=(1.0,), chis=(1.0,), temperatures=(0.0,),
                      fractions=(1.0,))
    with pytest.raises(OptolibError, match="etas"):
        se.SearchGrid(detunings=(0.0,), phis=(0.0,), etas=(0.0,), chis=(1.0,), temperatures=(0.0,),
                      fractions=(0.5,))
    with pytest.raises(OptolibError, match="direction"):
        se.SearchGrid(detunings=(0.0,), phis=(0.0,), etas=(1.0,), chis=(1.0,), temperatures=(0.0,),
                      fractions=(0.5,), directions=("up",))
    with pytest.raises(ValueError, match="temperatures"):
        se.SearchGrid(detunings=(0.0,), phis=(0.0,), etas=(1.0,), chis=(1.0,), temperatures=(-1.0,),
                      fractions=(0.5,))
    # the CI subset is a sub-grid of the full search (the chapter compares them point by point)
    for name in ("detunings", "phis", "etas", "chis", "temperatures", "fractions"):
        assert set(getattr(se.CI_GRID, name)) <= set(getattr(se.FULL_GRID, name)), name
