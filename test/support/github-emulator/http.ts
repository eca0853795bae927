// Request/response plumbing shared by the routes: GitHub-shaped errors, pagination, routing.
import type { IncomingHttpHeaders } from "node:http";

export const DOCS = "https://docs.github.com/rest";

export interface Req {
  method: string;
  /** Path below /api/v3, e.g. "/repos/o/r/labels/bug" (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  body: any;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** "http://127.0.0.1:PORT/" */
  base: string;
  /** "http://127.0.0.1:PORT/api/v3" (no trailing slash) */
  api: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ValidationError {
  resource: string;
  field?: string;
  code: string;
  message?: string;
  value?: unknown;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public errors?: (ValidationError | string)[],
    public documentationUrl: string = DOCS,
  ) {
    super(message);
  }
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { message: this.message };
    if (this.errors) out.errors = this.errors;
    out.documentation_url = this.documentationUrl;
    out.status = String(this.status);
    return out;
  }
}

export const notFound = (doc = DOCS) => new ApiError(404, "Not Found", undefined, doc);

export function validationFailed(errors: (ValidationError | string)[], doc = DOCS): ApiError {
  return new ApiError(422, "Validation Failed", errors, doc);
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({ status, body, headers });
export const noContent = (): Reply => ({ status: 204 });

/** page/per_page slicing with a GitHub-style Link header (first/prev/next/last). */
export function paginate<T>(req: Req, items: T[]): Reply {
  const perPage = Math.min(Math.max(parseInt(req.query.get("per_page") ?? "30", 10) || 30, 1), 100);
  const page = Math.max(parseInt(req.query.get("page") ?? "1", 10) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(req.query);
    q.set("per_page", String(perPage));
    q.set("page", String(p));
    return `<${req.api}${req.path}?${q.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"));
  if (page < last) links.push(link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return { status: 200, body: slice, headers: links.length ? { Link: links.join(", ") } : {} };
}

export type Handler = (req: Req) => Reply | Promise<Reply>;

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = template
      .split("/")
      .map((seg) => {
        if (seg.startsWith(":")) {
          keys.push(seg.slice(1));
          return "([^/]+)";
        }
        if (seg.startsWith("*")) {
          keys.push(seg.slice(1));
          return "(.*)";
        }
        return seg.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    this.routes.push({ method, template, regex: new RegExp(`^${pattern}/?$`), keys, handler });
    return this;
  }

  /** Returns the handler and decoded params, or undefined when no route matches this method+path. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        params[k] = m[i + 1]
          .split("/")
          .map((s) => decodeURIComponent(s))
          .join("/");
      });
      return { handler: r.handler, params };
    }
    return undefined;
  }
}
