// End-to-end: the real integrations/github provider (6.9.0, run by tofu from .toolchain/) against
// the local GitHub emulator. apply → plan is empty → out-of-band drift is detected → apply
// restores it → plan is empty → destroy. Skipped, with the reason printed, while the provider is not in
// the mirror (the Go module proxy refuses integrations/github 6.9.0 here; see README "Toolchain").
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github-emulator";
import { githubProviderEnv } from "../../support/engine-env";
import { run, type Run as RunResult } from "../../support/processes";
import { describeE2E } from "./support/describe-e2e";
import { toolchainEnv } from "./support/toolchain";

const OWNER = "sparky-org";
const TOKEN = "e2e-emulator-token";
const REPO = "sparky-demo";
const STEP_TIMEOUT_MS = 5 * 60_000;

function mainTf(baseUrl: string, providerVersion: string): unknown {
  const repo = "${github_repository.app.name}";
  return {
    terraform: { required_providers: { github: { source: "integrations/github", version: providerVersion } } },
    provider: { github: { owner: OWNER, base_url: baseUrl, write_delay_ms: 1, read_delay_ms: 0, max_retries: 0 } },
    resource: {
      github_repository: {
        app: {
          name: REPO,
          description: "Emulator e2e repository",
          homepage_url: "https://sparky.example.test",
          visibility: "public",
          has_issues: true,
          has_projects: false,
          has_wiki: false,
          allow_squash_merge: true,
          allow_merge_commit: false,
          allow_rebase_merge: false,
          allow_auto_merge: true,
          delete_branch_on_merge: true,
          squash_merge_commit_title: "PR_TITLE",
          squash_merge_commit_message: "PR_BODY",
          auto_init: true,
          archived: false,
          vulnerability_alerts: false,
          topics: ["ai", "dgx-spark"],
        },
      },
      github_branch_default: { main: { repository: repo, branch: "main" } },
      github_repository_ruleset: {
        main: {
          name: "protect-default-branch",
          repository: repo,
          target: "branch",
          enforcement: "active",
          conditions: { ref_name: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
          bypass_actors: [{ actor_id: 5, actor_type: "RepositoryRole", bypass_mode: "always" }],
          rules: {
            required_linear_history: true,
            non_fast_forward: true,
            pull_request: { required_approving_review_count: 1 },
            required_status_checks: { strict_required_status_checks_policy: true, required_check: [{ context: "ci" }] },
          },
          depends_on: ["github_branch_default.main"],
        },
      },
      github_issue_label: {
        triage: { repository: repo, name: "triage", color: "fbca04", description: "Needs triage" },
        gpu: { repository: repo, name: "gpu", color: "76b900", description: "Touches the GPU stack" },
        review: { repository: repo, name: "needs review", color: "0e8a16", description: "Waiting for review" },
      },
      github_repository_milestone: {
        v1: { owner: OWNER, repository: repo, title: "v1.0", description: "First release", due_date: "2026-01-15", state: "open" },
        v2: { owner: OWNER, repository: repo, title: "v2.0", description: "Second release", due_date: "2026-07-01", state: "open" },
      },
      github_issue: {
        a: {
          repository: repo,
          title: "Bring up the inference stack",
          body: "Set up the model server.",
          labels: ["${github_issue_label.triage.name}", "${github_issue_label.gpu.name}"],
          milestone_number: "${github_repository_milestone.v1.number}",
        },
        b: {
          repository: repo,
          title: "Benchmark the inference stack",
          body: "Follow-up to #${github_issue.a.number}.",
          labels: ["${github_issue_label.review.name}"],
          milestone_number: "${github_repository_milestone.v2.number}",
          assignees: [`${OWNER}-bot`],
        },
        c: { repository: repo, title: "Write the runbook", body: "Plain issue." },
      },
      github_repository_file: {
        codeowners: {
          repository: repo,
          branch: "main",
          file: ".github/CODEOWNERS",
          content: "* @sparky-org/admins\n",
          commit_message: "Add CODEOWNERS",
          overwrite_on_create: false,
          depends_on: ["github_branch_default.main"],
        },
      },
      github_actions_variable: { model: { repository: repo, variable_name: "MODEL_NAME", value: "llama-3.1-8b" } },
      github_actions_secret: { hf: { repository: repo, secret_name: "HF_TOKEN", plaintext_value: "not-a-real-token" } },
    },
  };
}

describeE2E("real integrations/github provider against the emulator", () => {
  let gh: GitHubEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let tf: string;

  beforeAll(async () => {
    gh = await startGitHubEmulator({ owner: OWNER, token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), "gh-emulator-e2e-"));
    const tcEnv = toolchainEnv();
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(mainTf(gh.url, "6.9.0"), null, 2));
    env = githubProviderEnv({ GITHUB_TOKEN: TOKEN, TF_DATA_DIR: join(dir, ".terraform") });
    tf = tcEnv.TERRAFORM_BINARY_NAME || "tofu";
  }, 120_000);

  afterAll(async () => {
    if (gh) await gh.stop();
    if (dir && !process.env.KEEP_E2E_DIR) rmSync(dir, { recursive: true, force: true });
  });

  const tfRun = async (...args: string[]) => {
    const r = await run(tf, [...args, "-no-color", "-input=false"], { cwd: dir, env, timeoutMs: STEP_TIMEOUT_MS });
    return r;
  };
  const expectOk = (r: RunResult, what: string) => {
    if (r.code !== 0)
      throw new Error(
        `${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- unhandled: ${gh.unhandledRoutes().join(", ")}`,
      );
  };

  test(
    "apply → zero-diff plan → drift detected → restored → zero-diff → destroy",
    async () => {
      expectOk(await tfRun("init"), "tofu init");
      expectOk(await tfRun("apply", "-auto-approve"), "tofu apply");
      expect(gh.unhandledRoutes()).toEqual([]);

      const repo = await gh.request("GET", `/repos/${OWNER}/${REPO}`);
      expect(repo.body).toMatchObject({
        allow_merge_commit: false,
        allow_rebase_merge: false,
        delete_branch_on_merge: true,
      });
      expect([...repo.body.topics].sort()).toEqual(["ai", "dgx-spark"]); // the provider sends a set
      const issues = await gh.request("GET", `/repos/${OWNER}/${REPO}/issues?state=all&direction=asc`);
      expect(issues.body).toHaveLength(3);
      const a = issues.body.find((i: { title: string }) => i.title === "Bring up the inference stack");
      const b = issues.body.find((i: { title: string }) => i.title === "Benchmark the inference stack");
      expect(b.body).toBe(`Follow-up to #${a.number}.`);
      expect(a.milestone.title).toBe("v1.0");

      const plan1 = await tfRun("plan", "-detailed-exitcode");
      if (plan1.code !== 0) throw new Error(`expected an empty plan after apply, got exit ${plan1.code}\n${plan1.stdout}\n${plan1.stderr}`);

      // Out-of-band drift through the emulator's own REST API.
      expect((await gh.request("PATCH", `/repos/${OWNER}/${REPO}/issues/${a.number}`, { title: "Renamed in the UI" })).status).toBe(200);
      expect((await gh.request("DELETE", `/repos/${OWNER}/${REPO}/labels/gpu`)).status).toBe(204);

      const plan2 = await tfRun("plan", "-detailed-exitcode");
      expect({ code: plan2.code, stderr: plan2.stderr }).toEqual({ code: 2, stderr: "" });
      expect(plan2.stdout).toContain("github_issue_label.gpu will be created");
      expect(plan2.stdout).toContain("github_issue.a will be updated in-place");
      expect(plan2.stdout).toMatch(/title\s+= "Renamed in the UI" -> "Bring up the inference stack"/);

      expectOk(await tfRun("apply", "-auto-approve"), "tofu apply (restore)");
      expect((await gh.request("GET", `/repos/${OWNER}/${REPO}/issues/${a.number}`)).body.title).toBe("Bring up the inference stack");
      expect((await gh.request("GET", `/repos/${OWNER}/${REPO}/labels/gpu`)).status).toBe(200);

      const plan3 = await tfRun("plan", "-detailed-exitcode");
      if (plan3.code !== 0)
        throw new Error(`expected an empty plan after restore, got exit ${plan3.code}\n${plan3.stdout}\n${plan3.stderr}`);

      expectOk(await tfRun("destroy", "-auto-approve"), "tofu destroy");
      expect((await gh.request("GET", `/repos/${OWNER}/${REPO}`)).status).toBe(404);
      expect(gh.unhandledRoutes()).toEqual([]);
    },
    20 * 60_000,
  );
});
