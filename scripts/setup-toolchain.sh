#!/usr/bin/env bash
# Build (once per version) and install the pinned, offline IaC toolchain:
#
#   engine     OpenTofu (tools/toolchain/opentofu)               -> .toolchain/bin/tofu
#   providers  kreuzwerker/docker 3.6.2 (tools/toolchain/provider-docker)
#              integrations/github 6.9.0 (tools/toolchain/provider-github)
#              or, when the Go module proxy refuses a pinned one, its substitute (see SPARKY_PROVIDER_SUBSTITUTES)
#              -> .toolchain/providers/<host>/<ns>/<type>/<ver>/<os>_<arch>/terraform-provider-<type>_v<ver>
#                 for host in registry.opentofu.org and registry.terraform.io
#   CLI config .toolchain/tofurc (filesystem mirror only, no direct installs)
#   status     .toolchain/status.json (what is installed, what is missing and why)
#
# Binaries are built from Go modules into a cache outside the repo,
# ${SPARKY_TOOLCHAIN_CACHE:-$HOME/.cache/sparky-infra/toolchain}/<name>-<version>/,
# and skipped when already there; a second run only re-checks the install (fast path).
#
# Env:
#   SPARKY_TOOLCHAIN_CACHE              build cache (see above)
#   SPARKY_TOOLCHAIN_REQUIRE_PROVIDERS  1 => exit 1 when a pinned provider cannot be built
#   SPARKY_PROVIDER_SUBSTITUTES         1 (default) => when a pinned provider cannot be built (the Go module
#                                       proxy here answers 403 for both), build the release the proxy does
#                                       serve (tools/toolchain/provider-<type>-substitute) and install it
#                                       under its OWN version, flagged "substitute" in status.json; scripts
#                                       and tests then pin that version at synth time
#                                       (SPARKY_DOCKER_PROVIDER_VERSION, SPARKY_GITHUB_PROVIDER_VERSION).
#                                       0 => no substitutes.
#   SPARKY_TOOLCHAIN_BUILD_TIMEOUT      seconds per go build (default 2400)
#   SPARKY_TOOLCHAIN_FORCE              1 => skip the fast path (binaries stay cached)
#
# Then: source scripts/toolchain-env.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TC="$ROOT/.toolchain"
CACHE="${SPARKY_TOOLCHAIN_CACHE:-$HOME/.cache/sparky-infra/toolchain}"
WRAP="$ROOT/tools/toolchain"
BUILD_TIMEOUT="${SPARKY_TOOLCHAIN_BUILD_TIMEOUT:-2400}"
SUBSTITUTE="${SPARKY_PROVIDER_SUBSTITUTES:-1}"
REQUIRE="${SPARKY_TOOLCHAIN_REQUIRE_PROVIDERS:-0}"

DOCKER_PROVIDER_VERSION=3.6.2
GITHUB_PROVIDER_VERSION=6.9.0
# The substitutes' own identities (see their go.mod); used for their cache dirs and -X main.version.
DOCKER_SUBSTITUTE_ID=4.6.0-post.20260916201441.96d331c98ff4
GITHUB_SUBSTITUTE_ID=6.11.1
MIRROR_HOSTS=(registry.opentofu.org registry.terraform.io)

say() { printf '[toolchain] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- fast path ---------------------------------------------------------------
# The stamp records every input of the install; when it matches and the
# installed files exist, there is nothing to do (no go invocation at all).
stamp_inputs() {
  {
    echo "root=$ROOT cache=$CACHE substitute=$SUBSTITUTE require=$REQUIRE"
    cat "${BASH_SOURCE[0]}"
    find "$WRAP" -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) -print0 | LC_ALL=C sort -z | xargs -0 cat
  } | sha256sum | cut -d' ' -f1
}
STAMP="$(stamp_inputs)"
if [ "${SPARKY_TOOLCHAIN_FORCE:-0}" != 1 ] && [ -f "$TC/.stamp" ] && [ "$(cat "$TC/.stamp")" = "$STAMP" ] &&
   [ -x "$TC/bin/tofu" ] && [ -f "$TC/tofurc" ] && [ -f "$TC/status.json" ]; then
  say "up to date ($TC); status: $(tr -d '\n ' <"$TC/status.json" | cut -c1-200)"
  exit 0
