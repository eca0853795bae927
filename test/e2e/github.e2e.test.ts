// End-to-end for the `<project>-github` stacks: `node bin/app.js` synthesizes them against the local GitHub
// emulator, then the real integrations/github provider (run by tofu from .toolchain/) deploys each one:
// an unauthenticated deploy fails before anything exists → apply → empty plan → out-of-band drift (issue title,
// deleted label) is planned → apply restores it → empty plan → the model with its workstreams in reverse
// order plans no change (no issue renumbered or recreated) → a raw destroy is refused (prevent_destroy): nothing
// of the repository goes; `just destroy` archives it instead (test/e2e/adopt.e2e.test.ts).
// Skipped, with the reason printed, while the provider is not in the mirror (see README "Toolchain").
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { blueprints } from "../../blueprints";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github-emulator";
import { githubProviderEnv } from "../../support/engine-env";
import { run as runBounded, type Run } from "../../support/processes";
import { describeE2E } from "./support/describe-e2e";
import { REPO_ROOT as ROOT } from "./support/toolchain";
import { toolchainEnv } from "./support/toolchain";
const OWNER = "sparky-e2e";
const TOKEN = "e2e-github-stack-token";
const STEP_MS = 10 * 60_000;

/** Asynchronous on purpose: the emulator runs on this event loop. */
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = STEP_MS) =>
  runBounded(cmd, args, { cwd, env, timeoutMs });

