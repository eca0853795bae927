# sparky-infra tasks. `just --list` shows them all.
set shell := ["bash", "-euo", "pipefail", "-c"]
# Arguments reach recipes as "$1", "$@": never pasted into a command line, so no argument is run as shell.
set positional-arguments

default:
    @just --list

# Install npm packages, build the pinned engine and providers, start Docker, build local images
setup:
    bash scripts/setup.sh

# Synthesize every stack into cdktf.out (no credentials, network or Docker needed)
synth:
    node bin/app.js

# Type-check, then run every test (unit and end-to-end)
test:
    npm test

# Unit tests only (no Docker, no engine)
test-unit:
    npx jest --testPathIgnorePatterns test/e2e

# Type-check and validate every synthesized stack with the engine
lint: synth
    npx tsc --noEmit -p .
    npx prettier --check "**/*.{ts,js,json}" --log-level warn
    node bin/run.js tools/validate-stacks.ts
    bash scripts/actionlint.sh

# Format TypeScript and JSON
fmt:
    npx prettier --write "**/*.{ts,js,json}" --log-level warn

# Print a project's workstream DAG as Mermaid (default: dgx-pixels)
graph project="dgx-pixels":
    node bin/run.js tools/graph.ts "$1"

# Deploy a target's stacks (default: every stack of the config's defaultTarget), e.g. `just deploy dgx '*-services'`
deploy target="" stacks="" *flags:
    node bin/run.js tools/deploy.ts deploy "$@"

# Show what a deploy would change (exit 0 no changes, 2 changes, 1 error)
diff target="" stacks="" *flags:
    node bin/run.js tools/deploy.ts diff "$@"

# Destroy a target's stacks, never a *-github stack unless named (that archives the repository and forgets the rest); asks first (--yes in CI)
destroy target="" stacks="" *flags:
    node bin/run.js tools/deploy.ts destroy "$@"

# Where everything a target deployed is reached: service, URL, loopback-only, ssh -L (e.g. `just urls dgx`)
urls target="" *stacks:
    node bin/run.js tools/urls.ts "$@"

# Forward the loopback-only ports of the target's ssh:// hosts here; Ctrl-C closes them
tunnel target="" *stacks:
    node bin/run.js tools/tunnel.ts "$@"

# Label a cluster target's swarm nodes as its placement needs (sparky.host, gpu, arch, memory, public); --check only reports
cluster-labels target="" *flags:
    node bin/run.js tools/cluster-labels.ts "$@"

# The target's containers (by their real names), their state and ports
ps target="":
    node bin/run.js tools/ops.ts ps "$@"

# State and health of the target's containers (exit 1 when one is not running and healthy)
health target="" *services:
    node bin/run.js tools/ops.ts health "$@"

# A container's last log lines, e.g. `just logs dgx backend-worker --follow`
logs target service *flags:
    node bin/run.js tools/ops.ts logs "$@"

# Restart services of a target, e.g. `just restart dgx comfyui`
restart target +services:
    node bin/run.js tools/ops.ts restart "$@"

# nvidia-smi on the target's GPU hosts
gpu-status target="":
    node bin/run.js tools/ops.ts gpu-status "$@"

# Write adoption/<project>.json: the existing GitHub objects the stacks take over (confirm the proposals, then deploy)
adopt *args:
    node bin/run.js tools/adopt.ts "$@"

# Plan every stack and render one PR comment (exit 0 no changes, 2 changes, 1 error); `apply --from DIR` applies it
plan-preview *args:
    node bin/run.js tools/plan-preview.ts "$@"

# Report drift per stack (exit 0 clean, 2 drift, 1 error); `just drift reconcile --restore|--accept` repairs it
drift *args:
    node bin/run.js tools/drift.ts "$@"

# Run the benchmarks and rewrite bench/results.md
bench:
    bash bench/run.sh

# The tunnel to a target's state server for cdktf or tofu: `just state-tunnel dgx -- npx cdktf deploy sparky-services`
state-tunnel *args:
    node bin/run.js tools/state-tunnel.ts "$@"
