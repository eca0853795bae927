// End-to-end: plan preview with the real engine (OpenTofu) against the local Docker engine and a GitHub
// emulator this suite starts on 127.0.0.1 (real integrations/github provider). Re-creates the golden fixtures'
// scenario live with a unique tiny project (create → apply-from → no-op → services: update/replace/destroy/create;
// github: out-of-band rename, dropped milestone, renamed default branch, rotated secret; a 60-service plan over
// the comment limit, a stack that fails to plan), checks the renderer on those plans, that the secrets and the
// token from the environment never reach the outputs or the log, and that `apply --from` refuses a tampered plan
// and a stale one. Only `<id>-services` and `<id>-github` stacks are deployed; state is in a temp dir; the Docker
// objects are destroyed and the emulator stopped in afterAll. Fails loudly when the toolchain is missing, unless
// SPARKY_E2E=0.
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMENT_LIMIT } from "../../tools/plan-preview/render";
import { applyFrom } from "../../tools/plan-preview/apply";
import { SUMMARY_FILE } from "../../tools/plan-preview/run";
import { EXPECTED_DIR } from "../fixtures/plans/golden";
import { destroyScenario, prepareScenario, preview, projectsFor, runScenario, ScenarioPlans } from "../fixtures/plans/live";
import { OUT_OF_BAND_TITLE } from "../../support/plan-preview-scenario";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github-emulator";
import { engineAvailable } from "./support/toolchain";

const ROOT = path.resolve(__dirname, "..", "..");
const enabled = process.env.SPARKY_E2E !== "0";
const maybe = enabled ? describe : describe.skip;
const random = () => Math.random().toString(36).slice(2, 12);
const SECRET = `pp-secret-${random()}`;
const ROTATED = `pp-rotated-${random()}`;
// The emulator's token (GITHUB_TOKEN); its value also sits in a plain env var of the api service.
const ECHO = `pp-echo-${random()}`;
/** Lines that give a rendering its shape: headings, resource addresses, banner (project ids replaced). */
const shape = (md: string) =>
  md
    .split("\n")
    .filter((l) => l.startsWith("#### ") || l.startsWith("**`") || l.startsWith("> "))
    .map((l) => l.replace(/(pp|ppbig)-[a-z0-9]{6}/g, "<id>"));

