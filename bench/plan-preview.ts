// Benchmark: `plan-preview` (in-process synth + real OpenTofu plans + render) over 1, 2 and 4 tiny projects
// (one `<id>-services` stack each, one service), warm: the first run per size initializes the stacks and is
// not counted. Nothing is deployed (create plans against an empty temp state).
//
//   node bin/run.js bench/plan-preview.ts [runs=3]
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { planPreview } from "../tools/plan-preview/run";
import { freePort } from "../support/tcp";
import { oneServiceProject, tempDir, writeConfig } from "../support/plan-preview-scenario";
import { uniqueId } from "../support/fixtures";

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const rows: string[] = [];
  for (const n of [1, 2, 4]) {
    const dir = tempDir("pp-bench");
    try {
      const ids = Array.from({ length: n }, () => uniqueId("ppb"));
      const taken = new Set<number>();
      const projects: unknown[] = [];
      for (const id of ids) projects.push(oneServiceProject(id, await freePort(taken)));
      const env = { ...process.env, SPARKY_CONFIG: writeConfig(dir, ids) };
      const once = async () => {
        const t0 = performance.now();
        const r = await planPreview({
          env,
          projectRoot: REPO_ROOT,
          out: path.join(dir, "out"),
          projects,
          stacks: ["*-services"],
          parallel: 3,
          log: () => {},
        });
        if (r.exitCode !== 2) throw new Error(`expected changes (exit 2), got ${r.exitCode}`);
        return performance.now() - t0;
      };
      const cold = await once();
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await once());
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      rows.push(
        `| ${n} | ${n} | ${(cold / 1000).toFixed(2)} | ${(median / 1000).toFixed(2)} | ${(times[0] / 1000).toFixed(2)} | ${(times[times.length - 1] / 1000).toFixed(2)} |`,
      );
      process.stderr.write(`bench: ${n} project(s) done\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    [
      `plan-preview, parallel 3, ${runs} warm runs each (seconds)`,
      "",
      "| projects | stacks planned | cold (with init) | warm median | warm min | warm max |",
      "|--:|--:|--:|--:|--:|--:|",
      ...rows,
      "",
    ].join("\n"),
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
