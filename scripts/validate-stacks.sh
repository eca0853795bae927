#!/usr/bin/env bash
# `tofu validate` on every synthesized stack whose providers are in the local mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bin/run.js tools/validate-stacks.ts "$@"
