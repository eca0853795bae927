#!/usr/bin/env bash
# Installs this checkout's pinned infrastructure toolchain into .toolchain/:
#
#   engine     OpenTofu 1.12.6 (tools/toolchain/opentofu); on registry machines a `tofu`/`terraform` on PATH
#   providers  kreuzwerker/docker 3.6.2 and integrations/github 6.9.0, exactly (what the synthesized stacks pin)
#   CLI config .toolchain/tofurc: only these two providers may be installed, from one source
#   status     .toolchain/status.json
#
# Only the providers' source differs between machines, and `provider_source` decides it:
#
#   archives  A directory of vendored provider source archives exists ($SPARKY_PROVIDER_ARCHIVES, default
#             ../shared/providers next to the checkout; see its README). Each provider is built from its archive
#             with no network at all (GOPROXY=off, -mod=vendor) after its sha256 is checked against SHA256SUMS,
#             cached per version and archive digest (like the engine), and installed into the filesystem mirror
#             .toolchain/providers. Machines without registry access (this project's build machine) use this.
#   registry  No archives (a workstation or a CI runner with internet): nothing is built from source. The engine
#             comes from PATH or from OpenTofu's release package; `tofu init` downloads the pinned providers
#             from the registry.
#
# Binaries are cached under ${SPARKY_TOOLCHAIN_CACHE:-$HOME/.cache/sparky-infra/toolchain}; a second run with
# unchanged inputs only re-checks the install.
#
# Env: SPARKY_PROVIDER_ARCHIVES, SPARKY_TOOLCHAIN_CACHE, SPARKY_TOOLCHAIN_BUILD_TIMEOUT (seconds per go build,
# default 2400), SPARKY_TOOLCHAIN_FORCE=1 (skip the fast path; cached binaries stay).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TC="$ROOT/.toolchain"
CACHE="${SPARKY_TOOLCHAIN_CACHE:-$HOME/.cache/sparky-infra/toolchain}"
WRAP="$ROOT/tools/toolchain"
BUILD_TIMEOUT="${SPARKY_TOOLCHAIN_BUILD_TIMEOUT:-2400}"
ARCHIVES="${SPARKY_PROVIDER_ARCHIVES:-$ROOT/../shared/providers}"
TOFU_VERSION="$(awk '$1=="require" && $2=="github.com/opentofu/opentofu" {sub(/^v/, "", $3); print $3}' "$WRAP/opentofu/go.mod")"

# The pinned providers: source address, version, and the archive that holds its source.
PROVIDERS=(
  "kreuzwerker/docker 3.6.2 terraform-provider-docker-v3.6.2-src.tar.xz"
  "integrations/github 6.9.0 terraform-provider-github-v6.9.0-src.tar.xz"
)
MIRROR_HOSTS=(registry.opentofu.org registry.terraform.io)

say() { printf '[toolchain] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [ -f "$ARCHIVES/SHA256SUMS" ]; then
  ARCHIVES="$(cd "$ARCHIVES" && pwd)"
  provider_source=archives
else
  provider_source=registry
fi

# --- fast path ---------------------------------------------------------------
stamp_inputs() {
  {
    echo "root=$ROOT cache=$CACHE source=$provider_source archives=$ARCHIVES"
    [ "$provider_source" = archives ] && cat "$ARCHIVES/SHA256SUMS"
    cat "${BASH_SOURCE[0]}" "$WRAP/opentofu/go.mod"
  } | sha256sum | cut -d' ' -f1
}
STAMP="$(stamp_inputs)"
if [ "${SPARKY_TOOLCHAIN_FORCE:-0}" != 1 ] && [ -f "$TC/.stamp" ] && [ "$(cat "$TC/.stamp")" = "$STAMP" ] &&
  [ -x "$TC/bin/tofu" ] && [ -f "$TC/tofurc" ] && [ -f "$TC/status.json" ]; then
  say "up to date ($provider_source providers; $TC/status.json)"
  exit 0
fi
rm -f "$TC/.stamp"
mkdir -p "$CACHE" "$TC/bin" "$TC/logs"

go_platform() {
  local os arch
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  case "$(uname -m)" in x86_64 | amd64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) die "unsupported CPU $(uname -m)" ;; esac
  echo "${os}_${arch}"
}
PLATFORM="$(go_platform)"

