#!/usr/bin/env bash
# Build the local images the e2e tests run, from scratch (no registry pulls):
#
#   sparky-local/standin:dev        images/standin (static Go stand-in, + /bin/probe)
#   sparky-local/prometheus:dev     Debian's prometheus + promtool (+ /bin/probe)
#   sparky-local/node-exporter:dev  Debian's prometheus-node-exporter (+ /bin/probe)
#   sparky-local/postgres:dev       Debian's PostgreSQL server (+ images/postgres/entrypoint, /bin/probe)
#   sparky-local/haproxy:dev        Debian's HAProxy (a swarm's loopback proxy)
#   sparky-local/scheduler:dev      supercronic (built by scripts/setup-tools.sh), Debian's dash as /bin/sh, the stand-in
#
# Each image's build context is staged under .build/images/<name>/ and hashed;
# the hash is stored as the image label sparky.input-hash, and an image is rebuilt
# only when the hash of its staged context differs from the label of the
# existing image. Usage: scripts/build-local-images.sh [name ...]  (default: all)
# Env: SPARKY_IMAGE_BUILD_TIMEOUT (seconds per docker build, default 300).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAGE="$ROOT/.build/images"
TAG_PREFIX="sparky-local"
TAG_SUFFIX="dev"
BUILD_TIMEOUT="${SPARKY_IMAGE_BUILD_TIMEOUT:-300}"
ALL=(standin prometheus node-exporter postgres haproxy scheduler)
SUPERCRONIC_BIN="$ROOT/.toolchain/bin/supercronic"

