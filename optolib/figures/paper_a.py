r"""Paper A (Jiao et al. 2022): Figs. 2, 3, 3(e), 3(f), 4 and their physically consistent versions.

Every ``*_data`` function computes a :class:`~optolib.figures.FigureData` with the batched
engine (:mod:`optolib.paper_a.analysis`); every ``*_plot`` draws it.  The book's chapters and
``python -m optolib reproduce ID`` call the same pair.  Grids (stated in every caption):

* Figs. 2, 3(a)-(d): :math:`\Delta/\omega_{m,l} \in [0.4, 1.6]`, step 0.001 (1201 points).
* Fig. 3(e): :math:`\chi \in [0.90, 1.00]` (201) x :math:`\Omega_l \in [-1.6, 1.6]\times10^6` rad/s (161).
* Fig. 3(f): :math:`\Omega_l, \Omega_r \in [-1.6, 1.6]\times10^6` rad/s (161 x 161).

``"paper"`` figures use paper A's diffusion matrix (its steady states violate the uncertainty
relation; the y-axis is then Eq. (20) evaluated on a non-state).  ``"-physical"`` figures use
the cascaded master equation (:mod:`optolib.paper_a.model`).
"""

from __future__ import annotations

import numpy as np

from ..paper_a.analysis import (
    FIG2_CASES,
    FIG3_CASES,
    FIG3_CHIS,
    WIGNER_PAIRS,
    detuning_sweep,
    mechanical_covariance,
    peak,
    revival_map,
)
from ..paper_a.parameters import DIRECTIONS, SPIN_FIG3, paper_a_parameters
from . import FigureData, FigureSpec, register

__all__ = [
    "DETUNING_GRID",
    "fig2_data",
    "fig2_plot",
    "fig3_data",
    "fig3_plot",
    "fig3e_data",
    "fig3f_data",
    "fig4_data",
    "fig4_plot",
    "physical_plot",
    "revival_map_plot",
]

#: Delta / omega_m,l grid of Figs. 2 and 3(a)-(d).
DETUNING_GRID = np.linspace(0.4, 1.6, 1201)
#: Fig. 3(e) grid: chi x Omega_l (rad/s).
FIG3E_GRID = (np.linspace(0.90, 1.00, 201), np.linspace(-1.6e6, 1.6e6, 161))
#: Fig. 3(f) grid: Omega_l x Omega_r (rad/s).
FIG3F_GRID = (np.linspace(-1.6e6, 1.6e6, 161), np.linspace(-1.6e6, 1.6e6, 161))
#: Fig. 4 operating point (caption): Delta/omega_m,l = 0.68, chi = 0.95, Omega_l = 0.8e6 rad/s, Omega_r = 0.
FIG4_POINT = dict(x=0.68, chi=0.95, spin_l=SPIN_FIG3, spin_r=0.0)
_CHI_COLOURS = {1.0: "0.15", 0.97: "#009E73", 0.95: "#CC79A7"}


def _spin_text(sl: float, sr: float) -> str:
    def one(v: float) -> str:
        return "0" if v == 0 else f"{v / 1e6:g}" + r"\times10^6"

    return rf"$\Omega_l = {one(sl)}$, $\Omega_r = {one(sr)}$ rad/s"


# -- Fig. 2 --------------------------------------------------------------------------------
def fig2_data(noise: str = "paper") -> FigureData:
    """E_N(b_l|b_r) vs Delta/omega_m for the three spin cases of Fig. 2, both input directions."""
    data = FigureData(meta=dict(noise=noise, peaks={}, min_uncertainty_margin=np.inf))
    x = DETUNING_GRID
    for panel, (sl, sr) in FIG2_CASES.items():
        p = paper_a_parameters(spin_l=sl, spin_r=sr)
        for d in DIRECTIONS:
            s = detuning_sweep(p, x, d, noise)
            data.add(panel, d, x, s.log_negativity)
            data.add(panel, f"{d} exponent", x, s.exponent)
            data.meta["peaks"][panel, d] = peak(x, s.log_negativity)
            data.meta["min_uncertainty_margin"] = min(data.meta["min_uncertainty_margin"],
                                                      float(s.uncertainty_margin.min()))
    data.meta["cases"] = FIG2_CASES
    return data


