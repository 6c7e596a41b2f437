# Sourced by build_book.sh and run_tests.sh: create/refresh the project virtualenv in .venv.
# The venv is (re)built when it is missing or when requirements.txt, pyproject.toml or the
# interpreter version changed (a hash of them is stored in .venv/.optobook-hash).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

if command -v python3.11 >/dev/null 2>&1; then
    BASE_PYTHON="$(command -v python3.11)"
else
    BASE_PYTHON="$(command -v python3)"
fi

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
