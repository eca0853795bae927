// Request/response plumbing shared by the routes: GitHub-shaped errors, request bodies, pagination.
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

export function body(req: Req): Record<string, any> {
  if (req.body === undefined || req.body === null) return {};
  if (typeof req.body !== "object" || Array.isArray(req.body)) throw new ApiError(400, "Problems parsing JSON");
  return req.body;
}

export function checkType(
  resource: string,
  b: Record<string, any>,
  field: string,
  type: "string" | "boolean" | "number" | "array",
  doc: string,
  nullable = false,
): void {
  if (!(field in b)) return;
  const v = b[field];
  if (v === null && nullable) return;
  const okType = type === "array" ? Array.isArray(v) : typeof v === type;
  if (!okType) {
    throw new ApiError(
      422,
      `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a ${type}.`,
      [{ resource, field, code: "invalid" }],
      doc,
    );
  }
}

export function checkEnum(resource: string, b: Record<string, any>, field: string, values: string[], doc: string): void {
  if (!(field in b) || b[field] === undefined) return;
  if (!values.includes(b[field])) {
    throw validationFailed([{ resource, field, code: "invalid", message: `${field} is not included in the list` }], doc);
  }
}
