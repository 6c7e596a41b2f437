r"""Beyond paper A: does a single drive tone ever entangle the two oscillators of the *physical* cascade?

The book's research chapter (``book/paper_a/beyond.md``) asks whether any single-tone operating
point of the physically consistent cascaded model (:func:`~optolib.paper_a.model.cascaded_model`,
``noise="physical"``) entangles :math:`b_l` and :math:`b_r`.  This module runs that search.

**Reduction of the parameter space.**  For one input direction the linearised model depends on
the base detuning :math:`\Delta` and the two spin rates only through the two effective detunings
(paper A after Eq. (9); :mod:`optolib.paper_a.mean_field`)

.. math::
    \tilde\Delta_j = \Delta \pm \Delta_{F,j}(\Omega_j), \qquad j = l, r
    \qquad(+\text{ for left input}),

so the three-dimensional space :math:`(\Delta, \Omega_l, \Omega_r)` is searched exactly by a map over
:math:`(\tilde\Delta_l, \tilde\Delta_r)`; every point of the map is realised by a line of
:math:`(\Delta, \Omega_l, \Omega_r)`.  The realisation only matters for the *opposite* input direction,
which sees :math:`\tilde\Delta'_j = 2\Delta - \tilde\Delta_j` (:func:`opposite_direction` scans it).
:func:`spin_for_shift` converts a Sagnac shift into a rotation rate and a rim speed.

**Remaining axes** (:class:`SearchGrid`): fibre phase :math:`\varphi`, transmission :math:`\eta`,
frequency ratio :math:`\chi`, temperature, input direction and input power.  Power is searched
*relative to the stability threshold of each point*: :func:`threshold_power` finds, per point, the
first power at which the drift matrix acquires an eigenvalue with :math:`\mathrm{Re}\,\lambda \ge 0`
(a logarithmic scan, then bisection), and the grid evaluates fractions of it plus paper A's 20 mW
where that is stable.

**Figure of merit.**  :math:`2\tilde\nu_-`, twice the smallest symplectic eigenvalue of the partially
transposed covariance matrix of the two oscillators (vacuum = 1/2 convention, so the oscillators are
entangled iff :math:`2\tilde\nu_- < 1`, and :math:`E_N = \max(0, -\ln 2\tilde\nu_-)`, Eq. (20) of paper A).

Public API:

SearchGrid, FULL_GRID, CI_GRID, PAPER_POWER, POWER_CAP, SearchResult, spin_for_shift, realise,
evaluate, describe, threshold_power, run_search, refine, opposite_direction,
mechanical_correlations, save_result, load_result, main
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.optimize

from .. import _validation as val
from ..errors import OptolibError
from ..measures import min_pt_symplectic_eigenvalue, reduce_covariance
from ..physicality import uncertainty_margin
from ..physics import sagnac_shift
from ..steady_state import stability_margin, steady_state_covariance
from .model import cascaded_model
from .parameters import DIRECTIONS, PaperAParameters, check_direction, paper_a_parameters

__all__ = [
    "CI_GRID",
    "FULL_GRID",
    "PAPER_POWER",
    "POWER_CAP",
    "SearchGrid",
    "SearchResult",
    "describe",
    "evaluate",
    "load_result",
    "mechanical_correlations",
    "opposite_direction",
    "realise",
    "refine",
    "run_search",
    "save_result",
    "spin_for_shift",
    "threshold_power",
]

#: Paper A's input power (Sec. III), W.
PAPER_POWER = 20e-3
#: Largest input power searched (W).  Far beyond any experiment (a microresonator melts long before);
#: it only makes sure that "up to the stability threshold" is not cut short by a guess.
POWER_CAP = 1e3
#: Smallest power of the threshold scan (W).
POWER_FLOOR = 1e-6
_MECH = (2, 3)


@dataclass(frozen=True)
class SearchGrid:
    r"""The axes of the single-tone search (detunings in units of :math:`\omega_{m,l}`).

    Attributes
    ----------
    detunings : tuple of float
        Values of :math:`\tilde\Delta_l/\omega_{m,l}` and :math:`\tilde\Delta_r/\omega_{m,l}` (the same list
        for both axes).
    phis : tuple of float
        Fibre phases :math:`\varphi` (rad).
    etas : tuple of float
        Power transmissions :math:`\eta` between the resonators.
    chis : tuple of float
        :math:`\chi = \omega_{m,r}/\omega_{m,l}`.
    temperatures : tuple of float
        Bath temperatures (K).
    fractions : tuple of float
        Input powers as fractions of each point's threshold power.
    directions : tuple of str
        Input directions.
    """

    detunings: tuple[float, ...]
    phis: tuple[float, ...]
    etas: tuple[float, ...]
    chis: tuple[float, ...]
    temperatures: tuple[float, ...]
    fractions: tuple[float, ...]
    directions: tuple[str, ...] = DIRECTIONS

    def __post_init__(self) -> None:
        for name in ("detunings", "phis", "etas", "chis", "temperatures", "fractions"):
            arr = val.real_array(name, getattr(self, name))
            if arr.ndim != 1 or arr.size == 0:
                raise OptolibError(f"{name} must be a non-empty 1-D sequence, got shape {arr.shape}")
        val.positive("chis", self.chis)
        val.nonnegative("temperatures", self.temperatures)
        eta = np.asarray(self.etas, dtype=float)
        if np.any((eta <= 0) | (eta > 1)):
            raise OptolibError(f"etas must lie in (0, 1], got {list(self.etas)}")
        f = np.asarray(self.fractions, dtype=float)
        if np.any((f <= 0) | (f >= 1)):
            raise OptolibError(f"fractions (of the threshold power) must lie in (0, 1), got {list(self.fractions)}")
        for d in self.directions:
            check_direction(d)

    @property
    def size(self) -> int:
        """Number of (point, power) evaluations of the Lyapunov equation (paper power slot included)."""
        n = len(self.detunings) ** 2
        return (n * len(self.phis) * len(self.etas) * len(self.chis) * len(self.temperatures)
                * (len(self.fractions) + 1) * len(self.directions))


_DET_FULL = tuple(np.round(np.linspace(-3.0, 3.0, 61), 10))
#: The full search (``python -m optolib.paper_a.search --full``; about 5 minutes on 2 cores).
FULL_GRID = SearchGrid(
    detunings=_DET_FULL,
    phis=(0.0, 0.5 * np.pi, np.pi, 1.5 * np.pi),
    etas=(0.5, 0.8, 1.0),
    chis=(1.0, 0.97, 0.95),
    temperatures=(0.0, 0.01, 0.1),
    fractions=(1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.03, 0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99),
)
#: The subset the book recomputes on every build: every other detuning, eta = 1, chi in {1, 0.95},
#: T in {0, 0.1 K}.
#: It is a sub-grid of :data:`FULL_GRID`, so it must reproduce the stored full run on its points.
CI_GRID = SearchGrid(
    detunings=_DET_FULL[::2],
    phis=FULL_GRID.phis,
    etas=(1.0,),
    chis=(1.0, 0.95),
    temperatures=(0.0, 0.1),
    fractions=FULL_GRID.fractions,
)


def _sagnac_per_spin(params: PaperAParameters) -> float:
    """:math:`\\partial\\Delta_F/\\partial\\Omega` (dimensionless), Eq. (2) of paper A with dn/dlambda = 0."""
    return float(sagnac_shift(params.omega_c, params.n, params.radius, 1.0))


def spin_for_shift(shift: Any, params: PaperAParameters | None = None) -> dict[str, np.ndarray]:
    r"""Rotation needed for a Sagnac-Fizeau shift :math:`\Delta_F` (rad/s), Eq. (2) of paper A inverted.

    Returns
    -------
    dict
        ``angular_velocity`` :math:`\Omega` (rad/s), ``rotation_frequency`` :math:`\Omega/2\pi` (Hz) and
        ``rim_speed`` :math:`|\Omega| R` (m/s).
    """
    p = params if params is not None else paper_a_parameters()
    spin = val.real_array("shift", shift) / _sagnac_per_spin(p)
    return dict(angular_velocity=spin, rotation_frequency=spin / (2 * np.pi),
                rim_speed=np.abs(spin) * float(np.asarray(p.radius)))


def realise(params: PaperAParameters, delta_l: Any, delta_r: Any, direction: str,
            base_detuning: Any = 0.0, **fields: Any) -> PaperAParameters:
    r"""Parameters whose spins realise the effective detunings :math:`\tilde\Delta_l, \tilde\Delta_r` (rad/s).

    With base detuning :math:`\Delta` (``base_detuning``, rad/s) the Sagnac shifts are
    :math:`\Delta_{F,j} = \pm(\tilde\Delta_j - \Delta)` (``+`` for left input); the spins follow from
    :func:`spin_for_shift`.  ``fields`` (power, phi, eta, chi, temperature, ...) are set as given.
    """
    check_direction(direction)
    dl, dr = val.real_array("delta_l", delta_l), val.real_array("delta_r", delta_r)
    base = val.real_array("base_detuning", base_detuning)
    sign = 1.0 if direction == "left" else -1.0
    k = _sagnac_per_spin(params)
    return params.replace(spin_l=sign * (dl - base) / k, spin_r=sign * (dr - base) / k, **fields)


def _model(params: PaperAParameters, delta_l: Any, delta_r: Any, direction: str, base_detuning: Any = 0.0,
           **fields: Any):
    p = realise(params, delta_l, delta_r, direction, base_detuning, **fields)
    return cascaded_model(p, base_detuning, direction, "physical")


def _margin(params: PaperAParameters, delta_l, delta_r, direction, **fields) -> np.ndarray:
    """Largest Re(eigenvalue) of the drift matrix (rad/s); its shape is the broadcast of the inputs."""
    return stability_margin(_model(params, delta_l, delta_r, direction, **fields).drift_matrix())


def threshold_power(params: PaperAParameters, delta_l: Any, delta_r: Any, direction: str, *,
                    cap: float = POWER_CAP, floor: float = POWER_FLOOR, scan: int = 19, bisections: int = 12,
                    **fields: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""First input power at which the drift matrix becomes unstable, per point (W).

    The power axis is scanned logarithmically from ``floor`` to ``cap`` (``scan`` points); between the
    last stable and the first unstable scan point the threshold is bisected in :math:`\ln P`
    (``bisections`` steps: relative precision :math:`(\mathrm{cap}/\mathrm{floor})^{1/(scan-1)/2^{b}}`,
    0.3 % by default).  The returned power is the *stable* end of the final bracket.

    ``delta_l``, ``delta_r`` and array-valued ``fields`` must broadcast to a common point shape.

    Returns
    -------
    p_threshold : ndarray
        Threshold power (W); ``cap`` where the point is stable up to ``cap``.
    capped : ndarray of bool
        True where no instability was found below ``cap``.
    """
    if not 0 < floor < cap:
        raise OptolibError(f"need 0 < floor < cap, got floor={floor}, cap={cap}")
    shape = np.broadcast_shapes(np.shape(delta_l), np.shape(delta_r),
                                *(np.shape(v) for k, v in fields.items() if k != "power"))
    powers = np.geomspace(floor, cap, scan).reshape((scan,) + (1,) * len(shape))
    stable = _margin(params, delta_l, delta_r, direction, power=powers, **fields) < 0
    stable = np.broadcast_to(stable, (scan, *shape))
    if not stable[0].all():
        bad = int(np.count_nonzero(~stable[0]))
        raise OptolibError(f"{bad} points are unstable already at the floor power {floor} W; lower 'floor'")
    first_bad = np.where(stable.all(axis=0), scan, np.argmin(stable, axis=0))
    capped = first_bad == scan
    lo = np.log(powers.reshape(-1)[np.clip(first_bad - 1, 0, scan - 1)])
    hi = np.log(powers.reshape(-1)[np.clip(first_bad, 0, scan - 1)])
    todo = ~capped
    for _ in range(bisections):
        if not todo.any():
            break
        mid = 0.5 * (lo + hi)
        ok = np.broadcast_to(_margin(params, delta_l, delta_r, direction, power=np.exp(mid), **fields) < 0, shape)
        lo = np.where(todo & ok, mid, lo)
        hi = np.where(todo & ~ok, mid, hi)
    return np.where(capped, cap, np.exp(lo)), capped