# run_build NAME DIR LOG OUT -- go build args...: a bounded build into OUT (atomically), with its log kept.
run_build() {
  local name="$1" dir="$2" log="$3" out="$4" t0
  shift 5
  t0=$(date +%s)
  if ! (cd "$dir" && CGO_ENABLED=0 GOTOOLCHAIN=local timeout "$BUILD_TIMEOUT" go build -trimpath -o "$out.tmp" "$@") >"$log" 2>&1; then
    rm -f "$out.tmp"
    die "$name: build failed after $(($(date +%s) - t0))s: $(grep -m1 -iE 'error|cannot' "$log" || tail -n1 "$log") (log $log)"
  fi
  mv -f "$out.tmp" "$out"
  say "$name: built in $(($(date +%s) - t0))s"
}

# --- engine ------------------------------------------------------------------
# A workstation's own engine: `tofu`, else `terraform`, on PATH. Machines that build the providers from archives
# always run the pinned OpenTofu build, which is what the tests prove.
engine_on_path() {
  local candidate
  for candidate in tofu terraform; do
    candidate="$(command -v "$candidate" 2>/dev/null)" || continue
    [ "$candidate" = "$TC/bin/tofu" ] && continue
    echo "$candidate"
    return 0
  done
  return 1
}

# OpenTofu's release package, checked against the release's SHA256SUMS (registry machines only).
download_engine() {
  local dir="$CACHE/opentofu-$TOFU_VERSION-release" base zip
  [ -x "$dir/tofu" ] && { echo "$dir/tofu"; return 0; }
  command -v curl >/dev/null && command -v unzip >/dev/null || die "no tofu or terraform on PATH; install OpenTofu $TOFU_VERSION (https://opentofu.org/docs/intro/install/) or curl and unzip"
  base="https://github.com/opentofu/opentofu/releases/download/v$TOFU_VERSION"
  zip="tofu_${TOFU_VERSION}_${PLATFORM}.zip"
  mkdir -p "$dir"
  say "downloading OpenTofu $TOFU_VERSION ($zip)"
  curl -fsSL --retry 3 -o "$dir/$zip" "$base/$zip" && curl -fsSL --retry 3 -o "$dir/SHA256SUMS" "$base/tofu_${TOFU_VERSION}_SHA256SUMS" ||
    die "could not download OpenTofu $TOFU_VERSION from $base"
  (cd "$dir" && grep " $zip\$" SHA256SUMS | sha256sum -c --quiet -) || die "checksum mismatch for $zip"
  unzip -qo "$dir/$zip" tofu -d "$dir" && rm -f "$dir/$zip"
  echo "$dir/tofu"
}

if [ "$provider_source" = registry ] && engine="$(engine_on_path)"; then
  say "engine: $engine"
elif [ "$provider_source" = registry ]; then
  engine="$(download_engine)"
else
  command -v go >/dev/null || die "go is required to build OpenTofu and the providers"
  engine="$CACHE/opentofu-$TOFU_VERSION/tofu"
  if [ -x "$engine" ]; then
    say "OpenTofu $TOFU_VERSION: cached"
  else
    mkdir -p "$(dirname "$engine")"
    say "building OpenTofu $TOFU_VERSION from Go modules (first time, ~7 min on 2 cores)"
    GOFLAGS='-mod=mod -buildvcs=false' run_build "OpenTofu $TOFU_VERSION" "$WRAP/opentofu" "$TC/logs/opentofu.log" "$engine" -- \
      -ldflags="-s -w -X github.com/opentofu/opentofu/version.dev=no" github.com/opentofu/opentofu/cmd/tofu
  fi
fi
if ! cmp -s "$engine" "$TC/bin/tofu"; then
  rm -f "$TC/bin/tofu"
  ln -f "$engine" "$TC/bin/tofu" 2>/dev/null || cp -f "$engine" "$TC/bin/tofu"
fi
chmod 0755 "$TC/bin/tofu"

