#!/usr/bin/env bash
# Builds actionlint (pinned) from the Go module proxy once, into ~/.cache/sparky-infra/toolchain/, then lints
# .github/workflows/*.yml (or the files given as arguments). Exits non-zero when the build or the lint fails.
set -euo pipefail

VERSION="v1.7.12"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SPARKY_CACHE_DIR:-$HOME/.cache/sparky-infra}/toolchain/actionlint-$VERSION"
BIN="$CACHE/actionlint"

if [[ ! -x "$BIN" ]]; then
  command -v go >/dev/null || { echo "actionlint.sh: go is not installed; cannot build actionlint $VERSION" >&2; exit 3; }
  mkdir -p "$CACHE"
  echo "actionlint.sh: building actionlint $VERSION into $CACHE" >&2
  if ! GOBIN="$CACHE" CGO_ENABLED=0 go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >&2; then
    echo "actionlint.sh: could not build actionlint $VERSION from the Go module proxy" >&2
    exit 3
  fi
fi

if [[ "${1:-}" == "--version" ]]; then exec "$BIN" -version; fi

cd "$ROOT"
if [[ $# -gt 0 ]]; then files=("$@"); else
  shopt -s nullglob
  files=(.github/workflows/*.yml .github/workflows/*.yaml)
fi
if [[ ${#files[@]} -eq 0 ]]; then echo "actionlint.sh: no workflow files" >&2; exit 1; fi
# shellcheck/pyflakes integrations are used only when installed; actionlint's own checks always run.
exec "$BIN" -no-color "${files[@]}"
