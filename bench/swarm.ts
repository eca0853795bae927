// Swarm benchmark (issue 18): both blueprints deployed to a two-node swarm of local engines (support/swarm-nodes.ts,
// the swarm suite's nodes, config and target) by `tools/deploy.ts deploy`, beside `docker stack deploy` of the
// equivalent stack file (bench/swarm-stack-file.ts) on the same nodes; each timed until every task runs healthy (and
// the one-shot job completed). Then the drift check over the cluster's stacks on a clean deploy. Runs alternate which
// goes first; every run starts from nothing (services, networks, configs, secrets and volumes removed). Medians in
// Markdown on stdout, progress on stderr. Everything is removed by id at the end, bounded in time.
// Run: node bin/run.js bench/swarm.ts [--runs n]  (root, as the swarm suites: it creates network namespaces)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { ResolvedHost } from "../constructs/model";
import { LOCAL_IMAGES } from "../constructs/services/images";
import { loadModel } from "../stacks/load-model";
import { requireDeployPrerequisites } from "../support/docker";
import { deployEnv, workspace } from "../support/engine-env";
import { lines, pollUntil, run } from "../support/processes";
import { PAIR_TARGET, swarmConfig } from "../support/swarm-config";
import { NODE_OWN_ROOT, startSwarmNodes, SwarmNodes } from "../support/swarm-nodes";
import { serviceWell, swarmServiceStates } from "../tools/engine/swarm-tasks";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { writeStackFile } from "./swarm-stack-file";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;
const STACKS = ["pair-observability", "dgx-pixels-services", "sparky-services"];
const STACK = "benchstack";
const IMAGES = Object.values(LOCAL_IMAGES).filter((i) => i !== LOCAL_IMAGES.postgres);
const STEP = 10 * 60_000;
const say = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

