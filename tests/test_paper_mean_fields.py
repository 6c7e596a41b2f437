"""Property-based tests (hypothesis) of the two papers' mean-field solvers.

Paper A: :func:`optolib.paper_a.mean_field.mean_fields` (Eq. (10), explicit given the effective
detuning).  Paper B: :func:`optolib.paper_b.mean_field.solve_mean_field` (self-consistent Eq. (10)
/ (A3), a quintic in the radiation-pressure shift).  Every property is checked against something
the solver does not compute itself: the steady-state Langevin equations written out here from the
papers (paper A Eq. (8), paper B Eq. (5)), photon-flux conservation at the fibre (paper A Eq. (6)),
exact scaling laws, mirror symmetries, limits and a per-point loop.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import constants

from optolib.paper_a import mean_fields, paper_a_parameters
from optolib.paper_b import PAPER, eq10_residual, solve_mean_field

TWO_PI = 2 * np.pi
WM_B = PAPER.omega_m
PROPS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- strategies ----------------------------------------------------------------------------------
def _f(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def params_a(draw, **fixed):
    """Paper A parameters around the paper's values (rates in units of 2 pi MHz, spins in 1e6 rad/s)."""
    changes = dict(
        kappa_0=TWO_PI * 1e6 * draw(_f(1.0, 60.0)),
        kappa_ex_l=TWO_PI * 1e6 * draw(_f(1.0, 60.0)),
        kappa_ex_r=TWO_PI * 1e6 * draw(_f(1.0, 60.0)),
        chi=draw(_f(0.8, 1.2)),
        spin_l=1e6 * draw(_f(-1.5, 1.5)),
        spin_r=1e6 * draw(_f(-1.5, 1.5)),
        eta=draw(st.one_of(st.just(0.0), _f(1e-6, 1.0))),  # no subnormal eta
        phi=draw(_f(-7.0, 7.0)),
        power=draw(_f(1e-4, 0.1)),
        gamma_m=TWO_PI * 1e3 * draw(_f(0.1, 100.0)),
    )
    changes.update(fixed)
    return paper_a_parameters(**changes)


@st.composite
def params_b(draw, **fixed):
    """Paper B parameters around the paper's values (rates in units of omega_m); up to 10x its power."""
    changes = dict(
        delta_c=WM_B * draw(_f(-3.0, 5.0)),
        delta_a=WM_B * draw(_f(-2.0, 2.0)),
        kappa=WM_B * draw(_f(0.1, 2.0)),
        gamma_a=WM_B * draw(_f(0.1, 2.0)),
        coupling_atoms=WM_B * draw(_f(0.0, 1.0)),
        spin=draw(_f(-60e3, 60e3)),
        power=draw(_f(1e-3, 0.4)),
    )
    changes.update(fixed)
    return PAPER.replace(**changes)


deltas_a = _f(-2.0, 3.0)  # Delta / omega_m for paper A


def _alpha_bound(p):
    """Upper bound of |alpha_j| (paper A Eq. (10)): 2 sqrt(kappa_ex) eps_d / Gamma <= 2 eps_d / sqrt(kappa_ex).

    Used as the absolute tolerance scale: at critical coupling on resonance, eps_d - sqrt(kappa_ex)
    alpha_l cancels exactly and alpha_r is rounding noise of that size times 1e-16.
    """
    return 2 * p.drive_amplitude / np.sqrt(min(p.kappa_ex_l, p.kappa_ex_r))
directions = st.sampled_from(["left", "right"])
cases = st.sampled_from(["static", "cw", "ccw"])
branches = st.sampled_from(["lowest", "highest"])


# -- paper A: Eq. (8) written out here -----------------------------------------------------------
def _sagnac(p, spin):
    """Delta_F = n R Omega omega_c / c (1 - 1/n^2), paper A Eq. (2) with dn/dlambda = 0."""
    return p.n * p.radius * spin * p.omega_c / constants.c * (1 - p.n**-2)


