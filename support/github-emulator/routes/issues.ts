// Issues: creating, listing, reading and updating (labels, milestone, assignees, state).
import { ApiError, body, checkEnum, checkType, notFound, ok, paginate, type Req, type ValidationError, validationFailed } from "../http";
import type { Router } from "../router";
import { type EmulatorState, type Issue, type Label, nextId, nodeId, now, type Repo } from "../state";
import { accountJson, userByLogin } from "./accounts";
import { findLabel, labelJson } from "./labels";
import { milestoneJson } from "./milestones";
import { archivedGuard, getRepo, repoUrl } from "./repository-access";

const DOC_ISSUES = "https://docs.github.com/rest/issues/issues";

function issueJson(repo: Repo, i: Issue, req: Req, state: EmulatorState): Record<string, unknown> {
  const url = `${repoUrl(req, repo)}/issues/${i.number}`;
  const labels = i.labelIds.map((id) => repo.labels.find((l) => l.id === id)).filter((l): l is Label => !!l);
  const milestone = i.milestoneNumber != null ? repo.milestones.find((m) => m.number === i.milestoneNumber) : undefined;
  const assignees = i.assignees.map((login) => accountJson(userByLogin(state, login)!, req));
  return {
    url,
    repository_url: repoUrl(req, repo),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${req.base}${repo.owner.login}/${repo.name}/issues/${i.number}`,
    id: i.id,
    node_id: i.node_id,
    number: i.number,
    title: i.title,
    user: accountJson(i.user, req),
    labels: labels.map((l) => labelJson(repo, l, req)),
    state: i.state,
    locked: i.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: milestone ? milestoneJson(repo, milestone, req) : null,
    comments: 0,
    created_at: i.created_at,
    updated_at: i.updated_at,
    closed_at: i.closed_at,
    author_association: "OWNER",
    active_lock_reason: null,
    body: i.body,
    closed_by: i.closed_by ? accountJson(i.closed_by, req) : null,
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: i.state_reason,
  };
}

export function registerIssueRoutes(r: Router, state: EmulatorState): void {
  const issuesEnabled = (repo: Repo) => {
    if (!repo.settings.has_issues) throw new ApiError(410, "Issues are disabled for this repo", undefined, DOC_ISSUES);
  };
  const findIssue = (repo: Repo, n: string) => {
    const i = repo.issues.find((x) => String(x.number) === n);
    if (!i) throw notFound(DOC_ISSUES + "#get-an-issue");
    return i;
  };
  const applyIssueFields = (repo: Repo, i: Issue, b: Record<string, any>, doc: string) => {
    checkType("Issue", b, "title", "string", doc);
    checkType("Issue", b, "body", "string", doc, true);
    checkType("Issue", b, "labels", "array", doc, true);
    checkType("Issue", b, "assignees", "array", doc, true);
    checkEnum("Issue", b, "state", ["open", "closed"], doc);
    if (b.state_reason !== undefined && b.state_reason !== null)
      checkEnum("Issue", b, "state_reason", ["completed", "not_planned", "reopened"], doc);
    const errors: ValidationError[] = [];
    let milestone: number | null | undefined;
    if ("milestone" in b) {
      if (b.milestone === null) milestone = null;
      else if (!repo.milestones.some((m) => String(m.number) === String(b.milestone)))
        errors.push({ value: b.milestone, resource: "Issue", field: "milestone", code: "invalid" });
      else milestone = Number(b.milestone);
    }
    let assignees: string[] | undefined;
    if (Array.isArray(b.assignees)) {
      assignees = [];
      for (const a of b.assignees) {
        const acc = userByLogin(state, String(a));
        if (!acc) errors.push({ value: a, resource: "Issue", field: "assignees", code: "invalid" });
        else if (!assignees.includes(acc.login)) assignees.push(acc.login);
      }
    }
    if (errors.length) throw validationFailed(errors, doc);
    if (typeof b.title === "string") {
      if (b.title.trim() === "") throw validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }], doc);
      i.title = b.title;
    }
    if ("body" in b) i.body = b.body ?? null;
    if (milestone !== undefined) i.milestoneNumber = milestone;
    if (assignees) i.assignees = assignees;
    if (Array.isArray(b.labels)) {
      const ids: number[] = [];
      for (const raw of b.labels) {
        const name = typeof raw === "object" && raw ? String(raw.name) : String(raw);
        let l = findLabel(repo, name);
        if (!l) {
          // Like GitHub: naming an unknown label on an issue creates it.
          const id = nextId(state);
          l = { id, node_id: nodeId("LA", id), name, color: "ededed", description: null, default: false };
          repo.labels.push(l);
        }
        if (!ids.includes(l.id)) ids.push(l.id);
      }
      i.labelIds = ids;
    }
    if (b.state && b.state !== i.state) {
      i.state = b.state;
      if (b.state === "closed") {
        i.closed_at = now();
        i.closed_by = state.user;
        i.state_reason = b.state_reason ?? "completed";
      } else {
        i.closed_at = null;
        i.closed_by = null;
        i.state_reason = "reopened";
      }
    } else if (b.state_reason !== undefined && i.state === "closed" && b.state_reason !== "reopened") {
      i.state_reason = b.state_reason;
    }
    i.updated_at = now();
  };
  r.add("GET", "/repos/:owner/:repo/issues", (req) => {
    const repo = getRepo(state, req);
    issuesEnabled(repo);
    const st = req.query.get("state") ?? "open";
    const wantLabels = (req.query.get("labels") ?? "")
      .split(",")
      .filter(Boolean)
      .map((s) => s.toLowerCase());
    const ms = req.query.get("milestone");
    const list = repo.issues
      .filter((i) => st === "all" || i.state === st)
      .filter((i) => wantLabels.every((n) => i.labelIds.some((id) => repo.labels.find((l) => l.id === id)?.name.toLowerCase() === n)))
      .filter((i) =>
        !ms || ms === "*"
          ? ms === "*"
            ? i.milestoneNumber != null
            : true
          : ms === "none"
            ? i.milestoneNumber == null
            : String(i.milestoneNumber) === ms,
      )
      .sort((a, b) => (req.query.get("direction") === "asc" ? a.number - b.number : b.number - a.number));
    return paginate(
      req,
      list.map((i) => issueJson(repo, i, req, state)),
    );
  });
  r.add("GET", "/repos/:owner/:repo/issues/:number", (req) => {
    const repo = getRepo(state, req);
    issuesEnabled(repo);
    return ok(issueJson(repo, findIssue(repo, req.params.number), req, state));
  });
  r.add("POST", "/repos/:owner/:repo/issues", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    issuesEnabled(repo);
    const doc = DOC_ISSUES + "#create-an-issue";
    const b = body(req);
    if (typeof b.title !== "string" || b.title.trim() === "")
      throw validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }], doc);
    const id = nextId(state);
    const ts = now();
    const issue: Issue = {
      id,
      node_id: nodeId("I", id),
      number: 0,
      title: b.title,
      body: null,
      state: "open",
      state_reason: null,
      labelIds: [],
      assignees: [],
      milestoneNumber: null,
      user: state.user,
      locked: false,
      created_at: ts,
      updated_at: ts,
      closed_at: null,
      closed_by: null,
    };
    applyIssueFields(repo, issue, { ...b, state: undefined, state_reason: undefined }, doc);
    issue.number = repo.nextIssueNumber++;
    repo.issues.push(issue);
    return ok(issueJson(repo, issue, req, state), 201);
  });
  r.add("PATCH", "/repos/:owner/:repo/issues/:number", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    issuesEnabled(repo);
    const issue = findIssue(repo, req.params.number);
    applyIssueFields(repo, issue, body(req), DOC_ISSUES + "#update-an-issue");
    return ok(issueJson(repo, issue, req, state));
  });
}
