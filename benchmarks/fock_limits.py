"""Measure what truncated-Fock-space steady states cost on this machine.

Run:  python benchmarks/fock_limits.py            (about 3-5 minutes on 2 cores)
      python benchmarks/fock_limits.py --solvers  (QuTiP's solvers on paper A's cascade; ~10 minutes)
Writes benchmarks/results/fock_limits.json, which the toolbox chapter and the Performance appendix
display (``--solvers`` adds/replaces only its ``solvers`` entry).

``--solvers`` (issue 5): QuTiP's steady-state solvers on the project's cascaded 4-mode model
(``optolib.paper_a.fock_check.cascade_liouvillian``, Gardiner's form, at the reduced point of the
paper-A physicality chapter, ``reduced_parameters(coupling=0.1)``) at the truncations the
chapters use: sparse LU (``spsolve``), LGMRES with an incomplete-LU preconditioner (as
``fock.steady_state(method="iterative")``), LGMRES without a preconditioner, and inverse power
iteration; sparse LU and preconditioned LGMRES once more with a single OpenBLAS thread.  Each case
runs in its own process with a time limit; the row records the time, whether it converged, and its
covariance matrix's distance from the Gaussian one and from the first converged solver at the same
truncation.

Each case runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own.
Models: the single linearised cavity of the toolbox chapter (2 modes) and a 4-mode
cascade of two such cavities (cavity 1's output drives cavity 2: Gardiner/Carmichael
collective jump operator), at small occupations.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

CASE = r"""
import json, resource, sys, time
import numpy as np
from optolib import GaussianModel, fock, steady_state_covariance
from optolib.single_cavity import linearised_cavity
kind, trunc, method = sys.argv[1], tuple(int(x) for x in sys.argv[2].split(',')), sys.argv[3]
if kind == "cavity":
    m = linearised_cavity(1.0, 1.0, 0.15, 0.5, 0.01, 0.1)
else:
    m = GaussianModel(["a1", "a2", "b1", "b2"])
    a1, a2, b1, b2 = m.ops
    k, g = 0.5, 0.08
    m.hamiltonian = (1.0 * a1.dag() * a1 + 1.0 * a2.dag() * a2 + 1.0 * b1.dag() * b1
                     + 1.0 * b2.dag() * b2 - g * (a1 + a1.dag()) * (b1 + b1.dag())
                     - g * (a2 + a2.dag()) * (b2 + b2.dag())
                     + (-0.5j * k * a2.dag() * a1).plus_hc())
    m.add_channel(a1 + a2, rate=k)
    m.add_damping("b1", 0.01, 0.05)
    m.add_damping("b2", 0.01, 0.05)
v = steady_state_covariance(m.drift_matrix(), m.diffusion_matrix())
t0 = time.perf_counter()
rho = fock.steady_state(m, trunc, method=method)
dt = time.perf_counter() - t0
vf = fock.covariance_from_state(rho)
print(json.dumps(dict(model=kind, truncation=trunc, method=method, seconds=dt,
    liouvillian_size=int(np.prod(trunc))**2,
    max_abs_dV=float(np.abs(vf - v).max()),
    peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""

CASES = [
    ("cavity", "6,6", "iterative"), ("cavity", "6,6", "direct"),
    ("cavity", "8,8", "iterative"), ("cavity", "8,8", "direct"),
    ("cavity", "10,10", "iterative"), ("cavity", "10,10", "direct"),
    ("cavity", "12,12", "iterative"),
    ("cascade", "3,3,3,3", "iterative"), ("cascade", "3,3,3,3", "direct"),
    ("cascade", "3,3,4,4", "iterative"), ("cascade", "3,3,4,4", "direct"),
    ("cascade", "4,4,4,4", "iterative"),
    ("cascade", "3,3,5,5", "iterative"),
]


#: Truncations of the paper-A chapters (physicality chapter: (2,2,3,3), (3,3,3,3); (3,3,4,4) quoted).
SOLVER_TRUNCATIONS = ((2, 2, 3, 3), (3, 3, 3, 3), (3, 3, 4, 4))
#: Keys of optolib.benchmarks.QUTIP_SOLVERS; "@1" runs the case with OPENBLAS_NUM_THREADS=1 (on shared
#: cores OpenBLAS's spinning worker threads slow SuperLU's dense kernels down by 10-100x).
SOLVERS = ("spsolve", "lgmres+ilu", "lgmres", "power", "spsolve@1", "lgmres+ilu@1")
SOLVER_TIMEOUT = 120


def solvers(out: Path) -> None:
    """QuTiP's steady-state solvers on paper A's cascade (module docstring); merges into ``out``."""
    from optolib.benchmarks import qutip_solver_table

    rows = qutip_solver_table(SOLVER_TRUNCATIONS, SOLVERS, timeout=SOLVER_TIMEOUT)
    data = json.loads(out.read_text()) if out.exists() else {}
    data["solvers"] = dict(command="python benchmarks/fock_limits.py --solvers", date=time.strftime("%Y-%m-%d %H:%M"),
                           timeout_seconds=SOLVER_TIMEOUT, load_average=list(os.getloadavg()), rows=rows)
    out.write_text(json.dumps(data, indent=1))
    print(f"wrote {out} (solvers)")


def main() -> None:
    out = Path(__file__).parent / "results" / "fock_limits.json"
    if "--solvers" in sys.argv[1:]:
        solvers(out)
        return
    rows = []
    for kind, trunc, method in CASES:
        t0 = time.perf_counter()
        try:
            res = subprocess.run([sys.executable, "-c", CASE, kind, trunc, method],
                                 capture_output=True, text=True, timeout=400, check=True)
            row = json.loads(res.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            row = dict(model=kind, truncation=[int(x) for x in trunc.split(",")], method=method,
                       seconds=None, note="timed out after 400 s")
        row["wall_seconds"] = time.perf_counter() - t0
        rows.append(row)
        print(json.dumps(row), flush=True)
    meta = dict(command="python benchmarks/fock_limits.py", python=platform.python_version(),
                machine=platform.machine(), cores=__import__("os").cpu_count(),
                date=time.strftime("%Y-%m-%d"))
    old = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps(dict(meta=meta, rows=rows, **({"solvers": old["solvers"]} if "solvers" in old else {})),
                              indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
