#!/usr/bin/env bash
# Brings a fresh checkout to a working state: npm packages, the pinned engine and providers, a running
# Docker engine and the locally built images. Idempotent: a warm rerun takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "npm packages"
# `npm ci` would reject the lock file: this registry does not serve rust-just's other-platform binaries,
# so they cannot be recorded in it. `npm install` installs exactly the locked versions that exist.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
else
  echo "node_modules is current"
fi

step "test services (sshd, PostgreSQL, hyperfine)"
# The end-to-end suites start their own sshd and PostgreSQL on 127.0.0.1; the benchmarks use hyperfine.
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v hyperfine >/dev/null || missing+=(hyperfine)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "present"
fi

step "engine and providers"
bash scripts/setup-toolchain.sh

if [ "${SPARKY_SKIP_DOCKER:-0}" != 1 ]; then
  step "docker engine"
  bash scripts/docker-engine.sh
  step "local images"
  bash scripts/build-local-images.sh
fi