def evaluate(params: PaperAParameters, delta_l: Any, delta_r: Any, direction: str, *,
             base_detuning: Any = 0.0, full: bool = False, **fields: Any) -> dict[str, np.ndarray]:
    r"""Steady state of the physical cascade at effective detunings :math:`\tilde\Delta_l, \tilde\Delta_r` (rad/s).

    Returns
    -------
    dict
        ``two_nu`` :math:`2\tilde\nu_-` of :math:`(b_l, b_r)` and ``log_negativity`` (masked where unstable);
        with ``full=True`` also ``covariance`` (8x8), ``stability_margin`` (rad/s) and
        ``uncertainty_margin`` (smallest eigenvalue of :math:`V + \tfrac{i}{2}\Omega`).
    """
    m = _model(params, delta_l, delta_r, direction, base_detuning, **fields)
    a, d = m.drift_and_diffusion()
    v = steady_state_covariance(a, d, on_unstable="mask")
    nu = min_pt_symplectic_eigenvalue(v, _MECH[0], _MECH[1])
    two_nu = 2 * nu
    out = dict(two_nu=two_nu, log_negativity=np.ma.maximum(0.0, -np.ma.log(two_nu)))
    if full:
        out["covariance"] = v
        out["stability_margin"] = stability_margin(a)
        vd = np.where(np.ma.getmaskarray(v), 0.5 * np.eye(8), np.ma.getdata(v))
        out["uncertainty_margin"] = np.ma.MaskedArray(uncertainty_margin(vd), mask=np.ma.getmaskarray(two_nu))
    return out


