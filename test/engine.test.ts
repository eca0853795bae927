// The shared engine under every tool (tools/engine/): stack selection, argument parsing, the progress view,
// the secrets check and what `prepareStacks` writes (nothing, when a check fails). No engine or Docker needed.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { destroySelection, keptVolumes } from "../tools/deploy/destroy";
import { parseCommandLine } from "../tools/engine/args";
import { prepareStacks } from "../tools/engine/prepare";
import { ProgressView } from "../tools/engine/progress";
import { MIN_SECRET_LENGTH, resolveSecrets, SecretsError, secretsOf } from "../tools/engine/secrets";
import { globMatch, selectStacks } from "../tools/engine/select";
import { REPO_ROOT } from "../tools/engine/toolchain";

const tempDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-engine-"));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Every stack of both blueprints on the local target, synthesized once (no secrets needed to synthesize). */
let synthesized: ReturnType<typeof prepareStacks>;
beforeAll(() => {
  synthesized = prepareStacks({
    env: {},
    projectRoot: REPO_ROOT,
    outdir: path.join(tempDir(), "cdktf.out"),
    stacks: ["dgx-pixels-services"],
    log: () => {},
  });
});
const stack = (name: string) => synthesized.all.find((s) => s.name === name)!;
const NO_GH = { GH_PATH: "/nonexistent/gh" };

describe("stack selection (picomatch)", () => {
  const stacks = ["a-services", "a-github", "box-observability", "b.x-services"].map((name) => ({ name }));
  test("* is any run of characters, ? one; several patterns by space or comma; brackets and dots are literal", () => {
    expect(selectStacks(stacks, "*-services *-observability").map((s) => s.name)).toEqual([
      "a-services",
      "box-observability",
      "b.x-services",
    ]);
    expect(selectStacks(stacks, ["a-*,box-*"]).map((s) => s.name)).toEqual(["a-services", "a-github", "box-observability"]);
    expect(selectStacks(stacks, "?-github").map((s) => s.name)).toEqual(["a-github"]);
    expect(selectStacks(stacks, []).length).toBe(4);
    expect(globMatch("networks_advanced[*].gw_priority", "networks_advanced[0].gw_priority")).toBe(true);
    expect(globMatch("docker_container.*", 'docker_container.x["a/b"]')).toBe(true);
    expect(globMatch("a.b", "axb")).toBe(false);
    expect(globMatch("{a,b}", "a")).toBe(false);
  });
});

