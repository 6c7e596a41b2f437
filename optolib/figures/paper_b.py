r"""Figures 1(c)-5 of paper B (Huang et al., PRA 110, 012423 (2024)), computed with :mod:`optolib.paper_b`.

Conventions (decided in the chapters ``book/paper_b/*``): rates angular in 1/s, the
radiation-pressure shift :math:`G_0q_s` included self-consistently (Eq. (10)), the x-axis
:math:`\Delta_c` of Fig. 1(c) is the *bare* cavity detuning :math:`\omega_c - \omega_0`, and
each driving case is evaluated at the optimal detuning stated in the text (CW: -1, CCW: 2.5,
static: 1, in units of :math:`\omega_m`).  CSV ``series`` is the driving case ``static``,
``cw`` or ``ccw``; ``panel`` names the panel letter and, where a panel holds several
quantities, the quantity (e.g. ``"b:E_a-m"``).

Public API
----------
fig1c_data, fig1c_plot, fig2_data, fig2_plot, fig3_data, fig3_plot, fig4_data, fig4_plot,
fig5_data, fig5_plot, MAP_AXIS, DELTA_A_AXIS, TEMPERATURE_AXIS
"""

from __future__ import annotations

import numpy as np

from ..measures import log_negativity
from ..paper_b import analysis as an
from ..paper_b.parameters import CASES, PAPER, STATED_OPTIMAL_DETUNING, Parameters
from . import FigureData, FigureSpec, register

__all__ = [
    "DELTA_A_AXIS",
    "DELTA_C_AXIS",
    "MAP_AXIS",
    "TEMPERATURE_AXIS",
    "fig1c_data",
    "fig1c_plot",
    "fig2_data",
    "fig2_plot",
    "fig3_data",
    "fig3_plot",
    "fig4_data",
    "fig4_plot",
    "fig5_data",
    "fig5_plot",
]

WM = PAPER.omega_m
#: Fig. 1(c): bare cavity detuning Delta_c / omega_m (step 0.005).
DELTA_C_AXIS = np.linspace(-2.5, 4.5, 1401)
#: Figs. 2 and 4(a): atomic detuning Delta_a / omega_m (step 0.005).
DELTA_A_AXIS = np.linspace(-2.5, 0.5, 601)
#: Figs. 3 and 4(b)-(d): kappa / omega_m and gamma_a / omega_m (201 x 201 grid, step 0.00725).
MAP_AXIS = np.linspace(0.05, 1.5, 201)
#: Fig. 5: temperature in K (step 10 mK).
TEMPERATURE_AXIS = np.linspace(0.0, 4.5, 451)
#: Atomic detuning of Figs. 3-4(b)-(d) ("Delta_a/omega_m ~ -1", captions) and of Figs. 1(c), 5.
DELTA_A_MAPS = -1.0
DELTA_A_FIG1 = -1.1
#: Panel letter of each case in Figs. 3 and 4(b)-(d) (the paper's order: CW, CCW, static).
MAP_PANELS = {"cw": "a", "ccw": "b", "static": "c"}
PAIR_LABELS = {("atoms", "mechanics"): "E_a-m", ("ccw", "mechanics"): "E_ccw-m", ("cw", "mechanics"): "E_cw-m",
               ("ccw", "atoms"): "E_ccw-a", ("cw", "atoms"): "E_cw-a", ("ccw", "cw"): "E_ccw-cw"}


def _at_optimum(case: str, params: Parameters = PAPER, **changes) -> Parameters:
    return params.replace(delta_c=STATED_OPTIMAL_DETUNING[case] * WM, **changes)


def _e_am(cov):
    return log_negativity(cov, an.MODE_INDEX["atoms"], an.MODE_INDEX["mechanics"])


def _nan(values) -> np.ndarray:
    """Unstable (masked) points as NaN: FigureData keeps plain arrays, the CSV writes NaN as empty."""
    return np.ma.filled(np.ma.asarray(values, dtype=float), np.nan)