@dataclass
class SearchResult:
    r"""Reduced output of :func:`run_search`.

    ``two_nu[d, c, t, f, e, i, j]``: the smallest :math:`2\tilde\nu_-` over the power slots at direction
    ``d``, chi ``c``, temperature ``t``, phase ``f``, eta ``e`` and detunings
    :math:`(\tilde\Delta_l, \tilde\Delta_r)` = ``(detunings[i], detunings[j])``; ``best_slot`` the slot that
    gave it (index into ``fractions``; ``len(fractions)`` = paper power).
    ``two_nu_paper_power``: :math:`2\tilde\nu_-` at :math:`P = 20` mW (masked where that is beyond
    threshold).  ``threshold[d, c, f, e, i, j]``: the threshold power (W), ``capped`` where none was found
    below :data:`POWER_CAP`.
    """

    grid: SearchGrid
    two_nu: np.ndarray
    best_slot: np.ndarray
    two_nu_paper_power: np.ma.MaskedArray
    threshold: np.ndarray
    capped: np.ndarray
    seconds: float
    meta: dict = field(default_factory=dict)

    def _point(self, idx: tuple[int, ...], slot: int, value: float, key: str) -> dict[str, Any]:
        g = self.grid
        d, c, t, f, e, i, j = idx
        p_th = float(self.threshold[d, c, f, e, i, j])
        power = PAPER_POWER if slot == len(g.fractions) else g.fractions[slot] * p_th
        return {"direction": g.directions[d], "chi": g.chis[c], "temperature": g.temperatures[t],
                "phi": g.phis[f], "eta": g.etas[e], "delta_l": g.detunings[i], "delta_r": g.detunings[j],
                "power": power, "threshold_power": p_th, "threshold_capped": bool(self.capped[d, c, f, e, i, j]),
                key: value}

    def _select(self, arr: np.ndarray, temperature: float | None, direction: str | None) -> np.ndarray:
        g = self.grid
        out = np.array(arr, dtype=float, copy=True)
        if temperature is not None:
            keep = np.array([t == temperature for t in g.temperatures])
            out[:, :, ~keep] = np.nan
        if direction is not None:
            keep = np.array([d == direction for d in g.directions])
            out[~keep] = np.nan
        return out

    def best(self, *, paper_power: bool = False, temperature: float | None = None,
             direction: str | None = None) -> dict[str, Any]:
        """The grid point with the smallest :math:`2\tilde\nu_-` (optionally at one temperature / direction)."""
        src = np.ma.filled(self.two_nu_paper_power, np.nan) if paper_power else self.two_nu
        arr = self._select(src, temperature, direction)
        idx = tuple(int(x) for x in np.unravel_index(int(np.nanargmin(arr)), arr.shape))
        slot = len(self.grid.fractions) if paper_power else int(self.best_slot[idx])
        out = self._point(idx, slot, float(arr[idx]), "two_nu")
        out["log_negativity"] = max(0.0, -float(np.log(arr[idx])))
        return out

    def map(self, direction: str, chi: float, temperature: float, *, phi: float | None = None,
            eta: float | None = None, quantity: str = "two_nu") -> np.ndarray:
        r"""Map over :math:`(\tilde\Delta_l, \tilde\Delta_r)` (rows l, columns r) of ``quantity``
        (``"two_nu"``: minimised over the power slots; ``"paper_power"``: :math:`2\tilde\nu_-` at 20 mW, NaN
        where that is beyond threshold), and minimised over phi and eta unless they are given."""
        g = self.grid
        src = {"two_nu": self.two_nu, "paper_power": np.ma.filled(self.two_nu_paper_power, np.nan)}[quantity]
        sub = src[g.directions.index(direction), g.chis.index(chi), g.temperatures.index(temperature)]
        sub = sub[[g.phis.index(phi)]] if phi is not None else sub
        sub = sub[:, [g.etas.index(eta)]] if eta is not None else sub
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells (unstable at 20 mW) stay NaN
            return np.nanmin(sub, axis=(0, 1))


