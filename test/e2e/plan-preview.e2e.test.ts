// End-to-end: plan preview with the real engine (OpenTofu) against the local Docker engine. Re-creates the
// golden fixtures' scenario live with a unique tiny project (create → apply-from → no-op → update/replace/
// destroy/create, a 60-service plan over the comment limit, a stack that fails to plan), checks the
// renderer on those plans, that a secret from the environment never reaches the outputs, and that
// `apply --from` refuses a tampered plan and a stale one. Only `<id>-services` stacks are deployed; state is
// in a temp dir; everything is destroyed in afterAll. Fails loudly when the toolchain is missing, unless SPARKY_E2E=0.
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMENT_LIMIT } from "../../tools/plan-preview/render";
import { applyFrom, SUMMARY_FILE } from "../../tools/plan-preview/run";
import { EXPECTED_DIR } from "../fixtures/plans/golden";
import { destroyScenario, prepareScenario, preview, projectsFor, runScenario, ScenarioPlans } from "../fixtures/plans/live";
import { engineAvailable, providerAvailable } from "./support/toolchain";

const ROOT = path.resolve(__dirname, "..", "..");
const enabled = process.env.SPARKY_E2E !== "0";
const maybe = enabled ? describe : describe.skip;
const SECRET = `pp-secret-${Math.random().toString(36).slice(2, 12)}`;
const ECHO = `pp-echo-${Math.random().toString(36).slice(2, 12)}`;

maybe("plan preview (e2e, real engine and Docker)", () => {
  let s: Awaited<ReturnType<typeof prepareScenario>>;
  let plans: ScenarioPlans;
  const logs: string[] = [];

  beforeAll(async () => {
    if (!engineAvailable() || !providerAvailable("kreuzwerker/docker"))
      throw new Error("toolchain missing: run `just setup` (or SPARKY_E2E=0 to skip)");
    s = await prepareScenario({ secret: SECRET, echo: ECHO, log: (l) => logs.push(l) });
    s.env.GITHUB_TOKEN = ECHO; // a "token" whose value also sits in a plain env var of the api service
    plans = await runScenario(s);
  }, 15 * 60_000);

  afterAll(async () => {
    if (s) {
      await destroyScenario(s);
      if (process.env.KEEP_E2E !== "1") fs.rmSync(s.dir, { recursive: true, force: true });
    }
  }, 10 * 60_000);

  const services = () => `${s.id}-services`;
  const reportOf = (r: { summary: { stacks: { stack: string }[] } }, stack: string) =>
    r.summary.stacks.find((x) => x.stack === stack) as any;

  test("create: two stacks at once, counts and exit 2; the many-service stack is trimmed within the limit", () => {
    expect(plans.create.exitCode).toBe(2);
    expect(reportOf(plans.create, services()).counts).toMatchObject({ add: 9, change: 0, destroy: 0, replace: 0 });
    expect(reportOf(plans.create, `${s.bigId}-services`).counts.add).toBe(2 * s.bigCount + 1);
    expect(plans.create.markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(plans.create.summary.trimmed).toBe(true);
    expect(fs.readFileSync(path.join(s.dir, "create", "plan-preview-full.md"), "utf8").length).toBeGreaterThan(COMMENT_LIMIT);
    expect(plans.create.markdown).toContain("+ env = (sensitive)");
  });

  test("no-op after apply: exit 0 and one collapsed line", () => {
    expect(plans.noop.exitCode).toBe(0);
    expect(plans.noop.markdown).toContain(`✅ **No changes** (1): \`${services()}\``);
  });

  test("update in place, replace, destroy, create: counts, banner and details match the golden rendering's shape", () => {
    expect(plans.mixed.exitCode).toBe(2);
    const live = plans.mixed.markdown;
    expect(live).toContain(`| \`${services()}\` | 📝 changes | 2 | 1 | 2 | 1 | 0 | 0 |`);
    expect(live).toContain('~ restart: "unless-stopped" → "always"');
    // Same headings, resource addresses and banner lines as the committed golden (ids, hashes, ports aside).
    const golden = fs.readFileSync(path.join(EXPECTED_DIR, "mixed.md"), "utf8");
    const shape = (md: string) =>
      md
        .split("\n")
        .filter((l) => l.startsWith("#### ") || l.startsWith("**`") || l.startsWith("> "))
        .map((l) => l.replace(/(pp|ppbig)-[a-z0-9]{6}/g, "<id>"));
    expect(shape(live)).toEqual(shape(golden));
  });

  test("a stack without its secret fails to plan: exit 1 with the engine's reason", () => {
    expect(plans.failed.exitCode).toBe(1);
    expect(plans.failed.markdown).toContain("Error: No value for required variable");
  });

  test("the secret and the token never appear in any comment or summary", () => {
    for (const run of ["create", "noop", "mixed", "failed"])
      for (const file of ["plan-preview.md", "plan-preview-full.md", SUMMARY_FILE]) {
        const text = fs.readFileSync(path.join(s.dir, run, file), "utf8");
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(ECHO);
      }
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
        const r = await applyFrom({
          env: s.env,
          projectRoot: ROOT,
          from: path.join(s.dir, "mixed"),
          projects: projectsFor(s, "v2"),
          stacks: [services()],
          log: () => {},
        });
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
      const first = await applyFrom({
        env: s.env,
        projectRoot: ROOT,
        from: path.join(s.dir, "other"),
        projects: projectsFor(s, "v2"),
        stacks: [services()],
        log: () => {},
      });
      expect(first.outcomes).toEqual([expect.objectContaining({ result: "applied" })]);
      const stale = await applyFrom({
        env: s.env,
        projectRoot: ROOT,
        from: path.join(s.dir, "mixed"),
        projects: projectsFor(s, "v2"),
        stacks: [services()],
        log: () => {},
      });
      expect(stale.exitCode).toBe(1);
      expect(stale.outcomes[0].result).toBe("refused");
      expect(stale.outcomes[0].message).toContain("Saved plan is stale");
    },
    10 * 60_000,
  );
});
