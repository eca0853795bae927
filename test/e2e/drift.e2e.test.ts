// End-to-end drift detection on the real engine and Docker: deploys one tiny `<id>-services` stack (unique id,
// random host ports, private state and outdir), checks that the fresh deploy reports clean, then makes one
// out-of-band change at a time (stop, remove, recreate by hand with another env, delete the network), checks
// that it is reported with the right stack, resource and attribute, repairs it with `reconcile --restore` and
// checks clean again (a restore that replaces something only with --allow-destroy); `--accept` is exercised on a
// stopped container. Cleans up by id in afterAll.
// The same for a tiny `<id>-github` stack on the local GitHub emulator: a deleted label, an edited repository
// description, an edited workstream issue title and a removed model label, plus `--accept`; and what people do in
// an issue (tick a checkbox, assign it, add their own label) is not drift. Skipped with SPARKY_E2E=0.
import * as fs from "node:fs";
import * as path from "node:path";
import type { DriftedResource, StackReport } from "../../tools/drift/analyze";
import { CheckOptions, checkDrift, reconcile } from "../../tools/drift/check";
import { loadIgnoreList } from "../../tools/drift/ignore";
import { renderStack } from "../../tools/drift/render";
import { ensureInitialized, runEngine, synthesizedStacks } from "../../tools/engine/stacks";
import { engineAvailable, REPO_ROOT, toolchainEnv } from "../../tools/engine/toolchain";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github-emulator";
import { synthesize } from "../../stacks/synthesize";
import { DriftFixture, driftFixture, driftProject } from "../../support/drift-fixture";
import { uniqueId } from "../../support/fixtures";
import { docker, removeLeftovers } from "../../support/docker";

const enabled = process.env.SPARKY_E2E !== "0";
const maybe = enabled ? describe : describe.skip;
const STEP = 10 * 60_000;

const ignore = loadIgnoreList(path.join(REPO_ROOT, "config", "drift-ignore.json"));