describe("argument parsing (node:util parseArgs)", () => {
  const options = { out: { type: "string" }, yes: { type: "boolean" } } as const;
  test("--key value and --key=value; unknown and incomplete flags are named", () => {
    expect(parseCommandLine(["--out", "a", "x"], options, "USAGE").values).toEqual({ out: "a" });
    expect(parseCommandLine(["--out=a", "--yes"], options, "USAGE")).toMatchObject({ values: { out: "a", yes: true }, positionals: [] });
    expect(() => parseCommandLine(["--bogus"], options, "USAGE")).toThrow(/^unknown argument --bogus \(known: --out, --yes\)\nUSAGE$/);
    expect(() => parseCommandLine(["--out"], options, "USAGE")).toThrow(/^--out needs a value/);
    expect(() => parseCommandLine(["--yes=no"], options, "USAGE")).toThrow(/^--yes takes no value/);
  });

  test.each([
    ["tools/plan-preview.ts", "plan-preview"],
    ["tools/drift.ts", "drift"],
    ["tools/deploy.ts", "deploy"],
    ["tools/validate-stacks.ts", "validate-stacks"],
    ["tools/graph.ts", "graph"],
  ])("%s rejects an unknown flag with its name and the usage, exit 1", (entry, tool) => {
    const r = spawnSync(process.execPath, ["bin/run.js", entry, "--bogus=1"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${tool}: unknown argument --bogus \\(known: [^\\n]*\\)\\nusage: `));
  });

  test("both flag forms reach the tools: --parallel 0 and --parallel=0 are the same error", () => {
    for (const form of [["--parallel", "0"], ["--parallel=0"]]) {
      const r = spawnSync(process.execPath, ["bin/run.js", "tools/deploy.ts", "diff", ...form], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect([r.status, r.stderr.split("\n")[0]]).toEqual([1, 'diff: --parallel must be a whole number of at least 1, not "0"']);
    }
  });
});

describe("progress view", () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  test("not a terminal: one plain line per phase, with elapsed time; counters within a phase print nothing", () => {
    const out: string[] = [];
    const c = clock();
    const view = new ProgressView(["a-services", "box-observability"], "deploy", { write: (s: string) => out.push(s) }, c.now);
    view.set("box-observability", "planning");
    c.advance(1500);
    view.set("box-observability", "applying", "0/3 resources");
    view.set("box-observability", "applying", "1/3 resources");
    c.advance(2000);
    view.set("box-observability", "waiting for health", "box-obs-grafana");
    view.set("a-services", "skipped", "box-observability did not deploy");
    view.set("box-observability", "failed", "Error: container unhealthy");
    view.finish();
    expect(out.join("")).toBe(
      [
        "[deploy] box-observability  planning 0.0 s",
        "[deploy] box-observability  applying 1.5 s  (0/3 resources)",
        "[deploy] box-observability  waiting for health 3.5 s  (box-obs-grafana)",
        "[deploy] a-services         skipped  (box-observability did not deploy)",
        "[deploy] box-observability  failed 3.5 s  (Error: container unhealthy)",
        "",
      ].join("\n"),
    );
  });

  test("a terminal: the block is redrawn in place (cursor up, clear line) and cut to the terminal's width", () => {
    const out: string[] = [];
    const view = new ProgressView(["a", "b"], "diff", { write: (s: string) => out.push(s), isTTY: true, columns: 30 }, () => 0);
    view.set("a", "planning", "x".repeat(100));
    view.finish();
    expect(out[0]).toBe("\r\x1b[2K… a  queued\n\r\x1b[2K… b  queued\n");
    expect(out[1].startsWith("\x1b[2A\r\x1b[2K… a  planning 0.0 s  (xxx")).toBe(true);
    expect(out[1].split("\n").every((l) => l.replace("\r\x1b[2K", "").replace("\x1b[2A", "").length <= 29)).toBe(true);
  });
});

describe("secrets of the selected stacks, from their synthesized config", () => {
  test("sensitive variables with their purpose, and GITHUB_TOKEN for the integrations/github stacks", () => {
    const secrets = secretsOf(synthesized.all);
    expect(secrets.map((s) => [s.name, s.stacks])).toEqual([
      ["GITHUB_TOKEN", ["dgx-pixels-github", "sparky-github"]],
      ["GRAFANA_ADMIN_PASSWORD", ["local-observability"]],
    ]);
    expect(secrets.find((s) => s.name === "GRAFANA_ADMIN_PASSWORD")!.purpose).toContain("local-obs-grafana");
  });

  test("every missing or short secret at once, named with its stacks and purpose, never its value", () => {
    try {
      resolveSecrets(synthesized.all, { ...NO_GH, GRAFANA_ADMIN_PASSWORD: "grafana" });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(SecretsError);
      const message = (e as Error).message;
      expect(message.split("\n")).toEqual([
        "2 secrets of the selected stacks are missing or too short; nothing was run:",
        expect.stringMatching(
          /^ {2}GITHUB_TOKEN \(dgx-pixels-github, sparky-github\): is not set and 'gh auth token' gave none\. Token of/,
        ),
        expect.stringMatching(
          new RegExp(
            `^ {2}GRAFANA_ADMIN_PASSWORD \\(local-observability\\): has 7 characters, fewer than ${MIN_SECRET_LENGTH} .*Secret for local-obs-grafana`,
          ),
        ),
        `Set each in the environment (export NAME=...; at least ${MIN_SECRET_LENGTH} characters), or select other stacks.`,
      ]);
      expect(message).not.toContain("grafana\n");
    }
  });

  test("TF_VAR_<name> counts; GITHUB_TOKEN falls back to `gh auth token` (GH_PATH names gh)", () => {
    const bin = tempDir();
    fs.writeFileSync(path.join(bin, "gh"), "#!/bin/sh\necho gho_fromGhAuthToken0123456789\n", { mode: 0o755 });
    const found = resolveSecrets(synthesized.all, {
      GH_PATH: path.join(bin, "gh"),
      TF_VAR_GRAFANA_ADMIN_PASSWORD: "a-long-grafana-password",
      SPARKY_GH_TOKEN: "sparky-gh-token-0123",
    });
    expect(found).toEqual({ GITHUB_TOKEN: "gho_fromGhAuthToken0123456789" });
    expect(resolveSecrets([stack("dgx-pixels-services")], {})).toEqual({});
  });

  test("a failed check writes nothing: no output directory, not even its parent", () => {
    const parent = path.join(tempDir(), "fresh");
    expect(() =>
      prepareStacks({ env: NO_GH, projectRoot: REPO_ROOT, outdir: path.join(parent, "cdktf.out"), stacks: ["*-github"], log: () => {} }),
    ).toThrow(SecretsError);
    expect(fs.existsSync(parent)).toBe(false);
  });

  test("a new synth replaces the old one but keeps each stack's initialized providers", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    const prepare = () => prepareStacks({ env: {}, projectRoot: REPO_ROOT, outdir, stacks: ["dgx-pixels-services"], log: () => {} });
    const first = prepare().selected[0];
    fs.mkdirSync(path.join(first.dir, ".terraform"));
    fs.writeFileSync(path.join(first.dir, ".terraform", "marker"), "x");
    fs.writeFileSync(path.join(first.dir, "stale.tfplan"), "x");
    const second = prepare().selected[0];
    expect(second.dir).toBe(first.dir);
    expect(fs.readdirSync(second.dir).sort()).toEqual([".terraform", "cdk.tf.json"]);
    expect(fs.readFileSync(path.join(second.dir, ".terraform", "marker"), "utf8")).toBe("x");
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
  });

  test("no matching stack is an error naming the patterns and the stacks", () => {
    expect(() =>
      prepareStacks({ env: {}, projectRoot: REPO_ROOT, outdir: path.join(tempDir(), "o"), stacks: ["nope-*"], log: () => {} }),
    ).toThrow(
      'no stack matches "nope-*"; the stacks are: dgx-pixels-github, dgx-pixels-services, local-observability, sparky-github, sparky-services',
    );
  });
});

describe("destroy: what it may touch", () => {
  const notes: string[] = [];
  const names = (patterns: string[]) => destroySelection(synthesized.all, patterns, (l) => notes.push(l)).map((s) => s.name);

  test("no pattern or `*` never selects a *-github stack; a pattern that names one does", () => {
    expect(names([])).toEqual(["dgx-pixels-services", "local-observability", "sparky-services"]);
    expect(notes.pop()).toMatch(/leaving dgx-pixels-github, sparky-github alone .*e\.g\. 'dgx-pixels-github'/);
    expect(names(["*"])).toEqual(["dgx-pixels-services", "local-observability", "sparky-services"]);
    expect(names(["sparky-*"])).toEqual(["sparky-services"]);
    expect(names(["sparky-github"])).toEqual(["sparky-github"]);
    expect(names(["*-github"])).toEqual(["dgx-pixels-github", "sparky-github"]);
    expect(() => names(["dgx-pixels-g*"])).toThrow(/nothing to destroy/);
  });

  test("volumes the containers use but the stack does not manage are kept", () => {
    expect(keptVolumes(stack("local-observability"))).toEqual(["local-obs-grafana-data", "local-obs-prometheus-data"]);
    expect(keptVolumes(stack("dgx-pixels-services"))).toEqual([
      "dgx-pixels-backend-outputs",
      "dgx-pixels-comfyui-models",
      "dgx-pixels-comfyui-outputs",
    ]);
  });
});
