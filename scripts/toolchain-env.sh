# shellcheck shell=bash
# Source this file (do not execute it) to use the project-local toolchain that scripts/setup-toolchain.sh
# installed under .toolchain/:
#
#   source scripts/toolchain-env.sh
#
# What it sets is defined once, in toolchainEnv() (tools/engine/toolchain.ts): the machine's TF_* variables
# unset except logging and TF_VAR_*, TF_INPUT=0, the engine's CLI config and binary, .toolchain/bin first on PATH.
eval "$(node "$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/bin/run.js" tools/engine/toolchain-env.ts)"