def _eq8_residuals_a(p, mf, direction):
    """Right-hand sides of paper A's Eq. (8) (its mirror image for right input) at the returned fields.

    Each optical residual is relative to the drive term sqrt(kappa_ex) eps_d, each mechanical one to
    g0 |alpha|^2.  The effective detunings are rebuilt from the *laser* detuning the solver reports
    (``bare_detuning_j``) minus the radiation-pressure shift g0 (beta + beta^*) of the returned beta
    (paper A after Eq. (9)), so the beta's feed back exactly as the nonlinear Eq. (8) says.
    """
    sign = 1.0 if direction == "left" else -1.0
    eps = p.drive_amplitude
    det = {
        "l": mf.bare_detuning_l - 2 * mf.g0_l * mf.beta_l.real + sign * _sagnac(p, p.spin_l),
        "r": mf.bare_detuning_r - 2 * mf.g0_r * mf.beta_r.real + sign * _sagnac(p, p.spin_r),
    }
    alpha = {"l": mf.alpha_l, "r": mf.alpha_r}
    kex = {"l": p.kappa_ex_l, "r": p.kappa_ex_r}
    first, second = ("l", "r") if direction == "left" else ("r", "l")
    lw = {j: p.kappa_0 + kex[j] for j in "lr"}
    phase = np.exp(1j * p.phi)
    r1 = -(1j * det[first] + lw[first] / 2) * alpha[first] + np.sqrt(kex[first]) * eps
    r2 = (-(1j * det[second] + lw[second] / 2) * alpha[second]
          - np.sqrt(p.eta * kex[first] * kex[second]) * phase * alpha[first]
          + np.sqrt(p.eta * kex[second]) * phase * eps)
    scale = np.sqrt(max(p.kappa_ex_l, p.kappa_ex_r)) * eps
    out = [np.abs(r1) / scale, np.abs(r2) / scale]
    for beta, g0, wm, a in ((mf.beta_l, mf.g0_l, p.omega_m_l, mf.alpha_l), (mf.beta_r, mf.g0_r, p.omega_m_r,
                                                                               mf.alpha_r)):
        rb = -(1j * wm + p.gamma_m / 2) * beta + 1j * g0 * np.abs(a) ** 2
        out.append(np.abs(rb) / np.maximum(g0 * np.abs(a) ** 2, 1e-300))
    return np.max(out, axis=0)


@PROPS
@given(p=params_a(), x=st.lists(deltas_a, min_size=1, max_size=5), direction=directions)
def test_paper_a_fields_solve_eq8_for_both_directions(p, x, direction):
    delta = p.omega_m_l * np.asarray(x)
    mf = mean_fields(p, delta, direction)
    assert _eq8_residuals_a(p, mf, direction).max() < 1e-9


@PROPS
@given(p=params_a(), x=deltas_a)
def test_paper_a_photon_flux_is_conserved_at_the_fibre(p, x):
    # input-output relation, paper A Eq. (6): out_1 = eps - sqrt(kex_l) alpha_l; cavity r is fed
    # sqrt(eta) e^{i phi} out_1 and emits out_2 = sqrt(eta) e^{i phi} out_1 - sqrt(kex_r) alpha_r.
    # Photons in = photons out + intrinsic losses kappa_0 |alpha|^2 + fibre loss (1 - eta)|out_1|^2.
    mf = mean_fields(p, p.omega_m_l * x, "left")
    eps = p.drive_amplitude
    out1 = eps - np.sqrt(p.kappa_ex_l) * mf.alpha_l
    out2 = np.sqrt(p.eta) * np.exp(1j * p.phi) * out1 - np.sqrt(p.kappa_ex_r) * mf.alpha_r
    lost = p.kappa_0 * (mf.photons_l + mf.photons_r) + (1 - p.eta) * abs(out1) ** 2
    assert_allclose(abs(out2) ** 2 + lost, eps**2, rtol=1e-10)


