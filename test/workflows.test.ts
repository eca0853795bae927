// The workflows, read as a security reviewer would (actionlint lints them in test/e2e/actionlint.e2e.test.ts):
// pull-request code never meets a secret; each secret reaches only the step that needs it, in a job gated by a
// protected Environment; every third-party action is at the release the one pins list names; and nothing a
// workflow publishes (artifacts, step summaries) holds a planted secret in any encoding.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { analyzeStack, summarize } from "../tools/drift/analyze";
import { renderMarkdown } from "../tools/drift/render";
import { checkUse, readPins, rewriteUses, usesOf, workflowFiles } from "../tools/ci/pins";
import { globMatch } from "../tools/engine/select";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { writeOutputs } from "../tools/plan-preview/run";
import { leaks, PROBE_PEM, probeContainer, probeMasker } from "./support/leak-probe";
import { change, deployed, onePlan, plan } from "./support/plan-json";

type Step = { name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { if?: string; environment?: string; permissions?: Record<string, string>; env?: unknown; steps: Step[] };
type Workflow = { on: Record<string, unknown>; permissions?: unknown; env?: unknown; jobs: Record<string, Job> };

const WORKFLOWS = fs.readdirSync(path.join(REPO_ROOT, ".github/workflows")).filter((f) => f.endsWith(".yml"));
const load = (file: string): Workflow => parse(fs.readFileSync(path.join(REPO_ROOT, ".github/workflows", file), "utf8"));
const workflows = Object.fromEntries(WORKFLOWS.map((f) => [f, load(f)]));
const secretsIn = (value: unknown): string[] => [...JSON.stringify(value ?? null).matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
const jobs = () => Object.entries(workflows).flatMap(([file, wf]) => Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })));

/** The protected Environments (README "Plan previews"): each limited to main, the gating ones with reviewers. */
const ENVIRONMENTS = ["plan-preview", "deploy", "drift", "drift-reconcile"];

/** Which step gets which secret: the whole list, so a secret added anywhere else fails here. */
const SECRETS_BY_STEP: Record<string, Record<string, string[]>> = {
  "plan-preview-plan.yml plan": {
    "Read-only SSH access to the DGX": ["DGX_SSH_READ_KEY"],
    "Plan with read-only credentials": ["SPARKY_GITHUB_READ_TOKEN", "GRAFANA_ADMIN_PASSWORD", "SPARKY_GH_TOKEN", "PGPASSWORD"],
  },
  "apply.yml apply": {
    "SSH access to the DGX": ["DGX_SSH_KEY"],
    "Plan again and apply only the reviewed change set": ["SPARKY_GITHUB_TOKEN", "GRAFANA_ADMIN_PASSWORD", "SPARKY_GH_TOKEN", "PGPASSWORD"],
  },
  "drift.yml check": {
    "Read-only SSH access to the DGX": ["DGX_SSH_READ_KEY"],
    "Check drift": ["SPARKY_GITHUB_READ_TOKEN", "GRAFANA_ADMIN_PASSWORD", "SPARKY_GH_TOKEN", "PGPASSWORD"],
  },
  "drift.yml reconcile": {
    "SSH access to the DGX": ["DGX_SSH_KEY"],
    Reconcile: ["SPARKY_GITHUB_TOKEN", "GRAFANA_ADMIN_PASSWORD", "SPARKY_GH_TOKEN", "PGPASSWORD"],
  },
};

describe("pull request code never meets a secret", () => {
  test("no workflow runs on pull_request_target; the pull_request workflow holds no secret, Environment or write permission", () => {
    for (const [file, wf] of Object.entries(workflows))
      expect([file, Object.keys(wf.on)]).not.toContainEqual([file, expect.arrayContaining(["pull_request_target"])]);
    const pr = Object.entries(workflows).filter(([, wf]) => "pull_request" in wf.on);
    expect(pr.map(([file]) => file)).toEqual(["plan-preview.yml"]);
    for (const [, wf] of pr) {
      expect(secretsIn(wf)).toEqual([]);
      for (const job of Object.values(wf.jobs)) {
        expect(job.environment).toBeUndefined();
        expect(job.permissions).toEqual({ contents: "read" });
      }
      expect(wf.permissions).toEqual({});
    }
  });

  test("the trusted half runs from main (workflow_run), never for a fork, and only plans what main's guard passed", () => {
    const wf = workflows["plan-preview-plan.yml"];
    expect(wf.on).toEqual({ workflow_run: { workflows: ["plan-preview"], types: ["completed"] } });
    const plan = wf.jobs.plan;
    expect(plan.if).toContain("github.event.workflow_run.head_repository.full_name == github.repository");
    expect(plan.if).toContain("github.event.workflow_run.event == 'pull_request'");
    const names = plan.steps.map((s) => s.name ?? s.uses);
    const at = (name: string) => names.indexOf(name);
    expect(at("Guard the synthesized stacks")).toBeGreaterThan(at("Fetch the pull request's synthesized stacks"));
    expect(at("Read-only SSH access to the DGX")).toBeGreaterThan(at("Guard the synthesized stacks"));
    expect(plan.steps[at("Guard the synthesized stacks")].env).toEqual({
      SPARKY_TRUSTED_ENDPOINTS: "${{ vars.SPARKY_TRUSTED_ENDPOINTS }}",
    });
    expect(plan.steps[at("Plan with read-only credentials")].run).toContain("--synthesized cdktf.out");
    // The PR's files are data in the runner's temp directory; only the guard's vetted copy reaches the engine.
    expect(plan.steps[at("Fetch the pull request's synthesized stacks")].with?.path).toBe("${{ runner.temp }}/pr-synth");
  });

  test("jobs with secrets check out only the trusted ref, and keep no git credentials", () => {
    for (const { file, id, job } of jobs()) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
        expect([file, id, step.with?.["persist-credentials"]]).toEqual([file, id, false]);
        if (secretsIn(job).length > 0) expect([file, id, step.with?.ref, step.with?.repository]).toEqual([file, id, undefined, undefined]);
      }
    }
  });
});