# -- Fig. 1(c) ------------------------------------------------------------------------------
def fig1c_data() -> FigureData:
    """E_a-m vs bare Delta_c / omega_m, three cases; panel "c" with q_s (Eq. 10), "c_A3" without."""
    x = DELTA_C_AXIS
    data = FigureData(meta={"peaks": {}, "ratios": {}, "delta_a_over_omega_m": DELTA_A_FIG1})
    for panel, rp in (("c", True), ("c_A3", False)):
        peaks = {}
        for case in CASES:
            p = PAPER.replace(delta_c=x * WM, delta_a=DELTA_A_FIG1 * WM)
            st = an.steady_state(p, case, radiation_pressure=rp)
            e = _e_am(st.covariance)
            data.add(panel, case, x, _nan(e))
            peaks[case] = an.peak(x, e)
        data.meta["peaks"][panel] = peaks
        data.meta["ratios"][panel] = {c: peaks[c][1] / peaks["static"][1] for c in ("cw", "ccw")}
    return data


def _shade_unstable_band(ax, x, y, style, level):
    from ..plotting import mask_intervals

    for lo, hi in mask_intervals(x, np.isnan(y)):
        ax.axvspan(lo, hi, ymin=level, ymax=level + 0.025, color=style["color"], alpha=0.35, lw=0)


def fig1c_plot(data: FigureData):
    """Two panels: Eq. (10) (paper's figure) and Eq. (A3) (no q_s), stated optima dotted."""
    import matplotlib.pyplot as plt

    from ..plotting import CASE_STYLES, label_with_units, use_book_style

    use_book_style()
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.9), sharey=True)
    titles = {"c": r"with $G_0q_s$ (Eq. (10))", "c_A3": r"without $G_0q_s$ (Eq. (A3))"}
    for ax, panel in zip(axes, ("c", "c_A3"), strict=True):
        for k, case in enumerate(CASES):
            row = data.get(panel, case)
            style = CASE_STYLES[case]
            ax.plot(row["x"], row["y"], **style)
            _shade_unstable_band(ax, row["x"], row["y"], style, 0.02 + 0.03 * k)
            ax.axvline(STATED_OPTIMAL_DETUNING[case], color=style["color"], lw=0.8, ls=(0, (1, 3)))
            xp, yp = data.meta["peaks"][panel][case]
            ax.plot([xp], [yp], "o", color=style["color"], ms=4)
        ax.set(xlabel=label_with_units(r"bare cavity detuning $\Delta_c/\omega_m$"), title=titles[panel])
    axes[0].set_ylabel(r"$E_{a\text{-}m}$")
    axes[0].legend(loc="upper right")
    axes[1].text(0.02, 0.97, "bars: unstable ranges\ndotted: optima stated in the text",
                 transform=axes[1].transAxes, va="top", fontsize=9)
    return fig


# -- Fig. 2 ---------------------------------------------------------------------------------
def fig2_data() -> FigureData:
    """(a)-(c) every pair log-negativity vs Delta_a, (d)-(f) effective couplings, at the stated optima."""
    x = DELTA_A_AXIS
    data = FigureData(meta={"delta_c_over_omega_m": dict(STATED_OPTIMAL_DETUNING), "peaks": {},
                            "at_minus_one": {}})
    g0 = PAPER.coupling_single_photon
    for (top, bottom), case in zip((("a", "d"), ("b", "e"), ("c", "f")), CASES, strict=True):
        st = an.steady_state(_at_optimum(case, delta_a=x * WM), case)
        ens = an.pair_log_negativities(st.covariance)
        for pair, e in ens.items():
            data.add(f"{top}:{PAIR_LABELS[pair]}", case, x, _nan(e))
        data.meta["peaks"][case] = {PAIR_LABELS[k]: an.peak(x, v) for k, v in ens.items()}
        mf = st.mean_field
        g_cw = np.sqrt(2) * g0 * np.abs(mf.alpha_cw) / WM
        g_ccw = np.sqrt(2) * g0 * np.abs(mf.alpha_ccw) / WM
        g_a = np.full_like(x, PAPER.coupling_atoms / WM)
        for name, g in (("G_cw-m", g_cw), ("G_ccw-m", g_ccw), ("G_a", g_a)):
            data.add(f"{bottom}:{name}", case, x, g)
        i = int(np.argmin(np.abs(x + 1.0)))
        data.meta["at_minus_one"][case] = {"G_cw-m": float(g_cw[i]), "G_ccw-m": float(g_ccw[i]),
                                           "G_a": float(g_a[i]),
                                           **{PAIR_LABELS[k]: float(v[i]) for k, v in ens.items()}}
    return data


