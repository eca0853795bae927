# sparky-infra tasks. `just --list` shows them all.
set shell := ["bash", "-euo", "pipefail", "-c"]

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
    bash scripts/validate-stacks.sh
    bash scripts/actionlint.sh

# Format TypeScript and JSON
fmt:
    npx prettier --write "**/*.{ts,js,json}" --log-level warn

# Print a project's workstream DAG as Mermaid (default: dgx-pixels)
graph project="dgx-pixels":
    node bin/run.js tools/graph.ts {{project}}

# Deploy a target's stacks (default: every stack of the config's defaultTarget), e.g. `just deploy dgx '*-services'`
deploy target="" stacks="*":
    set -f; bash scripts/cdktf.sh {{target}} deploy --auto-approve {{stacks}}

# Show what a deploy would change, stack by stack
diff target="" stacks="*":
    set -f; bash scripts/cdktf.sh {{target}} diff {{stacks}}

# Destroy a target's stacks
destroy target="" stacks="*":
    set -f; bash scripts/cdktf.sh {{target}} destroy --auto-approve {{stacks}}

# Plan every stack and render one PR comment (exit 0 no changes, 2 changes, 1 error); `apply --from DIR` applies it
plan-preview *args:
    node bin/run.js tools/plan-preview.ts {{args}}

# Report drift per stack (exit 0 clean, 2 drift, 1 error); `just drift reconcile --restore|--accept` repairs it
drift *args:
    node bin/run.js tools/drift.ts {{args}}

# Run the benchmarks and rewrite bench/results.md
bench:
    bash bench/run.sh
