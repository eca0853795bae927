// Repository labels; names match case-insensitively, as on GitHub.
import { body, checkType, noContent, notFound, ok, paginate, type Req, validationFailed } from "../http";
import type { Router } from "../router";
import { type EmulatorState, type Label, nextId, nodeId, type Repo } from "../state";
import { archivedGuard, getRepo, repoUrl } from "./repository-access";

const DOC_LABELS = "https://docs.github.com/rest/issues/labels";

export function labelJson(repo: Repo, l: Label, req: Req): Record<string, unknown> {
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

export const findLabel = (repo: Repo, name: string) => repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());

export function registerLabelRoutes(r: Router, state: EmulatorState): void {
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
}