def fig2_plot(data: FigureData):
    """Three panels (a)-(c) of Fig. 2: left input solid, right input dashed."""
    import matplotlib.pyplot as plt

    from ..plotting import DIRECTION_STYLES, label_with_units, shade_unstable, use_book_style

    use_book_style()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharey=True)
    for ax, (panel, (sl, sr)) in zip(axes, data.meta["cases"].items(), strict=True):
        for d in DIRECTIONS:
            row = data.get(panel, d)
            ax.plot(row["x"], row["y"], **DIRECTION_STYLES[d])
        mask = np.ma.getmaskarray(data.get(panel, "left")["y"])
        if mask.any():
            shade_unstable(ax, data.get(panel, "left")["x"], mask)
        if panel == "b":
            for xv in (0.74, 0.98):
                ax.axvline(xv, color="0.6", ls=":", lw=1)
        ax.set_title(f"({panel}) " + _spin_text(sl, sr), fontsize=10)
        ax.set_xlabel(label_with_units(r"$\Delta/\omega_{m,l}$"))
    axes[0].set_ylabel(r"$E_N$ (paper's Eqs. (14), (18)-(20))")
    axes[0].legend(loc="upper left")
    return fig


# -- physically consistent versions ----------------------------------------------------------
def _physical_common(cases: dict, chis: tuple[float, ...] | None) -> FigureData:
    data = FigureData(meta=dict(noise="physical", max_log_negativity=0.0, max_exponent=-np.inf,
                                min_uncertainty_margin=np.inf, cases=cases, chis=chis))
    x = DETUNING_GRID
    for panel, case in cases.items():
        sl, sr = case[0], case[1]
        dirs = case[2] if len(case) > 2 else DIRECTIONS
        chi = np.array(chis)[:, None] if chis else 1.0
        p = paper_a_parameters(spin_l=sl, spin_r=sr, chi=chi)
        for d in dirs:
            phys = detuning_sweep(p, x, d, "physical")
            paper = detuning_sweep(p, x, d, "paper")
            for k, c in enumerate(chis or (None,)):
                sel = (k,) if chis else ()
                tag = d if c is None else f"chi={c:g} {d}"
                data.add(panel, f"physical {tag}", x, phys.exponent[sel])
                data.add(panel, f"paper {tag}", x, paper.exponent[sel])
            m = data.meta
            m["max_log_negativity"] = max(m["max_log_negativity"], float(phys.log_negativity.max()))
            m["max_exponent"] = max(m["max_exponent"], float(phys.exponent.max()))
            m["min_uncertainty_margin"] = min(m["min_uncertainty_margin"], float(phys.uncertainty_margin.min()))
    return data


def physical_plot(data: FigureData):
    r"""Unclipped :math:`-\ln 2\tilde\nu_-` under both noise models; entangled only above zero."""
    import matplotlib.pyplot as plt

    from ..plotting import DIRECTION_STYLES, label_with_units, use_book_style

    use_book_style()
    cases, chis = data.meta["cases"], data.meta["chis"]
    n = len(cases)
    ncol = 3 if n == 3 else 2
    fig, axes = plt.subplots(int(np.ceil(n / ncol)), ncol, figsize=(12 if n == 3 else 10, 3.8 if n == 3 else 7),
                             sharey=True, squeeze=False)
    for ax, (panel, case) in zip(axes.flat, cases.items(), strict=True):
        ax.axhspan(0, 1, color="#F0E442", alpha=0.25, lw=0, zorder=0)
        ax.axhline(0, color="0.3", lw=0.8)
        for row in data.rows:
            if row["panel"] != panel:
                continue
            model, rest = row["series"].split(" ", 1)
            d = rest.split()[-1]
            c = float(rest.split()[0][4:]) if rest.startswith("chi=") else None
            style = dict(DIRECTION_STYLES[d])
            style["label"] = None
            if c is not None:
                style["color"] = _CHI_COLOURS[c]
            if model == "paper":
                style.update(lw=1.0, alpha=0.45)
            else:
                style.update(lw=2.0)
            ax.plot(row["x"], row["y"], **style)
        ax.set_title(f"({panel}) " + _spin_text(case[0], case[1]), fontsize=10)
        ax.set_xlabel(label_with_units(r"$\Delta/\omega_{m,l}$"))
        ax.set_ylim(-0.45, 0.12)
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$-\ln 2\tilde\nu_-$  ($E_N$ = max(0, this))")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.2", lw=2.0, label="cascaded master equation"),
               Line2D([], [], color="0.2", lw=1.0, alpha=0.45, label="paper's noise model"),
               Line2D([], [], **{**DIRECTION_STYLES["left"], "color": "0.2"}),
               Line2D([], [], **{**DIRECTION_STYLES["right"], "color": "0.2"})]
    if chis:
        handles += [Line2D([], [], color=_CHI_COLOURS[c], label=rf"$\chi = {c:g}$") for c in chis]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9)
    axes.flat[0].text(0.98, 0.96, "entangled", transform=axes.flat[0].transAxes, ha="right", va="top",
                      fontsize=9, color="0.35")
    return fig


