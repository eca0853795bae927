// Repository rulesets, stored with GitHub's rule parameter defaults filled in.
import { ApiError, body, checkEnum, noContent, notFound, ok, paginate, type Req, validationFailed } from "../http";
import type { Router } from "../router";
import { type EmulatorState, nextId, nodeId, now, type Repo, type Ruleset } from "../state";
import { archivedGuard, getRepo, repoUrl } from "./repository-access";

const DOC_RULES = "https://docs.github.com/rest/repos/rules";

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

export function registerRulesetRoutes(r: Router, state: EmulatorState): void {
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
}
