"""Bad input to every public function of the paper models, physics, sweep and figure registry.

One table: (callable, keyword arguments, expected exception, text the message must contain).
The text names the offending parameter (and usually the constraint); every exception is an
:class:`optolib.errors.OptolibError`, i.e. a ``ValueError``.  No case may reach a steady-state
solve: each check fires before any expensive work.  ``python tests/test_paper_validation.py OUT.md``
writes the table with the messages actually produced.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import qutip

import optolib.paper_a.analysis as an_a
import optolib.paper_b.analysis as an_b
from optolib import figures
from optolib import physics as ph
from optolib.errors import OptolibError, UnphysicalCovarianceError
from optolib.paper_a import cascaded_model, mean_fields, paper_a_parameters, printed_drift_matrix
from optolib.paper_b import PAPER as PB
from optolib.paper_b import eq10_residual, hybrid_model, solve_mean_field
from optolib.paper_b.mean_field import atomic_excitation_fraction
from optolib.paper_b.parameters import check_case, driven_mode, mode_detunings
from optolib.sweep import sweep

PA = paper_a_parameters()
WA = PA.omega_m_l
NAN, INF = float("nan"), float("inf")
MF_B = solve_mean_field(PB, "cw")
LINDBLAD_B = hybrid_model(PB, "cw", mechanical_noise="lindblad")
VACUUM_4 = qutip.tensor(*[qutip.basis(2, 0)] * 4).proj()
ASYM = np.eye(8) / 2
ASYM[0, 1] = 0.3


@dataclass(frozen=True)
class Bad:
    label: str  # how the call reads in the report
    fn: Callable[..., Any]
    kwargs: dict
    match: str  # must appear in the message
    exc: type[BaseException] = OptolibError


def _a(**kw):
    return paper_a_parameters(**kw)


def _a_replace(**kw):
    return PA.replace(**kw)


def _a_sagnac(**kw):
    return paper_a_parameters(**kw).sagnac_l


def _b(**kw):
    return PB.replace(**kw)


def _sq(x):
    return x


CASES: list[Bad] = [
    # -- paper A parameters ----------------------------------------------------------------------
    Bad("paper_a_parameters(bogus=1)", _a, dict(bogus=1), "unknown parameter(s) ['bogus']"),
    Bad("PaperAParameters.replace(kapa_0=1)", _a_replace, dict(kapa_0=1.0), "unknown parameter(s) ['kapa_0']"),
    Bad("paper_a_parameters(power=-1)", _a, dict(power=-1.0), "power must be >= 0"),
    Bad("paper_a_parameters(power=nan)", _a, dict(power=NAN), "power must be finite"),
    Bad("paper_a_parameters(temperature=-0.1)", _a, dict(temperature=-0.1), "temperature must be >= 0"),
    Bad("paper_a_parameters(temperature=inf)", _a, dict(temperature=INF), "temperature must be finite"),
    Bad("paper_a_parameters(mass=0)", _a, dict(mass=0.0), "mass must be > 0"),
    Bad("paper_a_parameters(kappa_0=-1)", _a, dict(kappa_0=-1.0), "kappa_0 must be > 0"),
    Bad("paper_a_parameters(kappa_ex_l=nan)", _a, dict(kappa_ex_l=NAN), "kappa_ex_l must be finite"),
    Bad("paper_a_parameters(kappa_ex_r=[1e8, -1])", _a, dict(kappa_ex_r=[1e8, -1.0]), "kappa_ex_r must be > 0"),
    Bad("paper_a_parameters(gamma_m=-1)", _a, dict(gamma_m=-1.0), "gamma_m must be > 0"),
    Bad("paper_a_parameters(omega_m=0)", _a, dict(omega_m=0.0), "omega_m must be > 0"),
    Bad("paper_a_parameters(chi=[1, nan])", _a, dict(chi=[1.0, NAN]), "chi must be finite"),
    Bad("paper_a_parameters(eta=1.2)", _a, dict(eta=1.2), "eta must be a power transmission in [0, 1]"),
    Bad("paper_a_parameters(eta=-0.1)", _a, dict(eta=-0.1), "eta must be a power transmission in [0, 1]"),
    Bad("paper_a_parameters(spin_l=inf)", _a, dict(spin_l=INF), "spin_l must be finite"),
    Bad("paper_a_parameters(phi='a')", _a, dict(phi="a"), "phi must be a real number"),
    Bad("paper_a_parameters(n=1.48+0.1j)", _a, dict(n=1.48 + 0.1j), "n must be real"),
    Bad("paper_a_parameters(wavelength=-7.8e-7)", _a, dict(wavelength=-7.8e-7), "wavelength must be > 0"),
    Bad("paper_a_parameters(g0_convention='x')", _a, dict(g0_convention="x"), "g0_convention must be"),
    Bad("paper_a_parameters(chi: shape (2,), spin_l: shape (3,))", _a,
        dict(chi=np.ones(2), spin_l=np.zeros(3)), "must broadcast together, got shapes {'chi': (2,), 'spin_l': (3,)}"),
    Bad("paper_a_parameters(spin_l=1e13).sagnac_l", _a_sagnac, dict(spin_l=1e13), "rim speed"),
    # -- paper A mean fields and model -----------------------------------------------------------
    Bad("mean_fields(PA, delta=nan)", mean_fields, dict(params=PA, delta=NAN), "delta must be finite"),
    Bad("mean_fields(PA, delta=1j)", mean_fields, dict(params=PA, delta=1j), "delta must be real"),
    Bad("mean_fields(PA, delta, direction='up')", mean_fields, dict(params=PA, delta=WA, direction="up"),
        "direction must be 'left' or 'right'"),
    Bad("mean_fields(paper B's parameters, delta)", mean_fields, dict(params=PB, delta=WA),
        "params must be a PaperAParameters"),
    Bad("mean_fields(PA(chi: (2,)), delta: (3,))", mean_fields,
        dict(params=PA.replace(chi=np.ones(2)), delta=np.ones(3)), "'delta': (3,)"),
    Bad("cascaded_model(PA, delta, noise='classical')", cascaded_model,
        dict(params=PA, delta=WA, noise="classical"), "noise must be one of ('physical', 'paper')"),
    Bad("cascaded_model(PA, delta, 'right', mean=<left-input fields>)", cascaded_model,
        dict(params=PA, delta=WA, direction="right", mean=mean_fields(PA, WA, "left")),
        "mean was computed for direction 'left', not 'right'"),
    Bad("cascaded_model(PA, delta, mean=<fields at 2 delta>)", cascaded_model,
        dict(params=PA, delta=WA, mean=mean_fields(PA, 2 * WA)), "mean was computed for another delta"),
    Bad("cascaded_model(PA, delta, mean=object())", cascaded_model,
        dict(params=PA, delta=WA, mean=object()), "mean must be a MeanFields"),
    Bad("printed_drift_matrix(PA, delta=inf)", printed_drift_matrix, dict(params=PA, delta=INF),
        "delta must be finite"),
    # -- paper A analysis ------------------------------------------------------------------------
    Bad("steady_state(PA, delta=nan)", an_a.steady_state, dict(params=PA, delta=NAN), "delta must be finite"),
    Bad("steady_state(PA, delta, noise='x')", an_a.steady_state, dict(params=PA, delta=WA, noise="x"),
        "noise must be one of"),
    Bad("detuning_sweep(PA, x=[1, nan])", an_a.detuning_sweep, dict(params=PA, x=[1.0, NAN]), "x must be finite"),
    Bad("detuning_sweep(PA, x, direction='sideways')", an_a.detuning_sweep,
        dict(params=PA, x=[1.0], direction="sideways"), "direction must be 'left' or 'right'"),
    Bad("peak(x: 3 points, y: 2 points)", an_a.peak, dict(x=np.arange(3.0), y=np.ones(2)),
        "x and y must be 1-D of the same length"),
    Bad("peak(x, y with NaN)", an_a.peak, dict(x=np.arange(3.0), y=np.array([0.1, NAN, 0.2])),
        "y must not contain NaN"),
    Bad("peak(x=[0, inf, 2], y)", an_a.peak, dict(x=[0.0, INF, 2.0], y=np.ones(3)), "x must be finite"),
    Bad("revival_coefficient(0.3, reference=0)", an_a.revival_coefficient, dict(spinning=0.3, reference=0.0),
        "reference must be > 0"),
    Bad("revival_coefficient(0.3, reference=nan)", an_a.revival_coefficient, dict(spinning=0.3, reference=NAN),
        "reference must be finite"),
    Bad("revival_map(PA, 1.0, 'left', reference=-1)", an_a.revival_map,
        dict(params=PA, x=1.0, direction="left", reference=-1.0), "reference must be > 0"),
    Bad("revival_map(PA, x=nan, 'left', reference=1)", an_a.revival_map,
        dict(params=PA, x=NAN, direction="left", reference=1.0), "x must be finite"),
    Bad("revival_map(PA, 1.0, direction='up')", an_a.revival_map, dict(params=PA, x=1.0, direction="up"),
        "direction must be 'left' or 'right'"),
    Bad("revival_map(PA(power: shape (2,)), 1.0, 'left')", an_a.revival_map,
        dict(params=PA.replace(power=np.array([0.01, 0.02])), x=1.0, direction="left"),
        "power must be scalar for the revival reference"),
    Bad("mechanical_covariance(PA, x=nan, 'left')", an_a.mechanical_covariance,
        dict(params=PA, x=NAN, direction="left"), "x must be finite"),
    Bad("mechanical_covariance(PA, 1.0, direction='x')", an_a.mechanical_covariance,
        dict(params=PA, x=1.0, direction="x"), "direction must be 'left' or 'right'"),
    Bad("wigner_marginals(6x6 covariance, grid)", an_a.wigner_marginals,
        dict(mech_covariance=np.eye(6) / 2, grid=np.linspace(-1, 1, 5)), "mech_covariance must be the 4x4"),
    Bad("wigner_marginals(3x3 covariance, grid)", an_a.wigner_marginals,
        dict(mech_covariance=np.eye(3), grid=np.linspace(-1, 1, 5)), "mech_covariance must have an even dimension"),
    Bad("wigner_marginals(V, grid=[0, nan])", an_a.wigner_marginals,
        dict(mech_covariance=np.eye(4) / 2, grid=[0.0, NAN]), "grid must be finite"),
    Bad("wigner_marginals(V, grid: shape (2, 2))", an_a.wigner_marginals,
        dict(mech_covariance=np.eye(4) / 2, grid=np.zeros((2, 2))), "grid must be 1-D"),
    Bad("stability_map(PA, x=[nan])", an_a.stability_map, dict(params=PA, x=[NAN]), "x must be finite"),
    Bad("stability_map(PA, x, direction='up')", an_a.stability_map, dict(params=PA, x=[1.0], direction="up"),
        "direction must be"),
    Bad("pt_exponent(3x3 matrix)", an_a.pt_exponent, dict(covariance=np.eye(3)), "covariance must have an even"),
    Bad("pt_exponent(asymmetric 8x8)", an_a.pt_exponent, dict(covariance=ASYM), "covariance must be symmetric"),
    # -- paper B parameters and mean fields ------------------------------------------------------
    Bad("PAPER.replace(bogus=1)", _b, dict(bogus=1), "unknown parameter(s) ['bogus']"),
    Bad("PAPER.replace(power=-1e-3)", _b, dict(power=-1e-3), "power must be >= 0"),
    Bad("PAPER.replace(kappa=0)", _b, dict(kappa=0.0), "kappa must be > 0"),
    Bad("PAPER.replace(gamma_a=nan)", _b, dict(gamma_a=NAN), "gamma_a must be finite"),
    Bad("PAPER.replace(omega_m=-1)", _b, dict(omega_m=-1.0), "omega_m must be > 0"),
    Bad("PAPER.replace(gamma_m=-1)", _b, dict(gamma_m=-1.0), "gamma_m must be >= 0"),
    Bad("PAPER.replace(coupling_atoms=-1)", _b, dict(coupling_atoms=-1.0), "coupling_atoms must be >= 0"),
    Bad("PAPER.replace(temperature=inf)", _b, dict(temperature=INF), "temperature must be finite"),
    Bad("PAPER.replace(temperature=-5e-3)", _b, dict(temperature=-5e-3), "temperature must be >= 0"),
    Bad("PAPER.replace(mass=0)", _b, dict(mass=0.0), "mass must be > 0"),
    Bad("PAPER.replace(radius=-1e-3)", _b, dict(radius=-1e-3), "radius must be > 0"),
    Bad("PAPER.replace(wavelength=0)", _b, dict(wavelength=0.0), "wavelength must be > 0"),
    Bad("PAPER.replace(delta_c=nan)", _b, dict(delta_c=NAN), "delta_c must be finite"),
    Bad("PAPER.replace(delta_a=[0, inf])", _b, dict(delta_a=[0.0, INF]), "delta_a must be finite"),
    Bad("PAPER.replace(spin=nan)", _b, dict(spin=NAN), "spin must be finite"),
    Bad("PAPER.replace(refractive_index=0.5)", _b, dict(refractive_index=0.5), "refractive_index must be >= 1"),
    Bad("PAPER.replace(delta_c: shape (2,), power: shape (3,))", _b,
        dict(delta_c=np.ones(2), power=np.ones(3)), "'delta_c': (2,)"),
    Bad("solve_mean_field(PAPER, case='left')", solve_mean_field, dict(params=PB, case="left"),
        "case must be one of ('static', 'cw', 'ccw')"),
    Bad("solve_mean_field(PAPER, 'cw', branch='middle')", solve_mean_field,
        dict(params=PB, case="cw", branch="middle"), "branch must be 'lowest' or 'highest'"),
    Bad("solve_mean_field(paper A's parameters, 'cw')", solve_mean_field, dict(params=PA, case="cw"),
        "params must be a paper B Parameters"),
    Bad("eq10_residual(mf=PAPER, params=mf) (swapped)", eq10_residual, dict(mf=PB, params=MF_B),
        "mf must be a MeanField"),
    Bad("atomic_excitation_fraction(mf, PAPER, 0)", atomic_excitation_fraction,
        dict(mf=MF_B, params=PB, single_atom_coupling=0.0), "single_atom_coupling must be > 0"),
    Bad("atomic_excitation_fraction(mf, PAPER, nan)", atomic_excitation_fraction,
        dict(mf=MF_B, params=PB, single_atom_coupling=NAN), "single_atom_coupling must be finite"),
    Bad("mode_detunings(PAPER, 'x')", mode_detunings, dict(params=PB, case="x"), "case must be one of"),
    Bad("driven_mode('CW')", driven_mode, dict(case="CW"), "case must be one of"),
    Bad("check_case(None)", check_case, dict(case=None), "case must be one of"),
    # -- paper B model and analysis --------------------------------------------------------------
    Bad("hybrid_model(PAPER, 'cw', mechanical_noise='quantum')", hybrid_model,
        dict(params=PB, case="cw", mechanical_noise="quantum"), "mechanical_noise must be"),
    Bad("hybrid_model(PAPER, 'cw', mean_field=<ccw fields>)", hybrid_model,
        dict(params=PB, case="cw", mean_field=solve_mean_field(PB, "ccw")), "mean_field was solved for case 'ccw'"),
    Bad("hybrid_model(PAPER, 'cw', mean_field=object())", hybrid_model,
        dict(params=PB, case="cw", mean_field=object()), "mean_field must be a MeanField"),
    Bad("hybrid_model(PAPER, 'cw', temperature=-1)", hybrid_model, dict(params=PB, case="cw", temperature=-1.0),
        "temperature must be >= 0"),
    Bad("hybrid_model(PAPER, case='up')", hybrid_model, dict(params=PB, case="up"), "case must be one of"),
    Bad("hybrid_model(paper A's parameters, 'cw')", hybrid_model, dict(params=PA, case="cw"),
        "params must be a paper B Parameters"),
    Bad("steady_state(PAPER, 'cw', temperature=nan)", an_b.steady_state,
        dict(params=PB, case="cw", temperature=NAN), "temperature must be finite"),
    Bad("steady_state(PAPER, case='x')", an_b.steady_state, dict(params=PB, case="x"), "case must be one of"),
    Bad("pair_log_negativities(6x6 covariance)", an_b.pair_log_negativities, dict(covariance=np.eye(6) / 2),
        "covariance must have shape (..., 8, 8)"),
    Bad("pair_log_negativities(0.1 * identity(8))", an_b.pair_log_negativities, dict(covariance=0.1 * np.eye(8)),
        "uncertainty relation", UnphysicalCovarianceError),
    Bad("pair_log_negativities(asymmetric 8x8)", an_b.pair_log_negativities, dict(covariance=ASYM),
        "covariance must be symmetric"),
    Bad("tripartite_modes('x')", an_b.tripartite_modes, dict(case="x"), "case must be one of"),
    Bad("residual_contangle(vacuum, case='x')", an_b.residual_contangle, dict(covariance=np.eye(8) / 2, case="x"),
        "case must be one of"),
    Bad("residual_contangle(4x4 covariance, 'cw')", an_b.residual_contangle,
        dict(covariance=np.eye(4) / 2, case="cw"), "covariance must have shape (..., 8, 8)"),
    Bad("peak(x: 3 points, y: 2 points)  [paper B]", an_b.peak, dict(x=[0.0, 1.0, 2.0], y=[1.0, 2.0]),
        "x and y must be 1-D of the same length"),
    Bad("peak(x, y=[nan, 1])  [paper B]", an_b.peak, dict(x=[0.0, 1.0], y=[NAN, 1.0]), "y must not contain NaN"),
    Bad("peak(x, y fully masked)  [paper B]", an_b.peak,
        dict(x=[0.0, 1.0], y=np.ma.masked_all(2)), "y has no unmasked point"),
    Bad("vanishing_temperature(PAPER, 'cw', quantity='x')", an_b.vanishing_temperature,
        dict(params=PB, case="cw", quantity="x"), "quantity must be 'atom_mechanics' or 'tripartite'"),
    Bad("vanishing_temperature(..., t_low=0)", an_b.vanishing_temperature,
        dict(params=PB, case="cw", quantity="tripartite", t_low=0.0), "t_low must be > 0"),
    Bad("vanishing_temperature(..., t_low=1, t_high=0.1)", an_b.vanishing_temperature,
        dict(params=PB, case="cw", quantity="tripartite", t_low=1.0, t_high=0.1), "t_high must be > t_low"),
    Bad("vanishing_temperature(..., rtol=0)  [looped forever before]", an_b.vanishing_temperature,
        dict(params=PB, case="cw", quantity="tripartite", rtol=0.0), "rtol must be > 0"),
    Bad("vanishing_temperature(..., t_high=nan)", an_b.vanishing_temperature,
        dict(params=PB, case="cw", quantity="tripartite", t_high=NAN), "t_high must be finite"),
    Bad("fock_steady_state(model, (2,2,2,2), time_unit=0)", an_b.fock_steady_state,
        dict(model=LINDBLAD_B, truncation=(2, 2, 2, 2), time_unit=0.0), "time_unit must be > 0"),
    Bad("fock_steady_state(model, (2,2,2,2), time_unit, decay_times=-1)", an_b.fock_steady_state,
        dict(model=LINDBLAD_B, truncation=(2, 2, 2, 2), time_unit=PB.omega_m, decay_times=-1.0),
        "decay_times must be > 0"),
    Bad("fock_steady_state(model, truncation=(0,2,2,2))", an_b.fock_steady_state,
        dict(model=LINDBLAD_B, truncation=(0, 2, 2, 2), time_unit=PB.omega_m), "truncation must be integers >= 2"),
    Bad("fock_steady_state(model, truncation=(2,2,2))", an_b.fock_steady_state,
        dict(model=LINDBLAD_B, truncation=(2, 2, 2), time_unit=PB.omega_m), "truncation must give one level count"),
    Bad("fock_steady_state(batched model, ...)", an_b.fock_steady_state,
        dict(model=hybrid_model(PB.replace(delta_c=PB.omega_m * np.ones(2)), "cw", mechanical_noise="lindblad"),
             truncation=(2, 2, 2, 2), time_unit=PB.omega_m), "model must have scalar parameters"),
    Bad("fock_comparison(PAPER, 'cw', ..., mechanical_noise='brownian')", an_b.fock_comparison,
        dict(params=PB, case="cw", truncation=(2, 2, 2, 2), mechanical_noise="brownian"),
        "mechanical_noise must be 'lindblad' or 'diosi'"),
    Bad("fock_residual_contangle(rho, modes=(0, 1, 7))", an_b.fock_residual_contangle,
        dict(rho=VACUUM_4, modes=(0, 1, 7)), "modes must be mode indices in [0, 3]"),
    Bad("fock_residual_contangle(rho, modes=(0, 1, 1))", an_b.fock_residual_contangle,
        dict(rho=VACUUM_4, modes=(0, 1, 1)), "modes must not repeat a mode"),
    Bad("fock_residual_contangle(rho, modes=(0, 1))", an_b.fock_residual_contangle,
        dict(rho=VACUUM_4, modes=(0, 1)), "modes must name three distinct modes"),
    # -- physics ---------------------------------------------------------------------------------
    Bad("optical_angular_frequency(-1)", ph.optical_angular_frequency, dict(wavelength=-1.0), "wavelength must be > 0"),
    Bad("optical_angular_frequency(nan)", ph.optical_angular_frequency, dict(wavelength=NAN), "wavelength must be fin"),
    Bad("decay_rate_from_q(omega_c, q_factor=0)", ph.decay_rate_from_q, dict(omega_c=2e15, q_factor=0.0),
        "q_factor must be > 0"),
    Bad("decay_rate_from_q(omega_c: (2,), q_factor: (3,))", ph.decay_rate_from_q,
        dict(omega_c=np.ones(2), q_factor=np.ones(3)), "inputs must broadcast together"),
    Bad("spinning_refractive_indices(n=0.5, ...)", ph.spinning_refractive_indices,
        dict(n=0.5, radius=1e-3, angular_velocity=1.0), "n must be >= 1"),
    Bad("spinning_refractive_indices(radius=-1, ...)", ph.spinning_refractive_indices,
        dict(n=1.4, radius=-1.0, angular_velocity=1.0), "radius must be > 0"),
    Bad("spinning_refractive_indices(angular_velocity=nan)", ph.spinning_refractive_indices,
        dict(n=1.4, radius=1e-3, angular_velocity=NAN), "angular_velocity must be finite"),
    Bad("sagnac_shift(omega_c=0, ...)", ph.sagnac_shift,
        dict(omega_c=0.0, n=1.4, radius=1e-3, angular_velocity=1e3), "omega_c must be > 0"),
    Bad("sagnac_shift(rim speed > c)", ph.sagnac_shift,
        dict(omega_c=2e15, n=1.4, radius=1.0, angular_velocity=1e9), "rim speed"),
    Bad("sagnac_shift(dn_dlambda=inf)", ph.sagnac_shift,
        dict(omega_c=2e15, n=1.4, radius=1e-3, angular_velocity=1e3, dn_dlambda=INF), "dn_dlambda must be finite"),
    Bad("sagnac_shift(radius: (2,), angular_velocity: (3,))", ph.sagnac_shift,
        dict(omega_c=2e15, n=1.4, radius=np.full(2, 1e-3), angular_velocity=np.ones(3)),
        "'angular_velocity': (3,)"),
    Bad("fused_silica_refractive_index(10e-6)", ph.fused_silica_refractive_index, dict(wavelength=10e-6),
        "wavelength must lie in the Sellmeier range"),
    Bad("thermal_occupation(omega, temperature=-1)", ph.thermal_occupation, dict(omega=1e6, temperature=-1.0),
        "temperature must be >= 0"),
    Bad("thermal_occupation(omega=0, T)", ph.thermal_occupation, dict(omega=0.0, temperature=1.0),
        "omega must be > 0"),
    Bad("thermal_occupation(omega: (2,), temperature: (3,))", ph.thermal_occupation,
        dict(omega=np.ones(2), temperature=np.ones(3)), "'temperature': (3,)"),
    Bad("single_photon_coupling(..., convention='x')", ph.single_photon_coupling,
        dict(omega_c=2e15, radius=1e-3, mass=1e-11, omega_m=6e7, convention="x"), "convention must be"),
    Bad("single_photon_coupling(mass=0, ...)", ph.single_photon_coupling,
        dict(omega_c=2e15, radius=1e-3, mass=0.0, omega_m=6e7), "mass must be > 0"),
    Bad("input_photon_flux_amplitude(power=nan, ...)", ph.input_photon_flux_amplitude,
        dict(power=NAN, omega_d=2e15), "power must be finite"),
    Bad("input_photon_flux_amplitude(power, omega_d=-1)", ph.input_photon_flux_amplitude,
        dict(power=1e-3, omega_d=-1.0), "omega_d must be > 0"),
    Bad("paper_b_drive_rate(power, kappa=-1, omega_0)", ph.paper_b_drive_rate,
        dict(power=1e-3, kappa=-1.0, omega_0=2e15), "kappa must be > 0"),
    Bad("paper_b_drive_rate(power=-1, ...)", ph.paper_b_drive_rate,
        dict(power=-1.0, kappa=1e7, omega_0=2e15), "power must be >= 0"),
    # -- sweep -----------------------------------------------------------------------------------
    Bad("sweep('hypot', grid)", sweep, dict(func="hypot", grid={"x": [1.0]}), "func must be callable"),
    Bad("sweep(f, grid={})", sweep, dict(func=_sq, grid={}), "grid must name at least one parameter"),
    Bad("sweep(f, grid, chunk_size=0)", sweep, dict(func=_sq, grid={"x": [1.0]}, chunk_size=0),
        "chunk_size must be >= 1"),
    Bad("sweep(f, grid, chunk_size=2.5)", sweep, dict(func=_sq, grid={"x": [1.0]}, chunk_size=2.5),
        "chunk_size must be a whole number"),
    Bad("sweep(f, grid, chunk_size='a')", sweep, dict(func=_sq, grid={"x": [1.0]}, chunk_size="a"),
        "chunk_size must be a whole number"),
    Bad("sweep(f, grid={'x': (3,), 'y': (4,)})", sweep,
        dict(func=_sq, grid={"x": np.arange(3.0), "y": np.arange(4.0)}),
        "grid arrays must broadcast together, got shapes {'x': (3,), 'y': (4,)}"),
    Bad("sweep(f, grid, executor=object())", sweep, dict(func=_sq, grid={"x": [1.0]}, executor=object()),
        "executor must have a submit() method"),
    # -- figures ---------------------------------------------------------------------------------
    Bad("figures.reproduce('nope', outdir)", figures.reproduce, dict(figure_id="nope", outdir="/nonexistent/x"),
        "figure id must be one of"),
    Bad("figures.reproduce(None, outdir)", figures.reproduce, dict(figure_id=None, outdir="/nonexistent/x"),
        "got None"),
]


def test_every_case_has_a_distinct_label():
    labels = [c.label for c in CASES]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_bad_input_raises_a_message_naming_the_parameter(case):
    with pytest.raises(case.exc) as info:
        case.fn(**case.kwargs)
    assert issubclass(info.type, ValueError)  # every optolib error is a ValueError
    assert case.match in str(info.value), str(info.value)
    assert len(str(info.value)) < 600  # a message, not a dump


def test_reproduce_into_a_path_under_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OptolibError, match="cannot be created"):
        figures.reproduce("A-fig1b", blocker / "sub")


def test_valid_inputs_near_the_limits_are_accepted():
    # the checks must not reject what is physically allowed
    assert paper_a_parameters(eta=0.0, power=0.0, temperature=0.0).eta == 0.0
    assert PB.replace(coupling_atoms=0.0, gamma_m=0.0, temperature=0.0, power=0.0).power == 0.0
    mf = mean_fields(PA.replace(chi=np.ones((2, 1))), np.ones(3) * WA)
    assert mf.alpha_l.shape == (2, 3)
    assert cascaded_model(PA, WA * np.ones(2), mean=mean_fields(PA, WA * np.ones(2))).batch_shape == (2,)
    assert ph.thermal_occupation(np.ones((2, 1)), np.ones(3)).shape == (2, 3)
    assert sweep(_sq, {"x": np.arange(4.0)}, chunk_size=2.0, progress=False).shape == (4,)


def _report(path: str) -> None:
    """Write the Markdown table of every bad input and the message it produced."""
    rows = ["| # | input | exception | message |", "|---|---|---|---|"]
    for k, case in enumerate(CASES, 1):
        try:
            case.fn(**case.kwargs)
            outcome, msg = "NO ERROR", ""
        except Exception as exc:  # recording whatever happens
            outcome, msg = type(exc).__name__, str(exc)
        cell = msg.replace("|", "\\|").replace("\n", " ")
        rows.append(f"| {k} | `{case.label}` | {outcome} | {cell} |")
    Path(path).write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    _report(sys.argv[1])