@PROPS
@given(p=params_a(), x=deltas_a, direction=directions, s=_f(0.05, 20.0))
def test_paper_a_amplitudes_scale_as_sqrt_power_at_fixed_effective_detuning(p, x, direction, s):
    a = mean_fields(p, p.omega_m_l * x, direction)
    b = mean_fields(p.replace(power=p.power * s**2), p.omega_m_l * x, direction)
    tol = 1e-13 * s * _alpha_bound(p)
    for name in ("alpha_l", "alpha_r"):
        assert_allclose(getattr(b, name), s * getattr(a, name), rtol=1e-11, atol=tol)
    for name in ("beta_l", "beta_r"):
        tol_b = 1e-12 * s**2 * p.g0_l * _alpha_bound(p) ** 2 / p.omega_m_l
        assert_allclose(getattr(b, name), s**2 * getattr(a, name), rtol=1e-11, atol=tol_b)


def _mirror(p):
    """Relabel l <-> r: swap the fibre couplings and oscillators, reverse the spins (a mirror image
    turns CCW into CW rotation), so omega_m' = chi omega_m and chi' = 1 / chi."""
    return p.replace(kappa_ex_l=p.kappa_ex_r, kappa_ex_r=p.kappa_ex_l, spin_l=-p.spin_r, spin_r=-p.spin_l,
                     omega_m=p.omega_m * p.chi, chi=1 / p.chi)


@PROPS
@given(p=params_a(), x=deltas_a, direction=directions)
def test_paper_a_mirror_image_swaps_the_input_direction(p, x, direction):
    other = "right" if direction == "left" else "left"
    a = mean_fields(p, p.omega_m_l * x, direction)
    b = mean_fields(_mirror(p), p.omega_m_l * x, other)
    atol = {"alpha": 1e-13 * _alpha_bound(p), "beta": 1e-12 * p.g0_l * _alpha_bound(p) ** 2 / p.omega_m_l,
            "detuning": 1e-9 * p.omega_m_l, "g0": 0}
    for this, that in (("l", "r"), ("r", "l")):
        for q in ("alpha", "beta", "detuning", "g0"):
            assert_allclose(getattr(b, f"{q}_{that}"), getattr(a, f"{q}_{this}"), rtol=1e-10, atol=atol[q])


@PROPS
@given(p=params_a(spin_l=0.0, spin_r=0.0), x=deltas_a)
def test_paper_a_resting_resonators_with_equal_couplings_are_reciprocal(p, x):
    p = p.replace(kappa_ex_r=p.kappa_ex_l)
    left, right = mean_fields(p, p.omega_m_l * x, "left"), mean_fields(p, p.omega_m_l * x, "right")
    # the first resonator on the light's path is l for left input and r for right input
    tol = 1e-13 * _alpha_bound(p)
    assert_allclose(right.alpha_r, left.alpha_l, rtol=1e-12, atol=tol)
    assert_allclose(right.alpha_l, left.alpha_r, rtol=1e-12, atol=tol)
    if p.chi == 1.0:
        assert_allclose(right.beta_l, left.beta_r, rtol=1e-12, atol=1e-12 * p.g0_l * _alpha_bound(p) ** 2 / p.omega_m_l)


@PROPS
@given(p=params_a(), x=deltas_a, eta=_f(1e-9, 1.0))
def test_paper_a_fibre_transmission_limits(p, x, eta):
    delta = p.omega_m_l * x
    cut = mean_fields(p.replace(eta=0.0), delta, "left")
    assert np.all(cut.alpha_r == 0) and np.all(cut.beta_r == 0)  # eta = 0: independent resonators
    full = mean_fields(p.replace(eta=1.0), delta, "left")
    part = mean_fields(p.replace(eta=eta), delta, "left")
    assert_allclose(part.alpha_l, full.alpha_l, rtol=1e-13)  # nothing travels back to l
    # |alpha_r|^2 is proportional to eta
    assert_allclose(part.photons_r, eta * full.photons_r, rtol=1e-10, atol=1e-24 * _alpha_bound(p) ** 2)


