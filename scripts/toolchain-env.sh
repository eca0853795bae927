# shellcheck shell=bash
# Source this file (do not execute it) to use the project-local toolchain that
# scripts/setup-toolchain.sh installed under .toolchain/:
#
#   source scripts/toolchain-env.sh
#
# Exports: TF_CLI_CONFIG_FILE, TERRAFORM_BINARY_NAME,
# CHECKPOINT_DISABLE, SPARKY_TOOLCHAIN_DIR and PATH with .toolchain/bin first.
# Every other TF_* variable inherited from the machine is unset (they would change
# what the engine does: CLI args, input, workspace, registry tokens...), except the
# logging ones (TF_LOG, TF_LOG_PATH, TF_LOG_CORE, TF_LOG_PROVIDER).

_sparky_src="${BASH_SOURCE[0]:-$0}"
_sparky_root="$(cd "$(dirname "$_sparky_src")/.." && pwd)"
SPARKY_TOOLCHAIN_DIR="$_sparky_root/.toolchain"
export SPARKY_TOOLCHAIN_DIR

for _sparky_v in $(compgen -e | grep '^TF_' || true); do
  case "$_sparky_v" in
    TF_LOG | TF_LOG_PATH | TF_LOG_CORE | TF_LOG_PROVIDER) ;;
    *) unset "$_sparky_v" ;;
  esac
done

export TF_CLI_CONFIG_FILE="$SPARKY_TOOLCHAIN_DIR/tofurc"
export TERRAFORM_BINARY_NAME="$SPARKY_TOOLCHAIN_DIR/bin/tofu"
export CHECKPOINT_DISABLE=1
case ":$PATH:" in
  *":$SPARKY_TOOLCHAIN_DIR/bin:"*) ;;
  *) export PATH="$SPARKY_TOOLCHAIN_DIR/bin:$PATH" ;;
esac

if [ ! -x "$TERRAFORM_BINARY_NAME" ] || [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  echo "[toolchain-env] warning: $SPARKY_TOOLCHAIN_DIR is not set up; run scripts/setup-toolchain.sh" >&2
fi
unset _sparky_src _sparky_root _sparky_v
