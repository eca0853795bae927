#!/usr/bin/env bash
# `just bench`: every benchmark, each beside its baseline, several runs after a warm-up (hyperfine), medians
# and ratios in bench/results.md. Needs `just setup` (engine, Docker, local images, compose).
set -euo pipefail
# The deploys' state and plans (dummy secrets, but state all the same) are owner-only.
umask 077
cd "$(dirname "$0")/.."
source scripts/toolchain-env.sh
# Raw results stay in bench/.results (gitignored), so one section can be re-run and the report still has all.
work="$PWD/bench/.results"
mkdir -p "$work"
runs="${SPARKY_BENCH_RUNS:-5}"
sections="${*:-synth scale deploy plan-preview drift blueprints everyday everyday-scale}"
step() { printf '\n== %s\n' "$*" >&2; }
wants() { [[ " $sections " == *" $1 "* ]]; }
# What a section leaves running (emulator, sshd, deployments) is undone on exit, failed or not, last first.
cleanups=()
run_cleanups() { for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done; cleanups=(); }
trap run_cleanups EXIT
# The GitHub emulator for owner sparky-bench, its base URL in $1/emulator.url, stopped on exit.
start_emulator() {
  node bin/github-emulator.js --owner sparky-bench --token bench-github-token >"$1/emulator.url" 2>"$1/emulator.log" &
  cleanups+=("kill $! 2>/dev/null")
  for _ in $(seq 1 100); do [ -s "$1/emulator.url" ] && break; sleep 0.1; done
  [ -s "$1/emulator.url" ] || { echo "the GitHub emulator did not start: $(cat "$1/emulator.log")" >&2; exit 1; }
}
# The secrets and GitHub endpoints of the blueprints' stacks, for a config ($1) and an emulator ($2: its directory).
blueprint_env() {
  export SPARKY_CONFIG="$1" GRAFANA_ADMIN_PASSWORD="bench-grafana-$RANDOM" SPARKY_GH_TOKEN="bench-sparky-gh-token" \
    SPARKY_GITHUB_OWNER=sparky-bench SPARKY_GITHUB_BASE_URL="$(cat "$2/emulator.url")" GITHUB_TOKEN=bench-github-token
}
unset_blueprint_env() {
  unset SPARKY_CONFIG GRAFANA_ADMIN_PASSWORD SPARKY_GH_TOKEN SPARKY_GITHUB_OWNER SPARKY_GITHUB_BASE_URL GITHUB_TOKEN
}
# `docker compose up -d --wait` for file $1, where a one-shot job that ran to completion counts as done: compose
# reports its exit (even 0) as a failure once the rest is up, so then every container must be running (healthy
# where it has a healthcheck) or have exited 0.
compose_up() {
  docker compose -f "$1" up -d --wait && return 0
  ! docker compose -f "$1" ps -a --format '{{.State}} {{.ExitCode}} {{.Health}}' | grep -vqE '^(running 0 (healthy)?|exited 0 )$'
}
# The 1-, 5- and 15-minute load averages, recorded beside a section's results (other work on the machine shows there).
load() { cut -d' ' -f1-3 /proc/loadavg; }

if wants synth; then
step "synth: app process (esbuild bundle, no type-checking) vs the cdktf template's ts-node"
node bin/build.js main.ts .build/main.js
hyperfine --warmup 1 --runs "$runs" --export-json "$work/synth.json" \
  -n "sparky-infra app (node .build/main.js)" "CDKTF_OUTDIR=$work/out-a node .build/main.js" \
  -n "bundle + app (node bin/app.js, what cdktf runs)" "CDKTF_OUTDIR=$work/out-b node bin/app.js" \
  -n "cdktf template (ts-node main.ts)" "CDKTF_OUTDIR=$work/out-c npx --no-install ts-node main.ts" >&2

fi

