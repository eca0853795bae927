// Long literal strings of a synthesized stack (repository files, issue bodies, dashboards, rule files) live in files
// beside its cdk.tf.json, read back with file(). In the engine's JSON syntax every string is a template, which it
// scans again, character by character, at each step of a plan (references, functions, validation, evaluation) and
// of `show`: most of the engine's CPU time in a plan of a GitHub stack. A file's text is a value, scanned never.
// The plan is the same: file() returns exactly the string the template would have made.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where a stack's literal files are, relative to its directory. */
export const LITERALS_DIR = "literals";

/** Strings shorter than this stay in cdk.tf.json (scanning them costs less than a file). */
const MIN_LENGTH = 512;

/** Blocks of a resource body that are the engine's own, never attribute values. */
const META_KEYS = new Set(["//", "depends_on", "lifecycle", "provider", "count", "for_each"]);

const REFERENCE = /^\$\{file\("\$\{path\.module\}\/literals\/([0-9a-f]{64})\.txt"\)\}$/;
const reference = (digest: string) => `\${file("\${path.module}/${LITERALS_DIR}/${digest}.txt")}`;

/** The template's text, when it is a literal (no interpolation or directive, only the `$${` and `%%{` escapes). */
function literalText(template: string): string | undefined {
  if (/\$\$\$|%%%/.test(template)) return undefined; // runs of escapes: left to the engine
  const withoutEscapes = template.replace(/\$\$\{|%%\{/g, "");
  if (/[$%]\{/.test(withoutEscapes)) return undefined;
  const text = template.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  // Text that UTF-8 cannot carry as it is (a lone surrogate) stays where it is.
  return escapeTemplate(text) === template && Buffer.from(text, "utf8").toString("utf8") === text ? text : undefined;
}

/** The template whose value is `text`. */
const escapeTemplate = (text: string) => text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{"); // (a replacer: "$$" in a replacement string means "$")

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/**
 * Moves every long literal string in the resource and data bodies of `config` into `<stackDir>/literals/<sha256>.txt`
 * (one file per distinct text) and returns the config that reads them back. `config` is not modified.
 */
export function externalizeLiterals<T>(config: T, stackDir: string): T {
  const files = new Map<string, string>();
  const move = (value: unknown): unknown => {
    if (typeof value === "string") {
      const text = value.length >= MIN_LENGTH ? literalText(value) : undefined;
      if (text === undefined) return value;
      const digest = sha256(text);
      files.set(digest, text);
      return reference(digest);
    }
    if (Array.isArray(value)) return value.map(move);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, move(v)]));
    return value;
  };
  const out = { ...config } as Record<string, unknown>;
  for (const block of ["resource", "data"]) {
    const byType = out[block] as Record<string, Record<string, Record<string, unknown>>> | undefined;
    if (!byType) continue;
    out[block] = Object.fromEntries(
      Object.entries(byType).map(([type, byName]) => [
        type,
        Object.fromEntries(
          Object.entries(byName).map(([name, body]) => [
            name,
            Object.fromEntries(Object.entries(body).map(([k, v]) => [k, META_KEYS.has(k) ? v : move(v)])),
          ]),
        ),
      ]),
    );
  }
  if (files.size > 0) {
    const dir = path.join(stackDir, LITERALS_DIR);
    fs.mkdirSync(dir, { recursive: true });
    for (const [digest, text] of files) fs.writeFileSync(path.join(dir, `${digest}.txt`), text);
  }
  return out as T;
}

/**
 * `config` with every reference externalizeLiterals wrote replaced by the template of its file's text: the config as
 * cdktf synthesized it. Only plain files in the stack's literals directory whose text still has the sha256 they are
 * named by are read; any other reference throws, naming the file.
 */
export function inlineLiterals<T>(config: T, stackDir: string): T {
  const inline = (value: unknown): unknown => {
    if (typeof value === "string") {
      const digest = REFERENCE.exec(value)?.[1];
      return digest === undefined ? value : escapeTemplate(readLiteral(stackDir, digest));
    }
    if (Array.isArray(value)) return value.map(inline);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v)]));
    return value;
  };
  return inline(config) as T;
}

function readLiteral(stackDir: string, digest: string): string {
  const file = path.join(stackDir, LITERALS_DIR, `${digest}.txt`);
  const at = path.join(path.basename(stackDir), LITERALS_DIR, `${digest}.txt`);
  let isPlainFile: boolean;
  try {
    isPlainFile = fs.lstatSync(path.dirname(file)).isDirectory() && fs.lstatSync(file).isFile();
  } catch {
    throw new Error(`${at} is missing: synthesize again`);
  }
  if (!isPlainFile) throw new Error(`${at} is not a regular file in a regular directory`);
  const bytes = fs.readFileSync(file);
  if (sha256(bytes) !== digest) throw new Error(`${at} was changed after synth (its sha256 differs): synthesize again`);
  return bytes.toString("utf8");
}
