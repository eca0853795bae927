# shellcheck shell=bash
# Source this file (do not execute it) to use the project-local toolchain that
# scripts/setup-toolchain.sh installed under .toolchain/:
#
#   source scripts/toolchain-env.sh
#
# Exports: TF_CLI_CONFIG_FILE, TERRAFORM_BINARY_NAME,
# CHECKPOINT_DISABLE, SPARKY_TOOLCHAIN_DIR, PATH with .toolchain/bin first, and
# SPARKY_<TYPE>_PROVIDER_VERSION for each substitute provider in the mirror.
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

# A substitute provider is installed under its own version; synth must pin exactly that one
# (SPARKY_DOCKER_PROVIDER_VERSION, SPARKY_GITHUB_PROVIDER_VERSION).
if [ -f "$SPARKY_TOOLCHAIN_DIR/status.json" ] && grep -q '"status": "substitute"' "$SPARKY_TOOLCHAIN_DIR/status.json"; then
  eval "$(node -e '
    for (const [source, p] of Object.entries(require(process.argv[1]).providers))
      if (p.status === "substitute" && /^[0-9A-Za-z.+-]+$/.test(p.version))
        console.log(`export SPARKY_${source.split("/")[1].toUpperCase()}_PROVIDER_VERSION=${p.version}`);
  ' "$SPARKY_TOOLCHAIN_DIR/status.json")"
fi
if [ ! -x "$TERRAFORM_BINARY_NAME" ] || [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  echo "[toolchain-env] warning: $SPARKY_TOOLCHAIN_DIR is not set up; run scripts/setup-toolchain.sh" >&2
fi
unset _sparky_src _sparky_root _sparky_v