def run_search(grid: SearchGrid = CI_GRID, params: PaperAParameters | None = None, *,
               progress: bool = False) -> SearchResult:
    r"""Evaluate :math:`2\tilde\nu_-` on the whole grid (batched per (direction, chi, phi, eta) slice).

    For every point the threshold power is found first (:func:`threshold_power`); the state is then
    evaluated at the fractions of it in ``grid.fractions`` and at :data:`PAPER_POWER` (masked where
    that exceeds the threshold), for every temperature at once.
    """
    p = params if params is not None else paper_a_parameters()
    g = grid
    wm = float(np.asarray(p.omega_m_l))
    x = np.asarray(g.detunings) * wm
    dl, dr = np.meshgrid(x, x, indexing="ij")
    dl, dr = dl.ravel(), dr.ravel()
    npts = dl.size
    nd, nc, nt, nf, ne = len(g.directions), len(g.chis), len(g.temperatures), len(g.phis), len(g.etas)
    two_nu = np.empty((nd, nc, nt, nf, ne, npts))
    best_slot = np.empty((nd, nc, nt, nf, ne, npts), dtype=np.int16)
    paper = np.ma.masked_all((nd, nc, nt, nf, ne, npts))
    threshold = np.empty((nd, nc, nf, ne, npts))
    capped = np.empty((nd, nc, nf, ne, npts), dtype=bool)
    temps = np.asarray(g.temperatures, dtype=float).reshape(nt, 1, 1)
    fr = np.asarray(g.fractions, dtype=float).reshape(-1, 1)
    start = time.perf_counter()
    slices = [(a, b, c, e) for a in range(nd) for b in range(nc) for c in range(nf) for e in range(ne)]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(slices), desc="single-tone search", unit="slice")
    for a, b, c, e in slices:
        fields = dict(chi=g.chis[b], phi=g.phis[c], eta=g.etas[e])
        p_th, cap = threshold_power(p, dl, dr, g.directions[a], **fields)
        threshold[a, b, c, e], capped[a, b, c, e] = p_th, cap
        paper_ok = PAPER_POWER < p_th
        # slots: fractions of the threshold, then paper A's power (a stable placeholder where it is beyond)
        powers = np.concatenate([fr * p_th, np.where(paper_ok, PAPER_POWER, 0.5 * p_th)[None]])
        res = evaluate(p, dl, dr, g.directions[a], power=powers, temperature=temps, **fields)
        tn = np.ma.filled(res["two_nu"], np.inf)  # (nt, ns, npts); unstable pockets never win
        tn[:, -1] = np.where(paper_ok, tn[:, -1], np.inf)
        two_nu[a, b, :, c, e] = tn.min(axis=1)
        best_slot[a, b, :, c, e] = tn.argmin(axis=1)
        paper[a, b, :, c, e] = np.ma.masked_invalid(np.where(paper_ok & np.isfinite(tn[:, -1]), tn[:, -1], np.nan))
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    n = len(g.detunings)
    shp = (nd, nc, nt, nf, ne, n, n)
    return SearchResult(grid=g, two_nu=two_nu.reshape(shp), best_slot=best_slot.reshape(shp),
                        two_nu_paper_power=paper.reshape(shp),
                        threshold=threshold.reshape(nd, nc, nf, ne, n, n), capped=capped.reshape(nd, nc, nf, ne, n, n),
                        seconds=time.perf_counter() - start)


