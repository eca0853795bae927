import * as fs from "node:fs";
import * as path from "node:path";
import { DeploymentConfigSchema } from "../constructs/model";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { EXAMPLE_FILE, readmeSections, renderConfigFiles } from "../tools/generate-config-files";

describe("generated config files", () => {
  test.each(Object.entries(renderConfigFiles()))(
    "%s is current (regenerate with node bin/run.js tools/generate-config-files.ts)",
    (file, content) => {
      expect(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")).toBe(content);
    },
  );

  test("every field of the config and the project model is documented", () => {
    const undocumented = Object.entries(readmeSections())
      .filter(([name]) => name.endsWith("-reference"))
      .flatMap(([, table]) => table.split("\n").filter((row) => /\|\s*\|$/.test(row)));
    expect(undocumented).toEqual([]);
  });

  test("the example config is valid", () => {
    const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, EXAMPLE_FILE), "utf8"));
    expect(DeploymentConfigSchema.safeParse(example).success).toBe(true);
  });
});
