// HTTP-level tests of the local GitHub REST emulator (support/github-emulator): repository contents (git blob shas,
// commits, sha rules), rulesets (defaults, protected-branch pushes, bypass actors) and Actions variables and secrets.
import { createHash } from "node:crypto";
import { call, emulatorPerTest, makeRepo, OWNER, repoPath } from "./support/github-emulator-session";

emulatorPerTest();

const gitBlobSha = (s: string) =>
  createHash("sha1")
    .update(`blob ${Buffer.byteLength(s)}\0${s}`)
    .digest("hex");

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