@PROPS
@given(p=params_a(), x=st.lists(deltas_a, min_size=2, max_size=4), direction=directions)
def test_paper_a_grid_equals_per_point_loop(p, x, direction):
    spins = np.array([0.0, p.spin_l, -0.4e6])
    grid_p = p.replace(spin_l=spins[:, None])
    delta = p.omega_m_l * np.asarray(x)
    grid = mean_fields(grid_p, delta, direction)
    assert grid.alpha_l.shape == (3, len(x))
    for i, s in enumerate(spins):
        for k, d in enumerate(delta):
            one = mean_fields(p.replace(spin_l=s), d, direction)
            for name in ("alpha_l", "alpha_r", "beta_l", "beta_r", "detuning_l", "detuning_r"):
                assert_allclose(getattr(grid, name)[i, k], getattr(one, name), rtol=1e-13,
                                atol=1e-13 * _alpha_bound(p) if name.startswith("alpha") else 0)


# -- paper B: Eq. (5) written out here ------------------------------------------------------------
def _eq5_residual_b(p, mf, case):
    r"""Largest relative residual of paper B's Eq. (5) at steady state, written out independently.

    :math:`0 = -(i\Delta_j + \kappa)\alpha_j + iG_0q_s\alpha_j - iG_ac_s + \epsilon_j`,
    :math:`0 = -(i\Delta_a + \gamma_a)c_s - iG_a(\alpha_{cw} + \alpha_{ccw})`, :math:`0 = -\omega_m q_s
    + G_0 N` (with :math:`p_s = 0`), bare mode detunings :math:`\Delta_{cw,ccw} = \Delta_c \pm \Delta_F`
    from paper B's Eq. (1).  Without radiation pressure (Eq. (A3)) the :math:`G_0 q_s` term is absent.
    """
    omega_0 = TWO_PI * constants.c / p.wavelength
    df = 0.0 if case == "static" else p.refractive_index * p.radius * p.spin * omega_0 / constants.c * (
        1 - p.refractive_index**-2)
    d_cw, d_ccw = p.delta_c + df, p.delta_c - df
    hbar = constants.hbar
    eps = np.sqrt(2 * p.kappa * p.power / (hbar * omega_0))
    e_cw, e_ccw = (eps, 0.0) if case == "cw" else (0.0, eps)
    g0 = omega_0 / p.radius * np.sqrt(hbar / (p.mass * p.omega_m))
    fb = g0 * mf.q_s if mf.radiation_pressure else 0.0
    r_cw = -(1j * d_cw + p.kappa) * mf.alpha_cw + 1j * fb * mf.alpha_cw - 1j * p.coupling_atoms * mf.c_s + e_cw
    r_ccw = -(1j * d_ccw + p.kappa) * mf.alpha_ccw + 1j * fb * mf.alpha_ccw - 1j * p.coupling_atoms * mf.c_s + e_ccw
    r_c = -(1j * p.delta_a + p.gamma_a) * mf.c_s - 1j * p.coupling_atoms * (mf.alpha_cw + mf.alpha_ccw)
    n = np.abs(mf.alpha_cw) ** 2 + np.abs(mf.alpha_ccw) ** 2
    r_p = np.abs(-p.omega_m * mf.q_s + g0 * n) / (g0 * n)
    # optical terms relative to the largest term of their equation (|(i Delta + kappa) alpha| can exceed eps)
    scale = np.maximum(eps, np.abs(1j * d_ccw + p.kappa) * np.abs(mf.alpha_ccw))
    scale = np.maximum(scale, np.abs(1j * d_cw + p.kappa) * np.abs(mf.alpha_cw))
    return max(float(np.max(np.abs(r) / scale)) for r in (r_cw, r_ccw, r_c, r_p))


