// End-to-end drift detection on a tiny `<id>-github` stack deployed by the real integrations/github provider to the
// local GitHub emulator; out-of-band edits go through the emulator's REST API, as a person's would through
// GitHub's: a deleted label, an edited repository description, an edited workstream issue title and a removed model
// label, each reported and restored, plus `--accept`; and what people do in an issue (tick a checkbox, assign it,
// add their own label) is not drift. The same on Docker is in drift-docker.e2e.test.ts. Skipped with SPARKY_E2E=0.
import * as fs from "node:fs";
import type { DriftedResource, StackReport } from "../../tools/drift/analyze";
import { reconcile } from "../../tools/drift/check";
import { renderStack } from "../../tools/drift/render";
import { ensureInitialized, runEngine, synthesizedStacks } from "../../tools/engine/stacks";
import { engineAvailable, REPO_ROOT, toolchainEnv } from "../../tools/engine/toolchain";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github-emulator";
import { synthesize } from "../../stacks/synthesize";
import { DriftFixture, driftFixture, driftProject } from "../../support/drift-fixture";
import { uniqueId } from "../../support/fixtures";
import { describeE2E } from "./support/describe-e2e";
import { driftSteps, ignore, STEP } from "./support/drift-steps";

describeE2E("drift e2e: out-of-band changes on a GitHub stack (emulator)", () => {
  const OWNER = "sparky-drift";
  const TOKEN = "drift-e2e-github-token";
  const id = uniqueId("drift-gh");
  const stackName = `${id}-github`;
  const repo = `/repos/${OWNER}/${id}`;
  let fx: DriftFixture | undefined;
  const options = { outdir: "", stacks: stackName, ignore, env: { GITHUB_TOKEN: TOKEN }, progress: () => {} };
  const { check, restoreAndExpectClean } = driftSteps(options);
  let gh: GitHubEmulator | undefined;

  const api = async (method: string, url: string, body?: unknown) => {
    const r = await gh!.request(method, url, body);
    expect([method, url, r.status]).toEqual([method, url, method === "DELETE" ? 204 : 200]);
    return r.body;
  };
  /** Exactly this drift, in the report object (what --json writes) and in its Markdown. */
  const expectReported = (s: StackReport, drift: DriftedResource[], markdown: string[]) => {
    expect(s.status).toBe("drift");
    expect(s.drift).toEqual(drift);
    expect(s.unapplied).toEqual([]);
    const rendered = renderStack(s);
    expect(rendered).toContain(`\`${stackName}\`: **drift**`);
    for (const line of markdown) expect(rendered).toContain(line);
  };

  const issueNamed = async (title: RegExp) => {
    const issues = (await api("GET", `${repo}/issues?state=all&per_page=100`)) as {
      number: number;
      title: string;
      labels: { name: string }[];
    }[];
    const found = issues.filter((i) => title.test(i.title));
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    if (!engineAvailable()) throw new Error("tofu missing: run scripts/setup-toolchain.sh");
    gh = await startGitHubEmulator({ owner: OWNER, token: TOKEN });
    fx = driftFixture([driftProject(id)]);
    options.outdir = fx.outdir;
    const env = toolchainEnv({ ...fx.env, SPARKY_GITHUB_BASE_URL: gh.url, SPARKY_GITHUB_OWNER: OWNER });
    synthesize({ env, projectRoot: REPO_ROOT, outdir: fx.outdir, projects: fx.projects });
    const dir = synthesizedStacks(fx.outdir).find((s) => s.name === stackName)!.dir;
    await ensureInitialized(dir, { env: options.env });
    const apply = await runEngine(dir, ["apply", "-auto-approve", "-input=false", "-no-color"], { env: options.env });
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stderr.slice(-3000)}`);
    expect(gh.unhandledRoutes()).toEqual([]);
  }, STEP);

  afterAll(async () => {
    await gh?.stop();
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
  });

  test(
    "a fresh deploy reports clean (no false positives)",
    async () => {
      const s = await check();
      expect({ status: s.status, drift: s.drift, unapplied: s.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
      expect(s.ignored.filter((i) => i.path !== "etag")).toEqual([]); // the ignore list hides nothing else here
    },
    STEP,
  );

  test(
    "deleted label: reported deleted (and gone from the issue that had it), restored",
    async () => {
      await api("DELETE", `${repo}/labels/${encodeURIComponent("type:tracking")}`);
      expectReported(
        await check(),
        [
          {
            address: "github_issue.issue-tracking",
            type: "github_issue",
            kind: "changed",
            attributes: [{ path: "labels", before: ["type:tracking"], after: [] }],
          },
          { address: "github_issue_label.label-type-tracking", type: "github_issue_label", kind: "deleted", attributes: [] },
        ],
        ["- `github_issue_label.label-type-tracking`: deleted out of band", '  - `labels`: ["type:tracking"] → []'],
      );
      await restoreAndExpectClean();
      expect((await api("GET", `${repo}/labels/${encodeURIComponent("type:tracking")}`)).color).toBe("006b75");
      expect((await issueNamed(/orchestration tracking$/)).labels.map((l) => l.name)).toEqual(["type:tracking"]);
    },
    STEP,
  );

  test(
    "repository description changed: reported with before → after, restored",
    async () => {
      await api("PATCH", repo, { description: "edited in the UI" });
      expectReported(
        await check(),
        [
          {
            address: "github_repository.repository",
            type: "github_repository",
            kind: "changed",
            attributes: [{ path: "description", before: "tiny repo", after: "edited in the UI" }],
          },
        ],
        ["- `github_repository.repository`: changed", '  - `description`: "tiny repo" → "edited in the UI"'],
      );
      await restoreAndExpectClean();
      expect((await api("GET", repo)).description).toBe("tiny repo");
    },
    STEP,
  );

  test(
    "workstream issue title edited: reported with before → after, restored",
    async () => {
      const issue = await issueNamed(/^WS-01: /);
      await api("PATCH", `${repo}/issues/${issue.number}`, { title: "renamed by hand" });
      expectReported(
        await check(),
        [
          {
            address: "github_issue.issue-WS-01",
            type: "github_issue",
            kind: "changed",
            attributes: [{ path: "title", before: issue.title, after: "renamed by hand" }],
          },
        ],
        ["- `github_issue.issue-WS-01`: changed", `  - \`title\`: ${JSON.stringify(issue.title)} → "renamed by hand"`],
      );
      await restoreAndExpectClean();
      expect((await api("GET", `${repo}/issues/${issue.number}`)).title).toBe(issue.title);
    },
    STEP,
  );

  test(
    "people's work in an issue is quiet: a ticked checkbox, an assignee and their own label are not drift",
    async () => {
      const issue = await issueNamed(/^WS-02: /);
      const body = (issue as unknown as { body: string }).body.replace("- [ ]", "- [x]");
      const labels = [...issue.labels.map((l) => l.name), "blocked-on-hardware"];
      await api("PATCH", `${repo}/issues/${issue.number}`, { body, labels, assignees: [gh!.state.user.login] });
      const s = await check();
      expect({ status: s.status, drift: s.drift, unapplied: s.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
      expect(
        s.ignored
          .filter((i) => i.path !== "etag")
          .map((i) => `${i.address} ${i.path}`)
          .sort(),
      ).toEqual(["assignees", "body", "labels"].map((a) => `github_issue.issue-WS-02 ${a}`));
    },
    STEP,
  );

  test(
    "a model label removed from an issue: reported, restored with the person's label and edits kept",
    async () => {
      const issue = await issueNamed(/^WS-02: /);
      const kept = issue.labels.map((l) => l.name).filter((n) => n !== "status:not-started");
      await api("PATCH", `${repo}/issues/${issue.number}`, { labels: kept });
      const s = await check();
      expect(s.status).toBe("drift");
      expect(s.drift).toEqual([
        {
          address: "github_issue.issue-WS-02",
          type: "github_issue",
          kind: "changed",
          attributes: [
            {
              path: "labels",
              before: expect.arrayContaining(["status:not-started"]),
              after: expect.not.arrayContaining(["status:not-started"]),
            },
          ],
        },
      ]);
      await restoreAndExpectClean();
      const after = await api("GET", `${repo}/issues/${issue.number}`);
      expect(after.labels.map((l: { name: string }) => l.name).sort()).toEqual([...kept, "status:not-started"].sort());
      expect(after.body).toContain("- [x]");
      expect(after.assignees.map((a: { login: string }) => a.login)).toEqual([gh!.state.user.login]);
    },
    STEP,
  );

  test(
    "--accept writes reality to state: the edited description becomes unapplied code, then restore",
    async () => {
      await api("PATCH", repo, { description: "accepted as is" });
      const { results } = await reconcile("accept", options);
      expect(results.map((r) => [r.stack, r.action, r.ok, r.ok ? "" : r.output])).toEqual([[stackName, "accept", true, ""]]);
      const s = await check();
      expect({ status: s.status, drift: s.drift }).toEqual({ status: "drift", drift: [] });
      expect(s.unapplied).toEqual([
        {
          address: "github_repository.repository",
          type: "github_repository",
          actions: ["update"],
          attributes: [{ path: "description", before: "accepted as is", after: "tiny repo" }],
        },
      ]);
      await restoreAndExpectClean();
      expect((await api("GET", repo)).description).toBe("tiny repo");
    },
    STEP,
  );
});
