// The REST routes the integrations/github provider uses for the resources sparky-infra manages.
import { blobSha, makeCommit, refGlobMatch, type Commit, type Signature } from "./git";
import { ApiError, noContent, notFound, ok, paginate, Router, validationFailed, type Req, type Reply, type ValidationError } from "./http";
import {
  DEFAULT_LABELS,
  makePublicKey,
  nextId,
  nodeId,
  now,
  type Account,
  type EmulatorState,
  type Issue,
  type Label,
  type Milestone,
  type Repo,
  type RepoSettings,
  type Ruleset,
} from "./state";

const DOC_REPOS = "https://docs.github.com/rest/repos/repos";
const DOC_LABELS = "https://docs.github.com/rest/issues/labels";
const DOC_MILESTONES = "https://docs.github.com/rest/issues/milestones";
const DOC_ISSUES = "https://docs.github.com/rest/issues/issues";
const DOC_CONTENTS = "https://docs.github.com/rest/repos/contents";
const DOC_RULES = "https://docs.github.com/rest/repos/rules";
const DOC_ACTIONS = "https://docs.github.com/rest/actions";

// ---------------------------------------------------------------------------------------------
// JSON shapes

function accountJson(a: Account, req: Req): Record<string, unknown> {
  const url = `${req.api}/${a.type === "Organization" ? "orgs" : "users"}/${a.login}`;
  return {
    login: a.login,
    id: a.id,
    node_id: a.node_id,
    avatar_url: `${req.base}avatars/u/${a.id}?v=4`,
    gravatar_id: "",
    url: `${req.api}/users/${a.login}`,
    html_url: `${req.base}${a.login}`,
    repos_url: `${url}/repos`,
    type: a.type,
    user_view_type: "public",
    site_admin: false,
  };
}

function repoUrl(req: Req, repo: Repo): string {
  return `${req.api}/repos/${repo.owner.login}/${repo.name}`;
}

function repoJson(repo: Repo, req: Req): Record<string, unknown> {
  const s = repo.settings;
  const url = repoUrl(req, repo);
  const html = `${req.base}${repo.owner.login}/${repo.name}`;
  const host = new URL(req.base).host;
  const openIssues = repo.issues.filter((i) => i.state === "open").length;
  const out: Record<string, unknown> = {
    id: repo.id,
    node_id: repo.node_id,
    name: repo.name,
    full_name: `${repo.owner.login}/${repo.name}`,
    private: s.private,
    owner: accountJson(repo.owner, req),
    html_url: html,
    description: s.description,
    fork: false,
    url,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues{/number}`,
    labels_url: `${url}/labels{/name}`,
    milestones_url: `${url}/milestones{/number}`,
    contents_url: `${url}/contents/{+path}`,
    branches_url: `${url}/branches{/branch}`,
    commits_url: `${url}/commits{/sha}`,
    created_at: repo.created_at,
    updated_at: repo.updated_at,
    pushed_at: repo.pushed_at,
    git_url: `git://${host}/${repo.owner.login}/${repo.name}.git`,
    ssh_url: `git@${host}:${repo.owner.login}/${repo.name}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: s.homepage,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: s.has_issues,
    has_projects: s.has_projects,
    has_downloads: s.has_downloads,
    has_wiki: s.has_wiki,
    has_pages: s.has_pages,
    has_discussions: s.has_discussions,
    forks_count: 0,
    mirror_url: null,
    archived: s.archived,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: s.allow_forking,
    is_template: s.is_template,
    web_commit_signoff_required: s.web_commit_signoff_required,
    topics: [...repo.topics],
    visibility: s.visibility,
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.default_branch,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    temp_clone_token: "",
    allow_squash_merge: s.allow_squash_merge,
    allow_merge_commit: s.allow_merge_commit,
    allow_rebase_merge: s.allow_rebase_merge,
    allow_auto_merge: s.allow_auto_merge,
    delete_branch_on_merge: s.delete_branch_on_merge,
    allow_update_branch: s.allow_update_branch,
    use_squash_pr_title_as_default: s.use_squash_pr_title_as_default,
    squash_merge_commit_message: s.squash_merge_commit_message,
    squash_merge_commit_title: s.squash_merge_commit_title,
    merge_commit_message: s.merge_commit_message,
    merge_commit_title: s.merge_commit_title,
    network_count: 0,
    subscribers_count: 1,
  };
  if (repo.owner.type === "Organization") out.organization = accountJson(repo.owner, req);
  return out;
}

function labelJson(repo: Repo, l: Label, req: Req): Record<string, unknown> {
  return {
    id: l.id,
    node_id: l.node_id,
    url: `${repoUrl(req, repo)}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: l.default,
    description: l.description,
  };
}

