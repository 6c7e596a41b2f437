"""Shared fixtures: small declared models used across the test modules."""

from __future__ import annotations

import numpy as np
import pytest

from optolib import GaussianModel
from optolib.single_cavity import linearised_cavity


def optomechanical_cavity(
    delta: float = 1.0,
    omega_m: float = 1.0,
    coupling: float = 0.15,
    kappa: float = 0.5,
    gamma_m: float = 0.01,
    n_th: float = 0.1,
    brownian: bool = False,
) -> GaussianModel:
    """The library's single-cavity declaration with small, well-converging defaults."""
    return linearised_cavity(
        delta, omega_m, coupling, kappa, gamma_m, n_th,
        mechanical_noise="brownian" if brownian else "lindblad",
    )


@pytest.fixture
def cavity() -> GaussianModel:
    return optomechanical_cavity()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261125)
