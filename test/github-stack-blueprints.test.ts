// The `<id>-github` stacks of the real blueprints: dgx-pixels' repository, ruleset, milestones, issues and docs,
// and for every blueprint an acyclic resource reference graph in which every issue reference resolves.
import { blueprints, dgxPixels } from "../blueprints";
import { type Project } from "../constructs/model";
import { GENERATED_MARKER } from "../constructs/orchestration/docs";
import { parse, synth, type Synth } from "./support/github-stack-synth";

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