def _point_fields(point: dict[str, Any]) -> dict[str, Any]:
    return {k: point[k] for k in ("chi", "phi", "eta", "temperature", "power")}


def mechanical_correlations(covariance: Any) -> dict[str, np.ndarray]:
    r"""Occupations and the two kinds of correlation of :math:`b_l, b_r` from an 8x8 (or 4x4) covariance matrix.

    With :math:`b = (q + ip)/\sqrt2` and symmetrised moments :math:`V`:
    :math:`n_j = (V_{q_jq_j} + V_{p_jp_j} - 1)/2`,
    :math:`\langle b_lb_r\rangle = \tfrac12[V_{q_lq_r} - V_{p_lp_r} + i(V_{q_lp_r} + V_{p_lq_r})]` (*active*,
    two-mode-squeezing type) and
    :math:`\langle b_l^\dagger b_r\rangle = \tfrac12[V_{q_lq_r} + V_{p_lp_r} + i(V_{q_lp_r} - V_{p_lq_r})]`
    (*passive*, beam-splitter type).  The Hillery-Zubairy ratio
    :math:`|\langle b_lb_r\rangle|^2/(n_ln_r)` exceeds 1 only for entangled states.
    """
    v = np.asarray(np.ma.getdata(covariance), dtype=float)
    if v.shape[-1] == 8:
        v = reduce_covariance(v, _MECH)
    if v.shape[-2:] != (4, 4):
        raise OptolibError(f"covariance must be 8x8 (cascade) or 4x4 (oscillators), got {v.shape[-2:]}")
    n_l = (v[..., 0, 0] + v[..., 1, 1] - 1) / 2
    n_r = (v[..., 2, 2] + v[..., 3, 3] - 1) / 2
    active = 0.5 * (v[..., 0, 2] - v[..., 1, 3] + 1j * (v[..., 0, 3] + v[..., 1, 2]))
    passive = 0.5 * (v[..., 0, 2] + v[..., 1, 3] + 1j * (v[..., 0, 3] - v[..., 1, 2]))
    nn = np.maximum(n_l * n_r, 1e-300)
    return dict(n_l=n_l, n_r=n_r, active=active, passive=passive,
                hillery_zubairy=np.abs(active) ** 2 / nn, passive_ratio=np.abs(passive) ** 2 / nn)