describe("secrets", () => {
  test("never at workflow or job level: only in the env or inputs of the steps that need them", () => {
    for (const [file, wf] of Object.entries(workflows)) {
      expect([file, secretsIn(wf.env)]).toEqual([file, []]);
      for (const [id, job] of Object.entries(wf.jobs)) {
        expect([file, id, secretsIn(job.env), secretsIn(job.if), secretsIn(job.environment)]).toEqual([file, id, [], [], []]);
        for (const step of job.steps)
          expect([file, id, step.name, secretsIn(step.run), secretsIn(step.if)]).toEqual([file, id, step.name, [], []]);
      }
    }
    const actual: Record<string, Record<string, string[]>> = {};
    for (const { file, id, job } of jobs())
      for (const step of job.steps) {
        const names = secretsIn({ env: step.env, with: step.with });
        if (names.length > 0) (actual[`${file} ${id}`] ??= {})[step.name ?? String(step.uses)] = names;
      }
    expect(actual).toEqual(SECRETS_BY_STEP);
  });

  test("every job that gets a secret is gated by a protected Environment; reads and writes are separate ones", () => {
    for (const { file, id, job } of jobs()) {
      const names = secretsIn(job);
      if (names.length === 0) continue;
      expect([file, id, ENVIRONMENTS.includes(String(job.environment))]).toEqual([file, id, true]);
      const writes = names.filter((n) => n === "DGX_SSH_KEY" || n === "SPARKY_GITHUB_TOKEN");
      const reads = names.filter((n) => n.includes("_READ_"));
      expect([file, id, writes.length > 0 && reads.length > 0]).toEqual([file, id, false]);
      expect([file, id, job.environment === "plan-preview" || job.environment === "drift"]).toEqual([file, id, writes.length === 0]);
    }
  });

  test("reconcile and apply run only from main; drift reconciles only when a person asks, destroys only when allowed", () => {
    const drift = workflows["drift.yml"];
    expect(drift.jobs.check.if).toBe("github.ref == 'refs/heads/main'");
    expect(drift.jobs.reconcile.if).toBe(
      "github.event_name == 'workflow_dispatch' && inputs.reconcile != 'none' && github.ref == 'refs/heads/main'",
    );
    expect(drift.jobs.reconcile.environment).toBe("drift-reconcile");
    const reconcile = drift.jobs.reconcile.steps.find((s) => s.name === "Reconcile")!;
    expect(reconcile.env?.ALLOW_DESTROY).toBe("${{ inputs.allow-destroy }}");
    expect(reconcile.run).toContain('if [ "$ALLOW_DESTROY" = true ]; then flags+=(--allow-destroy); fi');
    expect(workflows["apply.yml"].on).toEqual({ push: { branches: ["main"] } });
  });
});

describe("the SSH action", () => {
  const action = parse(fs.readFileSync(path.join(REPO_ROOT, ".github/actions/dgx-ssh/action.yml"), "utf8"));

  test("every job that loads a key removes it and closes the connections in an always() step at its end", () => {
    for (const { file, id, job } of jobs()) {
      const loads = job.steps.filter((s) => s.uses === "./.github/actions/dgx-ssh" && s.with?.cleanup !== "true");
      if (loads.length === 0) continue;
      const cleanups = job.steps.filter((s) => s.uses === "./.github/actions/dgx-ssh" && s.with?.cleanup === "true");
      expect([file, id, cleanups.map((s) => s.if)]).toEqual([file, id, ["always()"]]);
      const lastSecretStep = Math.max(...job.steps.map((s, i) => (secretsIn(s.env).length > 0 ? i : -1)));
      expect(job.steps.indexOf(cleanups[0])).toBeGreaterThan(lastSecretStep);
    }
  });

  test("the key lives in a job-local agent (umask 077), and cleanup closes masters, stops the agent and removes host keys", () => {
    const [load, cleanup] = action.runs.steps;
    expect(load.run).toContain("umask 077");
    expect(load.run).toContain('ssh-agent -s -a "$dir/agent.sock"');
    expect(load.run).not.toMatch(/id_ed25519|> *~\/\.ssh\/id_/);
    expect(cleanup.if).toBe("inputs.cleanup == 'true'");
    expect(cleanup.run).toContain('ssh -S "$socket" -O exit');
    expect(cleanup.run).toContain("ssh-agent -k");
  });
});

