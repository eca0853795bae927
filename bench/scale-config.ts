// Generates a deployment config and project list of N dgx-pixels-sized projects spread over H hosts, for the
// synth-at-scale benchmark. Each copy gets its own id, container names, network and host ports so the model stays
// valid. `--local STATE_DIR` puts them all on this machine's engine instead (one host, "bench", local images, state
// in STATE_DIR), for the everyday loop at scale: there every healthcheck probes every 15 s instead of 30 s, so
// deploying 25 copies waits less for health (nothing a plan or a drift check does depends on the intervals). Not
// shorter: 75 probes every 2 s (each a process started in its container) held this 2-core machine at a load of 90.
//   node bin/run.js bench/scale-config.ts N H DIR [--local STATE_DIR]
import * as fs from "node:fs";
import * as path from "node:path";
import { dgxPixels } from "../blueprints/dgx-pixels";
import type { DeploymentConfigInput, ProjectInput } from "../constructs/model";

/** The local host's name in `--local` mode: its observability stack is `bench-observability`. */
export const LOCAL_SCALE_HOST = "bench";

export function scaledModel(projects: number, hosts: number): { config: DeploymentConfigInput; projects: ProjectInput[] } {
  const copies = Array.from({ length: projects }, (_, i) => {
    const p = structuredClone(dgxPixels) as ProjectInput & Record<string, any>;
    p.id = `pixels-${i + 1}`;
    p.repository = { ...p.repository, name: p.id };
    p.network = { name: `${p.id}-net` };
    // Projects on one host need distinct host ports: shift every port by 7 per copy already on that host
    // (7 keeps dgx-pixels' ports and the observability set's apart for up to 25 copies; validation checks it).
    const slot = Math.floor(i / hosts);
    for (const service of Object.values(p.services) as any[]) {
      // The reference's container names (dgx-pixels-backend, ...) would collide: each copy's are "<id>-<service>".
      delete service.containerName;
      service.ports = (service.ports ?? []).map((port: any) => ({ ...port, host: (port.host ?? port.container) + 7 * slot }));
    }
    // Alerts and dashboards name the copy's scrape jobs, and dashboard uids are unique per host.
    for (const key of ["alerts", "dashboards"]) if (p[key]) p[key] = JSON.parse(JSON.stringify(p[key]).replaceAll("dgx-pixels", p.id));
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

/** The same projects on this machine's engine with quick healthchecks, state in `stateDir`. */
export function localScaledModel(projects: number, stateDir: string): { config: DeploymentConfigInput; projects: ProjectInput[] } {
  const scaled = scaledModel(projects, 1);
  for (const p of scaled.projects)
    for (const service of Object.values(p.services) as any[])
      if (service.healthcheck) service.healthcheck = { ...service.healthcheck, interval: "15s", startPeriod: "1s" };
  const config: DeploymentConfigInput = {
    github: { owner: "bench" },
    hosts: {
      [LOCAL_SCALE_HOST]: {
        dockerHost: "unix:///var/run/docker.sock",
        gpus: false,
        arch: "amd64",
        projects: scaled.projects.map((p) => p.id),
      },
    },
    targets: {
      bench: { hosts: [LOCAL_SCALE_HOST], images: "local", allowGpuDowngrade: true, state: { backend: "local", directory: stateDir } },
    },
    defaultTarget: "bench",
  };
  return { config, projects: scaled.projects };
}

if (require.main === module) {
  const [projects = "1", hosts = "1", dir = ".", flag, stateDir] = process.argv.slice(2);
  const { config, projects: list } =
    flag === "--local" ? localScaledModel(Number(projects), path.resolve(stateDir)) : scaledModel(Number(projects), Number(hosts));
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, "projects.json"), JSON.stringify(list));
}