function milestoneJson(repo: Repo, m: Milestone, req: Req): Record<string, unknown> {
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

function sigJson(s: Signature): Record<string, unknown> {
  return { name: s.name, email: s.email, date: s.date };
}

function gitCommitJson(repo: Repo, c: Commit, req: Req): Record<string, unknown> {
  return {
    sha: c.sha,
    node_id: nodeId("C", parseInt(c.sha.slice(0, 7), 16)),
    url: `${repoUrl(req, repo)}/git/commits/${c.sha}`,
    html_url: `${req.base}${repo.owner.login}/${repo.name}/commit/${c.sha}`,
    author: sigJson(c.author),
    committer: sigJson(c.committer),
    tree: { sha: c.treeSha, url: `${repoUrl(req, repo)}/git/trees/${c.treeSha}` },
    message: c.message,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${repoUrl(req, repo)}/git/commits/${p}`,
      html_url: `${req.base}${repo.owner.login}/${repo.name}/commit/${p}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

function repoCommitJson(repo: Repo, c: Commit, req: Req, state: EmulatorState, withFiles = false): Record<string, unknown> {
  const url = `${repoUrl(req, repo)}/commits/${c.sha}`;
  const g = gitCommitJson(repo, c, req);
  const out: Record<string, unknown> = {
    sha: c.sha,
    node_id: g.node_id,
    commit: {
      author: g.author,
      committer: g.committer,
      message: c.message,
      tree: g.tree,
      url: g.url,
      comment_count: 0,
      verification: g.verification,
    },
    url,
    html_url: g.html_url,
    comments_url: `${url}/comments`,
    author: accountJson(state.user, req),
    committer: accountJson(state.user, req),
    parents: (g.parents as Record<string, unknown>[]).map((p) => ({ ...p, url: `${repoUrl(req, repo)}/commits/${p.sha}` })),
  };
  if (withFiles) {
    out.stats = { total: c.changed.length, additions: 0, deletions: 0 };
    out.files = c.changed.map((p) => ({
      sha: c.files.has(p) ? blobSha(c.files.get(p)!) : "0000000000000000000000000000000000000000",
      filename: p,
      status: c.files.has(p) ? "modified" : "removed",
      additions: 0,
      deletions: 0,
      changes: 0,
    }));
  }
  return out;
}

function contentJson(repo: Repo, path: string, content: Buffer, ref: string, req: Req, withContent: boolean): Record<string, unknown> {
  const sha = blobSha(content);
  const url = `${repoUrl(req, repo)}/contents/${path.split("/").map(encodeURIComponent).join("/")}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = `${repoUrl(req, repo)}/git/blobs/${sha}`;
  const htmlUrl = `${req.base}${repo.owner.login}/${repo.name}/blob/${ref}/${path}`;
  const out: Record<string, unknown> = {
    name: path.split("/").pop(),
    path,
    sha,
    size: content.length,
    url,
    html_url: htmlUrl,
    git_url: gitUrl,
    download_url: `${req.base}raw/${repo.owner.login}/${repo.name}/${ref}/${path}`,
    type: "file",
  };
  if (withContent) {
    const b64 = content.toString("base64");
    out.content = (b64.match(/.{1,60}/g) ?? [""]).join("\n") + "\n";
    out.encoding = "base64";
  }
  out._links = { self: url, git: gitUrl, html: htmlUrl };
  return out;
}

function rulesetJson(repo: Repo, r: Ruleset, req: Req, full: boolean): Record<string, unknown> {
  const self = `${repoUrl(req, repo)}/rulesets/${r.id}`;
  const out: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    target: r.target,
    source_type: "Repository",
    source: `${repo.owner.login}/${repo.name}`,
    enforcement: r.enforcement,
    node_id: r.node_id,
    _links: { self: { href: self }, html: { href: `${req.base}${repo.owner.login}/${repo.name}/rules/${r.id}` } },
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
  if (full) {
    out.bypass_actors = r.bypass_actors;
    out.current_user_can_bypass = r.bypass_actors.length ? "always" : "never";
    out.conditions = r.conditions;
    out.rules = r.rules;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lookup and validation helpers

function userByLogin(state: EmulatorState, login: string): Account | undefined {
  const l = login.toLowerCase();
  if (state.user.login.toLowerCase() === l) return state.user;
  if (state.owner.type === "User" && state.owner.login.toLowerCase() === l) return state.owner;
  return undefined;
}

function getRepo(state: EmulatorState, req: Req): Repo {
  const repo = state.repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
  if (!repo) throw notFound(DOC_REPOS + "#get-a-repository");
  return repo;
}

function touch(repo: Repo): void {
  repo.updated_at = now();
}

function body(req: Req): Record<string, any> {
  if (req.body === undefined || req.body === null) return {};
  if (typeof req.body !== "object" || Array.isArray(req.body)) throw new ApiError(400, "Problems parsing JSON");
  return req.body;
}

function checkType(
  resource: string,
  b: Record<string, any>,
  field: string,
  type: "string" | "boolean" | "number" | "array",
  doc: string,
  nullable = false,
): void {
  if (!(field in b)) return;
  const v = b[field];
  if (v === null && nullable) return;
  const okType = type === "array" ? Array.isArray(v) : typeof v === type;
  if (!okType) {
    throw new ApiError(
      422,
      `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a ${type}.`,
      [{ resource, field, code: "invalid" }],
      doc,
    );
  }
}

function checkEnum(resource: string, b: Record<string, any>, field: string, values: string[], doc: string): void {
  if (!(field in b) || b[field] === undefined) return;
  if (!values.includes(b[field])) {
    throw validationFailed([{ resource, field, code: "invalid", message: `${field} is not included in the list` }], doc);
  }
}

function archivedGuard(repo: Repo): void {
  if (repo.settings.archived) throw new ApiError(403, "Repository was archived so is read-only.", undefined, DOC_REPOS);
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

// ---------------------------------------------------------------------------------------------
// Git helpers

function author(state: EmulatorState, given: any): Signature {
  const date = now();
  if (given && typeof given === "object" && given.name && given.email)
    return { name: String(given.name), email: String(given.email), date: given.date ?? date };
  return { name: state.user.name, email: state.user.email, date };
}

function resolveRef(repo: Repo, ref: string | null | undefined): { sha: string; name: string } | undefined {
  const r = ref || repo.default_branch;
  const name = r.replace(/^refs\/heads\//, "");
  const byBranch = repo.branches.get(name);
  if (byBranch) return { sha: byBranch, name };
  if (/^[0-9a-f]{7,40}$/.test(r)) {
    for (const sha of repo.commits.keys()) if (sha.startsWith(r)) return { sha, name: r };
  }
  return undefined;
}

function commitOnBranch(
  state: EmulatorState,
  repo: Repo,
  branch: string,
  files: Map<string, Buffer>,
  message: string,
  b: Record<string, any>,
): Commit {
  const parentSha = repo.branches.get(branch);
  const parent = parentSha ? repo.commits.get(parentSha) : undefined;
  const a = author(state, b.author ?? b.committer);
  const c = author(state, b.committer ?? b.author);
  const commit = makeCommit({ files, parents: parentSha ? [parentSha] : [], message, author: a, committer: c, parentFiles: parent?.files });
  repo.commits.set(commit.sha, commit);
  repo.branches.set(branch, commit.sha);
  repo.pushed_at = now();
  return commit;
}

/** Active ruleset rules that forbid a direct push to `branch` by this token (no bypass actor). */
function pushViolations(repo: Repo, branch: string): string[] {
  const ref = `refs/heads/${branch}`;
  const out: string[] = [];
  for (const rs of repo.rulesets) {
    if (rs.enforcement !== "active" || rs.target !== "branch") continue;
    if (
      (rs.bypass_actors as any[]).some(
        (a) =>
          a?.bypass_mode !== "pull_request" &&
          (a?.actor_type === "OrganizationAdmin" || (a?.actor_type === "RepositoryRole" && Number(a?.actor_id) === 5)),
      )
    )
      continue;
    const refName = ((rs.conditions as any)?.ref_name ?? {}) as { include?: string[]; exclude?: string[] };
    const matches = (p: string) =>
      p === "~ALL" || (p === "~DEFAULT_BRANCH" && branch === repo.default_branch) || refGlobMatch(p, ref) || refGlobMatch(p, branch);
    if (!(refName.include ?? []).some(matches) || (refName.exclude ?? []).some(matches)) continue;
    for (const rule of rs.rules) {
      if (rule.type === "pull_request") out.push("Changes must be made through a pull request.");
      if (rule.type === "required_status_checks") {
        const checks = ((rule.parameters?.required_status_checks as any[]) ?? []).map((c) => c.context);
        out.push(`${checks.length} of ${checks.length} required status checks are expected.`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Repository create/update

const SQUASH_TITLES = ["PR_TITLE", "COMMIT_OR_PR_TITLE"];
const SQUASH_MESSAGES = ["PR_BODY", "COMMIT_MESSAGES", "BLANK"];
const MERGE_TITLES = ["PR_TITLE", "MERGE_MESSAGE"];
const MERGE_MESSAGES = ["PR_BODY", "PR_TITLE", "BLANK"];
const BOOL_SETTINGS: (keyof RepoSettings)[] = [
  "has_issues",
  "has_projects",
  "has_wiki",
  "has_downloads",
  "has_discussions",
  "is_template",
  "allow_squash_merge",
  "allow_merge_commit",
  "allow_rebase_merge",
  "allow_auto_merge",
  "allow_update_branch",
  "allow_forking",
  "delete_branch_on_merge",
  "web_commit_signoff_required",
  "use_squash_pr_title_as_default",
  "private",
];

function validateRepoBody(b: Record<string, any>, owner: Account): void {
  const doc = DOC_REPOS;
  for (const f of BOOL_SETTINGS) checkType("Repository", b, f, "boolean", doc);
  for (const f of ["archived", "auto_init"]) checkType("Repository", b, f, "boolean", doc);
  for (const f of ["name", "default_branch", "visibility"]) checkType("Repository", b, f, "string", doc);
  for (const f of [
    "description",
    "homepage",
    "squash_merge_commit_title",
    "squash_merge_commit_message",
    "merge_commit_title",
    "merge_commit_message",
  ])
    checkType("Repository", b, f, "string", doc, true);
  checkEnum("Repository", b, "visibility", owner.type === "Organization" ? ["public", "private", "internal"] : ["public", "private"], doc);
  checkEnum("Repository", b, "squash_merge_commit_title", SQUASH_TITLES, doc);
  checkEnum("Repository", b, "squash_merge_commit_message", SQUASH_MESSAGES, doc);
  checkEnum("Repository", b, "merge_commit_title", MERGE_TITLES, doc);
  checkEnum("Repository", b, "merge_commit_message", MERGE_MESSAGES, doc);
  if ("name" in b && !/^[A-Za-z0-9._-]{1,100}$/.test(b.name)) {
    throw validationFailed([{ resource: "Repository", code: "custom", field: "name", message: "name is invalid" }], doc);
  }
  const pairs: [string, string, string[][]][] = [
    [
      "squash_merge_commit_title",
      "squash_merge_commit_message",
      [
        ["PR_TITLE", "PR_BODY"],
        ["PR_TITLE", "BLANK"],
        ["PR_TITLE", "COMMIT_MESSAGES"],
        ["COMMIT_OR_PR_TITLE", "COMMIT_MESSAGES"],
      ],
    ],
    [
      "merge_commit_title",
      "merge_commit_message",
      [
        ["PR_TITLE", "PR_BODY"],
        ["PR_TITLE", "BLANK"],
        ["MERGE_MESSAGE", "PR_TITLE"],
      ],
    ],
  ];
  for (const [t, m, allowed] of pairs) {
    if (b[t] && b[m] && !allowed.some(([x, y]) => x === b[t] && y === b[m])) {
      throw validationFailed([{ resource: "Repository", code: "invalid", field: m, message: `${m} is not valid with ${t} ${b[t]}` }], doc);
    }
  }
}

function applyRepoSettings(repo: Repo, b: Record<string, any>): void {
  const s = repo.settings;
  for (const f of BOOL_SETTINGS) if (typeof b[f] === "boolean") (s as any)[f] = b[f];
  if ("description" in b) s.description = b.description === "" ? null : b.description;
  if ("homepage" in b) s.homepage = b.homepage === "" ? null : b.homepage;
  if (typeof b.visibility === "string") {
    s.visibility = b.visibility as RepoSettings["visibility"];
    s.private = b.visibility !== "public";
  } else if (typeof b.private === "boolean") {
    s.visibility = b.private ? "private" : "public";
  }
  for (const f of ["squash_merge_commit_title", "squash_merge_commit_message", "merge_commit_title", "merge_commit_message"] as const) {
    if (typeof b[f] === "string" && b[f] !== "") s[f] = b[f];
  }
  if (typeof b.use_squash_pr_title_as_default === "boolean" && b.use_squash_pr_title_as_default && !b.squash_merge_commit_title) {
    s.squash_merge_commit_title = "PR_TITLE";
  }
  if (b.squash_merge_commit_title) s.use_squash_pr_title_as_default = b.squash_merge_commit_title === "PR_TITLE";
}

function createRepo(state: EmulatorState, req: Req, owner: Account): Reply {
  const b = body(req);
  if (typeof b.name !== "string" || b.name === "") {
    throw validationFailed(
      [{ resource: "Repository", code: "missing_field", field: "name" }],
      DOC_REPOS + "#create-an-organization-repository",
    );
  }
  validateRepoBody(b, owner);
  const key = `${owner.login}/${b.name}`.toLowerCase();
  if (state.repos.has(key)) {
    throw new ApiError(
      422,
      "Repository creation failed.",
      [{ resource: "Repository", code: "custom", field: "name", message: "name already exists on this account" }],
      DOC_REPOS + "#create-an-organization-repository",
    );
  }
  const id = nextId(state);
  const ts = now();
  const repo: Repo = {
    id,
    node_id: nodeId("R", id),
    name: b.name,
    owner,
    settings: {
      description: null,
      homepage: null,
      private: false,
      visibility: "public",
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_downloads: true,
      has_discussions: false,
      has_pages: false,
      is_template: false,
      archived: false,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      allow_auto_merge: false,
      allow_update_branch: false,
      allow_forking: true,
      delete_branch_on_merge: false,
      web_commit_signoff_required: false,
      use_squash_pr_title_as_default: false,
      squash_merge_commit_title: "COMMIT_OR_PR_TITLE",
      squash_merge_commit_message: "COMMIT_MESSAGES",
      merge_commit_title: "MERGE_MESSAGE",
      merge_commit_message: "PR_TITLE",
    },
    default_branch: "main",
    topics: [],
    vulnerabilityAlerts: false,
    created_at: ts,
    updated_at: ts,
    pushed_at: null,
    branches: new Map(),
    commits: new Map(),
    labels: [],
    milestones: [],
    issues: [],
    nextIssueNumber: 1,
    nextMilestoneNumber: 1,
    rulesets: [],
    variables: new Map(),
    secrets: new Map(),
    publicKey: makePublicKey(),
  };
  applyRepoSettings(repo, b);
  if (b.archived === true) repo.settings.archived = false; // not settable on create
  for (const [name, color, description] of DEFAULT_LABELS) {
    const lid = nextId(state);
    repo.labels.push({ id: lid, node_id: nodeId("LA", lid), name, color, description, default: true });
  }
  if (b.auto_init === true) {
    const readme = `# ${repo.name}\n${repo.settings.description ? repo.settings.description : ""}`;
    commitOnBranch(state, repo, "main", new Map([["README.md", Buffer.from(readme)]]), "Initial commit", {});
  }
  state.repos.set(key, repo);
  return ok(repoJson(repo, req), 201);
}

// ---------------------------------------------------------------------------------------------
// Route table

export function buildRouter(state: EmulatorState): Router {
  const r = new Router();

  // --- accounts / configure time
  r.add("GET", "/user", (req) =>
    ok({
      ...accountJson(state.user, req),
      name: state.user.name,
      email: null,
      company: null,
      blog: "",
      location: null,
      bio: null,
      public_repos: 0,
      followers: 0,
      following: 0,
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2020-01-01T00:00:00Z",
    }),
  );
  r.add("GET", "/users/:login", (req) => {
    const a = req.params.login.toLowerCase() === state.owner.login.toLowerCase() ? state.owner : userByLogin(state, req.params.login);
    if (!a) throw notFound();
    return ok({ ...accountJson(a, req), name: a.name });
  });
  // data "github_user" also lists the account's public keys; no account here has any.
  const knownAccount = (login: string) => {
    if (login.toLowerCase() !== state.owner.login.toLowerCase() && !userByLogin(state, login)) throw notFound();
    return ok([]);
  };
  r.add("GET", "/users/:login/gpg_keys", (req) => knownAccount(req.params.login));
  r.add("GET", "/users/:login/keys", (req) => knownAccount(req.params.login));
  r.add("GET", "/orgs/:org", (req) => {
    if (state.owner.type !== "Organization" || req.params.org.toLowerCase() !== state.owner.login.toLowerCase())
      throw notFound("https://docs.github.com/rest/orgs/orgs#get-an-organization");
    const o = state.owner;
    return ok({
      login: o.login,
      id: o.id,
      node_id: o.node_id,
      url: `${req.api}/orgs/${o.login}`,
      repos_url: `${req.api}/orgs/${o.login}/repos`,
      description: null,
      name: o.name,
      html_url: `${req.base}${o.login}`,
      type: "Organization",
      public_repos: [...state.repos.values()].filter((x) => x.owner === o && !x.settings.private).length,
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2020-01-01T00:00:00Z",
      members_can_create_repositories: true,
      web_commit_signoff_required: false,
      plan: { name: "team", space: 976562499, private_repos: 999999, filled_seats: 1, seats: 5 },
    });
  });
  r.add("GET", "/meta", () => ok({ verifiable_password_authentication: false, installed_version: "3.14.0" }));
  r.add("GET", "/rate_limit", () => {
    const core = { limit: 5000, used: 1, remaining: 4999, reset: Math.floor(Date.now() / 1000) + 3600 };
    return ok({ resources: { core, graphql: core, search: core }, rate: core });
  });

  // --- repositories
  r.add("POST", "/orgs/:org/repos", (req) => {
    if (state.owner.type !== "Organization" || req.params.org.toLowerCase() !== state.owner.login.toLowerCase()) throw notFound();
    return createRepo(state, req, state.owner);
  });
  r.add("POST", "/user/repos", (req) => createRepo(state, req, state.user));
  r.add("GET", "/orgs/:org/repos", (req) => {
    if (req.params.org.toLowerCase() !== state.owner.login.toLowerCase()) throw notFound();
    return paginate(
      req,
      [...state.repos.values()].filter((x) => x.owner === state.owner).map((x) => repoJson(x, req)),
    );
  });
  r.add("GET", "/user/repos", (req) =>
    paginate(
      req,
      [...state.repos.values()].map((x) => repoJson(x, req)),
    ),
  );
  r.add("GET", "/repos/:owner/:repo", (req) => ok(repoJson(getRepo(state, req), req)));
  r.add("PATCH", "/repos/:owner/:repo", (req) => {
    const repo = getRepo(state, req);
    const b = body(req);
    validateRepoBody(b, repo.owner);
    if (repo.settings.archived && b.archived !== false) {
      // GitHub only accepts un-archiving (archived=false) on an archived repository.
      throw new ApiError(403, "Repository was archived so is read-only.", undefined, DOC_REPOS + "#update-a-repository");
    }
    if (typeof b.default_branch === "string" && b.default_branch !== repo.default_branch) {
      if (repo.branches.size > 0 && !repo.branches.has(b.default_branch)) {
        throw validationFailed(
          [
            {
              resource: "Repository",
              code: "invalid",
              field: "default_branch",
              message: `The branch ${b.default_branch} was not found. Please push that ref first or create it via the Git Data API.`,
            },
          ],
          DOC_REPOS + "#update-a-repository",
        );
      }
      repo.default_branch = b.default_branch;
    }
    if (typeof b.name === "string" && b.name !== repo.name) {
      const newKey = `${repo.owner.login}/${b.name}`.toLowerCase();
      if (state.repos.has(newKey))
        throw validationFailed([{ resource: "Repository", code: "custom", field: "name", message: "name already exists on this account" }]);
      state.repos.delete(`${repo.owner.login}/${repo.name}`.toLowerCase());
      repo.name = b.name;
      state.repos.set(newKey, repo);
    }
    applyRepoSettings(repo, b);
    if (typeof b.archived === "boolean") repo.settings.archived = b.archived;
    touch(repo);
    return ok(repoJson(repo, req));
  });
  r.add("DELETE", "/repos/:owner/:repo", (req) => {
    const repo = getRepo(state, req);
    state.repos.delete(`${repo.owner.login}/${repo.name}`.toLowerCase());
    return noContent();
  });
  r.add("GET", "/repos/:owner/:repo/topics", (req) => ok({ names: [...getRepo(state, req).topics] }));
  r.add("PUT", "/repos/:owner/:repo/topics", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const b = body(req);
    if (!Array.isArray(b.names))
      throw validationFailed(
        [{ resource: "Repository", code: "missing_field", field: "names" }],
        DOC_REPOS + "#replace-all-repository-topics",
      );
    const names: string[] = [];
    for (const n of b.names) {
      const t = String(n).toLowerCase();
      if (!/^[a-z0-9][a-z0-9-]{0,49}$/.test(t)) {
        throw new ApiError(
          422,
          "Invalid topics",
          [
            `Topics must start with a lowercase letter or number, consist of 50 characters or less, and can include hyphens. ${JSON.stringify(n)} is invalid.`,
          ],
          DOC_REPOS + "#replace-all-repository-topics",
        );
      }
      if (!names.includes(t)) names.push(t);
    }
    if (names.length > 20) throw new ApiError(422, "Invalid topics", ["A repository cannot have more than 20 topics."], DOC_REPOS);
    repo.topics = names;
    touch(repo);
    return ok({ names });
  });
  r.add("GET", "/repos/:owner/:repo/vulnerability-alerts", (req) => {
    const repo = getRepo(state, req);
    if (!repo.vulnerabilityAlerts)
      throw notFound("https://docs.github.com/rest/repos/repos#check-if-vulnerability-alerts-are-enabled-for-a-repository");
    return noContent();
  });
  r.add("PUT", "/repos/:owner/:repo/vulnerability-alerts", (req) => {
    getRepo(state, req).vulnerabilityAlerts = true;
    return noContent();
  });
  r.add("DELETE", "/repos/:owner/:repo/vulnerability-alerts", (req) => {
    getRepo(state, req).vulnerabilityAlerts = false;
    return noContent();
  });
  r.add("GET", "/repos/:owner/:repo/pages", (req) => {
    getRepo(state, req);
    throw notFound("https://docs.github.com/rest/pages/pages#get-a-apiname-pages-site");
  });

  // --- branches and git refs
  const branchJson = (repo: Repo, name: string, req: Req) => {
    const c = repo.commits.get(repo.branches.get(name)!)!;
    const isProtected = pushViolations(repo, name).length > 0;
    return {
      name,
      commit: repoCommitJson(repo, c, req, state),
      _links: { self: `${repoUrl(req, repo)}/branches/${name}`, html: `${req.base}${repo.owner.login}/${repo.name}/tree/${name}` },
      protected: isProtected,
      protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
      protection_url: `${repoUrl(req, repo)}/branches/${name}/protection`,
    };
  };
  r.add("GET", "/repos/:owner/:repo/branches", (req) => {
    const repo = getRepo(state, req);
    return paginate(
      req,
      [...repo.branches.keys()].sort().map((name) => ({
        name,
        commit: { sha: repo.branches.get(name), url: `${repoUrl(req, repo)}/commits/${repo.branches.get(name)}` },
        protected: pushViolations(repo, name).length > 0,
      })),
    );
  });
  r.add("GET", "/repos/:owner/:repo/branches/*branch", (req) => {
    const repo = getRepo(state, req);
    if (req.params.branch.endsWith("/protection")) {
      const name = req.params.branch.slice(0, -"/protection".length);
      if (!repo.branches.has(name))
        throw new ApiError(
          404,
          "Branch not found",
          undefined,
          "https://docs.github.com/rest/branches/branch-protection#get-branch-protection",
        );
      throw new ApiError(
        404,
        "Branch not protected",
        undefined,
        "https://docs.github.com/rest/branches/branch-protection#get-branch-protection",
      );
    }
    if (!repo.branches.has(req.params.branch))
      throw new ApiError(404, "Branch not found", undefined, "https://docs.github.com/rest/branches/branches#get-a-branch");
    return ok(branchJson(repo, req.params.branch, req));
  });
  const refJson = (repo: Repo, branch: string, req: Req) => ({
    ref: `refs/heads/${branch}`,
    node_id: nodeId("REF", repo.id),
    url: `${repoUrl(req, repo)}/git/refs/heads/${branch}`,
    object: { sha: repo.branches.get(branch), type: "commit", url: `${repoUrl(req, repo)}/git/commits/${repo.branches.get(branch)}` },
  });
  const getRef = (req: Req) => {
    const repo = getRepo(state, req);
    if (repo.branches.size === 0)
      throw new ApiError(409, "Git Repository is empty.", undefined, "https://docs.github.com/rest/git/refs#get-a-reference");
    const m = /^heads\/(.+)$/.exec(req.params.ref);
    if (!m || !repo.branches.has(m[1])) throw notFound("https://docs.github.com/rest/git/refs#get-a-reference");
    return ok(refJson(repo, m[1], req));
  };
  r.add("GET", "/repos/:owner/:repo/git/ref/*ref", getRef);
  r.add("GET", "/repos/:owner/:repo/git/refs/*ref", getRef);
  r.add("POST", "/repos/:owner/:repo/git/refs", (req) => {
    const repo = getRepo(state, req);
    const b = body(req);
    if (typeof b.ref !== "string" || !/^refs\/heads\/.+/.test(b.ref) || typeof b.sha !== "string") {
      throw validationFailed(
        [{ resource: "Reference", code: "invalid", field: "ref" }],
        "https://docs.github.com/rest/git/refs#create-a-reference",
      );
    }
    const name = b.ref.slice("refs/heads/".length);
    if (repo.branches.has(name))
      throw new ApiError(422, "Reference already exists", undefined, "https://docs.github.com/rest/git/refs#create-a-reference");
    if (!repo.commits.has(b.sha))
      throw new ApiError(422, "Object does not exist", undefined, "https://docs.github.com/rest/git/refs#create-a-reference");
    repo.branches.set(name, b.sha);
    return ok(refJson(repo, name, req), 201);
  });
  r.add("DELETE", "/repos/:owner/:repo/git/refs/*ref", (req) => {
    const repo = getRepo(state, req);
    const m = /^heads\/(.+)$/.exec(req.params.ref);
    if (!m || !repo.branches.has(m[1]))
      throw new ApiError(422, "Reference does not exist", undefined, "https://docs.github.com/rest/git/refs#delete-a-reference");
    repo.branches.delete(m[1]);
    return noContent();
  });
  r.add("GET", "/repos/:owner/:repo/git/commits/:sha", (req) => {
    const repo = getRepo(state, req);
    const c = repo.commits.get(req.params.sha);
    if (!c) throw notFound();
    return ok(gitCommitJson(repo, c, req));
  });

  // --- commits
  r.add("GET", "/repos/:owner/:repo/commits", (req) => {
    const repo = getRepo(state, req);
    if (repo.branches.size === 0)
      throw new ApiError(409, "Git Repository is empty.", undefined, "https://docs.github.com/rest/commits/commits#list-commits");
    const head = resolveRef(repo, req.query.get("sha"));
    if (!head) throw notFound();
    const path = req.query.get("path");
    const out: Record<string, unknown>[] = [];
    let sha: string | undefined = head.sha;
    while (sha) {
      const c: Commit = repo.commits.get(sha)!;
      if (!path || c.changed.some((p) => p === path || p.startsWith(path.replace(/\/$/, "") + "/")))
        out.push(repoCommitJson(repo, c, req, state));
      sha = c.parents[0];
    }
    return paginate(req, out);
  });
  r.add("GET", "/repos/:owner/:repo/commits/:ref", (req) => {
    const repo = getRepo(state, req);
    const head = resolveRef(repo, req.params.ref);
    if (!head)
      throw new ApiError(
        422,
        `No commit found for SHA: ${req.params.ref}`,
        undefined,
        "https://docs.github.com/rest/commits/commits#get-a-commit",
      );
    return ok(repoCommitJson(repo, repo.commits.get(head.sha)!, req, state, true));
  });

  // --- contents
  r.add("GET", "/repos/:owner/:repo/contents", (req) => listDir(req, ""));
  r.add("GET", "/repos/:owner/:repo/contents/*path", (req) => listDir(req, req.params.path.replace(/\/$/, "")));
  function listDir(req: Req, path: string): Reply {
    const repo = getRepo(state, req);
    if (repo.branches.size === 0) throw new ApiError(404, "This repository is empty.", undefined, DOC_CONTENTS + "#get-repository-content");
    const ref = req.query.get("ref");
    const head = resolveRef(repo, ref);
    if (!head) throw new ApiError(404, `No commit found for the ref ${ref}`, undefined, DOC_CONTENTS + "#get-repository-content");
    const files = repo.commits.get(head.sha)!.files;
    const refName = ref || repo.default_branch;
    const file = files.get(path);
    if (file) return ok(contentJson(repo, path, file, refName, req, true));
    const prefix = path ? `${path}/` : "";
    const entries = new Map<string, Record<string, unknown>>();
    for (const [p, c] of files) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const name = rest.split("/")[0];
      if (rest.includes("/")) {
        if (!entries.has(name)) entries.set(name, { name, path: prefix + name, type: "dir", sha: "", size: 0 });
      } else entries.set(name, contentJson(repo, p, c, refName, req, false));
    }
    if (entries.size === 0) throw notFound(DOC_CONTENTS + "#get-repository-content");
    return ok([...entries.values()].sort((a, b) => String(a.name).localeCompare(String(b.name))));
  }
  r.add("PUT", "/repos/:owner/:repo/contents/*path", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_CONTENTS + "#create-or-update-file-contents";
    const b = body(req);
    const path = req.params.path;
    if (typeof b.message !== "string" || b.message === "")
      throw validationFailed([{ resource: "Commit", code: "missing_field", field: "message" }], doc);
    if (typeof b.content !== "string") throw validationFailed([{ resource: "Commit", code: "missing_field", field: "content" }], doc);
    if (!/^[A-Za-z0-9+/=\s]*$/.test(b.content)) throw new ApiError(422, "content is not valid Base64", undefined, doc);
    const content = Buffer.from(b.content, "base64");
    const branch: string = b.branch || repo.default_branch;
    const headSha = repo.branches.get(branch);
    if (!headSha && repo.branches.size > 0) throw new ApiError(404, `Branch ${branch} not found`, undefined, doc);
    const violations = headSha ? pushViolations(repo, branch) : [];
    if (violations.length) throw new ApiError(409, `Repository rule violations found\n\n${violations.join("\n\n")}\n\n`, undefined, doc);
    const files = new Map(headSha ? repo.commits.get(headSha)!.files : []);
    const existing = files.get(path);
    if (existing) {
      if (!b.sha) throw new ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', undefined, doc);
      if (b.sha !== blobSha(existing)) throw new ApiError(409, `${path} does not match ${b.sha}`, undefined, doc);
    } else if (b.sha && headSha) {
      throw new ApiError(422, 'Invalid request.\n\n"sha" is not a valid file sha for a new file.', undefined, doc);
    }
    files.set(path, content);
    const commit = commitOnBranch(state, repo, branch, files, b.message, b);
    return ok(
      { content: contentJson(repo, path, content, branch, req, false), commit: gitCommitJson(repo, commit, req) },
      existing ? 200 : 201,
    );
  });
  r.add("DELETE", "/repos/:owner/:repo/contents/*path", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_CONTENTS + "#delete-a-file";
    const b = { ...body(req) };
    for (const k of ["message", "sha", "branch"]) if (b[k] === undefined && req.query.get(k)) b[k] = req.query.get(k);
    const path = req.params.path;
    if (typeof b.message !== "string" || b.message === "")
      throw validationFailed([{ resource: "Commit", code: "missing_field", field: "message" }], doc);
    if (typeof b.sha !== "string") throw validationFailed([{ resource: "Commit", code: "missing_field", field: "sha" }], doc);
    const branch: string = b.branch || repo.default_branch;
    const headSha = repo.branches.get(branch);
    if (!headSha) throw new ApiError(404, `Branch ${branch} not found`, undefined, doc);
    const files = new Map(repo.commits.get(headSha)!.files);
    const existing = files.get(path);
    if (!existing) throw notFound(doc);
    if (b.sha !== blobSha(existing)) throw new ApiError(409, `${path} does not match ${b.sha}`, undefined, doc);
    const violations = pushViolations(repo, branch);
    if (violations.length) throw new ApiError(409, `Repository rule violations found\n\n${violations.join("\n\n")}\n\n`, undefined, doc);
    files.delete(path);
    const commit = commitOnBranch(state, repo, branch, files, b.message, b);
    return ok({ content: null, commit: gitCommitJson(repo, commit, req) });
  });

  // --- labels
  const findLabel = (repo: Repo, name: string) => repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  const normColor = (resource: string, c: unknown, doc: string): string => {
    const v = String(c).replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(v)) throw validationFailed([{ resource, code: "invalid", field: "color" }], doc);
    return v;
  };
  r.add("GET", "/repos/:owner/:repo/labels", (req) => {
    const repo = getRepo(state, req);
    return paginate(
      req,
      repo.labels.map((l) => labelJson(repo, l, req)),
    );
  });
  r.add("GET", "/repos/:owner/:repo/labels/:name", (req) => {
    const repo = getRepo(state, req);
    const l = findLabel(repo, req.params.name);
    if (!l) throw notFound(DOC_LABELS + "#get-a-label");
    return ok(labelJson(repo, l, req));
  });
  r.add("POST", "/repos/:owner/:repo/labels", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_LABELS + "#create-a-label";
    const b = body(req);
    if (typeof b.name !== "string" || b.name.trim() === "")
      throw validationFailed([{ resource: "Label", code: "missing_field", field: "name" }], doc);
    checkType("Label", b, "description", "string", doc, true);
    if (b.description && String(b.description).length > 100)
      throw validationFailed([{ resource: "Label", code: "invalid", field: "description" }], doc);
    const color = b.color === undefined ? "ededed" : normColor("Label", b.color, doc);
    if (findLabel(repo, b.name)) throw validationFailed([{ resource: "Label", code: "already_exists", field: "name" }], doc);
    const id = nextId(state);
    const l: Label = { id, node_id: nodeId("LA", id), name: b.name, color, description: b.description || null, default: false };
    repo.labels.push(l);
    return ok(labelJson(repo, l, req), 201);
  });
  r.add("PATCH", "/repos/:owner/:repo/labels/:name", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_LABELS + "#update-a-label";
    const l = findLabel(repo, req.params.name);
    if (!l) throw notFound(doc);
    const b = body(req);
    checkType("Label", b, "description", "string", doc, true);
    // `new_name` is the documented rename field; go-github's Label struct sends `name`, which GitHub also honours.
    const newName =
      typeof b.new_name === "string" && b.new_name !== "" ? b.new_name : typeof b.name === "string" && b.name !== "" ? b.name : undefined;
    if (newName !== undefined) {
      const clash = findLabel(repo, newName);
      if (clash && clash !== l) throw validationFailed([{ resource: "Label", code: "already_exists", field: "name" }], doc);
      l.name = newName;
    }
    if (b.color !== undefined) l.color = normColor("Label", b.color, doc);
    if ("description" in b) l.description = b.description || null;
    return ok(labelJson(repo, l, req));
  });
  r.add("DELETE", "/repos/:owner/:repo/labels/:name", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const l = findLabel(repo, req.params.name);
    if (!l) throw notFound(DOC_LABELS + "#delete-a-label");
    repo.labels = repo.labels.filter((x) => x !== l);
    for (const i of repo.issues) i.labelIds = i.labelIds.filter((id) => id !== l.id);
    return noContent();
  });

  // --- milestones
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

  // --- issues
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

  // --- rulesets
  const RULE_TYPES = [
    "creation",
    "update",
    "deletion",
    "required_linear_history",
    "merge_queue",
    "required_deployments",
    "required_signatures",
    "pull_request",
    "required_status_checks",
    "non_fast_forward",
    "commit_message_pattern",
    "commit_author_email_pattern",
    "committer_email_pattern",
    "branch_name_pattern",
    "tag_name_pattern",
    "file_path_restriction",
    "max_file_path_length",
    "file_extension_restriction",
    "max_file_size",
    "workflows",
    "code_scanning",
    "copilot_code_review",
  ];
  // GitHub stores rule parameters with its defaults filled in and answers with them on every read.
  const normalizeRules = (rules: any[]): Ruleset["rules"] =>
    rules.map((rule) => {
      const p = { ...(rule.parameters ?? {}) };
      if (rule.type === "pull_request") {
        return {
          type: rule.type,
          parameters: {
            required_approving_review_count: 0,
            dismiss_stale_reviews_on_push: false,
            require_code_owner_review: false,
            require_last_push_approval: false,
            required_review_thread_resolution: false,
            allowed_merge_methods: ["merge", "squash", "rebase"],
            ...p,
          },
        };
      }
      if (rule.type === "required_status_checks") {
        return {
          type: rule.type,
          parameters: { strict_required_status_checks_policy: false, do_not_enforce_on_create: false, required_status_checks: [], ...p },
        };
      }
      return rule.parameters === undefined ? { type: rule.type } : { type: rule.type, parameters: p };
    });
  const validateRuleset = (repo: Repo, b: Record<string, any>, doc: string, self?: Ruleset) => {
    const invalid = (msg: string) => new ApiError(422, `Invalid request.\n\n${msg}`, [msg], doc);
    if ("name" in b && (typeof b.name !== "string" || b.name === ""))
      throw invalid("Invalid property /name: data must be a non-empty string");
    checkEnum("Ruleset", b, "target", ["branch", "tag", "push"], doc);
    if ("enforcement" in b) {
      if (!["disabled", "active", "evaluate"].includes(b.enforcement))
        throw invalid(`Invalid property /enforcement: \`${b.enforcement}\` is not a possible value.`);
      if (b.enforcement === "evaluate" && repo.owner.type !== "Organization")
        throw invalid("Invalid enforcement: evaluate mode is only available for organizations");
    }
    if ("bypass_actors" in b) {
      if (b.bypass_actors === null) throw invalid("Invalid property /bypass_actors: data cannot be null.");
      if (!Array.isArray(b.bypass_actors)) throw invalid("Invalid property /bypass_actors: data must be an array.");
      for (const a of b.bypass_actors) {
        if (!["Integration", "OrganizationAdmin", "RepositoryRole", "Team", "DeployKey"].includes(a?.actor_type))
          throw invalid(`Invalid property /bypass_actors/actor_type: \`${a?.actor_type}\` is not a possible value.`);
        if (a.bypass_mode !== undefined && !["always", "pull_request", "exempt"].includes(a.bypass_mode))
          throw invalid(`Invalid property /bypass_actors/bypass_mode: \`${a.bypass_mode}\` is not a possible value.`);
      }
    }
    if ("conditions" in b && b.conditions !== null) {
      const rn = b.conditions?.ref_name;
      if (rn && (!Array.isArray(rn.include) || !Array.isArray(rn.exclude)))
        throw invalid("Invalid property /conditions/ref_name: include and exclude are required.");
    }
    if ("rules" in b) {
      if (!Array.isArray(b.rules)) throw invalid("Invalid property /rules: data must be an array.");
      for (const rule of b.rules) {
        if (!RULE_TYPES.includes(rule?.type)) throw invalid(`Invalid property /rules/type: \`${rule?.type}\` is not a possible value.`);
        const count = rule.parameters?.required_approving_review_count;
        if (rule.type === "pull_request" && count !== undefined && !(Number.isInteger(count) && count >= 0 && count <= 10)) {
          throw invalid(
            "Invalid property /rules/pull_request/parameters/required_approving_review_count: must be an integer between 0 and 10.",
          );
        }
        if (rule.type === "required_status_checks" && !Array.isArray(rule.parameters?.required_status_checks)) {
          throw invalid('Invalid property /rules/required_status_checks/parameters: "required_status_checks" wasn\'t supplied.');
        }
      }
    }
    const name = b.name ?? self?.name;
    if (repo.rulesets.some((x) => x !== self && x.name === name)) throw validationFailed(["Name must be unique"], doc);
  };
  r.add("GET", "/repos/:owner/:repo/rulesets", (req) => {
    const repo = getRepo(state, req);
    return paginate(
      req,
      repo.rulesets.map((x) => rulesetJson(repo, x, req, false)),
    );
  });
  r.add("GET", "/repos/:owner/:repo/rulesets/:id", (req) => {
    const repo = getRepo(state, req);
    const rs = repo.rulesets.find((x) => String(x.id) === req.params.id);
    if (!rs) throw notFound(DOC_RULES + "#get-a-repository-ruleset");
    return ok(rulesetJson(repo, rs, req, true));
  });
  r.add("POST", "/repos/:owner/:repo/rulesets", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_RULES + "#create-a-repository-ruleset";
    const b = body(req);
    if (typeof b.name !== "string")
      throw new ApiError(
        422,
        'Invalid request.\n\nNo subschema in "anyOf" matched.\n"name" wasn\'t supplied.',
        ['"name" wasn\'t supplied.'],
        doc,
      );
    if (typeof b.enforcement !== "string")
      throw new ApiError(422, 'Invalid request.\n\n"enforcement" wasn\'t supplied.', ['"enforcement" wasn\'t supplied.'], doc);
    validateRuleset(repo, b, doc);
    const id = nextId(state) % 10_000_000;
    const ts = now();
    const rs: Ruleset = {
      id,
      node_id: nodeId("RRS", id),
      name: b.name,
      target: b.target ?? "branch",
      enforcement: b.enforcement,
      bypass_actors: b.bypass_actors ?? [],
      conditions: b.conditions ?? {},
      rules: normalizeRules(b.rules ?? []),
      created_at: ts,
      updated_at: ts,
    };
    repo.rulesets.push(rs);
    return ok(rulesetJson(repo, rs, req, true), 201);
  });
  r.add("PUT", "/repos/:owner/:repo/rulesets/:id", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_RULES + "#update-a-repository-ruleset";
    const rs = repo.rulesets.find((x) => String(x.id) === req.params.id);
    if (!rs) throw notFound(doc);
    const b = body(req);
    validateRuleset(repo, b, doc, rs);
    for (const k of ["name", "target", "enforcement", "bypass_actors", "conditions"] as const) if (k in b) (rs as any)[k] = b[k];
    if ("rules" in b) rs.rules = normalizeRules(b.rules);
    rs.updated_at = now();
    return ok(rulesetJson(repo, rs, req, true));
  });
  r.add("DELETE", "/repos/:owner/:repo/rulesets/:id", (req) => {
    const repo = getRepo(state, req);
    const rs = repo.rulesets.find((x) => String(x.id) === req.params.id);
    if (!rs) throw notFound(DOC_RULES + "#delete-a-repository-ruleset");
    repo.rulesets = repo.rulesets.filter((x) => x !== rs);
    return noContent();
  });

  // --- Actions variables
  const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
  const checkVarName = (name: unknown, resource: string, doc: string): string => {
    if (typeof name !== "string" || name === "") throw validationFailed([{ resource, code: "missing_field", field: "name" }], doc);
    if (!VAR_NAME.test(name) || /^GITHUB_/i.test(name))
      throw new ApiError(
        422,
        `Failed to create ${resource.toLowerCase()}. Name must only contain alphanumeric characters or underscores, must not start with a number, and must not start with the GITHUB_ prefix.`,
        undefined,
        doc,
      );
    return name.toUpperCase();
  };
  r.add("GET", "/repos/:owner/:repo/actions/variables", (req) => {
    const repo = getRepo(state, req);
    const vars = [...repo.variables.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(
      req,
      vars.map((v) => ({ ...v })),
    );
    return { ...page, body: { total_count: vars.length, variables: page.body } };
  });
  r.add("GET", "/repos/:owner/:repo/actions/variables/:name", (req) => {
    const v = getRepo(state, req).variables.get(req.params.name.toUpperCase());
    if (!v) throw notFound(DOC_ACTIONS + "/variables#get-a-repository-variable");
    return ok({ ...v });
  });
  r.add("POST", "/repos/:owner/:repo/actions/variables", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_ACTIONS + "/variables#create-a-repository-variable";
    const b = body(req);
    const name = checkVarName(b.name, "Variable", doc);
    if (typeof b.value !== "string") throw validationFailed([{ resource: "Variable", code: "missing_field", field: "value" }], doc);
    if (repo.variables.has(name)) throw new ApiError(409, "Already exists - Variable already exists", undefined, doc);
    const ts = now();
    repo.variables.set(name, { name, value: b.value, created_at: ts, updated_at: ts });
    return ok({}, 201);
  });
  r.add("PATCH", "/repos/:owner/:repo/actions/variables/:name", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_ACTIONS + "/variables#update-a-repository-variable";
    const v = repo.variables.get(req.params.name.toUpperCase());
    if (!v) throw notFound(doc);
    const b = body(req);
    checkType("Variable", b, "value", "string", doc);
    if (typeof b.name === "string" && b.name.toUpperCase() !== v.name) {
      const nn = checkVarName(b.name, "Variable", doc);
      if (repo.variables.has(nn)) throw new ApiError(409, "Already exists - Variable already exists", undefined, doc);
      repo.variables.delete(v.name);
      v.name = nn;
      repo.variables.set(nn, v);
    }
    if (typeof b.value === "string") v.value = b.value;
    v.updated_at = now();
    return noContent();
  });
  r.add("DELETE", "/repos/:owner/:repo/actions/variables/:name", (req) => {
    const repo = getRepo(state, req);
    if (!repo.variables.delete(req.params.name.toUpperCase())) throw notFound(DOC_ACTIONS + "/variables#delete-a-repository-variable");
    return noContent();
  });

  // --- Actions secrets
  r.add("GET", "/repos/:owner/:repo/actions/secrets/public-key", (req) => {
    const k = getRepo(state, req).publicKey;
    return ok({ key_id: k.key_id, key: k.key });
  });
  r.add("GET", "/repos/:owner/:repo/actions/secrets", (req) => {
    const repo = getRepo(state, req);
    const list = [...repo.secrets.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({ name: s.name, created_at: s.created_at, updated_at: s.updated_at }));
    const page = paginate(req, list);
    return { ...page, body: { total_count: list.length, secrets: page.body } };
  });
  r.add("GET", "/repos/:owner/:repo/actions/secrets/:name", (req) => {
    const s = getRepo(state, req).secrets.get(req.params.name.toUpperCase());
    if (!s) throw notFound(DOC_ACTIONS + "/secrets#get-a-repository-secret");
    return ok({ name: s.name, created_at: s.created_at, updated_at: s.updated_at });
  });
  r.add("PUT", "/repos/:owner/:repo/actions/secrets/:name", (req) => {
    const repo = getRepo(state, req);
    archivedGuard(repo);
    const doc = DOC_ACTIONS + "/secrets#create-or-update-a-repository-secret";
    const name = checkVarName(req.params.name, "Secret", doc);
    const b = body(req);
    if (typeof b.encrypted_value !== "string" || typeof b.key_id !== "string") {
      throw validationFailed(
        [{ resource: "Secret", code: "missing_field", field: typeof b.encrypted_value !== "string" ? "encrypted_value" : "key_id" }],
        doc,
      );
    }
    const raw = Buffer.from(b.encrypted_value, "base64");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b.encrypted_value) || raw.length < 48)
      throw new ApiError(422, "Bad request - encrypted_value is not a valid sealed box", undefined, doc);
    if (b.key_id !== repo.publicKey.key_id) throw new ApiError(422, "Bad request - key_id is not valid", undefined, doc);
    const ts = now();
    const existing = repo.secrets.get(name);
    repo.secrets.set(name, {
      name,
      encrypted_value: b.encrypted_value,
      key_id: b.key_id,
      created_at: existing?.created_at ?? ts,
      updated_at: ts,
    });
    return existing ? noContent() : ok({}, 201);
  });
  r.add("DELETE", "/repos/:owner/:repo/actions/secrets/:name", (req) => {
    const repo = getRepo(state, req);
    if (!repo.secrets.delete(req.params.name.toUpperCase())) throw notFound(DOC_ACTIONS + "/secrets#delete-a-repository-secret");
    return noContent();
  });

  return r;
}
