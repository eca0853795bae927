// The emulator's router: method + path pattern (`:param` one segment, `*param` the rest) -> handler.
import type { Reply, Req } from "./http";

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
