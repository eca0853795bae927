// Tiny drift fixtures shared by test/e2e/drift-*.e2e.test.ts and bench/drift.ts: projects with unique ids, random
// host ports (20000-29999), no fixed subnet, no volumes, no GPU and no metrics (so no observability network), a
// private state directory and outdir. Only `<project>-services` stacks are ever deployed.
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DeploymentConfigInput, ProjectInput } from "../constructs/model";
import { tinyProject } from "./fixtures";

export interface DriftFixture {
  work: string;
  configFile: string;
  outdir: string;
  stateDir: string;
  projects: ProjectInput[];
  /** Env for synthesize: SPARKY_CONFIG and SPARKY_TARGET. */
  env: NodeJS.ProcessEnv;
}

/** A tiny project reduced to what a local drift test needs; `extraWorkers` adds containers for scaling runs. */
export function driftProject(id: string, extraWorkers = 0): ProjectInput {
  const p = tinyProject(id);
  p.network = { name: `${id}-net` };
  p.volumes = {};
  const ports = new Set<number>();
  const port = () => {
    let n = randomInt(20000, 30000);
    while (ports.has(n)) n = randomInt(20000, 30000);
    ports.add(n);
    return n;
  };
  const model = p.services.model;
  delete model.gpu;
  delete model.metrics;
  model.volumes = [];
  model.ports = [{ container: 8188, host: port() }];
  p.services.worker.ports = [{ container: 5555, host: port() }];
  for (let i = 1; i <= extraWorkers; i++)
    p.services[`extra${i}`] = {
      role: "backend",
      description: "extra worker",
      image: { ref: "example/worker:1.0" },
      ports: [{ container: 5555, host: port() }],
    };
  return p;
}

export function driftFixture(projects: ProjectInput[]): DriftFixture {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-drift-"));
  const stateDir = path.join(work, "state");
  const config: DeploymentConfigInput = {
    github: { owner: "acme" },
    hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: projects.map((p) => p.id) } },
    targets: { box: { hosts: ["box"], images: "local", state: { backend: "local", directory: stateDir } } },
    defaultTarget: "box",
  };
  const configFile = path.join(work, "sparky.config.json");
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { work, configFile, outdir: path.join(work, "out"), stateDir, projects, env: { SPARKY_CONFIG: configFile, SPARKY_TARGET: "box" } };
}
