// Drift-check benchmark (node perf_hooks): deploys tiny `<id>-services` stacks (5 resources each) and one larger
// one (extra workers), then times the warm drift check (refresh-only + normal plan per stack, in parallel) over
// 1, 2 and 4 stacks and over the larger stack. Cleans up everything it created by id.
// Run: node bin/run.js bench/drift.ts [--runs n]
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { checkDrift } from "../tools/drift/check";
import { ensureInitialized, forEachBounded, runEngine, synthesizedStacks } from "../tools/engine/stacks";
import { REPO_ROOT, toolchainEnv } from "../tools/engine/toolchain";
import { synthesize } from "../stacks/synthesize";
import { uniqueId } from "../support/fixtures";
import { driftFixture, driftProject } from "../support/drift-fixture";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;
const EXTRA = 6;

async function main() {
  const ids = [0, 1, 2, 3].map(() => uniqueId("driftb"));
  const big = uniqueId("driftb");
  const fx = driftFixture([...ids.map((id) => driftProject(id)), driftProject(big, EXTRA)]);
  const stacks = () => synthesizedStacks(fx.outdir).filter((s) => s.name.endsWith("-services"));
  try {
    synthesize({ env: toolchainEnv(fx.env), projectRoot: REPO_ROOT, outdir: fx.outdir, projects: fx.projects });
    await Promise.all(stacks().map((s) => ensureInitialized(s.dir)));
    const t0 = performance.now();
    const deployed = await forEachBounded(stacks(), 5, async (s) => {
      const r = await runEngine(s.dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
      if (r.code !== 0) throw new Error(`${s.name}: apply failed\n${r.stderr.slice(-2000)}`);
    });
    for (const d of deployed) if (d.status === "rejected") throw d.reason;
    process.stderr.write(`deployed ${stacks().length} stacks in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const count = (name: string) =>
      Object.values(
        JSON.parse(fs.readFileSync(`${stacks().find((s) => s.name === name)!.dir}/cdk.tf.json`, "utf8")).resource as Record<string, object>,
      ).reduce((n, r) => n + Object.keys(r).length, 0);
    const cases = [
      { label: "1 tiny stack", names: [ids[0]] },
      { label: "2 tiny stacks", names: ids.slice(0, 2) },
      { label: "4 tiny stacks", names: ids },
      { label: `1 stack, ${EXTRA} extra containers`, names: [big] },
    ].map((c) => ({ ...c, names: c.names.map((id) => `${id}-services`) }));
    const rows: string[] = [];
    for (const c of cases) {
      const resources = c.names.reduce((n, s) => n + count(s), 0);
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const started = performance.now();
        const report = await checkDrift({ outdir: fx.outdir, stacks: c.names.join(","), concurrency: 4, progress: () => {} });
        const ms = performance.now() - started;
        if (report.status !== "clean")
          throw new Error(`not clean: ${JSON.stringify(report.stacks.map((s) => [s.stack, s.status, s.error, s.drift, s.unapplied]))}`);
        if (i > 0) times.push(ms); // run 0 warms init
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      rows.push(
        `| ${c.label} | ${resources} | ${(median / 1000).toFixed(2)} s | ${(times[0] / 1000).toFixed(2)}–${(times[times.length - 1] / 1000).toFixed(2)} s | ${(median / resources).toFixed(0)} ms |`,
      );
    }
    process.stdout.write(["| case | resources | median | range | per resource |", "|---|---|---|---|---|", ...rows, ""].join("\n"));
  } finally {
    for (const s of stacks()) await runEngine(s.dir, ["destroy", "-auto-approve", "-input=false", "-no-color"]).catch(() => undefined);
    for (const id of [...ids, big]) {
      for (const c of spawnSync("docker", ["ps", "-aq", "--filter", `label=sparky.owner=${id}`], { encoding: "utf8" })
        .stdout.split("\n")
        .filter(Boolean))
        spawnSync("docker", ["rm", "-f", c]);
      spawnSync("docker", ["network", "rm", `${id}-net`]);
    }
    fs.rmSync(fx.work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
