// HTTP-level tests of the local GitHub REST emulator (support/github-emulator): the server itself (address, tokens,
// the configure-time calls, unhandled routes, ETags, bad JSON), repositories, branches and refs, and the out-of-band
// request() helper. Issues live in github-emulator-issues.test.ts; files, rulesets and Actions in
// github-emulator-contents-rulesets-actions.test.ts.
import { call, emulatorPerTest, gh, makeRepo, OWNER, repoPath, restartEmulator, TOKEN } from "./support/github-emulator-session";

emulatorPerTest();

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
    await restartEmulator({ owner: "alice", token: TOKEN, ownerType: "User" });
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

test("out-of-band helper request() uses the same API", async () => {
  await makeRepo();
  const res = await gh.request("PATCH", `${repoPath()}`, { description: "edited out of band" });
  expect(res.status).toBe(200);
  expect((await call("GET", repoPath())).body.description).toBe("edited out of band");
  expect(gh.unhandledRoutes()).toEqual([]);
});