@PROPS
@given(p=params_b(), case=cases, branch=branches, rp=st.booleans())
def test_paper_b_every_branch_solves_eq5(p, case, branch, rp):
    mf = solve_mean_field(p, case, radiation_pressure=rp, branch=branch)
    assert _eq5_residual_b(p, mf, case) < 1e-9
    assert eq10_residual(mf, p) < 1e-8  # the library's own residual agrees
    assert mf.n_solutions % 2 == 1  # x|D(x)|^2/N(x) - P rises from -P at x = 0 to +inf: an odd count


#: Centres of the bistable windows of Delta_c / omega_m at 10x the paper's power (0.4 W), found by a scan
#: (static 2.45-5.7, cw 0.65-3.35, ccw 4.1 to beyond 6.0); the draws below stay inside them.
BISTABLE = {"static": 4.0, "cw": 2.0, "ccw": 5.3}


def _self_consistency(p, case, s):
    """f(s) = s - G_0^2 N(s) / omega_m, N(s) from a 3x3 linear solve of Eq. (5) at a fixed shift s (rad/s)."""
    omega_0 = TWO_PI * constants.c / p.wavelength
    df = 0.0 if case == "static" else p.refractive_index * p.radius * p.spin * omega_0 / constants.c * (
        1 - p.refractive_index**-2)
    d_cw, d_ccw = p.delta_c + df, p.delta_c - df
    e = [0.0, p.drive, 0.0] if case == "cw" else [p.drive, 0.0, 0.0]
    ga = p.coupling_atoms
    m = np.array([[1j * (d_ccw - s) + p.kappa, 0, 1j * ga],
                  [0, 1j * (d_cw - s) + p.kappa, 1j * ga],
                  [1j * ga, 1j * ga, 1j * p.delta_a + p.gamma_a]])
    sol = np.linalg.solve(m, e)
    return float(s - p.coupling_single_photon**2 * (abs(sol[0]) ** 2 + abs(sol[1]) ** 2) / p.omega_m)


@PROPS
@given(case=cases, dx=_f(-0.4, 0.4), power=_f(0.37, 0.43), ga=_f(0.55, 0.65), da=_f(-1.2, -1.0))
def test_paper_b_both_branches_of_a_bistable_point_solve_eq5(case, dx, power, ga, da):
    p = PAPER.replace(delta_c=WM_B * (BISTABLE[case] + dx), power=power, coupling_atoms=WM_B * ga,
                      delta_a=WM_B * da)
    lo = solve_mean_field(p, case, branch="lowest")
    hi = solve_mean_field(p, case, branch="highest")
    assert int(lo.n_solutions) == int(hi.n_solutions) == 3
    assert hi.q_s > 1.5 * lo.q_s
    for mf in (lo, hi):
        assert _eq5_residual_b(p, mf, case) < 1e-9
    # the middle root is not returned; f(s) = s - G_0^2 N(s)/omega_m must change sign between the two
    # returned roots: f > 0 just above the lowest, f < 0 just below the highest (one root in between)
    assert _self_consistency(p, case, float(lo.shift) * (1 + 1e-3)) > 0
    assert _self_consistency(p, case, float(hi.shift) * (1 - 1e-3)) < 0


@PROPS
@given(p=params_b(), case=cases, branch=branches, ratio=_f(1.001, 4.0))
def test_paper_b_photon_number_grows_with_power_along_a_branch(p, case, branch, ratio):
    # with s = G_0 q_s the power is P = c x|D(x)|^2 / N1(x) (N1: photons per unit power at fixed shift),
    # continuous, 0 at x = 0 and unbounded: its smallest and largest roots both rise with P.
    lo = solve_mean_field(p, case, branch=branch)
    hi = solve_mean_field(p.replace(power=p.power * ratio), case, branch=branch)
    assert hi.photon_number > lo.photon_number


