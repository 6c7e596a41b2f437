r"""Fig. 1(b) of papers A and B: the split counter-propagating resonances, to scale.

The intracavity intensity response to a drive at :math:`\omega_d` of a mode at
:math:`\omega_c \pm \Delta_F` with full width at half maximum :math:`\Gamma` is the
Lorentzian :math:`[1 + (2(\omega_d - \omega_c \mp \Delta_F)/\Gamma)^2]^{-1}`.
Parameters and unit readings are those fixed in the Sagnac chapter.
"""

from __future__ import annotations

import numpy as np

from .. import physics as ph
from . import FigureData, FigureSpec, register

__all__ = ["fig1b_data", "fig1b_plot", "lorentzian"]

#: Paper A (Fig. 2 parameters): n, R, lambda, Omega (rad/s), omega_m, linewidth kappa_0 + kappa_ex,l
PAPER_A = dict(n=1.48, radius=36e-6, wavelength=780e-9, spin=0.6e6,
               omega_m=2 * np.pi * 88.54e6, linewidth=2 * np.pi * (15e6 + 27e6))
#: Paper B: rates angular in 1/s (kappa = omega_c / Q); linewidth 2 kappa (da/dt = -kappa a)
PAPER_B = dict(n=1.48, radius=1.1e-3, wavelength=1550e-9, spin=30e3,
               omega_m=63e6, linewidth=2 * 38e6)


def lorentzian(x, centre, fwhm):
    """Normalised intracavity intensity response to a drive at ``x``."""
    return 1 / (1 + (2 * (np.asarray(x) - centre) / fwhm) ** 2)


def fig1b_data(paper: str) -> FigureData:
    """Resonance lines of the resting and the spinning resonator, x = (omega_d - omega_c)/omega_m."""
    p = {"A": PAPER_A, "B": PAPER_B}[paper]
    omega_c = ph.optical_angular_frequency(p["wavelength"])
    shift = ph.sagnac_shift(omega_c, p["n"], p["radius"], p["spin"]) / p["omega_m"]
    fwhm = p["linewidth"] / p["omega_m"]
    span = 1.5 if paper == "A" else 4.0
    x = np.linspace(-span, span, 801)
    data = FigureData(meta=dict(shift_over_omega_m=float(shift), fwhm_over_omega_m=float(fwhm)))
    names = ("left", "right") if paper == "A" else ("cw", "ccw")
    data.add("b", "static", x, lorentzian(x, 0.0, fwhm))
    data.add("b", names[0], x, lorentzian(x, shift, fwhm))
    data.add("b", names[1], x, lorentzian(x, -shift, fwhm))
    return data


def fig1b_plot(data: FigureData):
    """Draw :func:`fig1b_data` in the book's style."""
    import matplotlib.pyplot as plt

    from ..plotting import CASE_STYLES, DIRECTION_STYLES, label_with_units, use_book_style

    use_book_style()
    fig, ax = plt.subplots()
    paper_a = any(r["series"] == "left" for r in data.rows)
    for row in data.rows:
        s = row["series"]
        if paper_a:
            style = ({"color": "0.6", "ls": ":", "label": r"resting ($\Omega = 0$)"}
                     if s == "static" else DIRECTION_STYLES[s])
        else:
            style = {**CASE_STYLES[s], **({"label": f"{s.upper()} mode"} if s != "static" else {})}
        ax.plot(row["x"], row["y"], **style)
    m = data.meta
    ax.set(xlabel=label_with_units(r"$(\omega_d - \omega_c)/\omega_m$"),
           ylabel="normalised intracavity intensity", ylim=(0, 1.08))
    ax.legend(loc="upper right" if paper_a else "upper left")
    ax.set_title(("Paper A, left resonator" if paper_a else "Paper B")
                 + rf": $\Delta_F/\omega_m = {m['shift_over_omega_m']:.3f}$, linewidth "
                 + rf"$= {m['fwhm_over_omega_m']:.2f}\,\omega_m$")
    return fig


for _paper in ("A", "B"):
    register(FigureSpec(
        id=f"{_paper}-fig1b",
        title=f"Split counter-propagating resonances of the spinning resonator (paper {_paper})",
        reproduces=f"Fig. 1(b) of paper {_paper}",
        chapter="book/foundations/sagnac",
        compute=lambda _p=_paper: fig1b_data(_p),
        plot=fig1b_plot,
    ))
