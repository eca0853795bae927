import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesize } from "../../stacks/synthesize";
import { toolchainEnv, REPO_ROOT } from "../../tools/engine/toolchain";
import { validateStacks } from "../../tools/validate-stacks";
import { describeE2E } from "./support/describe-e2e";

// Static check with the real engine and the pinned providers: every synthesized stack of both targets validates.
describeE2E("tofu validate on every synthesized stack", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-validate-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("every stack of both targets is valid", async () => {
    const results = [];
    for (const target of ["local", "dgx"]) {
      const dir = path.join(outdir, target);
      synthesize({ env: { ...toolchainEnv(), SPARKY_TARGET: target }, projectRoot: REPO_ROOT, outdir: dir });
      results.push(...(await validateStacks(dir)));
    }
    // Each target places both projects on its one host; the dgx target keeps its state on the DGX's state server.
    const expected = ["dgx-observability", "local-observability", "dgx-state"];
    for (const project of ["dgx-pixels", "sparky"]) for (let i = 0; i < 2; i++) expected.push(`${project}-services`, `${project}-github`);
    expect(results.map((r) => r.stack).sort()).toEqual(expected.sort());
    for (const r of results)
      expect({ stack: r.stack, valid: r.valid, diagnostics: r.diagnostics }).toEqual({ stack: r.stack, valid: true, diagnostics: [] });
  }, 180_000);
});