/** The drift tool on one stack: `check` returns its report; `restoreAndExpectClean` reconciles and re-checks. */
function driftSteps(options: CheckOptions & { stacks: string }) {
  const check = async () => {
    const report = await checkDrift(options);
    expect(report.stacks.map((s) => s.stack)).toEqual([options.stacks]);
    return report.stacks[0];
  };
  const restoreAndExpectClean = async (allowDestroy = false) => {
    const { results } = await reconcile("restore", { ...options, allowDestroy });
    expect(results.map((r) => [r.stack, r.action, r.ok, r.ok ? "" : r.output])).toEqual([[options.stacks, "restore", true, ""]]);
    const after = await check();
    expect({ status: after.status, drift: after.drift, unapplied: after.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
  };
  return { check, restoreAndExpectClean };
}

maybe("drift e2e: out-of-band changes on a real Docker stack", () => {
  const id = uniqueId("drift");
  const stackName = `${id}-services`;
  // The fixture (a temp dir) is made in beforeAll, so a describe filtered out by -t leaves nothing behind.
  let fx: DriftFixture | undefined;
  const options = { outdir: "", stacks: stackName, ignore, progress: () => {} };
  const { check, restoreAndExpectClean } = driftSteps(options);
  let dir = "";
  const address: Record<string, string> = {};
  let deployed = false;

  beforeAll(async () => {
    if (!engineAvailable()) throw new Error("tofu missing: run scripts/setup-toolchain.sh");
    if (docker(["info", "--format", "{{.ServerVersion}}"]).status !== 0)
      throw new Error("Docker engine not answering: run scripts/docker-engine.sh");
    if (docker(["image", "inspect", "sparky-local/standin:dev"]).status !== 0)
      throw new Error("sparky-local/standin:dev missing: run scripts/build-local-images.sh");
    fx = driftFixture([driftProject(id)]);
    options.outdir = fx.outdir;
    synthesize({ env: toolchainEnv(fx.env), projectRoot: REPO_ROOT, outdir: fx.outdir, projects: fx.projects });
    dir = synthesizedStacks(fx.outdir).find((s) => s.name === stackName)!.dir;
    const tf = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    for (const [key, c] of Object.entries(tf.resource.docker_container as Record<string, { name: string }>))
      address[c.name] = `docker_container.${key}`;
    deployed = true;
    const init = await runEngine(dir, ["init", "-input=false", "-no-color"]);
    if (init.code !== 0) throw new Error(init.stderr);
    const apply = await runEngine(dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stderr.slice(-3000)}`);
  }, STEP);

  afterAll(async () => {
    if (deployed && dir) await runEngine(dir, ["destroy", "-auto-approve", "-input=false", "-no-color"]).catch(() => undefined);
    // A container recreated by hand has no owner label; it goes first, or the network cannot be removed.
    for (const name of [`${id}-worker`, `${id}-model`]) if (docker(["container", "inspect", name]).status === 0) docker(["rm", "-f", name]);
    removeLeftovers([id], [`${id}-net`], new Set());
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
  }, STEP);

  test(
    "a fresh deploy reports clean (no false positives)",
    async () => {
      const s = await check();
      expect({ status: s.status, drift: s.drift, unapplied: s.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
    },
    STEP,
  );

  test(
    "stopped container: reported stopped without touching it, restored by starting it",
    async () => {
      expect(docker(["stop", `${id}-worker`]).status).toBe(0);
      const s = await check();
      expect(s.status).toBe("drift");
      // Refreshing a stopped container would remove it (kreuzwerker/docker 3.6.2): the check must not do that.
      expect(s.drift).toEqual([
        {
          address: address[`${id}-worker`],
          type: "docker_container",
          kind: "stopped",
          attributes: [{ path: "state", before: "running", after: expect.stringMatching(/^exited \(\d+\)$/) }],
        },
      ]);
      expect(docker(["inspect", "--format", "{{.State.Status}}", `${id}-worker`]).stdout.trim()).toBe("exited");
      expect(s.unapplied).toEqual([]);
      const { results } = await reconcile("accept", options);
      expect(results.map((r) => [r.action, r.ok])).toEqual([["accept", false]]);
      expect(results[0].output).toMatch(/cannot accept stopped containers .*-worker/);
      await restoreAndExpectClean();
      expect(docker(["inspect", "--format", "{{.State.Running}}", `${id}-worker`]).stdout.trim()).toBe("true");
    },
    STEP,
  );

  test(
    "--accept writes reality to state: a removed container becomes unapplied code, then restore",
    async () => {
      expect(docker(["rm", "-f", `${id}-worker`]).status).toBe(0);
      const { results } = await reconcile("accept", options);
      expect(results.map((r) => [r.action, r.ok])).toEqual([["accept", true]]);
      const s = await check();
      expect(s.drift).toEqual([]);
      expect(s.status).toBe("drift");
      expect(s.unapplied.map((u) => [u.address, u.actions])).toEqual([[address[`${id}-worker`], ["create"]]]);
      await restoreAndExpectClean();
    },
    STEP,
  );

  test(
    "removed container: reported deleted, restored",
    async () => {
      expect(docker(["rm", "-f", `${id}-worker`]).status).toBe(0);
      const s = await check();
      expect(s.drift).toEqual([{ address: address[`${id}-worker`], type: "docker_container", kind: "deleted", attributes: [] }]);
      expect(s.unapplied).toEqual([]);
      await restoreAndExpectClean();
    },
    STEP,
  );

  test(
    "container recreated by hand with another env: reported with env, restored",
    async () => {
      const env = JSON.parse(docker(["inspect", "--format", "{{json .Config.Env}}", `${id}-worker`]).stdout) as string[];
      expect(env).toContain("LOG_LEVEL=info");
      expect(docker(["rm", "-f", `${id}-worker`]).status).toBe(0);
      expect(
        docker([
          "run",
          "-d",
          "--name",
          `${id}-worker`,
          "--label",
          `sparky.owner=${id}`,
          "-e",
          "LOG_LEVEL=debug",
          "-e",
          "STANDIN_TCP_PORTS=5555",
          "sparky-local/standin:dev",
        ]).status,
      ).toBe(0);
      const s = await check();
      const d = s.drift.find((r) => r.address === address[`${id}-worker`]);
      expect(d).toMatchObject({ kind: "replaced" });
      const envChange = d!.attributes.find((a) => a.path === "env");
      expect(envChange?.before).toContain("LOG_LEVEL=info");
      expect(envChange?.after).toContain("LOG_LEVEL=debug");
      // Restoring replaces the hand-made container: refused without --allow-destroy, before anything changes.
      const refused = await reconcile("restore", options);
      expect(refused.results.map((r) => [r.ok, r.output.split("\n").slice(0, 2)])).toEqual([
        [
          false,
          [
            "refused: restoring would destroy or replace 1 resource(s); nothing was applied:",
            `  ${address[`${id}-worker`]} (replace: recreated by hand)`,
          ],
        ],
      ]);
      expect(JSON.parse(docker(["inspect", "--format", "{{json .Config.Env}}", `${id}-worker`]).stdout)).toContain("LOG_LEVEL=debug");
      await restoreAndExpectClean(true);
      expect(JSON.parse(docker(["inspect", "--format", "{{json .Config.Env}}", `${id}-worker`]).stdout)).toContain("LOG_LEVEL=info");
    },
    STEP,
  );

  test(
    "deleted network: reported, restored with the containers back on it",
    async () => {
      for (const c of ["model", "worker"]) expect(docker(["network", "disconnect", `${id}-net`, `${id}-${c}`]).status).toBe(0);
      expect(docker(["network", "rm", `${id}-net`]).status).toBe(0);
      const s = await check();
      expect(s.drift).toEqual(
        expect.arrayContaining([{ address: `docker_network.${id}-net`, type: "docker_network", kind: "deleted", attributes: [] }]),
      );
      expect(s.unapplied).toEqual([]);
      // The containers are replaced to rejoin the new network: refused without --allow-destroy, with the list.
      const refused = await reconcile("restore", options);
      expect(refused.results[0].ok).toBe(false);
      expect(refused.results[0].output).toMatch(/^refused: restoring would destroy or replace 2 resource\(s\); nothing was applied:\n/);
      for (const c of ["model", "worker"]) expect(refused.results[0].output).toContain(`  docker_container.${c} (replace: `);
      expect(docker(["network", "inspect", `${id}-net`]).status).not.toBe(0);
      await restoreAndExpectClean(true);
      for (const c of ["model", "worker"])
        expect(Object.keys(JSON.parse(docker(["inspect", "--format", "{{json .NetworkSettings.Networks}}", `${id}-${c}`]).stdout))).toEqual(
          [`${id}-net`],
        );
    },
    STEP,
  );
});

// The same drift tool on a `<id>-github` stack deployed by the real integrations/github provider to the local
// GitHub emulator; out-of-band edits go through the emulator's REST API, as a person's would through GitHub's.
const github = enabled ? describe : describe.skip;
github("drift e2e: out-of-band changes on a GitHub stack (emulator)", () => {
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
