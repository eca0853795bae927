// GitHub Actions variables and secrets of a repository.
import { ApiError, body, checkType, noContent, notFound, ok, paginate, validationFailed } from "../http";
import type { Router } from "../router";
import { type EmulatorState, now } from "../state";
import { archivedGuard, getRepo } from "./repository-access";

const DOC_ACTIONS = "https://docs.github.com/rest/actions";

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

export function registerActionsVariableRoutes(r: Router, state: EmulatorState): void {
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
}

export function registerActionsSecretRoutes(r: Router, state: EmulatorState): void {
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
}
