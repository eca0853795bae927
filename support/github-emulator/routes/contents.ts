// File contents: reading files and directories, and committing file creations, updates and deletions.
import { blobSha } from "../git";
import { ApiError, body, notFound, ok, type Reply, type Req, validationFailed } from "../http";
import type { Router } from "../router";
import type { EmulatorState, Repo } from "../state";
import { gitCommitJson } from "./commits";
import { commitOnBranch, pushViolations, resolveRef } from "./git-operations";
import { archivedGuard, getRepo, repoUrl } from "./repository-access";

const DOC_CONTENTS = "https://docs.github.com/rest/repos/contents";

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

export function registerContentRoutes(r: Router, state: EmulatorState): void {
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
}
