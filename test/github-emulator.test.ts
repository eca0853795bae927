// HTTP-level tests for the local GitHub REST emulator (support/github-emulator).
import { createHash } from "node:crypto";
import { startGitHubEmulator, type GitHubEmulator } from "../support/github-emulator";

const OWNER = "sparky-org";
const TOKEN = "emulator-test-token";
let gh: GitHubEmulator;

async function call(method: string, path: string, body?: unknown, token = TOKEN, extra: Record<string, string> = {}) {
  const res = await fetch(`${gh.apiUrl}${path}`, {
    method,
    headers: { Authorization: `token ${token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...extra },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const gitBlobSha = (s: string) =>
  createHash("sha1")
    .update(`blob ${Buffer.byteLength(s)}\0${s}`)
    .digest("hex");
const repoPath = (r = "app") => `/repos/${OWNER}/${r}`;

beforeEach(async () => {
  gh = await startGitHubEmulator({ owner: OWNER, token: TOKEN });
});
afterEach(async () => {
  await gh.stop();
});

async function makeRepo(name = "app", extra: Record<string, unknown> = {}) {
  const res = await call("POST", `/orgs/${OWNER}/repos`, { name, auto_init: true, ...extra });
  expect(res.status).toBe(201);
  return res.body;
}

describe("server basics", () => {
  test("listens on 127.0.0.1 and serves REST under /api/v3", () => {
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(gh.apiUrl).toBe(`${gh.url}api/v3`);
  });

  test("rejects missing or wrong tokens with GitHub's 401 shape; accepts token and Bearer", async () => {
    const none = await fetch(`${gh.apiUrl}/user`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: "Bad credentials", documentation_url: expect.any(String) });
    expect((await call("GET", "/user", undefined, "wrong")).status).toBe(401);
    const bearer = await fetch(`${gh.apiUrl}/user`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
  });

  test("configure-time calls: /user, /orgs/{owner}; headers go-github reads", async () => {
    const user = await call("GET", "/user");
    expect(user.body).toMatchObject({ login: `${OWNER}-bot`, type: "User", id: expect.any(Number) });
    expect(user.headers.get("x-github-media-type")).toBe("github.v3; format=json");
    expect(user.headers.get("x-ratelimit-remaining")).toBe("4999");
    const org = await call("GET", `/orgs/${OWNER}`);
    expect(org.body).toMatchObject({ login: OWNER, type: "Organization", id: expect.any(Number) });
    expect((await call("GET", "/orgs/someone-else")).status).toBe(404);
  });

  test("user-owned mode: /orgs/{owner} is 404 and /user/repos creates under the user", async () => {
    await gh.stop();
    gh = await startGitHubEmulator({ owner: "alice", token: TOKEN, ownerType: "User" });
    expect((await call("GET", "/orgs/alice")).status).toBe(404);
    const repo = await call("POST", "/user/repos", { name: "mine" });
    expect(repo.body.full_name).toBe("alice/mine");
  });

  test("unhandled routes answer GitHub's 404 and are recorded", async () => {
    const res = await call("GET", "/repos/x/y/hooks/zzz/whatever");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Not Found", documentation_url: expect.any(String), status: "404" });
    expect(gh.unhandledRoutes()).toEqual(["GET /api/v3/repos/x/y/hooks/zzz/whatever"]);
    const gql = await fetch(gh.graphqlUrl, { method: "POST", headers: { Authorization: `bearer ${TOKEN}` }, body: "{}" });
    expect(gql.status).toBe(200);
    expect(gh.state.unhandled).toHaveLength(2);
  });

  test("ETag round trip: If-None-Match gives 304 until the resource changes", async () => {
    await makeRepo();
    const first = await call("GET", repoPath());
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await fetch(`${gh.apiUrl}${repoPath()}`, { headers: { Authorization: `token ${TOKEN}`, "If-None-Match": etag } });
    expect(again.status).toBe(304);
    await call("PATCH", repoPath(), { description: "changed" });
    const after = await fetch(`${gh.apiUrl}${repoPath()}`, { headers: { Authorization: `token ${TOKEN}`, "If-None-Match": etag } });
    expect(after.status).toBe(200);
  });

  test("malformed JSON is a 400 'Problems parsing JSON'", async () => {
    await makeRepo();
    const res = await fetch(`${gh.apiUrl}${repoPath()}/labels`, {
      method: "POST",
      headers: { Authorization: `token ${TOKEN}` },
      body: "{nope",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe("Problems parsing JSON");
  });
});

describe("repositories", () => {
  test("create → read → update → topics → delete", async () => {
    const created = await makeRepo("app", {
      description: "d",
      private: true,
      allow_merge_commit: false,
      allow_rebase_merge: false,
      delete_branch_on_merge: true,
    });
    expect(created).toMatchObject({
      name: "app",
      full_name: `${OWNER}/app`,
      private: true,
      visibility: "private",
      default_branch: "main",
      node_id: expect.stringMatching(/^R_/),
    });
    const got = await call("GET", repoPath());
    expect(got.body).toMatchObject({
      allow_merge_commit: false,
      allow_rebase_merge: false,
      allow_squash_merge: true,
      delete_branch_on_merge: true,
      archived: false,
    });
    const patched = await call("PATCH", repoPath(), {
      description: "new",
      homepage: "https://x.test",
      squash_merge_commit_title: "PR_TITLE",
      squash_merge_commit_message: "PR_BODY",
      visibility: "public",
    });
    expect(patched.body).toMatchObject({
      description: "new",
      homepage: "https://x.test",
      squash_merge_commit_title: "PR_TITLE",
      squash_merge_commit_message: "PR_BODY",
      private: false,
    });
    expect((await call("PUT", `${repoPath()}/topics`, { names: ["AI", "infra"] })).body).toEqual({ names: ["ai", "infra"] });
    expect((await call("GET", repoPath())).body.topics).toEqual(["ai", "infra"]);
    expect((await call("GET", `${repoPath()}/topics`)).body).toEqual({ names: ["ai", "infra"] });
    expect((await call("DELETE", repoPath())).status).toBe(204);
    expect((await call("GET", repoPath())).status).toBe(404);
  });

  test("rejections: unknown repo 404, duplicate name 422, invalid fields 422, bad topic 422", async () => {
    const missing = await call("GET", repoPath("nope"));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Not Found");
    await makeRepo();
    const dup = await call("POST", `/orgs/${OWNER}/repos`, { name: "APP" });
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0]).toMatchObject({ resource: "Repository", field: "name", code: "custom" });
    expect((await call("PATCH", repoPath(), { has_issues: "yes" })).status).toBe(422);
    expect((await call("PATCH", repoPath(), { visibility: "secret" })).status).toBe(422);
    expect(
      (await call("PATCH", repoPath(), { squash_merge_commit_title: "COMMIT_OR_PR_TITLE", squash_merge_commit_message: "PR_BODY" })).status,
    ).toBe(422);
    expect((await call("PUT", `${repoPath()}/topics`, { names: ["Not valid!"] })).status).toBe(422);
  });

  test("vulnerability alerts: 404 when off, 204 when on; pages 404; branch protection 404", async () => {
    await makeRepo();
    expect((await call("GET", `${repoPath()}/vulnerability-alerts`)).status).toBe(404);
    expect((await call("PUT", `${repoPath()}/vulnerability-alerts`)).status).toBe(204);
    expect((await call("GET", `${repoPath()}/vulnerability-alerts`)).status).toBe(204);
    expect((await call("DELETE", `${repoPath()}/vulnerability-alerts`)).status).toBe(204);
    expect((await call("GET", `${repoPath()}/pages`)).status).toBe(404);
    const prot = await call("GET", `${repoPath()}/branches/main/protection`);
    expect(prot.status).toBe(404);
    expect(prot.body.message).toBe("Branch not protected");
  });
});

describe("branches, refs, default branch", () => {
  test("auto_init creates main with an initial commit; refs and default branch", async () => {
    await makeRepo();
    const br = await call("GET", `${repoPath()}/branches/main`);
    expect(br.status).toBe(200);
    const sha = br.body.commit.sha;
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(br.body.commit.commit.message).toBe("Initial commit");
    const ref = await call("GET", `${repoPath()}/git/ref/heads/main`);
    expect(ref.body).toMatchObject({ ref: "refs/heads/main", object: { sha, type: "commit" } });
    expect((await call("POST", `${repoPath()}/git/refs`, { ref: "refs/heads/dev", sha })).status).toBe(201);
    expect((await call("POST", `${repoPath()}/git/refs`, { ref: "refs/heads/dev", sha })).status).toBe(422);
    expect((await call("PATCH", repoPath(), { default_branch: "dev" })).body.default_branch).toBe("dev");
    expect((await call("PATCH", repoPath(), { default_branch: "ghost" })).status).toBe(422);
    expect((await call("GET", `${repoPath()}/branches/ghost`)).status).toBe(404);
  });
});

describe("labels", () => {
  test("CRUD, case-insensitive lookup, duplicate 422 already_exists", async () => {
    await makeRepo();
    const created = await call("POST", `${repoPath()}/labels`, { name: "Needs Review", color: "FF0000", description: "x" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Needs Review",
      color: "FF0000",
      description: "x",
      default: false,
      node_id: expect.stringMatching(/^LA_/),
    });
    expect((await call("GET", `${repoPath()}/labels/needs%20review`)).body.name).toBe("Needs Review");
    const dup = await call("POST", `${repoPath()}/labels`, { name: "needs review", color: "00ff00" });
    expect(dup.status).toBe(422);
    expect(dup.body).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Label", code: "already_exists", field: "name" }],
      documentation_url: expect.stringContaining("labels"),
    });
    const patched = await call("PATCH", `${repoPath()}/labels/Needs%20Review`, { new_name: "triage", color: "00ff00" });
    expect(patched.body).toMatchObject({ name: "triage", color: "00ff00" });
    expect((await call("POST", `${repoPath()}/labels`, { name: "c", color: "zzz" })).status).toBe(422);
    expect((await call("DELETE", `${repoPath()}/labels/triage`)).status).toBe(204);
    expect((await call("GET", `${repoPath()}/labels/triage`)).status).toBe(404);
    expect((await call("DELETE", `${repoPath()}/labels/triage`)).status).toBe(404);
  });

  test("new repos carry GitHub's default labels; list paginates with a Link header", async () => {
    await makeRepo();
    const page1 = await call("GET", `${repoPath()}/labels?per_page=4`);
    expect(page1.body).toHaveLength(4);
    expect(page1.headers.get("link")).toContain('rel="next"');
    expect(page1.headers.get("link")).toContain("page=3");
    const page3 = await call("GET", `${repoPath()}/labels?per_page=4&page=3`);
    expect(page3.body.map((l: { name: string }) => l.name)).toEqual(["wontfix"]);
    expect(page3.headers.get("link")).toContain('rel="prev"');
  });
});

describe("milestones", () => {
  test("CRUD with due_on normalised to the day (Pacific midnight), duplicate title 422", async () => {
    await makeRepo();
    const m = await call("POST", `${repoPath()}/milestones`, { title: "v1", description: "first", due_on: "2026-01-15T23:39:00Z" });
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({ number: 1, title: "v1", state: "open", due_on: "2026-01-15T08:00:00Z" });
    const summer = await call("POST", `${repoPath()}/milestones`, { title: "v2", due_on: "2026-07-01T23:39:00Z" });
    expect(summer.body).toMatchObject({ number: 2, due_on: "2026-07-01T07:00:00Z" });
    // Floored to the Pacific calendar day: 07:00Z in January is still the previous evening in PST.
    const early = await call("POST", `${repoPath()}/milestones`, { title: "early", due_on: "2026-01-20T07:00:00Z" });
    expect(early.body.due_on).toBe("2026-01-19T08:00:00Z");
    await call("DELETE", `${repoPath()}/milestones/${early.body.number}`);
    const dup = await call("POST", `${repoPath()}/milestones`, { title: "v1" });
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0]).toMatchObject({ resource: "Milestone", code: "already_exists", field: "title" });
    expect((await call("PATCH", `${repoPath()}/milestones/1`, { state: "closed" })).body).toMatchObject({
      state: "closed",
      closed_at: expect.any(String),
    });
    expect((await call("GET", `${repoPath()}/milestones`)).body.map((x: { number: number }) => x.number)).toEqual([2]);
    expect((await call("GET", `${repoPath()}/milestones?state=all`)).body).toHaveLength(2);
    expect((await call("POST", `${repoPath()}/milestones`, { title: "v3", state: "weird" })).status).toBe(422);
    expect((await call("DELETE", `${repoPath()}/milestones/1`)).status).toBe(204);
    expect((await call("GET", `${repoPath()}/milestones/1`)).status).toBe(404);
    expect((await call("POST", `${repoPath()}/milestones`, { title: "v4" })).body.number).toBe(4);
  });
});

describe("issues", () => {
  test("create with labels/milestone/assignees, numbers sequential, unknown labels auto-created", async () => {
    await makeRepo();
    await call("POST", `${repoPath()}/milestones`, { title: "v1" });
    const a = await call("POST", `${repoPath()}/issues`, {
      title: "A",
      body: "first",
      labels: ["bug", "brand-new"],
      milestone: 1,
      assignees: [`${OWNER}-bot`],
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      number: 1,
      title: "A",
      state: "open",
      milestone: { number: 1 },
      assignees: [{ login: `${OWNER}-bot` }],
    });
    expect(a.body.labels.map((l: { name: string }) => l.name)).toEqual(["bug", "brand-new"]);
    expect((await call("GET", `${repoPath()}/labels/brand-new`)).body.color).toBe("ededed");
    const b = await call("POST", `${repoPath()}/issues`, { title: "B", body: "see #1" });
    expect(b.body.number).toBe(2);
    const edited = await call("PATCH", `${repoPath()}/issues/1`, { title: "A2", labels: [] });
    expect(edited.body).toMatchObject({ title: "A2", labels: [] });
    const closed = await call("PATCH", `${repoPath()}/issues/1`, { state: "closed" });
    expect(closed.body).toMatchObject({ state: "closed", state_reason: "completed", closed_at: expect.any(String) });
    expect((await call("GET", `${repoPath()}/issues`)).body.map((i: { number: number }) => i.number)).toEqual([2]);
    expect((await call("GET", `${repoPath()}/issues?state=all&per_page=1`)).headers.get("link")).toContain('rel="next"');
    const c = await call("POST", `${repoPath()}/issues`, { title: "C" });
    expect(c.body.number).toBe(3);
  });

  test("rejections: unknown milestone 422, unknown assignee 422, missing title 422, unknown issue 404, deleted label drops off issues", async () => {
    await makeRepo();
    const bad = await call("POST", `${repoPath()}/issues`, { title: "x", milestone: 42 });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "milestone", code: "invalid", value: 42 }],
    });
    expect((await call("POST", `${repoPath()}/issues`, { title: "x", assignees: ["ghost-user"] })).status).toBe(422);
    expect((await call("POST", `${repoPath()}/issues`, { body: "no title" })).status).toBe(422);
    expect((await call("GET", `${repoPath()}/issues/99`)).status).toBe(404);
    expect((await call("GET", `/repos/${OWNER}/nope/issues/1`)).status).toBe(404);
    await call("POST", `${repoPath()}/issues`, { title: "x", labels: ["bug"] });
    await call("DELETE", `${repoPath()}/labels/bug`);
    expect((await call("GET", `${repoPath()}/issues/1`)).body.labels).toEqual([]);
  });

  test("issues disabled on the repo → 410", async () => {
    await makeRepo("quiet", { has_issues: false });
    expect((await call("POST", `${repoPath("quiet")}/issues`, { title: "x" })).status).toBe(410);
  });
});

describe("contents", () => {
  test("PUT/GET/DELETE with git blob sha, commits, ref query, sha rules", async () => {
    await makeRepo();
    const text = "* @sparky-org/admins\n";
    const put = await call("PUT", `${repoPath()}/contents/.github/CODEOWNERS`, {
      message: "Add CODEOWNERS",
      content: Buffer.from(text).toString("base64"),
      branch: "main",
    });
    expect(put.status).toBe(201);
    expect(put.body.content.sha).toBe(gitBlobSha(text));
    expect(put.body.commit).toMatchObject({ message: "Add CODEOWNERS", sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const got = await call("GET", `${repoPath()}/contents/.github/CODEOWNERS?ref=main`);
    expect(got.body).toMatchObject({ type: "file", path: ".github/CODEOWNERS", sha: gitBlobSha(text), encoding: "base64" });
    expect(new URL(got.body.url).searchParams.get("ref")).toBe("main");
    expect(Buffer.from(got.body.content, "base64").toString()).toBe(text);
    const noRef = await call("GET", `${repoPath()}/contents/.github/CODEOWNERS`);
    expect(new URL(noRef.body.url).searchParams.get("ref")).toBe("main");
    const commit = await call("GET", `${repoPath()}/commits/${put.body.commit.sha}`);
    expect(commit.body.commit.message).toBe("Add CODEOWNERS");
    const history = await call("GET", `${repoPath()}/commits?sha=main&path=.github/CODEOWNERS`);
    expect(history.body.map((c: { sha: string }) => c.sha)).toEqual([put.body.commit.sha]);

    const noSha = await call("PUT", `${repoPath()}/contents/.github/CODEOWNERS`, {
      message: "again",
      content: Buffer.from("x").toString("base64"),
    });
    expect(noSha.status).toBe(422);
    expect(noSha.body.message).toContain("sha");
    const wrongSha = await call("PUT", `${repoPath()}/contents/.github/CODEOWNERS`, {
      message: "again",
      content: "eA==",
      sha: "0".repeat(40),
    });
    expect(wrongSha.status).toBe(409);
    const upd = await call("PUT", `${repoPath()}/contents/.github/CODEOWNERS`, {
      message: "Update",
      content: "eA==",
      sha: gitBlobSha(text),
    });
    expect(upd.status).toBe(200);
    expect(upd.body.content.sha).toBe(gitBlobSha("x"));
    expect((await call("PUT", `${repoPath()}/contents/a.txt`, { message: "m", content: "eA==", branch: "nope" })).status).toBe(404);
    expect((await call("GET", `${repoPath()}/contents/a.txt?ref=nope`)).status).toBe(404);
    const del = await call("DELETE", `${repoPath()}/contents/.github/CODEOWNERS`, { message: "rm", sha: gitBlobSha("x"), branch: "main" });
    expect(del.status).toBe(200);
    expect(del.body.content).toBeNull();
    expect((await call("GET", `${repoPath()}/contents/.github/CODEOWNERS`)).status).toBe(404);
    const root = await call("GET", `${repoPath()}/contents`);
    expect(root.body.map((e: { name: string }) => e.name)).toEqual(["README.md"]);
  });
});

describe("rulesets", () => {
  const rules = [
    {
      type: "pull_request",
      parameters: {
        required_approving_review_count: 1,
        dismiss_stale_reviews_on_push: true,
        require_code_owner_review: false,
        require_last_push_approval: false,
        required_review_thread_resolution: false,
      },
    },
    {
      type: "required_status_checks",
      parameters: { strict_required_status_checks_policy: true, required_status_checks: [{ context: "ci" }] },
    },
    { type: "required_linear_history" },
    { type: "non_fast_forward" },
  ];
  const base = {
    name: "main",
    target: "branch",
    enforcement: "active",
    bypass_actors: [],
    conditions: { ref_name: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
    rules,
  };

  test("CRUD round trip; direct pushes to a protected branch are rejected unless a bypass actor applies", async () => {
    await makeRepo();
    const created = await call("POST", `${repoPath()}/rulesets`, base);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "main",
      source_type: "Repository",
      source: `${OWNER}/app`,
      conditions: base.conditions,
      node_id: expect.any(String),
    });
    const id = created.body.id;
    const withDefaults = [
      { type: "pull_request", parameters: { ...rules[0].parameters, allowed_merge_methods: ["merge", "squash", "rebase"] } },
      { type: "required_status_checks", parameters: { ...rules[1].parameters, do_not_enforce_on_create: false } },
      rules[2],
      rules[3],
    ];
    expect(created.body.rules).toEqual(withDefaults);
    expect((await call("GET", `${repoPath()}/rulesets/${id}?includes_parents=false`)).body.rules).toEqual(withDefaults);
    const blocked = await call("PUT", `${repoPath()}/contents/x.txt`, { message: "m", content: "eA==" });
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toContain("Repository rule violations found");
    const upd = await call("PUT", `${repoPath()}/rulesets/${id}`, {
      ...base,
      bypass_actors: [{ actor_id: 5, actor_type: "RepositoryRole", bypass_mode: "always" }],
    });
    expect(upd.status).toBe(200);
    expect((await call("PUT", `${repoPath()}/contents/x.txt`, { message: "m", content: "eA==" })).status).toBe(201);
    expect((await call("GET", `${repoPath()}/rulesets`)).body).toHaveLength(1);
    expect((await call("DELETE", `${repoPath()}/rulesets/${id}`)).status).toBe(204);
    expect((await call("GET", `${repoPath()}/rulesets/${id}`)).status).toBe(404);
  });

  test("rejections: null bypass_actors, unknown rule type, duplicate name", async () => {
    await makeRepo();
    expect((await call("POST", `${repoPath()}/rulesets`, { ...base, bypass_actors: null })).status).toBe(422);
    expect((await call("POST", `${repoPath()}/rulesets`, { ...base, rules: [{ type: "nonsense" }] })).status).toBe(422);
    expect(
      (
        await call("POST", `${repoPath()}/rulesets`, {
          ...base,
          rules: [{ type: "pull_request", parameters: { required_approving_review_count: 11 } }],
        })
      ).status,
    ).toBe(422);
    expect((await call("POST", `${repoPath()}/rulesets`, base)).status).toBe(201);
    expect((await call("POST", `${repoPath()}/rulesets`, base)).status).toBe(422);
  });
});

describe("actions variables and secrets", () => {
  test("variables CRUD (names upper-cased), duplicate 409, bad name 422", async () => {
    await makeRepo();
    expect((await call("POST", `${repoPath()}/actions/variables`, { name: "model_name", value: "llama" })).status).toBe(201);
    const v = await call("GET", `${repoPath()}/actions/variables/MODEL_NAME`);
    expect(v.body).toMatchObject({
      name: "MODEL_NAME",
      value: "llama",
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.any(String),
    });
    expect((await call("POST", `${repoPath()}/actions/variables`, { name: "MODEL_NAME", value: "x" })).status).toBe(409);
    expect((await call("POST", `${repoPath()}/actions/variables`, { name: "GITHUB_X", value: "x" })).status).toBe(422);
    expect((await call("PATCH", `${repoPath()}/actions/variables/MODEL_NAME`, { name: "MODEL_NAME", value: "qwen" })).status).toBe(204);
    expect((await call("GET", `${repoPath()}/actions/variables`)).body).toMatchObject({
      total_count: 1,
      variables: [{ name: "MODEL_NAME", value: "qwen" }],
    });
    expect((await call("DELETE", `${repoPath()}/actions/variables/MODEL_NAME`)).status).toBe(204);
    expect((await call("GET", `${repoPath()}/actions/variables/MODEL_NAME`)).status).toBe(404);
  });

  test("secrets: real X25519 public key, stores only ciphertext, stable timestamps", async () => {
    await makeRepo();
    const key = await call("GET", `${repoPath()}/actions/secrets/public-key`);
    expect(Buffer.from(key.body.key, "base64")).toHaveLength(32);
    expect(key.body.key_id).toMatch(/^\d+$/);
    const sealed = Buffer.alloc(64, 7).toString("base64");
    expect((await call("PUT", `${repoPath()}/actions/secrets/HF_TOKEN`, { encrypted_value: sealed, key_id: key.body.key_id })).status).toBe(
      201,
    );
    const s1 = await call("GET", `${repoPath()}/actions/secrets/HF_TOKEN`);
    expect(s1.body).toEqual({ name: "HF_TOKEN", created_at: expect.any(String), updated_at: expect.any(String) });
    const s2 = await call("GET", `${repoPath()}/actions/secrets/HF_TOKEN`);
    expect(s2.body.updated_at).toBe(s1.body.updated_at);
    expect(JSON.stringify(s1.body)).not.toContain(sealed);
    expect((await call("PUT", `${repoPath()}/actions/secrets/HF_TOKEN`, { encrypted_value: sealed, key_id: key.body.key_id })).status).toBe(
      204,
    );
    expect((await call("PUT", `${repoPath()}/actions/secrets/HF_TOKEN`, { encrypted_value: sealed, key_id: "1" })).status).toBe(422);
    expect(
      (await call("PUT", `${repoPath()}/actions/secrets/HF_TOKEN`, { encrypted_value: "short", key_id: key.body.key_id })).status,
    ).toBe(422);
    expect((await call("GET", `${repoPath()}/actions/secrets`)).body.total_count).toBe(1);
    expect((await call("DELETE", `${repoPath()}/actions/secrets/HF_TOKEN`)).status).toBe(204);
    expect((await call("GET", `${repoPath()}/actions/secrets/HF_TOKEN`)).status).toBe(404);
  });
});

test("out-of-band helper request() uses the same API", async () => {
  await makeRepo();
  const res = await gh.request("PATCH", `${repoPath()}`, { description: "edited out of band" });
  expect(res.status).toBe(200);
  expect((await call("GET", repoPath())).body.description).toBe("edited out of band");
  expect(gh.unhandledRoutes()).toEqual([]);
});
