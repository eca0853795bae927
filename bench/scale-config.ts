// Generates a deployment config and project list of N dgx-pixels-sized projects spread over H hosts, for the
// synth-at-scale benchmark. Each copy gets its own id, network and host ports so the model stays valid.
import * as fs from "node:fs";
import * as path from "node:path";
import { dgxPixels } from "../blueprints/dgx-pixels";
import type { DeploymentConfigInput, ProjectInput } from "../constructs/model";

export function scaledModel(projects: number, hosts: number): { config: DeploymentConfigInput; projects: ProjectInput[] } {
  const copies = Array.from({ length: projects }, (_, i) => {
    const p = structuredClone(dgxPixels) as ProjectInput & Record<string, any>;
    p.id = `pixels-${i + 1}`;
    p.repository = { ...p.repository, name: p.id };
    p.network = { name: `${p.id}-net` };
    // Projects on one host need distinct host ports: shift every port by 7 per copy already on that host
    // (7 keeps dgx-pixels' ports and the observability set's apart for up to 25 copies; validation checks it).
    const slot = Math.floor(i / hosts);
    for (const service of Object.values(p.services) as any[])
      service.ports = (service.ports ?? []).map((port: any) => ({ ...port, host: (port.host ?? port.container) + 7 * slot }));
    for (const group of p.alerts ?? [])
      for (const rule of group.rules) rule.expr = rule.expr.replaceAll('job="dgx-pixels-', `job="${p.id}-`);
    return p;
  });
  const hostNames = Array.from({ length: hosts }, (_, h) => `host-${h + 1}`);
  const config: DeploymentConfigInput = {
    github: { owner: "bench" },
    hosts: Object.fromEntries(
      hostNames.map((name, h) => [
        name,
        {
          dockerHost: `ssh://bench@${name}`,
          gpus: true,
          arch: "arm64",
          projects: copies.filter((_, i) => i % hosts === h).map((p) => p.id),
        },
      ]),
    ),
    targets: { bench: { hosts: hostNames, images: "production" } },
    defaultTarget: "bench",
  };
  return { config, projects: copies };
}

if (require.main === module) {
  const [projects = "1", hosts = "1", dir = "."] = process.argv.slice(2);
  const { config, projects: list } = scaledModel(Number(projects), Number(hosts));
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, "projects.json"), JSON.stringify(list));
}