if wants scale; then
step "synth at scale: N dgx-pixels-sized projects on H hosts (time and peak memory)"
: >"$work/scale.tsv"
for spec in 1:1 5:1 10:2 25:5; do
  n="${spec%%:*}" h="${spec##*:}"
  mkdir -p "$work/scale-$n"
  node bin/run.js bench/scale-config.ts "$n" "$h" "$work/scale-$n"
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/scale-$n.json" \
    "SPARKY_CONFIG=$work/scale-$n/config.json SPARKY_PROJECTS=$work/scale-$n/projects.json CDKTF_OUTDIR=$work/scale-$n/out node .build/main.js" >&2
  rss=$(SPARKY_CONFIG=$work/scale-$n/config.json SPARKY_PROJECTS=$work/scale-$n/projects.json CDKTF_OUTDIR=$work/scale-$n/out \
    /usr/bin/time -f %M node .build/main.js 2>&1 >/dev/null | tail -1)
  printf '%s\t%s\t%s\n' "$n" "$h" "$rss" >>"$work/scale.tsv"
done

fi

if wants deploy; then
step "deploy: dgx-pixels services on the local engine vs docker compose up -d --wait (same images)"
docker compose version >/dev/null || { echo "docker compose is missing: run scripts/setup.sh" >&2; exit 1; }
node bin/run.js bench/compose-file.ts dgx-pixels "$work/compose.yml"
node bin/run.js bench/deploy-prepare.ts "$work" >&2
stack="$work/deploy/stacks/dgx-pixels-services"
docker network inspect sparky-observability >/dev/null 2>&1 || docker network create sparky-observability >/dev/null
# Each timed run starts from nothing: --prepare tears the previous run down (untimed).
hyperfine --runs "${SPARKY_BENCH_DEPLOY_RUNS:-3}" --export-json "$work/deploy-sparky.json" \
  --prepare "cd $stack && tofu destroy -auto-approve -input=false >/dev/null" \
  -n "sparky-infra (tofu apply, then every container healthy)" \
  "cd $stack && tofu apply -auto-approve -input=false >/dev/null && bash $PWD/bench/wait-healthy.sh dgx-pixels" >&2
(cd "$stack" && tofu destroy -auto-approve -input=false >/dev/null)
hyperfine --runs "${SPARKY_BENCH_DEPLOY_RUNS:-3}" --export-json "$work/deploy-compose.json" \
  --prepare "docker compose -f $work/compose.yml down -v >/dev/null 2>&1" \
  -n "docker compose up -d --wait" "docker compose -f $work/compose.yml up -d --wait >/dev/null 2>&1" >&2
docker compose -f "$work/compose.yml" down -v >/dev/null 2>&1
(cd "$stack" && tofu apply -auto-approve -input=false >/dev/null)
hyperfine --warmup 1 --runs "$runs" --export-json "$work/noop.json" \
  -n "no-op redeploy (tofu apply, nothing to change)" "cd $stack && tofu apply -auto-approve -input=false >/dev/null" >&2
(cd "$stack" && tofu destroy -auto-approve -input=false >/dev/null)
docker network rm sparky-observability >/dev/null 2>&1 || true
fi

if wants plan-preview; then
  step "plan preview over growing numbers of stacks"
  { echo "## Plan preview (warm)"; echo; node bin/run.js bench/plan-preview.ts "$runs"; } >"$work/plan-preview.md"
fi

if wants drift; then
  step "drift check over growing numbers of stacks"
  { echo "## Drift check (warm)"; echo; node bin/run.js bench/drift.ts --runs "$runs"; } >"$work/drift.md"
fi

