// Branches, git references and git commit objects.
import { ApiError, body, noContent, notFound, ok, paginate, type Req, validationFailed } from "../http";
import type { Router } from "../router";
import { type EmulatorState, nodeId, type Repo } from "../state";
import { gitCommitJson, repoCommitJson } from "./commits";
import { pushViolations } from "./git-operations";
import { getRepo, repoUrl } from "./repository-access";

export function registerGitRefRoutes(r: Router, state: EmulatorState): void {
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
}
