// Adopting the real dgx-pixels repository, end to end, with the real integrations/github 6.9.0 on the emulator:
// the emulator is seeded as the repository really is (hand-written docs/orchestration/*.md, CLAUDE.md and
// CONTRIBUTING.md, its own labels in other colours, PIXELS-XXX issues with those of finished workstreams closed, a
// milestone); `adopt` writes the map, a person confirms it, the plan creates nothing that exists and shows the
// hand-written files as conflicts; deploy, then zero changes; people's edits are not drift, a renamed title is and
// is restored; a finished workstream's issue is closed, not destroyed; `destroy` without names leaves the
// repository alone, and an explicit destroy archives it with every label, milestone, issue and file still there.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { blueprints } from "../../blueprints";
import { githubProviderEnv } from "../../support/engine-env";
import { type SeededRepository, seedDgxPixels } from "../../support/dgx-pixels-seed";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github-emulator";
import { adopt } from "../../tools/adopt/run";
import { runStacks } from "../../tools/deploy/run";
import { checkDrift, reconcile } from "../../tools/drift/check";
import { loadIgnoreList } from "../../tools/drift/ignore";
import { lineStream } from "../../tools/engine/progress";
import { PlanJson, runEngine } from "../../tools/engine/stacks";
import { REPO_ROOT } from "../../tools/engine/toolchain";
import { describeE2E } from "./support/describe-e2e";

const OWNER = "raibid-labs";
const TOKEN = "adopt-e2e-github-token";
const STACK = "dgx-pixels-github";
const STEP = 10 * 60_000;