# -- Fig. 3 --------------------------------------------------------------------------------
def fig3_data(noise: str = "paper") -> FigureData:
    """Fig. 3(a)-(d): E_N vs Delta/omega_m for chi = 1, 0.97, 0.95; peaks, enhancements, revivals."""
    x = DETUNING_GRID
    data = FigureData(meta=dict(noise=noise, peaks={}, cases=FIG3_CASES, chis=FIG3_CHIS))
    for panel, (sl, sr, dirs) in FIG3_CASES.items():
        p = paper_a_parameters(spin_l=sl, spin_r=sr, chi=np.array(FIG3_CHIS)[:, None])
        for d in DIRECTIONS:
            s = detuning_sweep(p, x, d, noise)
            for k, c in enumerate(FIG3_CHIS):
                data.meta["peaks"][panel, d, c] = peak(x, s.log_negativity[k])
                if d in dirs:
                    data.add(panel, f"chi={c:g} {d}", x, s.log_negativity[k])
    pk = data.meta["peaks"]
    ref = {d: pk["a", d, 1.0][1] for d in DIRECTIONS}
    data.meta["enhancement"] = {(d, c): pk["c", d, c][1] / pk["a", d, c][1] for d in DIRECTIONS for c in FIG3_CHIS
                                if pk["a", d, c][1] > 0}
    data.meta["revival"] = {(d, c): pk["c", d, c][1] / ref[d] for d in DIRECTIONS for c in FIG3_CHIS}
    return data


