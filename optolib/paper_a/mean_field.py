r"""Mean fields of the cascaded system: Eqs. (8)-(10) of paper A, for both input directions.

For left input the drive enters cavity :math:`l` and its output feeds cavity :math:`r`
(Eqs. (6), (8)); the steady state (Eq. (10)) is

.. math::
    \alpha_l = \frac{\sqrt{\kappa_{ex,l}}\,\varepsilon_d}{i\tilde\Delta_l + \Gamma_l/2},\qquad
    \alpha_r = \frac{\sqrt{\eta\kappa_{ex,r}}\,e^{i\varphi}(\varepsilon_d - \sqrt{\kappa_{ex,l}}\,\alpha_l)}
                    {i\tilde\Delta_r + \Gamma_r/2},\qquad
    \beta_j = \frac{i g_{0,j}|\alpha_j|^2}{i\omega_{m,j} + \gamma_{m,j}/2}.

For right input the roles of :math:`l` and :math:`r` swap (paper A after Eq. (3)).  The
effective detunings are :math:`\tilde\Delta_j = \Delta \pm \Delta_{F,j}` (``+`` for left
input), where :math:`\Delta = \Delta_{c,j}` already contains the radiation-pressure shift
:math:`-g_{0,j}(\beta_j + \beta_j^*)`: paper A sets :math:`\Delta_{c,l} = \Delta_{c,r} = \Delta`
(Sec. III).  The laser detuning that realises a given :math:`\Delta` in cavity :math:`j` is
therefore :math:`\omega_{c,j} - \omega_d = \Delta + 2g_{0,j}\mathrm{Re}\,\beta_j`
(:attr:`MeanFields.bare_detuning_l`); it differs between the cavities, which is what the
paper neglects.  Given :math:`\Delta` the mean fields are explicit (no cubic equation);
bistability would show up as a non-monotonic map :math:`\Delta \mapsto \omega_c - \omega_d`.

Public API:

MeanFields, mean_fields
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validation as val
from ..errors import OptolibError
from .parameters import PaperAParameters, _broadcast_shape, check_direction

__all__ = ["MeanFields", "mean_fields"]


@dataclass(frozen=True)
class MeanFields:
    r"""Steady-state mean fields (Eq. (10)), broadcast over the parameter grid.

    Attributes
    ----------
    direction : str
        ``"left"`` or ``"right"``.
    detuning_l, detuning_r : ndarray
        :math:`\tilde\Delta_j` (rad/s), Sagnac-shifted effective detunings.
    alpha_l, alpha_r : ndarray (complex)
        Intracavity amplitudes (:math:`\sqrt{\text{photons}}`).
    beta_l, beta_r : ndarray (complex)
        Mechanical amplitudes (dimensionless, :math:`b = \beta + \delta b`).
    g0_l, g0_r : ndarray
        Single-photon couplings (rad/s).
    """

    direction: str
    detuning_l: np.ndarray
    detuning_r: np.ndarray
    alpha_l: np.ndarray
    alpha_r: np.ndarray
    beta_l: np.ndarray
    beta_r: np.ndarray
    g0_l: np.ndarray
    g0_r: np.ndarray
    delta: np.ndarray

    @property
    def photons_l(self) -> np.ndarray:
        r"""Intracavity photon number :math:`N_l = |\alpha_l|^2`."""
        return np.abs(self.alpha_l) ** 2

    @property
    def photons_r(self) -> np.ndarray:
        return np.abs(self.alpha_r) ** 2

    @property
    def coupling_l(self) -> np.ndarray:
        r"""Effective coupling :math:`G_l = g_{0,l}|\alpha_l|` (rad/s); :math:`\Lambda = 2g_0\alpha` in Eq. (15)."""
        return self.g0_l * np.abs(self.alpha_l)

    @property
    def coupling_r(self) -> np.ndarray:
        return self.g0_r * np.abs(self.alpha_r)

    @property
    def radiation_pressure_shift_l(self) -> np.ndarray:
        r"""The shift :math:`g_{0,l}(\beta_l + \beta_l^*)` (rad/s) that paper A neglects."""
        return 2 * self.g0_l * self.beta_l.real

    @property
    def radiation_pressure_shift_r(self) -> np.ndarray:
        return 2 * self.g0_r * self.beta_r.real

    @property
    def bare_detuning_l(self) -> np.ndarray:
        r"""Laser detuning :math:`\omega_{c,l} - \omega_d = \Delta + g_{0,l}(\beta_l + \beta_l^*)` (rad/s)."""
        return self.delta + self.radiation_pressure_shift_l

    @property
    def bare_detuning_r(self) -> np.ndarray:
        return self.delta + self.radiation_pressure_shift_r


def mean_fields(params: PaperAParameters, delta: Any, direction: str = "left") -> MeanFields:
    r"""Steady-state mean fields of Eq. (10) (left input) or its mirror image (right input).

    Parameters
    ----------
    params : PaperAParameters
        Parameter set (fields may be arrays; everything broadcasts with ``delta``).
    delta : float or array
        Effective detuning :math:`\Delta = \Delta_{c,l} = \Delta_{c,r}` (rad/s).
    direction : {"left", "right"}
        Input direction.

    Returns
    -------
    MeanFields
    """
    if not isinstance(params, PaperAParameters):
        raise OptolibError(f"params must be a PaperAParameters, got {type(params).__name__}")
    check_direction(direction)
    delta = val.real_array("delta", delta)
    _broadcast_shape({"delta": delta, **{k: v for k, v in vars(params).items() if k != "g0_convention"}})
    p = params
    sign = 1.0 if direction == "left" else -1.0
    det_l = delta + sign * p.sagnac_l
    det_r = delta + sign * p.sagnac_r
    eps = p.drive_amplitude
    phase = np.exp(1j * np.asarray(p.phi, dtype=float))
    eta = np.asarray(p.eta, dtype=float)
    k_l, k_r = np.asarray(p.kappa_ex_l, dtype=float), np.asarray(p.kappa_ex_r, dtype=float)
    if direction == "left":
        alpha_l = np.sqrt(k_l) * eps / (1j * det_l + p.linewidth_l / 2)
        alpha_r = np.sqrt(eta * k_r) * phase * (eps - np.sqrt(k_l) * alpha_l) / (1j * det_r + p.linewidth_r / 2)
    else:
        alpha_r = np.sqrt(k_r) * eps / (1j * det_r + p.linewidth_r / 2)
        alpha_l = np.sqrt(eta * k_l) * phase * (eps - np.sqrt(k_r) * alpha_r) / (1j * det_l + p.linewidth_l / 2)
    g_l, g_r = np.asarray(p.g0_l), np.asarray(p.g0_r)
    beta_l = 1j * g_l * np.abs(alpha_l) ** 2 / (1j * p.omega_m_l + np.asarray(p.gamma_m) / 2)
    beta_r = 1j * g_r * np.abs(alpha_r) ** 2 / (1j * p.omega_m_r + np.asarray(p.gamma_m) / 2)
    shape = np.broadcast_shapes(*(np.shape(x) for x in (det_l, det_r, alpha_l, alpha_r, beta_l, beta_r)))

    def b(x: Any) -> np.ndarray:
        return np.broadcast_to(x, shape)

    return MeanFields(direction, b(det_l), b(det_r), b(alpha_l), b(alpha_r), b(beta_l), b(beta_r),
                      b(g_l), b(g_r), b(delta))
