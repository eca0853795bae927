// A repository's topics, vulnerability alerts and (absent) Pages site.
import { ApiError, body, noContent, notFound, ok, validationFailed } from "../http";
import type { Router } from "../router";
import type { EmulatorState } from "../state";
import { archivedGuard, DOC_REPOS, getRepo, touch } from "./repository-access";

export function registerRepositoryFeatureRoutes(r: Router, state: EmulatorState): void {
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
}
