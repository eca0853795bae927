// Layering: which top-level folders may import which. A file that imports a layer its own layer may not use fails
// here, named with its line, the import and the rule. To tighten a layer, shorten its list in MAY_IMPORT.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../tools/engine/toolchain";

const LAYERS = [
  "constructs/model",
  "constructs/core",
  "constructs/orchestration",
  "constructs/services",
  "constructs/observability",
  "constructs/github",
  "constructs/swarm",
  "stacks",
  "blueprints",
  "config",
  "main",
  "tools",
  "bin",
  "support",
  "test",
  "bench",
] as const;
type Layer = (typeof LAYERS)[number];

const CONSTRUCTS: readonly Layer[] = [
  "constructs/model",
  "constructs/core",
  "constructs/orchestration",
  "constructs/services",
  "constructs/observability",
  "constructs/github",
  "constructs/swarm",
];

/**
 * Layer → the layers its files may import (its own is always allowed): data flows one way, from the model up to the
 * tools (README "Architecture"). Only test/ may import test/, only bench/ may import bench/, and support/ (what both
 * share) imports neither.
 */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  "constructs/model": [],
  "constructs/core": [],
  "constructs/orchestration": ["constructs/model"],
  "constructs/services": ["constructs/model", "constructs/core"],
  "constructs/observability": ["constructs/model", "constructs/core", "constructs/services"],
  "constructs/github": ["constructs/model", "constructs/core", "constructs/orchestration"],
  "constructs/swarm": ["constructs/model", "constructs/core", "constructs/services", "constructs/observability"],
  blueprints: ["constructs/model"],
  config: ["constructs/model"],
  stacks: [...CONSTRUCTS, "blueprints", "config"],
  main: ["constructs/model", "stacks"],
  tools: [...CONSTRUCTS, "stacks", "blueprints", "config"],
  bin: ["main", "support"],
  support: [...CONSTRUCTS, "stacks", "blueprints", "config", "tools"],
  bench: [...CONSTRUCTS, "stacks", "blueprints", "config", "tools", "support"],
  test: [...CONSTRUCTS, "stacks", "blueprints", "config", "tools", "support", "main", "bin"],
};

/** Where the sources are; tools/toolchain holds Go modules, not sources of this project. */
const SOURCE_ROOTS = ["main.ts", "bin", "blueprints", "config", "constructs", "stacks", "tools", "support", "test", "bench"];
const SKIPPED_DIRS = new Set(["node_modules", ".build", path.join("tools", "toolchain")]);

interface SourceFile {
  /** Path from the repository root, with "/" separators. */
  path: string;
  text: string;
}

interface Import {
  from: string;
  line: number;
  specifier: string;
  /** Repository path the specifier resolves to. */
  target: string;
}

function layerOf(file: string): Layer | undefined {
  if (file === "main.ts") return "main";
  const [top, second] = file.split("/");
  const layer = top === "constructs" ? `constructs/${second}` : top;
  return (LAYERS as readonly string[]).includes(layer) ? (layer as Layer) : undefined;
}

/**
 * Relative imports, re-exports, require() and dynamic import() calls, plus the entry points bin/ bundles with
 * buildEntry("<path from the root>") or cachedEntry(…).
 */