async function main() {
  requireDeployPrerequisites();
  const ws = workspace("swarm-bench");
  const out = path.join(ws.dir, "out");
  let nodes: SwarmNodes | undefined;
  const results = { sparky: [] as number[], stack: [] as number[], drift: [] as number[] };
  /** Of each deploy, the time its command took (the rest is waiting for the tasks). */
  const commands = { sparky: [] as number[], stack: [] as number[] };
  /** The last sparky-infra deploy's progress lines: each stack's phases with its elapsed time. */
  let phases: string[] = [];
  const loads: string[] = [`start: ${load()}`];
  try {
    say("starting the two-node swarm");
    nodes = await startSwarmNodes({ images: IMAGES, progress: say });
    const n = nodes;
    const config = swarmConfig({
      manager: { name: n.manager.name, dockerHost: n.manager.dockerHost, gpus: false },
      worker: { name: n.worker.name, dockerHost: n.worker.dockerHost, gpus: true, projects: ["dgx-pixels", "sparky"] },
      arch: process.arch === "arm64" ? "arm64" : "amd64",
      stateDir: ws.stateDir,
      quickHealthchecks: true,
    });
    fs.writeFileSync(ws.configFile, JSON.stringify(config, null, 2));
    const env = deployEnv({
      SPARKY_CONFIG: ws.configFile,
      SPARKY_TARGET: PAIR_TARGET,
      GRAFANA_ADMIN_PASSWORD: `bench-grafana-${process.pid}-${Date.now()}`,
      SPARKY_GH_TOKEN: "bench-swarm-gh-token",
    });
    const cluster: ResolvedHost = loadModel(env, REPO_ROOT).hosts[0];
    const modelServices = [...cluster.projects.flatMap((p) => Object.values(p.services)), ...Object.values(cluster.observability.services)];
    const sources = modelServices.flatMap((s) => s.spec.volumes.flatMap((m) => ("hostPath" in m ? [m.hostPath] : [])));
    n.makeDirectories(sources.filter((p) => p.startsWith(`${NODE_OWN_ROOT}/`)));
    const stackFile = writeStackFile(cluster, path.join(ws.dir, "stack"), STACK);
    const tool = async (script: string, args: string[]) => {
      const r = await run("node", ["bin/run.js", `tools/${script}.ts`, ...args], { env, timeoutMs: STEP });
      if (r.code !== 0 && !(script === "drift" && r.code === 2))
        throw new Error(`${script} ${args.join(" ")} failed (${r.code}):\n${r.stderr.slice(-3000)}`);
      return r;
    };
    const mustDocker = (node: SwarmNodes["manager"], args: string[]) => {
      const r = n.docker(node, args, 120_000);
      if (r.status !== 0) throw new Error(`docker ${args.join(" ")} on ${node.name} failed: ${r.stderr.trim()}`);
      return r.stdout;
    };
    const allWell = (names: string[]) =>
      pollUntil(
        "every task running healthy",
        async () => swarmServiceStates({ host: n.manager.dockerHost }, names),
        (s) => s.every(serviceWell),
        STEP,
        500,
      );
    /** Nothing left on either node but the loaded images: services, configs, secrets, containers, networks, volumes. */
    const clean = async () => {
      for (const kind of ["service", "config", "secret"]) {
        const ids = lines(mustDocker(n.manager, [kind, "ls", "-q"]));
        if (ids.length > 0) mustDocker(n.manager, [kind, "rm", ...ids]);
      }
      for (const node of [n.manager, n.worker]) {
        const containers = lines(mustDocker(node, ["ps", "-aq"]));
        if (containers.length > 0) mustDocker(node, ["rm", "-f", ...containers]);
        await pollUntil(
          `${node.name}: no network of ours`,
          async () => pruneNetworks(node),
          (left) => left.length === 0,
          120_000,
          1_000,
        );
        const volumes = lines(mustDocker(node, ["volume", "ls", "-q"]));
        if (volumes.length > 0) mustDocker(node, ["volume", "rm", ...volumes]);
      }
      fs.rmSync(ws.stateDir, { recursive: true, force: true });
    };
    /** Removes the node's networks but Swarm's own; returns those still there (in use until their tasks are gone). */
    const pruneNetworks = (node: SwarmNodes["manager"]) => {
      const ours = () =>
        lines(n.docker(node, ["network", "ls", "--filter", "type=custom", "--format", "{{.ID}} {{.Name}}"]).stdout).filter(
          (l) => !/ (ingress|docker_gwbridge)$/.test(l),
        );
      for (const l of ours()) n.docker(node, ["network", "rm", l.split(" ")[0]]);
      return ours();
    };
    const sparkyNames = modelServices.map((s) => s.containerName);
    const timed = {
      sparky: async () => {
        const t0 = performance.now();
        const r = await tool("deploy", ["deploy", PAIR_TARGET, ...STACKS, "--output", out, "--yes"]);
        phases = r.stderr.split("\n").filter((l) => l.startsWith("["));
        commands.sparky.push(performance.now() - t0);
        await allWell(sparkyNames);
        return performance.now() - t0;
      },
      stack: async () => {
        const t0 = performance.now();
        mustDocker(n.manager, ["stack", "deploy", "--detach=true", "-c", stackFile.file, STACK]);
        commands.stack.push(performance.now() - t0);
        await allWell(stackFile.services);
        return performance.now() - t0;
      },
    };

    say("cluster-labels (once, untimed)");
    await tool("cluster-labels", [PAIR_TARGET]);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (["sparky", "stack"] as const) : (["stack", "sparky"] as const);
      for (const which of order) {
        await clean();
        loads.push(`run ${i + 1} ${which}: ${load()}`);
        const ms = await timed[which]();
        results[which].push(ms);
        say(`run ${i + 1}: ${which === "sparky" ? "sparky-infra deploy" : "docker stack deploy"} ${seconds(ms)} s`);
        if (which === "sparky" && i === runs - 1) {
          // Drift on the clean deploy just made: it must find nothing.
          for (let d = 0; d < runs; d++) {
            const json = path.join(ws.dir, `drift-${d}.json`);
            const t0 = performance.now();
            const r = await tool("drift", ["--outdir", out, "--no-synth", "--stacks", STACKS.join(","), "--json", json]);
            results.drift.push(performance.now() - t0);
            const report = JSON.parse(fs.readFileSync(json, "utf8"));
            const statuses = report.stacks.map((s: { stack: string; status: string }) => `${s.stack}: ${s.status}`);
            say(`drift ${d + 1}: ${seconds(results.drift[d])} s, exit ${r.code}, ${statuses.join(", ")}`);
            if (r.code !== 0) throw new Error(`drift on a clean deploy reported changes: ${statuses.join(", ")}`);
          }
          const resources = fs
            .readdirSync(ws.stateDir)
            .filter((f) => f.endsWith(".tfstate"))
            .flatMap((f) => JSON.parse(fs.readFileSync(path.join(ws.stateDir, f), "utf8")).resources)
            .filter((r: { mode: string }) => r.mode === "managed").length;
          loads.push(`drift over ${STACKS.length} stacks (${resources} managed resources) after run ${i + 1}`);
        }
        if (which === "sparky") await tool("deploy", ["destroy", PAIR_TARGET, ...STACKS, "--output", out, "--yes"]);
        else mustDocker(n.manager, ["stack", "rm", STACK]);
      }
    }
    await clean();
    const ratio = median(results.sparky) / median(results.stack);
    const row = (label: string, xs: number[], command?: number[]) =>
      `| ${label} | ${seconds(median(xs))} | ${command ? seconds(median(command)) : ""} | ${xs.map(seconds).join(", ")} |`;
    process.stdout.write(
      [
        "<!-- Generated by `node bin/run.js bench/swarm.ts > bench/swarm-results.md`; do not edit. -->",
        "",
        `## Two-node swarm (${runs} runs each, ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores)`,
        "",
        "| what | median (s) | of which the command (s) | runs (s) |",
        "| --- | ---: | ---: | --- |",
        row(`sparky-infra: \`just deploy\` of ${STACKS.join(", ")}, then every task running healthy`, results.sparky, commands.sparky),
        row(`\`docker stack deploy\` of the equivalent stack file, then every task running healthy`, results.stack, commands.stack),
        row(`drift check over the ${STACKS.length} stacks on the clean deploy (exit 0 each run)`, results.drift),
        "",
        `Deploy ratio (medians): ${ratio.toFixed(2)}× (goal ≤ 1.5×).`,
        "",
        "The last sparky-infra deploy's progress (each stack's phase and its elapsed time):",
        "",
        "```",
        ...phases,
        "```",
        "",
        "Load average (1 / 5 / 15 min):",
        "",
        ...loads.map((l) => `- ${l}`),
        "",
      ].join("\n"),
    );
  } finally {
    say("removing the swarm nodes");
    await nodes?.destroy();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
