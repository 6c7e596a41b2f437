r"""Beyond paper A: the single-tone search maps (``A-search``) and the two-tone positive control (``A-control``).

``A-search`` recomputes the subset :data:`optolib.paper_a.search.CI_GRID` of the full search
(:data:`~optolib.paper_a.search.FULL_GRID`, whose output is committed in ``data/a_search/``): for each point
:math:`(\tilde\Delta_l, \tilde\Delta_r)` of the two effective detunings it keeps the best of 4 fibre phases and
14 input powers (13 fractions of the point's own stability threshold and paper A's 20 mW).

Public API:

search_data, search_plot
"""

from __future__ import annotations

import numpy as np

from ..paper_a import search as se
from . import FigureData, FigureSpec, register

__all__ = ["search_data", "search_plot"]

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
                                best_fraction={str(t): r.best_fraction(temperature=t) for t in r.grid.temperatures},
                                min_two_nu=float(np.nanmin(r.two_nu)), max_fraction=float(np.nanmax(r.fraction))))
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


for _spec in (
    FigureSpec("A-search", "Single-tone search of the physical cascade: how close to entanglement",
               "beyond paper A (no paper figure)", _CHAPTER, search_data, search_plot),
):
    register(_spec)