say() { printf '[local-images] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

command -v docker >/dev/null || die "docker client missing"
timeout 10 docker info >/dev/null 2>&1 || die "docker engine not answering (run scripts/docker-engine.sh)"
command -v go >/dev/null || die "go missing"

ensure_debian_pkgs() {
  local missing=()
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v prometheus-node-exporter >/dev/null 2>&1 || missing+=(prometheus-node-exporter)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Installing starts the services on a systemd host; they are not needed here.
  timeout 600 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Copy a dynamically linked binary plus every library ldd names into $2 (a rootfs).
copy_with_libs() {
  local bin="$1" rootfs="$2" dest="$3" lib
  install -D -m 0755 "$bin" "$rootfs$dest"
  while read -r lib; do
    [ -n "$lib" ] && [ -e "$lib" ] || continue
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done < <(ldd "$bin" 2>/dev/null | grep -oE '(/[^ ]+)' | sort -u)
}

STANDIN_BIN=""
build_standin_binary() {
  [ -n "$STANDIN_BIN" ] && return 0
  STANDIN_BIN="$ROOT/.build/standin/standin"
  mkdir -p "$(dirname "$STANDIN_BIN")"
  (cd "$ROOT/images/standin" && CGO_ENABLED=0 GOOS=linux GOFLAGS=-buildvcs=false \
    go build -trimpath -ldflags='-s -w' -o "$STANDIN_BIN.tmp" .) || die "standin build failed"
  mv -f "$STANDIN_BIN.tmp" "$STANDIN_BIN"
}

ENTRYPOINT_BIN=""
build_postgres_entrypoint() {
  [ -n "$ENTRYPOINT_BIN" ] && return 0
  ENTRYPOINT_BIN="$ROOT/.build/postgres-entrypoint/entrypoint"
  mkdir -p "$(dirname "$ENTRYPOINT_BIN")"
  (cd "$ROOT/images/postgres/entrypoint" && CGO_ENABLED=0 GOOS=linux GOFLAGS=-buildvcs=false \
    go build -trimpath -ldflags='-s -w' -o "$ENTRYPOINT_BIN.tmp" .) || die "postgres entrypoint build failed"
  mv -f "$ENTRYPOINT_BIN.tmp" "$ENTRYPOINT_BIN"
}

# Debian's PostgreSQL in its own layout (/usr/lib/postgresql/<major>, /usr/share/postgresql/<major>), so initdb
# finds its share files: the server, initdb, the modules (not the LLVM JIT, which would bring all of LLVM), and the
# system time zone data the package is built against. initdb starts the server through popen(), so Debian's dash is
# /bin/sh (the only image with a shell).
stage_postgres() { # $1 = rootfs
  local rootfs="$1" bin lib version
  bin="$(compgen -G "/usr/lib/postgresql/*/bin/postgres" | sort -V | tail -n 1)"
  version="$(basename "$(dirname "$(dirname "$bin")")")"
  for tool in postgres initdb; do copy_with_libs "/usr/lib/postgresql/$version/bin/$tool" "$rootfs" "/usr/lib/postgresql/$version/bin/$tool"; done
  for lib in /usr/lib/postgresql/"$version"/lib/*.so; do
    case "$(basename "$lib")" in llvmjit*) continue ;; esac
    copy_with_libs "$lib" "$rootfs" "$lib"
  done
  mkdir -p "$rootfs/usr/share/postgresql" "$rootfs/usr/share/zoneinfo"
  cp -rL "/usr/share/postgresql/$version" "$rootfs/usr/share/postgresql/"
  rm -rf "$rootfs/usr/share/postgresql/$version/man"
  (cd /usr/share/zoneinfo && tar -chf - . 2>/dev/null) | tar -C "$rootfs/usr/share/zoneinfo" -xf -
  copy_with_libs "$(readlink -f /bin/sh)" "$rootfs" /bin/sh
  install -d -m 1777 "$rootfs/tmp"
}

stage_common() { # $1 = context dir
  rm -rf "$1"; mkdir -p "$1/rootfs/etc" "$1/rootfs/bin"
  cp "$ROOT/images/rootfs/passwd" "$ROOT/images/rootfs/group" "$ROOT/images/rootfs/nsswitch.conf" "$1/rootfs/etc/"
}

stage() { # $1 = name, $2 = context dir
  local name="$1" ctx="$2"
  build_standin_binary
  case "$name" in
    standin)
      rm -rf "$ctx"; mkdir -p "$ctx/rootfs" "$ctx/bin"
      cp "$ROOT/images/rootfs/passwd" "$ROOT/images/rootfs/group" "$ROOT/images/rootfs/nsswitch.conf" "$ctx/rootfs/"
      cp "$STANDIN_BIN" "$ctx/bin/standin"
      mkdir -p "$ctx/ollama/models"
      ;;
    prometheus)
      ensure_debian_pkgs
      stage_common "$ctx"
      copy_with_libs "$(command -v prometheus)" "$ctx/rootfs" /bin/prometheus
      copy_with_libs "$(command -v promtool)" "$ctx/rootfs" /bin/promtool
      install -m 0755 "$STANDIN_BIN" "$ctx/rootfs/bin/probe"
      install -D -m 0644 "$ROOT/images/prometheus/prometheus.yml" "$ctx/rootfs/etc/prometheus/prometheus.yml"
      # Web UI assets and console templates (dereference Debian's symlinks; skip dangling ones).
      for d in /usr/share/prometheus/web /etc/prometheus/consoles /etc/prometheus/console_libraries; do
        [ -d "$d" ] || continue
        mkdir -p "$ctx/rootfs$d"
        # moment-timezone's data alone is >200 MB and only serves the old UI's tz picker.
        (cd "$d" && tar -chf - --ignore-failed-read --exclude=./static/moment-timezone . 2>/dev/null) |
          tar -C "$ctx/rootfs$d" -xf - || true
      done
      mkdir -p "$ctx/data"; touch "$ctx/data/.keep"
      ;;
    node-exporter)
      ensure_debian_pkgs
      stage_common "$ctx"
      copy_with_libs "$(command -v prometheus-node-exporter)" "$ctx/rootfs" /bin/node_exporter
      install -m 0755 "$STANDIN_BIN" "$ctx/rootfs/bin/probe"
      ;;
    haproxy)
      ensure_debian_pkgs
      stage_common "$ctx"
      copy_with_libs /usr/sbin/haproxy "$ctx/rootfs" /usr/sbin/haproxy
      # The official image's config directory, where the proxy's config is uploaded.
      mkdir -p "$ctx/rootfs/usr/local/etc/haproxy"
      ;;
    postgres)
      ensure_debian_pkgs
      build_postgres_entrypoint
      stage_common "$ctx"
      stage_postgres "$ctx/rootfs"
      install -m 0755 "$ENTRYPOINT_BIN" "$ctx/rootfs/bin/entrypoint"
      install -m 0755 "$STANDIN_BIN" "$ctx/rootfs/bin/probe"
      mkdir -p "$ctx/data" "$ctx/run"
      ;;
    scheduler)
      [ -x "$SUPERCRONIC_BIN" ] || die "supercronic missing: run scripts/setup-tools.sh"
      stage_common "$ctx"
      install -D -m 0755 "$(readlink -f "$SUPERCRONIC_BIN")" "$ctx/rootfs/usr/local/bin/supercronic"
      copy_with_libs "$(readlink -f /bin/sh)" "$ctx/rootfs" /bin/sh
      install -m 0755 "$STANDIN_BIN" "$ctx/rootfs/bin/standin"
      install -m 0755 "$STANDIN_BIN" "$ctx/rootfs/bin/probe"
      ;;
    *) die "unknown image $name (known: ${ALL[*]})" ;;
  esac
  cp "$ROOT/images/$name/Dockerfile" "$ctx/Dockerfile"
}

# Hash of a staged context: relative paths, modes and contents, in sorted order.
context_hash() {
  (cd "$1" && find . \( -type f -o -type l \) -print0 | LC_ALL=C sort -z |
    while IFS= read -r -d '' f; do
      printf '%s %s ' "$f" "$(stat -c '%a' "$f")"
      if [ -L "$f" ]; then readlink "$f"; else sha256sum <"$f" | cut -d' ' -f1; fi
    done) | sha256sum | cut -d' ' -f1
}

# Cheap key over everything staging reads (sources, Debian package versions, Go
# version, this script). When it matches the key saved with the last staged
# context and the image still carries that context's hash, staging is skipped.
source_key() {
  {
    echo "$1"; go version
    dpkg-query -W -f='${Package} ${Version}\n' prometheus prometheus-node-exporter 'postgresql-[0-9]*' haproxy libc6 2>/dev/null || true
    cat "${BASH_SOURCE[0]}"
    [ "$1" != scheduler ] || sha256sum "$(readlink -f "$SUPERCRONIC_BIN")" /bin/sh 2>/dev/null || true
    find "$ROOT/images" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

build_one() {
  local name="$1" ctx="$STAGE/$1" tag="$TAG_PREFIX/$1:$TAG_SUFFIX" t0 hash current key
  t0=$(date +%s)
  key="$(source_key "$name")"
  current="$(docker image inspect --format '{{ index .Config.Labels "sparky.input-hash" }}' "$tag" 2>/dev/null || true)"
  if [ -n "$current" ] && [ -f "$ctx.key" ] && [ "$(cat "$ctx.key")" = "$key $current" ]; then
    say "$tag up to date (sources unchanged, input ${current:0:12})"
    return 0
  fi
  stage "$name" "$ctx"
  hash="$(context_hash "$ctx")"
  if [ "$current" = "$hash" ]; then
    echo "$key $hash" >"$ctx.key"
    say "$tag up to date (input ${hash:0:12})"
    return 0
  fi
  say "building $tag (input ${hash:0:12}${current:+, was ${current:0:12}})"
  # The legacy builder needs no buildx plugin and pulls nothing for FROM scratch.
  local log="$STAGE/$name.build.log"
  if ! DOCKER_BUILDKIT=0 timeout "$BUILD_TIMEOUT" docker build \
    --label "sparky.input-hash=$hash" \
    --label "org.opencontainers.image.source=sparky-infra/images/$name" \
    -t "$tag" "$ctx" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "docker build of $tag failed (log: $log)"
  fi
  echo "$key $hash" >"$ctx.key"
  say "built $tag in $(( $(date +%s) - t0 ))s"
}

names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${ALL[@]}")
for n in "${names[@]}"; do build_one "$n"; done
docker image ls --filter "reference=$TAG_PREFIX/*" --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' >&2
