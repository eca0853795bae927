// Regenerates the committed config helpers from the zod model (never edit them by hand):
//   config/sparky.config.schema.json  JSON Schema of sparky.config.json, for editor completion
//   sparky.config.example.json        the embedded default config, as a starting point
// `node bin/run.js tools/generate-config-files.ts`; test/config-files.test.ts fails when they are stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { DEFAULT_CONFIG } from "../config/default-config";
import { DeploymentConfigSchema } from "../constructs/model";
import { REPO_ROOT } from "./engine/toolchain";

export const SCHEMA_FILE = "config/sparky.config.schema.json";
export const EXAMPLE_FILE = "sparky.config.example.json";

export function renderConfigFiles(): Record<string, string> {
  const schema = z.toJSONSchema(DeploymentConfigSchema, { io: "input" });
  return {
    [SCHEMA_FILE]:
      JSON.stringify({ ...schema, title: "sparky-infra deployment config (generated from constructs/model/deployment.ts)" }, null, 2) +
      "\n",
    [EXAMPLE_FILE]: JSON.stringify({ $schema: `./${SCHEMA_FILE}`, ...DEFAULT_CONFIG }, null, 2) + "\n",
  };
}

if (require.main === module)
  for (const [file, content] of Object.entries(renderConfigFiles())) fs.writeFileSync(path.join(REPO_ROOT, file), content);
