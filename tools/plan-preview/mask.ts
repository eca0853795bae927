// Masking for everything plan preview writes (comment, machine summary, error text): secret environment
// values wherever they appear, KEY=value pairs and URL passwords whose name looks secret, and (in render.ts)
// attributes whose name looks secret or that the plan marks sensitive.

export const SENSITIVE = "(sensitive)";

/** Names that are secret whatever they look like. */
export const ALWAYS_SECRET_ENV = ["GITHUB_TOKEN", "GH_TOKEN", "GRAFANA_ADMIN_PASSWORD", "PGPASSWORD"] as const;

/** Attribute, map key or environment variable names whose values are never shown. */
export const DEFAULT_SECRET_PATTERNS: readonly RegExp[] = [/password|passwd|secret|token|api_?key|private_?key|credential/i];

export interface MaskerOptions {
  /** Environment whose secret values are masked wherever they appear. */
  env?: NodeJS.ProcessEnv;
  patterns?: readonly RegExp[];
  /** More environment variable names whose values are secret (e.g. the model's secretEnv sources). */
  names?: readonly string[];
}

export interface Masker {
  /** Masks secret values, secret KEY=value pairs and URL passwords in free text. */
  text(s: string): string;
  /** Whether a value under this attribute/key name is hidden. */
  secretName(name: string): boolean;
  /** How many distinct secret values are masked (for diagnostics; never the values). */
  readonly secretCount: number;
}

export function createMasker(options: MaskerOptions = {}): Masker {
  const patterns = options.patterns ?? DEFAULT_SECRET_PATTERNS;
  const named = new Set<string>([...ALWAYS_SECRET_ENV, ...(options.names ?? [])]);
  const secretName = (name: string) => patterns.some((p) => new RegExp(p.source, p.flags.replace("g", "")).test(name));
  const values = new Set<string>();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (!value) continue;
    const bare = key.startsWith("TF_VAR_") ? key.slice("TF_VAR_".length) : key;
    const explicit = named.has(key) || named.has(bare) || secretName(bare);
    // Any TF_VAR_ value is treated as secret, but very short ones ("true", "3") would mask ordinary text.
    if (explicit ? value.length >= 4 : key.startsWith("TF_VAR_") && value.length >= 8) {
      values.add(value);
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value) values.add(escaped);
    }
  }
  const ordered = [...values].sort((a, b) => b.length - a.length);
  const keyValue = /\b([A-Za-z_][A-Za-z0-9_.-]*)=([^\s"'\\,;&]+)/g;
  const urlPassword = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"']+:)([^\s@/"']+)@/gi;
  return {
    secretCount: ordered.length,
    secretName,
    text(s: string): string {
      let out = s;
      for (const v of ordered) if (out.includes(v)) out = out.split(v).join(SENSITIVE);
      out = out.replace(keyValue, (all, key: string, value: string) => (secretName(key) && !value.startsWith(SENSITIVE) ? `${key}=${SENSITIVE}` : all));
      return out.replace(urlPassword, (all, prefix: string, value: string) => (value.startsWith(SENSITIVE) ? all : `${prefix}${SENSITIVE}@`));
    },
  };
}

/** Masks every string (and secret-named key's value) inside a JSON-like value. */
export function maskDeep<T>(value: T, masker: Masker): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (key !== undefined && masker.secretName(key) && v !== null && typeof v !== "object") return SENSITIVE;
    if (typeof v === "string") return masker.text(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}