describe("pinned actions: one list", () => {
  const pins = readPins(REPO_ROOT);

  test("every third-party action is at the exact release .github/actions-pins.json names, and every pin is used", () => {
    const uses = workflowFiles(REPO_ROOT).flatMap((f) => usesOf(REPO_ROOT, f));
    expect(uses.length).toBeGreaterThan(10);
    expect(uses.map((u) => checkUse(u, pins)).filter(Boolean)).toEqual([]);
    expect([...new Set(uses.map((u) => u.action))].sort()).toEqual(Object.keys(pins).sort());
    for (const pin of Object.values(pins)) expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  test("pinning to SHAs rewrites each uses: as @<sha> # <version>, which the check then accepts", () => {
    const withSha = Object.fromEntries(Object.entries(pins).map(([a, p], i) => [a, { ...p, sha: String(i).repeat(40) }]));
    const file = ".github/workflows/drift.yml";
    const rewritten = rewriteUses(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"), withSha);
    expect(rewritten).toContain(`uses: actions/checkout@${withSha["actions/checkout"].sha} # v4.2.2`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-pins-"));
    try {
      fs.mkdirSync(path.join(dir, ".github/workflows"), { recursive: true });
      fs.writeFileSync(path.join(dir, file), rewritten);
      const uses = usesOf(dir, file);
      expect(uses.map((u) => checkUse(u, withSha)).filter(Boolean)).toEqual([]);
      expect(uses.map((u) => checkUse(u, pins)).filter(Boolean)).toHaveLength(uses.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("leak probe over everything the workflows publish", () => {
  /** Files a workflow uploads as artifacts or appends to its run summary, from a job that holds secrets. */
  function published(): string[] {
    const files: string[] = [];
    for (const { job } of jobs().filter(({ job }) => secretsIn(job).length > 0))
      for (const step of job.steps) {
        if (step.uses?.startsWith("actions/upload-artifact@"))
          files.push(
            ...String(step.with?.path)
              .split("\n")
              .map((l) => l.trim())
              .filter(Boolean),
          );
        for (const m of (step.run ?? "").matchAll(/cat (\S+) >> "\$GITHUB_STEP_SUMMARY"/g)) files.push(m[1]);
      }
    return files;
  }

  test("never a plan file or the synthesized stacks", () => {
    expect(published().sort()).toEqual([
      "drift.md",
      "plan-preview/changeset.json",
      "plan-preview/plan-preview-full.md",
      "plan-preview/plan-preview.md",
      "plan-preview/plan-preview.md",
    ]);
    expect(published().filter((f) => /tfplan|cdktf\.out|tfstate/.test(f))).toEqual([]);
  });

  test("0 occurrences of a secret planted in every encoding, in each published file written from a real-shaped plan", () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-published-"));
    try {
      const json = plan({
        resource_changes: [
          change("docker_container.probe", ["create"], null, probeContainer(), { after_unknown: {}, after_sensitive: {} }),
        ],
      });
      fs.mkdirSync(path.join(workspace, "plan-preview"));
      writeOutputs(
        path.join(workspace, "plan-preview"),
        [
          { stack: "probe-services", json },
          { stack: "broken", error: `Error: ${PROBE_PEM}` },
        ],
        probeMasker(),
      );
      const drift = analyzeStack(
        "probe-services",
        onePlan(
          plan({ resource_drift: [change("docker_container.probe", ["update"], { env: ["A=1"] }, probeContainer())], ...deployed }),
          plan({}),
        ),
        { masker: probeMasker() },
      );
      fs.writeFileSync(path.join(workspace, "drift.md"), probeMasker().text(renderMarkdown(summarize([drift]))));
      const written = fs.readdirSync(workspace, { recursive: true }).map(String);
      for (const pattern of published()) {
        const matched = written.filter((f) => globMatch(pattern, f));
        expect([pattern, matched.length > 0]).toEqual([pattern, true]);
        for (const f of matched) expect([f, leaks(fs.readFileSync(path.join(workspace, f), "utf8"))]).toEqual([f, []]);
      }
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});
