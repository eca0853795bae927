// `just cluster-labels [target]`: writes the node labels a cluster target's placement reads (sparky.host, gpu, arch,
// memory, public and the cluster's own) onto its swarm's nodes, through the manager. Each host's engine names its own
// node, so the config's host names need not match the machines' hostnames. Idempotent; `--check` only reports.
import { loadModel } from "../stacks/load-model";
import { InputError, parseCommandLine } from "./engine/args";
import { runCli } from "./engine/cli";
import { applyNodeLabels, nodeLabelStates } from "./engine/cluster";
import { REPO_ROOT } from "./engine/toolchain";

const USAGE = `usage: cluster-labels [TARGET] [--check]
  TARGET   a target that deploys to a cluster (default: SPARKY_TARGET, else the config's defaultTarget)
  --check  report the labels each node lacks; change nothing (exit 1 when one lacks any)`;

async function main(): Promise<number> {
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), { check: { type: "boolean" } }, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [target] = positionals;
  const model = loadModel({ ...process.env, ...(target ? { SPARKY_TARGET: target } : {}) }, REPO_ROOT);
  const cluster = model.hosts[0]?.cluster;
  if (!cluster) throw new InputError(`target ${model.targetName} does not deploy to a cluster (targets.${model.targetName}.cluster)`);
  const states = nodeLabelStates(cluster);
  for (const s of states) {
    const missing = Object.entries(s.missing).map(([k, v]) => `${k}=${v}`);
    const what = s.problem ?? (missing.length === 0 ? "labelled" : `${values.check ? "lacks" : "labelling"} ${missing.join(", ")}`);
    process.stdout.write(`${s.host}${s.nodeId ? ` (node ${s.nodeId})` : ""}: ${what}\n`);
  }
  if (values.check) return states.some((s) => s.problem || Object.keys(s.missing).length > 0) ? 1 : 0;
  const failed = applyNodeLabels(cluster, states);
  for (const f of failed) process.stderr.write(`cluster-labels: ${f}\n`);
  return failed.length > 0 ? 1 : 0;
}

runCli("cluster-labels", main);
