// A saved plan's refresh drift, read from the plan file (tools/engine/plan-file.ts), with plans the real engine made.
// That it equals `show -json`'s resource_drift on a refresh that found something is shown on a real Docker stack
// (drift-docker.e2e.test.ts), where the docker provider's reads after an apply always find something.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { refreshDriftOf, zipEntries } from "../tools/engine/plan-file";
import { ENGINE_BIN, toolchainEnv } from "../tools/engine/toolchain";

describe("refresh drift from a saved plan", () => {
  let dir = "";
  const run = (...args: string[]) =>
    execFileSync(ENGINE_BIN, [...args, "-no-color", "-input=false"], { cwd: dir, env: toolchainEnv(process.env), encoding: "utf8", timeout: 60_000 });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-plan-file-"));
    const config = { resource: { terraform_data: { a: { input: "one" }, b: { input: ["two", 2] } } } };
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config));
    run("init");
    run("apply", "-auto-approve");
    // A plan of a deployed config: its refresh read both objects, and they are as they were.
    run("plan", "-out=saved.tfplan");
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the plan holds the states before and after its refresh, in the state format", () => {
    const entries = zipEntries(fs.readFileSync(path.join(dir, "saved.tfplan")), ["tfstate-prev", "tfstate"]);
    const states = ["tfstate-prev", "tfstate"].map((n) => JSON.parse(entries.get(n)!.toString("utf8")));
    for (const state of states)
      expect(state.resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`)).toEqual(["terraform_data.a", "terraform_data.b"]);
    expect(states[1].resources[1].instances[0].attributes.input).toEqual({ value: ["two", 2], type: ["tuple", ["string", "number"]] });
  });

  test("nothing drifted, as the plan reported; a disagreement with the plan's own report gives no answer", () => {
    const planFile = path.join(dir, "saved.tfplan");
    expect(refreshDriftOf(planFile, new Set())).toEqual([]);
    expect(refreshDriftOf(planFile, new Set(["terraform_data.a"]))).toBeUndefined();
  });

  test("a file that is not a saved plan gives no answer", () => {
    fs.writeFileSync(path.join(dir, "not-a-plan"), "plain text, not a zip archive");
    expect(refreshDriftOf(path.join(dir, "not-a-plan"), new Set())).toBeUndefined();
    expect(() => zipEntries(Buffer.from("plain text"), ["tfstate"])).toThrow(/not a zip archive/);
  });
});