if wants blueprints; then
  step "plan preview and drift check over every stack of both blueprints: Docker stacks on the local engine, GitHub stacks on the emulator"
  bp="$work/blueprints"
  rm -rf "$bp" && mkdir -p "$bp"
  start_emulator "$bp"
  node bin/run.js bench/everyday-config.ts "$bp/config.json" "$bp/state"
  blueprint_env "$bp/config.json" "$bp"
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/plan-preview-blueprints.json" \
    -n "plan preview, all 5 stacks of both blueprints (nothing deployed)" \
    "node bin/run.js tools/plan-preview.ts --out $bp/preview >/dev/null 2>&1; test \$? = 2" >&2
  node bin/run.js tools/deploy.ts deploy local '*' --output "$bp/out" >"$bp/deploy.log" 2>&1
  count() { cat "$@" | node -e 'let n=0; for (const s of require("fs").readFileSync(0,"utf8").split(/(?=^\{)/m)) if (s.trim()) n+=JSON.parse(s).resources.filter(r=>r.mode==="managed").reduce((a,r)=>a+r.instances.length,0); console.log(n)'; }
  drift() { echo "node bin/run.js tools/drift.ts --outdir $bp/out --no-synth --stacks '$1' >/dev/null 2>&1"; }
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/drift-blueprints.json" \
    -n "drift check, all 5 stacks of both blueprints, deployed ($(count "$bp"/state/*.tfstate) resources)" "$(drift '*')" \
    -n "drift check, the 3 Docker stacks only ($(count "$bp"/state/*-services.tfstate "$bp"/state/*-observability.tfstate) resources)" \
    "$(drift '*-services,*-observability')" \
    -n "drift check, the 2 GitHub stacks only ($(count "$bp"/state/*-github.tfstate) resources)" "$(drift '*-github')" >&2
  node bin/run.js tools/deploy.ts destroy local '*' '*-github' --yes --output "$bp/out" >"$bp/destroy.log" 2>&1
  run_cleanups
  unset_blueprint_env
fi

if wants everyday; then
  step "the everyday loop, nothing changed: deploy, diff and drift beside docker compose's no-ops, locally and through ssh://"
  # Every stack of both blueprints deployed (GitHub stacks on the emulator), and beside them the equivalent compose
  # deployment under other names and ports (bench/compose-file.ts --beside), so one hyperfine run times both. The
  # same deployment is then reached through a test sshd on 127.0.0.1 (state copied per variant, as the endpoints
  # differ), with the model's default connection sharing and with it turned off.
  ev="$work/everyday"
  rm -rf "$ev" && mkdir -p "$ev"
  load >"$work/everyday.load"
  start_emulator "$ev"
  node bin/run.js bench/everyday-config.ts "$ev/config.json" "$ev/state"
  blueprint_env "$ev/config.json" "$ev"
  deploy() { node bin/run.js tools/deploy.ts "$@"; }
  cleanups+=("SPARKY_CONFIG=$ev/config.json node bin/run.js tools/deploy.ts destroy local '*' '*-github' --yes --output $ev/out >$ev/destroy.log 2>&1")
  deploy deploy local '*' --output "$ev/out" >"$ev/deploy.log" 2>&1 || { tail -30 "$ev/deploy.log" >&2; exit 1; }
  node bin/run.js bench/compose-file.ts --beside "$ev/compose" >"$ev/compose.list"
  mapfile -t composed <"$ev/compose.list"
  # Down in reverse: the observability set's network goes once no project is attached to it.
  cleanups+=("for f in $(printf '%s\n' "${composed[@]}" | tac | tr '\n' ' '); do docker compose -f \$f down -v >/dev/null 2>&1; done")
  compose_up "${composed[0]}" >"$ev/compose.log" 2>&1
  ups=()
  for f in "${composed[@]:1}"; do
    compose_up "$f" >>"$ev/compose.log" 2>&1 &
    ups+=($!)
  done
  for pid in "${ups[@]}"; do wait "$pid" || { tail -30 "$ev/compose.log" >&2; exit 1; }; done
  compose_all="for f in ${composed[*]}; do docker compose -f \$f up -d >/dev/null 2>&1 || exit 1; done"

  node bin/run.js bench/sshd.ts "$ev/sshd" >"$ev/sshd.log" 2>&1 &
  cleanups+=("kill $! 2>/dev/null; sleep 1")
  for _ in $(seq 1 100); do [ -s "$ev/sshd/sshd.json" ] && break; sleep 0.2; done
  [ -s "$ev/sshd/sshd.json" ] || { echo "the benchmark sshd did not start: $(cat "$ev/sshd.log")" >&2; exit 1; }
  for variant in shared unshared; do
    cp -r "$ev/state" "$ev/state-$variant"
    node bin/run.js bench/everyday-config.ts "$ev/config-$variant.json" "$ev/state-$variant" --ssh "$ev/sshd/sshd.json" \
      $([ "$variant" = unshared ] && echo --no-sharing)
    # The endpoints output names the ssh tunnel: the variant's first deploy records it (outputs only).
    SPARKY_CONFIG="$ev/config-$variant.json" deploy deploy local '*-services *-observability' --output "$ev/out-$variant" \
      >"$ev/deploy-$variant.log" 2>&1 || { tail -30 "$ev/deploy-$variant.log" >&2; exit 1; }
  done
  ssh_cmd() { echo "SPARKY_CONFIG=$ev/config-$1.json just $2 local $3 --output $ev/out-$1 >/dev/null 2>&1"; }
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/everyday.json" \
    -n "compose: dgx-pixels, nothing changed (docker compose up -d)" "docker compose -f $ev/compose/dgx-pixels-services.yml up -d >/dev/null 2>&1" \
    -n "compose: the 3 Docker stacks' files one after another, nothing changed" "$compose_all" \
    -n "just deploy local dgx-pixels-services, nothing changed" "just deploy local dgx-pixels-services --output $ev/out >/dev/null 2>&1" \
    -n "just diff local, the 3 Docker stacks, nothing changed" "just diff local '*-services *-observability' --output $ev/out >/dev/null 2>&1" \
    -n "just drift, all 5 stacks of both blueprints (deployed; GitHub on the emulator)" "just drift --outdir $ev/out >/dev/null 2>&1" \
    -n "ssh://, shared connection (default): just deploy dgx-pixels-services" "$(ssh_cmd shared deploy dgx-pixels-services)" \
    -n "ssh://, shared connection (default): just diff, the 3 Docker stacks" "$(ssh_cmd shared diff "'*-services *-observability'")" \
    -n "ssh://, ControlMaster=no: just deploy dgx-pixels-services" "$(ssh_cmd unshared deploy dgx-pixels-services)" \
    -n "ssh://, ControlMaster=no: just diff, the 3 Docker stacks" "$(ssh_cmd unshared diff "'*-services *-observability'")" >&2

  # Where a no-op deploy's time goes: the tool's start, the synth it runs in process, and the engine runs a plan of
  # the services stack makes (state identity, then a plan without or with the refresh the fingerprint saves).
  node bin/build.js main.ts .build/main.js
  in_stack="cd $ev/out/stacks/dgx-pixels-services &&"
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/everyday-parts.json" \
    -n "tool start (node bin/run.js tools/deploy.ts --help)" "node bin/run.js tools/deploy.ts --help >/dev/null" \
    -n "synth of the 5 stacks (the app alone)" "CDKTF_OUTDIR=$ev/synth-only node .build/main.js >/dev/null 2>&1" \
    -n "tofu state pull, dgx-pixels-services (its state's identity)" "$in_stack tofu state pull >/dev/null" \
    -n "tofu plan -refresh=false, dgx-pixels-services (the plan of a skip)" \
    "$in_stack tofu plan -refresh=false -lock=false -input=false >/dev/null" \
    -n "tofu plan with refresh, dgx-pixels-services (what the skip saves)" "$in_stack tofu plan -lock=false -input=false >/dev/null" \
    -n "just drift, local-observability alone (the floor of a drift check: the provider's waits, see below)" \
    "just drift --outdir $ev/out --stacks local-observability >/dev/null 2>&1" >&2

  # What a no-op diff says per stack (its progress lines): whether each stack's plan skipped the refresh.
  just diff local '*-services *-observability' --output "$ev/out" 2>&1 >/dev/null | grep -E '^\[diff\] .*(no changes|planned|failed)' |
    sed -E 's/ [0-9.]+ s / /' >"$work/everyday-diff.txt" || true
  # SSH connections (logins) and sessions per run, from the sshd's log (LogLevel VERBOSE); "first" after the
  # shared connection was closed, "again" while it is open.
  sshd_log="$ev/sshd/sshd.log"
  count_ssh() {
    local label="$1" logins sessions
    shift
    logins=$(grep -c "Accepted publickey" "$sshd_log" || true) sessions=$(grep -c "Starting session" "$sshd_log" || true)
    eval "$*"
    sleep 1
    printf '%s\t%s\t%s\n' "$label" $(($(grep -c "Accepted publickey" "$sshd_log") - logins)) \
      $(($(grep -c "Starting session" "$sshd_log") - sessions)) >>"$work/everyday-ssh.tsv"
  }
  : >"$work/everyday-ssh.tsv"
  for what in deploy diff; do
    stacks=$([ "$what" = deploy ] && echo dgx-pixels-services || echo "'*-services *-observability'")
    node bin/run.js bench/sshd.ts close "$ev/sshd"
    count_ssh "shared (default), first run: just $what" "$(ssh_cmd shared "$what" "$stacks")"
    count_ssh "shared (default), again: just $what" "$(ssh_cmd shared "$what" "$stacks")"
    count_ssh "ControlMaster=no: just $what" "$(ssh_cmd unshared "$what" "$stacks")"
  done
  run_cleanups
  unset_blueprint_env
  load >>"$work/everyday.load"
fi

if wants everyday-scale; then
  step "the everyday loop from 1 to 25 dgx-pixels-sized projects on this machine's engine: diff and drift of their services stacks"
  sc="$work/everyday-scale"
  rm -rf "$sc" && mkdir -p "$sc"
  load >"$work/everyday-scale.load"
  counts=(1 5 10 25)
  for n in "${counts[@]}"; do
    mkdir -p "$sc/$n"
    node bin/run.js bench/scale-config.ts "$n" 1 "$sc/$n" --local "$sc/state"
  done
  top="${counts[-1]}"
  export GRAFANA_ADMIN_PASSWORD="bench-grafana-$RANDOM"
  scale_cmd() { echo "SPARKY_CONFIG=$sc/$1/config.json SPARKY_PROJECTS=$sc/$1/projects.json just $2"; }
  # A destroy keeps volumes (their data): the benchmark's own go after it (cleanups run last first).
  cleanups+=("docker volume ls -q | grep -E '^(pixels-[0-9]+|bench-obs)-' | xargs -r docker volume rm >/dev/null")
  cleanups+=("$(scale_cmd "$top" "destroy bench '*-services *-observability' --yes --output $sc/out-$top") >$sc/destroy.log 2>&1")
  eval "$(scale_cmd "$top" "deploy bench '*-services *-observability' --output $sc/out-$top")" >"$sc/deploy.log" 2>&1 ||
    { tail -30 "$sc/deploy.log" >&2; exit 1; }
  args=()
  for n in "${counts[@]}"; do
    args+=(-n "just diff, $n project(s): their services stacks" "$(scale_cmd "$n" "diff bench '*-services' --output $sc/out-$n") >/dev/null 2>&1")
    args+=(-n "just drift, $n project(s): their services stacks" "$(scale_cmd "$n" "drift --outdir $sc/out-$n --stacks '*-services'") >/dev/null 2>&1")
  done
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/everyday-scale.json" "${args[@]}" >&2
  run_cleanups
  unset GRAFANA_ADMIN_PASSWORD
  load >>"$work/everyday-scale.load"
fi

node bin/run.js bench/report.ts "$work" > bench/results.md
cat bench/results.md
