#!/usr/bin/env bash
# Ensure a local Docker engine answers `docker info`.
#
#   scripts/docker-engine.sh          # start (or reuse) the engine
#   scripts/docker-engine.sh status   # exit 0 when the engine answers, 1 otherwise
#   scripts/docker-engine.sh stop     # stop an engine this script started (pidfile)
#
# Behaviour:
#   * if `docker info` already answers, nothing is done;
#   * otherwise Debian's docker.io is installed when dockerd is missing, and dockerd is
#     started in the background (log: $SPARKY_DOCKERD_LOG, pidfile: $SPARKY_DOCKERD_PIDFILE);
#   * the wait for the daemon is bounded ($SPARKY_DOCKERD_WAIT seconds, 1 s steps);
#   * a plain start is tried first; when the log shows the sandbox refusing iptables/NAT,
#     the daemon is restarted with fallbacks (see start_with_fallbacks).
set -euo pipefail

LOG="${SPARKY_DOCKERD_LOG:-/var/log/sparky-dockerd.log}"
PIDFILE="${SPARKY_DOCKERD_PIDFILE:-/var/run/sparky-dockerd.pid}"
WAIT="${SPARKY_DOCKERD_WAIT:-60}"
# The engine started here always listens on the default socket so that the
# kreuzwerker/docker provider (host = unix:///var/run/docker.sock) reaches it.
SOCK=/var/run/docker.sock

say() { printf '[docker-engine] %s\n' "$*" >&2; }

engine_up() { timeout 10 docker info >/dev/null 2>&1; }

sudo_maybe() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# node-exporter mounts the host root with rslave propagation, which needs / to be a shared mount. systemd
# hosts (the DGX) already have that; containers and minimal sandboxes often mount / private.
ensure_shared_root() {
  if command -v findmnt >/dev/null 2>&1 && [ "$(findmnt -no PROPAGATION / 2>/dev/null)" = private ]; then
    say "making / a shared mount (needed for rslave bind mounts)"
    sudo_maybe mount --make-rshared / || say "warning: could not make / shared; rslave mounts will fail"
  fi
}

ensure_packages() {
  if command -v dockerd >/dev/null 2>&1 && command -v containerd >/dev/null 2>&1; then return 0; fi
  say "dockerd missing: installing Debian docker.io (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  sudo_maybe apt-get update -qq
  sudo_maybe apt-get install -y -qq docker.io >/dev/null
  command -v dockerd >/dev/null 2>&1 || { say "dockerd still missing after apt-get install docker.io"; exit 1; }
}

stop_engine() {
  if [ -f "$PIDFILE" ]; then
    local pid; pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping dockerd pid $pid"
      kill "$pid" || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    fi
    rm -f "$PIDFILE"
  fi
}

wait_engine() {
  local pid="$1" i
  for i in $(seq 1 "$WAIT"); do
    if engine_up; then say "engine answers after ${i}s (pid $pid, log $LOG)"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then say "dockerd exited early (see $LOG)"; return 1; fi
    sleep 1
  done
  say "engine did not answer within ${WAIT}s (see $LOG)"
  return 1
}

start_dockerd() {
  # $@: extra dockerd flags
  mkdir -p "$(dirname "$LOG")" "$(dirname "$PIDFILE")"
  rm -f "$PIDFILE"
  {
    echo "=== $(date -u +%FT%TZ) starting dockerd $*"
  } >>"$LOG"
  # setsid: keep the daemon out of the caller's process group so that a test
  # runner killing its own group does not take the engine down.
  setsid dockerd --host="unix://$SOCK" --pidfile="$PIDFILE" "$@" >>"$LOG" 2>&1 </dev/null &
  local pid=$!
  wait_engine "$pid"
}

# Does a bridge network with a published loopback port actually work?
smoke_bridge() {
  docker network inspect sparky-engine-smoke >/dev/null 2>&1 || \
    docker network create sparky-engine-smoke >/dev/null 2>&1 || return 1
  docker network rm sparky-engine-smoke >/dev/null 2>&1 || true
  return 0
}

start_with_fallbacks() {
  if start_dockerd; then return 0; fi
  local tail_log; tail_log="$(tail -n 60 "$LOG" || true)"
  stop_engine
  # Fallback 1: the kernel/netfilter in some sandboxes refuses iptables rules.
  if grep -qiE 'iptables|nat|netfilter|xtables' <<<"$tail_log"; then
    say "log mentions iptables/NAT trouble: retrying with --iptables=false --ip6tables=false (userland proxy keeps -p 127.0.0.1:X:Y working)"
    if start_dockerd --iptables=false --ip6tables=false --userland-proxy=true; then return 0; fi
    tail_log="$(tail -n 60 "$LOG" || true)"; stop_engine
  fi
  # Fallback 2: storage driver trouble (overlay on overlay, etc.).
  if grep -qiE 'overlay|storage-driver|graphdriver' <<<"$tail_log"; then
    say "log mentions storage driver trouble: retrying with --storage-driver=vfs"
    if start_dockerd --storage-driver=vfs; then return 0; fi
    stop_engine
  fi
  say "could not start dockerd; last log lines:"; tail -n 30 "$LOG" >&2 || true
  return 1
}

case "${1:-start}" in
  status) engine_up; exit $? ;;
  stop) stop_engine; exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|status|stop]" >&2; exit 2 ;;
esac

ensure_shared_root
if engine_up; then
  say "docker engine already answers: nothing to do"
  exit 0
fi
ensure_packages
# A stale pidfile or socket from a killed daemon makes dockerd refuse to start.
if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then rm -f "$PIDFILE"; fi
if [ -S "$SOCK" ] && ! engine_up; then rm -f "$SOCK"; fi
start_with_fallbacks
smoke_bridge || say "warning: could not create a bridge network"
docker version --format 'docker engine {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}' >&2 || true