maybe("plan preview (e2e, real engine, Docker and the GitHub emulator)", () => {
  let gh: GitHubEmulator | undefined;
  let s: Awaited<ReturnType<typeof prepareScenario>>;
  let plans: ScenarioPlans;
  const logs: string[] = [];

  beforeAll(async () => {
    if (!engineAvailable()) throw new Error("toolchain missing: run `just setup` (or SPARKY_E2E=0 to skip)");
    gh = await startGitHubEmulator({ owner: "pp-e2e", token: ECHO });
    s = await prepareScenario({ secret: SECRET, rotated: ROTATED, echo: ECHO, github: gh, log: (l) => logs.push(l) });
    plans = await runScenario(s);
  }, 15 * 60_000);

  afterAll(async () => {
    try {
      if (s) await destroyScenario(s);
    } finally {
      await gh?.stop();
      if (s && process.env.KEEP_E2E !== "1") fs.rmSync(s.dir, { recursive: true, force: true });
    }
  }, 10 * 60_000);

  const services = () => `${s.id}-services`;
  /** `apply --from` the v2 services plan reviewed in the scenario's `<dir>` preview. */
  const applyV2Services = (dir: string) =>
    applyFrom({
      env: s.env,
      projectRoot: ROOT,
      from: path.join(s.dir, dir),
      projects: projectsFor(s, "v2"),
      stacks: [services()],
      log: () => {},
    });
  const github = () => `${s.id}-github`;
  const reportOf = (r: { summary: { stacks: { stack: string }[] } }, stack: string) =>
    r.summary.stacks.find((x) => x.stack === stack) as any;

  test("create: three stacks at once, counts and exit 2; the many-service stack is trimmed within the limit", () => {
    expect(plans.create.exitCode).toBe(2);
    expect(reportOf(plans.create, services()).counts).toMatchObject({ add: 9, change: 0, destroy: 0, replace: 0 });
    expect(reportOf(plans.create, github()).counts).toMatchObject({ add: 40, change: 0, destroy: 0, replace: 0 });
    expect(reportOf(plans.create, `${s.bigId}-services`).counts.add).toBe(2 * s.bigCount + 1);
    expect(plans.create.markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(plans.create.summary.trimmed).toBe(true);
    expect(fs.readFileSync(path.join(s.dir, "create", "plan-preview-full.md"), "utf8").length).toBeGreaterThan(COMMENT_LIMIT);
    expect(plans.create.markdown).toContain("+ env = (sensitive)");
  });

  test("no-op after apply: exit 0 and one collapsed line for both stacks", () => {
    expect(plans.noop.exitCode).toBe(0);
    expect(plans.noop.markdown).toMatch(/✅ \*\*No changes\*\* \(2\): /);
    for (const stack of [services(), github()]) expect(reportOf(plans.noop, stack).status).toBe("no-changes");
  });

  test("github create: the Actions secret is masked in the comment and really set in the emulator, every request handled", async () => {
    expect(plans.create.markdown).toContain(
      "**`github_actions_secret.secret-DEPLOY_TOKEN`**\n```diff\n+ destroy_on_drift = true\n+ plaintext_value = (sensitive)\n",
    );
    const owner = gh!.state.owner.login;
    expect((await gh!.request("GET", `/repos/${owner}/${s.id}/actions/secrets/DEPLOY_TOKEN`)).status).toBe(200);
    expect((await gh!.request("GET", `/repos/${owner}/${s.id}/milestones?state=all`)).body).toHaveLength(3);
    expect(gh!.unhandledRoutes()).toEqual([]);
  }, 60_000);

  test("github update: out-of-band rename, dropped milestone, renamed default branch, rotated secret; same shape as the golden", () => {
    expect(plans.githubUpdate.exitCode).toBe(2);
    // In 6.9.0 plaintext_value is ForceNew: a rotated Actions secret is replaced, not updated in place.
    expect(reportOf(plans.githubUpdate, github()).counts).toMatchObject({ add: 1, change: 4, destroy: 2, replace: 12 });
    const live = plans.githubUpdate.markdown;
    expect(live).toContain(`~ title: "${OUT_OF_BAND_TITLE}" → "WS-01: Work WS-01"`);
    expect(live).toMatch(/ℹ️ Changed outside OpenTofu since the last apply: [^\n]*`github_issue\.issue-WS-01`/);
    expect(live).toContain("~ plaintext_value: (sensitive) → (sensitive)");
    expect(live).toContain('~ branch: "main" → "trunk"   # forces replacement');
    expect(shape(live)).toEqual(shape(fs.readFileSync(path.join(EXPECTED_DIR, "github-update.md"), "utf8")));
  });

  test("update in place, replace, destroy, create: counts, banner and details match the golden rendering's shape", () => {
    expect(plans.mixed.exitCode).toBe(2);
    const live = plans.mixed.markdown;
    expect(live).toContain(`| \`${services()}\` | 📝 changes | 2 | 1 | 2 | 1 | 0 | 0 |`);
    expect(live).toContain('~ restart: "unless-stopped" → "always"');
    // Same headings, resource addresses and banner lines as the committed golden (ids, hashes, ports aside).
    expect(shape(live)).toEqual(shape(fs.readFileSync(path.join(EXPECTED_DIR, "mixed.md"), "utf8")));
  });

  test("a stack whose Docker engine cannot be reached fails to plan: exit 1 with the engine's reason", () => {
    expect(plans.failed.exitCode).toBe(1);
    expect(plans.failed.markdown).toContain("Cannot connect to the Docker daemon");
  });

  test("a stack without its secret is refused before anything is planned or written, naming the variable", async () => {
    const withoutSecret = { ...s.env };
    delete withoutSecret[s.secretVar];
    await expect(preview(s, "no-secret", "v1", [services()], withoutSecret)).rejects.toThrow(
      new RegExp(`${s.secretVar} \\(${services()}\\): is not set`),
    );
    expect(fs.existsSync(path.join(s.dir, "no-secret"))).toBe(false);
  });

  test("the secrets (the Actions secret before and after rotation) and the token never appear in any comment, summary or log", () => {
    const outputs = ["create", "noop", "mixed", "github-update", "failed"].flatMap((run) =>
      ["plan-preview.md", "plan-preview-full.md", SUMMARY_FILE].map((file) => fs.readFileSync(path.join(s.dir, run, file), "utf8")),
    );
    // The real plans do hold both values of the Actions secret: only the masking keeps them out.
    const raw = JSON.stringify(plans.githubUpdate.outcomes.map((o) => o.json));
    expect(raw).toContain(SECRET);
    expect(raw).toContain(ROTATED);
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [...outputs, logs.join("\n")]) for (const secret of [SECRET, ROTATED, ECHO]) expect(text).not.toContain(secret);
    expect(plans.create.markdown).toContain('"NOTE=(sensitive)"');
  });

  test(
    "apply --from refuses a plan whose sha256 differs from the reviewed one",
    async () => {
      const summaryFile = path.join(s.dir, "mixed", SUMMARY_FILE);
      const original = fs.readFileSync(summaryFile, "utf8");
      const planFile = path.join(s.dir, "mixed", services(), "plan.tfplan");
      const bytes = fs.readFileSync(planFile);
      fs.appendFileSync(planFile, "x");
      try {
        const r = await applyV2Services("mixed");
        expect(r.exitCode).toBe(1);
        expect(r.outcomes[0].result).toBe("refused");
        expect(r.outcomes[0].message).toMatch(
          /has sha256 [0-9a-f]{64}, but the reviewed plan was [0-9a-f]{64}; it is not the plan that was reviewed/,
        );
      } finally {
        fs.writeFileSync(planFile, bytes);
        fs.writeFileSync(summaryFile, original);
      }
    },
    5 * 60_000,
  );

  test(
    "apply --from refuses a stale plan after the state changed out of band",
    async () => {
      // Out of band: another reviewed plan (the same v2 change) is applied first.
      const other = await preview(s, "other", "v2", [services()]);
      expect(other.exitCode).toBe(2);
      const first = await applyV2Services("other");
      expect(first.outcomes).toEqual([expect.objectContaining({ result: "applied" })]);
      const stale = await applyV2Services("mixed");
      expect(stale.exitCode).toBe(1);
      expect(stale.outcomes[0].result).toBe("refused");
      expect(stale.outcomes[0].message).toContain("Saved plan is stale");
    },
    10 * 60_000,
  );
});