def describe(params: PaperAParameters, point: dict[str, Any]) -> dict[str, Any]:
    """Full diagnostics at one search point: margins, occupations, correlations, spins for base detuning 0."""
    wm = float(np.asarray(params.omega_m_l))
    res = evaluate(params, point["delta_l"] * wm, point["delta_r"] * wm, point["direction"], full=True,
                   **_point_fields(point))
    corr = mechanical_correlations(res["covariance"])
    sign = 1.0 if point["direction"] == "left" else -1.0
    spins = {j: spin_for_shift(sign * point[f"delta_{j}"] * wm, params) for j in ("l", "r")}
    return dict(point, two_nu=float(res["two_nu"]), log_negativity=float(res["log_negativity"]),
                stability_margin=float(res["stability_margin"]) / wm,
                uncertainty_margin=float(res["uncertainty_margin"]),
                n_l=float(corr["n_l"]), n_r=float(corr["n_r"]),
                hillery_zubairy=float(corr["hillery_zubairy"]), passive_ratio=float(corr["passive_ratio"]),
                spin_l=float(spins["l"]["angular_velocity"]), spin_r=float(spins["r"]["angular_velocity"]),
                rim_speed_l=float(spins["l"]["rim_speed"]), rim_speed_r=float(spins["r"]["rim_speed"]))


