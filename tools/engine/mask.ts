// The one masker for everything the tools write or log: plan previews, drift reports and issue bodies, engine
// output. It hides (1) every encoded form of each secret value from the environment, (2) values the plan marks
// sensitive, (3) values under secret names (attributes, map keys, `KEY=value` pairs) and (4) URL passwords.
import { looksSecret, TOOL_SECRET_ENV } from "./secret-names";

export const SENSITIVE = "(sensitive)";

/**
 * Shorter values are not masked: they turn up in ordinary text, and masking them there would reveal them
 * (`dgx-obs-(sensitive)`). The commands refuse stack secrets under MIN_SECRET_LENGTH instead (secrets.ts).
 */
const MIN_MASKED_LENGTH = 6;
/** Lines of a multi-line secret (a PEM key's) shorter than this are too ordinary to mask on their own. */
const MIN_LINE_LENGTH = 6;

export interface MaskerOptions {
  /** Environment whose secret values are masked wherever they appear. */
  env?: NodeJS.ProcessEnv;
  /** Environment variables holding secrets whatever their names (the stacks' sensitive variables). */
  names?: readonly string[];
}

export type AttributePath = readonly (string | number)[];

export interface Masker {
  /** Free text: secret values in every encoding, secret `KEY=value` pairs, URL passwords. */
  text(s: string): string;
  /** Whether a value under this attribute, map key or variable name is hidden. */
  secretName(name: string): boolean;
  /** A value found at `path` in a plan, given the plan's sensitivity marks for it (true, or a tree of them). */
  value(path: AttributePath, value: unknown, marks?: unknown): unknown;
  /** How many secret values are masked (never the values). */
  readonly secretCount: number;
}

/** Secret values from an environment: the named variables, the tools' credentials, secret-named ones, TF_VAR_*. */
export function secretValuesOf(env: NodeJS.ProcessEnv, names: readonly string[] = []): string[] {
  const named = new Set<string>([...TOOL_SECRET_ENV, ...names]);
  const values = new Set<string>();
  for (const [key, value] of Object.entries(env)) {
    if (!value || value.length < MIN_MASKED_LENGTH) continue;
    const bare = key.startsWith("TF_VAR_") ? key.slice("TF_VAR_".length) : key;
    if (named.has(key) || named.has(bare) || looksSecret(bare) || key !== bare) values.add(value);
  }
  return [...values];
}

const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);
const urlSafe = (b64: string) => b64.replace(/\+/g, "-").replace(/\//g, "_");

/**
 * Base64 of the value on its own (with and without padding), and the part of its encoding that is the same
 * wherever the value sits inside a larger encoded blob (for each of the 3 byte alignments).
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const whole = bytes.toString("base64");
  const forms = [whole, whole.replace(/=+$/, "")];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const core = encoded.slice(shift === 0 ? 0 : 4, 4 * Math.floor((shift + bytes.length) / 3));
    if (core.length >= 8) forms.push(core);
  }
  return forms.flatMap((f) => [f, urlSafe(f)]);
}

/** Every form in which a secret value can appear in text the tools write. */
export function encodedForms(value: string): string[] {
  const forms = new Set<string>();
  const add = (s: string) => {
    forms.add(s);
    forms.add(jsonEscaped(s));
    forms.add(jsonEscaped(jsonEscaped(s)));
  };
  add(value);
  for (const b of base64Forms(value)) forms.add(b);
  forms.add(encodeURIComponent(value));
  forms.add(encodeURIComponent(value).replace(/%20/g, "+"));
  if (/[\r\n]/.test(value)) for (const line of value.split(/\r?\n/).map((l) => l.trim())) if (line.length >= MIN_LINE_LENGTH) add(line);
  return [...forms].filter((f) => f.length >= MIN_MASKED_LENGTH);
}

const KEY_VALUE = /\b([A-Za-z_][A-Za-z0-9_.-]*)=([^\s"'\\,;&]+)/g;
const WHOLE_KEY_VALUE = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"']+:)([^\s@/"']+)@/gi;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The sensitivity mark for a child (true propagates down). */
export const markAt = (marks: unknown, key: string | number): unknown =>
  marks === true ? true : marks && typeof marks === "object" ? (marks as Record<string | number, unknown>)[key] : undefined;

/** The sensitivity mark at `path` inside a before_sensitive/after_sensitive tree. */
export function sensitiveAt(tree: unknown, path: AttributePath): unknown {
  return path.reduce<unknown>((node, key) => markAt(node, key), tree);
}

export function createMasker(options: MaskerOptions = {}): Masker {
  const values = secretValuesOf(options.env ?? {}, options.names);
  // Longest first, so a secret that contains another is masked whole.
  const forms = [...new Set(values.flatMap(encodedForms))].sort((a, b) => b.length - a.length);

  const text = (s: string): string => {
    let out = s;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(SENSITIVE);
    out = out.replace(KEY_VALUE, (all, key: string, value: string) =>
      looksSecret(key) && !value.startsWith(SENSITIVE) ? `${key}=${SENSITIVE}` : all,
    );
    return out.replace(URL_PASSWORD, (all, prefix: string, value: string) =>
      value.startsWith(SENSITIVE) ? all : `${prefix}${SENSITIVE}@`,
    );
  };

  const value = (path: AttributePath, v: unknown, marks?: unknown): unknown => {
    if (marks === true) return SENSITIVE;
    if (v === null || v === undefined) return v;
    const underSecretName = path.some((p) => typeof p === "string" && looksSecret(p));
    if (typeof v === "string") {
      const pair = WHOLE_KEY_VALUE.exec(v);
      if (pair && looksSecret(pair[1])) return `${pair[1]}=${SENSITIVE}`;
      return underSecretName ? SENSITIVE : text(v);
    }
    if (Array.isArray(v)) return v.map((x, i) => value([...path, i], x, markAt(marks, i)));
    if (isRecord(v)) {
      // Key/value lists ({label, value}, {name, value}): the key decides.
      const key = [v.label, v.name, v.key].find((k): k is string => typeof k === "string");
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k,
          key && k === "value" && looksSecret(key) ? SENSITIVE : value([...path, k], x, markAt(marks, k)),
        ]),
      );
    }
    return underSecretName ? SENSITIVE : v;
  };

  return { text, value, secretName: looksSecret, secretCount: values.length };
}

/** Masks every string (and every value under a secret name) inside a JSON-like value. */
export function maskDeep<T>(value: T, masker: Masker): T {
  return masker.value([], value) as T;
}
