// The `<id>-github` stack of the tiny fixture, resource by resource: repository settings, the default-branch ruleset,
// labels, milestones, issues, generated docs, Actions variables and secrets, no token in the output, the provider
// for the emulator; stable ids and no Terraform cycles under reordering and soft dependencies; the pure renderers.
// The blueprints' stacks as a whole are in github-stack-blueprints.test.ts.
import { Testing } from "cdktf";
import { type Project, type ProjectInput } from "../constructs/model";
import {
  GENERATED_MARKER,
  generatedFiles,
  renderCodeowners,
  renderWorkstreamIssueBody,
  renderWorkstreamReadme,
  softReferenceEdges,
} from "../constructs/orchestration/docs";
import { OrchestrationPlan } from "../constructs/orchestration/plan";
import { canonicalProject, ProjectGitHubStack } from "../stacks/project-github-stack";
import { tinyProject } from "../support/fixtures";
import { parse, synth } from "./support/github-stack-synth";

const FAKE_TOKEN = "ghp_ThisMustNeverAppearInSynthOutput0123456789";

function richTiny(): ProjectInput {
  const p = tinyProject();
  p.repository = {
    ...p.repository,
    topics: ["ml", "agents"],
    variables: { MODEL_NAME: "sdxl" },
    secrets: [
      { name: "HF_TOKEN", from: "SPARKY_HF_TOKEN" },
      { name: "HF_TOKEN_MIRROR", from: "SPARKY_HF_TOKEN" },
    ],
  };
  p.orchestrators = [{ ...p.orchestrators[0], owners: ["@acme/core", "@alice"], ownedPaths: ["src/", "docs/core.md"] }];
  return p;
}

/** A plan outside any stack, for the pure renderers. */
function planFor(project: Project): OrchestrationPlan {
  const app = Testing.app();
  return new OrchestrationPlan(
    new ProjectGitHubStack(app, "scratch", { project, github: { owner: "acme" } }),
    "plan",
    canonicalProject(project),
  );
}

