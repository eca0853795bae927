// HTTP-level tests of the local GitHub REST emulator (support/github-emulator): labels (default set, pagination),
// milestones (due dates on the Pacific day) and issues (numbering, labels, milestones, assignees, rejections).
import { call, emulatorPerTest, makeRepo, OWNER, repoPath } from "./support/github-emulator-session";

emulatorPerTest();

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
