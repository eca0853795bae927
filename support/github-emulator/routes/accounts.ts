// The token's user, the owner account and the configure-time endpoints (/user, /users, /orgs, /meta, /rate_limit).
import { notFound, ok, type Req } from "../http";
import type { Router } from "../router";
import type { Account, EmulatorState } from "../state";

export function accountJson(a: Account, req: Req): Record<string, unknown> {
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

export function userByLogin(state: EmulatorState, login: string): Account | undefined {
  const l = login.toLowerCase();
  if (state.user.login.toLowerCase() === l) return state.user;
  if (state.owner.type === "User" && state.owner.login.toLowerCase() === l) return state.owner;
  return undefined;
}

export function registerAccountRoutes(r: Router, state: EmulatorState): void {
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
}