def refine(params: PaperAParameters, point: dict[str, Any], *, maxiter: int = 400) -> dict[str, Any]:
    r"""Local optimisation (Nelder-Mead) of :math:`2\tilde\nu_-` from a grid point.

    Free: :math:`\tilde\Delta_l, \tilde\Delta_r` (units of :math:`\omega_{m,l}`), :math:`\varphi`,
    :math:`\eta\in(0,1]` and the power as a fraction :math:`f \in (0, 0.999]` of the point's own threshold
    (recomputed at every step); direction, chi and temperature stay fixed.  Returns the optimised point
    (same keys as :meth:`SearchResult.best`) plus ``evaluations``.
    """
    wm = float(np.asarray(params.omega_m_l))
    f0 = min(max(point["power"] / point["threshold_power"], 1e-4), 0.999)
    fixed = dict(chi=point["chi"], temperature=point["temperature"])
    direction = point["direction"]

    def unpack(z: np.ndarray) -> tuple[float, float, float, float, float]:
        eta = float(np.clip(z[3], 1e-3, 1.0))
        frac = float(np.clip(z[4], 1e-4, 0.999))
        return float(z[0]), float(z[1]), float(z[2]), eta, frac

    def objective(z: np.ndarray) -> float:
        x_l, x_r, phi, eta, frac = unpack(z)
        p_th, _ = threshold_power(params, x_l * wm, x_r * wm, direction, phi=phi, eta=eta, chi=fixed["chi"])
        res = evaluate(params, x_l * wm, x_r * wm, direction, phi=phi, eta=eta, power=frac * float(p_th),
                       **fixed)
        t = res["two_nu"]
        return float("inf") if np.ma.is_masked(t) else float(t)

    z0 = np.array([point["delta_l"], point["delta_r"], point["phi"], point["eta"], f0])
    step = np.array([0.05, 0.05, 0.3, 0.1, 0.1])
    upper = np.array([np.inf, np.inf, np.inf, 1.0, 0.999])  # eta and the power fraction are bounded above
    simplex = np.vstack([z0, z0 + np.diag(np.where(z0 + step <= upper, step, -step))])
    res = scipy.optimize.minimize(objective, z0, method="Nelder-Mead",
                                  options=dict(maxiter=maxiter, initial_simplex=simplex, xatol=1e-4, fatol=1e-7))
    x_l, x_r, phi, eta, frac = unpack(res.x)
    p_th, cap = threshold_power(params, x_l * wm, x_r * wm, direction, phi=phi, eta=eta, chi=fixed["chi"])
    two_nu = float(res.fun)
    return dict(direction=direction, chi=fixed["chi"], temperature=fixed["temperature"], phi=phi % (2 * np.pi),
                eta=eta, delta_l=x_l, delta_r=x_r, power=frac * float(p_th), threshold_power=float(p_th),
                threshold_capped=bool(cap), two_nu=two_nu, log_negativity=max(0.0, -np.log(two_nu)),
                evaluations=int(res.nfev))