# --- providers ---------------------------------------------------------------
# Builds one provider from its archive (cached per version and archive digest) and installs it into the mirror.
build_provider_from_archive() {
  local source="$1" version="$2" archive="$3" type sha dir bin src
  type="${source#*/}"
  [ -f "$ARCHIVES/$archive" ] || die "$source $version: $ARCHIVES/$archive is missing"
  (cd "$ARCHIVES" && grep " $archive\$" SHA256SUMS | sha256sum -c --quiet -) 2>/dev/null ||
    die "$source $version: $archive does not match $ARCHIVES/SHA256SUMS; refusing to build it"
  sha="$(sha256sum "$ARCHIVES/$archive" | cut -c1-16)"
  dir="$CACHE/provider-$type-$version-$sha"
  bin="$dir/terraform-provider-${type}_v$version"
  if [ -x "$bin" ]; then
    say "$source $version: cached ($dir)"
  else
    command -v go >/dev/null || die "go is required to build $source $version from $archive"
    src="$(mktemp -d)"
    # shellcheck disable=SC2064
    trap "rm -rf '$src'" RETURN
    tar -xJf "$ARCHIVES/$archive" -C "$src"
    mkdir -p "$dir"
    say "building $source $version from $archive, offline (first time, ~4 min on 2 cores)"
    GOPROXY=off GOFLAGS='-mod=vendor -buildvcs=false' run_build "$source $version" "$src" "$TC/logs/provider-$type.log" "$bin" -- \
      -ldflags="-s -w -X main.version=$version" .
  fi
  local host d
  for host in "${MIRROR_HOSTS[@]}"; do
    d="$TC/providers/$host/$source/$version/$PLATFORM"
    mkdir -p "$d"
    ln -f "$bin" "$d/terraform-provider-${type}_v$version" 2>/dev/null || cp -f "$bin" "$d/terraform-provider-${type}_v$version"
  done
  echo "$sha"
}

# Every installation source is limited to exactly the pinned providers: a stack (or a pull request) that names
# any other provider fails at init instead of running it.
allowed=""
status_entries=()
rm -rf "$TC/providers" "$TC/plugin-cache"
for entry in "${PROVIDERS[@]}"; do
  read -r source version archive <<<"$entry"
  for host in "${MIRROR_HOSTS[@]}"; do allowed+="${allowed:+, }\"$host/$source\""; done
  if [ "$provider_source" = archives ]; then
    digest="$(build_provider_from_archive "$source" "$version" "$archive")"
    status_entries+=("\"$source\": {\"version\": \"$version\", \"status\": \"pinned\", \"from\": \"$archive (sha256 $digest…)\"}")
  else
    status_entries+=("\"$source\": {\"version\": \"$version\", \"status\": \"pinned\", \"from\": \"registry, at init\"}")
  fi
done

if [ "$provider_source" = archives ]; then
  installation="  filesystem_mirror {
    path    = \"$TC/providers\"
    include = [$allowed]
  }"
else
  installation="  direct {
    include = [$allowed]
  }"
fi
# No plugin_cache_dir: init links each stack straight to its source, and a shared cache rewritten by one stack's
# init while another stack's plan reads it breaks that plan ("no package ... cached").
cat >"$TC/tofurc.new" <<EOF
# Generated by scripts/setup-toolchain.sh ($provider_source): only the pinned providers may be installed.
provider_installation {
$installation
}
disable_checkpoint = true
EOF
mv -f "$TC/tofurc.new" "$TC/tofurc"

# Read the whole output first: a reader that stops early (grep -m1) kills the engine with SIGPIPE under pipefail.
version_output="$(TF_CLI_CONFIG_FILE="$TC/tofurc" "$TC/bin/tofu" version 2>/dev/null)" || die "$TC/bin/tofu does not run"
[[ "$version_output" =~ (OpenTofu|Terraform)\ v([^[:space:]]+) ]] || die "cannot read the engine version from: $version_output"
tofu_version="${BASH_REMATCH[2]}"
{
  printf '{\n  "platform": "%s",\n  "providerSource": "%s",\n' "$PLATFORM" "$provider_source"
  printf '  "tofu": {"version": "%s", "path": "%s"},\n' "$tofu_version" "$TC/bin/tofu"
  printf '  "providers": {\n    %s,\n    %s\n  }\n}\n' "${status_entries[0]}" "${status_entries[1]}"
} >"$TC/status.json"

echo "$STAMP" >"$TC/.stamp"
say "ready ($provider_source providers): $TC/bin/tofu, CLI config $TC/tofurc"