_PAIR_STYLES = {"E_a-m": dict(color="k", lw=2.2), "E_ccw-m": dict(color="#D55E00"),
                "E_cw-m": dict(color="#0072B2"), "E_ccw-a": dict(color="#D55E00", ls="--"),
                "E_cw-a": dict(color="#0072B2", ls="--"), "E_ccw-cw": dict(color="#009E73", ls=":")}
_COUPLING_STYLES = {"G_cw-m": dict(color="#0072B2"), "G_ccw-m": dict(color="#D55E00", ls="--"),
                    "G_a": dict(color="k", ls=":")}


def _tex(name: str) -> str:
    """``"E_a-m"`` -> ``"$E_{a\text{-}m}$"``."""
    symbol, sub = name.split("_", 1)
    return f"${symbol}_{{{sub.replace('-', chr(92) + 'text{-}')}}}$"


def fig2_plot(data: FigureData):
    import matplotlib.pyplot as plt

    from ..plotting import use_book_style

    use_book_style()
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.4), sharex=True)
    names = {"static": "static", "cw": "spinning, CW driven", "ccw": "spinning, CCW driven"}
    for col, (case, top, bottom) in enumerate(zip(CASES, "abc", "def", strict=True)):
        dc = STATED_OPTIMAL_DETUNING[case]
        ax = axes[0, col]
        for label, style in _PAIR_STYLES.items():
            row = data.get(f"{top}:{label}", case)
            ax.plot(row["x"], row["y"], label=_tex(label), **style)
        ax.set_title(f"({top}) {names[case]}, $\\Delta_c/\\omega_m = {dc:g}$", fontsize=11)
        ax = axes[1, col]
        for label, style in _COUPLING_STYLES.items():
            row = data.get(f"{bottom}:{label}", case)
            ax.plot(row["x"], row["y"], label=_tex(label), **style)
        ax.set_title(f"({bottom})", fontsize=11, loc="left")
        ax.set_xlabel(r"$\Delta_a/\omega_m$")
    axes[0, 0].set_ylabel("log-negativity")
    axes[1, 0].set_ylabel(r"coupling $/\omega_m$")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", fontsize=10)
    handles, labels = axes[1, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right lower", fontsize=10)
    return fig


# -- Figs. 3 and 4(b)-(d): maps over kappa and gamma_a -----------------------------------------
def _map_states():
    kap = MAP_AXIS[:, None] * WM
    gam = MAP_AXIS[None, :] * WM
    for case in ("cw", "ccw", "static"):
        p = _at_optimum(case, delta_a=DELTA_A_MAPS * WM, kappa=kap, gamma_a=gam)
        yield case, an.steady_state(p, case)


def _map_meta(case: str, z) -> dict:
    k, g = np.meshgrid(MAP_AXIS, MAP_AXIS, indexing="ij")
    i = np.unravel_index(int(np.ma.argmax(z)), z.shape)
    j = (int(np.argmin(np.abs(MAP_AXIS - PAPER.kappa / WM))), int(np.argmin(np.abs(MAP_AXIS - PAPER.gamma_a / WM))))
    return {"max": float(z[i]), "argmax_kappa": float(k[i]), "argmax_gamma_a": float(g[i]),
            "near_paper_point": float(z[j]), "unstable_points": int(np.ma.count_masked(z))}


def fig3_data() -> FigureData:
    """E_a-m over (kappa, gamma_a) / omega_m at the stated optima, Delta_a = -omega_m; x = kappa, y = gamma_a."""
    k, g = np.meshgrid(MAP_AXIS, MAP_AXIS, indexing="ij")
    data = FigureData(meta={"maps": {}, "grid": f"{len(MAP_AXIS)} x {len(MAP_AXIS)}",
                            "delta_a_over_omega_m": DELTA_A_MAPS})
    for case, st in _map_states():
        z = _e_am(st.covariance)
        data.add(MAP_PANELS[case], case, k, g, _nan(z))
        data.meta["maps"][case] = _map_meta(case, z)
    return data


def _draw_maps(fig, axes, data: FigureData, label: str, letters: dict[str, str], contours=()) -> None:
    """Three density maps (CW, CCW, static) on ``axes`` with one colour bar; unstable points grey.

    The colour scale is a square-root one (shared by the three panels) so that the small values of
    the resting resonator stay visible; ``contours`` are drawn as labelled white lines.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import PowerNorm

    vmax = max(float(np.nanmax(r["z"])) for r in data.rows if "z" in r)
    names = {"static": "static", "cw": "CW driven", "ccw": "CCW driven"}
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.85")
    for ax, case in zip(axes, ("cw", "ccw", "static"), strict=True):
        row = data.get(letters[case], case)
        im = ax.pcolormesh(row["x"], row["y"], np.ma.masked_invalid(row["z"]), cmap=cmap,
                           norm=PowerNorm(0.5, vmin=0, vmax=vmax), shading="auto", rasterized=True)
        if contours and np.nanmax(row["z"]) > min(contours):
            cs = ax.contour(row["x"], row["y"], row["z"], levels=list(contours), colors="w", linewidths=0.9)
            ax.clabel(cs, fontsize=8, fmt="%g")
        ax.plot([PAPER.kappa / WM], [PAPER.gamma_a / WM], "w+", ms=10, mew=1.5)
        ax.set(xlabel=r"$\kappa/\omega_m$",
               title=f"({letters[case]}) {names[case]}, $\\Delta_c/\\omega_m = {STATED_OPTIMAL_DETUNING[case]:g}$")
    axes[0].set_ylabel(r"$\gamma_a/\omega_m$")
    fig.colorbar(im, ax=list(axes), label=label, shrink=0.9)


def fig3_plot(data: FigureData):
    import matplotlib.pyplot as plt

    from ..plotting import use_book_style

    use_book_style()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.9), sharey=True)
    _draw_maps(fig, axes, data, r"$E_{a\text{-}m}$", MAP_PANELS, contours=(0.1, 0.2))
    return fig


# -- Fig. 4 ---------------------------------------------------------------------------------
def fig4_data() -> FigureData:
    """(a) minimal residual contangle vs Delta_a at the stated optima; (b)-(d) maps over (kappa, gamma_a)."""
    x = DELTA_A_AXIS
    data = FigureData(meta={"peaks": {}, "ratios": {}, "maps": {}, "grid": f"{len(MAP_AXIS)} x {len(MAP_AXIS)}",
                            "delta_a_over_omega_m_maps": DELTA_A_MAPS})
    for case in CASES:
        st = an.steady_state(_at_optimum(case, delta_a=x * WM), case)
        r = an.residual_contangle(st.covariance, case)
        data.add("a", case, x, _nan(r))
        data.meta["peaks"][case] = an.peak(x, r)
    s = data.meta["peaks"]["static"][1]
    data.meta["ratios"] = {c: data.meta["peaks"][c][1] / s for c in ("cw", "ccw")}
    k, g = np.meshgrid(MAP_AXIS, MAP_AXIS, indexing="ij")
    for case, st in _map_states():
        z = an.residual_contangle(st.covariance, case)
        panel = chr(ord(MAP_PANELS[case]) + 1)  # (b) CW, (c) CCW, (d) static
        data.add(panel, case, k, g, _nan(z))
        data.meta["maps"][case] = _map_meta(case, z)
    return data


def fig4_plot(data: FigureData):
    import matplotlib.pyplot as plt

    from ..plotting import CASE_STYLES, use_book_style

    use_book_style()
    fig = plt.figure(figsize=(12, 7.6))
    grid = fig.add_gridspec(2, 3, height_ratios=[1, 1])
    ax = fig.add_subplot(grid[0, :])
    for case in CASES:
        row = data.get("a", case)
        ax.plot(row["x"], row["y"], **CASE_STYLES[case])
    ax.set(xlabel=r"$\Delta_a/\omega_m$", ylabel=r"$R_\mathcal{T}$",
           title=r"(a) driven cavity, atoms, mechanics; $\Delta_c/\omega_m$ = 1 (static), -1 (CW), 2.5 (CCW)")
    ax.legend()
    axes = [fig.add_subplot(grid[1, k]) for k in range(3)]
    _draw_maps(fig, axes, data, r"$R_\mathcal{T}$", {c: chr(ord(v) + 1) for c, v in MAP_PANELS.items()},
               contours=(0.01, 0.05))
    return fig


# -- Fig. 5 ---------------------------------------------------------------------------------
def fig5_data() -> FigureData:
    """(a) E_a-m and (b) R_T vs temperature at the stated optima (Delta_a = -1.1 omega_m) + vanishing T."""
    t = TEMPERATURE_AXIS
    data = FigureData(meta={"vanishing_temperature": {}, "delta_a_over_omega_m": DELTA_A_FIG1})
    for case in CASES:
        p = _at_optimum(case, delta_a=DELTA_A_FIG1 * WM)
        mf = an.solve_mean_field(p, case)
        st = an.steady_state(p, case, mean_field=mf, temperature=t)
        data.add("a", case, t, _nan(_e_am(st.covariance)))
        data.add("b", case, t, _nan(an.residual_contangle(st.covariance, case)))
        data.meta["vanishing_temperature"][case] = {
            q: an.vanishing_temperature(p, case, q, rtol=1e-4) for q in ("atom_mechanics", "tripartite")}
    return data


def fig5_plot(data: FigureData):
    import matplotlib.pyplot as plt

    from ..plotting import CASE_STYLES, use_book_style

    use_book_style()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.9))
    for ax, panel, q, ylabel in ((axes[0], "a", "atom_mechanics", r"$E_{a\text{-}m}$"),
                                 (axes[1], "b", "tripartite", r"$R_\mathcal{T}$")):
        for case in CASES:
            row = data.get(panel, case)
            style = CASE_STYLES[case]
            ax.plot(row["x"], row["y"], **style)
            t0 = data.meta["vanishing_temperature"][case][q]
            if np.isfinite(t0):
                ax.axvline(t0, color=style["color"], lw=0.8, ls=(0, (1, 3)))
        ax.set(xlabel="temperature $T$ (K)", ylabel=ylabel, title=f"({panel})")
    axes[0].legend()
    axes[1].text(0.98, 0.97, "dotted: computed vanishing temperatures", transform=axes[1].transAxes,
                 ha="right", va="top", fontsize=9)
    return fig


_SPECS = [
    ("B-fig1c", "Atom-mechanics entanglement vs cavity detuning (static, CW, CCW)", "Fig. 1(c) of paper B",
     "book/paper_b/fig1c", fig1c_data, fig1c_plot),
    ("B-fig2", "Bipartite entanglement and effective couplings vs atomic detuning", "Fig. 2 of paper B",
     "book/paper_b/fig2", fig2_data, fig2_plot),
    ("B-fig3", "Robustness of E_a-m against kappa and gamma_a", "Fig. 3 of paper B",
     "book/paper_b/fig3", fig3_data, fig3_plot),
    ("B-fig4", "Residual contangle vs atomic detuning and its robustness maps", "Fig. 4 of paper B",
     "book/paper_b/fig4", fig4_data, fig4_plot),
    ("B-fig5", "Entanglement vs temperature and vanishing temperatures", "Fig. 5 of paper B",
     "book/paper_b/fig5", fig5_data, fig5_plot),
]
for _id, _title, _rep, _chapter, _compute, _plot in _SPECS:
    register(FigureSpec(id=_id, title=_title, reproduces=_rep, chapter=_chapter, compute=_compute, plot=_plot))
