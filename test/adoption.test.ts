// Adoption, without GitHub: the map's checks, what synth makes of a confirmed map (imports, conflicts, people's
// labels), the adopter's matching, and the model's tracking checks.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { blueprints, dgxPixels } from "../blueprints";
import { checkAdoption, GitHubAdoption, ProjectSchema, type Project } from "../constructs/model";
import { validateModel } from "../constructs/model/validate";
import { DEFAULT_CONFIG } from "../config/default-config";
import { githubAdoptions } from "../stacks/adoption";
import { ProjectGitHubStack } from "../stacks/project-github-stack";
import { tinyProject } from "../support/fixtures";
import { FoundGitHub, matchGitHub } from "../tools/adopt/github-match";
import { githubModelView } from "../tools/adopt/github-model";

const project = (): Project => ProjectSchema.parse(dgxPixels);

/** A map as `just adopt` writes it for dgx-pixels, every proposal confirmed. */
function confirmedMap(): GitHubAdoption {
  return {
    owner: "raibid-labs",
    repository: { name: "dgx-pixels", id: 7 },
    variables: [],
    labels: { "priority:P0": { name: "priority:P0", confirmed: true, why: "same name" } },
    milestones: { M5: { number: 1, title: "M5 - Production Readiness", state: "open", confirmed: true, why: "title starts with M5" } },
    workstreams: {
      "WS-01": { number: 11, title: "PIXELS-001: Hardware Baselines", state: "closed", confirmed: true, why: "key" },
      "WS-16": { number: 48, title: "PIXELS-048: DCGM", state: "open", confirmed: true, why: "key" },
      "WS-17": { number: 51, title: "PIXELS-051: Compose", state: "open", confirmed: false, why: "key" },
    },
    gates: {},
    files: {
      "CLAUDE.md": { writer: "person", sha: "a" },
      "CONTRIBUTING.md": { writer: "person", sha: "b" },
      "DOCKER-QUICKREF.md": { writer: "sparky-infra", sha: "c" },
    },
    unmatched: { labels: [], milestones: [], issues: [] },
  };
}

function synth(p: Project, adoption?: GitHubAdoption) {
  const stack = new ProjectGitHubStack(Testing.app(), "dgx-pixels-github", { project: p, github: { owner: "raibid-labs" }, adoption });
  Testing.synth(stack); // validates
  return stack.toTerraform() as any;
}

describe("a confirmed adoption map in synth", () => {
  const p = { ...project(), repository: { ...project().repository, takeOver: ["CONTRIBUTING.md"] } };
  const out = synth(p, confirmedMap());
  const imports = Object.fromEntries((out.import as { to: string; id: string }[]).map((i) => [i.to, i.id]));

  test("confirmed matches become import blocks with the provider's ID formats; proposals are left alone", () => {
    expect(imports).toMatchObject({
      "github_repository.repository": "dgx-pixels",
      "github_branch_default.default-branch": "dgx-pixels",
      "github_issue_label.label-priority-P0": "dgx-pixels:priority:P0",
      "github_repository_milestone.milestone-M5": "raibid-labs/dgx-pixels/1",
      "github_issue.issue-WS-16": "dgx-pixels:48",
      "github_repository_file.file-DOCKER-QUICKREF-md": "dgx-pixels/DOCKER-QUICKREF.md:main",
      "github_repository_file.file-CONTRIBUTING-md": "dgx-pixels/CONTRIBUTING.md:main",
    });
    // WS-17's match is a proposal nobody confirmed: neither imported nor created (that could duplicate #51).
    expect(imports["github_issue.issue-WS-17"]).toBeUndefined();
    expect(out.resource.github_issue["issue-WS-17"]).toBeUndefined();
    expect(out.resource.github_issue["issue-WS-18"].body).toContain("WS-17: Docker Compose Deployment");
    // A done workstream has no resource; its adopted issue is only linked from the tracking issue.
    expect(out.resource.github_issue["issue-WS-01"]).toBeUndefined();
    expect(out.resource.github_issue["issue-tracking"].body).toContain("- [x] #11 PIXELS-001: Hardware Baselines — done");
  });

  test("a person's file is left alone (no resource) unless taken over; the conflict is read at plan time with both versions noted", () => {
    const files = Object.values(out.resource.github_repository_file).map((f: any) => f.file);
    expect(files).not.toContain("CLAUDE.md");
    expect(files).toContain("CONTRIBUTING.md");
    const read = out.data.github_rest_api["conflict-CLAUDE-md"];
    expect(read.endpoint).toBe("repos/raibid-labs/dgx-pixels/contents/CLAUDE.md?ref=main");
    expect(read["//"]["sparky-infra-conflict"]).toMatchObject({
      path: "CLAUDE.md",
      generated: expect.stringContaining("# DGX-Pixels: guidance for agents"),
    });
  });

  test("people's labels are read for the adopted open issues from the first plan on", () => {
    expect(out.data.github_rest_api["issue-labels"].for_each).toContain('merge({"issue-WS-16" = 48}, try(jsondecode(');
  });

  test("without a map nothing is imported, and every file is created without overwriting", () => {
    const fresh = synth(project());
    expect(fresh.import).toBeUndefined();
    for (const f of Object.values(fresh.resource.github_repository_file) as any[]) expect(f.overwrite_on_create).toBe(false);
  });
});