def fig3_plot(data: FigureData):
    """Fig. 3(a)-(d): colour = chi, line style = input direction."""
    import matplotlib.pyplot as plt

    from ..plotting import DIRECTION_STYLES, label_with_units, use_book_style

    use_book_style()
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharey=True)
    for ax, (panel, (sl, sr, _dirs)) in zip(axes.flat, data.meta["cases"].items(), strict=True):
        for row in data.rows:
            if row["panel"] != panel:
                continue
            c_txt, d = row["series"].split()
            c = float(c_txt[4:])
            style = {**DIRECTION_STYLES[d], "color": _CHI_COLOURS[c], "label": rf"$\chi = {c:g}$, {d} input"}
            ax.plot(row["x"], row["y"], **style)
        ax.set_title(f"({panel}) " + _spin_text(sl, sr), fontsize=10)
        ax.set_xlabel(label_with_units(r"$\Delta/\omega_{m,l}$"))
        ax.legend(fontsize=7, loc="upper right")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$E_N$ (paper's noise model)")
    return fig


# -- Figs. 3(e), 3(f) --------------------------------------------------------------------------
def fig3e_data(noise: str = "paper") -> FigureData:
    r"""Revival coefficient (Eq. (22)) over :math:`(\Omega_l, \chi)`.

    Caption of Fig. 3(e): right input, :math:`\Omega_r = 0`, :math:`\Delta = \omega_{m,l}`.
    """
    chi, spin = FIG3E_GRID
    p = paper_a_parameters(chi=chi[:, None], spin_l=spin[None, :])
    eta, ref = revival_map(p, 1.0, "right", noise)
    data = FigureData(meta=dict(noise=noise, reference=ref, x_label=r"$\Omega_l$ ($10^6$ rad/s)",
                                y_label=r"$\chi = \omega_{m,r}/\omega_{m,l}$",
                                title=r"(e) right input, $\Omega_r = 0$, $\Delta/\omega_{m,l} = 1$",
                                grid=f"{len(chi)} x {len(spin)}"))
    xx, yy = np.meshgrid(spin / 1e6, chi)
    data.add("e", "right", xx, yy, eta)
    return data


def fig3f_data(noise: str = "paper") -> FigureData:
    r"""Revival coefficient over :math:`(\Omega_l, \Omega_r)`.

    Caption of Fig. 3(f): left input, :math:`\chi = 0.97` (printed as ":math:`\eta` = 0.97"),
    :math:`\Delta = 0.68\,\omega_{m,l}`.
    """
    sl, sr = FIG3F_GRID
    p = paper_a_parameters(chi=0.97, spin_l=sl[None, :], spin_r=sr[:, None])
    eta, ref = revival_map(p, 0.68, "left", noise)
    data = FigureData(meta=dict(noise=noise, reference=ref, x_label=r"$\Omega_l$ ($10^6$ rad/s)",
                                y_label=r"$\Omega_r$ ($10^6$ rad/s)",
                                title=r"(f) left input, $\chi = 0.97$, $\Delta/\omega_{m,l} = 0.68$",
                                grid=f"{len(sr)} x {len(sl)}"))
    xx, yy = np.meshgrid(sl / 1e6, sr / 1e6)
    data.add("f", "left", xx, yy, eta)
    return data


def revival_map_plot(data: FigureData):
    """Density map of the revival coefficient with the 0.8 and 0.9 contours; unstable points grey."""
    import matplotlib.pyplot as plt

    from ..plotting import use_book_style

    use_book_style()
    row = data.rows[0]
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    z = np.ma.masked_invalid(np.ma.asarray(row["z"]))
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.8")
    mesh = ax.pcolormesh(row["x"], row["y"], z, shading="nearest", cmap=cmap, vmin=0, vmax=max(1.0, float(z.max())))
    cs = ax.contour(row["x"], row["y"], z.filled(0), levels=[0.8, 0.9], colors=["w", "#E69F00"], linewidths=1.2)
    ax.clabel(cs, fmt="%.1f", fontsize=8)
    fig.colorbar(mesh, ax=ax, label=r"revival coefficient $\eta$ (Eq. (22))")
    m = data.meta
    ax.set(xlabel=m["x_label"], ylabel=m["y_label"])
    ax.set_title(m["title"] + f"; grid {m['grid']}", fontsize=10)
    return fig


# -- Fig. 4 --------------------------------------------------------------------------------
def _ellipse(v2: np.ndarray, n: int = 200) -> np.ndarray:
    r"""Points of the 1/e contour :math:`r^T V_2^{-1} r = 2` of a 2x2 Gaussian marginal."""
    t = np.linspace(0, 2 * np.pi, n)
    return np.sqrt(2) * np.linalg.cholesky(v2) @ np.vstack([np.cos(t), np.sin(t)])


def fig4_data(noise: str = "paper") -> FigureData:
    r"""Fig. 4: 1/e contours of the Wigner marginals (Eq. (23)) and the reduced CM, both directions."""
    pt = FIG4_POINT
    p = paper_a_parameters(chi=pt["chi"], spin_l=pt["spin_l"], spin_r=pt["spin_r"])
    data = FigureData(meta=dict(noise=noise, point=pt, covariance={}))
    vac = _ellipse(0.5 * np.eye(2))
    for d in DIRECTIONS:
        v = mechanical_covariance(p, pt["x"], d, noise)
        data.meta["covariance"][d] = v
        for (qi, qj), (i, j) in WIGNER_PAIRS.items():
            e = _ellipse(v[np.ix_([i, j], [i, j])])
            data.add(f"{qi},{qj}", d, e[0], e[1])
        idx = np.arange(4)
        ii, jj = np.meshgrid(idx + 1, idx + 1, indexing="ij")
        data.add("c", d, ii, jj, v)
    for (qi, qj) in WIGNER_PAIRS:
        data.add(f"{qi},{qj}", "vacuum", vac[0], vac[1])
    return data


def fig4_plot(data: FigureData):
    """Two rows of six 1/e contours (left, right input) against the vacuum circle, and the two reduced CMs."""
    import matplotlib.pyplot as plt

    from ..plotting import DIRECTION_STYLES, use_book_style

    use_book_style()
    fig = plt.figure(figsize=(13, 8.4))
    gs = fig.add_gridspec(3, 6, height_ratios=[1, 1, 1.15])
    names = {"q_l": r"$q_l$", "p_l": r"$p_l$", "q_r": r"$q_r$", "p_r": r"$p_r$"}
    lim = 0
    for r, d in enumerate(DIRECTIONS):
        for c, (qi, qj) in enumerate(WIGNER_PAIRS):
            ax = fig.add_subplot(gs[r, c])
            vac = data.get(f"{qi},{qj}", "vacuum")
            ax.plot(vac["x"], vac["y"], color="0.4", ls="--", lw=1)
            row = data.get(f"{qi},{qj}", d)
            ax.plot(row["x"], row["y"], color=DIRECTION_STYLES[d]["color"], lw=1.8)
            lim = max(lim, float(np.abs(row["x"]).max()), float(np.abs(row["y"]).max()))
            ax.set_aspect("equal")
            ax.set_xlabel(names[qi], labelpad=0)
            ax.set_ylabel(names[qj], labelpad=0)
            ax.tick_params(labelsize=8)
            if c == 0:
                ax.set_title(f"({'ab'[r]}) {d} input", fontsize=10, loc="left")
    for ax in fig.axes:
        ax.set(xlim=(-1.1 * lim, 1.1 * lim), ylim=(-1.1 * lim, 1.1 * lim))
    labels = [r"$q_l$", r"$p_l$", r"$q_r$", r"$p_r$"]
    vmax = max(float(np.abs(data.meta["covariance"][d]).max()) for d in DIRECTIONS)
    for k, d in enumerate(DIRECTIONS):
        ax = fig.add_subplot(gs[2, 3 * k + 1: 3 * k + 3])
        v = data.meta["covariance"][d]
        im = ax.imshow(v, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
        for i in range(4):
            for j in range(4):
                ax.text(j, i, f"{v[i, j]:.3f}", ha="center", va="center", fontsize=8,
                        color="w" if abs(v[i, j]) > 0.6 * vmax else "k")
        ax.set_xticks(range(4), labels)
        ax.set_yticks(range(4), labels)
        ax.set_title(rf"(c) $V_{{\mu\nu}}$, {d} input", fontsize=10)
    fig.colorbar(im, ax=ax, shrink=0.9)
    pt = data.meta["point"]
    fig.suptitle(rf"1/e contours of the Wigner marginals (solid) vs vacuum (dashed); "
                 rf"$\Delta/\omega_{{m,l}} = {pt['x']}$, $\chi = {pt['chi']}$, "
                 rf"$\Omega_l = {pt['spin_l'] / 1e6:g}\times10^6$ rad/s, $\Omega_r = 0$", fontsize=11)
    return fig


_CHAPTER = "book/paper_a/"
for _spec in (
    FigureSpec("A-fig2", "Nonreciprocal E_N of identical oscillators (paper's noise model)", "Fig. 2 of paper A",
               _CHAPTER + "fig2", fig2_data, fig2_plot),
    FigureSpec("A-fig3", "E_N of mismatched oscillators (paper's noise model)", "Fig. 3(a)-(d) of paper A",
               _CHAPTER + "fig3", fig3_data, fig3_plot),
    FigureSpec("A-fig3e", "Revival coefficient vs (Omega_l, chi), right input", "Fig. 3(e) of paper A",
               _CHAPTER + "fig3", fig3e_data, revival_map_plot),
    FigureSpec("A-fig3f", "Revival coefficient vs (Omega_l, Omega_r), left input", "Fig. 3(f) of paper A",
               _CHAPTER + "fig3", fig3f_data, revival_map_plot),
    FigureSpec("A-fig4", "Wigner marginals and reduced CM of the oscillators", "Fig. 4 of paper A",
               _CHAPTER + "fig4", fig4_data, fig4_plot),
    FigureSpec("A-fig2-physical", "Fig. 2 under the cascaded master equation", "Fig. 2 of paper A, corrected",
               _CHAPTER + "physicality", lambda: _physical_common(FIG2_CASES, None), physical_plot),
    FigureSpec("A-fig3-physical", "Fig. 3(a)-(d) under the cascaded master equation",
               "Fig. 3(a)-(d) of paper A, corrected", _CHAPTER + "fig3",
               lambda: _physical_common(FIG3_CASES, FIG3_CHIS), physical_plot),
):
    register(_spec)