function importsOf(file: SourceFile): Import[] {
  const found: Import[] = [];
  const patterns: [RegExp, (spec: string) => string | undefined][] = [
    [/^[ \t]*(?:import|export)\b[^;"']*?\bfrom\s*["']([^"']+)["']/gm, (s) => relative(file.path, s)],
    [/^[ \t]*import\s*["']([^"']+)["']/gm, (s) => relative(file.path, s)],
    [/\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g, (s) => relative(file.path, s)],
    [/\b(?:buildEntry|cachedEntry)\(\s*["']([^"']+)["']/g, (s) => path.posix.normalize(s)],
  ];
  for (const [pattern, resolve] of patterns)
    for (const m of file.text.matchAll(pattern)) {
      const target = resolve(m[1]);
      if (target === undefined) continue;
      found.push({ from: file.path, line: file.text.slice(0, m.index).split("\n").length, specifier: m[1], target });
    }
  return found;
}

function relative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined; // a package
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

/** Every import that crosses into a layer its file's layer may not use, as "file:line imports 'x' (a → b)". */
function layerViolations(files: readonly SourceFile[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = layerOf(file.path);
    if (!from) {
      out.push(`${file.path}: belongs to no layer; add its folder to LAYERS and MAY_IMPORT`);
      continue;
    }
    for (const imp of importsOf(file)) {
      const to = layerOf(imp.target);
      if (to && to !== from && !MAY_IMPORT[from].includes(to))
        out.push(
          `${imp.from}:${imp.line} imports "${imp.specifier}" (${from} → ${to}); ${from} may import: ${MAY_IMPORT[from].join(", ")}`,
        );
    }
  }
  return out;
}

/** Layer → the other layers its files import. */
function importGraph(files: readonly SourceFile[]): Map<Layer, Set<Layer>> {
  const graph = new Map<Layer, Set<Layer>>();
  for (const file of files)
    for (const imp of importsOf(file)) {
      const [from, to] = [layerOf(imp.from), layerOf(imp.target)];
      if (from && to && from !== to) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  return graph;
}

function sourceFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  const visit = (rel: string) => {
    const full = path.join(REPO_ROOT, rel);
    if (fs.statSync(full).isDirectory()) {
      if (SKIPPED_DIRS.has(rel) || SKIPPED_DIRS.has(path.basename(rel))) return;
      for (const name of fs.readdirSync(full).sort()) visit(path.join(rel, name));
    } else if (/\.(ts|js)$/.test(rel)) files.push({ path: rel.split(path.sep).join("/"), text: fs.readFileSync(full, "utf8") });
  };
  for (const root of SOURCE_ROOTS) visit(root);
  return files;
}

describe("layers", () => {
  const files = sourceFiles();

  test("no file imports a layer its own layer may not use (test/ and bench/ stay private; support/ imports neither)", () => {
    expect(layerViolations(files)).toEqual([]);
  });

  test("the scan sees the imports it judges", () => {
    const graph = importGraph(files);
    expect(files.length).toBeGreaterThan(100);
    expect([...(graph.get("test") ?? [])]).toEqual(
      expect.arrayContaining(["support", "stacks", "tools", "blueprints", "constructs/model"]),
    );
    expect([...(graph.get("bench") ?? [])]).toEqual(expect.arrayContaining(["support", "tools"]));
    expect([...(graph.get("bin") ?? [])].sort()).toEqual(["main", "support"]);
  });

  test("a lower layer importing a higher one is reported", () => {
    expect(layerViolations([{ path: "constructs/model/x.ts", text: 'import { S } from "../services/docker-service";' }])).toEqual([
      'constructs/model/x.ts:1 imports "../services/docker-service" (constructs/model → constructs/services); constructs/model may import: ',
    ]);
  });

  test("an import of test/ or bench/ from outside is reported with its file, line and rule", () => {
    const problems = layerViolations([
      { path: "support/drift.ts", text: 'import { a } from "../bench/drift";\nimport {\n  b,\n} from "../test/e2e/x";\n' },
      { path: "tools/x.ts", text: 'const h = require("../test/support/h");\nimport("../bench/y");' },
      { path: "bin/tool.js", text: 'buildEntry("test/support/cli.ts", "out.js");' },
      { path: "bench/ok.ts", text: 'import { c } from "../support/drift";\nimport "../stacks/system";' },
      { path: "test/e2e/drift.ts", text: 'import { d } from "../../bench/drift.fixture";\nimport { e } from "../../support/fixtures";' },
      { path: "scratch/new.ts", text: "" },
    ]);
    expect(problems).toEqual([
      'support/drift.ts:1 imports "../bench/drift" (support → bench); support may import: ' + MAY_IMPORT.support.join(", "),
      'support/drift.ts:2 imports "../test/e2e/x" (support → test); support may import: ' + MAY_IMPORT.support.join(", "),
      'tools/x.ts:1 imports "../test/support/h" (tools → test); tools may import: ' + MAY_IMPORT.tools.join(", "),
      'tools/x.ts:2 imports "../bench/y" (tools → bench); tools may import: ' + MAY_IMPORT.tools.join(", "),
      'bin/tool.js:1 imports "test/support/cli.ts" (bin → test); bin may import: ' + MAY_IMPORT.bin.join(", "),
      'test/e2e/drift.ts:1 imports "../../bench/drift.fixture" (test → bench); test may import: ' + MAY_IMPORT.test.join(", "),
      "scratch/new.ts: belongs to no layer; add its folder to LAYERS and MAY_IMPORT",
    ]);
  });
});
