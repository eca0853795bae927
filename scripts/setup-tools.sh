#!/usr/bin/env bash
# Installs the pinned command-line tools the recipes, tests and benchmarks use, the same way on every machine,
# into .toolchain/bin (cached per version under ${SPARKY_TOOLCHAIN_CACHE:-$HOME/.cache/sparky-infra/toolchain}):
#
#   just            1.59.0   PyPI's rust-just wheel, else `cargo install` from crates.io
#   actionlint      v1.7.12  Go module proxy
#   docker compose  v2 (tools/toolchain/compose)  Go module proxy; also installed as the docker CLI plugin
#   docker-read-proxy  this repository's tools/docker-read-proxy (standard library only), per source digest
#   supercronic     v0.2.48  Go module proxy (static, time zones embedded); scripts/build-local-images.sh puts it into
#                            sparky-local/scheduler:dev (constructs/model/jobs.ts names the same version)
#
# A tool already on PATH at any version is used as it is. Every build happens here, never on first use in a test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.toolchain/bin"
CACHE="${SPARKY_TOOLCHAIN_CACHE:-$HOME/.cache/sparky-infra/toolchain}"
BUILD_TIMEOUT="${SPARKY_TOOLCHAIN_BUILD_TIMEOUT:-2400}"
JUST_VERSION=1.59.0
ACTIONLINT_VERSION=v1.7.12
SUPERCRONIC_VERSION=v0.2.48
COMPOSE_VERSION="$(awk '$1=="require" && $2=="github.com/docker/compose/v2" {print $3}' "$ROOT/tools/toolchain/compose/go.mod")"
COMPOSE_PLUGIN_DIR="${SPARKY_COMPOSE_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}"

