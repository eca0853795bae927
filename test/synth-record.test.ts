// A command reuses the last synth only when nothing it read changed and its output is exactly as written.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveSynthInputs } from "../stacks/synth-inputs";
import { synthesizeStacks } from "../stacks/synthesize";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { reusableSynth, synthCodeIdentity, synthKey, writeSynthRecord } from "../tools/engine/synth-record";

describe("reusing the last synth", () => {
  let root = "";
  let outdir = "";
  const inputs = resolveSynthInputs({ env: {}, projectRoot: REPO_ROOT });
  const key = synthKey("code-1", inputs, REPO_ROOT, "/work/cdktf.out");
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-synth-record-"));
    outdir = path.join(root, "cdktf.out");
    synthesizeStacks(inputs, { projectRoot: REPO_ROOT, outdir });
    writeSynthRecord(outdir, key);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const stackDir = (name: string) => path.join(outdir, "stacks", name);

  test("the same key over untouched output is reused; what the engine writes beside it does not matter", () => {
    expect(reusableSynth(outdir, key)).toBe(true);
    fs.mkdirSync(path.join(stackDir("sparky-services"), ".terraform", "providers"), { recursive: true });
    for (const file of [".terraform.lock.hcl", "deploy.tfplan", "terraform.tfstate", "terraform.tfstate.backup"])
      fs.writeFileSync(path.join(stackDir("sparky-services"), file), "engine");
    expect(reusableSynth(outdir, key)).toBe(true);
  });

  test("another code, model, project root or output directory is another key", () => {
    const other = structuredClone(inputs);
    Object.values(other.model.projects[0].services)[0].image = { ref: "another:image" };
    for (const changed of [
      synthKey("code-2", inputs, REPO_ROOT, "/work/cdktf.out"),
      synthKey("code-1", other, REPO_ROOT, "/work/cdktf.out"),
      synthKey("code-1", inputs, "/elsewhere", "/work/cdktf.out"),
      synthKey("code-1", inputs, REPO_ROOT, "/work/other.out"),
    ]) {
      expect(changed).not.toBe(key);
      expect(reusableSynth(outdir, changed)).toBe(false);
    }
  });

  test.each([
    ["an edited stack file", () => fs.appendFileSync(path.join(stackDir("sparky-services"), "cdk.tf.json"), " ")],
    [
      "an edited literal file",
      () => {
        const dir = path.join(stackDir("sparky-github"), "literals");
        fs.appendFileSync(path.join(dir, fs.readdirSync(dir)[0]), "x");
      },
    ],
    ["a deleted stack", () => fs.rmSync(stackDir("sparky-services"), { recursive: true })],
    ["a stray config file", () => fs.writeFileSync(path.join(stackDir("sparky-services"), "sparky-drift-import.tf.json"), "{}")],
    ["no record", () => fs.rmSync(path.join(outdir, ".sparky-synth.json"))],
  ])("%s means a new synth", (_, change) => {
    change();
    expect(reusableSynth(outdir, key)).toBe(false);
  });

  test("the code is the bundle's non-tool sources; without a bundle nothing is reused", () => {
    const bundle = path.join(root, "tool.js");
    const write = (inputs: Record<string, unknown>) =>
      fs.writeFileSync(`${bundle}.inputs.json`, JSON.stringify({ bundlePackages: true, inputs }));
    const stamp = { mtimeMs: 1, size: 10 };
    write({ "constructs/a.ts": stamp, "tools/deploy.ts": stamp });
    const identity = synthCodeIdentity(bundle);
    expect(identity).toMatch(/^[0-9a-f]{64}$/);
    write({ "constructs/a.ts": stamp, "tools/drift.ts": stamp, "bin/x.js": stamp });
    expect(synthCodeIdentity(bundle)).toBe(identity);
    write({ "constructs/a.ts": { mtimeMs: 2, size: 10 }, "tools/deploy.ts": stamp });
    expect(synthCodeIdentity(bundle)).not.toBe(identity);
    fs.rmSync(`${bundle}.inputs.json`);
    expect(synthCodeIdentity(bundle)).toBeUndefined();
  });
});
