#!/usr/bin/env bash
# After a failed deploy: name every sparky container that is not healthy and show its last log lines.
set -uo pipefail
found=0 seen=0
while read -r id name; do
  [ -n "$id" ] || continue
  seen=1
  health="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}no healthcheck{{end}} ({{.State.Status}})' "$id" 2>/dev/null)"
  case "$health" in healthy*) continue ;; esac
  found=1
  echo "sparky-infra: container ${name} is ${health}; last log lines:" >&2
  docker logs --tail "${SPARKY_LOG_LINES:-20}" "$id" 2>&1 | sed 's/^/    /' >&2
done < <(docker ps -a --filter label=sparky.owner --format '{{.ID}} {{.Names}}' 2>/dev/null)
if [ "$seen" = 0 ]; then echo "sparky-infra: no sparky container exists yet; the failure is in the output above." >&2
elif [ "$found" = 0 ]; then echo "sparky-infra: every sparky container is healthy; the failure is in the output above." >&2; fi
