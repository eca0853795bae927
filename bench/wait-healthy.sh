#!/usr/bin/env bash
# Waits (at most $2 seconds, default 300) until every container of owner $1 is running and, where it has a
# healthcheck, healthy: the same end point as `docker compose up --wait`.
set -euo pipefail
owner="$1" deadline=$(( $(date +%s) + ${2:-300} ))
while :; do
  states="$(docker ps -a --filter "label=sparky.owner=$owner" --format '{{.ID}}' |
    xargs -r docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}')"
  if [ -n "$states" ] && ! grep -qvE '^running/(healthy|none)$' <<<"$states"; then exit 0; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "not healthy in time: $states" >&2; exit 1; fi
  sleep 0.5
done