describe("ProjectGitHubStack (tiny fixture)", () => {
  const previous = process.env.GITHUB_TOKEN;
  let result: ReturnType<typeof synth>;
  beforeAll(() => {
    process.env.GITHUB_TOKEN = FAKE_TOKEN;
    process.env.SPARKY_HF_TOKEN = "hf_secretvalue_from_env";
    result = synth(parse(richTiny()));
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = previous;
    delete process.env.SPARKY_HF_TOKEN;
  });

  test("repository settings avoid the known perpetual diffs", () => {
    const repo = result.out.resource.github_repository.repository;
    expect(repo).toMatchObject({
      name: "tiny",
      visibility: "private",
      has_issues: true,
      allow_squash_merge: true,
      allow_merge_commit: false,
      allow_rebase_merge: false,
      allow_auto_merge: true,
      delete_branch_on_merge: true,
      squash_merge_commit_title: "PR_TITLE",
      squash_merge_commit_message: "PR_BODY",
      vulnerability_alerts: true,
      topics: ["agents", "ml"],
    });
    for (const key of [
      "etag",
      "private",
      "security_and_analysis",
      "merge_commit_title",
      "merge_commit_message",
      "default_branch",
      "has_downloads",
    ])
      expect(repo).not.toHaveProperty(key);
    expect(Testing.toHaveResourceWithProperties(result.json, "github_branch_default", { branch: "main" })).toBe(true);
  });

  test("default branch ruleset requires the model's checks, reviews, linear history, no force pushes or deletion", () => {
    const rs = result.out.resource.github_repository_ruleset["default-branch-ruleset"];
    expect(rs).toMatchObject({
      target: "branch",
      enforcement: "active",
      conditions: { ref_name: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
      bypass_actors: [{ actor_id: 5, actor_type: "RepositoryRole", bypass_mode: "always" }],
      rules: {
        deletion: true,
        non_fast_forward: true,
        required_linear_history: true,
        pull_request: { required_approving_review_count: 1, require_code_owner_review: true },
        required_status_checks: { strict_required_status_checks_policy: true, required_check: [{ context: "test" }] },
      },
    });
    // Files land before the branch is protected.
    expect(rs.depends_on).toEqual(expect.arrayContaining(["github_repository_file.file-github-CODEOWNERS"]));
    expect(result.out.resource.github_branch_protection_v3).toBeUndefined();
  });

  test("label families", () => {
    const names = Object.values(result.out.resource.github_issue_label)
      .map((l: any) => l.name)
      .sort();
    expect(names).toEqual(
      [
        "critical-path",
        "domain:core",
        "milestone:M0",
        "milestone:M1",
        "priority:P0",
        "priority:P1",
        "priority:P2",
        "status:blocked",
        "status:done",
        "status:in-progress",
        "status:not-started",
        "status:review",
        "type:gate",
        "type:tracking",
        "type:workstream",
      ].sort(),
    );
    for (const l of Object.values(result.out.resource.github_issue_label) as any[]) expect(l.color).toMatch(/^[0-9a-f]{6}$/);
  });

  test("milestones carry computed due dates as plain dates", () => {
    const ms = result.out.resource.github_repository_milestone;
    expect(Object.keys(ms).sort()).toEqual(["milestone-M0", "milestone-M1"]);
    // WS-01 takes 2 days (max); WS-02 and WS-03 follow in sequence: M1 ends on day 6.
    expect(ms["milestone-M0"]).toMatchObject({ owner: "acme", title: "M0: Start", due_date: "2026-01-07", state: "open" });
    expect(ms["milestone-M1"]).toMatchObject({ due_date: "2026-01-11" });
  });

  test("one issue per workstream, keyed by id, with dependency refs and milestone/label references", () => {
    const issues = result.out.resource.github_issue;
    expect(Object.keys(issues).sort()).toEqual(["issue-WS-01", "issue-WS-02", "issue-WS-03", "issue-gate-gate-1", "issue-tracking"]);
    const ws3 = issues["issue-WS-03"];
    expect(ws3.title).toBe("WS-03: Work WS-03");
    expect(ws3.body).toContain(
      "- Depends on: #${github_issue.issue-WS-01.number} (WS-01: Work WS-01), #${github_issue.issue-WS-02.number} (WS-02: Work WS-02)",
    );
    expect(ws3.body).toContain("## Acceptance Criteria\n- [ ] the thing works");
    expect(ws3.body).toContain("`dev`");
    expect(ws3.body).toContain("on the critical path");
    expect(ws3.milestone_number).toBe("${github_repository_milestone.milestone-M1.number}");
    // The model's labels (label resources, so they exist first), plus the people's read from the issue at plan time.
    expect(ws3.labels).toBe(
      "${setunion([github_issue_label.label-critical-path.name, github_issue_label.label-domain-core.name, " +
        "github_issue_label.label-milestone-M1.name, github_issue_label.label-priority-P0.name, " +
        "github_issue_label.label-status-not-started.name, github_issue_label.label-type-workstream.name], " +
        'try([for l in jsondecode(data.github_rest_api.issue-labels["issue-WS-03"].body).labels : l.name if !contains(' +
        JSON.stringify(
          Object.values(result.out.resource.github_issue_label)
            .map((l: any) => l.name)
            .sort(),
        ).replace(/","/g, '", "') +
        ", l.name)], []))}",
    );
    // People own the body after creation and the assignees; the model keeps the rest. Raw destroys are refused.
    expect(ws3.lifecycle).toEqual({ ignore_changes: ["body", "assignees"], prevent_destroy: true });
    // The split is noted in the issue's `//` comment for the tools (Testing.synth drops comments; toTerraform keeps them).
    const raw = result.stack.toTerraform() as any;
    expect(raw.resource.github_issue["issue-WS-03"]["//"]["sparky-infra-ownership"]).toEqual({
      people: ["body", "assignees"],
      shared: ["labels"],
    });
    // "Blocks" never carries a number: it would point at dependents, which point back (a Terraform cycle).
    const ws1 = issues["issue-WS-01"];
    expect(ws1.body).toContain("- Blocks: WS-02: Work WS-02, WS-03: Work WS-03");
    expect(ws1.body).not.toContain("github_issue.issue-WS-02");
    expect(ws1.body).toContain(
      "${github_repository.repository.html_url}/blob/main/docs/orchestration/workstreams/ws01-work-ws-01/README.md",
    );
  });

  test("gate and tracking issues", () => {
    const issues = result.out.resource.github_issue;
    const gate = issues["issue-gate-gate-1"];
    expect(gate.title).toBe("Gate 1");
    expect(gate.body).toContain("- [ ] it works");
    expect(gate.body).toContain("#${github_issue.issue-WS-01.number} (WS-01: Work WS-01)");
    const tracking = issues["issue-tracking"];
    expect(tracking.title).toBe("Tiny: orchestration tracking");
    expect(tracking.body).toContain("### M0: Start: ⚪ not started (0/1)");
    expect(tracking.body).toContain("**Progress:** 0/3 workstreams done, 0/1 gates passed.");
    expect(tracking.body).toContain("- [ ] #${github_issue.issue-WS-02.number} WS-02: Work WS-02 — not-started · P0");
    // The tracking issue's body is the model's report; only its assignees are people's.
    expect(tracking.lifecycle.ignore_changes).toEqual(["assignees"]);
    expect(tracking.body).toContain("#${github_issue.issue-gate-gate-1.number} Gate 1");
    expect(tracking.body).toContain("```mermaid\nflowchart LR");
    expect(tracking.body).toContain("### Critical path");
  });

  test("generated docs are committed with a marker, a fixed message and no commit author", () => {
    const files = result.out.resource.github_repository_file;
    const paths = Object.values(files)
      .map((f: any) => f.file)
      .sort();
    expect(paths).toEqual(
      [
        ".github/CODEOWNERS",
        ".github/ISSUE_TEMPLATE/workstream.md",
        ".github/pull_request_template.md",
        "docs/orchestration/meta-orchestrator.md",
        "docs/orchestration/orchestrators/core.md",
        "docs/orchestration/workstream-plan.md",
        "docs/orchestration/workstreams/ws01-work-ws-01/README.md",
        "docs/orchestration/workstreams/ws02-work-ws-02/README.md",
        "docs/orchestration/workstreams/ws03-work-ws-03/README.md",
        "CLAUDE.md",
        "CONTRIBUTING.md",
        "DOCKER-QUICKREF.md",
      ].sort(),
    );
    for (const f of Object.values(files) as any[]) {
      expect(f.content.split("\n").slice(0, 2).join("\n")).toContain(GENERATED_MARKER);
      expect(f).toMatchObject({
        branch: "main",
        // Never over a file that is already there: a person's file is only replaced when the model takes it over.
        overwrite_on_create: false,
        commit_message: "docs: sync generated orchestration files (sparky-infra)",
      });
      expect(f).not.toHaveProperty("commit_author");
      expect(f).not.toHaveProperty("commit_email");
    }
    const codeowners = (Object.values(files) as any[]).find((f) => f.file === ".github/CODEOWNERS").content;
    expect(codeowners).toContain("/src/ @acme/core @alice\n/docs/core.md @acme/core @alice");
    const plan = (Object.values(files) as any[]).find((f) => f.file === "docs/orchestration/workstream-plan.md").content;
    expect(plan).toContain("```mermaid\nflowchart LR");
    expect(plan).toContain("```mermaid\ngantt");
    expect(plan).toContain("## Critical path");
  });

  test("Actions variables and secrets: values from the environment only, never in the config", () => {
    expect(result.out.resource.github_actions_variable["variable-MODEL_NAME"]).toMatchObject({
      variable_name: "MODEL_NAME",
      value: "sdxl",
    });
    const secrets = result.out.resource.github_actions_secret;
    expect(secrets["secret-HF_TOKEN"]).toMatchObject({ secret_name: "HF_TOKEN", plaintext_value: "${var.SPARKY_HF_TOKEN}" });
    expect(secrets["secret-HF_TOKEN_MIRROR"].plaintext_value).toBe("${var.SPARKY_HF_TOKEN}");
    expect(result.out.variable).toEqual({ SPARKY_HF_TOKEN: expect.objectContaining({ type: "string", sensitive: true, nullable: false }) });
    expect(result.json).not.toContain("hf_secretvalue_from_env");
  });

  test("no token anywhere in the synthesized JSON; the provider reads GITHUB_TOKEN itself", () => {
    expect(result.json).not.toContain(FAKE_TOKEN);
    expect(result.json).not.toMatch(/ghp_|github_pat_/);
    const provider = result.out.provider.github[0];
    expect(provider).toEqual({ owner: "acme" });
    expect(result.out.data.github_user.caller).toEqual({ username: "" });
    expect(result.out.resource.github_repository.repository.depends_on).toEqual(["data.github_user.caller"]);
  });

  test("a loopback base URL (the emulator) drops the write delay; GitHub.com keeps the provider defaults", () => {
    const local = synth(parse(tinyProject()), { owner: "acme", baseUrl: "http://127.0.0.1:4321/" });
    expect(local.out.provider.github[0]).toEqual({
      owner: "acme",
      base_url: "http://127.0.0.1:4321/",
      write_delay_ms: 1,
      read_delay_ms: 0,
      max_retries: 0,
    });
  });
});

describe("stability and cycle avoidance", () => {
  test("reordering workstreams yields identical resource ids and bodies", () => {
    const a = parse(richTiny());
    const b = parse(richTiny());
    b.workstreams = [...b.workstreams].reverse().map((w) => ({ ...w, dependsOn: [...w.dependsOn].reverse() }));
    const ja = synth(a).json;
    const jb = synth(b).json;
    expect(jb).toBe(ja);
  });

  test("a soft dependency on a dependent is written without a reference, so no Terraform cycle appears", () => {
    const input = tinyProject();
    input.workstreams![0] = { ...input.workstreams![0], softDependsOn: ["WS-03"] };
    input.workstreams![1] = { ...input.workstreams![1], softDependsOn: ["WS-01"] };
    const project = parse(input);
    const { out } = synth(project);
    const ws1 = out.resource.github_issue["issue-WS-01"].body as string;
    expect(ws1).toContain("- Soft: WS-03: Work WS-03\n");
    expect(ws1).not.toContain("github_issue.issue-WS-03");
    expect(out.resource.github_issue["issue-WS-02"].body).toContain("- Soft: #${github_issue.issue-WS-01.number} (WS-01: Work WS-01)");
    const plan = planFor(project);
    expect([...softReferenceEdges(plan).get("WS-01")!]).toEqual([]);
    expect([...softReferenceEdges(plan).get("WS-02")!]).toEqual(["WS-01"]);
  });
});

describe("pure renderers", () => {
  test("workstream README follows the template's sections", () => {
    const project = parse(richTiny());
    const plan = planFor(project);
    const text = renderWorkstreamReadme(project, plan, plan.workstream("WS-02"));
    expect(text.split("\n")[0]).toContain(GENERATED_MARKER);
    const headings = text.split("\n").filter((l) => /^#{2,3} /.test(l));
    expect(headings).toEqual([
      "## Objective",
      "## Deliverables",
      "## Acceptance Criteria",
      "## Technical Requirements",
      "## Dependencies",
      "### Blocked By",
      "### Blocks",
      "### Soft Dependencies",
      "## Verification",
      "## Completion Checklist",
    ]);
    expect(text).toContain("- [WS-01: Work WS-01](../ws01-work-ws-01/README.md)");
    expect(text).toContain("| Branch | `ws02-work-ws-02` |");
    expect(text).toContain("- [ ] the thing works");
  });

  test("issue body with plain refs, CODEOWNERS without owners", () => {
    const project = parse(tinyProject());
    const plan = planFor(project);
    const body = renderWorkstreamIssueBody(project, plan, plan.workstream("WS-03"), {
      workstream: (id) => `#${id}`,
      gate: (id) => `#${id}`,
      file: (p) => p,
    });
    expect(body).toContain("- Depends on: #WS-01 (WS-01: Work WS-01), #WS-02 (WS-02: Work WS-02)");
    expect(body).toContain("## Estimated Duration\n1–2 days; scheduled day 4–6 (2026-01-09 → 2026-01-11)");
    expect(renderCodeowners(project).trim()).toBe(
      `# ${GENERATED_MARKER}: rendered from the tiny blueprint (orchestrators' ownedPaths and owners)`,
    );
    expect([...generatedFiles(project, plan).keys()]).not.toContain(".github/CODEOWNERS");
  });
});
