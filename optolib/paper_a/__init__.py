r"""Paper A (Jiao et al. 2022): two cascaded spinning WGM resonators.

Modules
-------
parameters   the paper's parameter set, with the unit evidence beside each conversion
mean_field   steady-state mean fields, Eqs. (8)-(10), both input directions
model        the cascaded model declared once (GaussianModel): physical and paper noise
analysis     batched sweeps: E_N vs detuning, revival coefficient, density maps, Wigner marginals
fock_check   Gardiner's cascaded master equation built by hand in QuTiP (independent check)
"""

from . import analysis, mean_field, model, parameters
from .analysis import detuning_sweep, peak, revival_map
from .mean_field import MeanFields, mean_fields
from .model import MODES, cascaded_model, printed_diffusion_matrix, printed_drift_matrix
from .parameters import DIRECTIONS, SPIN_FIG2, SPIN_FIG3, PaperAParameters, paper_a_parameters

__all__ = [
    "DIRECTIONS",
    "MODES",
    "SPIN_FIG2",
    "SPIN_FIG3",
    "MeanFields",
    "PaperAParameters",
    "analysis",
    "cascaded_model",
    "detuning_sweep",
    "mean_field",
    "mean_fields",
    "model",
    "paper_a_parameters",
    "parameters",
    "peak",
    "printed_diffusion_matrix",
    "printed_drift_matrix",
    "revival_map",
]
