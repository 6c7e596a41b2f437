"""Search the two-tone positive control (optolib.paper_a.two_tone) and write data/two_tone/study.json.

Usage (a few minutes on 2 cores each):

    .venv/bin/python scripts/two_tone_study.py [--out data/two_tone/study.json] [--samples 40000] [--cap 5]
    .venv/bin/python scripts/two_tone_study.py --cap 1 --out data/two_tone/study_cap1.json
    .venv/bin/python scripts/two_tone_study.py --fock     # QuTiP truncation ladder of the recommended point
    .venv/bin/python scripts/two_tone_study.py --rwa data/two_tone/study.json   # Floquet check of the optima

For each geometry (S1 addressed tones, with and without detunings; S1 "pure" = blue tone on l,
red tone on r only; S2 both tones in one fibre), temperature (0 and paper A's 0.1 K) and
linewidth scale (paper A's kappa, and kappa x 0.2 = resolved sidebands) it draws random points
(fixed seed), keeps the one with the smallest 2 nu~ among those with mechanical occupations
<= OCCUPATION_CAP (5; --cap), polishes the best STARTS (3) of them (smallest PT symplectic eigenvalue of the
mechanical covariance, Gaussian steady state of the physically consistent cascade, stable points
only), polishes it with Nelder-Mead, and stores the point, E_N, 2 nu~, occupations, stability
margin, the opposite cascade direction's E_N at the same couplings, and the tone powers.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from optolib.paper_a import two_tone as tt
from optolib.paper_a.parameters import paper_a_parameters

# Variables, all in units of the left cavity's linewidth kappa_l (phases in rad):
#   S1: G_l^-, r_l = G_l^+/G_l^-, q = G_r^-/G_l^-, r_r = |G_r^+|/G_r^-, arg G_r^+, delta_l, delta_r, mu_l, mu_r
#   S2: G_l^-, r = G_l^+/G_l^- (sets the power ratio), phi, delta_l, delta_r, mu
GEOMETRIES = ("S1", "S1-no-detuning", "S1-pure", "S2")


def _s1_couplings(x: list[np.ndarray], kappa: float) -> tuple[dict, dict]:
    gl, rl, q, rr, ph, dl, dr, ml, mr = x
    g = dict(G_minus_l=gl * kappa, G_plus_l=rl * gl * kappa, G_minus_r=q * gl * kappa,
             G_plus_r=rr * q * gl * kappa * np.exp(1j * ph))
    ex = dict(detuning_l=dl * kappa, detuning_r=dr * kappa, mechanical_detuning_l=ml * kappa,
              mechanical_detuning_r=mr * kappa)
    return g, ex


def evaluate(geometry: str, x: list[np.ndarray], params, kappa_scale: float, direction: str = "left") -> dict:
    """Steady-state summary at the points ``x`` (list of arrays, see the variable list above)."""
    kappa = float(tt.rates(params, kappa_scale)["kappa_l"])
    x = [np.asarray(v, dtype=float) for v in x]
    if geometry == "S2":
        gl, r, phi, dl, dr, mu = x
        p = params.replace(phi=phi)
        unit_m = tt.tone_amplitude(1.0, cavity="l", sign="-", params=p, kappa_scale=kappa_scale,
                                   detuning=dl * kappa, mechanical_detuning=mu * kappa)
        unit_p = tt.tone_amplitude(1.0, cavity="l", sign="+", params=p, kappa_scale=kappa_scale,
                                   detuning=dl * kappa, mechanical_detuning=mu * kappa)
        g0 = tt.rates(p, kappa_scale)["g0_l"]
        p_minus = (gl * kappa / g0) ** 2 / np.abs(unit_m) ** 2
        p_plus = (r * gl * kappa / g0) ** 2 / np.abs(unit_p) ** 2
        c = tt.same_fibre_couplings(p_minus, p_plus, params=p, kappa_scale=kappa_scale, detuning_l=dl * kappa,
                                    detuning_r=dr * kappa, mechanical_detuning=mu * kappa, direction=direction)
        g = {k: c[k] for k in ("G_minus_l", "G_plus_l", "G_minus_r", "G_plus_r")}
        ex = dict(detuning_l=dl * kappa, detuning_r=dr * kappa, mechanical_detuning_l=mu * kappa,
                  mechanical_detuning_r=mu * kappa)
        m = tt.two_tone_model(**g, **ex, params=p, kappa_scale=kappa_scale, direction=direction)
        out = tt.steady_state_summary(m)
        out.update(power_minus=p_minus, power_plus=p_plus, couplings=g, extras=ex)
        return out
    g, ex = _s1_couplings(x, kappa)
    m = tt.two_tone_model(**g, **ex, params=params, kappa_scale=kappa_scale, direction=direction)
    out = tt.steady_state_summary(m)
    out.update(couplings=g, extras=ex)
    return out


def _sample(geometry: str, n: int, rng: np.random.Generator) -> list[np.ndarray]:
    z = np.zeros(n)
    logg = 10 ** rng.uniform(-3.5, -0.7, n)
    if geometry == "S2":
        return [logg, rng.uniform(0, 1, n), rng.uniform(0, 2 * np.pi, n), rng.uniform(-0.5, 0.5, n),
                rng.uniform(-0.5, 0.5, n), rng.uniform(-0.05, 0.05, n)]
    x = [logg, rng.uniform(0, 1, n), 10 ** rng.uniform(-1, 1, n), rng.uniform(0, 1, n),
         rng.uniform(0, 2 * np.pi, n), rng.uniform(-0.5, 0.5, n), rng.uniform(-0.5, 0.5, n),
         rng.uniform(-0.05, 0.05, n), rng.uniform(-0.05, 0.05, n)]
    if geometry == "S1-no-detuning":
        x[5:] = [z, z, z, z]
    return x


def _evaluate_any(geometry: str, x, params, kappa_scale: float, direction: str = "left") -> dict:
    if geometry == "S1-pure":
        kappa = float(tt.rates(params, kappa_scale)["kappa_l"])
        gp, gr, dl, dr, ml, mr = (np.asarray(v, dtype=float) for v in x)
        g = dict(G_minus_l=0.0 * gp, G_plus_l=gp * kappa, G_minus_r=gr * kappa, G_plus_r=0.0 * gp)
        ex = dict(detuning_l=dl * kappa, detuning_r=dr * kappa, mechanical_detuning_l=ml * kappa,
                  mechanical_detuning_r=mr * kappa)
        m = tt.two_tone_model(**g, **ex, params=params, kappa_scale=kappa_scale, direction=direction)
        out = tt.steady_state_summary(m)
        out.update(couplings=g, extras=ex)
        return out
    return evaluate(geometry, x, params, kappa_scale, direction)


#: Points whose mechanical occupation exceeds this are penalised: near the instability threshold the
#: occupations diverge while 2 nu~ can still fall; such a point is no usable control.
OCCUPATION_CAP = 5.0
#: Nelder-Mead polishes this many of the best random points.
STARTS = 3


def _objective(s: dict) -> np.ndarray:
    """2 nu~ plus a penalty for mechanical occupations above OCCUPATION_CAP."""
    excess = np.maximum(0.0, np.maximum(s["n_b_l"], s["n_b_r"]) - OCCUPATION_CAP)
    return s["two_nu"] + 0.1 * np.log1p(excess)


def search(geometry: str, temperature: float, kappa_scale: float, samples: int, seed: int) -> dict:
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    params = paper_a_parameters(temperature=temperature)
    r = tt.rates(params, kappa_scale)
    if geometry == "S1-pure":
        x = [10 ** rng.uniform(-5, -1, samples), 10 ** rng.uniform(-4, -0.7, samples),
             rng.uniform(-0.5, 0.5, samples), rng.uniform(-0.5, 0.5, samples),
             rng.uniform(-0.05, 0.05, samples), rng.uniform(-0.05, 0.05, samples)]
    else:
        x = _sample(geometry, samples, rng)
    s = _evaluate_any(geometry, x, params, kappa_scale)
    score = np.where(s["stable"], _objective(s), np.inf)
    fixed = geometry == "S1-no-detuning"

    def f(y: np.ndarray) -> float:
        y = np.array(y, dtype=float)
        if fixed:
            y[5:] = 0.0
        if geometry in ("S1", "S1-no-detuning") and not (0 <= y[1] < 1 and 0 <= y[3] < 1 and 0 < y[0] < 0.5
                                                         and y[2] > 0):
            return 10.0
        if geometry == "S2" and not (0 <= y[1] < 1 and 0 < y[0] < 0.5):
            return 10.0
        if geometry == "S1-pure" and not (0 < y[0] < 0.5 and 0 < y[1] < 0.5):
            return 10.0
        v = _evaluate_any(geometry, list(y), params, kappa_scale)
        return float(_objective(v)) if bool(v["stable"]) else 10.0

    res = None
    for i in np.argsort(score)[:STARTS]:  # polish the best few grid points, keep the best result
        x0 = np.array([float(v[i]) for v in x])
        trial = minimize(f, x0, method="Nelder-Mead", options=dict(maxiter=1500, xatol=1e-7, fatol=1e-8))
        if res is None or trial.fun < res.fun:
            res = trial
    i = int(np.argmin(score))
    y = np.array(res.x, dtype=float)
    if fixed:
        y[5:] = 0.0
    best = _evaluate_any(geometry, list(y), params, kappa_scale)
    back = _evaluate_any(geometry, list(y), params, kappa_scale, direction="right")
    wm = float(r["omega_m"])
    g = {k: complex(np.asarray(v)) for k, v in best["couplings"].items()}
    ex = {k: float(np.asarray(v)) for k, v in best["extras"].items()}
    powers = {}
    for key, gv in g.items():
        sign = "+" if "plus" in key else "-"
        cav = key[-1]
        powers[key] = float(tt.tone_power(gv, cavity=cav, sign=sign, params=params, kappa_scale=kappa_scale,
                                          detuning=ex[f"detuning_{cav}"],
                                          mechanical_detuning=ex[f"mechanical_detuning_{cav}"]))
    if geometry == "S2":
        powers = {"fibre_minus": float(best["power_minus"]), "fibre_plus": float(best["power_plus"])}
    return dict(
        geometry=geometry, temperature_K=temperature, kappa_scale=kappa_scale,
        kappa_l_over_omega_m=float(r["kappa_l"]) / wm, n_thermal=float(r["n_thermal_l"]),
        grid_best_objective=float(score[i]), occupation_cap=OCCUPATION_CAP, objective=float(res.fun),
        samples=samples, seed=seed,
        variables=[float(v) for v in y],
        couplings_over_omega_m={k: [v.real / wm, v.imag / wm] for k, v in g.items()},
        detunings_over_omega_m={k: v / wm for k, v in ex.items()},
        E_N=float(best["E_N"]), two_nu=float(best["two_nu"]),
        occupations={k: float(best[k]) for k in ("n_a_l", "n_a_r", "n_b_l", "n_b_r")},
        stability_margin_over_gamma_m=float(best["margin"]) / float(r["gamma_m"]),
        E_N_opposite_direction=float(back["E_N"]), two_nu_opposite_direction=float(back["two_nu"]),
        stable_opposite_direction=bool(back["stable"]),
        powers_W=powers, seconds=time.perf_counter() - t0,
    )


#: Truncations (a_l, a_r, b_l, b_r) of the QuTiP ladder; occupations at the point are 5e-4 (cavities)
#: and 0.12 / 0.086 (oscillators).
LADDER = ((2, 2, 4, 4), (2, 2, 5, 5), (2, 2, 6, 6), (3, 3, 4, 4), (3, 3, 5, 5))


def fock_ladder(out: str = "data/two_tone/fock_convergence.json") -> int:
    """E_N and covariance of the recommended point in Fock space vs truncation (QuTiP, iterative solver)."""
    model = tt.recommended_model(0.0, rate_unit=float(paper_a_parameters().omega_m_l))
    rows = []
    for trunc in LADDER:
        j = tt.fock_judge(model, trunc)
        row = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in j.items() if not k.startswith("V_")}
        rows.append(row)
        print(f"{trunc}: E_N fock {j['E_N_fock']:.5f} (Gaussian formula on V_fock {j['E_N_fock_gaussian']:.5f}), "
              f"Gaussian {j['E_N_gauss']:.5f}, max|dV| {j['max_dV']:.2e}, top {np.round(j['top_populations'], 6)}, "
              f"{j['seconds']:.1f} s", flush=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(dict(command="python scripts/two_tone_study.py --fock", rows=rows), indent=1))
    print(f"wrote {out}")
    return 0


def rwa_table(study: str = "data/two_tone/study.json", out: str = "data/two_tone/rwa_check.json") -> int:
    """Floquet check (tt.rwa_check: the 2 omega_m terms put back) of every entangled optimum in ``study``."""
    data = json.loads(Path(study).read_text())
    rows = []
    for r in data["results"]:
        if not r["E_N"] > 0:
            continue
        params = paper_a_parameters(temperature=r["temperature_K"])
        if r["geometry"] == "S2":
            params = params.replace(phi=r["variables"][2])
        wm = float(params.omega_m_l)
        g = [complex(*r["couplings_over_omega_m"][k]) * wm for k in ("G_minus_l", "G_plus_l", "G_minus_r", "G_plus_r")]
        ex = {k: v * wm for k, v in r["detunings_over_omega_m"].items()}
        t0 = time.perf_counter()
        try:
            c = tt.rwa_check(*g, params=params, kappa_scale=r["kappa_scale"], n_samples=16, max_denominator=400, **ex)
            row = dict(E_N_rwa=c["E_N_rwa"], E_N_floquet_mean=c["E_N_mean"], E_N_floquet_min=c["E_N_min"],
                       n_b_floquet=c["n_b_mean"].tolist(), frequency_mismatch=c["frequency_mismatch"],
                       floquet_multiplier=c["floquet_multiplier"])
        except Exception as exc:  # unstable beyond the RWA
            row = dict(E_N_rwa=r["E_N"], error=str(exc))
        row.update(geometry=r["geometry"], temperature_K=r["temperature_K"], kappa_scale=r["kappa_scale"],
                   max_G_over_omega_m=max(abs(complex(*v)) for v in r["couplings_over_omega_m"].values()),
                   seconds=time.perf_counter() - t0)
        rows.append(row)
        print(row, flush=True)
    text = json.dumps(dict(command=f"python scripts/two_tone_study.py --rwa {study}", rows=rows), indent=1)
    Path(out).write_text(text)
    print(f"wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="data/two_tone/study.json")
    ap.add_argument("--samples", type=int, default=40000)
    ap.add_argument("--geometries", nargs="*", default=list(GEOMETRIES))
    ap.add_argument("--cap", type=float, default=OCCUPATION_CAP, help="mechanical occupation cap")
    ap.add_argument("--fock", action="store_true",
                    help="QuTiP truncation ladder at the recommended point (data/two_tone/fock_convergence.json)")
    ap.add_argument("--rwa", metavar="STUDY_JSON", help="Floquet check of the optima in STUDY_JSON")
    args = ap.parse_args(argv)
    if args.rwa:
        return rwa_table(args.rwa, str(Path(args.rwa).with_name(Path(args.rwa).stem + "_rwa.json")))
    if args.fock:
        return fock_ladder()
    globals()["OCCUPATION_CAP"] = args.cap
    results = []
    for k, geometry in enumerate(args.geometries):
        for temperature in (0.0, 0.1):
            for kappa_scale in (1.0, 0.2):
                res = search(geometry, temperature, kappa_scale, args.samples, seed=100 + k)
                results.append(res)
                print(f"{geometry:15s} T={temperature:.1f} K kappa x{kappa_scale}: E_N = {res['E_N']:.3f}, "
                      f"2nu = {res['two_nu']:.4f}, n_b = {res['occupations']['n_b_l']:.3g}/"
                      f"{res['occupations']['n_b_r']:.3g}, opposite E_N = {res['E_N_opposite_direction']:.3f} "
                      f"({res['seconds']:.0f} s)", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(command="python scripts/two_tone_study.py " + " ".join(sys.argv[1:]),
                                   results=results), indent=1))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
