r"""optolib: Gaussian-state and Fock-space tools for linearised cavity optomechanics.

Companion package of the *optobook*.  Conventions (stated once, in
:mod:`optolib.conventions`): quadratures :math:`X=(a+a^\dagger)/\sqrt2`,
:math:`Y=i(a^\dagger-a)/\sqrt2`, vacuum covariance :math:`\mathbb 1/2`,
angular frequencies in rad/s, :math:`\hbar = 1` in Hamiltonians.

Modules
-------
conventions   symplectic form, ladder <-> quadrature map
model         GaussianModel: declare modes, Hamiltonian, noise; derive A and D
steady_state  stability check, batched Lyapunov / time-integral / ODE steady states
physicality   uncertainty relation, complete positivity
measures      symplectic eigenvalues, log-negativity, contangle, Wigner, purity
fock          QuTiP bridge: Fock-space master equation of the same declaration
physics       Sagnac-Fizeau shift, thermal occupation, couplings, drive amplitudes
plotting      the book's plotting style
"""

from . import conventions, errors, fock, measures, model, physicality, steady_state
from .conventions import ladder_to_quadrature, symplectic_form
from .errors import (
    NotLindbladError,
    OptolibError,
    UnphysicalCovarianceError,
    UnstableSystemError,
)
from .measures import (
    contangle,
    log_negativity,
    mean_occupation,
    min_pt_symplectic_eigenvalue,
    partial_transpose,
    purity,
    quadrature_marginal,
    reduce_covariance,
    residual_contangle,
    symplectic_eigenvalues,
    wigner_function,
)
from .model import GaussianModel, Ladder, Quadratic
from .physicality import (
    check_complete_positivity,
    check_physical_covariance,
    complete_positivity_margin,
    uncertainty_margin,
)
from .steady_state import (
    check_stability,
    solve_lyapunov,
    stability_margin,
    steady_state_covariance,
)

__version__ = "0.1.0"

__all__ = [
    "GaussianModel",
    "Ladder",
    "NotLindbladError",
    "OptolibError",
    "Quadratic",
    "UnphysicalCovarianceError",
    "UnstableSystemError",
    "check_complete_positivity",
    "check_physical_covariance",
    "check_stability",
    "complete_positivity_margin",
    "contangle",
    "conventions",
    "errors",
    "fock",
    "ladder_to_quadrature",
    "log_negativity",
    "mean_occupation",
    "measures",
    "min_pt_symplectic_eigenvalue",
    "model",
    "partial_transpose",
    "physicality",
    "purity",
    "quadrature_marginal",
    "reduce_covariance",
    "residual_contangle",
    "solve_lyapunov",
    "stability_margin",
    "steady_state",
    "steady_state_covariance",
    "symplectic_eigenvalues",
    "symplectic_form",
    "uncertainty_margin",
    "wigner_function",
]
