import { Testing } from "cdktf";
import { blueprints, dgxPixels } from "../blueprints";
import { ProjectSchema, type Project, type ProjectInput } from "../constructs/model";
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

type Synth = { resource: Record<string, Record<string, any>>; provider: any; variable?: Record<string, any>; data?: any };

const FAKE_TOKEN = "ghp_ThisMustNeverAppearInSynthOutput0123456789";

function parse(input: ProjectInput): Project {
  return ProjectSchema.parse(input);
}

function synth(
  project: Project,
  github: { owner: string; baseUrl?: string } = { owner: "acme" },
): { json: string; out: Synth; stack: ProjectGitHubStack } {
  const app = Testing.app();
  const stack = new ProjectGitHubStack(app, `${project.id}-github`, { project, github });
  const json = Testing.synth(stack);
  return { json, out: JSON.parse(json), stack };
}

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

describe("dgx-pixels blueprint", () => {
  let out: Synth;
  let json: string;
  let project: Project;
  beforeAll(async () => {
    project = parse(dgxPixels);
    ({ out, json } = synth(project, { owner: "raibid-labs" }));
  });

  test("repository, ruleset with the CI job names", () => {
    expect(out.resource.github_repository.repository).toMatchObject({ name: "dgx-pixels", visibility: "public" });
    const checks = out.resource.github_repository_ruleset["default-branch-ruleset"].rules.required_status_checks.required_check.map(
      (c: any) => c.context,
    );
    expect(checks.sort()).toEqual([...project.repository.requiredChecks].sort());
  });

  test("6 milestones (M0-M4 closed), issues for the 3 open workstreams and the 8 pending gates, a tracking issue", () => {
    const ms = out.resource.github_repository_milestone;
    expect(Object.keys(ms)).toHaveLength(6);
    for (const m of Object.values(ms) as any[]) expect(m.due_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.entries(ms).map(([k, m]: [string, any]) => `${k}:${m.state}`)).toEqual([
      "milestone-M0:closed",
      "milestone-M1:closed",
      "milestone-M2:closed",
      "milestone-M3:closed",
      "milestone-M4:closed",
      "milestone-M5:open",
    ]);
    // Done workstreams (WS-01..WS-15) and passed gates (2 and 3) have no issue resource: theirs are closed.
    const issues = out.resource.github_issue;
    expect(Object.keys(issues).filter((k) => /^issue-WS-\d\d$/.test(k))).toEqual(["issue-WS-16", "issue-WS-17", "issue-WS-18"]);
    expect(Object.keys(issues).filter((k) => k.startsWith("issue-gate-"))).toHaveLength(project.gates.length - 2);
    expect(issues["issue-gate-gate-2-model-interface"]).toBeUndefined();
    expect(issues["issue-tracking"].body).toContain("- [x] PIXELS-001: Hardware Baselines — done · P0 · critical path");
    expect(issues["issue-WS-16"].title).toBe("PIXELS-048: DCGM Metrics & Observability");
    expect(issues["issue-WS-17"].body).toContain("Depends on: WS-10: Python Backend Worker, #${github_issue.issue-WS-16.number}");
    expect(Object.keys(out.resource.github_issue_label).filter((k) => k.startsWith("label-domain-"))).toHaveLength(
      project.orchestrators.length,
    );
  });

  test("docs for every workstream and orchestrator, with the marker", () => {
    const files = Object.values(out.resource.github_repository_file) as any[];
    expect(files.filter((f) => /^docs\/orchestration\/workstreams\/ws\d\d-[a-z0-9-]+\/README\.md$/.test(f.file))).toHaveLength(18);
    expect(out.resource.github_repository.repository).toMatchObject({ archive_on_destroy: true, lifecycle: { prevent_destroy: true } });
    expect(files.filter((f) => f.file.startsWith("docs/orchestration/orchestrators/"))).toHaveLength(project.orchestrators.length);
    expect(files.map((f) => f.file)).toContain("docs/orchestration/workstreams/ws01-hardware-baselines/README.md");
    for (const f of files) expect(f.content.split("\n").slice(0, 2).join("\n")).toContain(GENERATED_MARKER);
    const codeowners = files.find((f) => f.file === ".github/CODEOWNERS").content;
    expect(codeowners).toContain("/repro/ @raibid-labs/infra");
    expect(json).not.toMatch(/ghp_|github_pat_/);
  });

  test("reordering the blueprint's workstreams changes nothing", () => {
    const shuffled = { ...project, workstreams: [...project.workstreams].reverse() };
    expect(synth(shuffled, { owner: "raibid-labs" }).json).toBe(json);
  });
});

/** Every `${type.name...}` reference and depends_on edge between resources of a synthesized stack. */
function referenceEdges(out: Synth): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [type, resources] of Object.entries(out.resource))
    for (const [name, body] of Object.entries(resources)) {
      const text = JSON.stringify(body);
      const targets = new Set<string>();
      for (const m of text.matchAll(/\b((?:data\.)?github_[a-z_]+)\.([A-Za-z0-9_-]+)[.[]/g)) targets.add(`${m[1]}.${m[2]}`);
      for (const d of (body.depends_on ?? []) as string[]) targets.add(d.replace(/^\$\{|\}$/g, ""));
      edges.set(`${type}.${name}`, targets);
    }
  return edges;
}

function hasCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 2) return undefined;
    if (state.get(n) === 1) return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 1);
    stack.push(n);
    for (const t of edges.get(n) ?? []) {
      const c = visit(t);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of edges.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe("every blueprint", () => {
  test.each(blueprints.map((b) => [b.id, b] as const))(
    "%s: the resource reference graph is acyclic and every issue reference resolves",
    (_id, input) => {
      const { out } = synth(parse(input));
      const edges = referenceEdges(out);
      expect(hasCycle(edges)).toBeUndefined();
      for (const targets of edges.values()) for (const t of targets) if (!t.startsWith("data.")) expect(edges.has(t)).toBe(true);
      const project = parse(input);
      const open = project.workstreams.filter((w) => w.status !== "done");
      expect(Object.keys(out.resource.github_issue).filter((k) => /^issue-WS-\d\d$/.test(k))).toHaveLength(open.length);
      expect(Object.keys(out.resource.github_repository_milestone)).toHaveLength(project.milestones.length);
    },
  );

  test("the cycle detector itself finds a cycle", () => {
    expect(
      hasCycle(
        new Map([
          ["a", new Set(["b"])],
          ["b", new Set(["a"])],
        ]),
      ),
    ).toEqual(["a", "b", "a"]);
  });
});
