#!/usr/bin/env bash
# Lints .github/workflows/*.yml (or the files given) with the pinned actionlint that scripts/setup-tools.sh installs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.toolchain/bin/actionlint"
[[ -x "$BIN" ]] || { echo "actionlint.sh: $BIN is missing; run scripts/setup.sh (or scripts/setup-tools.sh)" >&2; exit 3; }
if [[ "${1:-}" == "--version" ]]; then exec "$BIN" -version; fi
cd "$ROOT"
if [[ $# -gt 0 ]]; then files=("$@"); else
  shopt -s nullglob
  files=(.github/workflows/*.yml .github/workflows/*.yaml)
fi
if [[ ${#files[@]} -eq 0 ]]; then echo "actionlint.sh: no workflow files" >&2; exit 1; fi
# shellcheck/pyflakes integrations are used only when installed; actionlint's own checks always run.
exec "$BIN" -no-color "${files[@]}"
