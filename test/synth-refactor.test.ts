// The architecture change of December 2026 (one resolved model, model-keyed addresses) kept the synthesized
// system the same: every stack of both blueprints on both targets is compared with the output stored before the
// change (test/fixtures/synth-before-refactor; regenerated since only for deliberate changes to the blueprints'
// synth, e.g. dgx-pixels running as the reference compose runs it). Allowed, and nothing else:
//   - new resource addresses, each reached from its old one by a `moved` block (references renamed accordingly);
//   - the DCGM counters file names its new source file in its generated-by comment;
//   - build contexts are directories of the machine that synthesizes: the directory holding this checkout (where the
//     projects' checkouts sit next to it) reads as <checkouts> in the fixtures.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesize } from "../stacks/synthesize";
import { REPO_ROOT } from "../tools/engine/toolchain";

const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "synth-before-refactor");

type Config = { resource?: Record<string, Record<string, unknown>>; moved?: { from: string; to: string }[]; [k: string]: unknown };

const ALLOWED_TEXT_CHANGES: [string, string][] = [
  ["from constructs/observability/dcgm-counters.ts; do not edit", "from constructs/model/dcgm-counters.ts; do not edit"],
];

/** The old config in the new names: addresses (in references and depends_on) renamed by the moved blocks. */
function renamed(value: unknown, moves: Map<string, string>): unknown {
  if (typeof value === "string") {
    let text = value;
    for (const [from, to] of moves)
      text = text
        .split(`\${${from}.`)
        .join(`\${${to}.`)
        .replace(new RegExp(`^${from.replace(/\./g, "\\.")}$`), to);
    for (const [before, after] of ALLOWED_TEXT_CHANGES) text = text.split(before).join(after);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => renamed(v, moves));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "//")
        .map(([k, v]) => [k, renamed(v, moves)]),
    );
  return value;
}

const withoutMetadata = (value: unknown): unknown => renamed(value, new Map());

/** This machine's directory of checkouts, as the fixtures write it. */
const CHECKOUTS = path.dirname(REPO_ROOT) + path.sep;
const machineIndependent = (config: Config): Config => JSON.parse(JSON.stringify(config).split(CHECKOUTS).join("<checkouts>/"));

/** The local backend's path is relative to where a stack was synthesized; only the state file's name matters. */
function stateFileNamed(config: Config): Config {
  const copy = structuredClone(config) as Config & { terraform?: { backend?: { local?: { path: string } } } };
  const local = copy.terraform?.backend?.local;
  if (local) local.path = path.basename(local.path);
  return copy;
}

describe.each(["local", "dgx"])("synth output on the %s target is the pre-change output, moves aside", (target) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `sparky-synth-${target}-`));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  synthesize({ env: { SPARKY_TARGET: target }, projectRoot: REPO_ROOT, outdir });
  const stacks = fs.readdirSync(path.join(FIXTURES, target)).map((f) => f.replace(/\.tf\.json$/, ""));

  test("the same stacks", () => {
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual([...stacks].sort());
  });

  test.each(stacks)("%s: every resource moved or kept, configs equal", (stack) => {
    const before = stateFileNamed(JSON.parse(fs.readFileSync(path.join(FIXTURES, target, `${stack}.tf.json`), "utf8")));
    const after = stateFileNamed(
      machineIndependent(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"))),
    );
    const moves = new Map((after.moved ?? []).map((m) => [m.from, m.to]));
    const oldAddresses = Object.entries(before.resource ?? {}).flatMap(([type, rs]) => Object.keys(rs).map((id) => `${type}.${id}`));
    const newAddresses = Object.entries(after.resource ?? {}).flatMap(([type, rs]) => Object.keys(rs).map((id) => `${type}.${id}`));
    // Every move starts at an old address and ends at a new one; every old address lands on a new one.
    for (const [from, to] of moves) {
      expect(oldAddresses).toContain(from);
      expect(newAddresses).toContain(to);
    }
    expect(oldAddresses.map((a) => moves.get(a) ?? a).sort()).toEqual([...newAddresses].sort());
    const { moved: _moved, ...rest } = after;
    expect(withoutMetadata(rest)).toEqual(renamed({ ...before, resource: renameKeys(before.resource ?? {}, moves) }, moves));
  });
});

function renameKeys(resources: Record<string, Record<string, unknown>>, moves: Map<string, string>) {
  return Object.fromEntries(
    Object.entries(resources).map(([type, rs]) => [
      type,
      Object.fromEntries(
        Object.entries(rs).map(([id, config]) => [(moves.get(`${type}.${id}`) ?? `${type}.${id}`).slice(type.length + 1), config]),
      ),
    ]),
  );
}
