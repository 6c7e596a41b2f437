r"""Paper B: hybrid atom-optomechanics in one spinning resonator (Huang et al., PRA 110, 012423 (2024)).

One whispering-gallery resonator with counter-propagating CW and CCW optical modes, a
mechanical breathing mode and an atomic ensemble (Holstein-Primakoff boson), driven through
one of the two optical modes while spinning (or at rest).

Modules
-------
parameters   the paper's parameter set and every unit conversion with its evidence
mean_field   self-consistent Eq. (10) / (A3), all roots, batched
model        the linearised four-mode model declared once (Eq. (8) is derived, then checked)
analysis     batched steady states, log-negativities, residual contangle, peaks, temperatures
"""

from . import analysis, mean_field, model, parameters
from .analysis import (
    MODE_INDEX,
    PAIRS,
    SteadyState,
    pair_log_negativities,
    peak,
    residual_contangle,
    steady_state,
    tripartite_modes,
    vanishing_temperature,
)
from .mean_field import MeanField, eq10_residual, solve_mean_field
from .model import MODES, hybrid_model
from .parameters import CASES, PAPER, STATED_OPTIMAL_DETUNING, Parameters

__all__ = [
    "CASES",
    "MODES",
    "MODE_INDEX",
    "PAIRS",
    "PAPER",
    "STATED_OPTIMAL_DETUNING",
    "MeanField",
    "Parameters",
    "SteadyState",
    "analysis",
    "eq10_residual",
    "hybrid_model",
    "mean_field",
    "model",
    "pair_log_negativities",
    "parameters",
    "peak",
    "residual_contangle",
    "solve_mean_field",
    "steady_state",
    "tripartite_modes",
    "vanishing_temperature",
]
