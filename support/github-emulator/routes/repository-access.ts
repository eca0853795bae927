// Finding the repository a request names, and the guards every write to it passes.
import { ApiError, notFound, type Req } from "../http";
import { type EmulatorState, now, type Repo } from "../state";

export const DOC_REPOS = "https://docs.github.com/rest/repos/repos";

export function repoUrl(req: Req, repo: Repo): string {
  return `${req.api}/repos/${repo.owner.login}/${repo.name}`;
}

export function getRepo(state: EmulatorState, req: Req): Repo {
  const repo = state.repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
  if (!repo) throw notFound(DOC_REPOS + "#get-a-repository");
  return repo;
}

export function touch(repo: Repo): void {
  repo.updated_at = now();
}

export function archivedGuard(repo: Repo): void {
  if (repo.settings.archived) throw new ApiError(403, "Repository was archived so is read-only.", undefined, DOC_REPOS);
}