say() { printf '[tools] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
mkdir -p "$BIN" "$CACHE"

# link NAME FILE: .toolchain/bin/NAME points at the cached binary.
link() { ln -sfn "$2" "$BIN/$1"; }

on_path() { # NAME: a binary of that name on PATH other than our own link
  local found
  found="$(PATH="${PATH//$BIN:/}" command -v "$1" 2>/dev/null)" || return 1
  [ "$found" != "$BIN/$1" ] && echo "$found"
}

install_just() {
  local dir="$CACHE/just-$JUST_VERSION" existing
  if existing="$(on_path just)"; then say "just: $existing ($("$existing" --version))"; link just "$existing"; return; fi
  if [ ! -x "$dir/bin/just" ]; then
    say "installing just $JUST_VERSION"
    rm -rf "$dir"
    if ! python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$dir" "rust-just==$JUST_VERSION" 2>"$CACHE/just.log"; then
      command -v cargo >/dev/null || die "just $JUST_VERSION: pip failed ($(tail -n1 "$CACHE/just.log")) and cargo is missing"
      say "pip failed; building just $JUST_VERSION with cargo (~3 min)"
      timeout "$BUILD_TIMEOUT" cargo install --quiet --locked --root "$dir" just --version "$JUST_VERSION" 2>>"$CACHE/just.log" ||
        die "just $JUST_VERSION: cargo install failed (log $CACHE/just.log)"
    fi
  fi
  link just "$dir/bin/just"
  say "just: $("$BIN/just" --version)"
}

# go_tool NAME VERSION MODULE_DIR PACKAGE LDFLAGS: a Go binary built once per version into the cache.
go_tool() {
  local name="$1" version="$2" moddir="$3" pkg="$4" ldflags="$5" dir out t0
  dir="$CACHE/$name-$version"
  out="$dir/$name"
  if [ ! -x "$out" ]; then
    command -v go >/dev/null || die "go is required to build $name $version"
    mkdir -p "$dir"
    say "building $name $version (first time)"
    t0=$(date +%s)
    if ! (cd "$moddir" && CGO_ENABLED=0 GOFLAGS='-mod=mod -buildvcs=false' timeout "$BUILD_TIMEOUT" \
      go build -trimpath -ldflags="-s -w $ldflags" -o "$out.tmp" "$pkg") >"$dir/build.log" 2>&1; then
      rm -f "$out.tmp"
      die "$name $version: build failed: $(grep -m1 -iE 'error|cannot|forbidden' "$dir/build.log" || tail -n1 "$dir/build.log")"
    fi
    mv -f "$out.tmp" "$out"
    say "$name $version: built in $(($(date +%s) - t0))s"
  fi
  echo "$out"
}

install_actionlint() {
  local dir="$CACHE/actionlint-$ACTIONLINT_VERSION"
  if [ ! -x "$dir/actionlint" ]; then
    command -v go >/dev/null || die "go is required to build actionlint $ACTIONLINT_VERSION"
    say "building actionlint $ACTIONLINT_VERSION from the Go module proxy (first time)"
    mkdir -p "$dir"
    GOBIN="$dir" CGO_ENABLED=0 timeout "$BUILD_TIMEOUT" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" \
      >"$dir/build.log" 2>&1 || die "actionlint $ACTIONLINT_VERSION: build failed: $(tail -n1 "$dir/build.log")"
  fi
  link actionlint "$dir/actionlint"
  say "actionlint: $("$BIN/actionlint" -version | head -1)"
}

install_compose() {
  local out
  if docker compose version >/dev/null 2>&1; then
    say "docker compose: $(docker compose version | head -1)"
    return
  fi
  out="$(go_tool docker-compose "$COMPOSE_VERSION" "$ROOT/tools/toolchain/compose" github.com/docker/compose/v2/cmd \
    "-X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION")"
  link docker-compose "$out"
  if mkdir -p "$COMPOSE_PLUGIN_DIR" 2>/dev/null && install -m 0755 "$out" "$COMPOSE_PLUGIN_DIR/docker-compose" 2>/dev/null; then
    say "docker compose: $(docker compose version | head -1) (plugin in $COMPOSE_PLUGIN_DIR)"
  else
    say "docker compose: $out (could not install the CLI plugin into $COMPOSE_PLUGIN_DIR; use .toolchain/bin/docker-compose)"
  fi
}

# The read-only Docker API proxy a preview key is restricted to (README "Plan previews"); the e2e suite runs it
# behind a local sshd. Rebuilt whenever its sources change.
install_read_proxy() {
  local src="$ROOT/tools/docker-read-proxy" digest out
  digest="$(cat "$src"/go.mod "$src"/*.go | sha256sum | cut -c1-16)"
  out="$(go_tool docker-read-proxy "$digest" "$src" . "")"
  link docker-read-proxy "$out"
  say "docker-read-proxy: $out"
}

# supercronic, the cron of scheduled jobs, for the local scheduler image: static (no libc in that image) and with the
# time zone database embedded (CRON_TZ works without /usr/share/zoneinfo). Built for this machine's architecture.
install_supercronic() {
  local dir="$CACHE/supercronic-$SUPERCRONIC_VERSION" t0
  if [ ! -x "$dir/supercronic" ]; then
    command -v go >/dev/null || die "go is required to build supercronic $SUPERCRONIC_VERSION"
    say "building supercronic $SUPERCRONIC_VERSION from the Go module proxy (first time)"
    mkdir -p "$dir"
    t0=$(date +%s)
    GOBIN="$dir" CGO_ENABLED=0 GOFLAGS=-buildvcs=false timeout "$BUILD_TIMEOUT" go install -trimpath -tags timetzdata \
      -ldflags "-s -w -X main.Version=$SUPERCRONIC_VERSION" "github.com/aptible/supercronic@$SUPERCRONIC_VERSION" \
      >"$dir/build.log" 2>&1 || { rm -f "$dir/supercronic"; die "supercronic $SUPERCRONIC_VERSION: build failed: $(tail -n1 "$dir/build.log")"; }
    say "supercronic $SUPERCRONIC_VERSION: built in $(($(date +%s) - t0))s"
  fi
  link supercronic "$dir/supercronic"
  say "supercronic: $("$BIN/supercronic" -version)"
}

install_just
install_actionlint
install_compose
install_read_proxy
install_supercronic
