r"""Beyond paper A: the single-tone search maps (``A-search``) and the two-tone positive control (``A-control``).

``A-search`` recomputes the subset :data:`optolib.paper_a.search.CI_GRID` of the full search
(:data:`~optolib.paper_a.search.FULL_GRID`, whose output is committed in ``data/a_search/``): for each point
:math:`(\tilde\Delta_l, \tilde\Delta_r)` of the two effective detunings it keeps the best of 4 fibre phases and
14 input powers (13 fractions of the point's own stability threshold and paper A's 20 mW).

``A-control`` is the positive control of :mod:`optolib.paper_a.two_tone`: :math:`E_N(b_l|b_r)` against the
tone powers (all scaled together) at its three control points, forward and reversed cascade, at
:math:`T = 0` and paper A's 100 mK, with the QuTiP judge of the recommended point.

Public API:

search_data, search_plot, control_data, control_plot
"""

from __future__ import annotations

import numpy as np

from ..paper_a import search as se
from ..paper_a import two_tone as tt
from . import FigureData, FigureSpec, register

__all__ = ["control_data", "control_plot", "search_data", "search_plot"]

_CHAPTER = "book/paper_a/beyond"
#: Panels of A-search: (direction, chi, temperature, quantity); "paper_power": at 20 mW, "two_nu": best power.
SEARCH_PANELS = {
    "a": ("left", 1.0, 0.0, "paper_power"),
    "b": ("right", 1.0, 0.0, "paper_power"),
    "c": ("left", 0.95, 0.0, "paper_power"),
    "d": ("left", 1.0, 0.1, "two_nu"),
}
_VMAX = 3.0


def search_data(result: se.SearchResult | None = None) -> FigureData:
    """Maps of 2 nu~ over the two effective detunings: at 20 mW and T = 0 (three cases), best power at 0.1 K."""
    r = result if result is not None else se.run_search(se.CI_GRID)
    x = np.asarray(r.grid.detunings)
    data = FigureData(meta=dict(grid="CI_GRID", seconds=r.seconds, panels=SEARCH_PANELS,
                                best={str(t): r.best(temperature=t) for t in r.grid.temperatures},
                                min_two_nu=float(np.nanmin(r.two_nu))))
    xx, yy = np.meshgrid(x, x, indexing="xy")  # x: Delta_r (columns), y: Delta_l (rows)
    for panel, (d, chi, t, q) in SEARCH_PANELS.items():
        data.add(panel, f"{q} {d} chi={chi:g} T={t:g}K", xx, yy, r.map(d, chi, t, quantity=q))
    return data


