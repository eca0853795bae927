// Commits as the REST API shows them: git commit objects and repository commits.
import { blobSha, type Commit, type Signature } from "../git";
import { ApiError, notFound, ok, paginate, type Req } from "../http";
import type { Router } from "../router";
import { type EmulatorState, nodeId, type Repo } from "../state";
import { accountJson } from "./accounts";
import { resolveRef } from "./git-operations";
import { getRepo, repoUrl } from "./repository-access";

function sigJson(s: Signature): Record<string, unknown> {
  return { name: s.name, email: s.email, date: s.date };
}

export function gitCommitJson(repo: Repo, c: Commit, req: Req): Record<string, unknown> {
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

export function repoCommitJson(repo: Repo, c: Commit, req: Req, state: EmulatorState, withFiles = false): Record<string, unknown> {
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

export function registerCommitRoutes(r: Router, state: EmulatorState): void {
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
}