@PROPS
@given(p=params_b(), case=cases, s=_f(0.05, 20.0))
def test_paper_b_amplitudes_scale_as_sqrt_power_without_radiation_pressure(p, case, s):
    a = solve_mean_field(p, case, radiation_pressure=False)
    b = solve_mean_field(p.replace(power=p.power * s**2), case, radiation_pressure=False)
    for name in ("alpha_ccw", "alpha_cw", "c_s"):
        assert_allclose(getattr(b, name), s * getattr(a, name), rtol=1e-10, atol=0)


@PROPS
@given(p=params_b(), rp=st.booleans(), branch=branches)
def test_paper_b_reversing_the_spin_swaps_the_driven_modes(p, rp, branch):
    # cw driven at +Omega is the mirror image of ccw driven at -Omega (paper B after Eq. (1))
    cw = solve_mean_field(p, "cw", radiation_pressure=rp, branch=branch)
    ccw = solve_mean_field(p.replace(spin=-p.spin), "ccw", radiation_pressure=rp, branch=branch)
    assert_allclose(ccw.alpha_ccw, cw.alpha_cw, rtol=1e-9)
    assert_allclose(ccw.alpha_cw, cw.alpha_ccw, rtol=1e-9, atol=1e-9 * abs(cw.alpha_cw))
    assert_allclose(ccw.q_s, cw.q_s, rtol=1e-9)
    assert int(ccw.n_solutions) == int(cw.n_solutions)


@PROPS
@given(p=params_b(), rp=st.booleans())
def test_paper_b_static_case_ignores_the_spin_and_is_reciprocal(p, rp):
    static = solve_mean_field(p, "static", radiation_pressure=rp)
    ccw0 = solve_mean_field(p.replace(spin=0.0), "ccw", radiation_pressure=rp)
    cw0 = solve_mean_field(p.replace(spin=0.0), "cw", radiation_pressure=rp)
    assert_allclose(static.alpha_ccw, ccw0.alpha_ccw, rtol=1e-12)
    assert_allclose(static.q_s, ccw0.q_s, rtol=1e-12)
    assert_allclose(cw0.alpha_cw, ccw0.alpha_ccw, rtol=1e-12)
    assert_allclose(cw0.alpha_ccw, ccw0.alpha_cw, rtol=1e-12, atol=1e-12 * abs(ccw0.alpha_ccw))


@PROPS
@given(p=params_b(coupling_atoms=0.0), case=cases, rp=st.booleans())
def test_paper_b_without_atoms_is_a_bare_optomechanical_cavity(p, case, rp):
    mf = solve_mean_field(p, case, radiation_pressure=rp)
    assert mf.alpha_undriven == 0 and mf.c_s == 0
    d = mf.delta_eff_cw if case == "cw" else mf.delta_eff_ccw
    assert_allclose(mf.alpha_driven, p.drive / (1j * d + p.kappa), rtol=1e-12)


@PROPS
@given(p=params_b(), case=cases, branch=branches, x=st.lists(_f(-3.0, 5.0), min_size=2, max_size=4))
def test_paper_b_grid_equals_per_point_loop(p, case, branch, x):
    powers = np.array([p.power, 0.5 * p.power, 0.35])
    grid = solve_mean_field(p.replace(delta_c=WM_B * np.asarray(x), power=powers[:, None]), case, branch=branch)
    assert grid.alpha_ccw.shape == (3, len(x))
    for i, pw in enumerate(powers):
        for k, xk in enumerate(x):
            one = solve_mean_field(p.replace(delta_c=WM_B * xk, power=pw), case, branch=branch)
            assert int(grid.n_solutions[i, k]) == int(one.n_solutions)
            for name in ("alpha_ccw", "alpha_cw", "c_s", "q_s"):
                assert_allclose(getattr(grid, name)[i, k], getattr(one, name), rtol=1e-9)
