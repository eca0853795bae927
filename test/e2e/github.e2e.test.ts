// End-to-end for the `<project>-github` stacks: `node bin/app.js` synthesizes them against the local GitHub
// emulator, then the real integrations/github 6.9.0 provider (run by tofu from .toolchain/) deploys each one:
// an unauthenticated deploy fails before anything exists → apply → empty plan → out-of-band drift (issue title,
// deleted label) is planned → apply restores it → empty plan → destroy.
// Waits (bounded) for the toolchain and the emulator; fails loudly when they never appear unless SPARKY_E2E=0.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { GitHubEmulator } from "../support/github-emulator";

const ROOT = resolve(__dirname, "..", "..");
const OWNER = "sparky-e2e";
const TOKEN = "e2e-github-stack-token";
const STEP_MS = 10 * 60_000;
const WAIT_MS = Number(process.env.SPARKY_E2E_WAIT_MS ?? 5 * 60_000);
const optedOut = process.env.SPARKY_E2E === "0";

function providerBinary(): string | undefined {
  const base = join(ROOT, ".toolchain", "providers");
  if (!existsSync(base)) return undefined;
  for (const host of readdirSync(base)) {
    const dir = join(base, host, "integrations", "github", "6.9.0");
    if (!existsSync(dir)) continue;
    for (const platform of readdirSync(dir)) if (existsSync(join(dir, platform, "terraform-provider-github_v6.9.0"))) return join(dir, platform);
  }
  return undefined;
}

const missing = (): string[] =>
  [
    providerBinary() ? "" : ".toolchain/providers/*/integrations/github/6.9.0/*/terraform-provider-github_v6.9.0",
    existsSync(join(ROOT, "scripts", "toolchain-env.sh")) ? "" : "scripts/toolchain-env.sh",
    existsSync(join(ROOT, "test", "support", "github-emulator", "index.ts")) ? "" : "test/support/github-emulator/index.ts",
    existsSync(join(ROOT, "blueprints", "index.ts")) ? "" : "blueprints/index.ts",
  ].filter(Boolean);

async function waitForPrerequisites(): Promise<string[]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const gaps = missing();
    if (gaps.length === 0 || Date.now() >= deadline) return gaps;
    await new Promise((r) => setTimeout(r, 10_000));
  }
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous on purpose: the emulator runs on this event loop. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = STEP_MS): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${cmd} ${args.join(" ")} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", (e) => (clearTimeout(timer), fail(e)));
    child.on("close", (code) => (clearTimeout(timer), done({ code, stdout, stderr })));
  });
}

