#!/usr/bin/env bash
# Everything CI checks, in stages; all stages run, the exit status is non-zero if any failed.
#   lint    ruff check .
#   unit    pytest tests
#   nbval   pytest book   (every chapter executed in its folder; a raising cell fails)
#   book    jupyter-book build . --all -W --keep-going   (any warning fails)
#   browser headless Chromium on _build/html: MathJax, images, internal links, screenshots
#           (skipped with a message when Chromium is absent; .ci/run installs it)
# Usage: bash scripts/run_tests.sh [STAGE ...]    (default: all five stages)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

t0=$SECONDS
ensure_venv
echo "stage setup: $((SECONDS - t0)) s"

declare -a NAMES=() RESULTS=() TIMES=()
failed=0

run_stage() {
    local name="$1"; shift
    echo
    echo "==> stage $name: $*"
    local start=$SECONDS rc=0
    "$@" || rc=$?
    local took=$((SECONDS - start))
    echo "stage $name: $took s (exit $rc)"
    NAMES+=("$name"); TIMES+=("$took")
    if [[ $rc -eq 0 ]]; then RESULTS+=("ok"); else RESULTS+=("FAILED"); failed=1; fi
}

stages=("$@")
[[ ${#stages[@]} -eq 0 ]] && stages=(lint unit nbval book browser)

for stage in "${stages[@]}"; do
    case "$stage" in
        lint)  run_stage lint  ruff check . ;;
        unit)  run_stage unit  python -m pytest tests --ignore=tests/browser ;;
        nbval) run_stage nbval python -m pytest book --nbval-lax --nbval-current-env ;;
        book)  run_stage book  jupyter-book build . --all -W --keep-going ;;
        browser) run_stage browser python -m pytest tests/browser -rs ;;
        *)     echo "unknown stage: $stage (lint, unit, nbval, book, browser)" >&2; exit 2 ;;
    esac
done

echo
echo "==================== summary ===================="
printf '%-8s %-8s %8s\n' STAGE RESULT SECONDS
for i in "${!NAMES[@]}"; do
    printf '%-8s %-8s %8s\n' "${NAMES[$i]}" "${RESULTS[$i]}" "${TIMES[$i]}"
done
echo "================================================="
if [[ $failed -ne 0 ]]; then
    echo "run_tests: FAILED"
    exit 1
fi
echo "run_tests: all stages passed"
