// Both blueprints on a two-node Docker Swarm made of two local engines (support/swarm-nodes.ts: each in its own
// network namespace, joined over a veth pair), deployed, checked and destroyed with the same commands as a single
// host: `just cluster-labels`, `just deploy`, `just plan-preview`, `just drift`, `just health`, `just destroy`. The
// worker is the GPU node (a node label, `gpu=true`) and both projects' home. Everything the suite makes is removed by
// name and id at the end.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResolvedHost } from "../../constructs/model";
import { LOCAL_IMAGES } from "../../constructs/services/images";
import { loadModel } from "../../stacks/load-model";
import { requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { pollUntil, run } from "../../support/processes";
import { PAIR_TARGET, swarmConfig } from "../../support/swarm-config";
import { fetchInNamespace, NODE_OWN_ROOT, startSwarmNodes, SwarmNodes, tcpInNamespace } from "../../support/swarm-nodes";
import { serviceWell, swarmServiceStates } from "../../tools/engine/swarm-tasks";
import { describeE2E } from "./support/describe-e2e";
import { REPO_ROOT } from "./support/toolchain";

const STACKS = ["pair-observability", "dgx-pixels-services", "sparky-services"];
/** The nodes are this machine's engines: their architecture is its own (the local images are built for it). */
const ARCH = process.arch === "arm64" ? "arm64" : "amd64";
/** The images the stacks run (the state server's is not one of them). */
const IMAGES = Object.values(LOCAL_IMAGES).filter((i) => i !== LOCAL_IMAGES.postgres);

describeE2E("swarm e2e: both blueprints on a two-node swarm of local engines, with the same commands as one host", () => {
  const ws = workspace("swarm");
  const out = path.join(ws.dir, "out");
  let nodes: SwarmNodes;
  let env: NodeJS.ProcessEnv = {};
  let cluster: ResolvedHost;

  const tool = (script: string, args: string[], timeoutMs = 10 * 60_000) =>
    run("node", ["bin/run.js", `tools/${script}.ts`, ...args], { env, timeoutMs });
  const stacksCli = (command: string, extra: string[] = []) => tool("deploy", [command, PAIR_TARGET, ...STACKS, "--output", out, ...extra]);
  const services = () => [...cluster.projects.flatMap((p) => Object.values(p.services)), ...Object.values(cluster.observability.services)];
  const states = () =>
    swarmServiceStates(
      { host: nodes.manager.dockerHost },
      services().map((s) => s.containerName),
    );
  const hostOfTasks = (name: string) =>
    states()
      .find((s) => s.name === name)!
      .tasks.filter((t) => t.state === "running")
      .map((t) => t.host);
  const prometheus = (query: string) => {
    const body = fetchInNamespace(nodes, nodes.manager, `http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(query)}`);
    return body ? (JSON.parse(body).data.result as { metric: Record<string, string>; value: [number, string] }[]) : [];
  };

  beforeAll(async () => {
    requireDeployPrerequisites();
    nodes = await startSwarmNodes({ images: IMAGES });
    const config = swarmConfig({
      manager: { name: nodes.manager.name, dockerHost: nodes.manager.dockerHost, gpus: false },
      worker: { name: nodes.worker.name, dockerHost: nodes.worker.dockerHost, gpus: true, projects: ["dgx-pixels", "sparky"] },
      arch: ARCH,
      stateDir: ws.stateDir,
      quickHealthchecks: true,
    });
    fs.writeFileSync(ws.configFile, JSON.stringify(config, null, 2));
    env = deployEnv({
      SPARKY_CONFIG: ws.configFile,
      SPARKY_TARGET: PAIR_TARGET,
      GRAFANA_ADMIN_PASSWORD: `e2e-grafana-${process.pid}-${Date.now()}`,
      SPARKY_GH_TOKEN: "e2e-swarm-gh-token",
    });
    cluster = loadModel(env, REPO_ROOT).hosts[0];
    // The checkout the blueprints bind (under /srv) on each node: Swarm refuses a bind mount whose source is missing.
    // The other sources (/ for node-exporter) are the node's system.
    const sources = services().flatMap((s) => s.spec.volumes.flatMap((m) => ("hostPath" in m ? [m.hostPath] : [])));
    nodes.makeDirectories(sources.filter((p) => p.startsWith(`${NODE_OWN_ROOT}/`)));
  }, 5 * 60_000);

  afterAll(async () => {
    await nodes?.destroy();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }, 3 * 60_000);

  test("a deploy refuses nodes without the model's labels and names the command; cluster-labels writes them", async () => {
    const refused = await stacksCli("deploy", ["--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the nodes of cluster pair are not ready; nothing was planned or changed:");
    expect(refused.stderr).toMatch(
      new RegExp(
        `node-b: node \\w+ lacks the labels sparky\\.host=node-b, gpu=true, arch=${ARCH}, public=false; run \`just cluster-labels pair\``,
      ),
    );
    expect((await tool("cluster-labels", [PAIR_TARGET])).code).toBe(0);
    const check = await tool("cluster-labels", [PAIR_TARGET, "--check"]);
    expect(check.stdout).toMatch(/^node-a \(node \w+\): labelled\nnode-b \(node \w+\): labelled\n$/);
  }, 60_000);

  test(
    "just deploy brings every service up healthy where its constraints say, its loopback ports on the manager",
    async () => {
      const result = await stacksCli("deploy", ["--yes"]);
      expect(`${result.code}\n${result.stderr.slice(-3000)}`).toMatch(/^0\n/);
      const all = await pollUntil(
        "every service running, every job run",
        async () => states(),
        (s) => s.every(serviceWell),
        60_000,
      );
      for (const service of services()) {
        const state = all.find((s) => s.name === service.containerName)!;
        const placement = service.placement!;
        const expected = placement.mode === "global" ? placement.nodes.length : placement.replicas;
        // A one-shot job's run is its newest task, complete; a service's are its running tasks.
        const tasks = state.job ? [state.lastRun!] : state.tasks;
        expect({ service: service.containerName, tasks: tasks.length }).toEqual({ service: service.containerName, tasks: expected });
        for (const task of tasks)
          expect({ service: service.containerName, on: placement.nodes.includes(task.host!) }).toEqual({
            service: service.containerName,
            on: true,
          });
      }
      // The GPU services on the GPU node; the per-node exporters on both.
      expect(hostOfTasks("dgx-pixels-comfyui")).toEqual(["node-b"]);
      expect(hostOfTasks("pair-obs-node-exporter").sort()).toEqual(["node-a", "node-b"]);
      for (const service of services())
        for (const port of service.spec.ports)
          expect({ port: port.host, answers: tcpInNamespace(nodes, nodes.manager, port.host) }).toEqual({ port: port.host, answers: true });
    },
    8 * 60_000,
  );

  test(
    "Prometheus finds every task by DNS and reports up == 1 for each, on both nodes, each node named",
    async () => {
      const jobs = cluster.observability.targets.map((t) => `${t.project}-${t.service}`);
      const result = await pollUntil(
        "every scrape target up",
        async () => prometheus("up"),
        (r) => jobs.every((j) => r.some((s) => s.metric.job === j)) && r.length >= jobs.length + 1 && r.every((s) => s.value[1] === "1"),
        90_000,
      );
      // node-exporter runs once per node: two targets, both up, each reporting its node's name.
      expect(result.filter((s) => s.metric.job === "host-node-exporter")).toHaveLength(2);
      expect(
        prometheus("node_uname_info")
          .map((s) => s.metric.nodename)
          .sort(),
      ).toEqual(["node-a", "node-b"]);
    },
    2 * 60_000,
  );

  test(
    "plan preview of every stack: no changes (the same command and code path as one host)",
    async () => {
      const preview = await tool("plan-preview", ["--stacks", STACKS.join(","), "--out", path.join(ws.dir, "preview")]);
      expect(`${preview.code}\n${preview.stderr.slice(-2000)}`).toMatch(/^0\n/);
      const summary = JSON.parse(fs.readFileSync(path.join(ws.dir, "preview", "plan-preview.json"), "utf8"));
      expect(summary.stacks.map((s: { stack: string; status: string }) => [s.stack, s.status]).sort()).toEqual(
        STACKS.map((s) => [s, "no-changes"]).sort(),
      );
    },
    3 * 60_000,
  );

  test(
    "drift reports a service scaled by hand",
    async () => {
      expect(nodes.docker(nodes.manager, ["service", "scale", "--detach", "sparky-ollama=2"]).status).toBe(0);
      const json = path.join(ws.dir, "drift.json");
      const drift = await tool("drift", ["--outdir", out, "--no-synth", "--stacks", STACKS.join(","), "--json", json]);
      expect(drift.code).toBe(2);
      const report = JSON.parse(fs.readFileSync(json, "utf8"));
      const byStack = Object.fromEntries(report.stacks.map((s: { stack: string }) => [s.stack, s]));
      expect(byStack["sparky-services"].drift).toEqual([
        {
          address: "docker_service.ollama",
          type: "docker_service",
          kind: "changed",
          attributes: [{ path: "mode[0].replicated[0].replicas", before: 1, after: 2 }],
        },
      ]);
      expect(byStack["dgx-pixels-services"].status).toBe("clean");
      expect(byStack["pair-observability"].status).toBe("clean");
      expect(nodes.docker(nodes.manager, ["service", "scale", "--detach", "sparky-ollama=1"]).status).toBe(0);
    },
    3 * 60_000,
  );

  test(
    "a worker goes down: the services allowed elsewhere move to the manager, the others wait with the reason",
    async () => {
      // Drain the manager (maintenance) so everything that may move runs on the worker, then bring it back.
      const manager = nodes.docker(nodes.manager, ["info", "--format", "{{.Swarm.NodeID}}"]).stdout.trim();
      expect(nodes.docker(nodes.manager, ["node", "update", "--availability", "drain", manager]).status).toBe(0);
      await pollUntil(
        "the cluster's monitoring on the worker",
        async () => ["pair-obs-prometheus", "pair-obs-grafana"].map(hostOfTasks),
        (h) => h.every((x) => x.length === 1 && x[0] === "node-b"),
        60_000,
      );
      expect(nodes.docker(nodes.manager, ["node", "update", "--availability", "active", manager]).status).toBe(0);

      await nodes.stop(nodes.worker);
      await pollUntil(
        "the worker down",
        async () => nodes.docker(nodes.manager, ["node", "ls", "--format", "{{.Hostname}} {{.Status}}"]).stdout,
        (o) => o.includes("node-b Down"),
        60_000,
      );
      await pollUntil(
        "monitoring rescheduled on the manager",
        async () => ["pair-obs-prometheus", "pair-obs-grafana"].map(hostOfTasks),
        (h) => h.every((x) => x.length === 1 && x[0] === "node-a"),
        90_000,
      );
      const health = await tool("ops", ["health", PAIR_TARGET]);
      expect(health.code).toBe(1);
      expect(health.stdout).toMatch(/pair-obs-prometheus\s+node-a\s+1\/1 running/);
      expect(health.stdout).toMatch(
        /dgx-pixels-comfyui\s+-\s+pending: no suitable node \(.*scheduling constraints not satisfied.*\) \(placement: gpu=true: requests a GPU; sparky\.host=node-b: keeps its node-local data/,
      );
      expect(health.stdout).toMatch(
        /sparky-ollama\s+-\s+pending: no suitable node .*placement: gpu=true: requests a GPU; sparky\.host=node-b: keeps its node-local data \(kept volume ollama-models\) on node-b/,
      );
      // The model pull ran once, to completion: a job that is not run again while a node is down.
      expect(health.stdout).toMatch(/sparky-pull-model\s+node-[ab]\s+complete \(exit code 0\) on node-[ab]/);
      // Prometheus answers through the manager's loopback again, from its new node.
      await pollUntil(
        "Prometheus through the loopback proxy",
        async () => prometheus("up"),
        (r) => r.length > 0,
        60_000,
      );

      await nodes.start(nodes.worker);
      await pollUntil(
        "every service running again",
        async () => states(),
        (s) => s.every(serviceWell),
        2 * 60_000,
      );
    },
    6 * 60_000,
  );

  test(
    "destroy removes everything but the kept volumes, on both nodes",
    async () => {
      const kept = new Set(
        [...cluster.projects.flatMap((p) => Object.values(p.volumes)), ...Object.values(cluster.observability.volumes)]
          .filter((v) => v.keep && !v.hostPath)
          .map((v) => v.dockerName),
      );
      const destroyed = await stacksCli("destroy", ["--yes"]);
      expect(`${destroyed.code}\n${destroyed.stderr.slice(-2000)}`).toMatch(/^0\n/);
      for (const kind of ["service", "config", "secret"]) expect(nodes.docker(nodes.manager, [kind, "ls", "-q"]).stdout.trim()).toBe("");
      for (const node of [nodes.manager, nodes.worker]) {
        await pollUntil(
          `${node.name}: no container or network of ours`,
          async () => ({
            containers: nodes.docker(node, ["ps", "-aq"]).stdout.trim(),
            networks: nodes
              .docker(node, ["network", "ls", "--format", "{{.Name}}"])
              .stdout.split("\n")
              .filter((n) => /^(sparky|dgx-pixels)/.test(n)),
          }),
          (o) => o.containers === "" && o.networks.length === 0,
          60_000,
        );
        const volumes = nodes.docker(node, ["volume", "ls", "-q"]).stdout.split("\n").filter(Boolean);
        expect({ node: node.name, notKept: volumes.filter((v) => !kept.has(v)) }).toEqual({ node: node.name, notKept: [] });
      }
      expect(nodes.docker(nodes.worker, ["volume", "ls", "-q"]).stdout).toContain("sparky-ollama-models");
    },
    4 * 60_000,
  );
});
