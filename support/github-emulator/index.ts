// A local, stateful GitHub REST API emulator (GHES-style paths) for driving the real
// integrations/github Terraform provider against 127.0.0.1. Node stdlib only.
//
//   const gh = await startGitHubEmulator({ owner: "sparky-org", token: "test-token" });
//   // provider "github" { owner = "sparky-org", base_url = gh.url }   (GITHUB_TOKEN=test-token)
//   ...
//   expect(gh.state.unhandled).toEqual([]);
//   await gh.stop();
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerGraphQL, isGraphQLPath } from "./graphql";
import { ApiError, type Req, type Reply } from "./http";
import { buildRouter } from "./routes";
import { createState, type EmulatorState } from "./state";

export type { EmulatorState } from "./state";

export interface GitHubEmulatorOptions {
  /** Port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** The account resources live under (the provider's `owner`). */
  owner: string;
  /** The only token accepted (as `Authorization: token X` or `Bearer X`). */
  token: string;
  /** "Organization" (default): GET /orgs/{owner} answers, repos are created via POST /orgs/{owner}/repos. */
  ownerType?: "Organization" | "User";
  /** Login of the token's user (GET /user). Defaults to `${owner}-bot` for an organization owner. */
  userLogin?: string;
  /** Log every request (method, path, status) to stderr. Unhandled routes are always logged. */
  verbose?: boolean;
}

export interface GitHubEmulator {
  /** Base URL for the provider's base_url: "http://127.0.0.1:PORT/". */
  url: string;
  /** REST root: "http://127.0.0.1:PORT/api/v3". */
  apiUrl: string;
  /** GraphQL endpoint: "http://127.0.0.1:PORT/api/graphql" (not implemented; hits count as unhandled). */
  graphqlUrl: string;
  port: number;
  state: EmulatorState;
  /** Authenticated JSON call against the emulator's own REST API (for out-of-band edits in tests). */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  /** Requests no route matched, as "METHOD /path" strings. */
  unhandledRoutes(): string[];
  stop(): Promise<void>;
}

function rateLimitHeaders(): Record<string, string> {
  return {
    "X-RateLimit-Limit": "5000",
    "X-RateLimit-Remaining": "4999",
    "X-RateLimit-Used": "1",
    "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 3600),
    "X-RateLimit-Resource": "core",
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startGitHubEmulator(opts: GitHubEmulatorOptions): Promise<GitHubEmulator> {
  if (!opts.owner) throw new Error("startGitHubEmulator: owner is required");
  if (!opts.token) throw new Error("startGitHubEmulator: token is required");
  const state = createState({ owner: opts.owner, ownerType: opts.ownerType, userLogin: opts.userLogin });
  const router = buildRouter(state);
  let base = "";

  const send = (res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) => {
    const all: Record<string, string> = {
      "X-GitHub-Media-Type": "github.v3; format=json",
      "X-GitHub-Request-Id": randomBytes(8).toString("hex").toUpperCase(),
      "X-GitHub-Api-Version-Selected": "2022-11-28",
      ...rateLimitHeaders(),
      ...headers,
    };
    if (payload === undefined || status === 204 || status === 304) {
      res.writeHead(status, all);
      res.end();
      return;
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)), ...all });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", base);
    const raw = await readBody(req);
    const record = (status: number) => {
      state.requests.push({ method, path: url.pathname, status });
      if (opts.verbose) process.stderr.write(`[github-emulator] ${method} ${url.pathname} -> ${status}\n`);
    };
    const unhandled = () => {
      state.unhandled.push({ method, path: url.pathname });
      process.stderr.write(`[github-emulator] unhandled route: ${method} ${url.pathname}\n`);
      record(404);
      send(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    };

    const auth = req.headers.authorization ?? "";
    const m = /^(?:token|bearer)\s+(.+)$/i.exec(auth.trim());
    if (!m || m[1] !== opts.token) {
      record(401);
      send(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
      return;
    }

    if (isGraphQLPath(url.pathname)) {
      const reply = answerGraphQL(state, method, url.pathname);
      record(reply.status);
      send(res, reply.status, reply.body);
      return;
    }
    if (!url.pathname.startsWith("/api/v3/")) return unhandled();
    const path = url.pathname.slice("/api/v3".length);
    const route = router.match(method === "HEAD" ? "GET" : method, path);
    if (!route) return unhandled();

    let parsed: unknown = undefined;
    if (raw.length) {
      try {
        parsed = JSON.parse(raw.toString("utf8"));
      } catch {
        record(400);
        send(res, 400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest", status: "400" });
        return;
      }
    }
    const r: Req = {
      method,
      path,
      query: url.searchParams,
      body: parsed,
      headers: req.headers,
      params: route.params,
      base,
      api: `${base}api/v3`,
    };
    let reply: Reply;
    try {
      reply = await route.handler(r);
    } catch (e) {
      if (e instanceof ApiError) reply = { status: e.status, body: e.toJSON() };
      else {
        process.stderr.write(`[github-emulator] internal error on ${method} ${url.pathname}: ${(e as Error).stack}\n`);
        reply = { status: 500, body: { message: "Server Error", status: "500" } };
      }
    }
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    // Like GitHub, every successful response with a body carries an ETag (the provider stores a create's);
    // only a GET is answered 304.
    if (reply.status >= 200 && reply.status < 300 && reply.body !== undefined) {
      const etag = `W/"${createHash("sha256").update(JSON.stringify(reply.body)).digest("hex")}"`;
      headers.ETag = etag;
      headers["Cache-Control"] = "private, max-age=60, s-maxage=60";
      const inm = req.headers["if-none-match"];
      if (method === "GET" && inm && inm.split(",").some((t) => t.trim() === etag || t.trim() === etag.slice(2))) {
        record(304);
        send(res, 304, undefined, headers);
        return;
      }
    }
    record(reply.status);
    send(res, reply.status, method === "HEAD" ? undefined : reply.body, headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      process.stderr.write(`[github-emulator] ${(e as Error).message}\n`);
      if (!res.headersSent) send(res, 500, { message: "Server Error" });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/`;

  return {
    url: base,
    apiUrl: `${base}api/v3`,
    graphqlUrl: `${base}api/graphql`,
    port,
    state,
    async request(method, path, body) {
      const res = await fetch(`${base}api/v3${path.startsWith("/") ? path : `/${path}`}`, {
        method,
        headers: {
          Authorization: `token ${opts.token}`,
          Accept: "application/vnd.github+json",
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    unhandledRoutes: () => state.unhandled.map((u) => `${u.method} ${u.path}`),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
