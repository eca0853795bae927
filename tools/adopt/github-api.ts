// A small read-only GitHub REST client for adoption: the API base the provider would use, the token from the
// environment, every page of a list (bounded), and a timeout on every request.
import { InputError } from "../engine/args";

export interface GitHubApi {
  /** One object; undefined on 404. */
  get<T>(path: string): Promise<T | undefined>;
  /** Every item of a paginated list (follows Link: rel="next", at most `maxPages` pages of 100). */
  list<T>(path: string): Promise<T[]>;
}

/** The REST root the integrations/github provider derives from `base_url`: GitHub.com, or `<base>/api/v3/`. */
export function restRoot(baseUrl: string | undefined): string {
  if (!baseUrl) return "https://api.github.com/";
  const url = new URL(baseUrl);
  if (url.hostname === "api.github.com" || url.hostname.endsWith(".ghe.com")) return `${url.origin}/`;
  return new URL("api/v3/", url.href.endsWith("/") ? url.href : `${url.href}/`).href;
}

export function gitHubApi(options: { baseUrl?: string; token: string; timeoutMs?: number; maxPages?: number }): GitHubApi {
  const root = restRoot(options.baseUrl);
  const timeout = options.timeoutMs ?? 30_000;
  const request = async (url: string) => {
    const res = await fetch(url, {
      headers: { Authorization: `token ${options.token}`, Accept: "application/vnd.github+json", "User-Agent": "sparky-infra-adopt" },
      signal: AbortSignal.timeout(timeout),
    });
    if (res.status === 401)
      throw new InputError(`GitHub refused the token (401) at ${new URL(url).pathname}: set GITHUB_TOKEN, or log in with gh`);
    return res;
  };
  const failed = async (res: Response, url: string) =>
    new Error(`GET ${new URL(url).pathname} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return {
    async get<T>(path: string) {
      const url = new URL(path.replace(/^\//, ""), root).href;
      const res = await request(url);
      if (res.status === 404) return undefined;
      if (!res.ok) throw await failed(res, url);
      return (await res.json()) as T;
    },
    async list<T>(path: string) {
      const items: T[] = [];
      const first = new URL(path.replace(/^\//, ""), root);
      first.searchParams.set("per_page", "100");
      let url: string | undefined = first.href;
      for (let page = 0; url && page < (options.maxPages ?? 50); page++) {
        const res = await request(url);
        if (res.status === 404) return items;
        if (!res.ok) throw await failed(res, url);
        items.push(...((await res.json()) as T[]));
        url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
      }
      return items;
    },
  };
}
