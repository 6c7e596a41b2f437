# Sourced by build_book.sh and run_tests.sh: create/refresh the project virtualenv in .venv.
# The venv is (re)built when it is missing or when requirements.txt, pyproject.toml or the
# interpreter version changed (a hash of them is stored in .venv/.optobook-hash).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
# Chapters glue their figures into the book instead of also showing them in the cell output
# (optolib.figures.glue_figure); opened in JupyterLab/Binder/Colab they show them inline.
export OPTOBOOK_BOOK_BUILD=1
# One BLAS thread: on shared cores OpenBLAS's spinning threads made QuTiP's sparse factorisations 10-270x
# slower (benchmarks/fock_limits.py --solvers); optolib's batched engine runs its own two threads.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

if command -v python3.11 >/dev/null 2>&1; then
    BASE_PYTHON="$(command -v python3.11)"
else
    BASE_PYTHON="$(command -v python3)"
fi
# If a virtualenv (e.g. this very .venv) is active, its python is first on PATH: use the interpreter it
# was made from, or rebuilding .venv would delete the interpreter doing the rebuild.
BASE_PYTHON="$("$BASE_PYTHON" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')"

_optobook_hash() {
    {
        cat requirements.txt pyproject.toml
        "$BASE_PYTHON" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local want have=""
    want="$(_optobook_hash)"
    [[ -f "$VENV/.optobook-hash" ]] && have="$(cat "$VENV/.optobook-hash")"
    if [[ ! -x "$VENV/bin/python" || "$want" != "$have" ]]; then
        echo "==> setting up $VENV with $("$BASE_PYTHON" --version) (requirements changed or venv missing)"
        rm -rf "$VENV"
        "$BASE_PYTHON" -m venv "$VENV"
        # pip's chatter goes to a log, shown only if the installation fails.
        local log="$VENV/pip-install.log"
        if ! {
            "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip &&
            "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt &&
            "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e .
        } >"$log" 2>&1; then
            tail -n 60 "$log" >&2
            echo "==> pip install failed; full log in $log" >&2
            return 1
        fi
        echo "$want" > "$VENV/.optobook-hash"
    fi
    # Use the venv's tools and its own kernelspec ("python3" -> the venv's ipykernel).
    export VIRTUAL_ENV="$VENV"
    export PATH="$VENV/bin:$PATH"
    export JUPYTER_PREFER_ENV_PATH=1
    export PYDEVD_DISABLE_FILE_VALIDATION=1   # silence the debugger's frozen-modules warning
    unset PYTHONPATH
}
