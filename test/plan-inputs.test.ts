// A plan without refresh is skipped only when everything it reads besides state and live objects is as it was.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planInputsIdentity } from "../tools/engine/plan-inputs";

describe("the inputs of a plan without refresh", () => {
  let dir = "";
  const config = {
    variable: { GRAFANA_ADMIN_PASSWORD: { sensitive: true, type: "string" } },
    resource: { docker_network: { net: { name: "net" } } },
  };
  const write = (file: string, content: unknown) =>
    fs.writeFileSync(path.join(dir, file), typeof content === "string" ? content : JSON.stringify(content));
  const env = { GRAFANA_ADMIN_PASSWORD: "first-password-value" };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-plan-inputs-"));
    write("cdk.tf.json", config);
    write(".terraform.lock.hcl", "# providers");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the same files, variables and engine give the same identity; what the engine writes does not count", () => {
    const identity = planInputsIdentity(dir, env);
    expect(identity).toMatch(/^[0-9a-f]{64}$/);
    fs.mkdirSync(path.join(dir, ".terraform"));
    write(".terraform/sparky-in-sync.json", "{}");
    write("deploy.tfplan", "plan");
    expect(planInputsIdentity(dir, { ...env, UNRELATED: "x" })).toBe(identity);
    // The value is digested, never kept.
    expect(identity).not.toContain(env.GRAFANA_ADMIN_PASSWORD);
  });

  test.each([
    ["another variable value", () => ({ GRAFANA_ADMIN_PASSWORD: "second-password-value" })],
    ["a TF_VAR_ value, which wins", () => ({ ...env, TF_VAR_GRAFANA_ADMIN_PASSWORD: "third-password-value" })],
    ["another config", () => (write("cdk.tf.json", { ...config, output: { x: { value: 1 } } }), env)],
    ["an import file beside the config", () => (write("import.tf.json", { import: [] }), env)],
    ["another provider lock", () => (write(".terraform.lock.hcl", "# other providers"), env)],
  ])("%s is another identity", (_, change) => {
    const identity = planInputsIdentity(dir, env);
    expect(planInputsIdentity(dir, change())).not.toBe(identity);
  });

  test("a stack that reads data sources has none (the engine reads them on every plan)", () => {
    write("cdk.tf.json", { ...config, data: { github_user: { me: { username: "" } } } });
    expect(planInputsIdentity(dir, env)).toBeUndefined();
  });
});