fi

command -v go >/dev/null || die "go is required (it builds the engine and providers)"
GOOS="$(go env GOOS)"; GOARCH="$(go env GOARCH)"
PLATFORM="${GOOS}_${GOARCH}"
TOFU_VERSION="$(awk '$1=="require" && $2=="github.com/opentofu/opentofu" {print $3}' "$WRAP/opentofu/go.mod")"
[ -n "$TOFU_VERSION" ] || die "cannot read the OpenTofu version from $WRAP/opentofu/go.mod"
mkdir -p "$CACHE" "$TC/bin"
rm -rf "$TC/plugin-cache" # earlier installs shared one; see the CLI config below

# build_bin NAME VERSION WRAPPER_DIR PACKAGE OUT_FILE EXTRA_LDFLAGS EST
# Prints the cached binary path on success; returns 1 (with the reason in
# $TC/logs/NAME.log) when the build fails.
build_bin() {
  local name="$1" version="$2" wrapper="$3" pkg="$4" out="$5" ldx="$6" est="$7"
  local dir="$CACHE/$name-$version" log="$TC/logs/$name.log"
  mkdir -p "$dir" "$TC/logs"
  if [ -x "$dir/$out" ]; then
    say "$name $version: cached ($dir/$out)"
    echo "$dir/$out"; return 0
  fi
  say "building $name $version (first time, ~$est min on 2 cores; log $log)"
  local t0; t0=$(date +%s)
  if ! (cd "$wrapper" && CGO_ENABLED=0 GOFLAGS='-mod=mod -buildvcs=false' GOOS="$GOOS" GOARCH="$GOARCH" \
        timeout "$BUILD_TIMEOUT" go build -trimpath -ldflags="-s -w $ldx" -o "$dir/$out.tmp" "$pkg") >"$log" 2>&1; then
    rm -f "$dir/$out.tmp"
    say "$name $version: BUILD FAILED after $(( $(date +%s) - t0 ))s: $(failure_reason "$log")"
    return 1
  fi
  mv -f "$dir/$out.tmp" "$dir/$out"
  say "$name $version: built in $(( $(date +%s) - t0 ))s"
  echo "$dir/$out"
}

# The most telling line of a failed build log (a proxy refusal beats a generic error).
failure_reason() {
  { grep -m1 -E 'not available|Forbidden|410 Gone|404 Not Found' "$1" || grep -m1 -iE 'error|cannot' "$1" || tail -n1 "$1"; } 2>/dev/null |
    tr -d '"\\' | cut -c1-220
}

link_or_copy() { ln -f "$1" "$2" 2>/dev/null || cp -f "$1" "$2"; }

# install_provider NS TYPE VERSION BINARY
install_provider() {
  local ns="$1" type="$2" version="$3" bin="$4" host d
  for host in "${MIRROR_HOSTS[@]}"; do
    d="$TC/providers/$host/$ns/$type/$version/$PLATFORM"
    mkdir -p "$d"
    link_or_copy "$bin" "$d/terraform-provider-${type}_v${version}"
    chmod 0755 "$d/terraform-provider-${type}_v${version}"
  done
}

remove_provider() { # NS TYPE VERSION
  local host
  for host in "${MIRROR_HOSTS[@]}"; do rm -rf "$TC/providers/$host/$1/$2/$3"; done
}

# --- engine ------------------------------------------------------------------
if command -v tofu >/dev/null 2>&1 && [ "$(command -v tofu)" != "$TC/bin/tofu" ]; then
  TOFU_SRC="$(command -v tofu)"
  say "using tofu already on PATH: $TOFU_SRC ($("$TOFU_SRC" version 2>/dev/null | head -1))"
else
  TOFU_SRC="$(build_bin opentofu "$TOFU_VERSION" "$WRAP/opentofu" github.com/opentofu/opentofu/cmd/tofu tofu \
    "-X github.com/opentofu/opentofu/version.dev=no" 7)" || die "OpenTofu build failed: see $TC/logs/opentofu.log"
