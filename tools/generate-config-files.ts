// Regenerates everything derived from the zod model's documentation (never edit the results by hand):
//   config/sparky.config.schema.json  JSON Schema of sparky.config.json, for editor completion
//   sparky.config.example.json        the embedded default config, as a starting point
//   README.md, between its GENERATED markers: the config and project references, the role defaults and the secrets
// `node bin/run.js tools/generate-config-files.ts`; test/config-files.test.ts fails when any of them is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { DEFAULT_CONFIG } from "../config/default-config";
import { blueprints } from "../blueprints";
import { DeploymentConfigSchema, ProjectSchema, ROLE_DEFAULTS, SecretSource, secretSources } from "../constructs/model";
import { validateModel } from "../constructs/model/validate";
import { markdownTable, referenceRows, referenceTable } from "./docs/reference-table";
import { REPO_ROOT } from "./engine/toolchain";

export const SCHEMA_FILE = "config/sparky.config.schema.json";
export const EXAMPLE_FILE = "sparky.config.example.json";
export const README_FILE = "README.md";

/** Every target of the embedded default config's secrets, merged by variable name. */
function defaultSecrets(): SecretSource[] {
  const byName = new Map<string, SecretSource>();
  for (const target of Object.keys(DEFAULT_CONFIG.targets))
    for (const s of secretSources(validateModel(structuredClone(DEFAULT_CONFIG), blueprints, { target }))) {
      const seen = byName.get(s.name);
      byName.set(s.name, seen ? { ...seen, usedBy: [...new Set([...seen.usedBy, ...s.usedBy])] } : s);
    }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The README's generated sections, by marker name. */
export function readmeSections(): Record<string, string> {
  return {
    "config-reference": referenceTable(
      referenceRows(z.toJSONSchema(DeploymentConfigSchema, { io: "input" }) as object).filter((r) => r.path !== "$schema"),
    ),
    "project-reference": referenceTable(referenceRows(z.toJSONSchema(ProjectSchema, { io: "input" }) as object)),
    "role-defaults": markdownTable(
      ["role", "stopGraceSeconds", "shmSize", "readOnlyRootfs", "capDrop"],
      Object.entries(ROLE_DEFAULTS).map(([role, d]) => [
        `\`${role}\``,
        String(d.stopGraceSeconds),
        d.shmSize ?? "Docker's (64m)",
        String(d.readOnlyRootfs),
        d.capDrop.length ? d.capDrop.join(", ") : "none",
      ]),
    ),
    secrets: markdownTable(
      ["variable", "needed by", "what it is for"],
      defaultSecrets().map((s) => [`\`${s.name}\``, s.usedBy.map((u) => `\`${u}\``).join(", "), s.purpose]),
    ),
  };
}

/** README text with every GENERATED section replaced; throws when a marker pair is missing. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const [name, content] of Object.entries(readmeSections())) {
    const begin = `<!-- BEGIN GENERATED ${name}: node bin/run.js tools/generate-config-files.ts -->`;
    const end = `<!-- END GENERATED ${name} -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${README_FILE} lacks the markers of the generated section "${name}"`);
    text = `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
  }
  return text;
}

export function renderConfigFiles(): Record<string, string> {
  const schema = z.toJSONSchema(DeploymentConfigSchema, { io: "input" });
  return {
    [SCHEMA_FILE]:
      JSON.stringify({ ...schema, title: "sparky-infra deployment config (generated from constructs/model/deployment.ts)" }, null, 2) +
      "\n",
    [EXAMPLE_FILE]: JSON.stringify({ $schema: `./${SCHEMA_FILE}`, ...DEFAULT_CONFIG }, null, 2) + "\n",
    [README_FILE]: renderReadme(fs.readFileSync(path.join(REPO_ROOT, README_FILE), "utf8")),
  };
}

if (require.main === module)
  for (const [file, content] of Object.entries(renderConfigFiles())) fs.writeFileSync(path.join(REPO_ROOT, file), content);
