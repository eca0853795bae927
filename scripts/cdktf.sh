#!/usr/bin/env bash
# Runs the cdktf CLI against one target with the project's pinned engine and providers.
#
#   scripts/cdktf.sh [target] <deploy|diff|destroy|synth> [stack globs...]
#
# Secrets reach Terraform only through the environment: every sensitive variable (e.g. GRAFANA_ADMIN_PASSWORD)
# is exported as TF_VAR_<name> from the variable of the same name. GitHub stacks need GITHUB_TOKEN (or `gh auth token`).
set -euo pipefail
cd "$(dirname "$0")/.."

target=""
case "${1:-}" in deploy|diff|destroy|synth|"") ;; *) target="$1"; shift ;; esac
command="${1:?usage: scripts/cdktf.sh [target] <deploy|diff|destroy|synth> [stacks...]}"; shift
[ -n "$target" ] && export SPARKY_TARGET="$target"

# shellcheck source=scripts/toolchain-env.sh
source scripts/toolchain-env.sh

for name in $(node bin/run.js tools/secret-names.ts); do
  if [ -n "${!name:-}" ]; then export "TF_VAR_${name}=${!name}"; fi
done

wants_github=0
for glob in "${@:-*}"; do case "$glob" in *github*|"*") wants_github=1 ;; esac; done
if [ "$command" != synth ] && [ "$wants_github" = 1 ] && [ -z "${GITHUB_TOKEN:-}" ]; then
  if command -v gh >/dev/null 2>&1 && token="$(gh auth token 2>/dev/null)" && [ -n "$token" ]; then
    export GITHUB_TOKEN="$token"
  else
    echo "sparky-infra: GITHUB_TOKEN is not set and 'gh auth token' gave none; the *-github stacks need it." >&2
    echo "  Set GITHUB_TOKEN, or select only Docker stacks, e.g.: just $command '' '*-services *-observability'" >&2
    exit 1
  fi
fi

if [ "$command" = synth ]; then exec node bin/app.js; fi

# `cdktf diff` takes exactly one stack: synthesize once, then diff each stack matching the globs.
if [ "$command" = diff ]; then
  node bin/app.js
  status=0
  for stack in $(node -e 'for (const s of Object.keys(require(process.argv[1]).stacks)) console.log(s)' "$PWD/cdktf.out/manifest.json"); do
    for glob in "${@:-*}"; do
      # shellcheck disable=SC2053
      if [[ "$stack" == $glob ]]; then
        npx --no-install cdktf diff --skip-synth --skip-provider-lock "$stack" || status=$?
        break
      fi
    done
  done
  exit "$status"
fi

# `providers lock` would ask the public registry for checksums; the mirror is the only source here.
extra=()
case "$command" in deploy|diff|destroy) extra+=(--skip-provider-lock) ;; esac
status=0
npx --no-install cdktf "$command" "${extra[@]}" "$@" || status=$?
if [ "$status" != 0 ] && [ "$command" = deploy ]; then
  bash scripts/report-unhealthy.sh || true
fi
exit "$status"
