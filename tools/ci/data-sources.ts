// Data sources a preview may read. Each is read at plan time with the preview's credentials, and what it returns
// can flow into the plan the PR's author sees: a read must stay inside what the maintainers trust.
import type { TrustedList } from "./trusted";

type Problem = (at: string, message: string) => void;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The REST endpoints a preview may read: the labels people put on the repository's issues (`issues/<number>`,
 * the number coming from the repository's own variable), the repository's Actions variables, and a person's file
 * at a generated path (`contents/<path>?ref=<branch>`, shown beside sparky-infra's version). Only in a repository
 * of the trusted list: any other repository the token can read would otherwise leak into the plan.
 */
const REST_ENDPOINT =
  /^repos\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/(issues\/\$\{each\.value\}|actions\/variables\/[A-Z0-9_]+|contents\/[A-Za-z0-9_.~%!*'()/-]+(\?ref=[A-Za-z0-9_.~%!*'()-]+)?)$/;
/** A segment that climbs out of the repository (`..`, also percent-encoded). */
const CLIMBS = /(^|\/)(\.|%2e){1,2}(\/|\?|$)/i;
const REST_ATTRIBUTES = new Set(["//", "endpoint", "for_each"]);

const READERS: Record<string, (name: string, body: Record<string, unknown>, trusted: TrustedList, problem: Problem) => void> = {
  /** The caller's own login: nothing beyond who the token is. */
  github_user: (name, body, _trusted, problem) => {
    if (body.username !== "" && body.username !== undefined)
      problem(`data.github_user.${name}.username`, 'must be "" (the caller): a preview reads no other account');
  },
  github_rest_api: (name, body, trusted, problem) => {
    const at = `data.github_rest_api.${name}`;
    for (const key of Object.keys(body))
      if (!REST_ATTRIBUTES.has(key)) problem(`${at}.${key}`, `not allowed in a preview (allowed: endpoint, for_each)`);
    const endpoint = typeof body.endpoint === "string" ? body.endpoint : "";
    const match = CLIMBS.test(endpoint) ? null : REST_ENDPOINT.exec(endpoint);
    if (!match) {
      problem(
        `${at}.endpoint`,
        `${JSON.stringify(body.endpoint)} is not an endpoint a preview reads (repos/<owner>/<name>/ then issues/\${each.value}, actions/variables/<NAME> or contents/<path>?ref=<branch>)`,
      );
      return;
    }
    const repository = `${match[1]}/${match[2]}`.toLowerCase();
    if (!trusted.githubRepositories.some((r) => r.toLowerCase() === repository))
      problem(`${at}.endpoint`, `${match[1]}/${match[2]} is not in the trusted list's githubRepositories`);
  },
};

export const ALLOWED_DATA_SOURCES: readonly string[] = Object.keys(READERS);

export function checkDataSources(data: unknown, trusted: TrustedList, problem: Problem): void {
  for (const [type, instances] of Object.entries(isRecord(data) ? data : {})) {
    const read = READERS[type];
    if (!read) {
      problem(`data.${type}`, `a preview does not read this data source (allowed: ${ALLOWED_DATA_SOURCES.join(", ")})`);
      continue;
    }
    for (const [name, body] of Object.entries(isRecord(instances) ? instances : {}))
      read(name, isRecord(body) ? body : {}, trusted, problem);
  }
}
