// Milestones, with GitHub's way of storing due dates.
import { body, checkEnum, checkType, noContent, notFound, ok, paginate, type Req, validationFailed } from "../http";
import type { Router } from "../router";
import { type EmulatorState, type Milestone, nextId, nodeId, now, type Repo } from "../state";
import { accountJson } from "./accounts";
import { archivedGuard, getRepo, repoUrl } from "./repository-access";

const DOC_MILESTONES = "https://docs.github.com/rest/issues/milestones";

export function milestoneJson(repo: Repo, m: Milestone, req: Req): Record<string, unknown> {
  const issues = repo.issues.filter((i) => i.milestoneNumber === m.number);
  return {
    url: `${repoUrl(req, repo)}/milestones/${m.number}`,
    html_url: `${req.base}${repo.owner.login}/${repo.name}/milestone/${m.number}`,
    labels_url: `${repoUrl(req, repo)}/milestones/${m.number}/labels`,
    id: m.id,
    node_id: m.node_id,
    number: m.number,
    title: m.title,
    description: m.description,
    creator: accountJson(m.creator, req),
    open_issues: issues.filter((i) => i.state === "open").length,
    closed_issues: issues.filter((i) => i.state === "closed").length,
    state: m.state,
    created_at: m.created_at,
    updated_at: m.updated_at,
    due_on: m.due_on,
    closed_at: m.closed_at,
  };
}

function parseDueOn(v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  const t = Date.parse(String(v));
  if (Number.isNaN(t)) throw validationFailed([{ resource: "Milestone", field: "due_on", code: "invalid" }], DOC_MILESTONES);
  // GitHub floors the instant to its US/Pacific calendar day and stores midnight Pacific of that day
  // (07:00Z under PDT, 08:00Z under PST). So 2026-01-15T06:59Z becomes 2026-01-14T08:00:00Z.
  const day = pacificParts(new Date(t)).date;
  for (const h of ["07", "08"]) {
    const candidate = `${day}T${h}:00:00Z`;
    const p = pacificParts(new Date(candidate));
    if (p.date === day && p.time === "00:00") return candidate;
  }
  return `${day}T08:00:00Z`;
}

function pacificParts(d: Date): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/Los_Angeles",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (type: string) => parts.find((x) => x.type === type)?.value ?? "00";
  return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}` };
}

export function registerMilestoneRoutes(r: Router, state: EmulatorState): void {
  const findMilestone = (repo: Repo, n: string) => repo.milestones.find((m) => String(m.number) === n);
  r.add("GET", "/repos/:owner/:repo/milestones", (req) => {
    const repo = getRepo(state, req);
    const st = req.query.get("state") ?? "open";
    let ms = repo.milestones.filter((m) => st === "all" || m.state === st);
    const sort = req.query.get("sort") ?? "due_on";
    const dir = req.query.get("direction") ?? "asc";
    ms = [...ms].sort((a, b) => {
      const ka = sort === "completeness" ? a.number : (a.due_on ?? "9999");
      const kb = sort === "completeness" ? b.number : (b.due_on ?? "9999");
      return (ka < kb ? -1 : ka > kb ? 1 : a.number - b.number) * (dir === "desc" ? -1 : 1);
    });
    return paginate(
      req,
      ms.map((m) => milestoneJson(repo, m, req)),
    );
  });
  r.add("GET", "/repos/:owner/:repo/milestones/:number", (req) => {
    const repo = getRepo(state, req);
    const m = findMilestone(repo, req.params.number);
    if (!m) throw notFound(DOC_MILESTONES + "#get-a-milestone");
    return ok(milestoneJson(repo, m, req));
  });
  const milestoneFields = (b: Record<string, any>, doc: string) => {
    checkType("Milestone", b, "title", "string", doc);
    checkType("Milestone", b, "description", "string", doc, true);
    checkEnum("Milestone", b, "state", ["open", "closed"], doc);
  };
  r.add("POST", "/repos/:owner/:repo/milestones", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_MILESTONES + "#create-a-milestone";
    const b = body(req);
    if (typeof b.title !== "string" || b.title === "")
      throw validationFailed([{ resource: "Milestone", code: "missing_field", field: "title" }], doc);
    milestoneFields(b, doc);
    if (repo.milestones.some((m) => m.title === b.title))
      throw validationFailed([{ resource: "Milestone", code: "already_exists", field: "title" }], doc);
    const id = nextId(state);
    const ts = now();
    const m: Milestone = {
      id,
      node_id: nodeId("MI", id),
      number: repo.nextMilestoneNumber++,
      title: b.title,
      description: b.description ?? null,
      state: b.state ?? "open",
      due_on: parseDueOn(b.due_on),
      created_at: ts,
      updated_at: ts,
      closed_at: b.state === "closed" ? ts : null,
      creator: state.user,
    };
    repo.milestones.push(m);
    return ok(milestoneJson(repo, m, req), 201);
  });
  r.add("PATCH", "/repos/:owner/:repo/milestones/:number", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_MILESTONES + "#update-a-milestone";
    const m = findMilestone(repo, req.params.number);
    if (!m) throw notFound(doc);
    const b = body(req);
    milestoneFields(b, doc);
    if (typeof b.title === "string") {
      if (b.title === "") throw validationFailed([{ resource: "Milestone", code: "missing_field", field: "title" }], doc);
      if (repo.milestones.some((x) => x !== m && x.title === b.title))
        throw validationFailed([{ resource: "Milestone", code: "already_exists", field: "title" }], doc);
      m.title = b.title;
    }
    if ("description" in b) m.description = b.description ?? null;
    if ("due_on" in b) m.due_on = parseDueOn(b.due_on);
    if (b.state && b.state !== m.state) {
      m.state = b.state;
      m.closed_at = b.state === "closed" ? now() : null;
    }
    m.updated_at = now();
    return ok(milestoneJson(repo, m, req));
  });
  r.add("DELETE", "/repos/:owner/:repo/milestones/:number", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const m = findMilestone(repo, req.params.number);
    if (!m) throw notFound(DOC_MILESTONES + "#delete-a-milestone");
    repo.milestones = repo.milestones.filter((x) => x !== m);
    for (const i of repo.issues) if (i.milestoneNumber === m.number) i.milestoneNumber = null;
    return noContent();
  });
}
