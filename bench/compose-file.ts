// Writes the compose file equivalent to a project's services stack (support/compose-file.ts): the deploy benchmark's
// baseline. `node bin/run.js bench/compose-file.ts [project] [file]`.
import * as fs from "node:fs";
import { composeFileFor } from "../support/compose-file";
import { loadModel } from "../stacks/load-model";
import { REPO_ROOT } from "../tools/engine/toolchain";

if (require.main === module) {
  const [projectId = "dgx-pixels", file = "compose.yml"] = process.argv.slice(2);
  const host = loadModel(process.env, REPO_ROOT).hosts.find((h) => h.projects.some((p) => p.project.id === projectId));
  const placed = host?.projects.find((p) => p.project.id === projectId);
  if (!host || !placed) throw new Error(`project ${projectId} is not placed on any host of the target`);
  fs.writeFileSync(file, composeFileFor(placed, host.observability));
}
