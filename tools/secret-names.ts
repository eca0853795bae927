// Prints the environment variable names that feed sensitive Terraform variables, one per line.
import { loadModel } from "../stacks/load-model";
import { REPO_ROOT } from "./engine/toolchain";
import { hostObservabilityServices } from "../constructs/observability/host-services";

const model = loadModel(process.env, REPO_ROOT);
const names = new Set<string>();
const services = [
  ...model.projects.flatMap((p) => Object.values(p.services)),
  ...model.target.hosts.flatMap((h) => Object.values(hostObservabilityServices(h, model.config.hosts[h]))),
];
for (const s of services) for (const secret of s.secretEnv) names.add(secret.from);
for (const p of model.projects) for (const secret of p.repository.secrets) names.add(secret.from);
process.stdout.write([...names].join("\n") + (names.size ? "\n" : ""));
