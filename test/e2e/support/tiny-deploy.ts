// Small, uniquely named projects for suites that deploy next to others on one Docker engine.
import * as fs from "node:fs";
import * as path from "node:path";
import { tinyProject, uniqueId } from "../../../support/fixtures";
import { freePort } from "../../../support/tcp";

/**
 * A two-service project (model + health-gated worker) without metrics, so it needs no observability stack,
 * on free host ports. `startDelay` makes the model slow to become healthy (the stand-in waits before listening).
 */
export async function uniqueTinyProject(prefix: string, startDelay = "0s"): Promise<any> {
  const id = uniqueId(prefix);
  const project: any = tinyProject(id);
  const [modelPort, workerPort] = [await freePort(), await freePort()];
  project.network = { name: `${id}-net` };
  delete project.services.model.metrics;
  delete project.services.model.gpu; // the test machine has no GPU
  project.services.model.ports = [{ container: 8188, host: modelPort }];
  project.services.model.env = { STANDIN_START_DELAY: startDelay };
  project.services.model.healthcheck = {
    ...project.services.model.healthcheck,
    interval: "1s",
    timeout: "2s",
    startPeriod: "1s",
    retries: 20,
  };
  project.services.worker.ports = [{ container: 5555, host: workerPort }];
  return project;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}
