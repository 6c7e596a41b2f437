r"""Exceptions raised by :mod:`optolib`.

Every error is a :class:`ValueError` subclass, so ``except ValueError`` catches
them all, and every message names the offending parameter, its value and the
constraint it violates.

Public API:

OptolibError
    Base class.
UnstableSystemError
    A drift matrix has an eigenvalue with non-negative real part, so no
    steady state exists.  Carries the offending eigenvalue(s) and batch indices.
UnphysicalCovarianceError
    A covariance matrix violates the uncertainty relation
    :math:`V + \tfrac{i}{2}\Omega \ge 0`.
NotLindbladError
    A model contains noise that has no Lindblad (completely positive) form and
    therefore no Fock-space master equation.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "NotLindbladError",
    "OptolibError",
    "UnphysicalCovarianceError",
    "UnstableSystemError",
]


class OptolibError(ValueError):
    """Base class of all errors raised by optolib."""


class UnstableSystemError(OptolibError):
    """The drift matrix has an eigenvalue with non-negative real part.

    Attributes
    ----------
    eigenvalue : complex
        The eigenvalue with the largest real part at the first failing point.
    indices : tuple of tuple of int
        Batch indices of every failing point (empty tuple for a single matrix).
    """

    def __init__(self, message: str, eigenvalue: complex, indices: tuple = ()):
        super().__init__(message)
        self.eigenvalue = complex(eigenvalue)
        self.indices = indices


class UnphysicalCovarianceError(OptolibError):
    """A covariance matrix violates :math:`V + \\tfrac{i}{2}\\Omega \\ge 0`.

    Attributes
    ----------
    min_eigenvalue : float
        The most negative eigenvalue of :math:`V + \\tfrac{i}{2}\\Omega`.
    """

    def __init__(self, message: str, min_eigenvalue: float, indices: tuple = ()):
        super().__init__(message)
        self.min_eigenvalue = float(np.real(min_eigenvalue))
        self.indices = indices


class NotLindbladError(OptolibError):
    """The model contains noise with no Lindblad form (no master equation)."""