def search_plot(data: FigureData):
    r"""2x2 maps of :math:`2\tilde\nu_-` over the two effective detunings; grey: 20 mW is beyond threshold."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    from ..plotting import label_with_units, use_book_style

    use_book_style()
    fig, axes = plt.subplots(2, 2, figsize=(10, 8.6), sharex=True, sharey=True, layout="constrained")
    titles = {"left": "left input", "right": "right input"}
    for ax, (panel, (d, chi, t, q)) in zip(axes.flat, data.meta["panels"].items(), strict=True):
        row = data.rows[list(data.meta["panels"]).index(panel)]
        z = np.ma.masked_invalid(np.ma.asarray(row["z"]))
        cmap = plt.get_cmap("viridis_r").copy()
        cmap.set_bad("0.82")  # 20 mW is beyond the stability threshold there
        mesh = ax.pcolormesh(row["x"], row["y"], z, shading="nearest", cmap=cmap,
                             norm=LogNorm(vmin=1.0, vmax=_VMAX))
        cs = ax.contour(row["x"], row["y"], z.filled(np.inf), levels=[1.04, 1.1, 1.5], colors=["w", "#E69F00", "0.3"],
                        linewidths=0.9)
        ax.clabel(cs, fmt="%.2f", fontsize=7)
        power = "$P$ = 20 mW" if q == "paper_power" else "best $P$ < threshold"
        temp = "0" if t == 0 else f"{1e3 * t:g} mK"
        ax.set_title(f"({panel}) {titles[d]}, $\\chi = {chi:g}$, $T$ = {temp}, {power}", fontsize=10)
        for v in (-1, 1):
            ax.axhline(v, color="0.6", lw=0.6, ls=":")
            ax.axvline(v, color="0.6", lw=0.6, ls=":")
    from matplotlib.ticker import FixedLocator, ScalarFormatter

    cb = fig.colorbar(mesh, ax=axes, label=r"$2\tilde\nu_-$ (oscillators entangled iff < 1; grey: unstable at 20 mW)",
                      shrink=0.8, extend="max")
    cb.ax.yaxis.set_major_locator(FixedLocator([1.0, 1.04, 1.1, 1.25, 1.5, 2.0, 3.0]))
    cb.ax.yaxis.set_major_formatter(ScalarFormatter())
    cb.ax.yaxis.set_minor_locator(FixedLocator([]))
    for ax in axes[1]:
        ax.set_xlabel(label_with_units(r"$\tilde\Delta_r/\omega_{m,l}$"))
    for ax in axes[:, 0]:
        ax.set_ylabel(label_with_units(r"$\tilde\Delta_l/\omega_{m,l}$"))
    return fig


_POINT_STYLE = {
    "S1, QuTiP point": dict(color="#0072B2", label="S1 addressed tones: QuTiP point"),
    "S1, 0.1 K point": dict(color="#009E73", label="S1 addressed tones: 100 mK point"),
    "S2, one fibre (kappa x 0.2)": dict(color="#CC79A7", label=r"S2 one fibre, $\kappa\times0.2$"),
}


def control_data() -> FigureData:
    """E_N vs tone-power scale at the three two-tone control points (both temperatures and cascade directions)."""
    d = tt.control_figure_data()
    data = FigureData(meta=dict(powers_W=d["powers_W"], fock=None if d["fock"] is None else
                                {k: v for k, v in d["fock"].items() if k not in ("V_fock", "V_gauss")},
                                rwa=d["rwa"], points=list(d["curves"])))
    for name, by_t in d["curves"].items():
        for temp, by_dir in by_t.items():
            for direction, c in by_dir.items():
                en = np.ma.masked_where(~np.asarray(c["stable"]), np.asarray(c["E_N"], dtype=float))
                data.add(temp, f"{name} | {direction}", d["power_scale"], en)
    return data


def control_plot(data: FigureData):
    r""":math:`E_N` vs power scale, :math:`T = 0` and 100 mK; forward cascade coloured, reversed grey dashed."""
    import matplotlib.pyplot as plt

    from ..plotting import use_book_style

    use_book_style()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True, layout="constrained")
    for ax, temp, title in zip(axes, ("T=0", "T=0.1"), ("(a) $T = 0$", "(b) $T = 100$ mK (paper A)"), strict=True):
        for name in data.meta["points"]:
            fwd, rev = data.get(temp, f"{name} | left"), data.get(temp, f"{name} | right")
            ax.plot(fwd["x"], fwd["y"], lw=2, **_POINT_STYLE[name])
            ax.plot(rev["x"], rev["y"], color=_POINT_STYLE[name]["color"], lw=1, ls="--", alpha=0.6)
        ax.axvline(1.0, color="0.6", lw=0.8, ls=":")
        ax.set_xscale("log")
        ax.set_xlabel("tone powers / control-point powers")
        ax.set_title(title, fontsize=10)
    fock = data.meta["fock"]
    if fock is not None:
        axes[0].plot([1.0], [fock["E_N_fock"]], marker="*", ms=13, color="k", ls="none",
                     label=f"QuTiP, truncation {tuple(int(n) for n in fock['truncation'])}")
    axes[0].plot([], [], color="0.4", ls="--", lw=1, label="reversed cascade (r to l)")
    axes[0].set_ylabel(r"$E_N(b_l|b_r)$")
    axes[0].legend(fontsize=8, loc="upper left")
    return fig


for _spec in (
    FigureSpec("A-control", "Two-tone positive control: entangled oscillators in the physical cascade",
               "beyond paper A (no paper figure)", _CHAPTER, control_data, control_plot),
    FigureSpec("A-search", "Single-tone search of the physical cascade: how close to entanglement",
               "beyond paper A (no paper figure)", _CHAPTER, search_data, search_plot),
):
    register(_spec)
