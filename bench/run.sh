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
sections="${*:-synth scale deploy plan-preview drift blueprints}"
step() { printf '\n== %s\n' "$*" >&2; }
wants() { [[ " $sections " == *" $1 "* ]]; }

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
  node bin/github-emulator.js --owner sparky-bench --token bench-github-token >"$bp/emulator.url" 2>"$bp/emulator.log" &
  emulator=$!
  trap 'kill "$emulator" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do [ -s "$bp/emulator.url" ] && break; sleep 0.1; done
  [ -s "$bp/emulator.url" ] || { echo "the GitHub emulator did not start: $(cat "$bp/emulator.log")" >&2; exit 1; }
  node -e 'const c=require(process.argv[1]); c.targets.local.state={backend:"local",directory:process.argv[2]}; process.stdout.write(JSON.stringify(c))' \
    "$PWD/sparky.config.example.json" "$bp/state" >"$bp/config.json"
  export SPARKY_CONFIG="$bp/config.json" GRAFANA_ADMIN_PASSWORD="bench-grafana-$RANDOM" SPARKY_GH_TOKEN="bench-sparky-gh-token" \
    SPARKY_GITHUB_OWNER=sparky-bench SPARKY_GITHUB_BASE_URL="$(cat "$bp/emulator.url")" GITHUB_TOKEN=bench-github-token
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
  kill "$emulator" && trap - EXIT
  unset SPARKY_CONFIG GRAFANA_ADMIN_PASSWORD SPARKY_GH_TOKEN SPARKY_GITHUB_OWNER SPARKY_GITHUB_BASE_URL GITHUB_TOKEN
fi

node bin/run.js bench/report.ts "$work" > bench/results.md
cat bench/results.md