async function toolchainEnv(): Promise<NodeJS.ProcessEnv> {
  const r = await run("bash", ["-c", "source scripts/toolchain-env.sh >/dev/null && env -0"], ROOT, process.env, 60_000);
  if (r.code !== 0) throw new Error(`sourcing scripts/toolchain-env.sh failed:\n${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .split("\0")
      .filter((e) => e.includes("="))
      .map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
  );
}

(optedOut ? describe.skip : describe)("<project>-github stacks on the emulator with the real provider", () => {
  let gh: GitHubEmulator;
  let dir: string;
  let baseEnv: NodeJS.ProcessEnv;
  let tofu: string;
  let stackDirs: string[] = [];

  beforeAll(async () => {
    const gaps = await waitForPrerequisites();
    if (gaps.length > 0) throw new Error(`e2e prerequisites missing after ${WAIT_MS} ms: ${gaps.join(", ")} (set SPARKY_E2E=0 to skip)`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startGitHubEmulator } = require("../support/github-emulator") as typeof import("../support/github-emulator");
    gh = await startGitHubEmulator({ owner: OWNER, token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), "sparky-github-e2e-"));
    writeFileSync(
      join(dir, "sparky.config.json"),
      JSON.stringify({
        github: { owner: "placeholder" }, // replaced by SPARKY_GITHUB_OWNER below
        hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [] } },
        targets: { e2e: { hosts: ["box"], state: { backend: "local", directory: join(dir, "state") } } },
        defaultTarget: "e2e",
      }),
    );
    const tc = await toolchainEnv();
    baseEnv = { ...tc, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", GH_PATH: join(dir, "no-gh") };
    for (const k of ["GITHUB_TOKEN", "GITHUB_OWNER", "GITHUB_ORGANIZATION", "GITHUB_BASE_URL", "GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID", "GITHUB_APP_PEM_FILE"]) delete baseEnv[k];
    tofu = tc.TERRAFORM_BINARY_NAME || "tofu";

    const synth = await run("node", ["bin/app.js"], ROOT, {
      ...process.env,
      SPARKY_CONFIG: join(dir, "sparky.config.json"),
      CDKTF_OUTDIR: join(dir, "cdktf.out"),
      SPARKY_GITHUB_BASE_URL: gh.url,
      SPARKY_GITHUB_OWNER: OWNER,
      GITHUB_TOKEN: TOKEN,
    });
    if (synth.code !== 0) throw new Error(`synth failed (${synth.code}):\n${synth.stdout}\n${synth.stderr}`);
    const stacks = join(dir, "cdktf.out", "stacks");
    stackDirs = readdirSync(stacks)
      .filter((s) => s.endsWith("-github"))
      .map((s) => join(stacks, s));
    const raw = stackDirs.map((d) => readFileSync(join(d, "cdk.tf.json"), "utf8")).join("\n");
    expect(raw).not.toContain(TOKEN);
  }, WAIT_MS + 5 * 60_000);

  afterAll(async () => {
    if (gh) await gh.stop();
    if (dir && !process.env.KEEP_E2E_DIR) rmSync(dir, { recursive: true, force: true });
  });

  test(
    "each github stack: no-token deploy refused → apply → zero diff → drift detected → restored → zero diff → destroy",
    async () => {
      expect(stackDirs.length).toBeGreaterThan(0);
      for (const stackDir of stackDirs) {
        const config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
        const repo: string = config.resource.github_repository.repository.name;
        const env = { ...baseEnv, TF_DATA_DIR: join(stackDir, ".terraform") };
        const tf = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(tofu, [...args, "-no-color", "-input=false"], stackDir, { ...env, ...extra });
        const ok = (r: Run, what: string) => {
          if (r.code !== 0) throw new Error(`${stackDir}: ${what} exited ${r.code}\n${r.stdout}\n${r.stderr}\nunhandled: ${gh.unhandledRoutes().join(", ")}`);
        };

        ok(await tf(["init"]), "tofu init");

        // GITHUB_TOKEN unset (and no gh CLI to fall back on): the plan-time GET /user guard fails; nothing is created.
        const noToken = await tf(["apply", "-auto-approve"]);
        expect(noToken.code).not.toBe(0);
        expect(noToken.stderr).toMatch(/401|[Aa]uthenticat/);
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}`)).status).toBe(404);

        const authed = { GITHUB_TOKEN: TOKEN };
        ok(await tf(["apply", "-auto-approve"], authed), "tofu apply");
        expect(gh.unhandledRoutes()).toEqual([]);

        const plan1 = await tf(["plan", "-detailed-exitcode"], authed);
        if (plan1.code !== 0) throw new Error(`${stackDir}: expected an empty plan after apply, got ${plan1.code}\n${plan1.stdout}\n${plan1.stderr}`);

        const issues = (await gh.request("GET", `/repos/${OWNER}/${repo}/issues?state=all&per_page=100`)).body as { number: number; title: string }[];
        const first = [...issues].filter((i) => /^WS-\d\d: /.test(i.title)).sort((a, b) => a.title.localeCompare(b.title))[0];
        expect(first).toBeDefined();
        const firstId = first.title.slice(0, 5);
        expect((await gh.request("PATCH", `/repos/${OWNER}/${repo}/issues/${first.number}`, { title: "Renamed out of band" })).status).toBe(200);
        expect((await gh.request("DELETE", `/repos/${OWNER}/${repo}/labels/${encodeURIComponent("type:tracking")}`)).status).toBe(204);

        const plan2 = await tf(["plan", "-detailed-exitcode"], authed);
        expect(plan2.code).toBe(2);
        expect(plan2.stdout).toContain(`github_issue.issue-${firstId} will be updated in-place`);
        expect(plan2.stdout).toMatch(/title\s+= "Renamed out of band" -> "WS-\d\d: /);
        expect(plan2.stdout).toContain("github_issue_label.label-type-tracking will be created");

        ok(await tf(["apply", "-auto-approve"], authed), "tofu apply (restore)");
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}/issues/${first.number}`)).body.title).toMatch(/^WS-\d\d: /);
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}/labels/${encodeURIComponent("type:tracking")}`)).status).toBe(200);

        const plan3 = await tf(["plan", "-detailed-exitcode"], authed);
        if (plan3.code !== 0) throw new Error(`${stackDir}: expected an empty plan after restore, got ${plan3.code}\n${plan3.stdout}\n${plan3.stderr}`);

        ok(await tf(["destroy", "-auto-approve"], authed), "tofu destroy");
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}`)).status).toBe(404);
        expect(gh.unhandledRoutes()).toEqual([]);
      }
    },
    60 * 60_000,
  );
});
