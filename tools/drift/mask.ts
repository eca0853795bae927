// Secret masking for drift reports, at three layers: the plan's own sensitive markers, attribute and variable
// names that look secret, and the literal values of secret environment variables wherever they appear.

export const MASK = "(sensitive)";

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth|cookie|session|signature|dsn|connection)/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Literal secret values from an environment: TF_VAR_* and variables whose names look secret (≥ 6 characters). */
export function secretValuesFrom(env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const [k, v] of Object.entries(env)) {
    if (!v || v.length < 6) continue;
    if (k.startsWith("TF_VAR_") || looksSecret(k) || k === "PGPASSWORD") values.add(v);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export interface Masker {
  /** Masks one value found at `path` (attribute path) given the plan's sensitivity marker for it. */
  value(path: string, value: unknown, sensitive: unknown): unknown;
  /** Replaces literal secret values in text (final pass over rendered reports). */
  text(text: string): string;
}

export function createMasker(secretValues: readonly string[] = []): Masker {
  const scrub = (s: string): string => secretValues.reduce((acc, secret) => acc.split(secret).join(MASK), s);
  const maskValue = (path: string, value: unknown, sensitive: unknown): unknown => {
    if (sensitive === true) return MASK;
    if (value === null || value === undefined) return value;
    const leaf =
      path
        .replace(/\[\d+\]$/, "")
        .split(".")
        .pop() ?? "";
    if (typeof value === "string") {
      // "NAME=value" (container env): mask the value when the name looks secret.
      const env = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
      if (env && looksSecret(env[1])) return `${env[1]}=${MASK}`;
      if (looksSecret(leaf) && !/^(name|description)$/i.test(leaf)) return MASK;
      return scrub(value);
    }
    if (Array.isArray(value))
      return value.map((v, i) => maskValue(`${path}[${i}]`, v, Array.isArray(sensitive) ? sensitive[i] : undefined));
    if (typeof value === "object") {
      // Key/value lists ({label, value}, {name, value}): the key decides.
      const record = value as Record<string, unknown>;
      const key = [record.label, record.name, record.key].find((k) => typeof k === "string") as string | undefined;
      return Object.fromEntries(
        Object.entries(record).map(([k, v]) => {
          const s = sensitive && typeof sensitive === "object" ? (sensitive as Record<string, unknown>)[k] : undefined;
          if (key && k === "value" && looksSecret(key)) return [k, MASK];
          return [k, maskValue(path ? `${path}.${k}` : k, v, s)];
        }),
      );
    }
    if (looksSecret(leaf)) return MASK;
    return value;
  };
  return { value: maskValue, text: scrub };
}

/** The sensitivity marker at `path` segments inside a before_sensitive/after_sensitive tree (true propagates down). */
export function sensitiveAt(tree: unknown, segments: readonly (string | number)[]): unknown {
  let node = tree;
  for (const s of segments) {
    if (node === true) return true;
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}