fi
if ! cmp -s "$TOFU_SRC" "$TC/bin/tofu"; then rm -f "$TC/bin/tofu"; link_or_copy "$TOFU_SRC" "$TC/bin/tofu"; fi
chmod 0755 "$TC/bin/tofu"

# --- providers ---------------------------------------------------------------
missing=()
declare -A status installed note

# provide NS TYPE PINNED_VERSION MAIN_PACKAGE EST_MINUTES SUBSTITUTE_ID
# Installs the pinned provider, or (substitutes allowed) tools/toolchain/provider-TYPE-substitute under its
# own version SUBSTITUTE_ID, or records it as missing. Fills status/installed/note[TYPE].
provide() {
  local ns="$1" type="$2" pinned="$3" pkg="$4" est="$5" sub_id="$6" bin ldx
  installed[$type]="$pinned" note[$type]=""
  ldx="-X main.version=$pinned"
  if bin="$(build_bin "provider-$type" "$pinned" "$WRAP/provider-$type" "$pkg" "terraform-provider-$type" "$ldx" "$est")"; then
    install_provider "$ns" "$type" "$pinned" "$bin"; status[$type]="pinned"
    return
  fi
  note[$type]="$ns/$type $pinned: $(failure_reason "$TC/logs/provider-$type.log")"
  remove_provider "$ns" "$type" "$pinned"
  if [ "$SUBSTITUTE" = 1 ] && bin="$(build_bin "provider-$type-substitute" "$sub_id" "$WRAP/provider-$type-substitute" \
       "$pkg" "terraform-provider-$type" "-X main.version=$sub_id" "$est")"; then
    say "WARNING: $ns/$type $pinned is not buildable here; installing the SUBSTITUTE $sub_id under its own version (synth pins it via SPARKY_${type^^}_PROVIDER_VERSION)"
    install_provider "$ns" "$type" "$sub_id" "$bin"; status[$type]="substitute" installed[$type]="$sub_id"
  else
    status[$type]="missing"; missing+=("$ns/$type $pinned")
  fi
}

provide kreuzwerker docker "$DOCKER_PROVIDER_VERSION" github.com/terraform-providers/terraform-provider-docker 8 "$DOCKER_SUBSTITUTE_ID"
provide integrations github "$GITHUB_PROVIDER_VERSION" github.com/integrations/terraform-provider-github/v6 6 "$GITHUB_SUBSTITUTE_ID"

# No plugin_cache_dir: init links each stack to the unpacked mirror anyway, and a shared cache is rewritten
# by one stack's init while another stack's plan or validate reads it ("no package ... cached").
cat >"$TC/tofurc.new" <<EOF
# Generated by scripts/setup-toolchain.sh: providers come only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$TC/providers"
    include = ["*/*/*"]
  }
  direct {
    exclude = ["*/*/*"]
  }
}
disable_checkpoint = true
EOF
mv -f "$TC/tofurc.new" "$TC/tofurc"

cat >"$TC/status.json" <<EOF
{
  "platform": "$PLATFORM",
  "tofu": {"version": "$(TF_CLI_CONFIG_FILE="$TC/tofurc" "$TC/bin/tofu" version 2>/dev/null | grep -m1 -oE '^(OpenTofu|Terraform) v[^ ]+' | cut -d' ' -f2)", "path": "$TC/bin/tofu"},
  "providers": {
    "kreuzwerker/docker": {"version": "${installed[docker]}", "status": "${status[docker]}", "note": "${note[docker]}"},
    "integrations/github": {"version": "${installed[github]}", "status": "${status[github]}", "note": "${note[github]}"}
  }
}
EOF

if [ ${#missing[@]} -gt 0 ]; then
  say "MISSING providers (not in the mirror): ${missing[*]} (reasons in $TC/logs/, status.json)"
  if [ "$REQUIRE" = 1 ]; then rm -f "$TC/.stamp"; exit 1; fi
fi
echo "$STAMP" >"$TC/.stamp"
say "ready: $TC/bin/tofu, CLI config $TC/tofurc; next: source scripts/toolchain-env.sh"
