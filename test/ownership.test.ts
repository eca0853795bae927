// What people own is never drift and never destroyed: drift on issues (people's bodies, assignees and labels),
// "close" instead of "destroy" in previews, and the archive-and-forget config of an explicit *-github destroy.
import { change, deployed, plan } from "./support/plan-json";
import { analyzeStack } from "../tools/drift/analyze";
import { retireConfig, retirementText } from "../tools/deploy/retire";
import { renderComment } from "../tools/plan-preview/render";
import { summarizePlan } from "../tools/plan-preview/summary";

const I = "github_issue.issue-WS-16";
const ownership = { [I]: { people: ["body", "assignees"], shared: ["labels"] } };
const issue = (over: Record<string, unknown> = {}) => ({
  title: "PIXELS-048: DCGM Metrics & Observability",
  body: "- [ ] scrapes every 15 s",
  labels: ["status:in-progress", "type:workstream"],
  assignees: [],
  milestone_number: 6,
  ...over,
});

/** Drift as the tool sees it in one normal plan: its refresh (state → reality) and its changes (reality → code). */
const analyze = (state: object, reality: object, code: object) =>
  analyzeStack(
    "dgx-pixels-github",
    plan({
      resource_drift: [change(I, ["update"], state, reality)],
      resource_changes: [change(I, JSON.stringify(reality) === JSON.stringify(code) ? ["no-op"] : ["update"], reality, code)],
      ...deployed,
    }),
    { ownership },
  );

describe("drift on an issue people work in", () => {
  test("a ticked checkbox, an assignee and a person's own label are not drift", () => {
    const reality = issue({
      body: "- [x] scrapes every 15 s",
      assignees: ["alice"],
      labels: ["needs-review", "status:in-progress", "type:workstream"],
    });
    // The code keeps people's labels (read at plan time), and ignores body and assignees: it wants reality back.
    const r = analyze(issue(), reality, reality);
    expect({ status: r.status, drift: r.drift, unapplied: r.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
    expect(r.ignored.map((i) => i.path).sort()).toEqual(["assignees", "body", "labels"]);
  });

  test("a removed model label and a renamed title are drift, and restoring them is what the code plans", () => {
    const reality = issue({ title: "renamed", labels: ["needs-review", "type:workstream"], body: "- [x] scrapes every 15 s" });
    const code = { ...reality, title: issue().title, labels: ["needs-review", "status:in-progress", "type:workstream"] };
    const r = analyze(issue(), reality, code);
    expect(r.status).toBe("drift");
    expect(r.drift).toEqual([
      {
        address: I,
        type: "github_issue",
        kind: "changed",
        attributes: [
          { path: "labels", before: ["status:in-progress", "type:workstream"], after: ["needs-review", "type:workstream"] },
          { path: "title", before: issue().title, after: "renamed" },
        ],
      },
    ]);
    expect(r.unapplied).toEqual([]);
    expect(r.explainedByDrift).toEqual([I]);
  });
});

describe("previews say close, not destroy, for an issue", () => {
  const closing = plan({
    resource_changes: [change(I, ["delete"], issue(), null, {}), change("github_issue_label.label-x", ["delete"], { name: "x" }, null)].map(
      (c) => ({ ...c, action_reason: "delete_because_no_resource_config" }),
    ),
  });

  test("counted as a close, not a destroy", () => {
    expect(summarizePlan(closing).counts).toMatchObject({ destroy: 1, close: 1 });
  });

  test("the comment lists the close apart from the destroys, and gives it a column", () => {
    const r = renderComment([{ stack: "dgx-pixels-github", json: closing }]);
    expect(r.markdown).toContain("| stack | status | add | change | destroy | replace | import | move | close | plan sha256 |");
    expect(r.markdown).toContain("**1 to destroy, 0 to replace.**");
    expect(r.markdown).toContain("> **1 issue to close.** Nothing is deleted: GitHub keeps it, closed.");
    expect(r.markdown).toContain("> - 📪 **close** `dgx-pixels-github` · `github_issue.issue-WS-16`: no longer in the configuration");
    expect(r.markdown).not.toMatch(/destroy\*\* `dgx-pixels-github` · `github_issue\./);
    expect(r.reports[0].closes.map((c) => c.address)).toEqual([I]);
  });
});

describe("an explicit destroy of a *-github stack archives and forgets", () => {
  const config = {
    terraform: { backend: { local: { path: "x.tfstate" } } },
    provider: { github: [{ owner: "o" }] },
    data: { github_user: { caller: { username: "" } }, github_rest_api: { "issue-labels": { endpoint: "x" } } },
    resource: {
      github_repository: {
        repository: {
          name: "r",
          description: "d",
          archive_on_destroy: true,
          lifecycle: { prevent_destroy: true, ignore_changes: ["auto_init"] },
          depends_on: ["data.github_user.caller"],
        },
      },
      github_issue: { "issue-WS-16": { title: "t" } },
    },
    import: [{ to: "github_repository.repository", id: "r" }],
  };
  const forgotten = [
    "github_issue.issue-WS-16",
    "github_issue_label.label-x",
    'data.github_rest_api.x["k"]'.slice(5),
    "github_repository_file.file-a",
  ];
  const retired = retireConfig(config, forgotten);

  test("only the repository stays, archived on destroy, with nothing but that flag allowed to change", () => {
    expect(Object.keys(retired.resource)).toEqual(["github_repository"]);
    expect(retired.resource.github_repository.repository).toMatchObject({
      archive_on_destroy: true,
      lifecycle: { prevent_destroy: false, ignore_changes: ["name", "description"] },
      depends_on: ["data.github_user.caller"],
    });
    expect(retired.import).toBeUndefined();
    expect(retired.data).toEqual({ github_user: config.data.github_user });
  });

  test("everything else is forgotten (removed, destroy = false), by resource address", () => {
    expect(retired.removed).toEqual(
      ["github_issue.issue-WS-16", "github_issue_label.label-x", "github_repository_file.file-a", "github_rest_api.x"].map((from) => ({
        from,
        lifecycle: { destroy: false },
      })),
    );
  });

  test("the summary says what is archived and what forgotten", () => {
    expect(
      retirementText({
        stack: { name: "s", dir: "", dependencies: [] },
        archived: ["github_repository.repository"],
        forgotten: ["github_issue_label.a", "github_issue_label.b", "github_issue.i", "github_repository_ruleset.r"],
      }),
    ).toBe("archives github_repository.repository (never deleted); forgets 2 labels, 1 issue, 1 ruleset (left in GitHub)");
  });
});