describeE2E("<project>-github stacks on the emulator with the real provider", () => {
  let gh: GitHubEmulator;
  let dir: string;
  let baseEnv: NodeJS.ProcessEnv;
  let tofu: string;
  let stackDirs: string[] = [];
  /** The same stacks synthesized from the blueprints with every project's workstreams in reverse order. */
  let reorderedStacks: string;

  beforeAll(async () => {
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
    const tc = toolchainEnv();
    baseEnv = githubProviderEnv({ GH_PATH: join(dir, "no-gh") });
    tofu = tc.TERRAFORM_BINARY_NAME || "tofu";

    const synth = async (outdir: string, extra: NodeJS.ProcessEnv = {}) => {
      const r = await run("node", ["bin/app.js"], ROOT, {
        ...tc,
        SPARKY_CONFIG: join(dir, "sparky.config.json"),
        CDKTF_OUTDIR: join(dir, outdir),
        SPARKY_GITHUB_BASE_URL: gh.url,
        SPARKY_GITHUB_OWNER: OWNER,
        GITHUB_TOKEN: TOKEN,
        ...extra,
      });
      if (r.code !== 0) throw new Error(`synth of ${outdir} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    };
    await synth("cdktf.out");
    const reordered = blueprints.map((p) => ({ ...p, workstreams: [...p.workstreams].reverse() }));
    writeFileSync(join(dir, "reordered.json"), JSON.stringify(reordered));
    await synth("reordered.out", { SPARKY_PROJECTS: join(dir, "reordered.json") });
    reorderedStacks = join(dir, "reordered.out", "stacks");
    const stacks = join(dir, "cdktf.out", "stacks");
    stackDirs = readdirSync(stacks)
      .filter((s) => s.endsWith("-github"))
      .map((s) => join(stacks, s));
    const raw = stackDirs.map((d) => readFileSync(join(d, "cdk.tf.json"), "utf8")).join("\n");
    expect(raw).not.toContain(TOKEN);
  }, 5 * 60_000);

  afterAll(async () => {
    if (gh) await gh.stop();
    if (dir && !process.env.KEEP_E2E_DIR) rmSync(dir, { recursive: true, force: true });
  });

  test(
    "each github stack: no-token deploy refused → apply → zero diff → drift detected → restored → zero diff → reordered workstreams change nothing → raw destroy refused",
    async () => {
      expect(stackDirs.length).toBeGreaterThan(0);
      for (const stackDir of stackDirs) {
        const config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
        const repo: string = config.resource.github_repository.repository.name;
        const env = { ...baseEnv, TF_DATA_DIR: join(stackDir, ".terraform") };
        const tf = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
          run(tofu, [...args, "-no-color", "-input=false"], stackDir, { ...env, ...extra });
        const ok = (r: Run, what: string) => {
          if (r.code !== 0)
            throw new Error(
              `${stackDir}: ${what} exited ${r.code}\n${r.stdout}\n${r.stderr}\nunhandled: ${gh.unhandledRoutes().join(", ")}`,
            );
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
        if (plan1.code !== 0)
          throw new Error(`${stackDir}: expected an empty plan after apply, got ${plan1.code}\n${plan1.stdout}\n${plan1.stderr}`);

        const issues = (await gh.request("GET", `/repos/${OWNER}/${repo}/issues?state=all&per_page=100`)).body as {
          number: number;
          title: string;
        }[];
        // The first open workstream's issue (done workstreams have none: theirs are closed).
        const [firstKey, firstConfig] = Object.entries(config.resource.github_issue as Record<string, { title: string }>).find(([k]) =>
          /^issue-WS-\d\d$/.test(k),
        )!;
        const first = issues.find((i) => i.title === firstConfig.title)!;
        expect(first).toBeDefined();
        const firstId = firstKey.slice("issue-".length);
        expect((await gh.request("PATCH", `/repos/${OWNER}/${repo}/issues/${first.number}`, { title: "Renamed out of band" })).status).toBe(
          200,
        );
        expect((await gh.request("DELETE", `/repos/${OWNER}/${repo}/labels/${encodeURIComponent("type:tracking")}`)).status).toBe(204);

        const plan2 = await tf(["plan", "-detailed-exitcode"], authed);
        expect(plan2.code).toBe(2);
        expect(plan2.stdout).toContain(`github_issue.issue-${firstId} will be updated in-place`);
        const escaped = JSON.stringify(firstConfig.title).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        expect(plan2.stdout).toMatch(new RegExp(`title\\s+= "Renamed out of band" -> ${escaped}`));
        expect(plan2.stdout).toContain("github_issue_label.label-type-tracking will be created");

        ok(await tf(["apply", "-auto-approve"], authed), "tofu apply (restore)");
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}/issues/${first.number}`)).body.title).toBe(firstConfig.title);
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}/labels/${encodeURIComponent("type:tracking")}`)).status).toBe(200);

        const plan3 = await tf(["plan", "-detailed-exitcode"], authed);
        if (plan3.code !== 0)
          throw new Error(`${stackDir}: expected an empty plan after restore, got ${plan3.code}\n${plan3.stdout}\n${plan3.stderr}`);

        // Same state, workstreams reversed in the model: nothing to change.
        const reorderedDir = join(reorderedStacks, basename(stackDir));
        const reorderedEnv = { ...env, ...authed, TF_DATA_DIR: join(reorderedDir, ".terraform") };
        ok(await run(tofu, ["init", "-no-color", "-input=false"], reorderedDir, reorderedEnv), "tofu init (reordered)");
        const reorderedPlan = await run(tofu, ["plan", "-detailed-exitcode", "-no-color", "-input=false"], reorderedDir, reorderedEnv);
        if (reorderedPlan.code !== 0)
          throw new Error(`${reorderedDir}: reordered workstreams must plan no change, got ${reorderedPlan.code}\n${reorderedPlan.stdout}`);

        // A raw destroy is refused before anything goes: the repository and everything in it stay.
        const labelsBefore = (await gh.request("GET", `/repos/${OWNER}/${repo}/labels?per_page=100`)).body.length;
        const destroy = await tf(["destroy", "-auto-approve"], authed);
        expect(destroy.code).not.toBe(0);
        expect(destroy.stderr).toMatch(/prevent_destroy/);
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}`)).body.archived).toBe(false);
        expect((await gh.request("GET", `/repos/${OWNER}/${repo}/labels?per_page=100`)).body.length).toBe(labelsBefore);
        expect(gh.unhandledRoutes()).toEqual([]);
      }
    },
    60 * 60_000,
  );
});