def opposite_direction(params: PaperAParameters, point: dict[str, Any], base_detunings: Any) -> np.ndarray:
    r""":math:`2\tilde\nu_-` for the opposite input direction at the same spins, per base detuning.

    The point's effective detunings are realised with base detuning :math:`\Delta` (``base_detunings``,
    units of :math:`\omega_{m,l}`, array); reversing the input flips the Sagnac shifts, so the other
    direction sees :math:`2\Delta - \tilde\Delta_j`.  Same power and all other fields.  Masked where the
    reversed system is unstable at that power.
    """
    wm = float(np.asarray(params.omega_m_l))
    base = val.real_array("base_detunings", base_detunings)
    other = "right" if point["direction"] == "left" else "left"
    dl = (2 * base - point["delta_l"]) * wm
    dr = (2 * base - point["delta_r"]) * wm
    return evaluate(params, dl, dr, other, **_point_fields(point))["two_nu"]


def save_result(result: SearchResult, path: str | Path, *, command: str) -> None:
    """Write a :class:`SearchResult` to ``path`` (``.npz``, float32 maps) and its summary to ``path.json``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = dict(result.meta, grid=asdict(result.grid), seconds=result.seconds, command=command)
    np.savez_compressed(path, two_nu=result.two_nu.astype(np.float32), best_slot=result.best_slot,
                        two_nu_paper_power=np.ma.filled(result.two_nu_paper_power, np.nan).astype(np.float32),
                        threshold=result.threshold.astype(np.float32), capped=result.capped,
                        meta=np.array(json.dumps(meta)))
    path.with_suffix(".json").write_text(json.dumps(meta, indent=1, default=float) + "\n")


def load_result(path: str | Path) -> SearchResult:
    """Read a :class:`SearchResult` written by :func:`save_result` (maps are float32: ~1e-7 relative)."""
    with np.load(Path(path)) as z:
        meta = json.loads(str(z["meta"]))
        g = meta["grid"]
        grid = SearchGrid(**{k: tuple(v) for k, v in g.items()})
        paper = z["two_nu_paper_power"].astype(float)
        return SearchResult(grid=grid, two_nu=z["two_nu"].astype(float), best_slot=z["best_slot"],
                            two_nu_paper_power=np.ma.masked_invalid(paper), threshold=z["threshold"].astype(float),
                            capped=z["capped"], seconds=float(meta["seconds"]), meta=meta)


#: Where the full run's output is committed (relative to the repository root).
FULL_RESULT = Path("data") / "a_search" / "full.npz"
FULL_COMMAND = "python -m optolib.paper_a.search --full"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m optolib.paper_a.search [--full] [--out PATH]`` (default: the CI subset)."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m optolib.paper_a.search", description=main.__doc__)
    ap.add_argument("--full", action="store_true", help="the full grid (about 5-10 minutes on 2 cores)")
    ap.add_argument("--out", default=None, help=f"output .npz (default {FULL_RESULT} for --full)")
    args = ap.parse_args(argv)
    grid = FULL_GRID if args.full else CI_GRID
    out = Path(args.out) if args.out else (FULL_RESULT if args.full else Path("a_search_ci.npz"))
    print(f"{'full' if args.full else 'CI subset'}: {grid.size} steady states", flush=True)
    result = run_search(grid, progress=True)
    cmd = FULL_COMMAND if args.full else "python -m optolib.paper_a.search"
    result.meta.update(best=result.best(), best_by_temperature={str(t): result.best(temperature=t)
                                                               for t in grid.temperatures},
                       best_paper_power={str(t): result.best(paper_power=True, temperature=t)
                                         for t in grid.temperatures})
    save_result(result, out, command=cmd)
    print(f"wrote {out} and {out.with_suffix('.json')} in {result.seconds:.0f} s")
    print(json.dumps(result.meta["best_by_temperature"], indent=1, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
