// Every stack of both blueprints on both targets synthesizes to its committed golden (test/fixtures/synth, regenerated
// by its generate.ts after a deliberate change). Its first version was the output from before the architecture change
// of December 2026; that change passed this test with only new resource addresses, each reached from its old one by a
// `moved` block, and the DCGM counters file naming its new source file. Such moves are still tolerated here.
import * as fs from "node:fs";
import * as path from "node:path";
import { SYNTH_FIXTURES, synthesizedConfigs, TARGETS } from "./fixtures/synth/generate";

type Config = { resource?: Record<string, Record<string, unknown>>; moved?: { from: string; to: string }[]; [k: string]: unknown };

/** The old config in the new names: addresses (in references and depends_on) renamed by the moved blocks. */
function renamed(value: unknown, moves: Map<string, string>): unknown {
  if (typeof value === "string") {
    let text = value;
    for (const [from, to] of moves)
      text = text
        .split(`\${${from}.`)
        .join(`\${${to}.`)
        .replace(new RegExp(`^${from.replace(/\./g, "\\.")}$`), to);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => renamed(v, moves));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "//" && k !== "moved")
        .map(([k, v]) => [k, renamed(v, moves)]),
    );
  return value;
}

/** The local backend's path is relative to where a stack was synthesized; only the state file's name matters. */
function stateFileNamed(config: Config): Config {
  const copy = structuredClone(config) as Config & { terraform?: { backend?: { local?: { path: string } } } };
  const local = copy.terraform?.backend?.local;
  if (local) local.path = path.basename(local.path);
  return copy;
}

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

describe.each(TARGETS)("synth output on the %s target equals its golden", (target) => {
  const current = synthesizedConfigs(target);
  const stacks = fs.readdirSync(path.join(SYNTH_FIXTURES, target)).map((f) => f.replace(/\.tf\.json$/, ""));

  test("the same stacks", () => {
    expect(Object.keys(current).sort()).toEqual([...stacks].sort());
  });

  test.each(stacks)("%s (regenerate with node bin/run.js test/fixtures/synth/generate.ts)", (stack) => {
    const golden = stateFileNamed(JSON.parse(fs.readFileSync(path.join(SYNTH_FIXTURES, target, `${stack}.tf.json`), "utf8")));
    const now = stateFileNamed(JSON.parse(current[stack]));
    const moves = new Map((now.moved ?? []).map((m) => [m.from, m.to]));
    const goldenAddresses = Object.entries(golden.resource ?? {}).flatMap(([type, rs]) => Object.keys(rs).map((id) => `${type}.${id}`));
    const addresses = Object.entries(now.resource ?? {}).flatMap(([type, rs]) => Object.keys(rs).map((id) => `${type}.${id}`));
    expect(goldenAddresses.map((a) => moves.get(a) ?? a).sort()).toEqual([...addresses].sort());
    expect(renamed(now, new Map())).toEqual(renamed({ ...golden, resource: renameKeys(golden.resource ?? {}, moves) }, moves));
  });
});