describe("the map's checks", () => {
  test("unknown ids, a foreign repository and an issue matched twice are each reported with their path", () => {
    const map = confirmedMap();
    map.repository.name = "other";
    map.workstreams["WS-99"] = { ...map.workstreams["WS-16"], number: 99 };
    map.gates["gate-2-model-interface"] = { ...map.workstreams["WS-16"] };
    const problems = checkAdoption({ project: "dgx-pixels", github: map }, project(), "adoption/dgx-pixels.json");
    expect(problems.map((p) => p.path)).toEqual([
      "adoption/dgx-pixels.json.github.repository.name",
      "adoption/dgx-pixels.json.github.workstreams.WS-99",
      "adoption/dgx-pixels.json.github",
    ]);
    expect(problems[2].message).toBe("issue #48 is matched to two model issues");
  });

  test("a map for another owner is not used, with a warning", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-adoption-"));
    fs.writeFileSync(path.join(dir, "dgx-pixels.json"), JSON.stringify({ project: "dgx-pixels", github: confirmedMap() }));
    const system = validateModel(structuredClone({ ...DEFAULT_CONFIG, github: { owner: "someone-else" } }), blueprints);
    const warnings: { path: string; message: string }[] = [];
    expect(githubAdoptions(system, dir, warnings)).toEqual({});
    expect(warnings[0].message).toBe("its numbers belong to raibid-labs, not someone-else; not used");
    // For its own owner, the map applies and each unconfirmed proposal is a warning.
    const own = validateModel(structuredClone(DEFAULT_CONFIG), blueprints);
    const ownWarnings: { path: string; message: string }[] = [];
    expect(Object.keys(githubAdoptions(own, dir, ownWarnings))).toEqual(["dgx-pixels"]);
    expect(ownWarnings).toEqual([
      {
        path: expect.stringMatching(/dgx-pixels\.json: github\.workstreams\.WS-17$/),
        message:
          '#51 "PIXELS-051: Compose" is proposed, not confirmed: it is neither imported nor created until "confirmed" is true (or the entry is removed)',
      },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("matching what exists", () => {
  const view = githubModelView(project(), []);
  const found: FoundGitHub = {
    owner: "raibid-labs",
    repository: { name: "dgx-pixels", id: 7, archived: false },
    labels: ["Priority:P0", "bug", "workstream"],
    milestones: [{ number: 3, title: "M5 - Production Readiness", state: "open" }],
    issues: [
      { number: 1, title: "PIXELS-001: Hardware Baselines and Verification", state: "closed", labels: [] },
      { number: 2, title: "PIXELS-002: Hardware Baselines (part 2)", state: "closed", labels: [] },
      { number: 48, title: "PIXELS-048: DCGM Metrics", state: "closed", labels: [] },
      { number: 60, title: "Sparkle the sprites", state: "open", labels: ["workstream-17"] },
      { number: 61, title: "Unrelated bug", state: "open", labels: ["bug"] },
    ],
    files: { "CLAUDE.md": { sha: "s1", generated: false }, "DOCKER-QUICKREF.md": { sha: "s2", generated: true } },
    rulesets: [{ id: 9, name: "protect-main" }],
    variables: ["SPARKY_INFRA_ISSUE_NUMBERS"],
    managedIssues: {},
  };
  const { section, notes } = matchGitHub(view, found);

  test("labels by name (confirmed), milestones and issues by key, label or name (to confirm), the rest listed", () => {
    expect(section.labels["priority:P0"]).toEqual({ name: "Priority:P0", confirmed: true, why: "same name" });
    expect(section.milestones.M5).toMatchObject({ number: 3, confirmed: false, why: "title starts with M5" });
    expect(section.workstreams["WS-01"]).toMatchObject({
      number: 1,
      confirmed: false,
      why: "title starts with PIXELS-001, its first issue key",
    });
    expect(section.workstreams["WS-17"]).toMatchObject({ number: 60, why: "labelled workstream-17" });
    expect(section.unmatched.issues).toEqual([
      { number: 2, title: "PIXELS-002: Hardware Baselines (part 2)", state: "closed", note: "another issue of WS-01; left to people" },
      { number: 61, title: "Unrelated bug", state: "open" },
    ]);
    expect(section.unmatched.labels).toEqual(["bug", "workstream"]);
    expect(section.files).toEqual({
      "CLAUDE.md": { writer: "person", sha: "s1" },
      "DOCKER-QUICKREF.md": { writer: "sparky-infra", sha: "s2" },
    });
    expect(section.ruleset).toEqual({ name: "protect-main", id: 9 });
    expect(section.variables).toEqual(["SPARKY_INFRA_ISSUE_NUMBERS"]);
  });

  test("notes say what to confirm and where the status disagrees", () => {
    expect(notes[0]).toMatch(/^\d+ proposed match\(es\) to confirm/);
    expect(notes).toContain(
      "WS-16 is in-progress, but its issue #48 is closed: the provider cannot reopen it; reopen it by hand or mark the workstream done",
    );
    expect(notes).toContain(
      "CLAUDE.md is a person's file: left alone (a conflict in previews); list it in repository.takeOver to replace it",
    );
  });

  test("what a person confirmed or corrected is kept on the next run; nothing is proposed twice", () => {
    const edited = structuredClone(section);
    edited.workstreams["WS-01"] = { ...edited.workstreams["WS-01"], number: 2, confirmed: true };
    const again = matchGitHub(view, found, edited).section;
    expect(again.workstreams["WS-01"]).toMatchObject({ number: 2, confirmed: true, title: "PIXELS-002: Hardware Baselines (part 2)" });
    expect(again.unmatched.issues.map((i) => i.number)).toEqual([1, 61]);
    expect(matchGitHub(view, found, again).section).toEqual(again);
  });
});

test("after a deploy, sparky-infra's own issues and milestones are recognised as such, confirmed", () => {
  const view = githubModelView(project(), []);
  const found: FoundGitHub = {
    owner: "raibid-labs",
    repository: { name: "dgx-pixels", id: 7, archived: false },
    labels: [],
    milestones: [{ number: 4, title: "M5: Production Readiness", state: "open" }],
    issues: [
      { number: 70, title: "Gate: whatever it is called now", state: "open", labels: [] },
      { number: 71, title: "DGX-Pixels: orchestration tracking", state: "open", labels: ["type:tracking"] },
    ],
    files: {},
    rulesets: [],
    variables: [],
    managedIssues: { "issue-gate-gate-1-foundation": 70, "issue-tracking": 71 },
  };
  const { section } = matchGitHub(view, found);
  const why = "sparky-infra manages it (SPARKY_INFRA_ISSUE_NUMBERS)";
  expect(section.gates["gate-1-foundation"]).toMatchObject({ number: 70, confirmed: true, why });
  expect(section.tracking).toMatchObject({ number: 71, confirmed: true, why });
  expect(section.milestones.M5).toMatchObject({ number: 4, confirmed: true, why: "same title" });
});

describe("tracking in the model", () => {
  test("an issue key on two workstreams, and a done workstream with an unfinished hard dependency, are errors", () => {
    const input = tinyProject();
    input.workstreams![0] = { ...input.workstreams![0], issueKeys: ["TINY-1"], status: "in-progress" };
    input.workstreams![1] = { ...input.workstreams![1], issueKeys: ["TINY-1"], status: "done" };
    expect(() => validateModel(structuredClone(DEFAULT_CONFIG), [{ ...input, id: "tiny" }], {})).toThrow(
      /issue key "TINY-1" is given to more than one workstream[\s\S]*WS-02\.status: "done", but its hard dependency WS-01 \(dependsOn\[0\]\) is "in-progress"/,
    );
  });
});
