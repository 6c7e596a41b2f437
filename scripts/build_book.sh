#!/usr/bin/env bash
# Build the optobook: execute every chapter and write the HTML to _build/html.
# Usage: bash scripts/build_book.sh   (then open _build/html/index.html)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
ensure_venv

# --all: rebuild every page. Sphinx otherwise re-reads only changed .md files, so a change in
# optolib would not re-execute the chapters, and warnings of unchanged pages would be hidden.
jupyter-book build . --all -W --keep-going
echo "Book built: open $ROOT/_build/html/index.html"
