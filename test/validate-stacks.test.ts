import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesize } from "../stacks/synthesize";
import { toolchainEnv, REPO_ROOT } from "../tools/engine/toolchain";
import { missingProviders, validateStacks } from "../tools/validate-stacks";

// Static check with the real engine and providers: every synthesized stack of the default config validates.
describe("tofu validate on every synthesized stack", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-validate-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("every stack of both targets is valid; stacks whose provider cannot be built here are reported, not hidden", async () => {
    const results = [];
    for (const target of ["local", "dgx"]) {
      const dir = path.join(outdir, target);
      synthesize({ env: { ...toolchainEnv(), SPARKY_TARGET: target }, projectRoot: REPO_ROOT, outdir: dir });
      results.push(...(await validateStacks(dir)));
    }
    const validated = results.filter((r) => !r.skipped);
    expect(missingProviders().has("docker")).toBe(false);
    const expected = ["dgx-observability", "local-observability"];
    // Each target places both projects on its one host.
    for (const project of ["dgx-pixels", "sparky", "dgx-pixels", "sparky"]) {
      expected.push(`${project}-services`);
      if (!missingProviders().has("github")) expected.push(`${project}-github`);
    }
    expect(validated.map((r) => r.stack).sort()).toEqual(expected.sort());
    for (const r of validated)
      expect({ stack: r.stack, valid: r.valid, diagnostics: r.diagnostics }).toEqual({ stack: r.stack, valid: true, diagnostics: [] });
    for (const r of results.filter((x) => x.skipped)) {
      expect(r.stack).toMatch(/-github$/);
      process.stderr.write(`not validated: ${r.stack}: ${r.skipped}\n`);
    }
  }, 180_000);
});
