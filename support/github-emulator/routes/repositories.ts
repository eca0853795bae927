// Creating, listing, reading, updating and deleting repositories.
import { ApiError, body, noContent, notFound, ok, paginate, type Reply, type Req, validationFailed } from "../http";
import type { Router } from "../router";
import { type Account, DEFAULT_LABELS, type EmulatorState, makePublicKey, nextId, nodeId, now, type Repo } from "../state";
import { accountJson } from "./accounts";
import { commitOnBranch } from "./git-operations";
import { DOC_REPOS, getRepo, repoUrl, touch } from "./repository-access";
import { applyRepoSettings, validateRepoBody } from "./repository-settings";

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

export function registerRepositoryRoutes(r: Router, state: EmulatorState): void {
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
}