describeE2E("adopting the dgx-pixels repository (emulator, real provider)", () => {
  let gh: GitHubEmulator;
  let seeded: SeededRepository;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const log: string[] = [];
  const repo = `/repos/${OWNER}/dgx-pixels`;
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await gh.request(method, url, body);
    expect([method, url, r.status]).toEqual([method, url, method === "POST" ? 201 : 200]);
    return r.body;
  };
  const all = async (url: string) => (await api("GET", `${url}${url.includes("?") ? "&" : "?"}per_page=100`)) as any[];
  const stacks = async (command: "diff" | "deploy" | "destroy", names: string[], extra: NodeJS.ProcessEnv = {}) => {
    let out = "";
    const code = await runStacks(command, {
      env: { ...env, ...extra },
      projectRoot: REPO_ROOT,
      outdir: path.join(dir, "cdktf.out"),
      stacks: names,
      parallel: 2,
      yes: true,
      stdout: (t) => (out += t),
      stderr: lineStream((l) => log.push(l)),
    });
    return { code, out };
  };
  const stackDir = () => path.join(dir, "cdktf.out", "stacks", STACK);
  const shownPlan = async (file: string): Promise<PlanJson> =>
    JSON.parse((await runEngine(stackDir(), ["show", "-json", file], { env })).stdout);
  const mapFile = () => path.join(dir, "adoption", "dgx-pixels.json");
  const driftOptions = () => ({
    outdir: path.join(dir, "cdktf.out"),
    stacks: STACK,
    env,
    progress: () => {},
    ignore: loadIgnoreList(path.join(REPO_ROOT, "config", "drift-ignore.json")),
  });

  beforeAll(async () => {
    gh = await startGitHubEmulator({ owner: OWNER, token: TOKEN });
    seeded = await seedDgxPixels(gh, OWNER);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-adopt-e2e-"));
    fs.writeFileSync(
      path.join(dir, "sparky.config.json"),
      JSON.stringify({
        github: { owner: OWNER },
        hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [] } },
        targets: { e2e: { hosts: ["box"], state: { backend: "local", directory: path.join(dir, "state") } } },
        defaultTarget: "e2e",
      }),
    );
    env = githubProviderEnv({
      GITHUB_TOKEN: TOKEN,
      GH_PATH: path.join(dir, "no-gh"),
      SPARKY_CONFIG: path.join(dir, "sparky.config.json"),
      SPARKY_ADOPTION_DIR: path.join(dir, "adoption"),
      SPARKY_GITHUB_BASE_URL: gh.url,
    });
  }, STEP);

  afterAll(async () => {
    await gh?.stop();
    if (dir && !process.env.KEEP_E2E_DIR) fs.rmSync(dir, { recursive: true, force: true });
  });

  test(
    "without adoption, a deploy stops at the existing repository: nothing is created or duplicated",
    async () => {
      const issues = (await all(`${repo}/issues?state=all`)).length;
      const labels = (await all(`${repo}/labels`)).length;
      log.length = 0;
      expect((await stacks("deploy", [STACK])).code).toBe(1);
      expect(log.join("\n")).toContain("the repository already exists: run `just adopt dgx-pixels`, confirm the map, and deploy again");
      expect([(await all(`${repo}/issues?state=all`)).length, (await all(`${repo}/labels`)).length]).toEqual([issues, labels]);
    },
    STEP,
  );

  test(
    "adopt proposes matches, lists what it cannot match, and a second run changes nothing",
    async () => {
      const [first] = await adopt({ env, projectRoot: REPO_ROOT, projects: ["dgx-pixels"], stderr: lineStream((l) => log.push(l)) });
      expect(first.outcome).toBe("written");
      const map = JSON.parse(fs.readFileSync(mapFile(), "utf8")).github;
      expect(map.repository.name).toBe("dgx-pixels");
      expect(map.labels["status:in-progress"]).toEqual({ name: "status:in-progress", confirmed: true, why: "same name" });
      expect(map.milestones.M5).toMatchObject({ number: seeded.milestone.number, confirmed: false });
      for (const ws of ["WS-01", "WS-16", "WS-18"]) {
        const expected = seeded.issues.find((i) => i.workstream === ws)!;
        expect(map.workstreams[ws]).toMatchObject({
          number: expected.number,
          title: expected.title,
          state: expected.state,
          confirmed: false,
        });
      }
      // The other PIXELS issues of a workstream are people's: listed, never duplicated or taken over.
      const related = seeded.issues.find((i) => i.key === "PIXELS-049")!;
      expect(map.unmatched.issues).toContainEqual({
        number: related.number,
        title: related.title,
        state: "open",
        note: "another issue of WS-16; left to people",
      });
      expect(map.unmatched.labels).toEqual(expect.arrayContaining(["status:completed", "workstream", "bug"]));
      const conflicts = Object.entries(map.files)
        .filter(([, f]: any) => f.writer === "person")
        .map(([p]) => p);
      expect(conflicts).toEqual(
        expect.arrayContaining([
          "CLAUDE.md",
          "CONTRIBUTING.md",
          "docs/orchestration/workstream-plan.md",
          "docs/orchestration/orchestrators/model.md",
        ]),
      );
      expect(first.notes.join("\n")).toContain("proposed match(es) to confirm");

      const text = fs.readFileSync(mapFile(), "utf8");
      const [second] = await adopt({ env, projectRoot: REPO_ROOT, projects: ["dgx-pixels"], stderr: lineStream(() => {}) });
      expect(second.outcome).toBe("unchanged");
      expect(fs.readFileSync(mapFile(), "utf8")).toBe(text);

      // Unconfirmed, a proposed issue or milestone is neither imported nor created: nothing can be duplicated.
      log.length = 0;
      expect((await stacks("diff", [STACK])).code).toBe(2);
      expect(log.join("\n")).toContain('is proposed, not confirmed: it is neither imported nor created until "confirmed" is true');
      const proposed = (await shownPlan("diff.tfplan")).resource_changes!.filter((c) =>
        /^github_issue\.issue-WS-|^github_repository_milestone\.milestone-M5$/.test(c.address),
      );
      expect(proposed).toEqual([]);
    },
    STEP,
  );

  test(
    "confirmed, the first plan creates nothing that exists, changes only what differs, and shows the conflicts",
    async () => {
      const map = JSON.parse(fs.readFileSync(mapFile(), "utf8"));
      for (const section of ["milestones", "workstreams", "gates"])
        for (const e of Object.values(map.github[section]) as any[]) e.confirmed = true;
      fs.writeFileSync(mapFile(), JSON.stringify(map, null, 2) + "\n");

      const { code, out } = await stacks("diff", [STACK]);
      expect(code).toBe(2);
      const plan = await shownPlan("diff.tfplan");
      const changes = (plan.resource_changes ?? []).filter((c) => c.mode === "managed");
      const importing = changes.filter((c) => c.change.importing).map((c) => c.address);
      expect(importing).toEqual(
        expect.arrayContaining([
          "github_repository.repository",
          "github_branch_default.default-branch",
          "github_issue_label.label-status-in-progress",
          "github_repository_milestone.milestone-M5",
          "github_issue.issue-WS-16",
          "github_issue.issue-WS-17",
          "github_issue.issue-WS-18",
        ]),
      );
      // Nothing that exists is created, nothing is destroyed, and every update is to an imported object.
      const created = changes.filter((c) => c.change.actions.includes("create")).map((c) => c.address);
      for (const label of Object.keys(map.github.labels))
        expect(created).not.toContain(`github_issue_label.label-${label.replace(/[^A-Za-z0-9_-]+/g, "-")}`);
      expect(
        created.filter((a) => /github_issue\.issue-WS-|github_repository\.repository|github_repository_milestone\.milestone-M5/.test(a)),
      ).toEqual([]);
      expect(changes.filter((c) => c.change.actions.includes("delete"))).toEqual([]);
      expect(changes.filter((c) => c.change.actions.includes("update") && !c.change.importing)).toEqual([]);
      // No hand-written file is planned; each shows as a conflict with both versions.
      const files = changes.filter((c) => c.type === "github_repository_file").map((c) => (c.change.after as { file: string }).file);
      for (const p of Object.keys(seeded.files)) expect(files).not.toContain(p);
      expect(out).toContain("generated files left alone");
      expect(out).toContain(seeded.files["docs/orchestration/workstream-plan.md"].split("\n")[2]);
      // Real differences only: the issue's title follows the model, its body stays the team's.
      const ws16 = changes.find((c) => c.address === "github_issue.issue-WS-16")!;
      expect((ws16.change.before as any).title).toBe("PIXELS-048: DCGM Metrics and Observability");
      expect((ws16.change.after as any).title).toBe("PIXELS-048: DCGM Metrics & Observability");
      expect((ws16.change.after as any).body).toBe((ws16.change.before as any).body);
    },
    STEP,
  );

  test(
    "deploy, then zero changes; nothing hand-written, no issue and no edit is lost",
    async () => {
      expect((await stacks("deploy", [STACK])).code).toBe(0);
      expect((await stacks("diff", [STACK])).code).toBe(0);
      for (const [p, content] of Object.entries(seeded.files)) {
        const file = await api("GET", `${repo}/contents/${p}`);
        expect([p, Buffer.from(file.content, "base64").toString("utf8")]).toEqual([p, content]);
      }
      const issues = await all(`${repo}/issues?state=all`);
      for (const s of seeded.issues) {
        const now = issues.find((i) => i.number === s.number);
        expect([s.key, now.state, now.body]).toEqual([s.key, s.state, s.body]);
        for (const label of s.labels) expect(now.labels.map((l: any) => l.name)).toContain(label);
      }
      // New issues only for the gates not passed and the tracking issue: no PIXELS issue was duplicated.
      expect(issues.filter((i) => /^PIXELS-/.test(i.title))).toHaveLength(seeded.issues.length);
      expect(issues).toHaveLength(seeded.issues.length + 8 + 1);
      const milestones = await all(`${repo}/milestones?state=all`);
      expect(
        milestones
          .filter((m) => m.state === "closed")
          .map((m) => m.title)
          .sort(),
      ).toEqual(["M0", "M1", "M2", "M3", "M4"].map((m) => expect.stringMatching(new RegExp(`^${m}: `))));
      // A later adoption knows sparky-infra's own files by their marker, and importing them again changes nothing.
      const [again] = await adopt({ env, projectRoot: REPO_ROOT, projects: ["dgx-pixels"], stderr: lineStream(() => {}) });
      expect(again.outcome).toBe("written");
      expect(JSON.parse(fs.readFileSync(mapFile(), "utf8")).github.files["DOCKER-QUICKREF.md"]).toMatchObject({ writer: "sparky-infra" });
      expect((await stacks("diff", [STACK])).code).toBe(0);
    },
    STEP,
  );

  test(
    "a ticked checkbox and a person's label are not drift; a renamed title is, and is restored",
    async () => {
      const ws16 = seeded.issues.find((i) => i.key === "PIXELS-048")!;
      const issue = await api("GET", `${repo}/issues/${ws16.number}`);
      const ticked = issue.body.replace("- [ ]", "- [x]");
      const labels = [...issue.labels.map((l: any) => l.name), "needs-review-by-alice"];
      await api("PATCH", `${repo}/issues/${ws16.number}`, { body: ticked, labels });
      let report = (await checkDrift(driftOptions())).stacks[0];
      expect({ status: report.status, drift: report.drift, unapplied: report.unapplied }).toEqual({
        status: "clean",
        drift: [],
        unapplied: [],
      });

      await api("PATCH", `${repo}/issues/${ws16.number}`, { title: "renamed by hand" });
      report = (await checkDrift(driftOptions())).stacks[0];
      expect(report.status).toBe("drift");
      expect(report.drift).toEqual([
        {
          address: "github_issue.issue-WS-16",
          type: "github_issue",
          kind: "changed",
          attributes: [{ path: "title", before: issue.title, after: "renamed by hand" }],
        },
      ]);
      const { results } = await reconcile("restore", driftOptions());
      expect(results.map((r) => [r.action, r.ok, r.ok ? "" : r.output])).toEqual([["restore", true, ""]]);
      const restored = await api("GET", `${repo}/issues/${ws16.number}`);
      expect([restored.title, restored.body]).toEqual([issue.title, ticked]);
      expect(restored.labels.map((l: any) => l.name).sort()).toEqual([...labels].sort());
      expect((await checkDrift(driftOptions())).stacks[0].status).toBe("clean");
    },
    STEP,
  );

  test(
    "a finished workstream's issue is closed, not destroyed: the plan says close",
    async () => {
      const projects = blueprints.map((p) =>
        p.id !== "dgx-pixels"
          ? p
          : { ...p, workstreams: p.workstreams.map((w) => (w.id === "WS-16" ? { ...w, status: "done" as const } : w)) },
      );
      const file = path.join(dir, "ws16-done.json");
      fs.writeFileSync(file, JSON.stringify(projects));
      const { code, out } = await stacks("diff", [STACK], { SPARKY_PROJECTS: file });
      expect(code).toBe(2);
      expect(out).toContain("📪 **close** `dgx-pixels-github` · `github_issue.issue-WS-16`");
      expect(out).not.toMatch(/destroy\*\* `dgx-pixels-github` · `github_issue\./);
      expect((await stacks("deploy", [STACK], { SPARKY_PROJECTS: file })).code).toBe(0);
      const ws16 = seeded.issues.find((i) => i.key === "PIXELS-048")!;
      expect((await api("GET", `${repo}/issues/${ws16.number}`)).state).toBe("closed");
      expect((await stacks("diff", [STACK], { SPARKY_PROJECTS: file })).code).toBe(0);
    },
    STEP,
  );

  test(
    "no command deletes the repository or its contents: destroy without names leaves it, an explicit destroy archives it",
    async () => {
      const contents = async () => ({
        archived: (await api("GET", repo)).archived,
        labels: (await all(`${repo}/labels`)).map((l) => l.name).sort(),
        milestones: (await all(`${repo}/milestones?state=all`)).map((m) => m.number).sort(),
        issues: (await all(`${repo}/issues?state=all`)).map((i) => `${i.number}:${i.state}`).sort(),
        files: gh.state.repos
          .get(`${OWNER}/dgx-pixels`.toLowerCase())!
          .commits.get(gh.state.repos.get(`${OWNER}/dgx-pixels`.toLowerCase())!.branches.get("main")!)!.files.size,
      });
      const before = await contents();
      expect(before.archived).toBe(false);

      // The engine itself refuses to destroy the stack (prevent_destroy), whoever calls it.
      const raw = await runEngine(stackDir(), ["plan", "-destroy", "-input=false", "-no-color"], { env });
      expect(raw.code).not.toBe(0);
      expect(raw.stderr).toMatch(/prevent_destroy/);

      log.length = 0;
      // Without names: every stack but the *-github ones (here only the host's observability stack, never deployed).
      expect((await stacks("destroy", [], { GRAFANA_ADMIN_PASSWORD: "adopt-e2e-grafana-password" })).code).toBe(0);
      expect(log.join("\n")).toContain(`leaving ${STACK}`);
      expect(await contents()).toEqual(before);

      log.length = 0;
      expect((await stacks("destroy", [STACK])).code).toBe(0);
      expect(log.join("\n")).toMatch(
        /archives github_repository\.repository \(never deleted\); forgets 22 labels, 6 milestones, \d+ issues, \d+ files, 1 ruleset, 1 default-branch setting, 1 Actions variable \(left in GitHub\)/,
      );
      expect(await contents()).toEqual({ ...before, archived: true });
      const state = await runEngine(stackDir(), ["state", "list"], { env });
      expect(state.stdout.trim()).toBe("");
      expect(gh.unhandledRoutes()).toEqual([]);
    },
    STEP,
  );
});
