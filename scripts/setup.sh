#!/usr/bin/env bash
# Brings a fresh checkout to a working state: npm packages, Debian packages the tests use, the pinned engine and
# providers, the pinned tools, a running Docker engine and the locally built images. Idempotent: a warm rerun
# takes seconds. SPARKY_SKIP_DOCKER=1 skips the engine and the images (a machine without Docker).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }

step "npm packages"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules matches package-lock.json"
fi

step "Debian packages (sshd, PostgreSQL, hyperfine, Docker, Prometheus, node-exporter, HAProxy)"
# The end-to-end suites start their own sshd and PostgreSQL on 127.0.0.1; the benchmarks use hyperfine; the local
# images are assembled from Debian's Prometheus, node-exporter, PostgreSQL and HAProxy.
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ "${SPARKY_SKIP_DOCKER:-0}" != 1 ] && ! command -v dockerd >/dev/null; then missing+=(docker.io); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "present"
fi

step "engine, providers and tools (just, actionlint, docker compose, docker-read-proxy)"
# Both mostly build Go modules; side by side, one's downloads overlap the other's compiling.
bash scripts/setup-tools.sh &
tools=$!
toolchain_status=0
bash scripts/setup-toolchain.sh || toolchain_status=$?
tools_status=0
wait "$tools" || tools_status=$?
[ "$toolchain_status" = 0 ] && [ "$tools_status" = 0 ] || { echo "setup failed (toolchain: $toolchain_status, tools: $tools_status)" >&2; exit 1; }

if [ "${SPARKY_SKIP_DOCKER:-0}" != 1 ]; then
  step "docker engine"
  bash scripts/docker-engine.sh
  step "local images"
  bash scripts/build-local-images.sh
fi
step "setup done"
