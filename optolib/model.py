r"""Declaring a linear (Gaussian) open quantum model once.

A model is a list of named bosonic modes, a quadratic Hamiltonian written with
the modes' ladder operators, and dissipation channels.  Everything else is
derived from that declaration: the drift matrix :math:`A` and diffusion matrix
:math:`D` of the quadrature Langevin equations (this module), and the Fock-space
Hamiltonian and collapse operators (:mod:`optolib.fock`).  The Gaussian and the
Fock-space calculation therefore cannot describe different models.

Coefficients and rates may be NumPy arrays: they broadcast, and the derived
matrices then carry the leading batch axes, shape ``(..., 2n, 2n)``.

Example
-------
A linearised optomechanical cavity (Vitali et al. 2007), effective detuning
``delta``, effective coupling ``G`` (real), in a frame where both fluctuations
have zero mean:

>>> import numpy as np
>>> from optolib import GaussianModel
>>> m = GaussianModel(["a", "b"])
>>> a, b = m.ops
>>> m.hamiltonian = 1.0 * a.dag() * a + 1.0 * b.dag() * b - 0.1 * (a + a.dag()) * (b + b.dag())
>>> m.add_damping("a", rate=0.2)
>>> m.add_damping("b", rate=1e-3, n_thermal=10.0)
>>> m.drift_matrix().shape
(4, 4)

Derivation (stated once, tested against QuTiP's adjoint Liouvillian)
---------------------------------------------------------------------
With :math:`\xi = (a_1..a_n, a_1^\dagger..a_n^\dagger) = T r` (see
:func:`optolib.conventions.ladder_to_quadrature`) a quadratic Hamiltonian
:math:`H = \xi^T M \xi = r^T G r` with :math:`G = \mathrm{sym}(T^T M T)` real
(Hermiticity), and Heisenberg's equation gives

.. math:: \dot r = i[H, r] = 2\Omega G\, r.

A Lindblad term :math:`\gamma\,\mathcal D[L]` with :math:`L = l^T r` adds

.. math:: A \mathrel{+}= -\gamma\,\Omega\,\mathrm{Im}(l l^\dagger), \qquad
          D \mathrel{+}= \gamma\,\Omega\,\mathrm{Re}(l l^\dagger)\,\Omega^T,

where :math:`(l l^\dagger)_{jk} = l_j l_k^*` (from
:math:`\mathcal D^\dagger[L](r_k) = \tfrac12(L^\dagger[r_k, L] + [L^\dagger, r_k]L)` and
:math:`[r_j, r_k] = i\Omega_{jk}`; the :math:`\Omega\cdot\Omega^T` in :math:`D`
matters only for jump operators mixing :math:`a` and :math:`b^\dagger`).  A thermal channel of rate
:math:`\gamma` and occupation :math:`\bar n` is
:math:`\gamma(\bar n+1)\mathcal D[L] + \gamma\bar n\,\mathcal D[L^\dagger]`;
for :math:`L = a` it gives :math:`A = -\tfrac{\gamma}{2}\mathbb 1`,
:math:`D = \tfrac{\gamma}{2}(2\bar n+1)\mathbb 1`.

Brownian (Caldeira-Leggett) damping of a mechanical mode, as used in paper B
(Eq. (5)), damps only the momentum: :math:`\dot Y \mathrel{+}= -\gamma Y + \xi`
with :math:`\langle\xi\xi\rangle_{\rm sym} = \gamma(2\bar n+1)`, i.e.
:math:`A_{YY} \mathrel{+}= -\gamma`, :math:`D_{YY} \mathrel{+}= \gamma(2\bar n+1)`.
It is not of Lindblad form (see :func:`optolib.physicality.complete_positivity_margin`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Number
from typing import Any

import numpy as np

from . import _validation as val
from .conventions import ladder_to_quadrature, symplectic_form
from .errors import OptolibError

__all__ = [
    "BrownianDamping",
    "Channel",
    "ClassicalNoise",
    "GaussianModel",
    "Ladder",
    "Quadratic",
]


def _is_scalar_like(x: Any) -> bool:
    return isinstance(x, Number | np.ndarray | np.generic) and not isinstance(x, Ladder | Quadratic)


class Ladder:
    r"""A linear combination :math:`\sum_k c_k a_k + d_k a_k^\dagger` of ladder operators.

    Attributes
    ----------
    modes : tuple of str
        Mode names of the model this expression belongs to.
    coeffs : ndarray, shape (..., 2n), complex
        Coefficients over :math:`(a_1..a_n, a_1^\dagger..a_n^\dagger)`.
    """

    __slots__ = ("coeffs", "modes")
    __array_ufunc__ = None  # numpy arrays defer to our operators (array * Ladder)

    def __init__(self, modes: tuple[str, ...], coeffs: np.ndarray):
        self.modes = modes
        self.coeffs = np.asarray(coeffs, dtype=complex)

    def _check(self, other: Ladder | Quadratic) -> None:
        if other.modes != self.modes:
            raise OptolibError(
                f"operators belong to different models: modes {self.modes} vs {other.modes}"
            )

    def dag(self) -> Ladder:
        """Hermitian conjugate."""
        n = len(self.modes)
        c = np.conj(self.coeffs)
        return Ladder(self.modes, np.concatenate([c[..., n:], c[..., :n]], axis=-1))

    def __add__(self, other: Ladder) -> Ladder:
        if not isinstance(other, Ladder):
            return NotImplemented
        self._check(other)
        return Ladder(self.modes, self.coeffs + other.coeffs)

    def __sub__(self, other: Ladder) -> Ladder:
        if not isinstance(other, Ladder):
            return NotImplemented
        return self + (-1.0) * other

    def __neg__(self) -> Ladder:
        return (-1.0) * self

    def __mul__(self, other: Any) -> Ladder | Quadratic:
        if isinstance(other, Ladder):
            self._check(other)
            mat = self.coeffs[..., :, None] * other.coeffs[..., None, :]
            return Quadratic(self.modes, mat)
        if _is_scalar_like(other):
            s = val.finite_complex("coefficient", other)
            return Ladder(self.modes, s[..., None] * self.coeffs)
        return NotImplemented

    def __rmul__(self, other: Any) -> Ladder:
        if _is_scalar_like(other):
            return self.__mul__(other)
        return NotImplemented

    def __truediv__(self, other: Any) -> Ladder:
        return self * (1.0 / np.asarray(other))

    def quadrature_coefficients(self) -> np.ndarray:
        r"""Coefficients :math:`l` with :math:`L = l^T r`, shape (..., 2n)."""
        t = ladder_to_quadrature(len(self.modes))
        return self.coeffs @ t

    def __repr__(self) -> str:
        return f"Ladder(modes={self.modes}, coeffs shape={self.coeffs.shape})"


class Quadratic:
    r"""A quadratic form :math:`\sum_{ij} M_{ij}\,\xi_i \xi_j` in the ladder operators.

    Attributes
    ----------
    modes : tuple of str
    matrix : ndarray, shape (..., 2n, 2n), complex
        :math:`M` over :math:`\xi = (a_1..a_n, a_1^\dagger..a_n^\dagger)`
        (operator order as written: :math:`\xi_i` to the left of :math:`\xi_j`).
    """

    __slots__ = ("matrix", "modes")
    __array_ufunc__ = None

    def __init__(self, modes: tuple[str, ...], matrix: np.ndarray):
        self.modes = modes
        self.matrix = np.asarray(matrix, dtype=complex)

    def __add__(self, other: Any) -> Quadratic:
        if isinstance(other, Quadratic):
            if other.modes != self.modes:
                raise OptolibError(
                    f"operators belong to different models: modes {self.modes} vs {other.modes}"
                )
            return Quadratic(self.modes, self.matrix + other.matrix)
        if _is_scalar_like(other) and np.all(np.asarray(other) == 0):
            return self  # so that sum([...]) works
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Quadratic) -> Quadratic:
        return self + (-1.0) * other

    def __neg__(self) -> Quadratic:
        return (-1.0) * self

    def __mul__(self, other: Any) -> Quadratic:
        if _is_scalar_like(other):
            s = val.finite_complex("coefficient", other)
            return Quadratic(self.modes, s[..., None, None] * self.matrix)
        return NotImplemented

    __rmul__ = __mul__

    def dag(self) -> Quadratic:
        r"""Hermitian conjugate: :math:`(\xi_i\xi_j)^\dagger = \xi_j^\dagger \xi_i^\dagger`."""
        n = len(self.modes)
        perm = np.r_[n : 2 * n, 0:n]
        m = np.conj(np.swapaxes(self.matrix, -1, -2))
        return Quadratic(self.modes, m[..., perm, :][..., :, perm])

    def plus_hc(self) -> Quadratic:
        """``self + self.dag()`` (the "+ H.c." of the papers)."""
        return self + self.dag()

    def quadrature_matrix(self) -> np.ndarray:
        r"""Complex symmetric :math:`G` with the form equal to :math:`r^T G r` + const."""
        t = ladder_to_quadrature(len(self.modes))
        g = np.swapaxes(t, -1, -2) @ self.matrix @ t
        return 0.5 * (g + np.swapaxes(g, -1, -2))

    def __repr__(self) -> str:
        return f"Quadratic(modes={self.modes}, matrix shape={self.matrix.shape})"


@dataclass(frozen=True)
class Channel:
    r"""A thermal Lindblad channel :math:`\gamma(\bar n+1)\mathcal D[L] + \gamma\bar n\mathcal D[L^\dagger]`."""

    name: str
    operator: Ladder
    rate: np.ndarray
    n_thermal: np.ndarray


@dataclass(frozen=True)
class BrownianDamping:
    r"""Momentum-only (quantum Brownian motion) damping of one mode; not Lindblad."""

    name: str
    mode: int
    rate: np.ndarray
    n_thermal: np.ndarray


@dataclass(frozen=True)
class ClassicalNoise:
    """Explicit extra drift/diffusion with no master-equation counterpart."""

    name: str
    drift: np.ndarray
    diffusion: np.ndarray


class GaussianModel:
    r"""A declared linear open quantum system (single source of truth for a model).

    Parameters
    ----------
    modes : sequence of str
        Unique mode names, e.g. ``["a_l", "a_r", "b_l", "b_r"]``.  The
        quadrature vector is :math:`(X_1, Y_1, X_2, Y_2, \dots)` in this order.

    Attributes
    ----------
    ops : tuple of Ladder
        Annihilation operators, one per mode, in order.
    hamiltonian : Quadratic
        The quadratic Hamiltonian (:math:`\hbar = 1`, rad/s). Starts at zero.
    channels, brownian, classical : list
        Declared noise sources, in declaration order.
    """

    def __init__(self, modes: Sequence[str]):
        names = tuple(str(m) for m in modes)
        if not names:
            raise OptolibError("modes must contain at least one mode name, got []")
        if len(set(names)) != len(names):
            raise OptolibError(f"modes must be unique, got {names}")
        self.modes = names
        n = len(names)
        eye = np.eye(2 * n, dtype=complex)
        self.ops = tuple(Ladder(names, eye[k]) for k in range(n))
        self._hamiltonian = Quadratic(names, np.zeros((2 * n, 2 * n), dtype=complex))
        self.channels: list[Channel] = []
        self.brownian: list[BrownianDamping] = []
        self.classical: list[ClassicalNoise] = []

    # -- declaration -----------------------------------------------------------
    @property
    def n_modes(self) -> int:
        return len(self.modes)

    def op(self, mode: str | int) -> Ladder:
        """Annihilation operator of ``mode`` (name or index)."""
        return self.ops[self.index(mode)]

    def index(self, mode: str | int) -> int:
        """Index of ``mode`` in :attr:`modes`."""
        if isinstance(mode, int | np.integer):
            return val.mode_indices("mode", int(mode), self.n_modes)[0]
        try:
            return self.modes.index(mode)
        except ValueError:
            raise OptolibError(f"mode must be one of {self.modes}, got {mode!r}") from None

    @property
    def hamiltonian(self) -> Quadratic:
        return self._hamiltonian

    @hamiltonian.setter
    def hamiltonian(self, h: Quadratic) -> None:
        if not isinstance(h, Quadratic) or h.modes != self.modes:
            raise OptolibError(
                "hamiltonian must be a Quadratic built from this model's ops, "
                f"got {type(h).__name__}"
            )
        g = h.quadrature_matrix()
        scale = np.maximum(np.abs(g).max(axis=(-1, -2)), np.finfo(float).tiny)
        bad = np.abs(g.imag).max(axis=(-1, -2)) > 1e-10 * scale
        if np.any(bad):
            raise OptolibError(
                "hamiltonian must be Hermitian (its quadrature matrix G must be real); "
                f"relative imaginary part {float((np.abs(g.imag).max(axis=(-1, -2)) / scale).max()):.3g}"
                " - did you forget '+ H.c.' (Quadratic.plus_hc)?"
            )
        self._hamiltonian = h

    def add_channel(
        self, operator: Ladder, rate: Any, n_thermal: Any = 0.0, name: str | None = None
    ) -> None:
        r"""Add :math:`\gamma(\bar n+1)\mathcal D[L] + \gamma\bar n\,\mathcal D[L^\dagger]`.

        Parameters
        ----------
        operator : Ladder
            Jump operator :math:`L`, any linear combination of this model's ops
            (e.g. a collective output field of a cascaded system).
        rate : float or array
            :math:`\gamma \ge 0` in s^-1 (energy decay rate: for :math:`L=a`,
            :math:`\langle a\rangle` decays at :math:`\gamma/2`).
        n_thermal : float or array
            Bath occupation :math:`\bar n \ge 0`.
        """
        if not isinstance(operator, Ladder) or operator.modes != self.modes:
            raise OptolibError("operator must be a Ladder built from this model's ops")
        rate = val.nonnegative(f"rate of channel {name or len(self.channels)}", rate)
        n_th = val.nonnegative(f"n_thermal of channel {name or len(self.channels)}", n_thermal)
        self.channels.append(
            Channel(name or f"channel{len(self.channels)}", operator, rate, n_th)
        )

    def add_damping(self, mode: str | int, rate: Any, n_thermal: Any = 0.0) -> None:
        r"""Thermal amplitude damping of one mode: :math:`L = a_{\rm mode}`."""
        k = self.index(mode)
        self.add_channel(self.ops[k], rate, n_thermal, name=f"damping {self.modes[k]}")

    def add_brownian_damping(self, mode: str | int, rate: Any, n_thermal: Any = 0.0) -> None:
        r"""Quantum Brownian (momentum-only) damping, Eq. (5) of paper B.

        Adds :math:`A_{YY} \mathrel{-}= \gamma` and
        :math:`D_{YY} \mathrel{+}= \gamma(2\bar n + 1)` for the mode's quadratures
        :math:`(X, Y) = (q, p)`.  Not of Lindblad form; :mod:`optolib.fock`
        replaces it by thermal amplitude damping of the same rate (the
        rotating-wave counterpart, differing at order :math:`\gamma/\omega_m`).
        """
        k = self.index(mode)
        rate = val.nonnegative(f"rate of Brownian damping of {self.modes[k]}", rate)
        n_th = val.nonnegative(f"n_thermal of Brownian damping of {self.modes[k]}", n_thermal)
        self.brownian.append(BrownianDamping(f"brownian {self.modes[k]}", k, rate, n_th))

    def add_classical_noise(self, name: str, drift: Any = None, diffusion: Any = None) -> None:
        """Add an explicit drift and/or diffusion contribution with no Lindblad form.

        Used to reproduce a paper's hand-written noise model exactly (e.g. a
        diffusion matrix that omits correlations).  Such a model has no Fock-space
        counterpart: :func:`optolib.fock.to_qutip` refuses it.
        """
        dim = 2 * self.n_modes
        zero = np.zeros((dim, dim))
        a = zero if drift is None else val.square_stack(f"drift of {name}", drift)
        d = zero if diffusion is None else val.symmetric_stack(f"diffusion of {name}", diffusion)
        for label, mat in (("drift", a), ("diffusion", d)):
            if mat.shape[-1] != dim:
                raise OptolibError(
                    f"{label} of {name} must be {dim}x{dim} for {self.n_modes} modes, "
                    f"got shape {mat.shape}"
                )
        self.classical.append(ClassicalNoise(name, a, d))

    # -- derived quantities ----------------------------------------------------
    @property
    def is_lindblad(self) -> bool:
        """True when every noise source has a Lindblad form."""
        return not self.brownian and not self.classical

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Broadcast shape of all array-valued coefficients and rates."""
        shapes = [self._hamiltonian.matrix.shape[:-2]]
        for c in self.channels:
            shapes += [c.operator.coeffs.shape[:-1], c.rate.shape, c.n_thermal.shape]
        for b in self.brownian:
            shapes += [b.rate.shape, b.n_thermal.shape]
        for c in self.classical:
            shapes += [c.drift.shape[:-2], c.diffusion.shape[:-2]]
        try:
            return np.broadcast_shapes(*shapes)
        except ValueError as exc:
            raise OptolibError(f"model parameters have incompatible shapes: {shapes}") from exc

    def quadrature_labels(self) -> list[str]:
        """Labels of the quadrature vector, e.g. ``['X_a', 'Y_a', 'X_b', 'Y_b']``."""
        return [f"{q}_{m}" for m in self.modes for q in ("X", "Y")]

    def hamiltonian_matrix(self) -> np.ndarray:
        r"""Real symmetric :math:`G` with :math:`H = r^T G r` + const, shape (..., 2n, 2n)."""
        return self._hamiltonian.quadrature_matrix().real

    def _lindblad_matrix(self) -> np.ndarray:
        r""":math:`C = \sum \gamma\,l l^\dagger` over all Lindblad terms (Hermitian)."""
        dim = 2 * self.n_modes
        c = np.zeros((*self.batch_shape, dim, dim), dtype=complex)
        for ch in self.channels:
            l = ch.operator.quadrature_coefficients()  # noqa: E741 - the paper's l
            ll = l[..., :, None] * np.conj(l[..., None, :])
            # gamma (n+1) D[L] + gamma n D[L^dag];  L^dag has l* so (l l^dag) -> conj
            c = c + (ch.rate * (ch.n_thermal + 1))[..., None, None] * ll
            c = c + (ch.rate * ch.n_thermal)[..., None, None] * np.conj(ll)
        return c

    def drift_matrix(self) -> np.ndarray:
        r"""Drift matrix :math:`A` of :math:`\dot r = A r + \text{noise}`, shape (..., 2n, 2n).

        :math:`A = 2\Omega G - \Omega\,\mathrm{Im}\,C` + Brownian + classical terms
        (module docstring).
        """
        omega = symplectic_form(self.n_modes)
        a = 2.0 * omega @ self.hamiltonian_matrix() - omega @ self._lindblad_matrix().imag
        a = np.broadcast_to(a, (*self.batch_shape, *a.shape[-2:])).copy()
        for b in self.brownian:
            a[..., 2 * b.mode + 1, 2 * b.mode + 1] -= b.rate
        for c in self.classical:
            a = a + c.drift
        return a

    def diffusion_matrix(self) -> np.ndarray:
        r"""Diffusion matrix :math:`D` (symmetric), shape (..., 2n, 2n).

        :math:`D = \Omega\,\mathrm{Re}(C)\,\Omega^T` + Brownian + classical terms
        (module docstring).
        """
        omega = symplectic_form(self.n_modes)
        d = omega @ self._lindblad_matrix().real @ omega.T
        d = np.broadcast_to(d, (*self.batch_shape, *d.shape[-2:])).copy()
        for b in self.brownian:
            d[..., 2 * b.mode + 1, 2 * b.mode + 1] += b.rate * (2 * b.n_thermal + 1)
        for c in self.classical:
            d = d + c.diffusion
        return d

    def drift_and_diffusion(self) -> tuple[np.ndarray, np.ndarray]:
        """Both :meth:`drift_matrix` and :meth:`diffusion_matrix`, computing :math:`C` once."""
        omega = symplectic_form(self.n_modes)
        c = self._lindblad_matrix()
        shape = (*self.batch_shape, 2 * self.n_modes, 2 * self.n_modes)
        a = np.broadcast_to(2.0 * omega @ self.hamiltonian_matrix() - omega @ c.imag, shape).copy()
        d = np.broadcast_to(omega @ c.real @ omega.T, shape).copy()
        for b in self.brownian:
            k = 2 * b.mode + 1
            a[..., k, k] -= b.rate
            d[..., k, k] += b.rate * (2 * b.n_thermal + 1)
        for cl in self.classical:
            a = a + cl.drift
            d = d + cl.diffusion
        return a, d

    def __repr__(self) -> str:
        return (
            f"GaussianModel(modes={self.modes}, channels={len(self.channels)}, "
            f"brownian={len(self.brownian)}, classical={len(self.classical)}, "
            f"batch_shape={self.batch_shape})"
        )
